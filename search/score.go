package search

import (
	biebplein "github.com/biebplein/biebplein"
	"strings"
	"time"
	"unicode/utf8"
)

// Score rates how well a candidate matches: each asked-for stem counts by how often it occurs
// (with diminishing returns, relative to the length of the text, three times in the title),
// a little more for newer things. It is the same on both databases because it is computed
// here, from the stems the index holds; every candidate already matches the whole query.
func Score(q Query, stems string, titleLen int, created, now time.Time) float64 {
	// The asked-for tokens, each with its count in the text, in one pass over the text
	// without splitting it into a slice: a search scores hundreds of candidates (this was
	// a tenth of the server's CPU in a search on PostgreSQL).
	type asked struct {
		stem, word string
		prefix     bool
		tf         float64
	}
	var buf [8]asked
	toks := buf[:0]
	for _, c := range q.Clauses {
		if c.Exclude {
			continue
		}
		for i, tok := range c.Tokens {
			toks = append(toks, asked{stem: tok.Stem, word: tok.Word, prefix: c.Prefix && i == len(c.Tokens)-1})
		}
	}
	length := 0
	for rest := stems; rest != ""; {
		// The stems are words of letters and digits, one space apart (Doc.Stems).
		t := rest
		if i := strings.IndexByte(rest, ' '); i >= 0 {
			t, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		if t == "" {
			continue
		}
		weight := 1.0
		if length < titleLen {
			weight = 3
		}
		for k := range toks {
			a := &toks[k]
			if t == a.stem || (a.prefix && (strings.HasPrefix(t, a.stem) || strings.HasPrefix(t, a.word))) {
				a.tf += weight
			}
		}
		length++
	}
	score := 0.0
	for _, a := range toks {
		score += a.tf * 2.2 / (a.tf + 1.2*(0.25+0.75*float64(length)/40))
	}
	days := max(now.Sub(created).Hours()/24, 0)
	return score + 0.5/(1+days/90)
}

// Segment is a piece of a snippet; Mark says it is a matched word.
type Segment = biebplein.Segment

// Highlight returns at most max characters of text around its first match of q, split into
// segments with the matched words marked. Text without a match gives its beginning.
func Highlight(text string, q Query, max int) []Segment {
	return (*Analyzer)(nil).Highlight(text, q, max)
}

// Highlight is Highlight with the stems a remembers: the texts of a page of results are
// mostly words it has stemmed before.
func (a *Analyzer) Highlight(text string, q Query, max int) []Segment {
	text = strings.Join(strings.Fields(text), " ")
	stems := map[string]bool{}
	for _, s := range q.Stems() {
		stems[s] = true
	}
	prefixes := q.Prefixes()
	var marks []Token
	for _, t := range a.tokens(text) {
		ok := stems[t.Stem]
		for _, p := range prefixes {
			if strings.HasPrefix(t.Word, p) {
				ok = true
			}
		}
		if ok {
			marks = append(marks, t)
		}
	}
	start := 0
	if len(marks) > 0 && utf8.RuneCountInString(text[:marks[0].Start]) > max/3 {
		// Start a few words before the first match, at a word boundary.
		back := marks[0].Start
		for n := 0; back > 0 && n < max/4; n++ {
			_, size := utf8.DecodeLastRuneInString(text[:back])
			back -= size
		}
		if i := strings.IndexByte(text[back:marks[0].Start], ' '); i >= 0 {
			back += i + 1
		}
		start = back
	}
	end, n := len(text), 0
	for i := range text[start:] {
		if n == max {
			end = start + i
			break
		}
		n++
	}
	if end < len(text) {
		if i := strings.LastIndexByte(text[start:end], ' '); i > 0 {
			end = start + i
		}
	}
	var segs []Segment
	if start > 0 {
		segs = append(segs, Segment{Text: "… "})
	}
	pos := start
	for _, m := range marks {
		if m.Start < start || m.End > end {
			continue
		}
		if m.Start > pos {
			segs = append(segs, Segment{Text: text[pos:m.Start]})
		}
		segs = append(segs, Segment{Text: text[m.Start:m.End], Mark: true})
		pos = m.End
	}
	if pos < end {
		segs = append(segs, Segment{Text: text[pos:end]})
	}
	if end < len(text) {
		segs = append(segs, Segment{Text: " …"})
	}
	return segs
}
