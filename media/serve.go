package media

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/biebplein/biebplein"
)

// documentPolicy is the Content-Security-Policy of documents: a PDF opened in the browser
// may run no script and load nothing, and is treated as coming from a unique origin.
const documentPolicy = "default-src 'none'; sandbox"

// Serve answers a request for a stored file, or for its thumbnail when thumb is set. The
// caller has already checked that the reader may see f; the answer is therefore marked
// private. Range requests work (206 Partial Content), so video can be played from any point,
// and conditional requests are answered from the SHA-256 ETag.
//
// Images, video and PDF are shown in the browser (Content-Disposition inline), Office files
// are downloaded (attachment); both carry the cleaned name. Documents get a sandboxing
// Content-Security-Policy, and no answer may be sniffed as another type. A missing file
// gives 404, a failing disk 503, as plain text.
func (s *Store) Serve(w http.ResponseWriter, r *http.Request, f *File, thumb bool) {
	if thumb && !f.HasThumb {
		http.Error(w, http.StatusText(http.StatusNotFound), http.StatusNotFound)
		return
	}
	file, err := s.Open(f.ID, thumb)
	if err != nil {
		status := http.StatusServiceUnavailable
		if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
			status = http.StatusNotFound
		}
		http.Error(w, http.StatusText(status), status)
		return
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		http.Error(w, http.StatusText(http.StatusServiceUnavailable), http.StatusServiceUnavailable)
		return
	}

	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=3600")
	if f.Kind == KindDocument {
		h.Set("Content-Security-Policy", documentPolicy)
	}
	if thumb {
		// Thumbnails are JPEG, or PNG when they have transparency.
		var sig [8]byte
		file.ReadAt(sig[:], 0)
		h.Set("Content-Type", "image/jpeg")
		if bytes.Equal(sig[:], []byte("\x89PNG\r\n\x1a\n")) {
			h.Set("Content-Type", "image/png")
		}
		h.Set("Content-Disposition", "inline")
		if f.SHA256 != "" {
			h.Set("ETag", `"`+f.SHA256+`-thumb"`)
		}
	} else {
		h.Set("Content-Type", f.ContentType)
		h.Set("Content-Disposition", contentDisposition(f))
		if f.SHA256 != "" {
			h.Set("ETag", `"`+f.SHA256+`"`)
		}
	}
	http.ServeContent(w, r, "", info.ModTime(), file)
}

// contentDisposition says whether the browser shows f or downloads it, and under which name:
// an ASCII fallback for old clients and the UTF-8 name as RFC 6266 and RFC 8187 describe.
func contentDisposition(f *File) string {
	disposition := "inline"
	if f.Kind == KindDocument && f.ContentType != fmtPDF.contentType {
		disposition = "attachment"
	}
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7E || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, f.Name)
	return fmt.Sprintf(`%s; filename="%s"; filename*=UTF-8''%s`, disposition, ascii, encodeRFC8187(f.Name))
}

// encodeRFC8187 percent-encodes every byte of s except the attr-chars of RFC 8187.
func encodeRFC8187(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
