package service

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/biebplein/biebplein"
)

// "Stel een vraag" (issue 5): a question with topics in the "Vraag en antwoord" space or a
// group of the author's; the finder suggests who knows, the author asks up to five of them,
// and a question nobody answers goes to the advisors of the support organisation.

// EnsureQuestionSpace makes the "Vraag en antwoord" space when the site has none yet and
// returns its id. The program calls it at start; the question pages call it too, so a
// site that has not restarted since still has one.
func (s *Service) EnsureQuestionSpace(ctx context.Context) (string, error) {
	return s.store.EnsureQuestionSpace(ctx, biebplein.QuestionSpaceName, biebplein.QuestionSpaceDescription)
}

// QuestionDestinations lists where the actor may ask a question: the "Vraag en antwoord"
// space first (when they may read it: not partners, who reach only the spaces shared with
// them), then the groups they are a member of and may post in, by name.
func (s *Service) QuestionDestinations(ctx context.Context) ([]*biebplein.Group, error) {
	_, v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	spaceID, err := s.EnsureQuestionSpace(ctx)
	if err != nil {
		return nil, err
	}
	var out []*biebplein.Group
	if g, err := s.group(ctx, v, spaceID); err == nil && v.CanPost(g, g.Membership) {
		out = append(out, g)
	} else if err != nil && biebplein.ErrorCode(err) != biebplein.CodeNotFound {
		return nil, err
	}
	mine, _, err := s.store.FindGroups(ctx, biebplein.GroupFilter{Member: true, Limit: MaxPageSize,
		Scope: biebplein.GroupScope{Viewer: v, Access: biebplein.AccessSee}})
	if err != nil {
		return nil, err
	}
	for _, g := range mine {
		if g.ID != spaceID && v.CanPost(g, g.Membership) {
			out = append(out, g)
		}
	}
	return out, nil
}

// destination is the group a question goes to: groupID, or the "Vraag en antwoord" space for
// "". A group the actor may not see is not_found; one they may not post in is forbidden.
func (s *Service) destination(ctx context.Context, v biebplein.Viewer, groupID string) (*biebplein.Group, error) {
	if groupID == "" {
		id, err := s.EnsureQuestionSpace(ctx)
		if err != nil {
			return nil, err
		}
		groupID = id
	}
	g, err := s.group(ctx, v, groupID)
	if err != nil {
		return nil, err
	}
	if !v.CanPost(g, g.Membership) {
		return nil, &biebplein.Error{Code: biebplein.CodeForbidden, Message: "error.question_group_not_allowed",
			Fields: map[string]string{"group_id": "error.question_group_not_allowed"}}
	}
	return g, nil
}

// QuestionSuggestions returns the people the finder suggests for a question's topics (at
// most QuestionSuggestions), best first: their scores for each topic added up, the actor left
// out, and only people who may read the destination (groupID, "" for the space), so that
// nobody is asked about a question they cannot open. Returns invalid (fields.topics) for bad
// topics, not_found or forbidden for the destination.
func (s *Service) QuestionSuggestions(ctx context.Context, topics []string, groupID string) ([]*biebplein.Suggestion, error) {
	_, v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	topics = biebplein.NormalizeTags(topics)
	if err := biebplein.ValidateTopics(topics); err != nil {
		return nil, err
	}
	g, err := s.destination(ctx, v, groupID)
	if err != nil {
		return nil, err
	}
	byID := map[string]*biebplein.Suggestion{}
	var ids []string
	for _, t := range topics {
		f := biebplein.ExpertFilter{Topic: t, Viewer: v, Limit: 3 * biebplein.QuestionSuggestions}
		f.Normalize()
		experts, _, err := s.store.FindExperts(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, e := range experts {
			if e.Person.ID == v.PersonID {
				continue
			}
			sg, ok := byID[e.Person.ID]
			if !ok {
				sg = &biebplein.Suggestion{Person: e.Person}
				byID[e.Person.ID] = sg
				ids = append(ids, e.Person.ID)
			}
			sg.Score += e.Score
			for _, r := range e.Reasons {
				sg.Reasons = append(sg.Reasons, biebplein.TopicReason{Topic: f.Topic, ExpertReason: r})
			}
		}
	}
	readers, err := s.store.FindReaders(ctx, g.ID, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*biebplein.Suggestion, 0, len(readers))
	for _, id := range readers {
		out = append(out, byID[id])
	}
	slices.SortStableFunc(out, func(a, b *biebplein.Suggestion) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Person.Name, b.Person.Name), cmp.Compare(a.Person.ID, b.Person.ID))
	})
	if len(out) > biebplein.QuestionSuggestions {
		out = out[:biebplein.QuestionSuggestions]
	}
	return out, nil
}

