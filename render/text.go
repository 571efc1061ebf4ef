package render

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// plainText renders the transformed body as plain text: blocks separated by a blank line,
// list items on their own lines ("- " or "1. "), quotes prefixed with "> ", links as
// "text (url)" when the text is not the URL itself, mentions as "@Name", topics as typed.
func (r *Renderer) plainText(doc ast.Node, src []byte) string {
	return strings.TrimSpace(r.blockText(doc, src))
}

func (r *Renderer) blockText(n ast.Node, src []byte) string {
	switch n := n.(type) {
	case *ast.Document:
		return r.blocksText(n, src, "\n\n")
	case *ast.Blockquote:
		return prefixLines(r.blocksText(n, src, "\n\n"), "> ", "> ")
	case *ast.List:
		var b strings.Builder
		i := 0
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			marker := "- "
			if n.IsOrdered() {
				marker = strconv.Itoa(n.Start+i) + ". "
			}
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(prefixLines(r.blocksText(item, src, "\n"), marker, strings.Repeat(" ", len(marker))))
			i++
		}
		return b.String()
	case *ast.LinkReferenceDefinition:
		return ""
	default:
		var b strings.Builder
		r.inlineText(&b, n, src)
		return strings.TrimSpace(b.String())
	}
}

// blocksText joins the texts of n's child blocks with sep, skipping empty ones.
func (r *Renderer) blocksText(n ast.Node, src []byte, sep string) string {
	var parts []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if s := r.blockText(c, src); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, sep)
}

func (r *Renderer) inlineText(b *strings.Builder, n ast.Node, src []byte) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			if c.IsRaw() {
				b.Write(c.Value(src))
			} else {
				unescape(b, c.Value(src))
			}
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte('\n')
			}
		case *ast.String:
			if c.IsRaw() || c.IsCode() {
				b.Write(c.Value)
			} else {
				unescape(b, c.Value)
			}
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if t, ok := t.(*ast.Text); ok {
					b.WriteString(strings.ReplaceAll(string(t.Value(src)), "\n", " "))
				}
			}
		case *ast.Link:
			var label strings.Builder
			r.inlineText(&label, c, src)
			href := r.absolute(string(c.Destination))
			shown := strings.TrimPrefix(href, "mailto:")
			switch l := strings.TrimSpace(label.String()); {
			case l == "" || l == href || l == shown:
				b.WriteString(shown)
			case "https://"+l == href: // a bare www. address
				b.WriteString(l)
			default:
				b.WriteString(label.String() + " (" + shown + ")")
			}
		case *mentionNode:
			b.WriteString("@" + c.m.Name)
		case *topicNode:
			b.Write(c.seg.Value(src))
		case *candidateNode:
			b.Write(c.seg.Value(src))
		default:
			r.inlineText(b, c, src)
		}
	}
}

// unescape writes Markdown text as it reads: backslash escapes removed and character
// references resolved, in one pass as goldmark's HTML writer does.
func unescape(b *strings.Builder, s []byte) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && util.IsPunct(s[i+1]) {
			b.WriteByte(s[i+1])
			i++
			continue
		}
		if c == '&' {
			if semi := bytes.IndexByte(s[i:min(len(s), i+40)], ';'); semi > 1 {
				if v, ok := resolveReference(string(s[i+1 : i+semi])); ok {
					b.WriteString(v)
					i += semi
					continue
				}
			}
		}
		b.WriteByte(c)
	}
}

// resolveReference resolves the name of a character reference ("amp", "#39", "#x27").
func resolveReference(name string) (string, bool) {
	if num, ok := strings.CutPrefix(name, "#"); ok {
		base := 10
		if hex, ok := strings.CutPrefix(num, "x"); ok {
			num, base = hex, 16
		} else if hex, ok := strings.CutPrefix(num, "X"); ok {
			num, base = hex, 16
		}
		if num == "" || len(num) > 7 {
			return "", false
		}
		v, err := strconv.ParseUint(num, base, 32)
		if err != nil {
			return "", false
		}
		return string(util.ToValidRune(rune(v))), true
	}
	e, ok := util.LookUpHTML5EntityByName(name)
	if !ok {
		return "", false
	}
	return string(e.Characters), true
}

// prefixLines puts first before the first line of s and rest before the others.
func prefixLines(s, first, rest string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		p := rest
		if i == 0 {
			p = first
		}
		if l == "" {
			p = strings.TrimRight(p, " ")
		}
		lines[i] = p + l
	}
	return strings.Join(lines, "\n")
}
