package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	biebplein "github.com/biebplein/biebplein"
)

// Limits of a query.
const (
	MaxQueryLen = 200 // characters
	MaxClauses  = 12
	MinPrefix   = 3 // a word typed so far is looked up as a prefix from this many letters
)

// Clause is one part of a query: a word, a quoted phrase, or either of them excluded.
type Clause struct {
	Tokens  []Token // one for a word; a phrase (or a word like "e-mail") has several
	Prefix  bool    // the last word is also looked up as the start of longer words
	Exclude bool    // -word: results must not contain it
	Typing  bool    // Prefix only because the query ended inside the word (not word*)
	// Completed says that Completions are every word of the index that starts with the
	// prefix (Query.Complete) but those with the prefix's own stem, which the stem finds, so
	// that a database may look those and the stem up instead of the prefix.
	Completed   bool
	Completions []string
}

// Query is a parsed search query. Every clause that is not excluded must match.
type Query struct {
	Clauses []Clause
}

// Parse reads a query as a person types it: words, "phrases in quotes", -word or -"phrase"
// to exclude, and word* for the start of a word. The last word is also a prefix unless the
// query ends with a space, so that results follow typing. Returns invalid
// (error.search_empty, error.search_only_excluded, error.search_too_long) with field q.
func Parse(s string) (Query, error) {
	if utf8.RuneCountInString(s) > MaxQueryLen {
		return Query{}, invalidQuery("error.search_too_long")
	}
	var q Query
	endsOpen := s != "" && !unicode.IsSpace(rune(s[len(s)-1])) && s[len(s)-1] != '"'
	rest := s
	for len(q.Clauses) < MaxClauses {
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		if rest == "" {
			break
		}
		var c Clause
		if rest[0] == '-' {
			c.Exclude = true
			rest = rest[1:]
		}
		var part string
		if rest != "" && rest[0] == '"' {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				part, rest = rest[1:], ""
			} else {
				part, rest = rest[1:end+1], rest[end+2:]
			}
		} else {
			end := strings.IndexFunc(rest, unicode.IsSpace)
			if end < 0 {
				end = len(rest)
			}
			part, rest = rest[:end], rest[end:]
			if strings.HasSuffix(part, "*") {
				c.Prefix = true
			} else if rest == "" && endsOpen && !c.Exclude {
				c.Prefix, c.Typing = true, true
			}
		}
		c.Tokens = Tokens(part)
		if len(c.Tokens) == 0 {
			continue
		}
		if c.Prefix && (len(c.Tokens[len(c.Tokens)-1].Word) < MinPrefix || c.Exclude) {
			c.Prefix, c.Typing = false, false
		}
		q.Clauses = append(q.Clauses, c)
	}
	positive := 0
	for _, c := range q.Clauses {
		if !c.Exclude {
			positive++
		}
	}
	if len(q.Clauses) == 0 {
		return Query{}, invalidQuery("error.search_empty")
	}
	if positive == 0 {
		return Query{}, invalidQuery("error.search_only_excluded")
	}
	return q, nil
}

// Typing reports whether the last word is looked up as a prefix only because the query ended
// inside it.
func (q Query) Typing() bool {
	for _, c := range q.Clauses {
		if c.Typing {
			return true
		}
	}
	return false
}

// TypingCompleted reports whether every word being typed was completed (Complete) to the
// words of the index it stands for, so that the query looks up whole words only.
func (q Query) TypingCompleted() bool {
	for _, c := range q.Clauses {
		if c.Typing && !c.Completed {
			return false
		}
	}
	return true
}

// Exact returns the query with the words that were being typed taken as whole words.
func (q Query) Exact() Query {
	out := Query{Clauses: make([]Clause, len(q.Clauses))}
	for i, c := range q.Clauses {
		if c.Typing {
			c.Prefix, c.Typing = false, false
		}
		out.Clauses[i] = c
	}
	return out
}

// FTS5 returns the query as an SQLite FTS5 MATCH expression on the columns stems and words.
// The terms are letters and digits only (Tokens), quoted all the same.
func (q Query) FTS5() string {
	var must, not []string
	for _, c := range q.Clauses {
		e := c.fts5()
		if c.Exclude {
			not = append(not, e)
		} else {
			must = append(must, e)
		}
	}
	s := strings.Join(must, " AND ")
	if len(not) > 0 {
		s = "(" + s + ")"
		for _, e := range not {
			s += " NOT " + e
		}
	}
	return s
}

