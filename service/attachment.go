package service

import (
	"context"

	"github.com/biebplein/biebplein"
)

// Attachment returns the file attached to a post, when the actor may read that post, for
// downloading it. A file on a post the actor may not read, or on no post at all, is
// not_found: the same answer, so that nobody learns which files exist.
func (s *Service) Attachment(ctx context.Context, fileID string) (*biebplein.Attachment, error) {
	_, v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	if fileID == "" {
		return nil, errNotFound()
	}
	a, err := s.store.FindAttachment(ctx, fileID)
	if err != nil {
		return nil, err
	}
	if _, err := s.post(ctx, v, a.PostID, 0); err != nil {
		return nil, err
	}
	return a, nil
}
