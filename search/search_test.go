package search

import (
	"math"
	"strings"
	"testing"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

func TestStemsAndFolding(t *testing.T) {
	same := [][2]string{
		{"bibliotheken", "bibliotheek"},
		{"coöperatie", "cooperatie"},
		{"Kinderen", "kinderen"},
		{"taalhuizen", "taalhuizen"},
	}
	for _, p := range same {
		a, b := Tokens(p[0]), Tokens(p[1])
		if len(a) != 1 || len(b) != 1 || a[0].Stem != b[0].Stem {
			t.Errorf("%q and %q: stems %v and %v, want the same", p[0], p[1], a, b)
		}
	}
	if got := Tokens("BoekStart: 3 jaar, e-mail!"); len(got) != 5 || got[0].Word != "boekstart" || got[3].Word != "e" {
		t.Errorf("tokens = %+v", got)
	}
	long := strings.Repeat("a", MaxWordLen+1)
	if got := Tokens("kort " + long); len(got) != 1 {
		t.Errorf("a word over %d letters is indexed: %+v", MaxWordLen, got)
	}
}

func TestParse(t *testing.T) {
	cases := []struct {
		in, fts5, tsquery string
	}{
		{"bibliotheken ", `stems:"bibliothek"`, `'bibliothek'`},
		{"voorle", `(stems:"voorl" OR words:"voorle"*)`, `('voorl' | 'w:voorle':*)`},
		{`"met kinderen" -taal `, `(stems:"met kinder") NOT stems:"tal"`, `('met' <-> 'kinder') & !'tal'`},
		{"boek* jeugd ", `(stems:"boek" OR words:"boek"*) AND stems:"jeugd"`, `('boek' | 'w:boek':*) & 'jeugd'`},
		{"vo", `stems:"vo"`, `'vo'`}, // too short for a prefix
		{`"open`, `stems:"open"`, `'open'`},
	}
	for _, c := range cases {
		q, err := Parse(c.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.in, err)
		}
		if got := q.FTS5(); got != c.fts5 {
			t.Errorf("Parse(%q).FTS5() = %s, want %s", c.in, got, c.fts5)
		}
		if got := q.TSQuery(); got != c.tsquery {
			t.Errorf("Parse(%q).TSQuery() = %s, want %s", c.in, got, c.tsquery)
		}
	}
	for in, key := range map[string]string{
		"":                        "error.search_empty",
		`  "" !? `:                "error.search_empty",
		"-taal":                   "error.search_only_excluded",
		strings.Repeat("a ", 101): "error.search_too_long",
	} {
		_, err := Parse(in)
		if biebplein.ErrorCode(err) != biebplein.CodeInvalid || biebplein.ErrorFields(err)["q"] != key {
			t.Errorf("Parse(%q) = %v, want invalid %s on q", in, err, key)
		}
	}
}

func TestAnalyzeVector(t *testing.T) {
	d := Analyze("Voorlezen", "Wij lezen boeken, boeken!")
	if d.Stems != "voorlez wij lez boek boek" || d.TitleLen != 1 {
		t.Errorf("stems %q, title %d", d.Stems, d.TitleLen)
	}
	want := "'voorlez':1 'w:voorlezen':1 'wij':2 'w:wij':2 'lez':3 'w:lezen':3 'boek':4,5 'w:boeken':4,5"
	if d.Vector() != want {
		t.Errorf("vector\n got %s\nwant %s", d.Vector(), want)
	}
}

func TestScore(t *testing.T) {
	q, _ := Parse("voorlezen ")
	now := time.Now()
	title := Score(q, Analyze("Voorlezen", "over kinderen").Stems, 1, now, now)
	body := Score(q, Analyze("", "over kinderen en voorlezen").Stems, 0, now, now)
	old := Score(q, Analyze("", "over kinderen en voorlezen").Stems, 0, now.AddDate(-1, 0, 0), now)
	if !(title > body && body > old) {
		t.Errorf("scores: title %.3f, body %.3f, a year old %.3f; want them in that order", title, body, old)
	}
	typing, _ := Parse("voorle")
	hit := Score(typing, Analyze("", "de voorleesexpress komt").Stems, 0, now, now)
	miss := Score(typing, Analyze("", "de bibliotheek komt").Stems, 0, now, now)
	if hit <= miss {
		t.Errorf("a word starting with the prefix scores %.3f, none %.3f", hit, miss)
	}
}