func (c Clause) fts5() string {
	stems := make([]string, len(c.Tokens))
	for i, t := range c.Tokens {
		stems[i] = t.Stem
	}
	e := `stems:"` + strings.Join(stems, " ") + `"`
	if !c.Prefix {
		return e
	}
	// The prefix applies to the last word; the words before it are a phrase as typed.
	words := make([]string, len(c.Tokens))
	for i, t := range c.Tokens {
		words[i] = t.Word
	}
	if !c.Completed {
		return "(" + e + ` OR words:"` + strings.Join(words, " ") + `"*)`
	}
	// FTS5 reads a word's matches newest first as far as needed, where a prefix makes it
	// gather the matches of every word with the prefix before the first.
	alts := []string{e}
	for _, w := range c.Completions {
		words[len(words)-1] = w
		alts = append(alts, `words:"`+strings.Join(words, " ")+`"`)
	}
	return "(" + strings.Join(alts, " OR ") + ")"
}

// MaxCompletions is the most words a prefix is replaced by (Complete); a prefix that more
// words start with stays a prefix.
const MaxCompletions = 32

// Complete returns the query with each prefix replaced by the whole words it stands for, as
// words lists them: every word of the index starting with prefix, up to max (more, or an
// error, keeps the prefix). An empty list is a prefix nothing starts with.
func (q Query) Complete(words func(prefix string, max int) ([]string, error)) (Query, error) {
	out := Query{Clauses: slices.Clone(q.Clauses)}
	for i, c := range out.Clauses {
		if !c.Prefix {
			continue
		}
		list, err := words(c.Tokens[len(c.Tokens)-1].Word, MaxCompletions+1)
		if err != nil {
			return q, err
		}
		if len(list) > MaxCompletions {
			continue
		}
		// An entry holding a word holds its stem at the same place, so a word with the typed
		// word's stem ("subsidie" for "subsidie") adds nothing to the stem but work.
		stem := c.Tokens[len(c.Tokens)-1].Stem
		list = slices.DeleteFunc(list, func(w string) bool { return Stem(w) == stem })
		out.Clauses[i].Completed, out.Clauses[i].Completions = true, list
	}
	return out, nil
}

// Share estimates the share of the index's entries that match q, given the share that holds
// each term of TSQuery (a stem, or a folded word marked for prefixes): the rarest clause bounds
// all, a phrase by its rarest word, a completed prefix by its stem and completions together; a
// prefix left as a prefix counts as common (1). Excluded clauses do not count.
func (q Query) Share(term func(lexeme string) float64) float64 {
	share := 1.0
	for _, c := range q.Clauses {
		if c.Exclude {
			continue
		}
		for i, t := range c.Tokens {
			s := term(t.Stem)
			if c.Prefix && i == len(c.Tokens)-1 {
				if !c.Completed {
					continue
				}
				for _, w := range c.Completions {
					s += term(wordPrefix + w)
				}
			}
			share = min(share, s)
		}
	}
	return share
}

// TSQuery returns the query as a PostgreSQL tsquery literal for the vectors Analyze makes.
func (q Query) TSQuery() string {
	var parts []string
	for _, c := range q.Clauses {
		e := c.tsquery()
		if c.Exclude {
			e = "!" + e
		}
		parts = append(parts, e)
	}
	return strings.Join(parts, " & ")
}

func (c Clause) tsquery() string {
	stems := make([]string, len(c.Tokens))
	words := make([]string, len(c.Tokens))
	for i, t := range c.Tokens {
		stems[i] = "'" + t.Stem + "'"
		words[i] = "'" + wordPrefix + t.Word + "'"
	}
	e := strings.Join(stems, " <-> ")
	if len(stems) > 1 {
		e = "(" + e + ")"
	}
	if !c.Prefix {
		return e
	}
	if !c.Completed {
		words[len(words)-1] += ":*"
		return "(" + e + " | " + strings.Join(words, " <-> ") + ")"
	}
	// A GIN index gathers every match of a prefix; of words it can skip to the few it needs.
	alts := []string{e}
	for _, w := range c.Completions {
		words[len(words)-1] = "'" + wordPrefix + w + "'"
		alt := strings.Join(words, " <-> ")
		if len(words) > 1 {
			alt = "(" + alt + ")"
		}
		alts = append(alts, alt)
	}
	return "(" + strings.Join(alts, " | ") + ")"
}

// Stems lists the stems the query asks for (not the excluded ones), for scoring and marking.
func (q Query) Stems() []string {
	var out []string
	for _, c := range q.Clauses {
		if c.Exclude {
			continue
		}
		for _, t := range c.Tokens {
			out = append(out, t.Stem)
		}
	}
	return out
}

// Prefixes lists the words looked up as a prefix.
func (q Query) Prefixes() []string {
	var out []string
	for _, c := range q.Clauses {
		if c.Prefix && !c.Exclude {
			out = append(out, c.Tokens[len(c.Tokens)-1].Word)
		}
	}
	return out
}

func invalidQuery(key string) error {
	return &biebplein.Error{Code: biebplein.CodeInvalid, Message: key, Fields: map[string]string{"q": key}}
}
