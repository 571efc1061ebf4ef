package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"
	"unicode/utf8"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/i18n"
)

// FuzzDecodeJSON feeds arbitrary bodies and Content-Types to the decoder every API handler
// uses. The answer is either a decoded request from one valid JSON object in UTF-8, or an
// invalid / too_large *biebplein.Error whose message (and field messages) are catalogue keys:
// never a panic, never a Go error string that would reach a client.
// Seeds: testdata/fuzz/FuzzDecodeJSON and the ones below.
//
//	go test -run=^$ -fuzz=^FuzzDecodeJSON$ -fuzztime=60s ./api/
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []struct{ ct, body string }{
		{"application/json", `{"kind":"post","body":"Hallo @anna #leesclub"}`},
		{"", `{"kind":"poll","body":"?","poll":{"options":["a","b"],"multiple":true,"closes_at":"2027-01-01T00:00:00Z"}}`},
		{"application/json; charset=utf-8", `{"body":1}`},
		{"application/json", `{"unknown":true}`},
		{"application/json", `{"body":"a"} {"body":"b"}`},
		{"application/json", `["not","an","object"]`},
		{"text/plain", `{"body":"x"}`},
		{"application/json; charset=latin1", `{"body":"x"}`},
		{"application/json", "{\"body\":\"\xff\xfe\"}"},
		{"application/json", `{"poll":{"options":[{"nested":[[[[[[[[]]]]]]]]}]}}`},
		{"application/json", `{"body":"\ud800"}`},
		{"application/json", " \t\r\n"},
	} {
		f.Add(seed.ct, []byte(seed.body))
	}
	bundle, err := i18n.Load()
	if err != nil {
		f.Fatal(err)
	}
	s := &Server{}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/groups/x/posts", bytes.NewReader(body))
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		var req postCreateRequest
		err := s.decodeJSON(httptest.NewRecorder(), r, &req)
		if err == nil {
			if !utf8.Valid(body) || !json.Valid(bytes.TrimSpace(body)) {
				t.Fatalf("decoded %q, which is not one valid JSON document in UTF-8", body)
			}
			return
		}
		var e *biebplein.Error
		if !errors.As(err, &e) {
			t.Fatalf("decodeJSON(%q): %v is not a *biebplein.Error", body, err)
		}
		if e.Code != biebplein.CodeInvalid && e.Code != biebplein.CodeTooLarge {
			t.Fatalf("decodeJSON(%q): code %q, want invalid or too_large", body, e.Code)
		}
		if !bundle.Has(e.Message) {
			t.Fatalf("decodeJSON(%q): message %q is not in the catalogue", body, e.Message)
		}
		for field, key := range e.Fields {
			if !bundle.Has(key) {
				t.Fatalf("decodeJSON(%q): field %q has message %q, not in the catalogue", body, field, key)
			}
		}
	})
}
