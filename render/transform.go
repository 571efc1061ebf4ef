package render

import (
	"bytes"
	"context"
	"net/url"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// transformed is what transform found in a parsed body.
type transformed struct {
	cands  []*candidateNode // outside links, in order
	topics []string
	links  []string
}

// transform rewrites the parsed body into the subset and collects what Result lists:
// images and autolinks become links; links with a scheme other than http, https or mailto,
// and links inside links, are unwrapped to their text; links to the site itself become
// site-relative; mentions and topics inside link text become text again.
func (r *Renderer) transform(doc ast.Node, src []byte) *transformed {
	// Replacing nodes while walking would derail the walk: collect first.
	var convert []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n.(type) {
		case *ast.Image, *ast.AutoLink:
			if entering {
				convert = append(convert, n)
			}
		}
		return ast.WalkContinue, nil
	})
	auto := map[*ast.Link]bool{} // destinations already escaped, without resolving references
	for _, n := range convert {
		link := ast.NewLink()
		switch n := n.(type) {
		case *ast.Image:
			// An image is shown as a link to it, labelled with its description.
			link.Destination = n.Destination
			for c := n.FirstChild(); c != nil; {
				next := c.NextSibling()
				link.AppendChild(link, c)
				c = next
			}
			if !link.HasChildren() {
				link.AppendChild(link, rawString(n.Destination))
			}
		case *ast.AutoLink:
			label := n.Label(src)
			dest := label
			switch {
			case n.AutoLinkType == ast.AutoLinkEmail && !hasPrefixFold(label, "mailto:"):
				dest = append([]byte("mailto:"), label...)
			case n.Protocol != nil: // www.example.nl
				dest = append([]byte("https://"), label...)
			}
			link.Destination = util.URLEscape(dest, false)
			link.AppendChild(link, rawString(label))
			auto[link] = true
		}
		replace(n, link)
	}

	flatten(doc)

	t := &transformed{}
	var nodes []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch n.(type) {
			case *ast.Link, *candidateNode, *topicNode:
				nodes = append(nodes, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range nodes {
		switch n := n.(type) {
		case *ast.Link:
			if !auto[n] {
				n.Destination = util.URLEscape(bytes.TrimSpace(n.Destination), true)
			}
			href, preview, ok := r.checkURL(string(n.Destination))
			switch {
			case inLink(n):
				unwrap(n)
			case !ok && auto[n]:
				// Its text is the rejected URL itself (<javascript:...>): drop it.
				n.Parent().RemoveChild(n.Parent(), n)
			case !ok:
				unwrap(n)
			default:
				n.Destination = []byte(href)
				n.Title = nil
				if preview {
					t.links = appendNew(t.links, href)
				}
			}
		case *candidateNode:
			if inLink(n) {
				replace(n, ast.NewTextSegment(n.seg))
			} else {
				t.cands = append(t.cands, n)
			}
		case *topicNode:
			if inLink(n) {
				replace(n, ast.NewTextSegment(n.seg))
			} else {
				t.topics = appendNew(t.topics, n.topic)
			}
		}
	}
	return t
}

// resolve asks res once about every candidate mention and replaces each candidate node by
// the longest candidate that exists (the rest of the words stay text) or by plain text.
func (r *Renderer) resolve(ctx context.Context, cands []*candidateNode, res Resolver) ([]Mention, error) {
	if len(cands) == 0 {
		return nil, nil
	}
	var found map[string]Mention
	if res != nil {
		var texts []string
		seen := map[string]bool{}
		for _, n := range cands {
			for _, c := range n.cands {
				if !seen[c.text] && len(texts) < maxCandidates {
					seen[c.text] = true
					texts = append(texts, c.text)
				}
			}
		}
		var err error
		if found, err = res.ResolveMentions(ctx, texts); err != nil {
			return nil, err
		}
	}

	var mentions []Mention
	for _, n := range cands {
		m, c, ok := pick(n.cands, found)
		if !ok {
			replace(n, ast.NewTextSegment(n.seg))
			continue
		}
		if m.Name == "" {
			m.Name = c.text
		}
		// The store's URL is checked like any link; a bad one leaves the mention as text.
		href, _, ok := r.checkURL(string(util.URLEscape([]byte(strings.TrimSpace(m.URL)), false)))
		if !ok {
			href = ""
		}
		nodes := []ast.Node{&mentionNode{m: m, href: href}}
		if c.stop < n.seg.Stop {
			nodes = append(nodes, ast.NewTextSegment(text.NewSegment(c.stop, n.seg.Stop)))
		}
		replace(n, nodes...)
		if !containsMention(mentions, m) {
			mentions = append(mentions, m)
		}
	}
	return mentions, nil
}

// pick returns the first (longest) candidate that was found.
func pick(cands []candidate, found map[string]Mention) (Mention, candidate, bool) {
	for _, c := range cands {
		if m, ok := found[c.text]; ok {
			return m, c, true
		}
	}
	return Mention{}, candidate{}, false
}

func containsMention(ms []Mention, m Mention) bool {
	for _, x := range ms {
		if x.Kind == m.Kind && x.ID == m.ID && (m.ID != "" || x.Name == m.Name) {
			return true
		}
	}
	return false
}

// checkURL decides whether dest (already escaped as it will be written) may be a link and
// returns the href to write and whether it belongs in Result.Links.
func (r *Renderer) checkURL(dest string) (href string, preview, ok bool) {
	if dest == "" {
		return "", false, false
	}
	u, err := url.Parse(dest)
	if err != nil {
		return "", false, false
	}
	switch strings.ToLower(u.Scheme) {
	case "":
		if u.Host != "" || strings.HasPrefix(dest, "//") {
			return r.checkURL("https:" + dest) // protocol-relative
		}
		return dest, strings.HasPrefix(dest, "/"), true
	case "http", "https":
		if u.Host == "" || u.Opaque != "" {
			return "", false, false
		}
		if p := sitePath(u); r.base != nil && u.User == nil && strings.EqualFold(u.Host, r.base.Host) &&
			!strings.HasPrefix(p, "//") {
			return p, true, true
		}
		return dest, true, true
	case "mailto":
		return dest, false, u.Opaque != ""
	}
	return "", false, false
}

// sitePath is u without scheme and host.
func sitePath(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" || u.ForceQuery {
		p += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		p += "#" + u.EscapedFragment()
	}
	return p
}

