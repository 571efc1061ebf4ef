// Package i18n holds the interface texts of Biebplein in Dutch (the default) and English.
//
// Texts live in JSON catalogues under catalog/<locale>/, one file per area (errors, web pages,
// API, e-mail), merged at start-up. A key present in one language and missing in the other is
// an error at start-up and in the tests, never at a user's request.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

//go:embed catalog
var catalogFS embed.FS

// Locales in order of preference; the first is the default.
var Locales = []string{"nl", "en"}

// Bundle holds the catalogues of every locale.
type Bundle struct {
	texts   map[string]map[string]string // locale -> key -> text
	matcher language.Matcher
}

// Load reads the embedded catalogues and checks that every locale has the same keys.
func Load() (*Bundle, error) {
	return LoadFS(catalogFS)
}

// LoadFS reads catalogues from fsys (with a catalog/<locale>/*.json layout).
func LoadFS(fsys fs.FS) (*Bundle, error) {
	b := &Bundle{texts: map[string]map[string]string{}}
	var tags []language.Tag
	for _, loc := range Locales {
		texts := map[string]string{}
		files, err := fs.Glob(fsys, path.Join("catalog", loc, "*.json"))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			data, err := fs.ReadFile(fsys, f)
			if err != nil {
				return nil, err
			}
			var m map[string]string
			if err := json.Unmarshal(data, &m); err != nil {
				return nil, fmt.Errorf("i18n: %s: %w", f, err)
			}
			for k, v := range m {
				if _, dup := texts[k]; dup {
					return nil, fmt.Errorf("i18n: %s: key %q defined twice", f, k)
				}
				texts[k] = v
			}
		}
		b.texts[loc] = texts
		tags = append(tags, language.Make(loc))
	}
	if missing := b.Missing(); len(missing) > 0 {
		return nil, fmt.Errorf("i18n: keys missing: %s", strings.Join(missing, ", "))
	}
	if bad := b.badPlain(); len(bad) > 0 {
		return nil, fmt.Errorf("i18n: plain-language texts without a matching key: %s", strings.Join(bad, ", "))
	}
	b.matcher = language.NewMatcher(tags)
	return b, nil
}

// verbs finds the fmt verbs of a text, which a plain-language text must keep.
var verbs = regexp.MustCompile(`%[-+# 0]*[0-9]*(\.[0-9]+)?[a-zA-Z%]`)

// badPlain lists "locale:key" for every plain-language text whose key does not exist (a typo
// would never show) or whose fmt verbs differ from the key's (it would print wrong values).
func (b *Bundle) badPlain() []string {
	var out []string
	for _, loc := range Locales {
		for k, v := range b.texts[loc] {
			base, ok := strings.CutPrefix(k, PlainPrefix)
			if !ok {
				continue
			}
			orig, exists := b.texts[loc][base]
			if !exists || !slices.Equal(verbs.FindAllString(v, -1), verbs.FindAllString(orig, -1)) {
				out = append(out, loc+":"+k)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Missing lists "locale:key" for every key defined in one locale but not in another.
func (b *Bundle) Missing() []string {
	var out []string
	for _, loc := range Locales {
		for _, other := range Locales {
			for k := range b.texts[other] {
				if _, ok := b.texts[loc][k]; !ok {
					out = append(out, loc+":"+k)
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Keys returns every key of the default locale, sorted.
func (b *Bundle) Keys() []string {
	return slices.Sorted(maps.Keys(b.texts[Locales[0]]))
}

// Has reports whether key exists.
func (b *Bundle) Has(key string) bool {
	_, ok := b.texts[Locales[0]][key]
	return ok
}

// Match picks the supported locale that best fits an Accept-Language header.
func (b *Bundle) Match(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Locales[0]
	}
	_, i, conf := b.matcher.Match(tags...)
	if conf == language.No {
		return Locales[0]
	}
	return Locales[i]
}

// T returns the text of key in locale, with fmt-style args applied when given. An unknown
// locale falls back to Dutch; an unknown key returns the key itself in brackets so that it
// is visible in tests and never breaks a page.
func (b *Bundle) T(locale, key string, args ...any) string {
	s, ok := b.text(locale, key)
	if !ok {
		return "[" + key + "]"
	}
	return format(s, args)
}

// text looks key up in locale (Dutch when the locale is unknown).
func (b *Bundle) text(locale, key string) (string, bool) {
	texts, ok := b.texts[locale]
	if !ok {
		texts = b.texts[Locales[0]]
	}
	s, ok := texts[key]
	return s, ok
}

func format(s string, args []any) string {
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// PlainPrefix starts the keys of the plain-language texts of simple mode: "simple.web.nav.home"
// says in plain words (B1 Dutch, plain English) what "web.nav.home" says. Only the texts a
// person in simple mode meets most have one; the others are used as they are.
const PlainPrefix = "simple."

// Localizer is a Bundle bound to one locale, handy in templates: {{.T "nav.home"}}.
type Localizer struct {
	bundle *Bundle
	Locale string
	// Plain prefers the plain-language text of a key (PlainPrefix) where there is one.
	Plain bool
}

// WithPlain returns l preferring plain-language texts (on) or not.
func (l Localizer) WithPlain(on bool) Localizer {
	l.Plain = on
	return l
}

// For returns a Localizer for locale (Dutch when unknown).
func (b *Bundle) For(locale string) Localizer {
	if _, ok := b.texts[locale]; !ok {
		locale = Locales[0]
	}
	return Localizer{bundle: b, Locale: locale}
}

// T translates key; a plain Localizer takes the key's plain-language text when it has one.
func (l Localizer) T(key string, args ...any) string {
	if l.Plain {
		if s, ok := l.bundle.text(l.Locale, PlainPrefix+key); ok {
			return format(s, args)
		}
	}
	return l.bundle.T(l.Locale, key, args...)
}
