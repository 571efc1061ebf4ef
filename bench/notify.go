package bench

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/i18n"
	"github.com/biebplein/biebplein/service"
	"github.com/biebplein/biebplein/store"
)

// The notification benchmark (Notify) measures what one post tells people, in the worst case
// of the issue: a group of 2,000 whose members all want every group mention e-mailed at once.
//
//  1. Fan-out: the group's admin writes a post mentioning the group, in-process through
//     service.CreatePost on a real store, timed around that call only. The store writes a
//     notification, its actor and an outbox row for every member in the post's transaction;
//     after each run the benchmark checks that they are all there.
//  2. Delivery: the real server runs as a child process on the same database, every member
//     (or --clients of them) has the group's page open as a server-sent event stream, and the
//     admin posts in the group over the API. Each client measures from just before the POST
//     until it read the post's event.

// NotifyOptions configure Notify.
type NotifyOptions struct {
	// Database is the fresh database to fill: "" for an SQLite file in a temporary directory,
	// or sqlite:<file> or a postgres:// URL. A database that already has people is refused.
	Database string
	Members  int           // of the group, besides its admin who writes the posts
	Clients  int           // open group pages, one member each; 0: every member
	Runs     int           // of each measurement
	Timeout  time.Duration // how long a delivery run waits for every client's event
	Out      string        // also write the report to this file
	// Binary is the biebplein executable to run as the server.
	Binary string
	// Stdout receives progress and the report.
	Stdout io.Writer
	Texts  i18n.Localizer
}

// Limits on the notification benchmark's options. Every client holds a connection open in
// this process and one in the server's.
const (
	maxMembers = 10_000
	maxTimeout = 10 * time.Minute
)

// notifyGroupName is the name of the measured group, one word so that "@Meldingenbench"
// names nothing else.
const notifyGroupName = "Meldingenbench"

// ErrChecksFailed is returned (wrapped, with the report) when the benchmark found
// notifications, e-mails or live events missing.
var ErrChecksFailed = errors.New("bench: checks failed")

func (o *NotifyOptions) check() error {
	switch {
	case o.Members < 1 || o.Members > maxMembers:
		return fmt.Errorf("--members %d: %s", o.Members, o.Texts.T("cli.bench.notify.bad_members", maxMembers))
	case o.Clients < 1 || o.Clients > o.Members:
		return fmt.Errorf("--clients %d: %s", o.Clients, o.Texts.T("cli.bench.bad_clients", o.Members))
	case o.Runs < 1 || o.Runs > maxRuns:
		return fmt.Errorf("--runs %d: %s", o.Runs, o.Texts.T("cli.bench.bad_runs", maxRuns))
	case o.Timeout <= 0 || o.Timeout > maxTimeout:
		return fmt.Errorf("--timeout %s: %s", o.Timeout, o.Texts.T("cli.bench.bad_duration", maxTimeout))
	case o.Binary == "":
		return errors.New("bench: no server binary")
	}
	return nil
}

// notifyNetwork is the measured group and the people the benchmark acts as.
type notifyNetwork struct {
	orgID   string
	groupID string
	author  string   // the group's admin, who writes every post
	members []string // everyone else in the group
	// authorToken and tokens (of the first Clients members) are API tokens for the server.
	authorToken string
	tokens      []string
}

