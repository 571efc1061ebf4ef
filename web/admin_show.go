package web

import (
	"net/http"

	"github.com/biebplein/biebplein/service"
)

type adminPage struct {
	base
	Mail *service.MailStatus
}

// adminShow is the start page of administration, with how e-mail is doing.
func (s *Server) adminShow(w http.ResponseWriter, r *http.Request) {
	p := adminPage{base: s.base(w, r, "web.admin.title", "admin")}
	var err error
	if p.Mail, err = s.svc.MailStatus(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin", p)
}
