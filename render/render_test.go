package render

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/biebplein/biebplein"
)

const base = "https://biebplein.example.nl"

// fakeResolver stands in for the store: it knows a few people and a group, matches
// case-insensitively, and records its calls.
type fakeResolver struct {
	mu    sync.Mutex
	calls [][]string
	err   error
}

var known = map[string]Mention{
	"anna de vries":     {Kind: "person", ID: "p1", Name: "Anna de Vries", URL: "/people/p1"},
	"anna":              {Kind: "person", ID: "p1", Name: "Anna de Vries", URL: "/people/p1"},
	"anna.devries":      {Kind: "person", ID: "p1", Name: "Anna de Vries", URL: "/people/p1"},
	"mohamed el amrani": {Kind: "person", ID: "p2", Name: "Mohamed El Amrani", URL: "/people/p2"},
	"jan van der berg":  {Kind: "person", ID: "p3", Name: "Jan van der Berg", URL: "/people/p3"},
	"jan":               {Kind: "person", ID: "p4", Name: "Jan Jansen", URL: "/people/p4"},
	"boekstart":         {Kind: "group", ID: "g1", Name: "BoekStart", URL: "/groups/g1"},
	"j_smit-2":          {Kind: "person", ID: "p5", Name: "Joke Smit", URL: "/people/p5"},
}

func (f *fakeResolver) ResolveMentions(ctx context.Context, candidates []string) (map[string]Mention, error) {
	f.mu.Lock()
	f.calls = append(f.calls, slices.Clone(candidates))
	f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	out := map[string]Mention{}
	for _, c := range candidates {
		if m, ok := known[strings.ToLower(c)]; ok {
			out[c] = m
		}
	}
	return out, nil
}

// MustRender renders body with a new fake resolver and fails the test on an error.
func MustRender(tb testing.TB, r *Renderer, body string) Result {
	tb.Helper()
	res, err := r.Render(context.Background(), body, &fakeResolver{})
	if err != nil {
		tb.Fatalf("Render(%q): %v", body, err)
	}
	return res
}

func newTestRenderer() *Renderer {
	return New(Options{BaseURL: base})
}

const rel = ` rel="nofollow noopener"`

