package web

import "net/http"

// tokenCreate makes an API key and shows its secret on the answer to the form itself: it is
// shown this once and never stored, so it is not carried across a redirect.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.tokens.title", "profile")
	f := newForm(b.L, tokenForm).read(r)
	t, secret, err := s.svc.CreateToken(r.Context(), f.Get("name"))
	if err != nil {
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		s.renderTokens(w, r, formStatus(err), tokensPage{base: b, Form: f})
		return
	}
	s.renderTokens(w, r, http.StatusCreated, tokensPage{base: b, Form: newForm(b.L, tokenForm), Created: t, Secret: secret})
}
