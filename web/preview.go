package web

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/biebplein/biebplein"
)

// Link previews: a post that links to a group, post or person of this site shows a small
// card with the target's title and first line, when the reader may see the target.

// maxPreviews bounds the look-ups one page makes for previews, whatever its size.
const maxPreviews = 8

// preview is one card under a post.
type preview struct {
	URL   string
	Title string
	Line  string
}

// ownLink finds links to the site's own pages in rendered HTML.
var ownLink = regexp.MustCompile(`href="(?:https?://[^/"]+)?/(groups|posts|people)/([0-9a-z]{26})"`)

// addPreviews fills in the previews of the posts, with at most maxPreviews look-ups through
// the service; targets the reader may not see get no card.
func (s *Server) addPreviews(r *http.Request, b *base, posts []*postView) error {
	type target struct{ kind, id string }
	found := map[target]*preview{}
	looked := 0
	for _, p := range posts {
		for _, m := range ownLink.FindAllStringSubmatch(p.Post.HTML, -1) {
			if !s.ownHost(m[0]) {
				continue
			}
			t := target{m[1], m[2]}
			if t.kind == "posts" && t.id == p.ID {
				continue
			}
			pv, seen := found[t]
			if !seen {
				if looked >= maxPreviews {
					continue
				}
				looked++
				var err error
				if pv, err = s.lookPreview(r, t.kind, t.id); err != nil {
					return err
				}
				found[t] = pv
			}
			if pv != nil && !containsPreview(p.Previews, pv.URL) {
				p.Previews = append(p.Previews, *pv)
			}
		}
	}
	return nil
}

// ownHost reports whether a matched link is relative or on the site's own address.
func (s *Server) ownHost(match string) bool {
	href := strings.TrimPrefix(match, `href="`)
	return strings.HasPrefix(href, "/") || (s.opts.BaseURL != "" && strings.HasPrefix(href, s.opts.BaseURL+"/"))
}

func containsPreview(list []preview, u string) bool {
	for _, p := range list {
		if p.URL == u {
			return true
		}
	}
	return false
}

// lookPreview asks the service for a target; one it may not show gives nil.
func (s *Server) lookPreview(r *http.Request, kind, id string) (*preview, error) {
	ctx := r.Context()
	var pv *preview
	var err error
	switch kind {
	case "groups":
		var g *biebplein.Group
		if g, err = s.svc.Group(ctx, id); err == nil {
			pv = &preview{URL: groupURL(g.ID), Title: g.Name, Line: firstLine(g.Description)}
		}
	case "posts":
		var p *biebplein.Post
		if p, err = s.svc.Post(ctx, id); err == nil && p.DeletedAt == nil {
			pv = &preview{URL: postURL(p.ID), Title: p.Author.Name + " · " + p.Group.Name, Line: firstLine(p.Text)}
		}
	case "people":
		var p *biebplein.Person
		if p, err = s.svc.Person(ctx, id); err == nil {
			pv = &preview{URL: "/people/" + p.ID, Title: p.Name, Line: strings.TrimPrefix(p.Function+" · "+p.Organisation.Name, " · ")}
		}
	}
	switch biebplein.ErrorCode(err) {
	case "", biebplein.CodeNotFound, biebplein.CodeForbidden:
		return pv, nil
	}
	return nil, err
}

// firstLine is the first line of a text, at most 160 characters.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if r := []rune(s); len(r) > 160 {
		s = string(r[:159]) + "…"
	}
	return s
}
