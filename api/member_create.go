package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

type memberCreateRequest struct {
	PersonID string `json:"person_id"`
	// Role is member (the default) or admin.
	Role string `json:"role"`
	// Invite invites the person instead of adding them; they accept by joining.
	Invite bool `json:"invite"`
}

// memberCreate adds a person to a group, or invites them (group admins):
// POST /api/v1/groups/{id}/members answers 201 with the membership.
func (s *Server) memberCreate(w http.ResponseWriter, r *http.Request) {
	var req memberCreateRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	groupID, ctx := pathID(r, "id"), r.Context()
	status, role := biebplein.StatusMember, biebplein.Role(req.Role)
	var err error
	if req.Invite {
		if role != "" && role != biebplein.RoleMember {
			s.writeError(w, r, fieldError("role", "error.role_invalid"))
			return
		}
		status, role = biebplein.StatusInvited, biebplein.RoleMember
		err = s.svc.InviteToGroup(ctx, groupID, req.PersonID)
	} else {
		if role == "" {
			role = biebplein.RoleMember
		}
		err = s.svc.AddMember(ctx, groupID, req.PersonID, role)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.svc.Person(ctx, req.PersonID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusCreated, memberJSON{Person: personRefJSON{ID: p.ID, Name: p.Name},
		Role: string(role), Status: string(status)})
}
