package media

import (
	"fmt"
	"image"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
)

// serve answers a GET for f with the given request headers (name, value pairs).
func serve(s *Store, f *File, thumb bool, headers ...string) *http.Response {
	r := httptest.NewRequest(http.MethodGet, "/files/x", nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	s.Serve(w, r, f, thumb)
	return w.Result()
}

// body reads and closes a response body.
func body(tb testing.TB, resp *http.Response) []byte {
	tb.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestServeRange(t *testing.T) {
	s := MustStore(t, Limits{})
	f := MustSave(t, s, "film.mp4", mp4Bytes(2000))
	stored := MustStored(t, s, f, false)

	resp := serve(s, f, false, "Range", "bytes=0-99")
	got := body(t, resp)
	if resp.StatusCode != http.StatusPartialContent {
		t.Fatalf("status = %d, want 206", resp.StatusCode)
	}
	if len(got) != 100 || string(got) != string(stored[:100]) {
		t.Errorf("body is %d bytes, want the first 100", len(got))
	}
	if want := fmt.Sprintf("bytes 0-99/%d", len(stored)); resp.Header.Get("Content-Range") != want {
		t.Errorf("Content-Range = %q, want %q", resp.Header.Get("Content-Range"), want)
	}
	for name, want := range map[string]string{
		"Accept-Ranges":          "bytes",
		"Content-Type":           "video/mp4",
		"Content-Disposition":    `inline; filename="film.mp4"; filename*=UTF-8''film.mp4`,
		"X-Content-Type-Options": "nosniff",
		"Cache-Control":          "private, max-age=3600",
		"Etag":                   `"` + f.SHA256 + `"`,
	} {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}

	t.Run("a later range", func(t *testing.T) {
		resp := serve(s, f, false, "Range", "bytes=1000-")
		if got := body(t, resp); resp.StatusCode != http.StatusPartialContent || string(got) != string(stored[1000:]) {
			t.Errorf("status %d, %d bytes", resp.StatusCode, len(got))
		}
	})
	t.Run("not modified", func(t *testing.T) {
		if resp := serve(s, f, false, "If-None-Match", `"`+f.SHA256+`"`); resp.StatusCode != http.StatusNotModified {
			t.Errorf("status = %d, want 304", resp.StatusCode)
		}
	})
}

func TestServeHeaders(t *testing.T) {
	s := MustStore(t, Limits{})
	tests := []struct {
		name        string
		file        string
		data        []byte
		disposition string
		csp         bool
	}{
		{"image", "zomer foto.png", pngBytes(t, halves(8, 8)), `inline; filename="zomer foto.png"; filename*=UTF-8''zomer%20foto.png`, false},
		{"PDF", "notulen.pdf", pdfBytes(), `inline; filename="notulen.pdf"; filename*=UTF-8''notulen.pdf`, true},
		{"Word", "Verslag café – mei.docx", docxBytes(t), `attachment; filename="Verslag caf_ _ mei.docx"; filename*=UTF-8''Verslag%20caf%C3%A9%20%E2%80%93%20mei.docx`, true},
		{"old Excel", `a"b\c.xls`, oleDoc("Workbook"), `attachment; filename="c.xls"; filename*=UTF-8''c.xls`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := MustSave(t, s, tt.file, tt.data)
			resp := serve(s, f, false)
			got := body(t, resp)
			if resp.StatusCode != http.StatusOK || string(got) != string(MustStored(t, s, f, false)) {
				t.Fatalf("status %d with %d bytes", resp.StatusCode, len(got))
			}
			if got := resp.Header.Get("Content-Type"); got != f.ContentType {
				t.Errorf("Content-Type = %q, want %q", got, f.ContentType)
			}
			if got := resp.Header.Get("Content-Disposition"); got != tt.disposition {
				t.Errorf("Content-Disposition = %q, want %q", got, tt.disposition)
			}
			if got, want := resp.Header.Get("Content-Security-Policy"), "default-src 'none'; sandbox"; (got == want) != tt.csp {
				t.Errorf("Content-Security-Policy = %q", got)
			}
			if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q", got)
			}
		})
	}
}

func TestServeThumbnail(t *testing.T) {
	s := MustStore(t, Limits{})
	f := MustSave(t, s, "groot.jpg", jpegBytes(t, halves(1000, 600)))

	resp := serve(s, f, true)
	got := body(t, resp)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if m := decode(t, got); m.Bounds().Size() != image.Pt(480, 288) {
		t.Errorf("thumbnail size = %v, want (480,288)", m.Bounds().Size())
	}
	if resp.Header.Get("Etag") == `"`+f.SHA256+`"` {
		t.Error("thumbnail has the ETag of the file")
	}

	t.Run("transparent thumbnail is PNG", func(t *testing.T) {
		f := MustSave(t, s, "logo.webp", mustRead(t, "alpha-lossless.webp"))
		if resp := serve(s, f, true); resp.Header.Get("Content-Type") != "image/png" {
			t.Errorf("Content-Type = %q", resp.Header.Get("Content-Type"))
		}
	})
	t.Run("no thumbnail for a document", func(t *testing.T) {
		f := MustSave(t, s, "x.pdf", pdfBytes())
		if resp := serve(s, f, true); resp.StatusCode != http.StatusNotFound {
			t.Errorf("status = %d, want 404", resp.StatusCode)
		}
	})
}

func TestServeMissing(t *testing.T) {
	s := MustStore(t, Limits{})
	f := MustSave(t, s, "x.pdf", pdfBytes())
	for _, id := range []string{"../x", "a/b", "../../../../etc/passwd", ""} {
		bad := *f
		bad.ID = id
		if resp := serve(s, &bad, false); resp.StatusCode != http.StatusNotFound {
			t.Errorf("ID %q: status = %d, want 404", id, resp.StatusCode)
		}
	}
	if err := os.Remove(s.path(f.ID, false)); err != nil {
		t.Fatal(err)
	}
	if resp := serve(s, f, false); resp.StatusCode != http.StatusNotFound {
		t.Errorf("deleted file: status = %d, want 404", resp.StatusCode)
	}
}
