package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// groupPage is a group's page with one of its tabs: posts, members or about.
type groupPage struct {
	base
	Group  *biebplein.Group
	Tab    string
	Manage bool // the reader administers the group (buttons only; the service decides)
	// Posts tab.
	Composer    *composer
	Feed        *feedView
	ReadersOnly bool // the posts are for members only
	// Members tab.
	Members      []*biebplein.Member
	Pending      []*biebplein.Member
	Invited      []*biebplein.Member
	MembersOnly  bool   // the member list is for members only
	MembersNext  string // next page of members
	InviteForm   *Form
	People       []string // suggestions for the invite field
	MemberAction string   // catalogue key of the last refusal, shown on the members tab
}

// loadGroup reads the group of the path; a group the reader may not see is 404.
func (s *Server) loadGroup(w http.ResponseWriter, r *http.Request) (*biebplein.Group, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return nil, false
	}
	g, err := s.svc.Group(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return g, true
}

// groupShow shows a group's posts with a composer for its members.
func (s *Server) groupShow(w http.ResponseWriter, r *http.Request) {
	g, ok := s.loadGroup(w, r)
	if !ok {
		return
	}
	s.renderGroupPosts(w, r, s.base(w, r, "web.group.title", "groups"), g, http.StatusOK, nil)
}

// renderGroupPosts draws the posts tab, with c as the composer (nil for an empty one).
func (s *Server) renderGroupPosts(w http.ResponseWriter, r *http.Request, b base, g *biebplein.Group, status int, c *composer) {
	p := groupPage{base: b, Group: g, Tab: "posts", Manage: manages(b.Actor, g)}
	p.Title = g.Name
	admins := map[string]bool{g.ID: p.Manage}
	p.Composer = c
	if c == nil {
		p.Composer = newComposer(&p.base, nil, admins, g)
	}
	if cursor(r) == "" {
		p.LiveFeed, p.LiveGroup = string(biebplein.FeedGroup), g.ID
	}
	var err error
	p.Feed, err = s.loadFeed(r, &p.base, biebplein.PostFilter{Feed: biebplein.FeedGroup, GroupID: g.ID}, admins, sinceParam(r))
	switch {
	case biebplein.ErrorCode(err) == biebplein.CodeForbidden:
		// The group may be seen but its posts only by members: the service says so.
		p.ReadersOnly, p.Feed = true, &feedView{base: &p.base}
		p.LiveFeed, p.LiveGroup = "", "" // the page still hears the count, as every page
	case err != nil:
		s.fail(w, r, err)
		return
	}
	if p.Composer.CanAnnounce && p.Composer.HasGroups {
		p.Composer.Reach = s.announcementReach(r, g)
	}
	p.HasErrors = p.Composer.Form.HasErrors()
	p.Mentions = p.Composer.HasGroups
	s.render(w, r, status, "group", p)
}

// announcementReach asks how many people an announcement in g would reach, for the group's
// admins. It is a help beside the composer: when it cannot be had, the composer shows without.
func (s *Server) announcementReach(r *http.Request, g *biebplein.Group) *biebplein.Reach {
	reach, err := s.svc.AnnouncementReach(r.Context(), g.ID)
	switch biebplein.ErrorCode(err) {
	case "":
		return &reach
	case biebplein.CodeForbidden, biebplein.CodeNotFound:
	default:
		s.logger.Warn("announcement reach", "group", g.ID, "error", err)
	}
	return nil
}
