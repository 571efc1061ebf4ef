package biebplein

import (
	"context"
	"unicode/utf8"
)

// The expertise finder ("Wie weet er van...?", issue 5): people ranked for a topic by what
// they declared and by what they did that the viewer may read. Topics and tags are compared
// folded (case and diacritics: coöperatie = cooperatie), while the tags keep the spelling
// people gave them.

// Why a person is suggested for a topic, strongest first.
const (
	ReasonExpertise = "expertise" // a declared expertise tag
	ReasonInterest  = "interest"  // a declared interest tag
	ReasonFunction  = "function"  // the function contains the topic
	ReasonAnswers   = "answers"   // accepted answers on questions with the topic or the word
	ReasonPosts     = "posts"     // posts with the topic
	ReasonComments  = "comments"  // comments on posts with the topic
	ReasonGroups    = "groups"    // member of groups whose name or description has the topic
)

// Weights of the reasons in an expert's score. Counted reasons add their weight per item,
// up to their cap, so that one busy poster does not outrank a declared expert.
var expertWeights = map[string]struct{ Each, Cap int }{
	ReasonExpertise: {100, 1},
	ReasonInterest:  {30, 1},
	ReasonFunction:  {20, 1},
	ReasonAnswers:   {12, 5},
	ReasonPosts:     {3, 10},
	ReasonComments:  {1, 20},
	ReasonGroups:    {4, 3},
}

// ExpertReasonKinds lists the reasons in their order of strength.
func ExpertReasonKinds() []string {
	return []string{ReasonExpertise, ReasonInterest, ReasonFunction, ReasonAnswers, ReasonPosts, ReasonComments, ReasonGroups}
}

// ReasonScore returns what a reason of this kind with count items adds to a score.
func ReasonScore(kind string, count int) int {
	w := expertWeights[kind]
	return w.Each * min(count, w.Cap)
}

// ExpertReason is one reason a person is suggested, in plain words once translated.
type ExpertReason struct {
	Kind  string // one of the Reason constants
	Count int    // how many (answers, posts, comments, groups); 1 for declared tags
	Label string // the tag as the person wrote it, their function, or the first group's name
}

// Expert is a person suggested for a topic, with their score and the reasons for it.
type Expert struct {
	Person  *Person
	Score   int
	Reasons []ExpertReason // in the order of ExpertReasonKinds
}

// Limits of the expertise finder.
const (
	MaxTopicLen = MaxTagLen
	// ExpertRecentPosts is how many of the newest posts with a topic (that the viewer may
	// read) count as activity: enough to find who is active in it, few enough to stay fast
	// on topics with tens of thousands of posts.
	ExpertRecentPosts = 200
	// ExpertRecentAnswers is how many of the newest answered questions of the network are
	// read for the topic's word in their text (questions with the topic as a #topic count
	// among the ExpertRecentPosts).
	ExpertRecentAnswers = 300
	// ExpertGroups is how many of the groups about a topic (the smallest first) count their
	// members: a common topic is in the name or description of dozens of groups with
	// thousands of members, which would cost more than the rest of the search together.
	ExpertGroups = 10
)

// ExpertFilter asks for the people who know about a topic.
type ExpertFilter struct {
	Topic string // as typed; "#" and case and diacritics do not matter
	// Viewer is whose eyes the activity is counted for: only posts, comments and groups they
	// may read count.
	Viewer         Viewer
	OrganisationID string     // people in this organisation or below it
	Kind           PersonKind // staff, volunteer, partner
	Function       string     // part of the function
	After          string     // cursor: continue after this position (opaque)
	Limit          int        // 0: all
}

// Normalize trims the filter's texts.
func (f *ExpertFilter) Normalize() {
	f.Topic = NormalizeTag(f.Topic)
	f.Function = collapseSpace(f.Function)
}

// Validate checks the filter: a topic is required.
func (f *ExpertFilter) Validate() error {
	var v Validation
	switch {
	case !ValidText(f.Topic):
		v.Add("topic", "error.text_invalid")
	case f.Topic == "":
		v.Add("topic", "error.expert_topic_required")
	case utf8.RuneCountInString(f.Topic) > MaxTopicLen:
		v.Add("topic", "error.expert_topic_too_long")
	}
	v.Check(f.Kind == "" || f.Kind.Valid(), "kind", "error.person_kind_invalid")
	v.Check(ValidText(f.Function) && utf8.RuneCountInString(f.Function) <= MaxFunctionLen, "function", "error.function_too_long")
	return v.Err()
}

// TagUse is a tag in use and how often: by people (expertise, interests) and on posts.
type TagUse struct {
	Tag  string // the most used spelling
	Uses int
}

// ExpertStore finds experts and the tags in use.
type ExpertStore interface {
	// FindExperts returns a page of people for f.Topic, highest score first (then by name),
	// with their reasons, and the cursor of the next page ("" at the end). Deactivated people
	// never appear; activity counts only where f.Viewer may read it. Returns invalid for a
	// cursor this store did not hand out.
	FindExperts(ctx context.Context, f ExpertFilter) ([]*Expert, string, error)
	// FindTagUses returns the tags in use (expertise and interests of active people, topics of
	// posts in public groups as last counted by CountTopics) starting with prefix (folded),
	// most used first, at most limit.
	FindTagUses(ctx context.Context, prefix string, limit int) ([]TagUse, error)
	// CountTopics recounts the topics of posts in public groups for FindTagUses; the hourly
	// housekeeping calls it.
	CountTopics(ctx context.Context) error
}

// ReasonText returns the catalogue key and arguments that say a reason in plain words for a
// topic: "expertise: BoekStart", "3 geaccepteerde antwoorden over voorlezen".
func ReasonText(r ExpertReason, topic string) (string, []any) {
	one := r.Count == 1
	switch r.Kind {
	case ReasonExpertise:
		return "expert.reason.expertise", []any{r.Label}
	case ReasonInterest:
		return "expert.reason.interest", []any{r.Label}
	case ReasonFunction:
		return "expert.reason.function", []any{r.Label}
	case ReasonAnswers:
		if one {
			return "expert.reason.answers_one", []any{topic}
		}
		return "expert.reason.answers", []any{r.Count, topic}
	case ReasonPosts:
		if one {
			return "expert.reason.posts_one", []any{topic}
		}
		return "expert.reason.posts", []any{r.Count, topic}
	case ReasonComments:
		if one {
			return "expert.reason.comments_one", []any{topic}
		}
		return "expert.reason.comments", []any{r.Count, topic}
	case ReasonGroups:
		if one {
			return "expert.reason.groups_one", []any{r.Label}
		}
		return "expert.reason.groups", []any{r.Label, r.Count - 1}
	}
	return "expert.reason.other", nil
}
