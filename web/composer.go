package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/httpx"
	"github.com/biebplein/biebplein/media"
)

// The composer: the form for a new post, on the home page and on a group's page. It is sent
// as multipart/form-data so that files can come with it; each file is streamed into the
// media store before the post is saved.

var composerForm = formSpec{ID: "composer", Fields: []field{
	{Name: "group_id", Label: "web.composer.group", Type: "select"},
	{Name: "kind", Label: "web.composer.kind", Type: "select"},
	{Name: "body", Label: "web.composer.body", Hint: "web.composer.body_hint", Type: "textarea", Mentions: true},
	{Name: "poll_options", Label: "web.composer.options", Hint: "web.composer.options_hint", Type: "poll"},
	{Name: "poll_multiple", Label: "web.composer.multiple", Type: "checkbox"},
	{Name: "poll_closes_at", Label: "web.composer.poll_closes_at", Hint: "web.composer.poll_closes_at_hint", Type: "datetime-local", Optional: true},
	{Name: "pinned_until", Label: "web.composer.pinned_until", Hint: "web.composer.pinned_until_hint", Type: "date", Optional: true},
	{Name: "file", Label: "web.composer.file", Hint: "web.composer.file_hint", Type: "file", Optional: true},
}}

// Poll option fields shown at first and the most there can be.
const (
	pollFieldsStart = 4
	pollFieldsMore  = 2
)

// maxUploadBytes limits the body of a post with its files: the largest video and a little.
const maxUploadBytes = 210 << 20

// maxTextPart limits one text field of a multipart form.
const maxTextPart = 256 << 10

// composer is the new-post form ready to draw.
type composer struct {
	*base
	Form        *Form
	Options     []string // the poll option fields, as typed
	Group       *biebplein.Group
	Action      string
	CanAnnounce bool
	// Polls offers the poll kind and its fields; not in simple mode, which offers a plain
	// post and a question only.
	Polls     bool
	HasGroups bool
	// Asking marks the composer opened to ask a question (AskURL).
	Asking bool
	// Reach is how many people an announcement in Group would reach: shown to its admins
	// beside the choice of kind (nil elsewhere).
	Reach *biebplein.Reach
}

// ReachText says whom an announcement would reach and how many of them get an e-mail.
func (c *composer) ReachText() string {
	if c.Reach == nil {
		return ""
	}
	people, mailed := c.Reach.People, c.Reach.Mailed
	switch {
	case people == 0:
		return c.T("web.composer.reach_none")
	case people == 1 && mailed > 0:
		return c.T("web.composer.reach_one_mailed")
	case people == 1:
		return c.T("web.composer.reach_one")
	case mailed == 0:
		return c.T("web.composer.reach_many_unmailed", c.Number(people))
	case mailed == 1:
		return c.T("web.composer.reach_many_one_mailed", c.Number(people))
	}
	return c.T("web.composer.reach_many", c.Number(people), c.Number(mailed))
}

// OptionID is the element id of poll option field i (the first carries the field's id).
func (c *composer) OptionID(i int) string {
	if i == 0 {
		return c.Form.ID("poll_options")
	}
	return c.Form.ID("poll_options") + "-" + strconv.Itoa(i)
}

// newComposer prepares an empty composer. groups are the reader's own groups; admins those
// they administer; g is the group of a group page (nil on the home page).
func newComposer(b *base, groups []*biebplein.Group, admins map[string]bool, g *biebplein.Group) *composer {
	c := &composer{base: b, Form: newForm(b.L, composerForm), Options: make([]string, pollFieldsStart), Group: g, Action: "/posts"}
	c.Form.Set("kind", string(biebplein.KindPost))
	c.setup(b, groups, admins)
	return c
}

