package api

import (
	"net/http"
	"strconv"

	"github.com/biebplein/biebplein"
)

// noticePrefsUpdate stores the caller's choices for the kinds in the body (the others keep
// theirs): PUT /api/v1/notifications/preferences answers 200 with every choice. A kind with
// app false is not e-mailed either, whatever mail says.
func (s *Server) noticePrefsUpdate(w http.ResponseWriter, r *http.Request) {
	var req noticePrefsJSON
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	prefs := make([]biebplein.NoticePref, 0, len(req.Items))
	for i, it := range req.Items {
		p := biebplein.NoticePref{Kind: biebplein.NoticeKind(it.Kind), App: it.App, Mail: biebplein.MailPref(it.Mail)}
		// Named by their place in the body, which the service's field names cannot say.
		field := "items." + strconv.Itoa(i) + "."
		switch {
		case !p.Kind.Valid():
			s.writeError(w, r, fieldError(field+"kind", msgNoticeKindInvalid))
			return
		case !p.Mail.Valid():
			s.writeError(w, r, fieldError(field+"mail", msgMailPrefInvalid))
			return
		}
		prefs = append(prefs, p)
	}
	ctx := r.Context()
	if err := s.svc.SaveNoticePrefs(ctx, prefs); err != nil {
		s.writeError(w, r, err)
		return
	}
	saved, err := s.svc.NoticePrefs(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, newNoticePrefs(saved))
}
