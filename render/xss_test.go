package render

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// allowed lists the elements the renderer may emit and the attributes each may have.
var allowed = map[string]map[string]bool{
	"p": {}, "br": {}, "strong": {}, "em": {}, "code": {}, "ul": {}, "li": {}, "blockquote": {},
	"ol": {"start": true},
	"a":  {"href": true, "class": true, "rel": true},
}

// checkSafe reports the first way in which s is not HTML the renderer may emit: a token
// that is not an allowed element or escaped text, an unbalanced tag, an attribute outside the
// allow-list (so no on* and no style), or a link to a javascript:, data: or vbscript: URL. It
// checks both the token stream and the tree a browser's parser would build.
func checkSafe(s string) error {
	z := html.NewTokenizer(strings.NewReader(s))
	var open []string
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if !errors.Is(z.Err(), io.EOF) {
				return z.Err()
			}
			if len(open) > 0 {
				return fmt.Errorf("unclosed %v", open)
			}
			return checkTree(s)
		case html.TextToken:
			if strings.ContainsAny(string(z.Raw()), "<>") {
				return fmt.Errorf("unescaped < or > in text %q", z.Raw())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if err := checkElement(tok.Data, tok.Attr); err != nil {
				return err
			}
			if tt == html.StartTagToken && tok.Data != "br" {
				open = append(open, tok.Data)
			}
		case html.EndTagToken:
			tok := z.Token()
			if len(open) == 0 || open[len(open)-1] != tok.Data {
				return fmt.Errorf("unbalanced </%s> with %v open", tok.Data, open)
			}
			open = open[:len(open)-1]
		default:
			return fmt.Errorf("unexpected token %q", z.Raw())
		}
	}
}

