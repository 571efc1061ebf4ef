package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/service"
)

// MaxBodyBytes is the largest request body the API reads; more is too_large.
const MaxBodyBytes = 1 << 20

// decodeJSON reads the request body into dst, a pointer to a struct. The body must be one JSON
// object in valid UTF-8, at most MaxBodyBytes, with no fields dst does not have; the
// Content-Type must be application/json or absent. Every failure is invalid or too_large,
// never a Go error string.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, params, err := mime.ParseMediaType(ct)
		charset, hasCharset := params["charset"]
		if err != nil || mt != "application/json" || (hasCharset && !strings.EqualFold(charset, "utf-8")) {
			return biebplein.Errorf(biebplein.CodeInvalid, msgContentType)
		}
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return biebplein.Errorf(biebplein.CodeTooLarge, "error.too_large")
		}
		// The client broke off; nobody reads the answer, but it must not be a 500.
		return biebplein.Errorf(biebplein.CodeInvalid, "error.json_invalid")
	}
	// encoding/json silently replaces invalid bytes with U+FFFD: refuse them first.
	if !utf8.Valid(data) {
		return biebplein.Errorf(biebplein.CodeInvalid, msgJSONEncoding)
	}
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) == 0 || trimmed[0] != '{' {
		return biebplein.Errorf(biebplein.CodeInvalid, msgJSONObject)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if err := dec.Decode(&json.RawMessage{}); err != io.EOF {
		return biebplein.Errorf(biebplein.CodeInvalid, msgJSONTrailing)
	}
	return nil
}

// jsonError turns a decoding error into an invalid *Error naming the field when it can.
func jsonError(err error) error {
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok && te.Field != "" {
		return fieldError(te.Field, msgJSONType)
	}
	// encoding/json has no error type for unknown fields, only this message.
	if name, ok := strings.CutPrefix(err.Error(), `json: unknown field "`); ok {
		return fieldError(strings.TrimSuffix(name, `"`), "error.json_unknown_field")
	}
	return biebplein.Errorf(biebplein.CodeInvalid, "error.json_invalid")
}

// fieldError is an invalid *Error about one field, with key as both message and field text.
func fieldError(field, key string) error {
	return &biebplein.Error{Code: biebplein.CodeInvalid, Message: key, Fields: map[string]string{field: key}}
}

// pathID returns the path value name when it could be an id, and "" otherwise (which the
// handlers answer with not_found). Ids are opaque, but never contain invalid UTF-8 or control
// characters, which some databases refuse outright.
func pathID(r *http.Request, name string) string {
	id := r.PathValue(name)
	if !biebplein.ValidText(id) || len(id) > maxQueryLen {
		return ""
	}
	return id
}

// maxQueryLen is the longest query parameter value, in characters.
const maxQueryLen = 200

// query reads query parameters, collecting what is wrong with them.
type query struct {
	values url.Values
	fields map[string]string
}

func newQuery(r *http.Request) *query { return &query{values: r.URL.Query()} }

// fail records key as the problem of parameter name.
func (q *query) fail(name, key string) {
	if q.fields == nil {
		q.fields = map[string]string{}
	}
	if _, seen := q.fields[name]; !seen {
		q.fields[name] = key
	}
}

// text returns parameter name: valid text of at most maxQueryLen characters, or "".
func (q *query) text(name string) string {
	v := q.values.Get(name)
	switch {
	case !biebplein.ValidText(v):
		q.fail(name, "error.text_invalid")
		return ""
	case utf8.RuneCountInString(v) > maxQueryLen:
		q.fail(name, msgQueryTooLong)
		return ""
	}
	return v
}

// time reads an RFC 3339 time parameter; zero when absent or wrong (then q fails).
func (q *query) time(name string) time.Time {
	v := q.text(name)
	t, err := parseTime(name, &v)
	if err != nil {
		q.fail(name, msgTimeInvalid)
	}
	if t == nil {
		return time.Time{}
	}
	return *t
}

// err returns the problems as an invalid *Error, or nil. With one problem the message is its
// text, which reads better than "check the fields" for a query string.
func (q *query) err() error {
	if len(q.fields) == 0 {
		return nil
	}
	msg := "error.invalid_input"
	if len(q.fields) == 1 {
		for _, key := range q.fields {
			msg = key
		}
	}
	return &biebplein.Error{Code: biebplein.CodeInvalid, Message: msg, Fields: q.fields}
}

// Page sizes of lists, and the longest cursor in bytes.
const (
	defaultLimit = 20
	maxLimit     = service.MaxPageSize
	maxCursorLen = 1000
)

// page is the ?cursor= and ?limit= of a list.
type page struct {
	cursor string
	limit  int
}

// page reads ?cursor= and ?limit= (1-100, default 20).
func (q *query) page() page {
	p := page{cursor: q.values.Get("cursor"), limit: defaultLimit}
	// Cursors are opaque to the caller; what no store would hand out is refused here.
	if !biebplein.ValidText(p.cursor) || len(p.cursor) > maxCursorLen {
		q.fail("cursor", "error.cursor_invalid")
		p.cursor = ""
	}
	if v := q.values.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			q.fail("limit", "error.limit_invalid")
		} else {
			p.limit = n
		}
	}
	return p
}

// listBody is the shape of every list answer.
type listBody[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// paginate pages through a short list that is loaded whole (organisations, tokens): the cursor
// is the id of the last item of the previous page. A cursor naming no item is invalid.
func paginate[T any](items []T, id func(T) string, p page) ([]T, string, error) {
	start := 0
	if p.cursor != "" {
		start = -1
		for i, it := range items {
			if id(it) == p.cursor {
				start = i + 1
				break
			}
		}
		if start < 0 {
			return nil, "", fieldError("cursor", "error.cursor_invalid")
		}
	}
	rest := items[start:]
	if len(rest) <= p.limit {
		return rest, "", nil
	}
	return rest[:p.limit], id(rest[p.limit-1]), nil
}
