package web

import (
	"net/http"
	"strings"

	"github.com/biebplein/biebplein"
)

// groupMemberAdd invites a person, or adds them at once as member or admin (group admins).
// The person is chosen by name from the suggestions, as "Name (Organisation)".
func (s *Server) groupMemberAdd(w http.ResponseWriter, r *http.Request) {
	g, ok := s.loadGroup(w, r)
	if !ok {
		return
	}
	b := s.base(w, r, "web.group.title", "groups")
	f := newForm(b.L, memberInviteForm).read(r)
	f.CheckText("person", "mode")
	var personID string
	if f.OK() {
		var err error
		if personID, err = s.findPerson(r, f.Get("person")); err != nil {
			if !f.Fail(err) {
				s.fail(w, r, err)
				return
			}
		}
	}
	if !f.OK() {
		s.renderMembers(w, r, b, g, http.StatusBadRequest, f, "")
		return
	}
	var err error
	switch f.Get("mode") {
	case "member":
		err = s.svc.AddMember(r.Context(), g.ID, personID, biebplein.RoleMember)
	case "admin":
		err = s.svc.AddMember(r.Context(), g.ID, personID, biebplein.RoleAdmin)
	default:
		err = s.svc.InviteToGroup(r.Context(), g.ID, personID)
	}
	if err != nil {
		if biebplein.ErrorCode(err) == biebplein.CodeForbidden || !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		s.renderMembers(w, r, b, g, formStatus(err), f, "")
		return
	}
	s.setFlash(w, "web.flash.member_added")
	redirect(w, r, groupURL(g.ID)+"/members")
}

// findPerson finds the one person a typed name means: "Name (Organisation)" as suggested,
// or a name alone when only one person has it.
func (s *Server) findPerson(r *http.Request, typed string) (string, error) {
	notFound := &biebplein.Error{Code: biebplein.CodeInvalid, Message: "error.person_not_found",
		Fields: map[string]string{"person": "error.person_not_found"}}
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return "", notFound
	}
	name := typed
	if i := strings.LastIndex(typed, " ("); i > 0 && strings.HasSuffix(typed, ")") {
		name = typed[:i]
	}
	people, _, err := s.svc.People(r.Context(), biebplein.PersonFilter{Query: name, Limit: 50})
	if err != nil {
		return "", err
	}
	var byName []string
	for _, p := range people {
		if personLabel(p) == typed {
			return p.ID, nil
		}
		if strings.EqualFold(p.Name, name) {
			byName = append(byName, p.ID)
		}
	}
	if len(byName) == 1 {
		return byName[0], nil
	}
	return "", notFound
}
