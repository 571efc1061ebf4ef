package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

var tokenForm = formSpec{ID: "token", Fields: []field{
	{Name: "name", Label: "web.tokens.name", Hint: "web.tokens.name_hint", Type: "text"},
}}

type tokensPage struct {
	base
	Tokens  []*biebplein.APIToken
	Form    *Form
	Created *biebplein.APIToken // the key just made, shown once with its secret
	Secret  string
}

// tokenList shows one's API keys and the form to make one.
func (s *Server) tokenList(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.tokens.title", "profile")
	s.renderTokens(w, r, http.StatusOK, tokensPage{base: b, Form: newForm(b.L, tokenForm)})
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, p tokensPage) {
	tokens, err := s.svc.Tokens(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Tokens = tokens
	p.HasErrors = p.Form.HasErrors()
	s.render(w, r, status, "tokens", p)
}