// setup gives the selects their choices. Announcements are offered to group and site
// admins; the service decides when one is sent. Simple mode offers fewer choices: a post or
// a question.
func (c *composer) setup(b *base, groups []*biebplein.Group, admins map[string]bool) {
	opts := []option{{Value: "", Key: "web.form.choose"}}
	for _, g := range groups {
		if g.Membership.IsMember() {
			opts = append(opts, option{Value: g.ID, Text: g.Name})
		}
	}
	c.HasGroups = len(opts) > 1
	c.CanAnnounce = biebplein.IsAdmin(b.Actor) || len(admins) > 0
	if c.Group != nil {
		c.Action = groupURL(c.Group.ID) + "/posts"
		c.CanAnnounce = manages(b.Actor, c.Group)
		c.HasGroups = viewerOf(b.Actor).CanPost(c.Group, c.Group.Membership)
	}
	c.Form.SetOptions("group_id", opts)
	c.Polls = !b.Simple()
	c.CanAnnounce = c.CanAnnounce && !b.Simple()
	kinds := []option{
		{Value: string(biebplein.KindPost), Key: "web.post_kind.post"},
		{Value: string(biebplein.KindQuestion), Key: "web.post_kind.question"},
	}
	if c.Polls {
		kinds = append(kinds, option{Value: string(biebplein.KindPoll), Key: "web.post_kind.poll"})
	}
	if c.CanAnnounce {
		kinds = append(kinds, option{Value: string(biebplein.KindAnnouncement), Key: "web.post_kind.announcement"})
	}
	c.Form.SetOptions("kind", kinds)
}

// readComposer reads a posted composer: multipart with files, or a plain form.
func (s *Server) readComposer(w http.ResponseWriter, r *http.Request) (files []*media.File, fileErr error, ok bool) {
	return s.readUploads(w, r, "file", maxUploadBytes)
}

// readUploads reads a posted form that may carry files: multipart, or a plain form. It checks
// the form token before it stores any file, and stores the files of the named field as they
// arrive (at most limit bytes in all). fileErr is a problem with a file, to show beside the
// file field; the files stored so far are returned and must be deleted by the caller when
// what they belong to is not saved. ok is false when it has answered the request itself.
func (s *Server) readUploads(w http.ResponseWriter, r *http.Request, field string, limit int64) (files []*media.File, fileErr error, ok bool) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			s.bodyError(w, r, err)
			return nil, nil, false
		}
		if !s.csrfOK(r) {
			s.renderError(w, r, http.StatusForbidden, "error.csrf")
			return nil, nil, false
		}
		return nil, nil, true
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		s.renderError(w, r, http.StatusBadRequest, "error.bad_request")
		return nil, nil, false
	}
	r.PostForm = url.Values{}
	checked := false
	textBytes := 0
	fail := func(status int, key string) ([]*media.File, error, bool) {
		s.deleteFiles(files)
		s.renderError(w, r, status, key)
		return nil, nil, false
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			s.deleteFiles(files)
			s.bodyError(w, r, err)
			return nil, nil, false
		}
		name := part.FormName()
		if part.FileName() == "" {
			data, err := io.ReadAll(io.LimitReader(part, maxTextPart+1))
			textBytes += len(data)
			if err != nil {
				s.deleteFiles(files)
				s.bodyError(w, r, err)
				return nil, nil, false
			}
			if len(data) > maxTextPart || textBytes > maxFormBytes {
				return fail(http.StatusRequestEntityTooLarge, "error.too_large")
			}
			r.PostForm.Add(name, string(data))
			continue
		}
		if !checked {
			if !s.csrfOK(r) {
				return fail(http.StatusForbidden, "error.csrf")
			}
			checked = true
		}
		if name != field || fileErr != nil {
			continue // the rest is read past: one problem with files is enough to show
		}
		f, err := s.saveUpload(r.Context(), part)
		if err != nil {
			var tooBig *http.MaxBytesError
			switch {
			case errors.As(err, &tooBig):
				return fail(http.StatusRequestEntityTooLarge, "error.too_large")
			case biebplein.ErrorFields(err)["file"] != "":
				fileErr = err
				continue
			}
			s.deleteFiles(files)
			s.fail(w, r, err)
			return nil, nil, false
		}
		files = append(files, f)
	}
	if !checked && !s.csrfOK(r) {
		return fail(http.StatusForbidden, "error.csrf")
	}
	return files, fileErr, true
}

