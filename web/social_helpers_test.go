package web

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/media"
)

// as is a context acting as p, for seeding data through the service.
func as(p *biebplein.Person) context.Context {
	return biebplein.NewContext(context.Background(), p)
}

// mustGroup creates a group as p.
func (s *site) mustGroup(p *biebplein.Person, name string, vis biebplein.Visibility, org string) *biebplein.Group {
	s.t.Helper()
	g, err := s.svc.CreateGroup(as(p), biebplein.GroupInput{Name: name, Visibility: vis, OrganisationID: org})
	if err != nil {
		s.t.Fatalf("CreateGroup(%s): %v", name, err)
	}
	return g
}

// mustJoin makes p a member of g, by invitation from admin when needed.
func (s *site) mustJoin(admin, p *biebplein.Person, g *biebplein.Group) {
	s.t.Helper()
	if err := s.svc.AddMember(as(admin), g.ID, p.ID, biebplein.RoleMember); err != nil {
		s.t.Fatalf("AddMember(%s, %s): %v", g.Name, p.Name, err)
	}
}

// mustPost writes a post as p, with files stored in the site's media store.
func (s *site) mustPost(p *biebplein.Person, g *biebplein.Group, kind biebplein.PostKind, body string, files ...*media.File) *biebplein.Post {
	s.t.Helper()
	in := biebplein.PostInput{GroupID: g.ID, Kind: kind, Body: body, Attachments: attachments(files)}
	if kind == biebplein.KindPoll {
		in.PollOptions = []string{"Ja", "Nee"}
	}
	post, err := s.svc.CreatePost(as(p), in)
	if err != nil {
		s.t.Fatalf("CreatePost(%s): %v", body, err)
	}
	return post
}

// mustFile stores a file in the site's media store.
func (s *site) mustFile(name string, data []byte) *media.File {
	s.t.Helper()
	f, err := s.server.media.Save(context.Background(), name, bytes.NewReader(data))
	if err != nil {
		s.t.Fatalf("Save(%s): %v", name, err)
	}
	return f
}

// pngBytes is a small PNG made with image/png.
func pngBytes(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		for y := range 30 {
			img.Set(x, y, color.RGBA{uint8(x * 6), uint8(y * 8), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// webmBytes is the start of a WebM video, enough for the media store to recognise it.
func webmBytes() []byte {
	ebml := func(id []byte, data []byte) []byte {
		b := append([]byte{}, id...)
		b = append(b, 0x80|byte(len(data)))
		return append(b, data...)
	}
	header := bytes.Join([][]byte{
		ebml([]byte{0x42, 0x86}, []byte{1}),
		ebml([]byte{0x42, 0xF7}, []byte{1}),
		ebml([]byte{0x42, 0xF2}, []byte{4}),
		ebml([]byte{0x42, 0xF3}, []byte{8}),
		ebml([]byte{0x42, 0x82}, []byte("webm")),
		ebml([]byte{0x42, 0x87}, []byte{4}),
		ebml([]byte{0x42, 0x85}, []byte{2}),
	}, nil)
	segment := append([]byte{0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, make([]byte, 4000)...)
	return append(ebml([]byte{0x1A, 0x45, 0xDF, 0xA3}, header), segment...)
}

// upload is a file sent with a multipart form.
type upload struct {
	name string
	data []byte
}

// postMultipart sends a multipart form as the composer does: the form token first, then the
// fields, then the files.
func (c *client) postMultipart(path string, fields url.Values, files ...upload) *response {
	c.t.Helper()
	return c.postFiles(path, fields, "file", files...)
}

// postFiles sends a multipart form with the files in the field named fileField.
func (c *client) postFiles(path string, fields url.Values, fileField string, files ...upload) *response {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if _, ok := fields["csrf"]; !ok {
		mw.WriteField("csrf", c.csrf)
	}
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile(fileField, f.name)
		if err != nil {
			c.t.Fatal(err)
		}
		w.Write(f.data)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.site.URL+path, &buf)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// getRange fetches a path with a Range header.
func (c *client) getRange(path, rng string) *response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.site.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Range", rng)
	return c.do(req)
}

var (
	postIDLink = regexp.MustCompile(`id="post-([0-9a-z]{26})"`)
	fileLink   = regexp.MustCompile(`href="/files/([0-9a-z]{26})"`)
	groupLink  = regexp.MustCompile(`^/groups/([0-9a-z]{26})`)
)

// firstMatch returns the first group of re in s, failing the test when there is none.
func firstMatch(t *testing.T, re *regexp.Regexp, s string) string {
	t.Helper()
	m := re.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no match for %s in:\n%s", re, excerpt(s))
	}
	return m[1]
}
