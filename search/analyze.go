// Package search turns text into the terms the search index holds and a query typed by a
// person into the match expressions of SQLite FTS5 and PostgreSQL tsquery, scores candidates
// and cuts snippets with the matched words marked. Both databases index the same terms, made
// here, so that a query finds the same things on both.
package search

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/dutch"
	"golang.org/x/text/unicode/norm"
)

// MaxWordLen is the longest word indexed; longer runs of letters (a pasted hash, a URL) are
// left out of the index.
const MaxWordLen = 40

// Version names the analysis: change it whenever Analyze would make other terms of the same
// text, and the store rebuilds its index at the next start.
const Version = 1

// Token is one word of a text: where it is, its folded form and its stem.
type Token struct {
	Start, End int    // byte offsets in the text
	Word       string // lower case, diacritics removed: "coöperatie" -> "cooperatie"
	Stem       string // the Dutch Snowball stem of Word
}

// Tokens splits s into words (runs of letters and digits) and analyses each.
func Tokens(s string) []Token { return (*Analyzer)(nil).tokens(s) }

func (a *Analyzer) tokens(s string) []Token {
	var out []Token
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		if w := Fold(s[start:end]); w != "" && len(w) <= MaxWordLen {
			out = append(out, Token{Start: start, End: end, Word: w, Stem: a.stem(w)})
		}
		start = -1
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	return out
}

// Fold returns s in lower case without diacritics.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s) // nothing to decompose
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Analyzer is Analyze remembering the stems of the words it has seen, for analysing many
// texts at once (a rebuild of the index): a language has far fewer words than a network has
// sentences. It remembers at most a set number of words. Safe for concurrent use; a nil
// *Analyzer remembers nothing.
type Analyzer struct {
	stems sync.Map
	n     atomic.Int64
	max   int64
}

const maxStems = 200_000

// NewAnalyzer returns an Analyzer that remembers nothing yet, and at most 200,000 words.
func NewAnalyzer() *Analyzer { return NewAnalyzerOf(maxStems) }

// NewAnalyzerOf returns an Analyzer that remembers at most max words (some 150 bytes each).
func NewAnalyzerOf(max int) *Analyzer { return &Analyzer{max: int64(max)} }

func (a *Analyzer) stem(w string) string {
	if a == nil {
		return Stem(w)
	}
	if s, ok := a.stems.Load(w); ok {
		return s.(string)
	}
	s := Stem(w)
	if a.n.Load() < a.max {
		a.stems.Store(w, s)
		a.n.Add(1)
	}
	return s
}

// Stem returns the Dutch Snowball stem of a folded word. Words with digits are kept whole.
func Stem(w string) string {
	for _, r := range w {
		if unicode.IsDigit(r) {
			return w
		}
	}
	env := snowballstem.NewEnv(w)
	dutch.Stem(env)
	if s := env.Current(); s != "" {
		return s
	}
	return w
}

// Doc is what the index holds of one searchable thing.
type Doc struct {
	Stems    string // the stems, one per word, space separated (FTS5 column stems)
	Words    string // the folded words in the same order (FTS5 column words, for prefixes)
	TitleLen int    // how many of the first terms are the title
}

// wordPrefix marks the folded words in the tsvector, where stems and words share one column.
const wordPrefix = "w:"

// Analyze makes the index entry of a title and a body.
func Analyze(title, body string) Doc { return (*Analyzer)(nil).Analyze(title, body) }

// Analyze makes the index entry of a title and a body.
func (a *Analyzer) Analyze(title, body string) Doc {
	tt := a.tokens(title)
	toks := append(tt, a.tokens(body)...)
	var stems, words strings.Builder
	for i, t := range toks {
		if i > 0 {
			stems.WriteByte(' ')
			words.WriteByte(' ')
		}
		stems.WriteString(t.Stem)
		words.WriteString(t.Word)
	}
	return Doc{Stems: stems.String(), Words: words.String(), TitleLen: len(tt)}
}

// Vector returns the terms as a PostgreSQL tsvector literal: each stem, and each folded word
// marked "w:", with the positions where it occurs.
func (d Doc) Vector() string {
	stems, words := strings.Fields(d.Stems), strings.Fields(d.Words)
	positions := map[string][]int{}
	var order []string
	add := func(lexeme string, pos int) {
		if _, ok := positions[lexeme]; !ok {
			order = append(order, lexeme)
		}
		positions[lexeme] = append(positions[lexeme], pos)
	}
	for i := range stems {
		// PostgreSQL keeps positions up to 16383 and at most 256 per lexeme.
		pos := min(i+1, 16383)
		add(stems[i], pos)
		if i < len(words) {
			add(wordPrefix+words[i], pos)
		}
	}
	var v strings.Builder
	for _, lex := range order {
		if v.Len() > 0 {
			v.WriteByte(' ')
		}
		v.WriteString("'" + lex + "':")
		ps := positions[lex]
		if len(ps) > 256 {
			ps = ps[:256]
		}
		last := -1
		first := true
		for _, p := range ps {
			if p == last {
				continue
			}
			if !first {
				v.WriteByte(',')
			}
			v.WriteString(itoa(p))
			last, first = p, false
		}
	}
	return v.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
