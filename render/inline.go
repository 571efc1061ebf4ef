package render

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/biebplein/biebplein"
)

// Mentions and topics are inline parsers rather than a pass over the text: goldmark hands
// them only text outside code spans, link destinations and autolinks, and never splits the
// words they read (an underscore in @anna_de_vries is not emphasis).

var (
	kindCandidate = ast.NewNodeKind("BiebpleinMentionCandidate")
	kindMention   = ast.NewNodeKind("BiebpleinMention")
	kindTopic     = ast.NewNodeKind("BiebpleinTopic")
)

// candidateNode is an @ followed by text that may name a person or group. It is resolved
// after parsing, with the candidates of the whole body at once, and then replaced by a
// mentionNode (and the rest as text) or by plain text.
type candidateNode struct {
	ast.BaseInline
	seg   text.Segment // from the @ to the end of the longest candidate
	cands []candidate  // longest first
}

// candidate is one possible mention text, ending at stop (an offset in the source).
type candidate struct {
	text string
	stop int
}

func (n *candidateNode) Kind() ast.NodeKind { return kindCandidate }

func (n *candidateNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Value": string(n.seg.Value(source))}, nil)
}

// mentionNode is a resolved mention.
type mentionNode struct {
	ast.BaseInline
	m    Mention
	href string // m.URL as checked; "" when it may not be a link
}

func (n *mentionNode) Kind() ast.NodeKind { return kindMention }

func (n *mentionNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"ID": n.m.ID, "Name": n.m.Name}, nil)
}

// topicNode is a #topic.
type topicNode struct {
	ast.BaseInline
	seg   text.Segment // the # and the word, as typed
	topic string       // normalised
}

func (n *topicNode) Kind() ast.NodeKind { return kindTopic }

func (n *topicNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Topic": n.topic}, nil)
}

// opensWord reports whether an @ or # after r starts a mention or topic: at the start of a
// line, after white space, or after opening punctuation and emphasis markers. This keeps
// anna@bieb.nl, C#, x.nl/#anchor and &#39; out.
func opensWord(r rune) bool {
	if unicode.IsSpace(r) {
		return true
	}
	switch r {
	case '(', '[', '{', '"', '\'', '*', '_', '~', '>', '“', '‘', '«', '„':
		return true
	}
	return false
}

type mentionParser struct{}

func (mentionParser) Trigger() []byte { return []byte{'@'} }

func (mentionParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	if !opensWord(block.PrecendingCharacter()) {
		return nil
	}
	line, seg := block.PeekLine()
	if len(line) < 2 || line[0] != '@' || seg.Padding != 0 {
		return nil
	}
	cands := scanMention(line[1:], seg.Start+1)
	if len(cands) == 0 {
		return nil
	}
	stop := cands[0].stop
	block.Advance(stop - seg.Start)
	return &candidateNode{seg: text.NewSegment(seg.Start, stop), cands: cands}
}

type topicParser struct{}

func (topicParser) Trigger() []byte { return []byte{'#'} }

// maxTopicLen is the longest topic word; a longer run of letters is not a topic.
const maxTopicLen = biebplein.MaxTagLen

func (topicParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	if !opensWord(block.PrecendingCharacter()) {
		return nil
	}
	line, seg := block.PeekLine()
	if len(line) < 2 || line[0] != '#' || seg.Padding != 0 {
		return nil
	}
	word := line[1:]
	n, letters := 0, 0
	for n < len(word) {
		r, size := utf8.DecodeRune(word[n:])
		if unicode.IsLetter(r) {
			letters++
		} else if !unicode.IsDigit(r) && !unicode.IsMark(r) && r != '-' && r != '_' {
			break
		}
		n += size
	}
	for n > 0 && (word[n-1] == '-' || word[n-1] == '_') {
		n--
	}
	// "#1" is a number, not a topic; "# Title" is a heading marker.
	if letters == 0 || utf8.RuneCount(word[:n]) > maxTopicLen {
		return nil
	}
	block.Advance(1 + n)
	return &topicNode{
		seg:   text.NewSegment(seg.Start, seg.Start+1+n),
		topic: biebplein.NormalizeTag(string(word[:n])),
	}
}

// Name particles that may stand between the capitalised words of a name, as in
// "Anna de Vries", "Jan van der Berg", "Fatima el Idrissi".
var particles = map[string]bool{
	"de": true, "den": true, "der": true, "des": true, "het": true, "'t": true, "’t": true,
	"te": true, "ten": true, "ter": true, "van": true, "von": true, "zu": true, "in": true,
	"op": true, "aan": true, "uit": true, "bij": true, "onder": true, "voor": true,
	"el": true, "al": true, "la": true, "le": true, "les": true, "du": true, "da": true,
	"di": true, "del": true, "della": true, "dos": true, "das": true, "do": true,
	"bin": true, "ben": true, "ibn": true, "abu": true,
}

const (
	maxNameWords = 4  // capitalised words in a name
	maxParticles = 3  // particles in a row
	maxHandleLen = 64 // bytes
)