func TestRenderHTML(t *testing.T) {
	r := newTestRenderer()
	for _, tc := range []struct {
		name, in, want string
	}{
		{"Paragraph", "Hallo allemaal", "<p>Hallo allemaal</p>"},
		{"Paragraphs", "Een\n\nTwee", "<p>Een</p>\n<p>Twee</p>"},
		{"NewlineIsBreak", "Een\nTwee", "<p>Een<br>\nTwee</p>"},
		{"HardBreak", "Een  \nTwee", "<p>Een<br>\nTwee</p>"},
		{"CRLF", "Een\r\nTwee", "<p>Een<br>\nTwee</p>"},
		{"Trimmed", "\n\n  Hallo  \n\n", "<p>Hallo</p>"},
		{"Bold", "**vet** en __ook__", "<p><strong>vet</strong> en <strong>ook</strong></p>"},
		{"Italic", "*schuin* en _ook_", "<p><em>schuin</em> en <em>ook</em></p>"},
		{"IntrawordUnderscore", "snake_case_naam", "<p>snake_case_naam</p>"},
		{"InlineCode", "typ `<b>` hier", "<p>typ <code>&lt;b&gt;</code> hier</p>"},
		{"BulletList", "- een\n- twee", "<ul>\n<li>een</li>\n<li>twee</li>\n</ul>"},
		{"StarList", "* een\n* twee", "<ul>\n<li>een</li>\n<li>twee</li>\n</ul>"},
		{"NumberedList", "1. een\n2. twee", "<ol>\n<li>een</li>\n<li>twee</li>\n</ol>"},
		{"NumberedFrom3", "3. drie\n4. vier", "<ol start=\"3\">\n<li>drie</li>\n<li>vier</li>\n</ol>"},
		{"NestedList", "- een\n  - half", "<ul>\n<li>een\n<ul>\n<li>half</li>\n</ul>\n</li>\n</ul>"},
		{"ListAfterParagraph", "Boodschappen:\n- brood", "<p>Boodschappen:</p>\n<ul>\n<li>brood</li>\n</ul>"},
		{"Blockquote", "> geciteerd\n\nantwoord", "<blockquote>\n<p>geciteerd</p>\n</blockquote>\n<p>antwoord</p>"},
		{"Link", "[De Bieb](https://bieb.nl/agenda)", `<p><a href="https://bieb.nl/agenda"` + rel + `>De Bieb</a></p>`},
		{"LinkWithTitleDropsTitle", `[x](https://bieb.nl "titel")`, `<p><a href="https://bieb.nl"` + rel + `>x</a></p>`},
		{"LinkRelative", "[groep](/groups/1)", `<p><a href="/groups/1"` + rel + `>groep</a></p>`},
		{"LinkOwnSiteBecomesRelative", "[groep](https://biebplein.example.nl/groups/1?tab=leden#top)", `<p><a href="/groups/1?tab=leden#top"` + rel + `>groep</a></p>`},
		{"LinkOwnSiteRoot", "[home](https://BIEBPLEIN.example.nl)", `<p><a href="/"` + rel + `>home</a></p>`},
		{"LinkProtocolRelative", "[x](//bieb.nl/a)", `<p><a href="https://bieb.nl/a"` + rel + `>x</a></p>`},
		{"LinkMailto", "[mail Anna](mailto:anna@bieb.nl)", `<p><a href="mailto:anna@bieb.nl"` + rel + `>mail Anna</a></p>`},
		{"LinkReference", "[agenda][a]\n\n[a]: https://bieb.nl/agenda", `<p><a href="https://bieb.nl/agenda"` + rel + `>agenda</a></p>`},
		{"LinkEmptyIsText", "[leeg]()", "<p>leeg</p>"},
		{"LinkFtpIsText", "[bestand](ftp://bieb.nl/a)", "<p>bestand</p>"},
		{"LinkNonASCII", "[zoek](https://bieb.nl/zoek?q=café)", `<p><a href="https://bieb.nl/zoek?q=caf%C3%A9"` + rel + `>zoek</a></p>`},
		{"BareURL", "Zie https://bieb.nl/agenda.", `<p>Zie <a href="https://bieb.nl/agenda"` + rel + `>https://bieb.nl/agenda</a>.</p>`},
		{"BareURLInParentheses", "(zie https://bieb.nl)", `<p>(zie <a href="https://bieb.nl"` + rel + `>https://bieb.nl</a>)</p>`},
		{"BareURLWithAnchor", "https://bieb.nl/#agenda", `<p><a href="https://bieb.nl/#agenda"` + rel + `>https://bieb.nl/#agenda</a></p>`},
		{"BareWWW", "www.bieb.nl", `<p><a href="https://www.bieb.nl"` + rel + `>www.bieb.nl</a></p>`},
		{"BareOwnSite", "https://biebplein.example.nl/posts/9", `<p><a href="/posts/9"` + rel + `>https://biebplein.example.nl/posts/9</a></p>`},
		{"BareFtpNotLinked", "ftp://bieb.nl/a", "<p>ftp://bieb.nl/a</p>"},
		{"BareEmail", "Mail anna@bieb.nl.", `<p>Mail <a href="mailto:anna@bieb.nl"` + rel + `>anna@bieb.nl</a>.</p>`},
		{"AngleAutolink", "<https://bieb.nl>", `<p><a href="https://bieb.nl"` + rel + `>https://bieb.nl</a></p>`},
		{"ImageBecomesLink", "![poster](https://bieb.nl/p.png)", `<p><a href="https://bieb.nl/p.png"` + rel + `>poster</a></p>`},
		{"ImageWithoutAlt", "![](https://bieb.nl/p.png)", `<p><a href="https://bieb.nl/p.png"` + rel + `>https://bieb.nl/p.png</a></p>`},
		{"HeadingIsText", "# Kop", "<p># Kop</p>"},
		{"SubheadingIsText", "## Kop\ntekst", "<p>## Kop<br>\ntekst</p>"},
		{"SetextHeadingIsText", "Kop\n===", "<p>Kop<br>\n===</p>"},
		{"ThematicBreakIsText", "een\n\n---\n\ntwee", "<p>een</p>\n<p>---</p>\n<p>twee</p>"},
		{"IndentedCodeIsText", "    code()", "<p>code()</p>"},
		{"FenceIsNoBlock", "```\nx := 1\n```", "<p><code>x := 1</code></p>"},
		{"TableIsText", "| a | b |\n|---|---|\n| 1 | 2 |", "<p>| a | b |<br>\n|---|---|<br>\n| 1 | 2 |</p>"},
		{"StrikethroughIsText", "~~weg~~", "<p>~~weg~~</p>"},
		{"RawHTMLIsText", "<b>vet</b>", "<p>&lt;b&gt;vet&lt;/b&gt;</p>"},
		{"RawHTMLBlockIsText", "<div>\nblok\n</div>", "<p>&lt;div&gt;<br>\nblok<br>\n&lt;/div&gt;</p>"},
		{"EntityStaysText", "&lt;b&gt; &amp; &eacute;", "<p>&lt;b&gt; &amp; é</p>"},
		{"Quotes", `"Anna's" boek`, "<p>&#34;Anna&#39;s&#34; boek</p>"},
		{"BackslashEscape", `\*geen nadruk\*`, "<p>*geen nadruk*</p>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := MustRender(t, r, tc.in).HTML
			if got != tc.want {
				t.Fatalf("Render(%q).HTML =\n%s\nwant\n%s", tc.in, got, tc.want)
			}
		})
	}
}

