// Package notify sends what the outbox holds: e-mail about a notification a few minutes after
// it happened (unless it was seen meanwhile), daily and weekly digests, and invitations. It
// runs in every instance; the store's leases make sure no two instances send the same mail.
package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"time"
	_ "time/tzdata" // digests go out at a Dutch hour also where the system has no zone files

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/i18n"
	"github.com/biebplein/biebplein/mail"
	"github.com/biebplein/biebplein/service"
)

// Options configure a Worker. Zero values take the defaults.
type Options struct {
	BaseURL string
	Logger  *slog.Logger
	// Now is the clock; tests move it.
	Now func() time.Time
	// Poll is how often the outbox is looked at (default 2 s).
	Poll time.Duration
	// Lease is how long a claimed mail is this worker's before another may take it over
	// (default 2 minutes, well above the SMTP timeout).
	Lease time.Duration
	// Batch is how many mails are claimed at once (default 20).
	Batch int
	// DigestHour is the hour at which digests go out, in Location (default 7, Europe/Amsterdam);
	// the weekly one on Monday.
	DigestHour int
	Location   *time.Location
	// GiveUp is how long a mail that keeps failing for passing reasons is retried (3 days).
	GiveUp time.Duration
}

// Worker sends the outbox.
type Worker struct {
	store  biebplein.Store
	sender mail.Sender
	opts   Options
	logger *slog.Logger
	id     string
	tmpl   *templates
	write  composer
	// lastSlot is the digest period end this worker last enqueued, per period.
	lastSlot map[biebplein.MailPref]time.Time
}

// New returns a worker sending through sender.
func New(store biebplein.Store, sender mail.Sender, bundle *i18n.Bundle, opts Options) (*Worker, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Poll == 0 {
		opts.Poll = 2 * time.Second
	}
	if opts.Lease == 0 {
		opts.Lease = 2 * time.Minute
	}
	if opts.Batch == 0 {
		opts.Batch = 20
	}
	if opts.DigestHour == 0 {
		opts.DigestHour = 7
	}
	if opts.Location == nil {
		loc, err := time.LoadLocation("Europe/Amsterdam")
		if err != nil {
			return nil, err
		}
		opts.Location = loc
	}
	if opts.GiveUp == 0 {
		opts.GiveUp = 72 * time.Hour
	}
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return &Worker{
		store: store, sender: sender, opts: opts, logger: opts.Logger, tmpl: tmpl,
		id:       fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b)),
		write:    composer{bundle: bundle, baseURL: opts.BaseURL},
		lastSlot: map[biebplein.MailPref]time.Time{},
	}, nil
}

