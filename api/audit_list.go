package api

import (
	"net/http"
	"time"

	"github.com/biebplein/biebplein"
)

// auditEventJSON is one line of the audit log. It has no place for a secret: the log holds
// none.
type auditEventJSON struct {
	ID      string            `json:"id"`
	At      time.Time         `json:"at"`
	Actor   *personRefJSON    `json:"actor"`
	Action  string            `json:"action"`
	Target  *auditTargetJSON  `json:"target"`
	Email   string            `json:"email,omitempty"`
	IP      string            `json:"ip,omitempty"`
	Details map[string]string `json:"details"`
}

type auditTargetJSON struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// auditList pages through the audit log, newest first (administrators only):
// GET /api/v1/audit with ?action=, ?person_id=, ?since= and ?until= (RFC 3339).
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	p := q.page()
	f := biebplein.AuditFilter{
		Action:   biebplein.AuditAction(q.text("action")),
		PersonID: q.text("person_id"),
		After:    p.cursor,
		Limit:    p.limit,
	}
	f.Since = q.time("since")
	f.Until = q.time("until")
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	events, next, err := s.svc.AuditLog(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := listBody[auditEventJSON]{Items: make([]auditEventJSON, 0, len(events)), NextCursor: next}
	for _, e := range events {
		j := auditEventJSON{ID: e.ID, At: e.At, Action: string(e.Action), Email: e.Email, IP: e.IP, Details: e.Details}
		if e.ActorID != "" {
			j.Actor = &personRefJSON{ID: e.ActorID, Name: e.ActorName}
		}
		if e.TargetID != "" {
			j.Target = &auditTargetJSON{ID: e.TargetID, Name: e.TargetName}
		}
		if j.Details == nil {
			j.Details = map[string]string{}
		}
		out.Items = append(out.Items, j)
	}
	s.writeJSON(w, r, http.StatusOK, out)
}