func TestRenderText(t *testing.T) {
	r := newTestRenderer()
	for _, tc := range []struct {
		name, in, want string
	}{
		{"Paragraphs", "Een\n\n\nTwee", "Een\n\nTwee"},
		{"LineBreaks", "Een\nTwee  \nDrie", "Een\nTwee\nDrie"},
		{"Emphasis", "**vet** en *schuin* en `code`", "vet en schuin en code"},
		{"Entities", "&lt;b&gt; &amp; &eacute; &#39; &#x27; \\*", "<b> & é ' ' *"},
		{"ControlReference", "a&#1;b", "a\uFFFDb"},
		{"Bullets", "Lijst:\n- een\n- twee", "Lijst:\n\n- een\n- twee"},
		{"Numbers", "3. drie\n4. vier", "3. drie\n4. vier"},
		{"NestedList", "- een\n  - half\n- twee", "- een\n  - half\n- twee"},
		{"LooseListItem", "- een\n\n  nog een alinea\n- twee", "- een\n  nog een alinea\n- twee"},
		{"Blockquote", "> een\n> twee\n\nantwoord", "> een\n> twee\n\nantwoord"},
		{"LinkDiffers", "[De Bieb](https://bieb.nl)", "De Bieb (https://bieb.nl)"},
		{"LinkSame", "[https://bieb.nl](https://bieb.nl)", "https://bieb.nl"},
		{"BareURL", "zie https://bieb.nl.", "zie https://bieb.nl."},
		{"BareWWW", "zie www.bieb.nl", "zie www.bieb.nl"},
		{"Email", "mail anna@bieb.nl", "mail anna@bieb.nl"},
		{"Mailto", "[Anna](mailto:anna@bieb.nl)", "Anna (anna@bieb.nl)"},
		{"OwnSiteAbsolute", "[groep](/groups/1)", "groep (https://biebplein.example.nl/groups/1)"},
		{"Image", "![poster](https://bieb.nl/p.png)", "poster (https://bieb.nl/p.png)"},
		{"Mentions", "Hoi @anna en @Piet", "Hoi @Anna de Vries en @Piet"},
		{"Topics", "Over #BoekStart", "Over #BoekStart"},
		{"RawHTMLAsTyped", "<b>vet</b>", "<b>vet</b>"},
		{"Heading", "# Kop\ntekst", "# Kop\ntekst"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := MustRender(t, r, tc.in).Text
			if got != tc.want {
				t.Fatalf("Render(%q).Text =\n%q\nwant\n%q", tc.in, got, tc.want)
			}
		})
	}
}

