package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/biebplein/biebplein"
)

type postCreateRequest struct {
	// Kind is post (the default), question, poll or announcement.
	Kind string       `json:"kind"`
	Body string       `json:"body"`
	Poll *pollRequest `json:"poll"`
	// PinnedUntil keeps an announcement on top until then (RFC 3339); default two weeks.
	PinnedUntil *string `json:"pinned_until"`
}

type pollRequest struct {
	Options  []string `json:"options"`
	Multiple bool     `json:"multiple"`
	ClosesAt *string  `json:"closes_at"`
}

// postFields maps the service's field names to those of the request body.
var postFields = map[string]string{
	"poll_options":   "poll.options",
	"poll_closes_at": "poll.closes_at",
}

// postCreate writes a post in a group the caller is a member of:
// POST /api/v1/groups/{id}/posts answers 201 with the post.
func (s *Server) postCreate(w http.ResponseWriter, r *http.Request) {
	var req postCreateRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	in := biebplein.PostInput{GroupID: pathID(r, "id"), Kind: biebplein.PostKind(req.Kind), Body: req.Body}
	var err error
	if in.PinnedUntil, err = parseTime("pinned_until", req.PinnedUntil); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.Poll != nil {
		if in.Kind != biebplein.KindPoll {
			s.writeError(w, r, fieldError("poll", msgPollNotAllowed))
			return
		}
		in.PollOptions, in.PollMultiple = req.Poll.Options, req.Poll.Multiple
		if in.PollClosesAt, err = parseTime("poll.closes_at", req.Poll.ClosesAt); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	p, err := s.svc.CreatePost(r.Context(), in)
	if err != nil {
		s.writeError(w, r, renameFields(err, postFields))
		return
	}
	s.writePost(w, r, http.StatusCreated, p)
}

// parseTime reads an optional RFC 3339 time of field; nil and "" are no time.
func parseTime(field string, v *string) (*time.Time, error) {
	if v == nil || *v == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, *v)
	if err != nil {
		return nil, fieldError(field, msgTimeInvalid)
	}
	t = t.UTC()
	return &t, nil
}

// renameFields returns err with its field names renamed by names (the service's names to
// those of the request body); other errors as they are.
func renameFields(err error, names map[string]string) error {
	e, ok := errors.AsType[*biebplein.Error](err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	out := &biebplein.Error{Code: e.Code, Message: e.Message, Fields: make(map[string]string, len(e.Fields))}
	for f, key := range e.Fields {
		if n, ok := names[f]; ok {
			f = n
		}
		out.Fields[f] = key
	}
	return out
}
