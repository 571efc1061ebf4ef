package i18n

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestCataloguesComplete(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if m := b.Missing(); len(m) > 0 {
		t.Fatalf("keys missing in a locale: %v", m)
	}
	for _, loc := range Locales {
		for k, v := range b.texts[loc] {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s:%s is empty", loc, k)
			}
		}
	}
}

func TestMissingKeyFailsLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"catalog/nl/a.json": {Data: []byte(`{"x":"ja","y":"nee"}`)},
		"catalog/en/a.json": {Data: []byte(`{"x":"yes"}`)},
	}
	_, err := LoadFS(fsys)
	if err == nil || !strings.Contains(err.Error(), "en:y") {
		t.Fatalf("LoadFS err = %v, want missing en:y", err)
	}
}

func TestMatch(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ header, want string }{
		{"", "nl"},
		{"en-GB,en;q=0.9", "en"},
		{"nl-BE", "nl"},
		{"de-DE", "nl"},
		{"fr;q=0.9, en;q=0.8", "en"},
		{"garbage;;", "nl"},
	} {
		if got := b.Match(tc.header); got != tc.want {
			t.Errorf("Match(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}
