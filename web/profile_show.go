package web

import (
	"net/http"
	"strings"

	"github.com/biebplein/biebplein"
)

var profileForm = formSpec{ID: "profile", Fields: []field{
	{Name: "name", Label: "web.profile.name", Type: "text", Autocomplete: "name"},
	{Name: "function", Label: "web.profile.function", Hint: "web.profile.function_hint", Type: "text", Autocomplete: "organization-title", Optional: true},
	{Name: "bio", Label: "web.profile.bio", Hint: "web.profile.bio_hint", Type: "textarea", Optional: true},
	{Name: "expertise", Label: "web.profile.expertise", Hint: "web.profile.expertise_hint", Type: "text", Optional: true, List: "expertise-tags"},
	{Name: "interests", Label: "web.profile.interests", Hint: "web.profile.interests_hint", Type: "text", Optional: true},
	{Name: "locale", Label: "web.profile.locale", Type: "select", Options: []option{
		{Value: biebplein.LocaleNL, Key: "web.lang.nl"},
		{Value: biebplein.LocaleEN, Key: "web.lang.en"},
	}},
}}

var passwordForm = formSpec{ID: "password", Fields: []field{
	{Name: "current_password", Label: "web.password.current", Type: "password", Autocomplete: "current-password"},
	{Name: "password", Label: "web.password.new", Hint: "web.password.hint", Type: "password", Autocomplete: "new-password"},
	{Name: "password_repeat", Label: "web.password.repeat", Type: "password", Autocomplete: "new-password"},
}}

type profilePage struct {
	base
	Form         *Form
	PasswordForm *Form
	Tags         []string // suggestions for the expertise field
}

// profileShow shows the forms to edit one's own profile and password.
func (s *Server) profileShow(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.profile.title", "profile")
	s.renderProfile(w, r, http.StatusOK, b, nil, nil)
}

// renderProfile shows the profile page; a nil form is filled from the reader's profile.
func (s *Server) renderProfile(w http.ResponseWriter, r *http.Request, status int, b base, f, pf *Form) {
	if f == nil {
		a := b.Actor
		f = newForm(b.L, profileForm)
		f.Set("name", a.Name)
		f.Set("function", a.Function)
		f.Set("bio", a.Bio)
		f.Set("expertise", strings.Join(a.Expertise, ", "))
		f.Set("interests", strings.Join(a.Interests, ", "))
		f.Set("locale", a.Locale)
	}
	if pf == nil {
		pf = newForm(b.L, passwordForm)
	}
	tags, err := s.tagSuggestions(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b.HasErrors = f.HasErrors() || pf.HasErrors()
	s.render(w, r, status, "profile", profilePage{base: b, Form: f, PasswordForm: pf, Tags: tags})
}
