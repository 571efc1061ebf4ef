// Package render turns the Markdown of posts and comments into safe HTML, plain text, and the
// lists of mentions, topics and links found in them.
//
// People type posts as in a chat, so the Markdown is a small subset: paragraphs, line breaks
// (a single newline is a <br>), bold, italic, inline code, bullet and numbered lists, links
// (written or bare URLs), block quotes, @mentions and #topics. Everything else (headings,
// images, raw HTML, tables, code blocks) is shown as the text that was typed, never as its
// element. The HTML is built by goldmark without raw HTML and then passed through a
// bluemonday allow-list, so a mistake in one layer is caught by the other.
package render

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/unicode/norm"

	"github.com/biebplein/biebplein"
)

// DefaultMaxLen is the longest body, in characters, when Options.MaxLen is not set.
const DefaultMaxLen = 20000

// maxCandidates bounds the distinct mention texts sent to the Resolver for one body, so that
// a body stuffed with @words cannot make one huge query; later mentions stay plain text.
const maxCandidates = 200

// Resolver finds mentioned people and groups. The caller implements it with the store: one
// batched query per render, never one per mention.
type Resolver interface {
	// ResolveMentions gets every candidate mention text found in the body (for example
	// "Anna de Vries", "Anna", "anna", "BoekStart") at once and returns, keyed by the candidate
	// text, those that exist. Matching (case, handles) is up to the implementation.
	ResolveMentions(ctx context.Context, candidates []string) (map[string]Mention, error)
}

// Mention is a person or group mentioned in a body.
type Mention struct {
	Kind string // "person" or "group"
	ID   string
	Name string // shown after the @
	URL  string // the profile or group page
}

// Result is a rendered body.
type Result struct {
	HTML     string    // sanitised HTML
	Mentions []Mention // distinct, in order of first appearance
	Topics   []string  // normalised (lower case, no '#', NFC), distinct, in order
	Links    []string  // absolute http(s) URLs and site-relative links, distinct, in order
	Text     string    // plain text without markup, for search indexing, e-mail and snippets
}

// Options configure a Renderer.
type Options struct {
	// BaseURL is the site's own origin, for example https://biebplein.example.nl. Links to it
	// become site-relative in the HTML (and are listed in Links); the plain text shows them
	// absolute again.
	BaseURL string
	// TopicURL returns the page of a topic; by default the search for it.
	TopicURL func(topic string) string
	// MaxLen is the longest body in characters; DefaultMaxLen when zero.
	MaxLen int
}

// Renderer renders bodies. It is safe for concurrent use; make one at start-up.
type Renderer struct {
	parser   parser.Parser
	renderer renderer.Renderer
	policy   *bluemonday.Policy
	base     *url.URL // scheme and host of Options.BaseURL, or nil
	topicURL func(string) string
	maxLen   int
}

// New returns a Renderer. The goldmark parser and the bluemonday policy are built here, once.
func New(opts Options) *Renderer {
	r := &Renderer{topicURL: opts.TopicURL, maxLen: opts.MaxLen}
	if r.topicURL == nil {
		r.topicURL = func(topic string) string { return "/search?q=" + url.QueryEscape("#"+topic) }
	}
	if r.maxLen <= 0 {
		r.maxLen = DefaultMaxLen
	}
	if u, err := url.Parse(strings.TrimSpace(opts.BaseURL)); err == nil && u.Host != "" &&
		(u.Scheme == "http" || u.Scheme == "https") {
		r.base = &url.URL{Scheme: u.Scheme, Host: strings.ToLower(u.Host)}
	}

	// Only the block and inline parsers of the subset: without the heading, code block,
	// thematic break and HTML parsers, their syntax stays the text that was typed.
	r.parser = parser.NewParser(
		parser.WithBlockParsers(
			util.Prioritized(parser.NewListParser(), 300),
			util.Prioritized(parser.NewListItemParser(), 400),
			util.Prioritized(parser.NewBlockquoteParser(), 800),
			util.Prioritized(parser.NewParagraphParser(), 1000),
		),
		parser.WithInlineParsers(
			util.Prioritized(parser.NewCodeSpanParser(), 100),
			util.Prioritized(parser.NewLinkParser(), 200),
			util.Prioritized(parser.NewAutoLinkParser(), 300),
			util.Prioritized(parser.NewEmphasisParser(), 500),
			util.Prioritized(mentionParser{}, 600),
			util.Prioritized(topicParser{}, 600),
			util.Prioritized(extension.NewLinkifyParser(
				extension.WithLinkifyAllowedProtocols([]string{"http:", "https:"})), 999),
		),
		parser.WithParagraphTransformers(
			util.Prioritized(parser.LinkReferenceParagraphTransformer, 100),
		),
	)
	r.renderer = renderer.NewRenderer(renderer.WithNodeRenderers(
		util.Prioritized(html.NewRenderer(html.WithHardWraps()), 1000),
		util.Prioritized(&nodeRenderer{topicURL: r.topicURL}, 100),
	))
	r.policy = newPolicy()
	return r
}

