package web

// routes registers every HTML route. Wrappers say who may come in: none (public), member
// (signed in), admin (administrators; others get 404); form reads a posted form and checks
// its token.
func (s *Server) routes() {
	s.mux.HandleFunc("GET /static/", s.staticServe)

	s.handle("GET /{$}", s.member(s.homeShow)) // the home feed
	s.handle("/", s.fallback)

	// Signing in and out, the language of signed-out visitors.
	s.handle("GET /login", s.loginShow)
	s.handle("POST /login", s.form(s.loginSubmit))
	s.handle("GET /login/code", s.loginCodeShow) // the second step, with two-factor on
	s.handle("POST /login/code", s.form(s.loginCodeSubmit))
	s.handle("POST /logout", s.member(s.form(s.logoutSubmit)))
	s.handle("POST /language", s.form(s.languageSet))

	// A forgotten password: a link by e-mail, then a new password with it.
	s.handle("GET /password-reset", s.passwordResetNew)
	s.handle("POST /password-reset", s.form(s.passwordResetRequest))
	s.handle("GET /password-reset/{token}", s.passwordResetEdit)
	s.handle("POST /password-reset/{token}", s.form(s.passwordResetSubmit))

	// The first administrator, invited people.
	s.handle("GET /setup/{token}", s.setupShow)
	s.handle("POST /setup/{token}", s.form(s.setupSubmit))
	s.handle("GET /invite/{token}", s.inviteShow)
	s.handle("POST /invite/{token}", s.form(s.inviteSubmit))
	s.handle("GET /welcome", s.member(s.welcomeShow))

	// The people directory.
	s.handle("GET /people", s.member(s.personList))
	s.handle("GET /people/{id}", s.member(s.personShow))

	// One's own profile, password, simple mode, sessions and API keys.
	s.handle("GET /profile", s.member(s.profileShow))
	s.handle("POST /profile", s.member(s.form(s.profileUpdate)))
	s.handle("POST /profile/password", s.member(s.form(s.passwordUpdate)))
	s.handle("POST /profile/simple", s.member(s.form(s.profileSimple)))
	s.handle("GET /profile/sessions", s.member(s.sessionList))
	s.handle("POST /profile/sessions/{id}/revoke", s.member(s.form(s.sessionRevoke)))
	s.handle("POST /profile/sessions/revoke-others", s.member(s.form(s.sessionRevokeOthers)))
	s.handle("GET /profile/tokens", s.member(s.tokenList))
	s.handle("POST /profile/tokens", s.member(s.form(s.tokenCreate)))
	s.handle("POST /profile/tokens/{id}/revoke", s.member(s.form(s.tokenRevoke)))
	s.handle("GET /profile/two-factor", s.member(s.totpShow))
	s.handle("GET /profile/two-factor/qr.png", s.member(s.totpQR)) // the pending setup's QR code
	s.handle("POST /profile/two-factor/start", s.member(s.form(s.totpStart)))
	s.handle("POST /profile/two-factor/confirm", s.member(s.form(s.totpConfirm)))
	s.handle("POST /profile/two-factor/disable", s.member(s.form(s.totpDisable)))

	// Notifications and what reaches one by e-mail; the link in every e-mail to stop it works
	// without signing in (its token is the authorisation) and takes one-click posts from mail
	// programs, which carry neither cookie nor form token.
	s.handle("GET /notifications", s.member(s.notificationList))
	s.handle("POST /notifications/read", s.member(s.form(s.notificationRead)))
	s.handle("GET /settings/notifications", s.member(s.noticePrefsShow))
	s.handle("POST /settings/notifications", s.member(s.form(s.noticePrefsSave)))
	s.handle("GET /events", s.member(s.eventsStream)) // live updates (server-sent events)
	s.handle("GET /unsubscribe/{token}", s.unsubscribeShow)
	s.handle("POST /unsubscribe/{token}", s.unsubscribeSubmit)

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
	s.handle("GET /admin/audit", s.admin(s.adminAuditList))

	// --- Groups, posts and feeds (issue 3): begin. The visibility walk in social_walk_test.go
	// requests every route of this block as every kind of person; add new routes to its table.
	// Routes outside the block go in access_walk_test.go's table (TestEveryRouteIsWalked).
	s.handle("GET /groups", s.member(s.groupList))
	s.handle("GET /groups/new", s.member(s.groupNew))
	s.handle("POST /groups/new", s.member(s.groupCreate)) // multipart: reads its own body
	s.handle("GET /groups/{id}", s.member(s.groupShow))
	s.handle("GET /groups/{id}/members", s.member(s.groupMembers))
	s.handle("GET /groups/{id}/about", s.member(s.groupAbout))
	s.handle("GET /groups/{id}/edit", s.member(s.groupEdit))
	s.handle("POST /groups/{id}/edit", s.member(s.groupUpdate)) // multipart: reads its own body
	s.handle("GET /groups/{id}/image", s.member(s.groupImage))
	s.handle("POST /groups/{id}/join", s.member(s.form(s.groupJoin)))
	s.handle("POST /groups/{id}/leave", s.member(s.form(s.groupLeave)))
	s.handle("POST /groups/{id}/requests/{pid}/approve", s.member(s.form(s.groupRequestApprove)))
	s.handle("POST /groups/{id}/requests/{pid}/refuse", s.member(s.form(s.groupRequestRefuse)))
	s.handle("POST /groups/{id}/members", s.member(s.form(s.groupMemberAdd)))
	s.handle("POST /groups/{id}/members/{pid}/role", s.member(s.form(s.groupMemberRole)))
	s.handle("POST /groups/{id}/members/{pid}/remove", s.member(s.form(s.groupMemberRemove)))
	s.handle("POST /groups/{id}/posts", s.member(s.groupPostCreate)) // multipart: reads its own body

	s.handle("POST /posts", s.member(s.postCreate)) // multipart: reads its own body
	s.handle("GET /posts/{id}", s.member(s.postShow))
	s.handle("POST /posts/{id}/comments", s.member(s.form(s.commentCreate)))
	s.handle("GET /posts/{id}/edit", s.member(s.postEdit))
	s.handle("POST /posts/{id}/edit", s.member(s.form(s.postUpdate)))
	s.handle("GET /posts/{id}/history", s.member(s.postHistory))
	s.handle("GET /posts/{id}/delete", s.member(s.postDeleteConfirm))
	s.handle("POST /posts/{id}/delete", s.member(s.form(s.postDelete)))
	s.handle("POST /posts/{id}/restore", s.member(s.form(s.postRestore)))
	s.handle("POST /posts/{id}/react", s.member(s.form(s.postReact)))
	s.handle("GET /posts/{id}/reactions/{kind}", s.member(s.postReactors))
	s.handle("POST /posts/{id}/vote", s.member(s.form(s.postVote)))
	s.handle("POST /posts/{id}/accept", s.member(s.form(s.postAccept)))
	s.handle("POST /posts/{id}/read", s.member(s.form(s.postRead)))
	s.handle("POST /posts/{id}/pin", s.member(s.form(s.postPin)))
	s.handle("POST /posts/{id}/unpin", s.member(s.form(s.postUnpin)))
	s.handle("POST /posts/{id}/bookmark", s.member(s.form(s.postBookmark)))
	s.handle("GET /saved", s.member(s.savedList))
	s.handle("GET /search", s.member(s.searchShow))

	s.handle("GET /topics/{topic}", s.member(s.topicShow))
	// Who knows about a topic: activity counts only where the reader may read it.
	s.handle("GET /experts", s.member(s.expertList))
	s.handle("GET /questions", s.member(s.questionList))
	s.handle("GET /questions/new", s.member(s.questionNew))
	s.handle("POST /questions", s.member(s.form(s.questionCreate)))
	s.handle("POST /topics/{topic}/follow", s.member(s.form(s.topicFollow)))
	s.handle("POST /people/{id}/follow", s.member(s.form(s.personFollow)))

	s.handle("GET /files/{id}", s.member(s.fileServe))
	s.handle("GET /files/{id}/thumb", s.member(s.fileThumb))
	// --- Groups, posts and feeds: end.
}
