package web

// routes registers every HTML route. Wrappers say who may come in: none (public), member
// (signed in), admin (administrators; others get 404); form reads a posted form and checks
// its token.
func (s *Server) routes() {
	s.mux.HandleFunc("GET /static/", s.staticServe)

	s.handle("GET /{$}", s.member(s.homeShow))
	s.handle("/", s.fallback)

	// Signing in and out, the language of signed-out visitors.
	s.handle("GET /login", s.loginShow)
	s.handle("POST /login", s.form(s.loginSubmit))
	s.handle("POST /logout", s.member(s.form(s.logoutSubmit)))
	s.handle("POST /language", s.form(s.languageSet))

	// The first administrator, invited people.
	s.handle("GET /setup/{token}", s.setupShow)
	s.handle("POST /setup/{token}", s.form(s.setupSubmit))
	s.handle("GET /invite/{token}", s.inviteShow)
	s.handle("POST /invite/{token}", s.form(s.inviteSubmit))
	s.handle("GET /welcome", s.member(s.welcomeShow))

	// The people directory.
	s.handle("GET /people", s.member(s.personList))
	s.handle("GET /people/{id}", s.member(s.personShow))

	// One's own profile, password, sessions and API keys.
	s.handle("GET /profile", s.member(s.profileShow))
	s.handle("POST /profile", s.member(s.form(s.profileUpdate)))
	s.handle("POST /profile/password", s.member(s.form(s.passwordUpdate)))
	s.handle("GET /profile/sessions", s.member(s.sessionList))
	s.handle("POST /profile/sessions/{id}/revoke", s.member(s.form(s.sessionRevoke)))
	s.handle("POST /profile/sessions/revoke-others", s.member(s.form(s.sessionRevokeOthers)))
	s.handle("GET /profile/tokens", s.member(s.tokenList))
	s.handle("POST /profile/tokens", s.member(s.form(s.tokenCreate)))
	s.handle("POST /profile/tokens/{id}/revoke", s.member(s.form(s.tokenRevoke)))

	// Administration.
	s.handle("GET /admin", s.admin(s.adminShow))
	s.handle("GET /admin/organisations", s.admin(s.organisationList))
	s.handle("GET /admin/organisations/new", s.admin(s.organisationNew))
	s.handle("POST /admin/organisations", s.admin(s.form(s.organisationCreate)))
	s.handle("GET /admin/organisations/{id}", s.admin(s.organisationEdit))
	s.handle("POST /admin/organisations/{id}", s.admin(s.form(s.organisationUpdate)))
	s.handle("GET /admin/people", s.admin(s.adminPersonList))
	s.handle("GET /admin/people/new", s.admin(s.adminPersonNew))
	s.handle("POST /admin/people", s.admin(s.form(s.adminPersonCreate)))
	s.handle("GET /admin/people/{id}", s.admin(s.adminPersonEdit))
	s.handle("POST /admin/people/{id}", s.admin(s.form(s.adminPersonUpdate)))
	s.handle("POST /admin/people/{id}/deactivate", s.admin(s.form(s.adminPersonDeactivate)))
	s.handle("POST /admin/people/{id}/reactivate", s.admin(s.form(s.adminPersonReactivate)))
	s.handle("POST /admin/people/{id}/invitation", s.admin(s.form(s.adminPersonReinvite)))
	s.handle("POST /admin/people/{id}/sessions/{sid}/revoke", s.admin(s.form(s.adminSessionRevoke)))
	s.handle("POST /admin/people/{id}/sessions/revoke-all", s.admin(s.form(s.adminSessionRevokeAll)))
}
