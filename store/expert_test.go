package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	biebplein "github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/store"
	"github.com/biebplein/biebplein/store/storetest"
)

// experts returns "name score reasons" of each expert for topic as p sees it, reasons as
// kind:count:label.
func (f *postFixture) experts(p *biebplein.Person, filter biebplein.ExpertFilter) []string {
	f.t.Helper()
	filter.Viewer = f.viewer(p)
	experts, _, err := f.db.FindExperts(f.t.Context(), filter)
	mustNil(f.t, err)
	return expertLines(experts)
}

func expertLines(experts []*biebplein.Expert) []string {
	var out []string
	for _, e := range experts {
		var rs []string
		for _, r := range e.Reasons {
			rs = append(rs, fmt.Sprintf("%s:%d:%s", r.Kind, r.Count, r.Label))
		}
		out = append(out, fmt.Sprintf("%s %d %s", e.Person.Name, e.Score, strings.Join(rs, ",")))
	}
	return out
}

func wantLines(tb testing.TB, got []string, want ...string) {
	tb.Helper()
	if !slices.Equal(got, want) {
		tb.Fatalf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func TestFindExperts(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		ctx := t.Context()
		ans := f.person("Ans Expert", func(p *biebplein.Person) { p.Expertise = []string{"Coöperatie", "boekstart"} })
		bob := f.person("Bob Belangstelling", func(p *biebplein.Person) {
			p.Interests = []string{"cooperatie"}
			p.Function = "adviseur coöperaties"
		})
		cor := f.person("Cor Antwoord", nil)
		dre := f.person("Dre Geheim", nil)
		eva := f.person("Eva Vrijwilliger", func(p *biebplein.Person) {
			p.Kind = biebplein.KindVolunteer
			p.Organisation.ID = f.leiden.ID
			p.Expertise = []string{"cooperatie"}
		})
		gone := f.person("Gert Vertrokken", func(p *biebplein.Person) { p.Expertise = []string{"coöperatie"} })
		mustNil(t, f.db.SetDeactivated(ctx, gone.ID, &t0))
		outsider := f.person("Olga Buiten", nil)

		open := f.group("Leesbevordering", biebplein.VisNetwork, cor, ans, bob)
		coop := f.group("Coöperatieve bibliotheken", biebplein.VisPublic, bob, eva)
		secret := f.group("Stuurgroep", biebplein.VisSecret, dre)

		// Cor answered two questions about the topic (one by topic, one by its word) and
		// posted about it; Dre did the same, but only in a secret group.
		q1 := f.post(open, ans, "Hoe regelt u dat? #cooperatie", func(p *biebplein.Post) {
			p.Kind = biebplein.KindQuestion
			p.Topics = []string{"cooperatie"}
		})
		a1 := f.comment(q1, cor, "Zo doen wij het.", "")
		mustNil(t, f.db.SetAccepted(ctx, q1.ID, a1.ID))
		q2 := f.post(open, bob, "Wie weet iets van de Cooperatie in Leiden?", func(p *biebplein.Post) {
			p.Kind = biebplein.KindQuestion
		})
		a2 := f.comment(q2, cor, "Ik!", "")
		mustNil(t, f.db.SetAccepted(ctx, q2.ID, a2.ID))
		f.post(open, cor, "Verslag #Coöperatie", func(p *biebplein.Post) { p.Topics = []string{"Coöperatie"} })
		f.comment(q1, bob, "Goede vraag.", "")

		sq := f.post(secret, dre, "Geheim #cooperatie", func(p *biebplein.Post) {
			p.Kind = biebplein.KindQuestion
			p.Topics = []string{"cooperatie"}
		})
		sa := f.comment(sq, dre, "Geheim antwoord", "")
		mustNil(t, f.db.SetAccepted(ctx, sq.ID, sa.ID))
		f.post(secret, dre, "Nog meer #cooperatie", func(p *biebplein.Post) { p.Topics = []string{"cooperatie"} })

		all := []string{
			"Ans Expert 103 expertise:1:coöperatie,posts:1:",
			"Bob Belangstelling 55 interest:1:cooperatie,function:1:adviseur coöperaties,comments:1:,groups:1:Coöperatieve bibliotheken",
			"Eva Vrijwilliger 104 expertise:1:cooperatie,groups:1:Coöperatieve bibliotheken",
			"Cor Antwoord 28 answers:2:,posts:1:,comments:1:",
		}
		byScore := []string{all[2], all[0], all[1], all[3]}

		t.Run("RankingAndReasons", func(t *testing.T) {
			wantLines(t, f.experts(cor, biebplein.ExpertFilter{Topic: "cooperatie"}), byScore...)
		})
		t.Run("FoldInsensitive", func(t *testing.T) {
			wantLines(t, f.experts(cor, biebplein.ExpertFilter{Topic: "#COÖPERATIE"}), byScore...)
		})
		t.Run("SecretActivityCountsOnlyForMembers", func(t *testing.T) {
			got := f.experts(dre, biebplein.ExpertFilter{Topic: "cooperatie"})
			if !slices.Contains(got, "Dre Geheim 19 answers:1:,posts:2:,comments:1:") {
				t.Fatalf("a member of the secret group should see Dre's activity: %q", got)
			}
			for _, who := range []*biebplein.Person{cor, outsider} {
				for _, line := range f.experts(who, biebplein.ExpertFilter{Topic: "cooperatie"}) {
					if strings.HasPrefix(line, "Dre") {
						t.Fatalf("%s sees activity in a secret group: %q", who.Name, line)
					}
				}
			}
		})
		t.Run("OutsiderCountsOnlyWhatTheyRead", func(t *testing.T) {
			// Olga is staff: she may read the network group; a partner may not.
			partner := f.person("Piet Partner", func(p *biebplein.Person) { p.Kind = biebplein.KindPartner })
			wantLines(t, f.experts(partner, biebplein.ExpertFilter{Topic: "cooperatie"}),
				"Eva Vrijwilliger 104 expertise:1:cooperatie,groups:1:Coöperatieve bibliotheken",
				"Ans Expert 100 expertise:1:coöperatie",
				"Bob Belangstelling 54 interest:1:cooperatie,function:1:adviseur coöperaties,groups:1:Coöperatieve bibliotheken")
		})
		t.Run("DeactivatedNever", func(t *testing.T) {
			for _, line := range f.experts(ans, biebplein.ExpertFilter{Topic: "coöperatie"}) {
				if strings.HasPrefix(line, "Gert") {
					t.Fatalf("deactivated person listed: %q", line)
				}
			}
		})
		t.Run("Filters", func(t *testing.T) {
			wantLines(t, f.experts(cor, biebplein.ExpertFilter{Topic: "cooperatie", Kind: biebplein.KindVolunteer}), all[2])
			wantLines(t, f.experts(cor, biebplein.ExpertFilter{Topic: "cooperatie", OrganisationID: f.leiden.ID}), all[2])
			wantLines(t, f.experts(cor, biebplein.ExpertFilter{Topic: "cooperatie", OrganisationID: f.support.ID}), byScore...)
			wantLines(t, f.experts(cor, biebplein.ExpertFilter{Topic: "cooperatie", Function: "Adviseur"}), all[1])
		})
		t.Run("Pages", func(t *testing.T) {
			var got []string
			after := ""
			for range 10 {
				experts, next, err := f.db.FindExperts(ctx, biebplein.ExpertFilter{Topic: "cooperatie", Viewer: f.viewer(cor), Limit: 3, After: after})
				mustNil(t, err)
				got = append(got, expertLines(experts)...)
				if after = next; after == "" {
					break
				}
			}
			wantLines(t, got, byScore...)
			_, _, err := f.db.FindExperts(ctx, biebplein.ExpertFilter{Topic: "x", Viewer: f.viewer(cor), After: "nonsense"})
			wantCode(t, err, biebplein.CodeInvalid)
		})
		t.Run("Nobody", func(t *testing.T) {
			wantLines(t, f.experts(cor, biebplein.ExpertFilter{Topic: "ruimtevaart"}))
		})
		t.Run("TagUses", func(t *testing.T) {
			mustNil(t, f.db.CountTopics(ctx))
			uses, err := f.db.FindTagUses(ctx, "coo", 10)
			mustNil(t, err)
			// Expertise of Ans and Eva and Bob's interest (Gert is gone); the posts are in a
			// network and a secret group, which suggestions do not count.
			want := []biebplein.TagUse{{Tag: "cooperatie", Uses: 3}}
			if !slices.Equal(uses, want) {
				t.Fatalf("uses = %v, want %v", uses, want)
			}
			f.post(coop, eva, "Open #Coöperatie #boekstart", func(p *biebplein.Post) { p.Topics = []string{"Coöperatie", "boekstart"} })
			mustNil(t, f.db.CountTopics(ctx))
			uses, err = f.db.FindTagUses(ctx, "", 0)
			mustNil(t, err)
			want = []biebplein.TagUse{{Tag: "cooperatie", Uses: 4}, {Tag: "boekstart", Uses: 2}}
			if !slices.Equal(uses, want) {
				t.Fatalf("uses = %v, want %v", uses, want)
			}
		})
	})
}

