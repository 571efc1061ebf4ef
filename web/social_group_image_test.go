package web

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGroupImage: a group's image is uploaded with the group form, shown on the group page
// and in the directory, served only to people who may see the group, and its file is deleted
// when it is replaced or removed.
func TestGroupImage(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		staff, vol, admin := s.signedIn(s.staff), s.signedIn(s.vol), s.signedIn(s.admin)
		staff.get("/groups/new")

		r := staff.postFiles("/groups/new", url.Values{"name": {"Beeldbank"}, "visibility": {"secret"}}, "image", upload{"logo.png", pngBytes(t)})
		wantStatus(t, "create with image", r, http.StatusSeeOther)
		gURL := r.Location
		id := firstMatch(t, groupLink, gURL)
		imageURL := gURL + "/image"
		first := mustGroupImage(t, s, id)

		t.Run("UploadOnCreate", func(t *testing.T) {
			r := staff.get(gURL)
			wantBody(t, "group page", r, `<img class="group-image" src="`+imageURL+`?v=`, `alt=""`)
			r = staff.get("/groups")
			wantBody(t, "directory", r, `<img class="group-card-image" src="`+imageURL+`?v=`)
			if !fileExists(s, first) {
				t.Errorf("image file %s not stored", first)
			}
		})
		t.Run("VisibleToWhoSeesTheGroup", func(t *testing.T) {
			for name, c := range map[string]*client{"creator": staff, "site admin": admin} {
				r := c.get(imageURL)
				wantStatus(t, name, r, http.StatusOK)
				if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "image/") {
					t.Errorf("%s: Content-Type %q", name, ct)
				}
			}
		})
		t.Run("NotFoundForWhoCannotSee", func(t *testing.T) {
			wantStatus(t, "non-member of a secret group", vol.get(imageURL), http.StatusNotFound)
			if r := vol.get("/groups"); strings.Contains(r.Body, imageURL) {
				t.Error("the directory shows the image of a secret group to a non-member")
			}
		})
		t.Run("ReplacingDeletesTheOldFile", func(t *testing.T) {
			staff.get(gURL + "/edit")
			r := staff.postFiles(gURL+"/edit", url.Values{"name": {"Beeldbank"}, "visibility": {"secret"}}, "image", upload{"nieuw.png", pngBytes(t)})
			wantStatus(t, "replace", r, http.StatusSeeOther)
			second := mustGroupImage(t, s, id)
			if second == first {
				t.Fatal("image not replaced")
			}
			if fileExists(s, first) {
				t.Error("the replaced image file is still on disk")
			}
			wantStatus(t, "new image", staff.get(imageURL), http.StatusOK)

			// Saving without a file keeps the image.
			r = staff.post(gURL+"/edit", url.Values{"name": {"Beeldbank"}, "visibility": {"secret"}})
			wantStatus(t, "save without image", r, http.StatusSeeOther)
			if got := mustGroupImage(t, s, id); got != second {
				t.Errorf("image %s after saving without one, want %s kept", got, second)
			}
		})
		t.Run("Remove", func(t *testing.T) {
			old := mustGroupImage(t, s, id)
			r := staff.get(gURL + "/edit")
			wantBody(t, "edit form", r, `enctype="multipart/form-data"`, `name="remove_image"`)
			r = staff.post(gURL+"/edit", url.Values{"name": {"Beeldbank"}, "visibility": {"secret"}, "remove_image": {"on"}})
			wantStatus(t, "remove", r, http.StatusSeeOther)
			wantStatus(t, "removed image", staff.get(imageURL), http.StatusNotFound)
			if fileExists(s, old) {
				t.Error("the removed image file is still on disk")
			}
			if r := staff.get(gURL); strings.Contains(r.Body, "group-image") {
				t.Error("the group page still shows an image")
			}
		})
		t.Run("PDFIsNoImage", func(t *testing.T) {
			before := countFiles(t, s)
			r := staff.postFiles("/groups/new", url.Values{"name": {"Documentenclub"}, "visibility": {"network"}}, "image",
				upload{"notulen.pdf", []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")})
			wantStatus(t, "pdf as image", r, http.StatusBadRequest)
			wantBody(t, "pdf as image", r, `id="group-image-error"`, text("nl", "error.group_image_not_image"), `value="Documentenclub"`)
			if n := countFiles(t, s); n != before {
				t.Errorf("files on disk: %d, want %d (the refused file deleted)", n, before)
			}
		})
	})
}

// mustGroupImage returns the image file id of a group, as the system sees it.
func mustGroupImage(t *testing.T, s *site, groupID string) string {
	t.Helper()
	id, err := s.svc.GroupImage(as(s.admin), groupID)
	if err != nil {
		t.Fatalf("GroupImage: %v", err)
	}
	return id
}

func fileExists(s *site, id string) bool {
	_, err := os.Stat(filepath.Join(s.filesDir, id))
	return err == nil
}

func countFiles(t *testing.T, s *site) int {
	t.Helper()
	entries, err := os.ReadDir(s.filesDir)
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}
