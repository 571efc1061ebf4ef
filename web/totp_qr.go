package web

import (
	"net/http"
	"strconv"

	"github.com/biebplein/biebplein"
	qrcode "github.com/skip2/go-qrcode"
)

// totpQRSize is the width and height of the QR code in pixels: large enough for a phone's
// camera at arm's length, small enough to sit beside the secret.
const totpQRSize = 256

// totpQR serves the otpauth:// URI of the signed-in person's pending two-factor setup as a
// QR code (PNG), for the setup page to show. Without a setup under way (none started, or
// two-factor on already) there is nothing to show: 404. The image holds the secret, so it
// is never stored by a cache.
func (s *Server) totpQR(w http.ResponseWriter, r *http.Request) {
	e, err := s.svc.TOTPEnrolment(r.Context())
	switch biebplein.ErrorCode(err) {
	case "":
	case biebplein.CodeNotFound, biebplein.CodeConflict:
		s.notFound(w, r)
		return
	default:
		s.fail(w, r, err)
		return
	}
	png, err := qrcode.Encode(e.URI, qrcode.Medium, totpQRSize)
	if err != nil {
		s.fail(w, r, err) // not a domain error: logged, and a 500
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/png")
	h.Set("Content-Length", strconv.Itoa(len(png)))
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(png)
}