// scanMention reads the text after an @ (s, which starts at offset base in the source) and
// returns the possible mention texts, longest first: the name of one to four capitalised
// words with particles between them and each shorter name, and the handle (letters, digits,
// dot, dash, underscore).
func scanMention(s []byte, base int) []candidate {
	var cands []candidate

	// Names: a capitalised word, then (space, particles, capitalised word) up to four times.
	if n := nameWord(s); n > 0 {
		ends := []int{n}
		pos := n
	words:
		for len(ends) < maxNameWords {
			p := pos
			for particlesSeen := 0; ; particlesSeen++ {
				if p >= len(s) || s[p] != ' ' {
					break words
				}
				p++
				if n := nameWord(s[p:]); n > 0 {
					pos = p + n
					ends = append(ends, pos)
					continue words
				}
				n := particle(s[p:])
				if n == 0 || particlesSeen == maxParticles {
					break words
				}
				p += n
			}
		}
		for i := len(ends) - 1; i >= 0; i-- {
			cands = append(cands, candidate{text: string(s[:ends[i]]), stop: base + ends[i]})
		}
	}

	// The handle, placed by its length among the names.
	n := 0
	for n < len(s) && n < maxHandleLen+1 {
		r, size := utf8.DecodeRune(s[n:])
		if !isHandleRune(r) {
			break
		}
		n += size
	}
	for n > 0 && (s[n-1] == '.' || s[n-1] == '-' || s[n-1] == '_') {
		n--
	}
	if n == 0 || n > maxHandleLen {
		return cands
	}
	h := candidate{text: string(s[:n]), stop: base + n}
	for i, c := range cands {
		if c.text == h.text {
			return cands
		}
		if c.stop < h.stop {
			return slices.Insert(cands, i, h)
		}
	}
	return append(cands, h)
}

func isHandleRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) ||
		r == '.' || r == '-' || r == '_'
}

// nameWord returns the length of the capitalised word at the start of s ("Anna", "El",
// "Jan-Willem", "O'Neill"), or 0. The word must end where a handle would end too, so that
// "@Anna.devries" is not the name "Anna".
func nameWord(s []byte) int {
	r, n := utf8.DecodeRune(s)
	if !unicode.IsUpper(r) && !unicode.IsTitle(r) {
		return 0
	}
	for n < len(s) {
		r, size := utf8.DecodeRune(s[n:])
		if unicode.IsLetter(r) || unicode.IsMark(r) {
			n += size
			continue
		}
		if r == '-' || r == '\'' || r == '’' {
			if next, _ := utf8.DecodeRune(s[n+size:]); unicode.IsLetter(next) {
				n += size
				continue
			}
		}
		break
	}
	if n < len(s) {
		r, size := utf8.DecodeRune(s[n:])
		if unicode.IsDigit(r) || r == '_' {
			return 0
		}
		if r == '.' || r == '-' {
			if next, _ := utf8.DecodeRune(s[n+size:]); isHandleRune(next) {
				return 0
			}
		}
	}
	return n
}

// particle returns the length of the name particle at the start of s, or 0.
func particle(s []byte) int {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRune(s[n:])
		if !unicode.IsLower(r) && r != '\'' && r != '’' {
			break
		}
		n += size
	}
	if n == 0 || !particles[string(s[:n])] {
		return 0
	}
	return n
}

// nodeRenderer writes links, mentions and topics. Every anchor gets the same rel; links are
// written from their destination as checked by transform, without resolving it again.
type nodeRenderer struct {
	topicURL func(string) string
}

func (nr *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, nr.renderLink)
	reg.Register(kindMention, nr.renderMention)
	reg.Register(kindTopic, nr.renderTopic)
	reg.Register(kindCandidate, nr.renderCandidate)
}

func (nr *nodeRenderer) renderLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(util.EscapeHTML(node.(*ast.Link).Destination))
	_, _ = w.WriteString(`" rel="` + relAttr + `">`)
	return ast.WalkContinue, nil
}

func (nr *nodeRenderer) renderMention(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		n := node.(*mentionNode)
		if n.href == "" {
			_, _ = w.Write(util.EscapeHTML([]byte("@" + n.m.Name)))
		} else {
			writeAnchor(w, "mention", n.href, "@"+n.m.Name)
		}
	}
	return ast.WalkSkipChildren, nil
}

func (nr *nodeRenderer) renderTopic(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		n := node.(*topicNode)
		writeAnchor(w, "topic", nr.topicURL(n.topic), string(n.seg.Value(source)))
	}
	return ast.WalkSkipChildren, nil
}

// renderCandidate writes an unresolved mention as its text; transform normally replaces them.
func (nr *nodeRenderer) renderCandidate(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.Write(util.EscapeHTML(node.(*candidateNode).seg.Value(source)))
	}
	return ast.WalkSkipChildren, nil
}

func writeAnchor(w util.BufWriter, class, href, label string) {
	_, _ = w.WriteString(`<a class="` + class + `" href="`)
	_, _ = w.Write(util.EscapeHTML([]byte(href)))
	_, _ = w.WriteString(`" rel="` + relAttr + `">`)
	_, _ = w.Write(util.EscapeHTML([]byte(label)))
	_, _ = w.WriteString("</a>")
}