// Run sends until ctx ends.
func (w *Worker) Run(ctx context.Context) error {
	t := time.NewTicker(w.opts.Poll)
	defer t.Stop()
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.logger.Warn("outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// RunOnce enqueues the digests that are due and sends what the outbox holds now, batch after
// batch, returning how many mails were sent.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	now := w.opts.Now()
	if err := w.enqueueDigests(ctx, now); err != nil {
		return 0, err
	}
	sent := 0
	for ctx.Err() == nil {
		items, err := w.store.ClaimOutbox(ctx, w.id, now, now.Add(w.opts.Lease), w.opts.Batch)
		if err != nil {
			return sent, err
		}
		for _, it := range items {
			r := w.deliver(ctx, it)
			if r.State == biebplein.OutboxSent {
				sent++
			}
			if err := w.store.FinishOutbox(ctx, w.id, it, r, w.opts.Now()); err != nil {
				return sent, err
			}
		}
		if len(items) < w.opts.Batch {
			break
		}
	}
	return sent, nil
}

// enqueueDigests adds the digests of a period that ended, once per period per worker (and
// once in all, by the store's dedupe key).
func (w *Worker) enqueueDigests(ctx context.Context, now time.Time) error {
	for _, period := range []biebplein.MailPref{biebplein.MailDaily, biebplein.MailWeekly} {
		slot := DigestSlot(now, period, w.opts.DigestHour, w.opts.Location)
		if w.lastSlot[period].Equal(slot) {
			continue
		}
		n, err := w.store.EnqueueDigests(ctx, period, slot)
		if err != nil {
			return err
		}
		if n > 0 {
			w.logger.Info("digests enqueued", "period", period, "until", slot, "count", n)
		}
		w.lastSlot[period] = slot
	}
	return nil
}

// DigestSlot returns the end of the latest digest period at now: today's (or, before the
// hour, yesterday's) hour for daily digests, the latest Monday's for weekly ones.
func DigestSlot(now time.Time, period biebplein.MailPref, hour int, loc *time.Location) time.Time {
	local := now.In(loc)
	slot := time.Date(local.Year(), local.Month(), local.Day(), hour, 0, 0, 0, loc)
	if slot.After(local) {
		slot = slot.AddDate(0, 0, -1)
	}
	if period == biebplein.MailWeekly {
		for slot.Weekday() != time.Monday {
			slot = slot.AddDate(0, 0, -1)
		}
	}
	return slot.UTC()
}

// errDrop marks a mail with nothing left to say.
var errDrop = errors.New("nothing to send")

// deliver composes and sends one mail and says how it ended.
func (w *Worker) deliver(ctx context.Context, it *biebplein.OutboxItem) biebplein.OutboxResult {
	msg, err := w.compose(ctx, it)
	if errors.Is(err, errDrop) {
		return biebplein.OutboxResult{State: biebplein.OutboxDropped, Error: err.Error()}
	}
	if err == nil {
		err = w.sender.Send(ctx, msg)
	}
	switch {
	case err == nil:
		return biebplein.OutboxResult{State: biebplein.OutboxSent}
	case mail.Permanent(err):
		w.logger.Warn("mail refused", "outbox", it.ID, "kind", it.Kind, "err", err)
		return biebplein.OutboxResult{State: biebplein.OutboxFailed, Error: short(err)}
	case w.opts.Now().Sub(it.CreatedAt) > w.opts.GiveUp:
		w.logger.Error("mail given up", "outbox", it.ID, "kind", it.Kind, "attempts", it.Attempts, "err", err)
		return biebplein.OutboxResult{State: biebplein.OutboxFailed, Error: short(err)}
	}
	retry := RetryDelay(it.Attempts)
	w.logger.Info("mail delayed", "outbox", it.ID, "attempts", it.Attempts, "retry_in", retry, "err", err)
	return biebplein.OutboxResult{State: biebplein.OutboxPending, RetryAt: w.opts.Now().Add(retry), Error: short(err)}
}

// RetryDelay is the back-off after a failed attempt: 15 s, doubling, at most an hour.
func RetryDelay(attempts int) time.Duration {
	d := 15 * time.Second
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// short keeps an error's text short for the outbox row (never a password: the SMTP client
// does not put one in its errors).
func short(err error) string {
	s := err.Error()
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}

// compose writes the mail of an outbox item, or errDrop when there is nothing to say any
// more: the person left, the notification was read or can no longer be seen, the choice
// changed, the invitation was accepted, the person of a reset link was deactivated.
func (w *Worker) compose(ctx context.Context, it *biebplein.OutboxItem) (mail.Message, error) {
	p, err := w.store.FindPersonByID(ctx, it.PersonID)
	if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
		return mail.Message{}, errDrop
	}
	if err != nil {
		return mail.Message{}, err
	}
	if !p.Active() && it.Kind != biebplein.OutboxInvitation {
		return mail.Message{}, errDrop
	}
	l := w.write.bundle.For(p.Locale)
	id := "outbox-" + it.ID + "@" + w.host()
	if it.Kind == biebplein.OutboxInvitation {
		if !p.Invited() || p.DeactivatedAt != nil || it.Payload == "" {
			return mail.Message{}, errDrop
		}
		d := mailData{Lang: l.Locale, Subject: l.T("mail.invitation.subject"), Intro: l.T("mail.invitation.body"),
			Button: l.T("mail.invitation.button"), ButtonURL: it.Payload, Footer: l.T("mail.invitation.ignore")}
		d.Settings, d.SettingsURL = "Biebplein", w.opts.BaseURL
		return w.tmpl.message(p, d, id)
	}
	if it.Kind == biebplein.OutboxPasswordReset {
		if it.Payload == "" {
			return mail.Message{}, errDrop
		}
		d := mailData{Lang: l.Locale, Subject: l.T("mail.password_reset.subject"), Intro: l.T("mail.password_reset.body"),
			Button: l.T("mail.password_reset.button"), ButtonURL: it.Payload, Footer: l.T("mail.password_reset.ignore")}
		d.Settings, d.SettingsURL = "Biebplein", w.opts.BaseURL
		return w.tmpl.message(p, d, id)
	}
	chain, err := w.store.OrganisationChain(ctx, p.Organisation.ID)
	if err != nil {
		return mail.Message{}, err
	}
	v := biebplein.ViewerFor(p, chain)
	prefs, err := w.store.FindNoticePrefs(ctx, p.ID)
	if err != nil {
		return mail.Message{}, err
	}
	key, err := w.store.SiteKey(ctx, biebplein.UnsubscribeKey, auth.NewToken())
	if err != nil {
		return mail.Message{}, err
	}
	if it.Kind == biebplein.OutboxDigest {
		return w.digest(ctx, it, p, v, prefs, key, l, id)
	}
	found, _, err := w.store.FindNotifications(ctx, biebplein.NotificationFilter{Viewer: v, ID: it.NotificationID, Limit: 1})
	if err != nil {
		return mail.Message{}, err
	}
	if len(found) == 0 || found[0].ReadAt != nil {
		return mail.Message{}, errDrop
	}
	n := found[0]
	if pref(prefs, n.Kind).Mail != biebplein.MailImmediate {
		return mail.Message{}, errDrop
	}
	it2 := w.write.item(l, n)
	d := mailData{Lang: l.Locale, Subject: it2.Sentence, Sections: []section{{Items: []item{it2}}}}
	kindName := l.T("mail.kind." + string(n.Kind))
	w.write.footer(l, &d, l.T("mail.why_notice", kindName), l.T("mail.unsubscribe_notice", kindName),
		service.UnsubscribeToken(key, p.ID, biebplein.UnsubscribeScope(n.Kind, "")))
	return w.tmpl.message(p, d, id)
}

// digestLimit is how many notifications a digest lists; the rest are a link away.
const digestLimit = 50

// digest writes a daily or weekly digest: the unread notifications of the kinds the person
// wants in it that changed since their previous digest, grouped by group, only what they may
// see now. Nothing new is nothing to send.
func (w *Worker) digest(ctx context.Context, it *biebplein.OutboxItem, p *biebplein.Person, v biebplein.Viewer,
	prefs []biebplein.NoticePref, key string, l i18n.Localizer, id string) (mail.Message, error) {
	var kinds []biebplein.NoticeKind
	for _, pr := range prefs {
		if pr.App && pr.Mail == it.Period {
			kinds = append(kinds, pr.Kind)
		}
	}
	if len(kinds) == 0 {
		return mail.Message{}, errDrop
	}
	start, err := w.store.DigestStart(ctx, p.ID, it.Period)
	if err != nil {
		return mail.Message{}, err
	}
	if start.IsZero() {
		start = it.NextAt.Add(-it.Period.Length())
	}
	found, next, err := w.store.FindNotifications(ctx, biebplein.NotificationFilter{Viewer: v, Unread: true, Kinds: kinds,
		ChangedAfter: start, ChangedBefore: it.NextAt, Limit: digestLimit})
	if err != nil {
		return mail.Message{}, err
	}
	if len(found) == 0 {
		return mail.Message{}, errDrop
	}
	d := mailData{Lang: l.Locale, Subject: l.T("mail.digest."+string(it.Period)+".subject", len(found)),
		Intro: l.T("mail.digest." + string(it.Period) + ".intro")}
	index := map[string]int{}
	for _, n := range found {
		i, ok := index[n.Group.ID]
		if !ok {
			i = len(d.Sections)
			index[n.Group.ID] = i
			d.Sections = append(d.Sections, section{Heading: n.Group.Name})
		}
		d.Sections[i].Items = append(d.Sections[i].Items, w.write.item(l, n))
	}
	if next != "" {
		d.More, d.MoreURL = l.T("mail.digest.more"), w.opts.BaseURL+"/notifications"
	}
	w.write.footer(l, &d, l.T("mail.why_digest"), l.T("mail.unsubscribe_digest"),
		service.UnsubscribeToken(key, p.ID, biebplein.UnsubscribeScope("", it.Period)))
	return w.tmpl.message(p, d, id)
}

// pref returns the choice for kind among prefs (the default when missing).
func pref(prefs []biebplein.NoticePref, k biebplein.NoticeKind) biebplein.NoticePref {
	for _, p := range prefs {
		if p.Kind == k {
			return p
		}
	}
	return biebplein.DefaultNoticePref(k)
}

// host is the site's host name, for Message-IDs.
func (w *Worker) host() string {
	if u, err := url.Parse(w.opts.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "biebplein"
}