// absolute turns a site-relative href back into an absolute URL, for the plain text.
func (r *Renderer) absolute(href string) string {
	if r.base != nil && strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "//") {
		return r.base.Scheme + "://" + r.base.Host + href
	}
	return href
}

func inLink(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if _, ok := p.(*ast.Link); ok {
			return true
		}
	}
	return false
}

// replace puts nodes where n is.
func replace(n ast.Node, nodes ...ast.Node) {
	p := n.Parent()
	for _, c := range nodes {
		p.InsertBefore(p, n, c)
	}
	p.RemoveChild(p, n)
}

// unwrap replaces n by its children.
func unwrap(n ast.Node) {
	var children []ast.Node
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		children = append(children, c)
	}
	replace(n, children...)
}

// rawString is text that is shown as it is, without resolving entities or escapes.
func rawString(b []byte) *ast.String {
	s := ast.NewString(bytes.Clone(b))
	s.SetRaw(true)
	return s
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// mergeTexts joins adjacent pieces of text. The @ and # triggers split text where they
// occur, which would cut a character reference such as &#39; in two.
func mergeTexts(doc ast.Node, src []byte) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			t, ok := c.(*ast.Text)
			if !ok || t.Segment.Stop == 0 {
				continue
			}
			for next := t.NextSibling(); next != nil && !t.SoftLineBreak() && !t.HardLineBreak() &&
				t.Merge(next, src); next = t.NextSibling() {
				n.RemoveChild(n, next)
			}
		}
		return ast.WalkContinue, nil
	})
}

// maxNesting is how deeply quotes, lists, emphasis and links may nest. Deeper ones are
// replaced by their content: nobody needs them in a post, and HTML parsers (browsers' and
// golang.org/x/net/html's) give up or flatten at a few hundred open elements.
const maxNesting = 20

func flatten(doc ast.Node) {
	var deep []ast.Node
	level := 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n.(type) {
		case *ast.Blockquote, *ast.List, *ast.Emphasis, *ast.Link:
			if !entering {
				level--
				break
			}
			if level++; level > maxNesting {
				deep = append(deep, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range deep {
		if _, ok := n.(*ast.List); ok {
			var items []ast.Node
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				items = append(items, c)
			}
			for _, item := range items {
				unwrap(item)
			}
		}
		unwrap(n)
	}
}
