package service

import (
	"context"

	"github.com/biebplein/biebplein"
)

// Experts returns a page of the people who know about f.Topic ("Wie weet er van...?"), with
// the reasons they are suggested. Only activity the actor may read counts; deactivated people
// never appear. Returns invalid (fields.topic) without a topic.
func (s *Service) Experts(ctx context.Context, f biebplein.ExpertFilter) ([]*biebplein.Expert, string, error) {
	_, v, err := s.viewer(ctx)
	if err != nil {
		return nil, "", err
	}
	f.Normalize()
	if err := f.Validate(); err != nil {
		return nil, "", err
	}
	f.Viewer = v
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = MaxPageSize
	}
	return s.store.FindExperts(ctx, f)
}

// MaxTagSuggestions is how many tags TagUses suggests at most.
const MaxTagSuggestions = 100

// TagUses suggests the tags in use (expertise, interests, topics of posts everyone may read)
// starting with prefix, most used first, so that one skill stays one tag.
func (s *Service) TagUses(ctx context.Context, prefix string, limit int) ([]biebplein.TagUse, error) {
	if _, err := requireActor(ctx); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > MaxTagSuggestions {
		limit = MaxTagSuggestions
	}
	return s.store.FindTagUses(ctx, prefix, limit)
}