// Notify runs the notification benchmark: build the group, measure the fan-out in-process,
// make tokens, start the server, measure the delivery, stop the server and report. It returns
// the report and, when a check failed, an error wrapping ErrChecksFailed. The temporary
// database is removed.
func Notify(ctx context.Context, o NotifyOptions) (*NotifyReport, error) {
	if o.Clients == 0 {
		o.Clients = o.Members
	}
	if err := o.check(); err != nil {
		return nil, err
	}
	if o.Stdout == nil {
		o.Stdout = io.Discard
	}
	say := func(key string, args ...any) { fmt.Fprintln(o.Stdout, o.Texts.T(key, args...)) }

	dir, err := os.MkdirTemp("", "biebplein-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	dsn := o.Database
	if dsn == "" {
		dsn = "sqlite:" + filepath.Join(dir, "bench.db")
	}

	r := &NotifyReport{Members: o.Members, Clients: o.Clients, Runs: o.Runs, Timeout: o.Timeout}
	r.machineFacts()
	nw, err := prepareNotify(ctx, o, dsn, r, say)
	if err != nil {
		return nil, err
	}

	err = againstServer(ctx, o.Binary, dsn, filepath.Join(dir, "data"), say, func(base string) error {
		return measureDelivery(ctx, o, base, nw, r, say)
	})
	if err != nil {
		return nil, err
	}
	if err := printReport(o.Stdout, o.Out, r.Markdown(o.Texts), say); err != nil {
		return r, err
	}
	if len(r.Failures) > 0 {
		return r, fmt.Errorf("%w: %s", ErrChecksFailed, strings.Join(r.Failures, "; "))
	}
	return r, nil
}

// prepareNotify fills the fresh database with the group, measures the fan-out runs and makes
// the tokens for the delivery, closing the database before the server opens it.
func prepareNotify(ctx context.Context, o NotifyOptions, dsn string, r *NotifyReport, say func(string, ...any)) (*notifyNetwork, error) {
	db, err := store.Open(ctx, dsn, store.Options{Migrate: true})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	n, err := db.CountPeople(ctx)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, fmt.Errorf("%w: %s", ErrNotFresh, o.Texts.T("cli.bench.not_fresh"))
	}
	r.Database = db.Dialect()
	if r.DatabaseVersion, err = db.ServerVersion(ctx); err != nil {
		return nil, err
	}

	say("cli.bench.notify.building", r.Database, o.Members)
	start := time.Now()
	nw, err := buildNotifyNetwork(ctx, db, o.Members)
	if err != nil {
		return nil, err
	}
	// Every member wants group mentions e-mailed at once (the default is the daily digest),
	// so that each post also queues an e-mail per member: the worst case.
	immediate := []biebplein.NoticePref{{Kind: biebplein.NoticeGroupMention, App: true, Mail: biebplein.MailImmediate}}
	for _, id := range nw.members {
		if err := db.SaveNoticePrefs(ctx, id, immediate); err != nil {
			return nil, err
		}
	}
	if err := db.Optimize(ctx); err != nil {
		return nil, err
	}
	r.Setup = time.Since(start)
	say("cli.bench.notify.built", r.Setup.Round(10*time.Millisecond))

	if err := measureFanOut(ctx, o, db, nw, r, say); err != nil {
		return nil, err
	}

	if nw.authorToken, err = issueToken(ctx, db, nw.author); err != nil {
		return nil, err
	}
	for _, id := range nw.members[:o.Clients] {
		token, err := issueToken(ctx, db, id)
		if err != nil {
			return nil, err
		}
		nw.tokens = append(nw.tokens, token)
	}
	say("cli.bench.notify.tokens", len(nw.tokens))
	return nw, nil
}

// buildNotifyNetwork writes, through the bulk loader, one organisation, the author and
// members staff members, and one network group with the author as its admin and everyone
// else as member.
func buildNotifyNetwork(ctx context.Context, db *store.DB, members int) (*notifyNetwork, error) {
	hash, err := auth.HashPassword("bench-"+auth.NewToken(), auth.FastParams)
	if err != nil {
		return nil, err
	}
	t := time.Now().UTC().Truncate(time.Microsecond).Add(-time.Hour)
	bulk, err := db.NewBulk(ctx)
	if err != nil {
		return nil, err
	}
	nw := &notifyNetwork{orgID: biebplein.NewID(t), groupID: biebplein.NewID(t)}
	err = bulk.Organisation(&biebplein.Organisation{ID: nw.orgID, Name: "Bibliotheek Meldingen", Kind: biebplein.OrgSupport,
		CreatedAt: t, UpdatedAt: t})
	for i := 0; i <= members && err == nil; i++ {
		at := t.Add(time.Duration(i) * time.Millisecond)
		first, last := firstNames[i%len(firstNames)], lastNames[(i/len(firstNames))%len(lastNames)]
		p := &biebplein.Person{ID: biebplein.NewID(at), Email: fmt.Sprintf("lid%d@meldingen.example.nl", i),
			Name: first + " " + last, Kind: biebplein.KindStaff, Organisation: biebplein.OrganisationRef{ID: nw.orgID},
			Function: functions[i%len(functions)], Locale: biebplein.LocaleNL, PasswordHash: hash, CreatedAt: at, UpdatedAt: at}
		if i == 0 {
			nw.author = p.ID
		} else {
			nw.members = append(nw.members, p.ID)
		}
		err = bulk.Person(p)
	}
	if err == nil {
		err = bulk.Group(&biebplein.Group{ID: nw.groupID, Name: notifyGroupName, Description: "Voor de meldingenbenchmark.",
			Visibility: biebplein.VisNetwork, MemberCount: members + 1, CreatedBy: nw.author, CreatedAt: t, UpdatedAt: t})
	}
	for i, id := range append([]string{nw.author}, nw.members...) {
		if err != nil {
			break
		}
		role := biebplein.RoleMember
		if i == 0 {
			role = biebplein.RoleAdmin
		}
		err = bulk.Membership(&biebplein.Membership{GroupID: nw.groupID, PersonID: id, Role: role,
			Status: biebplein.StatusMember, CreatedAt: t, UpdatedAt: t})
	}
	if cerr := bulk.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return nw, nil
}

