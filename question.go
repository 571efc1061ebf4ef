package biebplein

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// "Stel een vraag" (issue 5): a sparring question is a post of kind question with topics,
// written in the network-wide "Vraag en antwoord" space (or a group of the author's), that
// may ask up to MaxQuestionAsk people the finder suggests directly. A question nobody
// answers goes to the advisors of the support organisation after some days.

// Limits of a question.
const (
	MaxQuestionTitleLen = 150
	MaxQuestionTopics   = 5
	// MaxQuestionAsk is how many people one question may ask directly.
	MaxQuestionAsk = 5
	// QuestionSuggestions is how many people the form suggests.
	QuestionSuggestions = 8
	// DefaultEscalateDays is after how many days without an answer a question goes to the
	// advisors (BIEBPLEIN_QUESTION_ESCALATE_DAYS; 0 turns it off).
	DefaultEscalateDays = 5
	// EscalateWindow is how far beyond the escalation age questions are still forwarded:
	// turning the setting on (or raising it) does not send the advisors every old question.
	EscalateWindow = 30 * 24 * time.Hour
)

// QuestionSpaceName is the name the "Vraag en antwoord" space is made with; administrators
// may rename it.
const QuestionSpaceName = "Vraag en antwoord"

// QuestionSpaceDescription is its description when it is made.
const QuestionSpaceDescription = "Stel hier uw vraag aan het hele netwerk. Iedereen mag meelezen en antwoorden."

// QuestionInput is what someone asking a question writes.
type QuestionInput struct {
	Title  string
	Body   string   // optional explanation, Markdown like a post
	Topics []string // as typed; normalised by Normalize
	// GroupID is where the question goes; "" for the "Vraag en antwoord" space.
	GroupID string
	// Ask are the people asked directly (ids), at most MaxQuestionAsk.
	Ask []string
}

// Normalize trims the texts and normalises the topics and the people asked (duplicates go).
func (in *QuestionInput) Normalize() {
	in.Title = collapseSpace(in.Title)
	in.Body = trimText(in.Body)
	in.Topics = NormalizeTags(in.Topics)
	var ask []string
	for _, id := range in.Ask {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(ask, id) {
			ask = append(ask, id)
		}
	}
	in.Ask = ask
}

// TopicWord reports whether a topic can be written as a #topic: letters, digits, - and _,
// with at least one letter.
func TopicWord(t string) bool {
	letters := 0
	for _, r := range t {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r) || unicode.IsMark(r) || r == '-' || r == '_':
		default:
			return false
		}
	}
	return letters > 0
}

// Validate checks the input on its own; who may be asked is the service's check.
func (in *QuestionInput) Validate() error {
	var v Validation
	checkText(&v, "title", in.Title, MaxQuestionTitleLen, true)
	v.Check(ValidText(in.Body), "body", "error.text_invalid")
	checkTopics(&v, in.Topics)
	v.Check(len(in.Ask) <= MaxQuestionAsk, "ask", "error.question_ask_too_many")
	return v.Err()
}

// ValidateTopics checks the topics of a question (normalised), for the suggestions.
func ValidateTopics(topics []string) error {
	var v Validation
	checkTopics(&v, topics)
	return v.Err()
}

func checkTopics(v *Validation, topics []string) {
	for _, t := range topics {
		switch {
		case !ValidText(t):
			v.Add("topics", "error.text_invalid")
		case utf8.RuneCountInString(t) > MaxTagLen:
			v.Add("topics", "error.question_topic_too_long")
		case !TopicWord(t):
			v.Add("topics", "error.question_topic_word")
		}
	}
	v.Check(len(topics) <= MaxQuestionTopics, "topics", "error.question_topics_too_many")
}

// PostBody is the post a question becomes: the title as its first paragraph, the
// explanation, and the topics as #topics, so that an edit keeps them.
func (in *QuestionInput) PostBody() string {
	parts := []string{in.Title}
	if in.Body != "" {
		parts = append(parts, in.Body)
	}
	if len(in.Topics) > 0 {
		tags := make([]string, len(in.Topics))
		for i, t := range in.Topics {
			tags[i] = "#" + t
		}
		parts = append(parts, strings.Join(tags, " "))
	}
	return strings.Join(parts, "\n\n")
}

// Suggestion is a person the finder suggests for a question's topics, with the reasons per
// topic.
type Suggestion struct {
	Person  *Person
	Score   int // the sum of the scores for each topic
	Reasons []TopicReason
}

// TopicReason is a reason a person knows about one of the topics.
type TopicReason struct {
	Topic string
	ExpertReason
}

// QuestionState is what a question page shows besides the post: whom it asked and whether
// it went to the advisors.
type QuestionState struct {
	Asked       []PersonRef
	EscalatedAt *time.Time
}

// Escalation is an open question old enough to go to the advisors.
type Escalation struct {
	PostID         string
	GroupID        string
	AuthorID       string
	OrganisationID string // the author's organisation
	Topics         []string
	CreatedAt      time.Time
}

// EscalationFilter selects the questions to forward: not answered by anyone but their
// author, not accepted, not deleted, not forwarded, created between After and Before.
type EscalationFilter struct {
	Before time.Time
	After  time.Time
	// Next continues after this question of the previous page (keyset on creation time and
	// id), so that questions nobody can take (no advisor may read them) do not keep newer
	// ones from their turn.
	Next  *Escalation
	Limit int
}

// AdvisorFilter selects the active advisors of one organisation.
type AdvisorFilter struct {
	OrganisationID string
	// Topics, when given, keeps only advisors with one of them as expertise or interest.
	Topics []string
}

// QuestionStore keeps what sparring questions add to posts.
type QuestionStore interface {
	// EnsureQuestionSpace returns the id of the "Vraag en antwoord" space, making it (network
	// visible, without members) the first time. Safe when several instances start at once.
	EnsureQuestionSpace(ctx context.Context, name, description string) (string, error)
	// FindReaders returns those of personIDs (active people) who may read the group, decided
	// by Viewer.CanReadGroup, in the given order. Returns not_found for an unknown group.
	FindReaders(ctx context.Context, groupID string, personIDs []string) ([]string, error)
	// FindQuestionState returns whom a question asked and when it was escalated.
	FindQuestionState(ctx context.Context, postID string) (*QuestionState, error)
	// FindEscalations returns the open questions the filter selects, oldest first.
	FindEscalations(ctx context.Context, f EscalationFilter) ([]*Escalation, error)
	// FindAdvisors returns the ids of the active advisors the filter selects, by name.
	FindAdvisors(ctx context.Context, f AdvisorFilter) ([]string, error)
	// EscalateQuestion marks a question escalated at at and writes the notices, in one
	// transaction, only if it is still open, unanswered and not escalated; it reports
	// whether it did. Two instances calling it for one question escalate it once.
	EscalateQuestion(ctx context.Context, postID string, at time.Time, notices ...Notice) (bool, error)
}