// TestScoreFormula checks Score against its formula written out plainly (split the stems,
// count each asked-for token, title words three times) for queries of one and several words,
// phrases, prefixes and exclusions, over texts with and without a title.
func TestScoreFormula(t *testing.T) {
	plain := func(q Query, stems string, titleLen int, created, now time.Time) float64 {
		terms := strings.Fields(stems)
		score := 0.0
		for _, c := range q.Clauses {
			if c.Exclude {
				continue
			}
			for i, tok := range c.Tokens {
				prefix := c.Prefix && i == len(c.Tokens)-1
				tf := 0.0
				for j, term := range terms {
					if term == tok.Stem || (prefix && (strings.HasPrefix(term, tok.Stem) || strings.HasPrefix(term, tok.Word))) {
						if j < titleLen {
							tf += 3
						} else {
							tf++
						}
					}
				}
				score += tf * 2.2 / (tf + 1.2*(0.25+0.75*float64(len(terms))/40))
			}
		}
		return score + 0.5/(1+max(now.Sub(created).Hours()/24, 0)/90)
	}
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	docs := []Doc{
		Analyze("Voorlezen in de bibliotheek", "Wij lezen voor aan kinderen; voorlezen is leuk, voorleesexpress ook."),
		Analyze("", "over kinderen en voorlezen en nog eens voorlezen"),
		Analyze("Subsidie", ""),
		Analyze("", ""),
		Analyze("Bibliotheken", "de bibliotheek, bibliotheken en een bibliothecaris"),
	}
	for _, text := range []string{"voorlezen", "voorle", "kinderen voorlezen ", `"wij lezen" -subsidie`, "bibliotheek bibliothe", "subsidie*"} {
		q, err := Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range docs {
			created := now.AddDate(0, -i, 0)
			if got, want := Score(q, d.Stems, d.TitleLen, created, now), plain(q, d.Stems, d.TitleLen, created, now); got != want {
				t.Errorf("%q, text %d: score %v, want %v", text, i, got, want)
			}
		}
	}
}

func TestHighlight(t *testing.T) {
	q, _ := Parse("bibliotheken voorle")
	segs := Highlight("In de bibliotheek is de Voorleesexpress begonnen.", q, 200)
	var marked []string
	for _, s := range segs {
		if s.Mark {
			marked = append(marked, s.Text)
		}
	}
	if strings.Join(marked, "|") != "bibliotheek|Voorleesexpress" {
		t.Errorf("marked %q in %+v", marked, segs)
	}
	long := strings.Repeat("woord ", 100) + "bibliotheek " + strings.Repeat("eind ", 100)
	segs = Highlight(long, q, 80)
	var b strings.Builder
	found := false
	for _, s := range segs {
		b.WriteString(s.Text)
		found = found || s.Mark
	}
	if !found || len([]rune(b.String())) > 80+4 || !strings.HasPrefix(b.String(), "… ") {
		t.Errorf("snippet %q", b.String())
	}
}

func TestTypingPrefix(t *testing.T) {
	q, err := Parse("subsidie provin")
	if err != nil {
		t.Fatal(err)
	}
	if !q.Typing() || q.Exact().Typing() || q.Exact().Clauses[1].Prefix {
		t.Errorf("typing = %v, exact = %+v", q.Typing(), q.Exact())
	}
	if q.Exact().FTS5() != `stems:"subsidie" AND stems:"provin"` {
		t.Errorf("exact FTS5 = %s", q.Exact().FTS5())
	}
	star, _ := Parse("provin*")
	if star.Typing() || !star.Exact().Clauses[0].Prefix {
		t.Error("word* is a prefix whatever follows")
	}
}

