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

func TestPlainLanguage(t *testing.T) {
	fsys := fstest.MapFS{
		"catalog/nl/a.json": {Data: []byte(`{"nav.home":"Start","nav.people":"Collega's","hello":"Hallo %s","simple.nav.home":"Nieuws","simple.hello":"Dag %s"}`)},
		"catalog/en/a.json": {Data: []byte(`{"nav.home":"Home","nav.people":"People","hello":"Hello %s","simple.nav.home":"News","simple.hello":"Hi %s"}`)},
	}
	b, err := LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, locale string
		plain        bool
		key          string
		args         []any
		want         string
	}{
		{"OverrideUsed", "nl", true, "nav.home", nil, "Nieuws"},
		{"OverrideUsedInEnglish", "en", true, "nav.home", nil, "News"},
		{"OverrideWithArgs", "nl", true, "hello", []any{"Henk"}, "Dag Henk"},
		{"FallbackWithoutOverride", "nl", true, "nav.people", nil, "Collega's"},
		{"NotPlain", "nl", false, "nav.home", nil, "Start"},
		{"UnknownKey", "nl", true, "nope", nil, "[nope]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := b.For(tc.locale).WithPlain(tc.plain)
			if got := l.T(tc.key, tc.args...); got != tc.want {
				t.Errorf("T(%q) = %q, want %q", tc.key, got, tc.want)
			}
		})
	}
}

func TestPlainLanguageMustMatchAKey(t *testing.T) {
	for name, texts := range map[string][2]string{
		"ErrNoSuchKey": {`{"a":"A","simple.b":"B"}`, `{"a":"A","simple.b":"B"}`},
		"ErrVerbs":     {`{"a":"%d keer","simple.a":"vaak"}`, `{"a":"%d times","simple.a":"%d times"}`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := LoadFS(fstest.MapFS{
				"catalog/nl/a.json": {Data: []byte(texts[0])},
				"catalog/en/a.json": {Data: []byte(texts[1])},
			})
			if err == nil || !strings.Contains(err.Error(), "simple.") {
				t.Fatalf("LoadFS err = %v, want a complaint about the plain-language text", err)
			}
		})
	}
}
