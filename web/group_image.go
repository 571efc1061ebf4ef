package web

import (
	"net/http"

	"github.com/biebplein/biebplein/media"
)

// groupImage sends the thumbnail of a group's image to a reader who may see the group. A
// group they may not see and a group without an image are 404 alike.
func (s *Server) groupImage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok || s.media == nil {
		s.notFound(w, r)
		return
	}
	imageID, err := s.svc.GroupImage(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !media.ValidID(imageID) {
		s.notFound(w, r)
		return
	}
	s.media.Serve(w, r, &media.File{ID: imageID, Kind: media.KindImage, HasThumb: true}, true)
}