// AskQuestion writes a question post in its destination and tells each person asked
// (NoticeAsked), in the post's transaction. Everyone asked must be someone else who may
// read the destination. Returns invalid with fields title, body, topics and ask (more than
// MaxQuestionAsk, error.question_ask_too_many; someone who cannot read it or does not exist,
// error.question_ask_cannot_read; the author, error.question_ask_self), not_found for an
// invisible destination and forbidden (fields.group_id) for one the actor may not post in.
func (s *Service) AskQuestion(ctx context.Context, in biebplein.QuestionInput) (*biebplein.Post, error) {
	_, v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	in.Normalize()
	var val biebplein.Validation
	mergeFields(&val, in.Validate(), nil)
	g, err := s.destination(ctx, v, in.GroupID)
	if err != nil {
		return nil, err
	}
	if len(in.Ask) > 0 && !val.Has("ask") {
		readers, err := s.store.FindReaders(ctx, g.ID, in.Ask)
		if err != nil {
			return nil, err
		}
		switch {
		case slices.Contains(in.Ask, v.PersonID):
			val.Add("ask", "error.question_ask_self")
		case len(readers) != len(in.Ask):
			val.Add("ask", "error.question_ask_cannot_read")
		}
	}
	if err := val.Err(); err != nil {
		return nil, err
	}
	return s.createPost(ctx, biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindQuestion, Body: in.PostBody()}, in.Ask)
}

// QuestionState returns whom a question the actor may read asked, and whether it went to
// the advisors.
func (s *Service) QuestionState(ctx context.Context, postID string) (*biebplein.QuestionState, error) {
	_, v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.post(ctx, v, postID, 0); err != nil {
		return nil, err
	}
	return s.store.FindQuestionState(ctx, postID)
}

// EscalateQuestions forwards the questions nobody but their author answered within age (and
// not longer ago than age plus biebplein.EscalateWindow) to the advisors of the support
// organisation the author's organisation hangs under: the advisors whose expertise or
// interests match one of the question's topics, else all its advisors; only those who may
// read the question. A question without such advisors waits for the next run. Each
// question is marked in the transaction of its notices, so it is forwarded once, also with
// several instances running this job. Returns how many questions were forwarded. It is a
// job of the program (hourly housekeeping), not of a person: it needs no actor.
func (s *Service) EscalateQuestions(ctx context.Context, age time.Duration) (int, error) {
	if age <= 0 {
		return 0, nil
	}
	now := s.now()
	f := biebplein.EscalationFilter{Before: now.Add(-age), After: now.Add(-age - biebplein.EscalateWindow), Limit: escalationPage}
	supportOf := map[string]string{} // organisation -> its support organisation ("" for none)
	n := 0
	for {
		list, err := s.store.FindEscalations(ctx, f)
		if err != nil || len(list) == 0 {
			return n, err
		}
		done, err := s.escalate(ctx, list, now, supportOf)
		n += done
		if err != nil || len(list) < f.Limit {
			return n, err
		}
		f.Next = list[len(list)-1]
	}
}

// escalationPage is how many questions EscalateQuestions reads at a time.
const escalationPage = 100

// escalate forwards the questions of one page, returning how many it forwarded.
func (s *Service) escalate(ctx context.Context, list []*biebplein.Escalation, now time.Time, supportOf map[string]string) (int, error) {
	n := 0
	for _, e := range list {
		root, ok := supportOf[e.OrganisationID]
		if !ok {
			var err error
			if root, err = s.supportOrganisation(ctx, e.OrganisationID); err != nil {
				return n, err
			}
			supportOf[e.OrganisationID] = root
		}
		if root == "" {
			continue
		}
		advisors, err := s.readingAdvisors(ctx, e, root)
		if err != nil {
			return n, err
		}
		if len(advisors) == 0 {
			continue
		}
		notice := s.notice(biebplein.NoticeEscalated, e.AuthorID, e.PostID, e.GroupID, biebplein.Audience{People: advisors})
		notice.At, notice.MailAt = now, now // the question waited long enough
		done, err := s.store.EscalateQuestion(ctx, e.PostID, now, notice)
		if err != nil {
			return n, err
		}
		if done {
			n++
			s.told(ctx, []biebplein.Notice{notice})
		}
	}
	return n, nil
}

// supportOrganisation returns the support organisation at the root of an organisation's
// chain, or "" when the root is not one (a partner organisation on its own).
func (s *Service) supportOrganisation(ctx context.Context, orgID string) (string, error) {
	chain, err := s.store.OrganisationChain(ctx, orgID)
	if err != nil || len(chain) == 0 {
		return "", err
	}
	root, err := s.store.FindOrganisationByID(ctx, chain[len(chain)-1])
	if err != nil {
		return "", err
	}
	if root.Kind != biebplein.OrgSupport {
		return "", nil
	}
	return root.ID, nil
}

// readingAdvisors returns the advisors of the support organisation root who may read the
// question and are not its author: those matching a topic, else all.
func (s *Service) readingAdvisors(ctx context.Context, e *biebplein.Escalation, root string) ([]string, error) {
	filters := []biebplein.AdvisorFilter{{OrganisationID: root}}
	if len(e.Topics) > 0 {
		filters = []biebplein.AdvisorFilter{{OrganisationID: root, Topics: e.Topics}, {OrganisationID: root}}
	}
	for _, f := range filters {
		ids, err := s.store.FindAdvisors(ctx, f)
		if err != nil {
			return nil, err
		}
		ids = slices.DeleteFunc(ids, func(id string) bool { return id == e.AuthorID })
		readers, err := s.store.FindReaders(ctx, e.GroupID, ids)
		if err != nil {
			return nil, err
		}
		if len(readers) > 0 {
			return readers, nil
		}
	}
	return nil, nil
}