// checkTree parses s as the content of a body element and checks every element.
func checkTree(s string) error {
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(s), ctx)
	if err != nil {
		return err
	}
	var walk func(*html.Node) error
	walk = func(n *html.Node) error {
		switch n.Type {
		case html.ElementNode:
			if err := checkElement(n.Data, n.Attr); err != nil {
				return err
			}
		case html.TextNode:
		default:
			return fmt.Errorf("unexpected node type %d", n.Type)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	for _, n := range nodes {
		if err := walk(n); err != nil {
			return err
		}
	}
	return nil
}

func checkElement(name string, attrs []html.Attribute) error {
	allowedAttrs, ok := allowed[name]
	if !ok {
		return fmt.Errorf("element <%s> not allowed", name)
	}
	for _, a := range attrs {
		key := strings.ToLower(a.Key)
		switch {
		case strings.HasPrefix(key, "on"):
			return fmt.Errorf("event handler %s=%q on <%s>", a.Key, a.Val, name)
		case key == "style":
			return fmt.Errorf("style attribute on <%s>", name)
		case !allowedAttrs[key]:
			return fmt.Errorf("attribute %s on <%s> not allowed", a.Key, name)
		case key == "href":
			// Browsers ignore tabs and newlines in URLs and leading spaces and controls.
			v := strings.ToLower(strings.Map(func(r rune) rune {
				if r == '\t' || r == '\n' || r == '\r' {
					return -1
				}
				return r
			}, a.Val))
			v = strings.TrimLeft(v, " \x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f")
			for _, bad := range []string{"javascript:", "data:", "vbscript:"} {
				if strings.HasPrefix(v, bad) {
					return fmt.Errorf("href %q", a.Val)
				}
			}
		case key == "class" && a.Val != "mention" && a.Val != "topic":
			return fmt.Errorf("class %q", a.Val)
		case key == "rel" && a.Val != relAttr:
			return fmt.Errorf("rel %q", a.Val)
		}
	}
	return nil
}

func TestCheckSafeCatches(t *testing.T) {
	// The checker must be able to fail, or the tests that use it prove nothing.
	for _, s := range []string{
		`<script>alert(1)</script>`,
		`<p onclick="x">a</p>`,
		`<p style="color:red">a</p>`,
		`<a href=" JavaScript:alert(1)">a</a>`,
		`<a href="java&#x09;script:alert(1)">a</a>`,
		`<a href="data:text/html,x">a</a>`,
		`<a href="VBSCRIPT:x">a</a>`,
		`<a class="evil" href="/">a</a>`,
		`<img src=x>`,
		`<p>a<strong>b</p></strong>`,
		`<p>open`,
		`<p>a</p></li>`,
		`<!-- c -->`,
		`a < b`,
	} {
		if checkSafe(s) == nil {
			t.Errorf("checkSafe(%q) = nil, want an error", s)
		}
	}
	if err := checkSafe(`<p>a &lt;b&gt;<br><a class="mention" href="/x" rel="nofollow noopener">@A</a></p>`); err != nil {
		t.Errorf("checkSafe rejects safe HTML: %v", err)
	}
}

// xssBodies are attacks on the renderer. Each must come out as allowed elements and text.
var xssBodies = []struct {
	name string
	in   string
	// strict: the attack is in a link destination, so its payload must not appear at all.
	strict bool
}{
	{"ScriptTag", `<script>alert(1)</script>`, false},
	{"ScriptTagUpper", `<SCRIPT SRC=//evil.example/x.js></SCRIPT>`, false},
	{"ScriptInList", "- <script>alert(1)</script>\n- b", false},
	{"ImgOnerror", `<img src=x onerror=alert(1)>`, false},
	{"ImgOnerrorInEmphasis", `**<img src=x onerror=alert(1)>**`, false},
	{"SVG", `<svg onload=alert(1)><script>alert(1)</script></svg>`, false},
	{"SVGInLinkText", `[<svg onload=alert(1)>](https://x.nl)`, false},
	{"Iframe", `<iframe src="javascript:alert(1)"></iframe>`, false},
	{"StyleTag", `<style>body{display:none}</style>`, false},
	{"StyleAttr", `<p style="background:url(javascript:alert(1))">x</p>`, false},
	{"EventHandler", `<b onmouseover="alert(1)">x</b>`, false},
	{"Unbalanced", "<div><p><b>open\n\n</i></p></blockquote>", false},
	{"RawAnchor", `<a href="javascript:alert(1)">klik</a>`, false},
	{"RawAnchorMixedCase", `<A HREF="JaVaScRiPt:alert(1)">klik</A>`, false},
	{"Comment", `<!-- <script>alert(1)</script> -->`, false},
	{"CDATA", `<![CDATA[<script>alert(1)</script>]]>`, false},
	{"FormButton", `<form action="javascript:alert(1)"><button>x</button></form>`, false},
	{"HTMLBlock", "<div\nonclick=alert(1)>\nx\n</div>", false},
	{"EntityTags", `&lt;script&gt;alert(1)&lt;/script&gt; &#60;img src=x onerror=alert(1)&#62;`, false},
	{"LinkJavascript", `[klik](javascript:alert(1))`, true},
	{"LinkJavascriptMixedCase", `[klik](JaVaScRiPt:alert(1))`, true},
	{"LinkJavascriptEntity", `[klik](jav&#x61;script:alert(1))`, true},
	{"LinkJavascriptEntityColon", `[klik](javascript&#58;alert(1))`, true},
	{"LinkJavascriptEntityColonNamed", `[klik](javascript&colon;alert(1))`, true},
	{"LinkJavascriptEntityFirst", `[klik](&#106;avascript:alert(1))`, true},
	{"LinkJavascriptDoubleEntity", `[klik](jav&amp;#x61;script&amp;#x3a;alert(1))`, true},
	{"LinkJavascriptEscaped", `[klik](javascript\:alert(1))`, true},
	{"LinkJavascriptAngle", `[klik](<javascript:alert(1)>)`, true},
	{"LinkJavascriptSpace", `[klik](< javascript:alert(1)>)`, true},
	{"LinkJavascriptTabEntity", `[klik](java&#9;script:alert(1))`, true},
	{"LinkJavascriptNewlineEntity", `[klik](java&#10;script:alert(1))`, true},
	{"LinkJavascriptComment", `[klik](javascript://%0aalert(1))`, true},
	{"LinkData", `[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`, true},
	{"LinkDataUpper", `[klik](DATA:text/html,x)`, true},
	{"LinkVBScript", `[klik](vbscript:msgbox(1))`, true},
	{"LinkVBScriptMixedCase", `[klik](VbScRiPt:msgbox(1))`, true},
	{"LinkReference", "[klik][x]\n\n[x]: javascript:alert(1)", true},
	{"Autolink", `<javascript:alert(1)>`, true},
	{"AutolinkUpper", `<JAVASCRIPT:alert(1)>`, true},
	{"AutolinkData", `<data:text/html,alert(1)>`, true},
	{"AutolinkVBScript", `<vbscript:msgbox(1)>`, true},
	{"ImageJavascript", `![x](javascript:alert(1))`, true},
	{"ImageJavascriptDoubleEntity", `![x](jav&amp;#x61;script&amp;#x3a;alert(1))`, true},
	{"ImageData", `![x](data:image/png;base64,AAAA)`, true},
	{"ImageSVGData", `![x](data:image/svg+xml;base64,PHN2Zz4=)`, true},
	{"TitleQuotes", `[x](https://x.nl "\" onmouseover=\"alert(1)")`, false},
	{"TitleSingleQuotes", `[x](https://x.nl 'a" onclick="alert(1)')`, false},
	{"QuoteInURL", `[x](https://x.nl/"onmouseover="alert(1))`, false},
	{"QuoteInBareURL", `https://x.nl/"><script>alert(1)</script>`, false},
	{"QuoteInWWW", `www.x.nl/"onmouseover=alert(1)//`, false},
	{"MentionLike", `@"><script>alert(1)</script>`, false},
	{"TopicLike", `#"><img src=x onerror=alert(1)>`, false},
	{"NestedLinks", `[a [b](https://b.nl)](https://a.nl) [<https://c.nl>](https://d.nl)`, false},
	{"DeepNesting", strings.Repeat("> ", 200) + strings.Repeat("- ", 200) + "x", false},
	{"ManyBrackets", strings.Repeat("[", 5000) + strings.Repeat("](", 50), false},
}

func TestRenderXSS(t *testing.T) {
	r := newTestRenderer()
	for _, tc := range xssBodies {
		t.Run(tc.name, func(t *testing.T) {
			res := MustRender(t, r, tc.in)
			if err := checkSafe(res.HTML); err != nil {
				t.Fatalf("unsafe HTML for %q: %v\n%s", tc.in, err, res.HTML)
			}
			lower := strings.ToLower(res.HTML)
			for _, bad := range []string{"<script", "<img", "<svg", "<iframe", "<style", "<form", "<div", "<!--"} {
				if strings.Contains(lower, bad) {
					t.Fatalf("HTML contains %q:\n%s", bad, res.HTML)
				}
			}
			if tc.strict {
				for _, bad := range []string{"javascript", "vbscript", "data:"} {
					if strings.Contains(lower, bad) {
						t.Fatalf("HTML contains %q:\n%s", bad, res.HTML)
					}
				}
			}
		})
	}
}

// evilResolver returns mentions whose name and URL are attacks, as a broken store might.
type evilResolver struct{}

func (evilResolver) ResolveMentions(ctx context.Context, candidates []string) (map[string]Mention, error) {
	return map[string]Mention{
		"anna": {Kind: "person", ID: "p1", Name: `<img src=x onerror=alert(1)>`, URL: "/people/p1"},
		"piet": {Kind: "person", ID: "p2", Name: "Piet", URL: "javascript:alert(1)"},
		"joke": {Kind: "person", ID: "p3", Name: "Joke", URL: `/people/"onclick="alert(1)`},
	}, nil
}

func TestRenderMentionFromStoreIsEscaped(t *testing.T) {
	r := newTestRenderer()
	res, err := r.Render(context.Background(), "@anna @piet @joke", evilResolver{})
	if err != nil {
		t.Fatal(err)
	}
	if err := checkSafe(res.HTML); err != nil {
		t.Fatalf("unsafe HTML: %v\n%s", err, res.HTML)
	}
	want := `<p><a class="mention" href="/people/p1" rel="nofollow noopener">@&lt;img src=x onerror=alert(1)&gt;</a> @Piet ` +
		`<a class="mention" href="/people/%22onclick=%22alert(1)" rel="nofollow noopener">@Joke</a></p>`
	if res.HTML != want {
		t.Fatalf("HTML =\n%s\nwant\n%s", res.HTML, want)
	}
}
