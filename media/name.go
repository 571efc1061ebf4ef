package media

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxNameLen is the longest cleaned file name, in characters.
const MaxNameLen = 120

// fallbackName replaces a name that has nothing left after cleaning.
const fallbackName = "bestand"

// CleanName makes an uploaded file name safe to store and to offer for download: the base
// name only (no folders, whether written with / or \), in NFC, without control or
// formatting characters (a right-to-left override can disguise "gpj.exe"), without the
// characters Windows forbids, without leading or trailing dots and spaces, and at most
// MaxNameLen characters, cut before the extension. When exts is not empty the extension
// must be one of them (compared without case); otherwise exts[0] replaces it (or is added),
// so that a download opens in the program that fits its content. A name with nothing left
// becomes "bestand".
func CleanName(name string, exts []string) string {
	name = norm.NFC.String(strings.ToValidUTF8(name, ""))
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r): // tabs and line breaks too
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			return -1
		case strings.ContainsRune(`<>:"|?*`, r):
			return '_'
		}
		return r
	}, name)
	name = strings.Trim(name, ". ")

	stem, ext := splitExt(name)
	if len(exts) > 0 && !slices.Contains(exts, strings.ToLower(ext)) {
		ext = exts[0]
	}
	if room := MaxNameLen - utf8.RuneCountInString(ext); utf8.RuneCountInString(stem) > room {
		stem = strings.TrimRight(string([]rune(stem)[:room]), ". ")
	}
	if strings.Trim(stem, ". ") == "" {
		stem = fallbackName
	}
	return stem + ext
}

// splitExt splits name before its extension: a dot followed by one to five letters or
// digits at the end ("Verslag 12.3 notulen" has none).
func splitExt(name string) (stem, ext string) {
	i := strings.LastIndexByte(name, '.')
	if n := utf8.RuneCountInString(name[i+1:]); i <= 0 || n < 1 || n > 5 {
		return name, ""
	}
	for _, r := range name[i+1:] {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return name, ""
		}
	}
	return name[:i], name[i:]
}