// measureFanOut writes Runs posts mentioning the group through the service, timing the call,
// and checks after each that every member was told and e-mailed.
func measureFanOut(ctx context.Context, o NotifyOptions, db *store.DB, nw *notifyNetwork, r *NotifyReport, say func(string, ...any)) error {
	svc := service.New(db, service.Options{Logger: slog.New(slog.DiscardHandler)})
	author, err := db.FindPersonByID(ctx, nw.author)
	if err != nil {
		return err
	}
	chain, err := db.OrganisationChain(ctx, nw.orgID)
	if err != nil {
		return err
	}
	as := biebplein.NewContext(ctx, author)
	for run := 1; run <= o.Runs; run++ {
		say("cli.bench.notify.fanout_running", run, o.Runs, notifyGroupName)
		before, err := db.OutboxStats(ctx)
		if err != nil {
			return err
		}
		in := biebplein.PostInput{GroupID: nw.groupID, Kind: biebplein.KindPost,
			Body: fmt.Sprintf("Ronde %d. @%s: lees vóór vrijdag het nieuwe rooster.", run, notifyGroupName)}
		start := time.Now()
		p, err := svc.CreatePost(as, in)
		took := time.Since(start)
		if err != nil {
			return fmt.Errorf("bench: post mentioning the group: %w", err)
		}
		if !slices.ContainsFunc(p.Mentions, func(m biebplein.Mention) bool { return m.Kind == "group" && m.ID == nw.groupID }) {
			return fmt.Errorf("bench: the post does not mention group %s: %q", notifyGroupName, in.Body)
		}

		after, err := db.OutboxStats(ctx)
		if err != nil {
			return err
		}
		res := FanOutRun{Run: run, Took: took, Mailed: after.Pending - before.Pending}
		if res.Notified, err = countNotified(ctx, db, nw.members, chain, p.ID); err != nil {
			return err
		}
		self, err := countNotified(ctx, db, []string{nw.author}, chain, p.ID)
		if err != nil {
			return err
		}
		r.FanOut = append(r.FanOut, res)
		say("cli.bench.notify.fanout_result", ms(res.Took), res.Notified, res.Mailed)
		if res.Notified != len(nw.members) {
			r.fail(o.Texts.T("cli.bench.notify.fail.notifications", run, res.Notified, len(nw.members)))
		}
		if res.Mailed != len(nw.members) {
			r.fail(o.Texts.T("cli.bench.notify.fail.outbox", run, res.Mailed, len(nw.members)))
		}
		if self > 0 {
			r.fail(o.Texts.T("cli.bench.notify.fail.author", run))
		}
	}
	return nil
}

// countNotified counts the people whose newest group-mention notification is about post,
// reading each one's list as they would (FindNotifications), a few at a time.
func countNotified(ctx context.Context, db *store.DB, people, chain []string, postID string) (int, error) {
	var told atomic.Int64
	var mu sync.Mutex
	var firstErr error
	next := make(chan string)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for id := range next {
				f := biebplein.NotificationFilter{Viewer: biebplein.Viewer{PersonID: id, Kind: biebplein.KindStaff, Organisations: chain},
					Kinds: []biebplein.NoticeKind{biebplein.NoticeGroupMention}, Limit: 1}
				ns, _, err := db.FindNotifications(ctx, f)
				if err != nil {
					mu.Lock()
					firstErr = cmp.Or(firstErr, err)
					mu.Unlock()
					continue
				}
				if len(ns) == 1 && ns[0].PostID == postID {
					told.Add(1)
				}
			}
		})
	}
	for _, id := range people {
		next <- id
	}
	close(next)
	wg.Wait()
	return int(told.Load()), firstErr
}
