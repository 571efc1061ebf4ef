package store_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

// poll stores a poll post with the given options.
func (f *postFixture) poll(g *biebplein.Group, author *biebplein.Person, body string, multiple bool, closes *time.Time, labels ...string) *biebplein.Post {
	f.t.Helper()
	return f.post(g, author, body, func(p *biebplein.Post) {
		p.Kind = biebplein.KindPoll
		p.Poll = &biebplein.Poll{Multiple: multiple, ClosesAt: closes}
		for _, l := range labels {
			p.Poll.Options = append(p.Poll.Options, &biebplein.PollOption{Label: l})
		}
	})
}

// tally returns "label=votes" for each option, then the number of voters and the viewer's votes.
func tally(p *biebplein.Post) string {
	s := ""
	byID := map[string]string{}
	for _, o := range p.Poll.Options {
		s += fmt.Sprintf("%s=%d ", o.Label, o.Votes)
		byID[o.ID] = o.Label
	}
	var mine []string
	for _, id := range p.Poll.MyVotes {
		mine = append(mine, byID[id])
	}
	return fmt.Sprintf("%svoters=%d mine=%v", s, p.Poll.Voters, mine)
}

func TestVote(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		bert := f.person("Bert Jansen", nil)
		g := f.group("Leesbevordering", biebplein.VisPublic, anna, bert)
		now := t0.Add(time.Hour)
		vote := func(p *biebplein.Post, who *biebplein.Person, labels ...string) error {
			var ids []string
			for _, l := range labels {
				for _, o := range p.Poll.Options {
					if o.Label == l {
						ids = append(ids, o.ID)
					}
				}
			}
			return f.db.Vote(t.Context(), p.ID, who.ID, ids, now)
		}
		wantTally := func(t *testing.T, p *biebplein.Post, who *biebplein.Person, want string) {
			t.Helper()
			if got := tally(f.findOne(who, p.ID)); got != want {
				t.Fatalf("tally = %q, want %q", got, want)
			}
		}

		t.Run("SingleChoice", func(t *testing.T) {
			p := f.poll(g, anna, "Koffie of thee?", false, nil, "Koffie", "Thee")
			mustNil(t, vote(p, anna, "Koffie"))
			mustNil(t, vote(p, bert, "Koffie"))
			wantTally(t, p, anna, "Koffie=2 Thee=0 voters=2 mine=[Koffie]")
			mustNil(t, vote(p, anna, "Thee")) // changes her mind
			wantTally(t, p, anna, "Koffie=1 Thee=1 voters=2 mine=[Thee]")
			mustNil(t, vote(p, anna, "Thee")) // again: nothing changes
			wantTally(t, p, anna, "Koffie=1 Thee=1 voters=2 mine=[Thee]")
			mustNil(t, vote(p, bert)) // withdraws
			wantTally(t, p, bert, "Koffie=0 Thee=1 voters=1 mine=[]")
			wantCode(t, vote(p, bert, "Koffie", "Thee"), biebplein.CodeInvalid, "error.poll_single_choice")
		})
		t.Run("Multiple", func(t *testing.T) {
			p := f.poll(g, anna, "Welke dagen?", true, nil, "ma", "di", "wo")
			mustNil(t, vote(p, anna, "wo", "ma", "wo"))
			mustNil(t, vote(p, bert, "di", "ma"))
			wantTally(t, p, anna, "ma=2 di=1 wo=1 voters=2 mine=[ma wo]")
			mustNil(t, vote(p, anna, "di"))
			wantTally(t, p, anna, "ma=1 di=2 wo=0 voters=2 mine=[di]")
		})
		t.Run("ErrOptionInvalid", func(t *testing.T) {
			p := f.poll(g, anna, "A of B?", false, nil, "A", "B")
			other := f.poll(g, anna, "C of D?", false, nil, "C", "D")
			mustNil(t, vote(p, anna, "A"))
			for _, ids := range [][]string{{other.Poll.Options[0].ID}, {"nope"}, {p.Poll.Options[1].ID, "nope"}} {
				err := f.db.Vote(t.Context(), p.ID, anna.ID, ids, now)
				wantCode(t, err, biebplein.CodeInvalid)
				if got := biebplein.ErrorMessage(err); got != "error.poll_option_invalid" && got != "error.poll_single_choice" {
					t.Fatalf("Vote(%v) message = %q", ids, got)
				}
			}
			wantCode(t, f.db.Vote(t.Context(), p.ID, anna.ID, []string{"nope"}, now), biebplein.CodeInvalid, "error.poll_option_invalid")
			wantTally(t, p, anna, "A=1 B=0 voters=1 mine=[A]")
		})
		t.Run("ErrClosed", func(t *testing.T) {
			closes := now
			p := f.poll(g, anna, "Te laat?", false, &closes, "Ja", "Nee")
			wantCode(t, f.db.Vote(t.Context(), p.ID, anna.ID, []string{p.Poll.Options[0].ID}, now), biebplein.CodeConflict, "error.poll_closed")
			mustNil(t, f.db.Vote(t.Context(), p.ID, anna.ID, []string{p.Poll.Options[0].ID}, now.Add(-time.Second)))
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			plain := f.post(g, anna, "Geen peiling", nil)
			wantCode(t, f.db.Vote(t.Context(), plain.ID, anna.ID, nil, now), biebplein.CodeNotFound)
			wantCode(t, f.db.Vote(t.Context(), "nope", anna.ID, nil, now), biebplein.CodeNotFound)
		})
		t.Run("Concurrent", func(t *testing.T) {
			p := f.poll(g, anna, "Iedereen stemt", true, nil, "X", "Y")
			const n = 16
			var wg sync.WaitGroup
			errs := make(chan error, 2*n)
			for i := range n {
				who := f.person(fmt.Sprintf("Stemmer %02d", i), nil)
				wg.Go(func() {
					errs <- vote(p, who, "X", "Y")
					errs <- vote(p, who, "X")
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				mustNil(t, err)
			}
			wantTally(t, p, anna, fmt.Sprintf("X=%d Y=0 voters=%d mine=[]", n, n))
		})
	})
}

// Poll posts in a feed carry their options and the viewer's votes, in option order.
func TestFindPostsPolls(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		g := f.group("Leesbevordering", biebplein.VisPublic, anna)
		p1 := f.poll(g, anna, "Een", true, nil, "a", "b", "c")
		f.post(g, anna, "Twee", nil)
		p3 := f.poll(g, anna, "Drie", false, nil, "x", "y")
		mustNil(t, f.db.Vote(t.Context(), p1.ID, anna.ID, []string{p1.Poll.Options[2].ID, p1.Poll.Options[0].ID}, t0))
		mustNil(t, f.db.Vote(t.Context(), p3.ID, anna.ID, []string{p3.Poll.Options[1].ID}, t0))

		posts, _ := f.find(anna, biebplein.PostFilter{Feed: biebplein.FeedGroup, GroupID: g.ID})
		var got []string
		for _, p := range posts {
			if p.Poll == nil {
				got = append(got, p.Body+": no poll")
				continue
			}
			got = append(got, p.Body+": "+tally(p))
		}
		want := []string{"Drie: x=0 y=1 voters=1 mine=[y]", "Twee: no poll", "Een: a=1 b=0 c=1 voters=1 mine=[a c]"}
		if !slices.Equal(got, want) {
			t.Fatalf("polls = %q, want %q", got, want)
		}
	})
}