func TestRenderMentions(t *testing.T) {
	r := newTestRenderer()
	anna := `<a class="mention" href="/people/p1"` + rel + `>@Anna de Vries</a>`
	for _, tc := range []struct {
		name     string
		in       string
		wantHTML string
		wantIDs  []string
	}{
		{"FullName", "@Anna de Vries vandaag", "<p>" + anna + " vandaag</p>", []string{"p1"}},
		{"FullNameBeforePunctuation", "Dank, @Anna de Vries!", "<p>Dank, " + anna + "!</p>", []string{"p1"}},
		{"CapitalisedParticle", "@Mohamed El Amrani komt", `<p><a class="mention" href="/people/p2"` + rel + `>@Mohamed El Amrani</a> komt</p>`, []string{"p2"}},
		{"TwoParticles", "met @Jan van der Berg.", `<p>met <a class="mention" href="/people/p3"` + rel + `>@Jan van der Berg</a>.</p>`, []string{"p3"}},
		{"ShorterPrefix", "@Jan Vandaag", `<p><a class="mention" href="/people/p4"` + rel + `>@Jan Jansen</a> Vandaag</p>`, []string{"p4"}},
		{"Handle", "vraag @anna", "<p>vraag " + anna + "</p>", []string{"p1"}},
		{"HandleWithDot", "vraag @anna.devries.", "<p>vraag " + anna + ".</p>", []string{"p1"}},
		{"HandleWithDashUnderscore", "cc @j_smit-2", `<p>cc <a class="mention" href="/people/p5"` + rel + `>@Joke Smit</a></p>`, []string{"p5"}},
		{"Group", "@BoekStart leden", `<p><a class="mention" href="/groups/g1"` + rel + `>@BoekStart</a> leden</p>`, []string{"g1"}},
		{"InEmphasis", "**@anna**", "<p><strong>" + anna + "</strong></p>", []string{"p1"}},
		{"InListAndQuote", "- @anna\n\n> @anna", "<ul>\n<li>" + anna + "</li>\n</ul>\n<blockquote>\n<p>" + anna + "</p>\n</blockquote>", []string{"p1"}},
		{"Distinct", "@anna en @Anna de Vries en @BoekStart", "<p>" + anna + " en " + anna + ` en <a class="mention" href="/groups/g1"` + rel + `>@BoekStart</a></p>`, []string{"p1", "g1"}},
		{"Unresolved", "@Piet Paaltjens en @nobody", "<p>@Piet Paaltjens en @nobody</p>", nil},
		{"NotInEmail", "anna@bieb.nl", `<p><a href="mailto:anna@bieb.nl"` + rel + `>anna@bieb.nl</a></p>`, nil},
		{"NotAfterWord", "info@anna", "<p>info@anna</p>", nil},
		{"NotInLinkText", "[@anna](https://bieb.nl)", `<p><a href="https://bieb.nl"` + rel + `>@anna</a></p>`, nil},
		{"NotInCode", "`@anna`", "<p><code>@anna</code></p>", nil},
		{"NotEscaped", `\@anna`, "<p>@anna</p>", nil},
		{"NotInURL", "https://bieb.nl/@anna", `<p><a href="https://bieb.nl/@anna"` + rel + `>https://bieb.nl/@anna</a></p>`, nil},
		{"LoneAt", "@ en @@", "<p>@ en @@</p>", nil},
		{"AcrossLinesNot", "@Anna\nde Vries", "<p>" + anna + "<br>\nde Vries</p>", []string{"p1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := r.Render(context.Background(), tc.in, &fakeResolver{})
			if err != nil {
				t.Fatal(err)
			}
			if res.HTML != tc.wantHTML {
				t.Fatalf("HTML =\n%s\nwant\n%s", res.HTML, tc.wantHTML)
			}
			var ids []string
			for _, m := range res.Mentions {
				ids = append(ids, m.ID)
			}
			if !slices.Equal(ids, tc.wantIDs) {
				t.Fatalf("mention ids = %v, want %v", ids, tc.wantIDs)
			}
		})
	}
}

