package service

import (
	"context"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/search"
)

// Search finds what the actor may see: posts and comments of groups they may read, groups
// they may see, people in the directory. A group or person to filter by that the actor may
// not see is not_found, as everywhere. Kinds that later capabilities bring (articles, events)
// are accepted and find nothing yet.
func (s *Service) Search(ctx context.Context, f biebplein.SearchFilter) (*biebplein.SearchPage, error) {
	a, v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := search.Parse(f.Query); err != nil {
		return nil, err
	}
	f.Viewer = v
	f.Limit = min(f.Limit, MaxPageSize)
	if !f.From.IsZero() && !f.Until.IsZero() && !f.Until.After(f.From) {
		return nil, &biebplein.Error{Code: biebplein.CodeInvalid, Message: "error.period_invalid",
			Fields: map[string]string{"until": "error.period_invalid"}}
	}
	if f.GroupID != "" {
		if _, err := s.Group(ctx, f.GroupID); err != nil {
			return nil, err
		}
	}
	if f.AuthorID != "" {
		p, err := s.store.FindPersonByID(ctx, f.AuthorID)
		if err != nil {
			return nil, err
		}
		if !biebplein.CanSeePerson(a, p) {
			return nil, errNotFound()
		}
	}
	var kinds []biebplein.SearchKind
	for _, k := range f.Kinds {
		switch {
		case k.Valid():
			kinds = append(kinds, k)
		case k == KindArticle || k == KindEvent:
			// not built yet: nothing to find
		default:
			return nil, &biebplein.Error{Code: biebplein.CodeInvalid, Message: "error.search_type_invalid",
				Fields: map[string]string{"type": "error.search_type_invalid"}}
		}
	}
	if len(f.Kinds) > 0 && len(kinds) == 0 {
		return &biebplein.SearchPage{Counts: map[biebplein.SearchKind]int{}, Capped: map[biebplein.SearchKind]bool{}}, nil
	}
	f.Kinds = kinds
	return s.store.Search(ctx, f)
}

// Kinds of the API's search contract that later capabilities bring.
const (
	KindArticle biebplein.SearchKind = "article"
	KindEvent   biebplein.SearchKind = "event"
)
