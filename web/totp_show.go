package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/service"
)

var totpConfirmForm = formSpec{ID: "totp", Fields: []field{
	{Name: "code", Label: "web.totp.code", Hint: "web.totp.code_hint", Type: "text", Autocomplete: "one-time-code"},
}}

var totpDisableForm = formSpec{ID: "totp-off", Fields: []field{
	{Name: "current_password", Label: "web.totp.password", Type: "password", Autocomplete: "current-password"},
}}

// totpPage is the two-factor page: its state, an enrolment under way (secret and URI), or the
// recovery codes just made (shown this once).
type totpPage struct {
	base
	Enabled       bool
	Required      bool // must be set up before anything else
	Mandatory     bool // may not be turned off
	Enrolment     *service.TOTPEnrolment
	RecoveryCodes []string
	Confirm       *Form
	Disable       *Form
}

// totpShow shows whether two-factor is on, with the way to turn it on or off.
func (s *Server) totpShow(w http.ResponseWriter, r *http.Request) {
	s.renderTOTP(w, r, http.StatusOK, totpPage{})
}

// renderTOTP fills in the common parts of the two-factor page and renders it.
func (s *Server) renderTOTP(w http.ResponseWriter, r *http.Request, status int, p totpPage) {
	p.base = s.base(w, r, "web.totp.title", "profile")
	a := biebplein.ActorFrom(r.Context())
	p.Enabled, p.Required, p.Mandatory = a.TOTPEnabled, s.svc.TOTPRequired(a), s.svc.TOTPMandatory(a)
	if p.Confirm == nil {
		p.Confirm = newForm(p.L, totpConfirmForm)
	}
	if p.Disable == nil {
		p.Disable = newForm(p.L, totpDisableForm)
	}
	p.HasErrors = p.Confirm.HasErrors() || p.Disable.HasErrors()
	s.render(w, r, status, "two_factor", p)
}
