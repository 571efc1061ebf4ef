package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/i18n"
	"github.com/biebplein/biebplein/media"
	"github.com/biebplein/biebplein/service"
	"github.com/biebplein/biebplein/store/storetest"
)

// countingStore counts the reads a page makes of the store: every method that finds
// something, so that a lookup per post (an N+1) shows as a count that grows with the page.
type countingStore struct {
	biebplein.Store
	n atomic.Int64
}

func (c *countingStore) count() { c.n.Add(1) }

func (c *countingStore) FindPosts(ctx context.Context, f biebplein.PostFilter) ([]*biebplein.Post, string, error) {
	c.count()
	return c.Store.FindPosts(ctx, f)
}

func (c *countingStore) FindGroups(ctx context.Context, f biebplein.GroupFilter) ([]*biebplein.Group, string, error) {
	c.count()
	return c.Store.FindGroups(ctx, f)
}

func (c *countingStore) FindMembership(ctx context.Context, g, p string) (*biebplein.Membership, error) {
	c.count()
	return c.Store.FindMembership(ctx, g, p)
}

func (c *countingStore) FindMembers(ctx context.Context, f biebplein.MemberFilter) ([]*biebplein.Member, string, error) {
	c.count()
	return c.Store.FindMembers(ctx, f)
}

func (c *countingStore) FindPersonByID(ctx context.Context, id string) (*biebplein.Person, error) {
	c.count()
	return c.Store.FindPersonByID(ctx, id)
}

func (c *countingStore) FindPeople(ctx context.Context, f biebplein.PersonFilter) ([]*biebplein.Person, string, error) {
	c.count()
	return c.Store.FindPeople(ctx, f)
}

func (c *countingStore) OrganisationChain(ctx context.Context, id string) ([]string, error) {
	c.count()
	return c.Store.OrganisationChain(ctx, id)
}

func (c *countingStore) FindOrganisationByID(ctx context.Context, id string) (*biebplein.Organisation, error) {
	c.count()
	return c.Store.FindOrganisationByID(ctx, id)
}

func (c *countingStore) FindComment(ctx context.Context, id string) (*biebplein.Comment, error) {
	c.count()
	return c.Store.FindComment(ctx, id)
}

func (c *countingStore) FindReactors(ctx context.Context, id string, k biebplein.ReactionKind) ([]biebplein.PersonRef, error) {
	c.count()
	return c.Store.FindReactors(ctx, id, k)
}

func (c *countingStore) FindRevisions(ctx context.Context, id string) ([]*biebplein.Revision, error) {
	c.count()
	return c.Store.FindRevisions(ctx, id)
}

func (c *countingStore) FindAttachment(ctx context.Context, id string) (*biebplein.Attachment, error) {
	c.count()
	return c.Store.FindAttachment(ctx, id)
}

func (c *countingStore) FindFollows(ctx context.Context, id string) ([]biebplein.Follow, error) {
	c.count()
	return c.Store.FindFollows(ctx, id)
}

// TestHomeFeedQueries: the home page costs the same number of store reads with 50 posts as
// with 5, whatever each post carries.
func TestHomeFeedQueries(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		cs := &countingStore{Store: storetest.Open(t, dialect)}
		s := &site{t: t}
		s.svc = service.New(cs, service.Options{Password: auth.FastParams})
		bundle, err := i18n.Load()
		if err != nil {
			t.Fatal(err)
		}
		files, err := media.NewStore(t.TempDir(), media.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		s.server, err = New(Options{Service: s.svc, Bundle: bundle, Logger: slog.New(slog.DiscardHandler), Media: files})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(s.server.Handler())
		t.Cleanup(ts.Close)
		s.URL = ts.URL
		ctx := service.System(context.Background())
		s.root = s.mustOrg(ctx, "Probiblio", biebplein.OrgSupport, "")
		s.staff = s.mustPerson(ctx, "Sam Leesconsulent", "sam@example.nl", biebplein.KindStaff, s.root.ID, false)
		s.vol = s.mustPerson(ctx, "Vera Vrijwilliger", "vera@example.nl", biebplein.KindVolunteer, s.root.ID, false)
		groups := []*biebplein.Group{
			s.mustGroup(s.staff, "Een", biebplein.VisNetwork, ""),
			s.mustGroup(s.staff, "Twee", biebplein.VisClosed, ""),
		}
		for _, g := range groups {
			s.mustJoin(s.staff, s.vol, g)
		}
		addPosts := func(n int) {
			for i := range n {
				g := groups[i%2]
				kind := []biebplein.PostKind{biebplein.KindPost, biebplein.KindQuestion, biebplein.KindPoll, biebplein.KindAnnouncement}[i%4]
				p := s.mustPost(s.staff, g, kind, fmt.Sprintf("Bericht %d over #thema%d", i, i%3), s.mustFile("f.png", pngBytes(t)))
				if _, err := s.svc.CreateComment(as(s.vol), p.ID, "", "Reactie"); err != nil {
					t.Fatal(err)
				}
				if err := s.svc.React(as(s.vol), p.ID, biebplein.ReactLike, true); err != nil {
					t.Fatal(err)
				}
			}
		}
		vol := s.signedIn(s.vol)
		reads := func() int64 {
			t.Helper()
			before := cs.n.Load()
			r := vol.get("/")
			wantStatus(t, "home", r, http.StatusOK)
			return cs.n.Load() - before
		}
		addPosts(5)
		few := reads()
		addPosts(45)
		time.Sleep(time.Millisecond)
		many := reads()
		if few != many {
			t.Errorf("home page: %d store reads with 5 posts, %d with 50", few, many)
		}
		if few > 12 {
			t.Errorf("home page: %d store reads; expected a handful", few)
		}
	})
}
