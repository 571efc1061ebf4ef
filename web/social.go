package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/biebplein/biebplein"
)

// Helpers shared by the pages of groups, posts and feeds: catalogue keys of the social
// kinds, the relative time, cursors and the way back after a button.

// Catalogue keys of visibilities, post kinds, reactions and roles.
var (
	visibilityKeys = map[biebplein.Visibility]string{
		biebplein.VisPublic:       "web.vis.public",
		biebplein.VisNetwork:      "web.vis.network",
		biebplein.VisOrganisation: "web.vis.organisation",
		biebplein.VisClosed:       "web.vis.closed",
		biebplein.VisSecret:       "web.vis.secret",
	}
	visibilityHintKeys = map[biebplein.Visibility]string{
		biebplein.VisPublic:       "web.vis.public_hint",
		biebplein.VisNetwork:      "web.vis.network_hint",
		biebplein.VisOrganisation: "web.vis.organisation_hint",
		biebplein.VisClosed:       "web.vis.closed_hint",
		biebplein.VisSecret:       "web.vis.secret_hint",
	}
	postKindKeys = map[biebplein.PostKind]string{
		biebplein.KindPost:         "web.post_kind.post",
		biebplein.KindQuestion:     "web.post_kind.question",
		biebplein.KindPoll:         "web.post_kind.poll",
		biebplein.KindAnnouncement: "web.post_kind.announcement",
	}
	reactionKeys = map[biebplein.ReactionKind]string{
		biebplein.ReactLike:       "web.reaction.like",
		biebplein.ReactThanks:     "web.reaction.thanks",
		biebplein.ReactInsightful: "web.reaction.insightful",
		biebplein.ReactCelebrate:  "web.reaction.celebrate",
	}
	roleKeys = map[biebplein.Role]string{
		biebplein.RoleAdmin:  "web.role.admin",
		biebplein.RoleMember: "web.role.member",
	}
)

func keyOr[K comparable](m map[K]string, k K) string {
	if key, ok := m[k]; ok {
		return key
	}
	return "web.unknown"
}

func visKey(v biebplein.Visibility) string        { return keyOr(visibilityKeys, v) }
func visHintKey(v biebplein.Visibility) string    { return keyOr(visibilityHintKeys, v) }
func postKindKey(k biebplein.PostKind) string     { return keyOr(postKindKeys, k) }
func reactionKey(k biebplein.ReactionKind) string { return keyOr(reactionKeys, k) }
func roleKey(r biebplein.Role) string             { return keyOr(roleKeys, r) }

// socialKeys are the catalogue keys of the tables above, for the start-up check.
func socialKeys() []string {
	var keys []string
	for _, m := range []map[biebplein.Visibility]string{visibilityKeys, visibilityHintKeys} {
		for _, k := range m {
			keys = append(keys, k)
		}
	}
	for _, k := range postKindKeys {
		keys = append(keys, k)
	}
	for _, k := range reactionKeys {
		keys = append(keys, k)
	}
	for _, k := range roleKeys {
		keys = append(keys, k)
	}
	keys = append(keys, "web.size.mb", "web.size.kb", "web.size.bytes")
	return append(keys, agoKeys...)
}

var agoKeys = []string{"web.ago.now", "web.ago.minute", "web.ago.minutes", "web.ago.hour", "web.ago.hours", "web.ago.yesterday", "web.ago.days"}

// Ago says how long ago t was, in words ("5 minuten geleden"); after a week the date.
func (b base) Ago(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return b.T("web.ago.now")
	case d < 2*time.Minute:
		return b.T("web.ago.minute")
	case d < time.Hour:
		return b.T("web.ago.minutes", int(d/time.Minute))
	case d < 2*time.Hour:
		return b.T("web.ago.hour")
	case d < 24*time.Hour:
		return b.T("web.ago.hours", int(d/time.Hour))
	case d < 48*time.Hour:
		return b.T("web.ago.yesterday")
	case d < 7*24*time.Hour:
		return b.T("web.ago.days", int(d/(24*time.Hour)))
	}
	return b.Time(t)
}

// Size says how large a file is, in kB or MB.
func (b base) Size(n int64) string {
	switch {
	case n >= 1<<20:
		return b.T("web.size.mb", float64(n)/(1<<20))
	case n >= 1<<10:
		return b.T("web.size.kb", (n+512)>>10)
	}
	return b.T("web.size.bytes", n)
}

// followView is a follow button: where it posts and whether the reader follows already.
type followView struct {
	*base
	Action string
	On     bool
}

// Datetime is t for the datetime attribute of <time>.
func (b base) Datetime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// cursor reads the "after" cursor of a list page; anything that is not text is no cursor.
func cursor(r *http.Request) string {
	after := r.URL.Query().Get("after")
	if len(after) > 500 || !biebplein.ValidText(after) {
		return ""
	}
	return after
}

// pageURLs returns the links to the first page (when not on it) and to the next page.
func pageURLs(r *http.Request, after, next string) (first, nextURL string) {
	q := r.URL.Query()
	q.Del("after")
	if after != "" {
		first = r.URL.Path + "?" + q.Encode()
	}
	if next != "" {
		q.Set("after", next)
		nextURL = r.URL.Path + "?" + q.Encode()
	}
	return first, nextURL
}

// back is where a button on a list or post sends the reader afterwards: the page they came
// from (a path on this site, from the form's "next" field), or fallback.
func back(r *http.Request, fallback string) string {
	if next := r.PostForm.Get("next"); next != "" && safeNext(next) == next {
		return next
	}
	return fallback
}

// formOn reads a toggle's "on" field: "1" switches on, anything else off.
func formOn(r *http.Request) bool { return r.PostForm.Get("on") == "1" }

func groupURL(id string) string { return "/groups/" + url.PathEscape(id) }
func postURL(id string) string  { return "/posts/" + url.PathEscape(id) }

// groupImageURL is the address of a group's image thumbnail. The version changes whenever the
// group is saved, so that a browser never shows a replaced image from its cache.
func groupImageURL(g *biebplein.Group) string {
	return groupURL(g.ID) + "/image?v=" + strconv.FormatInt(g.UpdatedAt.UnixMilli(), 36)
}