func TestRenderResolverCalls(t *testing.T) {
	r := newTestRenderer()
	t.Run("OnceWithAllCandidates", func(t *testing.T) {
		f := &fakeResolver{}
		body := "@Anna de Vries vandaag, @Mohamed El Amrani en @BoekStart; ook @anna.devries en nog eens @Anna de Vries"
		if _, err := r.Render(context.Background(), body, f); err != nil {
			t.Fatal(err)
		}
		if len(f.calls) != 1 {
			t.Fatalf("resolver called %d times, want 1", len(f.calls))
		}
		want := []string{"Anna de Vries", "Anna", "Mohamed El Amrani", "Mohamed El", "Mohamed", "BoekStart", "anna.devries"}
		if got := f.calls[0]; !slices.Equal(got, want) {
			t.Fatalf("candidates = %q, want %q", got, want)
		}
	})
	t.Run("NotCalledWithoutMentions", func(t *testing.T) {
		f := &fakeResolver{}
		if _, err := r.Render(context.Background(), "anna@bieb.nl, [@anna](/x) en `@anna`", f); err != nil {
			t.Fatal(err)
		}
		if len(f.calls) != 0 {
			t.Fatalf("resolver called %d times with %q, want 0", len(f.calls), f.calls)
		}
	})
	t.Run("ErrorIsReturned", func(t *testing.T) {
		boom := errors.New("database down")
		_, err := r.Render(context.Background(), "@anna", &fakeResolver{err: boom})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want %v", err, boom)
		}
	})
	t.Run("NilResolver", func(t *testing.T) {
		res, err := r.Render(context.Background(), "@anna", nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.HTML != "<p>@anna</p>" || res.Mentions != nil {
			t.Fatalf("got %q %v, want plain text and no mentions", res.HTML, res.Mentions)
		}
	})
	t.Run("CandidatesBounded", func(t *testing.T) {
		f := &fakeResolver{}
		var b strings.Builder
		for i := range 2 * maxCandidates {
			fmt.Fprintf(&b, "@h%d ", i)
		}
		if _, err := r.Render(context.Background(), b.String(), f); err != nil {
			t.Fatal(err)
		}
		if len(f.calls) != 1 || len(f.calls[0]) != maxCandidates {
			t.Fatalf("calls = %d with %d candidates, want 1 with %d", len(f.calls), len(f.calls[0]), maxCandidates)
		}
	})
}

