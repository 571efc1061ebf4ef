package api

import (
	"net/http"

	"github.com/biebplein/biebplein/httpx"
)

// Handler returns every route of the API, with full paths under /api/v1/. Paths that match
// no route answer JSON not_found; a known path with another method answers 405.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, h http.Handler) { mux.Handle(pattern, httpx.Route(h)) }

	handle("POST /api/v1/tokens", http.HandlerFunc(s.tokenCreate))
	handle("GET /api/v1/tokens", s.signedIn(s.tokenList))
	handle("DELETE /api/v1/tokens/{id}", s.signedIn(s.tokenDelete))

	handle("GET /api/v1/me", s.signedIn(s.meShow))
	handle("PATCH /api/v1/me", s.signedIn(s.meUpdate))

	handle("GET /api/v1/organisations", s.signedIn(s.organisationList))
	handle("POST /api/v1/organisations", s.adminOnly(s.organisationCreate))
	handle("GET /api/v1/organisations/{id}", s.signedIn(s.organisationShow))

	handle("GET /api/v1/people", s.signedIn(s.personList))
	handle("POST /api/v1/people", s.adminOnly(s.personCreate))
	handle("GET /api/v1/audit", s.adminOnly(s.auditList))
	handle("GET /api/v1/people/{id}", s.signedIn(s.personShow))
	handle("GET /api/v1/experts", s.signedIn(s.expertList))
	handle("GET /api/v1/tags", s.signedIn(s.tagList))

	// Groups, posts and feeds. Who may see and do what is the service's to decide: a group or
	// post the caller may not see is not_found on every route, whatever the method.
	handle("GET /api/v1/groups", s.signedIn(s.groupList))
	handle("POST /api/v1/groups", s.signedIn(s.groupCreate))
	handle("GET /api/v1/groups/{id}", s.signedIn(s.groupShow))
	handle("POST /api/v1/groups/{id}/join", s.signedIn(s.groupJoin))
	handle("GET /api/v1/groups/{id}/members", s.signedIn(s.memberList))
	handle("POST /api/v1/groups/{id}/members", s.signedIn(s.memberCreate))
	handle("DELETE /api/v1/groups/{id}/members/{person_id}", s.signedIn(s.memberDelete))
	handle("POST /api/v1/groups/{id}/requests/{person_id}/approve", s.signedIn(s.requestApprove))
	handle("GET /api/v1/groups/{id}/posts", s.signedIn(s.groupPostList))
	handle("POST /api/v1/groups/{id}/posts", s.signedIn(s.postCreate))
	handle("GET /api/v1/posts/{id}", s.signedIn(s.postShow))
	handle("PATCH /api/v1/posts/{id}", s.signedIn(s.postUpdate))
	handle("DELETE /api/v1/posts/{id}", s.signedIn(s.postDelete))
	handle("POST /api/v1/posts/{id}/comments", s.signedIn(s.commentCreate))
	handle("POST /api/v1/posts/{id}/reactions", s.signedIn(s.reactionCreate))
	handle("DELETE /api/v1/posts/{id}/reactions/{kind}", s.signedIn(s.reactionDelete))
	handle("POST /api/v1/posts/{id}/votes", s.signedIn(s.voteCreate))
	handle("POST /api/v1/posts/{id}/accept", s.signedIn(s.postAccept))
	handle("POST /api/v1/posts/{id}/read", s.signedIn(s.postRead))
	handle("PUT /api/v1/posts/{id}/bookmark", s.signedIn(s.bookmarkCreate))
	handle("DELETE /api/v1/posts/{id}/bookmark", s.signedIn(s.bookmarkDelete))
	handle("GET /api/v1/feed", s.signedIn(s.feedShow))
	handle("GET /api/v1/topics/{topic}/posts", s.signedIn(s.topicPostList))
	handle("GET /api/v1/questions", s.signedIn(s.questionList))
	handle("POST /api/v1/questions", s.signedIn(s.questionCreate))
	handle("GET /api/v1/questions/suggestions", s.signedIn(s.questionSuggestions))
	handle("GET /api/v1/people/{id}/posts", s.signedIn(s.personPostList))
	handle("GET /api/v1/saved", s.signedIn(s.savedList))
	handle("GET /api/v1/search", s.signedIn(s.search))

	// Notifications, their preferences, and whom an announcement would reach.
	handle("GET /api/v1/notifications", s.signedIn(s.notificationList))
	handle("POST /api/v1/notifications/read", s.signedIn(s.notificationRead))
	handle("GET /api/v1/notifications/preferences", s.signedIn(s.noticePrefsShow))
	handle("PUT /api/v1/notifications/preferences", s.signedIn(s.noticePrefsUpdate))
	handle("GET /api/v1/groups/{id}/reach", s.signedIn(s.notificationReach))
	handle("GET /api/v1/events", s.signedIn(s.eventsStream))

	handle("/api/v1/", s.unknownRoute(mux))
	return mux
}
