package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/media"
)

// fileServe sends an attached file to a reader who may read its post.
func (s *Server) fileServe(w http.ResponseWriter, r *http.Request) {
	s.serveFile(w, r, false)
}

// serveFile asks the service whether the reader may read the post the file belongs to, and
// then lets the media store answer, with range requests for video. Files of posts the
// reader may not read, and files of no post, are 404 alike.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, thumb bool) {
	id, ok := pathID(r, "id")
	if !ok || s.media == nil || !media.ValidID(id) {
		s.notFound(w, r)
		return
	}
	a, err := s.svc.Attachment(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.media.Serve(w, r, mediaFile(a), thumb)
}

// mediaFile is the media store's description of an attachment.
func mediaFile(a *biebplein.Attachment) *media.File {
	return &media.File{ID: a.ID, Kind: media.Kind(a.Kind), ContentType: a.ContentType, Name: a.Name,
		Size: a.Size, Width: a.Width, Height: a.Height, HasThumb: a.HasThumb}
}
