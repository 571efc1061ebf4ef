package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// postCreate saves a post written in the home page's composer.
func (s *Server) postCreate(w http.ResponseWriter, r *http.Request) {
	s.createPost(w, r, nil)
}

// createPost reads the composer, stores its files, saves the post and goes back to the feed
// it came from. Any problem shows the form again with the text as written; the files stored
// for a post that is not saved are deleted again.
func (s *Server) createPost(w http.ResponseWriter, r *http.Request, g *biebplein.Group) {
	files, fileErr, ok := s.readComposer(w, r)
	if !ok {
		return
	}
	b := s.base(w, r, "web.home.title", "home")
	admins, groups, err := s.adminGroups(r)
	if err != nil {
		s.deleteFiles(files)
		s.fail(w, r, err)
		return
	}
	c := newComposer(&b, groups, admins, g)
	c.Form.read(r)
	c.Options = readPollOptions(r)
	groupID := c.Form.Get("group_id")
	if g != nil {
		groupID = g.ID
	}
	again := func(status int) {
		s.deleteFiles(files)
		if g != nil {
			s.renderGroupPosts(w, r, b, g, status, c)
			return
		}
		s.renderHome(w, r, b, status, c)
	}
	if r.PostForm.Get("more") != "" {
		c.Form.Set("kind", string(biebplein.KindPoll))
		again(http.StatusOK)
		return
	}
	c.Form.CheckText("body")
	in := postInput(c, groupID, attachments(files))
	status := http.StatusBadRequest
	if fileErr != nil && !c.Form.Fail(fileErr) {
		// The disk is full or read-only (unavailable): without this the post would be
		// saved without its file. The form comes back with the text and the reason.
		c.Form.Message = biebplein.ErrorMessage(fileErr)
		status = formStatus(fileErr)
	}
	if !c.Form.OK() {
		again(status)
		return
	}
	p, err := s.svc.CreatePost(r.Context(), in)
	if err != nil {
		if !c.Form.Fail(err) {
			s.deleteFiles(files)
			s.fail(w, r, err)
			return
		}
		again(formStatus(err))
		return
	}
	s.setFlash(w, "web.flash.post_created")
	if g != nil {
		redirect(w, r, groupURL(g.ID)+"#post-"+p.ID)
		return
	}
	redirect(w, r, "/#post-"+p.ID)
}
