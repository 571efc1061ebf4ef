package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

var memberInviteForm = formSpec{ID: "invite", Fields: []field{
	{Name: "person", Label: "web.members.person", Hint: "web.members.person_hint", Type: "text", List: "people-list", Autocomplete: "off"},
	{Name: "mode", Label: "web.members.mode", Type: "select", Options: []option{
		{Value: "invite", Key: "web.members.mode_invite"},
		{Value: "member", Key: "web.members.mode_member"},
		{Value: "admin", Key: "web.members.mode_admin"},
	}},
}}

// groupMembers shows a group's members; its admins also see requests and invitations and
// can invite people.
func (s *Server) groupMembers(w http.ResponseWriter, r *http.Request) {
	g, ok := s.loadGroup(w, r)
	if !ok {
		return
	}
	b := s.base(w, r, "web.group.title", "groups")
	s.renderMembers(w, r, b, g, http.StatusOK, nil, "")
}

// renderMembers draws the members tab, with the invite form f (nil for an empty one) and
// refusal, the catalogue key of an action that could not be done.
func (s *Server) renderMembers(w http.ResponseWriter, r *http.Request, b base, g *biebplein.Group, status int, f *Form, refusal string) {
	ctx := r.Context()
	p := groupPage{base: b, Group: g, Tab: "members", Manage: manages(b.Actor, g), InviteForm: f, MemberAction: refusal}
	p.Title = g.Name
	if p.InviteForm == nil {
		p.InviteForm = newForm(b.L, memberInviteForm)
	}
	after := cursor(r)
	members, next, err := s.svc.Members(ctx, biebplein.MemberFilter{GroupID: g.ID, After: after, Limit: s.pageSize})
	switch {
	case biebplein.ErrorCode(err) == biebplein.CodeForbidden:
		p.MembersOnly = true
	case err != nil:
		s.fail(w, r, err)
		return
	}
	p.Members = members
	_, p.MembersNext = pageURLs(r, after, next)
	if p.Manage {
		for _, st := range []biebplein.MemberStatus{biebplein.StatusPending, biebplein.StatusInvited} {
			list, _, err := s.svc.Members(ctx, biebplein.MemberFilter{GroupID: g.ID, Status: st, Limit: 100})
			if err != nil && biebplein.ErrorCode(err) != biebplein.CodeForbidden {
				s.fail(w, r, err)
				return
			}
			if st == biebplein.StatusPending {
				p.Pending = list
			} else {
				p.Invited = list
			}
		}
		people, _, err := s.svc.People(ctx, biebplein.PersonFilter{Limit: 100})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, person := range people {
			p.People = append(p.People, personLabel(person))
		}
	}
	p.HasErrors = p.InviteForm.HasErrors() || refusal != ""
	s.render(w, r, status, "group", p)
}

// personLabel is how a person is offered in the invite field: name and organisation.
func personLabel(p *biebplein.Person) string {
	return p.Name + " (" + p.Organisation.Name + ")"
}

// MemberURL is the base of a member's buttons.
func (p groupPage) MemberURL(personID string) string {
	return groupURL(p.Group.ID) + "/members/" + personID
}

// RequestURL is the base of a request's buttons.
func (p groupPage) RequestURL(personID string) string {
	return groupURL(p.Group.ID) + "/requests/" + personID
}

// IsSelf reports whether id is the reader.
func (p groupPage) IsSelf(id string) bool { return p.Actor != nil && p.Actor.ID == id }
