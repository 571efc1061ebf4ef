package render

import (
	"context"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
)

// FuzzRender checks that no body makes the renderer panic or emit anything but allowed,
// balanced HTML (see checkSafe), and that the plain text holds no control characters.
// Seeds: testdata/fuzz/FuzzRender and the XSS bodies.
func FuzzRender(f *testing.F) {
	for _, tc := range xssBodies {
		f.Add(tc.in)
	}
	f.Add(benchBody)
	r := newTestRenderer()
	f.Fuzz(func(t *testing.T, body string) {
		res, err := r.Render(context.Background(), body, &fakeResolver{})
		if err != nil {
			if biebplein.ErrorCode(err) != biebplein.CodeInvalid {
				t.Fatalf("Render(%q): %v", body, err)
			}
			return
		}
		if err := checkSafe(res.HTML); err != nil {
			t.Fatalf("Render(%q) unsafe: %v\n%s", body, err, res.HTML)
		}
		if i := strings.IndexFunc(res.Text, isBadControl); i >= 0 {
			t.Fatalf("Render(%q).Text has a control character at %d: %q", body, i, res.Text)
		}
		for _, l := range res.Links {
			if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") &&
				(!strings.HasPrefix(l, "/") || strings.HasPrefix(l, "//")) {
				t.Fatalf("Render(%q).Links has %q", body, l)
			}
		}
	})
}