// TestRefoldKeys: rows whose folded keys are missing (written before migration 0011 with
// letters beyond ASCII) get them when the store starts.
func TestRefoldKeys(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		dsn := storetest.DSN(t, dialect)
		db, err := store.Open(t.Context(), dsn, store.Options{Migrate: true})
		mustNil(t, err)
		support := MustCreateOrganisation(t, db, "Probiblio", biebplein.OrgSupport, "")
		p := newPerson(support, "Zoë Coöperatief", "zoe@example.nl")
		p.Expertise, p.Function = []string{"Coöperatie"}, "Adviseur Coöperaties"
		MustCreatePerson(t, db, p)
		_, writer := db.Pools()
		for _, stmt := range []string{"UPDATE person_tags SET tag_key = ''", "UPDATE people SET function_key = ''"} {
			if _, err := writer.ExecContext(t.Context(), stmt); err != nil {
				t.Fatal(err)
			}
		}
		mustNil(t, db.Close())

		db, err = store.Open(t.Context(), dsn, store.Options{Migrate: true})
		mustNil(t, err)
		defer db.Close()
		viewer := biebplein.Viewer{PersonID: p.ID, Kind: p.Kind, Organisations: []string{support.ID}}
		experts, _, err := db.FindExperts(t.Context(), biebplein.ExpertFilter{Topic: "cooperatie", Viewer: viewer})
		mustNil(t, err)
		wantLines(t, expertLines(experts), "Zoë Coöperatief 120 expertise:1:coöperatie,function:1:Adviseur Coöperaties")
	})
}

