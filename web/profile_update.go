package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// profileUpdate saves one's own profile. Tags are typed separated by commas.
func (s *Server) profileUpdate(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.profile.title", "profile")
	f := newForm(b.L, profileForm).read(r)
	// Tags are lower-cased on the way in, which would quietly repair invalid bytes: check first.
	f.CheckText("expertise", "interests")
	status := http.StatusBadRequest
	if f.OK() {
		name, function, bio, locale := f.Get("name"), f.Get("function"), f.Get("bio"), f.Get("locale")
		expertise, interests := biebplein.SplitTags(f.Get("expertise")), biebplein.SplitTags(f.Get("interests"))
		_, err := s.svc.UpdateProfile(r.Context(), b.Actor.ID, biebplein.ProfileUpdate{
			Name: &name, Function: &function, Bio: &bio,
			Expertise: &expertise, Interests: &interests, Locale: &locale,
		})
		if err == nil {
			s.setFlash(w, "web.flash.profile_saved")
			redirect(w, r, "/profile")
			return
		}
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		status = formStatus(err)
	}
	s.renderProfile(w, r, status, b, f, nil)
}