// saveUpload stores one uploaded file.
func (s *Server) saveUpload(ctx context.Context, part io.Reader) (*media.File, error) {
	if s.media == nil {
		return nil, &biebplein.Error{Code: biebplein.CodeUnavailable, Message: "error.storage_unavailable"}
	}
	name := ""
	if p, ok := part.(interface{ FileName() string }); ok {
		name = p.FileName()
	}
	f, err := s.media.Save(ctx, name, part)
	if err != nil && biebplein.ErrorCode(err) == biebplein.CodeInternal {
		// A broken upload: not the disk's fault.
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, tooBig
		}
		return nil, biebplein.Errorf(biebplein.CodeInvalid, "error.bad_request")
	}
	if err != nil && biebplein.ErrorCode(err) == biebplein.CodeUnavailable {
		// The disk is full or read-only: say so next to the file and give the form back
		// with what was typed, instead of the page for a site that is down.
		s.logger.Error("save upload", "error", err)
		return nil, &biebplein.Error{Code: biebplein.CodeUnavailable, Message: "error.storage_unavailable",
			Fields: map[string]string{"file": "error.storage_unavailable"}}
	}
	return f, err
}

// deleteFiles removes files stored for a post that was not saved.
func (s *Server) deleteFiles(files []*media.File) {
	for _, f := range files {
		s.deleteFile(f.ID)
	}
}

// deleteFile removes a stored file that nothing uses any more; a failure is only logged.
func (s *Server) deleteFile(id string) {
	if s.media == nil {
		return
	}
	if err := s.media.Delete(id); err != nil {
		s.logger.Warn("delete upload", "file", id, "error", err)
	}
}

// csrfOK checks the form token of a signed-in reader's form.
func (s *Server) csrfOK(r *http.Request) bool {
	sess := httpx.SessionFrom(r.Context())
	if sess == nil {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(sess.CSRFToken)) == 1
}

// bodyError answers a request body that could not be read.
func (s *Server) bodyError(w http.ResponseWriter, r *http.Request, err error) {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		s.renderError(w, r, http.StatusRequestEntityTooLarge, "error.too_large")
		return
	}
	s.renderError(w, r, http.StatusBadRequest, "error.bad_request")
}

// attachments turns stored files into a post's attachments.
func attachments(files []*media.File) []*biebplein.Attachment {
	out := make([]*biebplein.Attachment, len(files))
	for i, f := range files {
		out[i] = &biebplein.Attachment{ID: f.ID, Kind: string(f.Kind), ContentType: f.ContentType, Name: f.Name,
			Size: f.Size, Width: f.Width, Height: f.Height, HasThumb: f.HasThumb}
	}
	return out
}

// readPollOptions returns the typed poll options, as many fields as were sent (at least
// the starting number), plus more when "more options" was pressed.
func readPollOptions(r *http.Request) []string {
	opts := r.PostForm["option"]
	if len(opts) > biebplein.MaxPollOptions+pollFieldsMore {
		opts = opts[:biebplein.MaxPollOptions+pollFieldsMore]
	}
	if r.PostForm.Get("more") != "" {
		for i := 0; i < pollFieldsMore && len(opts) < biebplein.MaxPollOptions; i++ {
			opts = append(opts, "")
		}
	}
	for len(opts) < pollFieldsStart {
		opts = append(opts, "")
	}
	return opts
}

// postInput builds the service's input from the composer. A closing time or pinning date
// that is no date is a problem of its field, recorded on the form; whether it lies in the
// past is the domain's check.
func postInput(c *composer, groupID string, atts []*biebplein.Attachment) biebplein.PostInput {
	in := biebplein.PostInput{GroupID: groupID, Kind: biebplein.PostKind(c.Form.Get("kind")), Body: c.Form.Get("body"), Attachments: atts}
	switch in.Kind {
	case biebplein.KindPoll:
		in.PollOptions = c.Options
		in.PollMultiple = c.Form.Checked("poll_multiple")
		in.PollClosesAt = c.Form.Time("poll_closes_at", c.zone, dateTimeLayouts, false)
	case biebplein.KindAnnouncement:
		in.PinnedUntil = c.Form.Time("pinned_until", c.zone, dateLayouts, true)
	}
	return in
}

// The forms of a date and time field: what browsers send (with or without seconds), and
// the Dutch notation typed into a browser that shows a plain text field.
var (
	dateTimeLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2-1-2006 15:04"}
	dateLayouts     = []string{"2006-01-02", "2-1-2006"}
)

// MoreOptions reports whether more poll option fields may be added.
func (c *composer) MoreOptions() bool { return len(c.Options) < biebplein.MaxPollOptions }