// TestExpertProfilesCache: the finder keeps everyone's tags and functions in memory, and a
// change made through another instance (a second handle on the same database) shows at the
// next request there: a new expertise, a changed function, a deactivation.
func TestExpertProfilesCache(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		ctx := t.Context()
		dsn := storetest.DSN(t, dialect)
		a, err := store.Open(ctx, dsn, store.Options{Migrate: true})
		mustNil(t, err)
		defer a.Close()
		b, err := store.Open(ctx, dsn, store.Options{Migrate: true})
		mustNil(t, err)
		defer b.Close()
		support := MustCreateOrganisation(t, a, "Probiblio", biebplein.OrgSupport, "")
		viewer := MustCreatePerson(t, a, newPerson(support, "Vera Kijker", "vera@example.nl"))
		find := func(db *store.DB, topic string) []string {
			t.Helper()
			experts, _, err := db.FindExperts(ctx, biebplein.ExpertFilter{Topic: topic,
				Viewer: biebplein.Viewer{PersonID: viewer.ID, Kind: viewer.Kind, Organisations: []string{support.ID}}})
			mustNil(t, err)
			return expertLines(experts)
		}
		wantLines(t, find(b, "boekstart")) // loads b's cache: nobody yet

		p := newPerson(support, "Ans Anders", "ans@example.nl")
		p.Function = "adviseur leesbevordering"
		MustCreatePerson(t, a, p)
		wantLines(t, find(b, "leesbevordering"), "Ans Anders 20 function:1:adviseur leesbevordering")

		p.Expertise, p.Function = []string{"BoekStart"}, "coördinator"
		mustNil(t, a.UpdatePerson(ctx, p))
		wantLines(t, find(b, "boekstart"), "Ans Anders 100 expertise:1:boekstart")
		wantLines(t, find(b, "leesbevordering"))

		mustNil(t, a.SetDeactivated(ctx, p.ID, &t0))
		wantLines(t, find(b, "boekstart"))
		mustNil(t, a.SetDeactivated(ctx, p.ID, nil))
		wantLines(t, find(b, "coordinator"), "Ans Anders 20 function:1:coördinator")

		g := &biebplein.Group{Name: "Werkgroep Erfgoed", Visibility: biebplein.VisPublic}
		mustNil(t, a.CreateGroup(ctx, g, p.ID))
		wantLines(t, find(b, "erfgoed"), "Ans Anders 4 groups:1:Werkgroep Erfgoed")
		g.Name = "Werkgroep Musea"
		mustNil(t, a.UpdateGroup(ctx, g))
		wantLines(t, find(b, "erfgoed"))
	})
}
