package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/httpx"
)

// Message keys of the API's own errors, in i18n/catalog/*/api.json.
const (
	msgAuthorizationInvalid = "error.api_authorization_invalid"
	msgTokenInvalid         = "error.api_token_invalid"
	msgCSRFHeader           = "error.api_csrf_header"
	msgRouteNotFound        = "error.api_route_not_found"
	msgContentType          = "error.json_content_type"
	msgJSONEncoding         = "error.json_encoding"
	msgJSONObject           = "error.json_object"
	msgJSONTrailing         = "error.json_trailing"
	msgJSONType             = "error.json_type"
	msgQueryTooLong         = "error.api_query_too_long"
	msgFieldInvalid         = "error.api_field_invalid"
	msgConflict             = "error.api_conflict"
	msgStatusInvalid        = "error.api_status_invalid"
)

// fallbackMessages names a text for every code, used when an error carries a key the
// catalogues do not have (a bug, logged) rather than showing the bare key.
var fallbackMessages = map[string]string{
	biebplein.CodeInvalid:      "error.invalid_input",
	biebplein.CodeUnauthorized: "error.unauthorized",
	biebplein.CodeForbidden:    "error.forbidden",
	biebplein.CodeNotFound:     "error.not_found",
	biebplein.CodeConflict:     msgConflict,
	biebplein.CodeTooLarge:     "error.too_large",
	biebplein.CodeRateLimited:  "error.too_many_attempts",
	biebplein.CodeUnavailable:  "error.unavailable",
	biebplein.CodeInternal:     "error.internal",
}

// errorBody is the shape of every error answer.
type errorBody struct {
	Error errorJSON `json:"error"`
}

type errorJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Fields maps input fields (body fields or query parameters) to what is wrong with them.
	Fields map[string]string `json:"fields,omitempty"`
}

// writeJSON answers v as JSON with the given status.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	buf, _ := s.buffers.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer func() {
		// A feed page is tens of kilobytes: its buffer serves the next answer rather than
		// being allocated anew. Larger ones are let go.
		if buf.Cap() <= maxPooledJSON {
			buf.Reset()
			s.buffers.Put(buf)
		}
	}()
	if err := json.NewEncoder(buf).Encode(v); err != nil { // as json.Marshal, with a newline
		s.writeError(w, r, err)
		return
	}
	setHeaders(w)
	// With the length known, the answer goes out in one piece rather than in chunks.
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

const maxPooledJSON = 1 << 20

// writeNoContent answers 204.
func writeNoContent(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

func setHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
}

// writeError answers err as {"error": {...}}: the status from its code, the message and field
// problems translated for the caller. Anything that is not the caller's fault is logged
// through the request log and shown only as "internal" (or "unavailable").
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := biebplein.ErrorCode(err)
	status := httpx.Status(code)
	locale := s.locale(r)
	out := errorJSON{Code: code}
	if status >= http.StatusInternalServerError {
		httpx.NoteError(r, err)
		if code != biebplein.CodeUnavailable {
			code, status = biebplein.CodeInternal, http.StatusInternalServerError
		}
		out.Code = code
		out.Message = s.bundle.T(locale, fallbackMessages[code])
	} else {
		out.Message = s.text(locale, biebplein.ErrorMessage(err), fallbackMessages[code])
		if fields := biebplein.ErrorFields(err); len(fields) > 0 {
			out.Fields = make(map[string]string, len(fields))
			for f, key := range fields {
				out.Fields[f] = s.text(locale, key, msgFieldInvalid)
			}
		}
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", "Bearer")
	}
	writeErrorBody(w, status, out)
}

// writeMethodNotAllowed answers 405 for a known path with another method. The contract has no
// code of its own for it: the code is invalid (the request is wrong), the status HTTP's own.
func (s *Server) writeMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	writeErrorBody(w, http.StatusMethodNotAllowed, errorJSON{
		Code:    biebplein.CodeInvalid,
		Message: s.bundle.T(s.locale(r), "error.method_not_allowed"),
	})
}

func writeErrorBody(w http.ResponseWriter, status int, e errorJSON) {
	body, _ := json.Marshal(errorBody{Error: e}) // cannot fail: strings only
	setHeaders(w)
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// text translates key, or fallback when the catalogues lack key.
func (s *Server) text(locale, key, fallback string) string {
	if !s.bundle.Has(key) {
		s.logger.Warn("api: message key missing from the catalogues", "key", key)
		key = fallback
	}
	return s.bundle.T(locale, key)
}

// locale is the caller's language: the signed-in person's choice, else the browser's.
func (s *Server) locale(r *http.Request) string {
	if p := biebplein.ActorFrom(r.Context()); p != nil && biebplein.ValidLocale(p.Locale) {
		return p.Locale
	}
	return s.bundle.Match(r.Header.Get("Accept-Language"))
}