func TestRenderTopics(t *testing.T) {
	r := New(Options{TopicURL: func(topic string) string { return "/topics/" + topic }})
	for _, tc := range []struct {
		name     string
		in       string
		wantHTML string
		want     []string
	}{
		{"Word", "#leesplezier", `<p><a class="topic" href="/topics/leesplezier"` + rel + `>#leesplezier</a></p>`, []string{"leesplezier"}},
		{"CaseKeptInTextLoweredInTopic", "over #BoekStart.", `<p>over <a class="topic" href="/topics/boekstart"` + rel + `>#BoekStart</a>.</p>`, []string{"boekstart"}},
		{"Diacritics", "#coöperatie", `<p><a class="topic" href="/topics/co%C3%B6peratie"` + rel + `>#coöperatie</a></p>`, []string{"coöperatie"}},
		{"DecomposedBecomesNFC", "#coo\u0308peratie", `<p><a class="topic" href="/topics/co%C3%B6peratie"` + rel + `>#coöperatie</a></p>`, []string{"coöperatie"}},
		{"DashUnderscoreDigits", "#lees_plezier-2026-", `<p><a class="topic" href="/topics/lees_plezier-2026"` + rel + `>#lees_plezier-2026</a>-</p>`, []string{"lees_plezier-2026"}},
		{"DistinctInOrder", "#b #a #B", "", []string{"b", "a"}},
		{"InParentheses", "(#a)", `<p>(<a class="topic" href="/topics/a"` + rel + `>#a</a>)</p>`, []string{"a"}},
		{"HeadingMarkerNot", "# Titel", "<p># Titel</p>", nil},
		{"DoubleHashNot", "##Titel", "<p>##Titel</p>", nil},
		{"AtLineStart", "#Titel", `<p><a class="topic" href="/topics/titel"` + rel + `>#Titel</a></p>`, []string{"titel"}},
		{"NumberNot", "we zijn #1", "<p>we zijn #1</p>", nil},
		{"AfterWordNot", "C# en F#", "<p>C# en F#</p>", nil},
		{"EntityNot", "it&#39;s", "<p>it&#39;s</p>", nil},
		{"URLFragmentNot", "https://x.nl/#anker", `<p><a href="https://x.nl/#anker"` + rel + `>https://x.nl/#anker</a></p>`, nil},
		{"PathFragmentNot", "x.nl/#anker", "<p>x.nl/#anker</p>", nil},
		{"LinkTextNot", "[#a](https://x.nl)", `<p><a href="https://x.nl"` + rel + `>#a</a></p>`, nil},
		{"LinkDestinationNot", "[a](https://x.nl/#b)", `<p><a href="https://x.nl/#b"` + rel + `>a</a></p>`, nil},
		{"CodeNot", "`#a`", "<p><code>#a</code></p>", nil},
		{"EscapedNot", `\#a`, "<p>#a</p>", nil},
		{"TooLongNot", "#" + strings.Repeat("a", 51), "<p>#" + strings.Repeat("a", 51) + "</p>", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := MustRender(t, r, tc.in)
			if tc.wantHTML != "" && res.HTML != tc.wantHTML {
				t.Fatalf("HTML =\n%s\nwant\n%s", res.HTML, tc.wantHTML)
			}
			if !slices.Equal(res.Topics, tc.want) {
				t.Fatalf("Topics = %q, want %q", res.Topics, tc.want)
			}
		})
	}
	t.Run("DefaultURL", func(t *testing.T) {
		got := MustRender(t, New(Options{}), "#BoekStart").HTML
		want := `<p><a class="topic" href="/search?q=%23boekstart"` + rel + `>#BoekStart</a></p>`
		if got != want {
			t.Fatalf("HTML = %s, want %s", got, want)
		}
	})
}

func TestRenderLinks(t *testing.T) {
	r := newTestRenderer()
	body := "[a](https://x.nl/a) https://x.nl/a <https://y.nl> www.z.nl\n" +
		"[eigen](https://biebplein.example.nl/groups/1) [rel](/posts/2) [pad](groepen) " +
		"[mail](mailto:a@b.nl) c@d.nl [js](javascript:alert(1)) ![img](https://x.nl/p.png)"
	got := MustRender(t, r, body).Links
	want := []string{"https://x.nl/a", "https://y.nl", "https://www.z.nl", "/groups/1", "/posts/2", "https://x.nl/p.png"}
	if !slices.Equal(got, want) {
		t.Fatalf("Links = %q, want %q", got, want)
	}
}

func TestRenderInvalid(t *testing.T) {
	r := New(Options{MaxLen: 10})
	for _, tc := range []struct {
		name, in, key string
	}{
		{"Empty", "", "error.body_required"},
		{"Blank", " \n\t\n ", "error.body_required"},
		{"InvalidUTF8", "hallo\xff", "error.body_invalid"},
		{"NUL", "hal\x00lo", "error.body_invalid"},
		{"Escape", "hal\x1b[31mlo", "error.body_invalid"},
		{"DEL", "hal\x7flo", "error.body_invalid"},
		{"C1", "hal\u0085lo", "error.body_invalid"},
		{"TooLong", "12345678901", "error.body_too_long"},
		{"TooLongCharacters", strings.Repeat("é", 11), "error.body_too_long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.Render(context.Background(), tc.in, &fakeResolver{})
			if biebplein.ErrorCode(err) != biebplein.CodeInvalid {
				t.Fatalf("code = %q (%v), want invalid", biebplein.ErrorCode(err), err)
			}
			if got := biebplein.ErrorFields(err)["body"]; got != tc.key {
				t.Fatalf("fields = %v, want body: %s", biebplein.ErrorFields(err), tc.key)
			}
		})
	}
	t.Run("AtLimit", func(t *testing.T) {
		MustRender(t, r, strings.Repeat("é", 10))
		MustRender(t, r, "1234\t\n6789")
	})
	t.Run("DefaultLimit", func(t *testing.T) {
		r := New(Options{})
		MustRender(t, r, strings.Repeat("a", DefaultMaxLen))
		if _, err := r.Render(context.Background(), strings.Repeat("a", DefaultMaxLen+1), nil); biebplein.ErrorFields(err)["body"] != "error.body_too_long" {
			t.Fatalf("err = %v, want body_too_long", err)
		}
	})
}