// relAttr is put on every link: nothing in a post vouches for where it points.
const relAttr = "nofollow noopener"

// newPolicy is the allow-list every rendering passes through. It names exactly what the
// renderer emits; anything else is dropped (elements) or escaped (text).
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "strong", "em", "code", "ul", "ol", "li", "blockquote")
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,9}$`)).OnElements("ol")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(mention|topic)$`)).OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + relAttr + `$`)).OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	return p
}

// Render checks body and renders it. Mentions are resolved with one call to res (none when
// the body has no @ or res is nil). A body that is not valid UTF-8, holds control characters
// other than newline and tab, is empty or is longer than MaxLen is an invalid *biebplein.Error
// with the field "body"; an error of res is returned wrapped.
func (r *Renderer) Render(ctx context.Context, body string, res Resolver) (Result, error) {
	body, err := r.check(body)
	if err != nil {
		return Result{}, err
	}
	src := []byte(body)
	doc := r.parser.Parse(text.NewReader(src))

	t := r.transform(doc, src)
	mentions, err := r.resolve(ctx, t.cands, res)
	if err != nil {
		return Result{}, fmt.Errorf("render: resolve mentions: %w", err)
	}
	mergeTexts(doc, src)

	var buf bytes.Buffer
	w := bufio.NewWriterSize(&buf, 2*len(src)+512)
	if err := r.renderer.Render(w, src, doc); err != nil {
		return Result{}, fmt.Errorf("render: %w", err)
	}
	out := r.policy.SanitizeBytes(buf.Bytes())

	return Result{
		HTML:     stripControls(string(bytes.TrimSpace(out))),
		Mentions: mentions,
		Topics:   t.topics,
		Links:    t.links,
		Text:     stripControls(r.plainText(doc, src)),
	}, nil
}

// check normalises line endings and Unicode (NFC) and validates the body.
func (r *Renderer) check(body string) (string, error) {
	// Browsers send form fields with CRLF line endings; they are line breaks, not control
	// characters.
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	var v biebplein.Validation
	switch {
	case !biebplein.ValidText(body):
		v.Add("body", "error.body_invalid")
	case strings.TrimSpace(body) == "":
		v.Add("body", "error.body_required")
	case utf8.RuneCountInString(body) > r.maxLen:
		v.Add("body", "error.body_too_long")
	}
	if err := v.Err(); err != nil {
		return "", err
	}
	return norm.NFC.String(strings.TrimSpace(body)), nil
}

// stripControls replaces control characters other than newline and tab, which numeric
// character references such as &#1; can still produce, by U+FFFD.
func stripControls(s string) string {
	if strings.IndexFunc(s, isBadControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBadControl(r) {
			return utf8.RuneError
		}
		return r
	}, s)
}

func isBadControl(r rune) bool {
	return unicode.IsControl(r) && r != '\n' && r != '\t'
}
