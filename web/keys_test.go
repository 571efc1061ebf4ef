package web

import (
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/biebplein/biebplein/i18n"
)

// goKey is a catalogue key written as a Go string literal.
var goKey = regexp.MustCompile(`^(error|web)\.[a-z0-9_]+(\.[a-z0-9_]+)*$`)

// TestCatalogueKeys fails when a key used in a template, or written as a Go string literal
// "error.x" or "web.x" anywhere in the repository, is missing from the catalogue. (The i18n
// package checks that Dutch and English have the same keys.)
func TestCatalogueKeys(t *testing.T) {
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	if m := bundle.Missing(); len(m) > 0 {
		t.Fatalf("keys missing in a language: %v", m)
	}

	t.Run("Templates", func(t *testing.T) {
		files, err := fs.Glob(embedded, "templates/*.html")
		if err != nil || len(files) == 0 {
			t.Fatalf("templates: %v, %v", files, err)
		}
		for _, f := range files {
			keys, err := templateKeys(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range keys {
				if !bundle.Has(k) {
					t.Errorf("%s uses %q, which the catalogue lacks", f, k)
				}
			}
		}
	})

	t.Run("GoLiterals", func(t *testing.T) {
		root, err := filepath.Abs("..")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
			t.Fatalf("repository root not found at %s", root)
		}
		n := 0
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				name := d.Name()
				if path != root && (strings.HasPrefix(name, ".") || name == "vendor" || name == "testdata" || name == "node_modules") {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") {
				return nil
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			for _, k := range stringLiterals(src) {
				if goKey.MatchString(k) {
					n++
					if !bundle.Has(k) {
						t.Errorf("%s: %q is not in the catalogue", rel, k)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n < 50 {
			t.Errorf("found only %d keys in Go code; is the scan broken?", n)
		}
	})
}

// stringLiterals returns the values of the string literals in Go source.
func stringLiterals(src []byte) []string {
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(file, src, nil, 0)
	var out []string
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return out
		}
		if tok == token.STRING {
			if v, err := strconv.Unquote(lit); err == nil {
				out = append(out, v)
			}
		}
	}
}