// TestRenderConcurrent renders from 16 goroutines at once; run with -race.
func TestRenderConcurrent(t *testing.T) {
	r := newTestRenderer()
	bodies := []string{
		benchBody,
		"@Anna de Vries en #leesplezier op https://bieb.nl",
		"- een\n- twee [link](https://biebplein.example.nl/x)",
		"<script>alert(1)</script> **vet**",
	}
	want := make([]Result, len(bodies))
	for i, b := range bodies {
		want[i] = MustRender(t, r, b)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := &fakeResolver{}
			for i := range 50 {
				n := (g + i) % len(bodies)
				got, err := r.Render(context.Background(), bodies[n], f)
				if err != nil {
					errs <- err
					return
				}
				if got.HTML != want[n].HTML || got.Text != want[n].Text || !slices.Equal(got.Topics, want[n].Topics) {
					errs <- fmt.Errorf("body %d rendered differently under concurrency:\n%s\nwant\n%s", n, got.HTML, want[n].HTML)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// benchBody is a typical post: about 600 characters, two mentions, two topics, a list and a
// link.
const benchBody = `Goedemorgen allemaal! Vorige week hadden we in de bibliotheek van Zwolle een voorleesochtend
voor peuters, samen met @Anna de Vries van het consultatiebureau. Het was een groot succes:

- 23 ouders met hun kinderen
- drie nieuwe aanmeldingen voor het *BoekStart*-koffertje
- een **prachtige** tekening voor de kinderhoek

Wie wil er volgende keer meedoen? @Mohamed El Amrani heeft de planning. Het programma staat op
[onze agenda](https://www.bibliotheekzwolle.nl/agenda) en de foto's delen we later,
zodra alle ouders toestemming hebben gegeven. Tips voor nieuwe prentenboeken zijn welkom!

#leesplezier #BoekStart`

func BenchmarkRender(b *testing.B) {
	r := newTestRenderer()
	f := &fakeResolver{}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		f.calls = f.calls[:0]
		res, err := r.Render(ctx, benchBody, f)
		if err != nil || len(res.Mentions) != 2 || len(res.Topics) != 2 || len(res.Links) != 1 {
			b.Fatalf("Render: %v %v %v %v", err, res.Mentions, res.Topics, res.Links)
		}
	}
}

func TestRenderDeepNestingFlattened(t *testing.T) {
	r := newTestRenderer()
	for _, tc := range []struct {
		name, in, tag string
	}{
		{"Quotes", strings.Repeat(">", 1000) + " diep", "<blockquote>"},
		{"Lists", strings.Repeat("- ", 1000) + "diep", "<ul>"},
		{"Emphasis", strings.Repeat("*", 1000) + "diep" + strings.Repeat("*", 1000), "<strong>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := MustRender(t, r, tc.in)
			if n := strings.Count(res.HTML, tc.tag); n == 0 || n > maxNesting {
				t.Fatalf("%d %s elements, want 1 to %d", n, tc.tag, maxNesting)
			}
			if !strings.Contains(res.HTML, "diep") || !strings.Contains(res.Text, "diep") {
				t.Fatalf("content lost: %q / %q", res.HTML, res.Text)
			}
			if err := checkSafe(res.HTML); err != nil {
				t.Fatal(err)
			}
		})
	}
}