// TestComplete: a prefix becomes the words it stands for (but those its stem finds), as a
// phrase's last word too; a
// prefix nothing starts with leaves the stem only; more than MaxCompletions words keep the
// prefix; a word typed whole (Exact) needs none.
func TestComplete(t *testing.T) {
	words := map[string][]string{
		"voorle": {"voorleesexpress", "voorlezen"},
		"zzz":    nil,
		"ver":    make([]string, MaxCompletions+1),
		// Words with the typed word's stem are found by the stem already.
		"subsidie": {"subsidie", "subsidieregeling"},
	}
	complete := func(prefix string, max int) ([]string, error) {
		if max != MaxCompletions+1 {
			t.Errorf("asked for %d words, want %d", max, MaxCompletions+1)
		}
		return words[prefix], nil
	}
	for in, want := range map[string][2]string{
		"voorle": {`(stems:"voorl" OR words:"voorleesexpress" OR words:"voorlezen")`,
			`('voorl' | 'w:voorleesexpress' | 'w:voorlezen')`},
		"subsidie": {`(stems:"subsidie" OR words:"subsidieregeling")`, `('subsidie' | 'w:subsidieregeling')`},
		"boek voorle*": {`stems:"boek" AND (stems:"voorl" OR words:"voorleesexpress" OR words:"voorlezen")`,
			`'boek' & ('voorl' | 'w:voorleesexpress' | 'w:voorlezen')`},
		"e-voorle": {`(stems:"e voorl" OR words:"e voorleesexpress" OR words:"e voorlezen")`,
			`(('e' <-> 'voorl') | ('w:e' <-> 'w:voorleesexpress') | ('w:e' <-> 'w:voorlezen'))`},
		"zzz":     {`(stems:"zzz")`, `('zzz')`},
		"ver":     {`(stems:"ver" OR words:"ver"*)`, `('ver' | 'w:ver':*)`},
		"voorle ": {`stems:"voorl"`, `'voorl'`},
	} {
		q, err := Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		c, err := q.Complete(complete)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.FTS5(); got != want[0] {
			t.Errorf("Complete(%q).FTS5() = %s, want %s", in, got, want[0])
		}
		if got := c.TSQuery(); got != want[1] {
			t.Errorf("Complete(%q).TSQuery() = %s, want %s", in, got, want[1])
		}
	}
	// "ver" has more words than MaxCompletions: it stays a prefix.
	for in, done := range map[string]bool{"voorle": true, "zzz": true, "ver": false, "voorlezen": true, "boukhari ": true, "ver ": true} {
		q, _ := Parse(in)
		c, _ := q.Complete(complete)
		if got := c.TypingCompleted(); got != done {
			t.Errorf("Complete(%q).TypingCompleted() = %v, want %v", in, got, done)
		}
	}
}

// Share takes the rarest clause, a phrase by its rarest word and a completed prefix by its
// stem and completions added up; excluded words and open prefixes do not narrow it.
func TestQueryShare(t *testing.T) {
	shares := map[string]float64{"subsidie": 0.04, "provincie": 0.02, "voorl": 0.01, "w:voorleesexpress": 0.002, "w:voorlezen": 0.003}
	term := func(l string) float64 { return shares[l] }
	complete := func(prefix string, _ int) ([]string, error) {
		if prefix == "voorle" {
			return []string{"voorleesexpress", "voorlezen"}, nil
		}
		return make([]string, MaxCompletions+1), nil
	}
	for in, want := range map[string]float64{
		"subsidie ":            0.04,
		"subsidie provincie ":  0.02,
		`"subsidie provincie"`: 0.02,
		"subsidie -provincie ": 0.04,
		"voorle":               0.015,
		"subsidie ver":         0.04,
		"zzz ":                 0,
	} {
		q, err := Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if q, err = q.Complete(complete); err != nil {
			t.Fatal(err)
		}
		if got := q.Share(term); math.Abs(got-want) > 1e-9 {
			t.Errorf("Share(%q) = %v, want %v", in, got, want)
		}
	}
}
