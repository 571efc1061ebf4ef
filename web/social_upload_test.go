package web

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
)

// TestUploads: files come with a post, are shown in the feed and served only to people who
// may read the post; video answers range requests.
func TestUploads(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		staff, vol := s.signedIn(s.staff), s.signedIn(s.vol)
		g := s.mustGroup(s.staff, "Directie", biebplein.VisSecret, "")
		gURL := groupURL(g.ID)
		staff.get(gURL)

		r := staff.postMultipart(gURL+"/posts", url.Values{"kind": {"post"}, "body": {"Foto van de opening"}},
			upload{"opening.png", pngBytes(t)}, upload{"film.webm", webmBytes()})
		wantStatus(t, "post with files", r, http.StatusSeeOther)
		r = staff.get(gURL)
		wantBody(t, "image", r, `alt="opening.png" width="40" height="30"`, `<video controls preload="metadata"`)
		files := regexpAll(`href="/files/([0-9a-z]{26})"`, r.Body)
		if len(files) < 2 {
			t.Fatalf("file links: %v\n%s", files, excerpt(r.Body))
		}
		img, video := "/files/"+files[0], "/files/"+files[1]

		r = staff.get(img)
		wantStatus(t, "image for a member", r, http.StatusOK)
		if ct := r.Header.Get("Content-Type"); ct != "image/png" {
			t.Errorf("image Content-Type %q", ct)
		}
		wantStatus(t, "thumbnail for a member", staff.get(img+"/thumb"), http.StatusOK)
		wantStatus(t, "image for a non-member", vol.get(img), http.StatusNotFound)
		wantStatus(t, "thumbnail for a non-member", vol.get(img+"/thumb"), http.StatusNotFound)
		wantStatus(t, "image signed out", s.client().get(img), http.StatusSeeOther)
		wantStatus(t, "unknown file", staff.get("/files/"+randomFileID()), http.StatusNotFound)

		r = staff.getRange(video, "bytes=0-99")
		wantStatus(t, "video range", r, http.StatusPartialContent)
		if len(r.Body) != 100 || r.Header.Get("Content-Range") == "" {
			t.Errorf("range answer: %d bytes, Content-Range %q", len(r.Body), r.Header.Get("Content-Range"))
		}
		wantStatus(t, "video range for a non-member", vol.getRange(video, "bytes=0-99"), http.StatusNotFound)
	})
}

// TestComposerBadInput: every problem is shown beside its field and the text stays.
func TestComposerBadInput(t *testing.T) {
	s := newSite(t, "sqlite")
	staff := s.signedIn(s.staff)
	g := s.mustGroup(s.staff, "Frontoffice", biebplein.VisNetwork, "")
	gURL := groupURL(g.ID)
	staff.get(gURL)

	cases := []struct {
		name   string
		fields url.Values
		files  []upload
		status int
		key    string
		keep   string
	}{
		{"EmptyBody", url.Values{"kind": {"post"}, "body": {"  "}}, nil, http.StatusBadRequest, "error.body_required", ""},
		{"OnePollOption", url.Values{"kind": {"poll"}, "body": {"Wat vindt u?"}, "option": {"Alleen deze", "", "", ""}}, nil, http.StatusBadRequest, "error.poll_options_count", "Alleen deze"},
		{"InvalidUTF8", url.Values{"kind": {"post"}, "body": {"Goed\xffbezig"}}, nil, http.StatusBadRequest, "error.text_invalid", ""},
		{"HTMLAsPNG", url.Values{"kind": {"post"}, "body": {"Mijn tekst blijft"}}, []upload{{"plaatje.png", []byte("<!doctype html><script>alert(1)</script>")}}, http.StatusBadRequest, "error.file_type_unsupported", "Mijn tekst blijft"},
		{"EmptyFile", url.Values{"kind": {"post"}, "body": {"Met leeg bestand"}}, []upload{{"leeg.pdf", nil}}, http.StatusBadRequest, "error.file_empty", "Met leeg bestand"},
		{"UnknownKind", url.Values{"kind": {"gedicht"}, "body": {"Rozen zijn rood"}}, nil, http.StatusBadRequest, "error.post_kind_invalid", "Rozen zijn rood"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := staff.postMultipart(gURL+"/posts", tc.fields, tc.files...)
			wantStatus(t, tc.name, r, tc.status)
			wantBody(t, tc.name, r, text("nl", tc.key), `aria-invalid="true"`)
			if tc.keep != "" {
				wantBody(t, tc.name, r, tc.keep)
			}
		})
	}

	t.Run("FileErrorBesideTheField", func(t *testing.T) {
		r := staff.postMultipart(gURL+"/posts", url.Values{"kind": {"post"}, "body": {"Tekst"}}, upload{"x.png", []byte("<html>")})
		i := strings.Index(r.Body, `id="composer-file-error"`)
		if i < 0 {
			t.Fatalf("no error beside the file field:\n%s", excerpt(r.Body))
		}
	})

	t.Run("FilesOfARefusedPostAreDeleted", func(t *testing.T) {
		r := staff.postMultipart(gURL+"/posts", url.Values{"kind": {"post"}, "body": {""}}, upload{"a.png", pngBytes(t)})
		wantStatus(t, "empty body with a file", r, http.StatusBadRequest)
		entries, err := os.ReadDir(s.filesDir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 0 {
			t.Errorf("files left behind: %d", len(entries))
		}
	})

	t.Run("MoreOptions", func(t *testing.T) {
		r := staff.postMultipart(gURL+"/posts", url.Values{"kind": {"poll"}, "body": {"Keuzes"}, "option": {"A", "B", "C", "D"}, "more": {"1"}})
		wantStatus(t, "more options", r, http.StatusOK)
		if n := strings.Count(r.Body, `name="option"`); n != 6 {
			t.Errorf("option fields: %d, want 6", n)
		}
		wantBody(t, "more options", r, `value="D"`, "Keuzes")
	})

	t.Run("FormTokenBeforeFiles", func(t *testing.T) {
		r := staff.postMultipart(gURL+"/posts", url.Values{"csrf": {"fout"}, "kind": {"post"}, "body": {"x"}}, upload{"a.png", pngBytes(t)})
		wantStatus(t, "wrong token", r, http.StatusForbidden)
	})

	t.Run("PlainForm", func(t *testing.T) {
		r := staff.post(gURL+"/posts", url.Values{"kind": {"post"}, "body": {"Zonder bestanden"}})
		wantStatus(t, "plain form", r, http.StatusSeeOther)
	})

	t.Run("GroupNameRequired", func(t *testing.T) {
		r := staff.post("/groups/new", url.Values{"name": {""}, "description": {"Mijn beschrijving"}, "visibility": {"public"}})
		wantStatus(t, "group without name", r, http.StatusBadRequest)
		wantBody(t, "group without name", r, text("nl", "error.name_required"), "Mijn beschrijving")
	})

	t.Run("CommentEmpty", func(t *testing.T) {
		p := s.mustPost(s.staff, g, biebplein.KindPost, "Iets")
		r := staff.post(postURL(p.ID)+"/comments", url.Values{"body": {""}})
		wantStatus(t, "empty comment", r, http.StatusBadRequest)
		wantBody(t, "empty comment", r, text("nl", "error.body_required"))
	})
}

// randomFileID is a well-formed file id that names no file.
func randomFileID() string {
	const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	b := make([]byte, 26)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
