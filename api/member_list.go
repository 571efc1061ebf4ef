package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// memberStatuses maps ?status= of the member list to the filter.
var memberStatuses = map[string]biebplein.MemberStatus{
	"":                              biebplein.StatusMember,
	string(biebplein.StatusMember):  biebplein.StatusMember,
	string(biebplein.StatusPending): biebplein.StatusPending,
	string(biebplein.StatusInvited): biebplein.StatusInvited,
}

// memberList pages through a group's members, admins first: GET /api/v1/groups/{id}/members.
// With ?status=pending or ?status=invited, group admins see requests and open invitations.
func (s *Server) memberList(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	p := q.page()
	status, ok := memberStatuses[q.text("status")]
	if !ok {
		q.fail("status", msgMemberStatusInvalid)
	}
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	members, next, err := s.svc.Members(r.Context(), biebplein.MemberFilter{
		GroupID: pathID(r, "id"), Status: status, After: p.cursor, Limit: p.limit})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := listBody[memberJSON]{Items: make([]memberJSON, 0, len(members)), NextCursor: next}
	for _, m := range members {
		out.Items = append(out.Items, newMember(m))
	}
	s.writeJSON(w, r, http.StatusOK, out)
}
