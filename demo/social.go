package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/biebplein/biebplein"
)

// Social is what the demo needs to fill groups with conversation; the service provides it, so
// demo posts are rendered, resolved and checked like anyone's.
type Social interface {
	CreateGroup(ctx context.Context, in biebplein.GroupInput) (*biebplein.Group, error)
	JoinGroup(ctx context.Context, id string) (biebplein.MemberStatus, error)
	InviteToGroup(ctx context.Context, groupID, personID string) error
	AddMember(ctx context.Context, groupID, personID string, role biebplein.Role) error
	CreatePost(ctx context.Context, in biebplein.PostInput) (*biebplein.Post, error)
	CreateComment(ctx context.Context, postID, parentID, body string) (*biebplein.Comment, error)
	React(ctx context.Context, postID string, kind biebplein.ReactionKind, on bool) error
	Vote(ctx context.Context, postID string, optionIDs []string) (*biebplein.Post, error)
	Accept(ctx context.Context, postID, commentID string) (*biebplein.Post, error)
	MarkRead(ctx context.Context, postID string) error
	Follow(ctx context.Context, kind, target string, on bool) error
	EnsureQuestionSpace(ctx context.Context) (string, error)
	QuestionSuggestions(ctx context.Context, topics []string, groupID string) ([]*biebplein.Suggestion, error)
	AskQuestion(ctx context.Context, in biebplein.QuestionInput) (*biebplein.Post, error)
}

type groupSpec struct {
	name, description string
	vis               biebplein.Visibility
	org               string // organisation name for organisation groups
	owner             string // e-mail of the creator ("" = the administrator)
	// who joins: functions (substring match), kinds, and "partners" for partner organisations
	functions []string
	partners  bool
	topics    []string
}

var groupSpecs = []groupSpec{
	{"Theeducatie", "Informeel overleg over educatie in alle bibliotheken: ervaringen, vragen en goede voorbeelden. Schuif aan!", biebplein.VisNetwork, "", "",
		[]string{"educatiemanager", "onderwijsspecialist", "leesconsulent", "adviseur"}, false, []string{"educatie", "goedvoorbeeld", "leesbevordering"}},
	{"de Bibliotheek op school", "Voor leesconsulenten en onderwijsspecialisten: de monitor, schoolcollecties, leesplannen en de samenwerking met scholen.", biebplein.VisNetwork, "", "",
		[]string{"leesconsulent", "onderwijsspecialist", "educatiemanager", "adviseur onderwijs"}, false, []string{"dbos", "leesmonitor", "schoolcollectie", "leesplezier"}},
	{"BoekStart", "Lezen met baby's en peuters: voorleesmomenten, koffertjes, consultatiebureaus en kinderopvang.", biebplein.VisPublic, "", "",
		[]string{"BoekStart", "frontoffice", "leesconsulent", "adviseur leesbevordering"}, true, []string{"boekstart", "voorlezen", "peuters"}},
	{"digiTaalhuis", "Samen sterk in basisvaardigheden: spreekuren, cursussen, doorverwijzen en vrijwilligers.", biebplein.VisNetwork, "", "",
		[]string{"digiTaalhuis", "taalcafé", "adviseur basisvaardigheden", "frontoffice"}, false, []string{"taalhuis", "basisvaardigheden", "digid"}},
	{"Frontoffice Vestiging Noord", "Het team van de balie in Hoeksmeer Noord: roosters, vragen van bezoekers en afspraken.", biebplein.VisOrganisation, "Bibliotheek Hoeksmeer", "",
		[]string{"frontoffice", "teamleider", "vrijwilliger"}, false, []string{"rooster", "balie"}},
	{"Managementteam Biebnet", "Overleg van het managementteam. Alleen op uitnodiging.", biebplein.VisSecret, "", "",
		[]string{"educatiemanager", "teamleider publieksservice"}, false, []string{"begroting", "strategie"}},
	{"Leesbevordering met scholen", "Bibliotheken en scholen van De Waardse Linde werken samen aan leesplezier. Lidmaatschap op aanvraag.", biebplein.VisClosed, "", "",
		[]string{"leesconsulent", "onderwijsspecialist"}, true, []string{"leesplezier", "kinderboekenweek", "schoolbibliotheek"}},
}

// social fills the demo network with groups and conversation.
func (b *builder) social(ctx context.Context, soc Social) error {
	people, _, err := b.st.FindPeople(ctx, biebplein.PersonFilter{})
	if err != nil {
		return err
	}
	var active []*biebplein.Person
	var admin *biebplein.Person
	for _, p := range people {
		if p.Active() && !p.Invited() {
			active = append(active, p)
		}
		if p.Email == AdminEmail {
			admin = p
		}
	}
	as := func(p *biebplein.Person) context.Context { return biebplein.NewContext(ctx, p) }
	orgs, err := b.st.FindOrganisations(ctx, biebplein.OrganisationFilter{})
	if err != nil {
		return err
	}
	orgByName := map[string]*biebplein.Organisation{}
	for _, o := range orgs {
		orgByName[o.Name] = o
	}
	start := b.now.Add(-60 * 24 * time.Hour)
	var asked bool // the administrator's question, below
	for _, gs := range groupSpecs {
		in := biebplein.GroupInput{Name: gs.name, Description: gs.description, Visibility: gs.vis}
		if gs.org != "" {
			in.OrganisationID = orgByName[gs.org].ID
		}
		g, err := soc.CreateGroup(as(admin), in)
		if err != nil {
			return fmt.Errorf("group %s: %w", gs.name, err)
		}
		b.groups++
		var members []*biebplein.Person
		for _, p := range active {
			if p.ID == admin.ID || !b.joins(gs, p, orgByName) {
				continue
			}
			if err := soc.AddMember(as(admin), g.ID, p.ID, biebplein.RoleMember); err != nil {
				return fmt.Errorf("member of %s: %w", gs.name, err)
			}
			members = append(members, p)
		}
		if len(members) > 1 {
			if err := soc.AddMember(as(admin), g.ID, members[0].ID, biebplein.RoleAdmin); err != nil {
				return err
			}
		}
		if err := b.converse(ctx, soc, g, gs, admin, members, start, as); err != nil {
			return fmt.Errorf("posts in %s: %w", gs.name, err)
		}
		// The administrator signing in to the demo finds something waiting for her: a
		// colleague's question, and volunteers asking to join a closed group.
		if !asked && gs.vis == biebplein.VisNetwork && len(members) > 0 {
			asked = true
			if _, err := soc.CreatePost(as(members[len(members)-1]), biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindQuestion,
				Body: "@" + admin.Name + ", kun jij de vrijwilligers van de Voorleesexpress toegang geven tot deze groep? #voorlezen"}); err != nil {
				return err
			}
			b.posts++
		}
		if gs.vis == biebplein.VisClosed {
			for _, p := range active {
				if p.Kind == biebplein.KindVolunteer && !slices.ContainsFunc(members, func(m *biebplein.Person) bool { return m.ID == p.ID }) {
					if _, err := soc.JoinGroup(as(p), g.ID); err != nil {
						return err
					}
					break
				}
			}
		}
	}
	if err := b.questions(ctx, soc, active, as); err != nil {
		return fmt.Errorf("questions: %w", err)
	}
	// People follow a few topics and colleagues, so their home feeds reach beyond their groups.
	for i, p := range active {
		if i%3 == 0 {
			if err := soc.Follow(as(p), "topic", "voorlezen", true); err != nil {
				return err
			}
		}
	}
	return nil
}

// joins decides whether p belongs in the group described by gs.
func (b *builder) joins(gs groupSpec, p *biebplein.Person, orgs map[string]*biebplein.Organisation) bool {
	if p.Kind == biebplein.KindPartner {
		return gs.partners && b.rng.IntN(3) > 0
	}
	if gs.vis == biebplein.VisOrganisation {
		lib := orgs[gs.org]
		if p.Organisation.ID != lib.ID && !strings.HasPrefix(p.Organisation.Name, strings.TrimPrefix(gs.org, "Bibliotheek ")+" Noord") {
			return false
		}
	}
	for _, f := range gs.functions {
		if strings.Contains(strings.ToLower(p.Function), strings.ToLower(f)) {
			return gs.vis != biebplein.VisSecret || b.rng.IntN(4) == 0
		}
	}
	return false
}

// openers are post texts; %[1]s is a branch, %[2]s a topic.
var openers = []string{
	"Vandaag een mooie ochtend gehad met groep 5 in %[1]s. De kinderen wilden niet stoppen met lezen! #%[2]s",
	"Wie heeft ervaring met #%[2]s? We willen het in het voorjaar proberen in %[1]s.",
	"Tip van de week: zet de nieuwe prentenboeken op ooghoogte bij de ingang. Het werkt echt. #%[2]s",
	"Het verslag van de meetup staat in de groep. Dank aan iedereen die meedeed, ook vanuit %[1]s! #%[2]s",
	"Een bezoeker vroeg vandaag aan de balie in %[1]s naar hulp bij DigiD. Fijn dat we kunnen doorverwijzen naar het spreekuur. #%[2]s",
	"Goed voorbeeld uit %[1]s: een leesclub voor opa's en oma's met hun kleinkinderen. #%[2]s",
	"Volgende week is de **Kinderboekenweek**. Wie heeft nog materialen over? #%[2]s",
	"We hebben de schoolcollectie van %[1]s vernieuwd: *veertig* nieuwe titels, vooral informatieve boeken. #%[2]s",
}

var answers = []string{
	"Goed idee! Wij doen dat al een jaar en het werkt.",
	"Ik stuur je de handleiding die wij gebruiken.",
	"Bel gerust, dan leg ik het uit.",
	"Dank voor het delen, dit ga ik ook proberen.",
	"Mooi! Mag ik dit doorsturen naar onze educatiemanager?",
	"Bij ons liep het anders: we begonnen te groot. Begin klein, met één school.",
}

// converse writes posts, questions, polls and an announcement in g, with comments and reactions.
func (b *builder) converse(ctx context.Context, soc Social, g *biebplein.Group, gs groupSpec, admin *biebplein.Person, members []*biebplein.Person, start time.Time, as func(*biebplein.Person) context.Context) error {
	if len(members) == 0 {
		return nil
	}
	pick := func() *biebplein.Person { return members[b.rng.IntN(len(members))] }
	place := libraries[b.rng.IntN(len(libraries))].branches[0]
	n := 15 + b.rng.IntN(30)
	if gs.vis == biebplein.VisSecret {
		n = 6
	}
	for i := 0; i < n; i++ {
		author := pick()
		topic := gs.topics[b.rng.IntN(len(gs.topics))]
		in := biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindPost,
			Body: fmt.Sprintf(openers[b.rng.IntN(len(openers))], place, topic)}
		switch i % 7 {
		case 1:
			other := pick()
			in.Kind = biebplein.KindQuestion
			in.Body = fmt.Sprintf("Vraag: hoe pakken jullie %s aan bij kleine vestigingen? @%s, jij weet hier toch veel van? #%s", topic, other.Name, topic)
		case 4:
			in.Kind = biebplein.KindPoll
			in.Body = "Wanneer houden we de volgende meetup? #" + topic
			in.PollOptions = []string{"dinsdagmiddag", "woensdagochtend", "donderdagavond (online)"}
		}
		p, err := soc.CreatePost(as(author), in)
		if err != nil {
			return err
		}
		b.posts++
		var first *biebplein.Comment
		for c := 0; c < b.rng.IntN(5); c++ {
			cm, err := soc.CreateComment(as(pick()), p.ID, "", answers[b.rng.IntN(len(answers))])
			if err != nil {
				return err
			}
			b.comments++
			if first == nil {
				first = cm
			} else if b.rng.IntN(3) == 0 {
				if _, err := soc.CreateComment(as(author), p.ID, first.ID, "Dank je wel!"); err != nil {
					return err
				}
				b.comments++
			}
		}
		if in.Kind == biebplein.KindQuestion && first != nil {
			if _, err := soc.Accept(as(author), p.ID, first.ID); err != nil {
				return err
			}
		}
		for r := 0; r < b.rng.IntN(8); r++ {
			kinds := biebplein.ReactionKinds()
			if err := soc.React(as(pick()), p.ID, kinds[b.rng.IntN(len(kinds))], true); err != nil {
				return err
			}
		}
		if p.Poll != nil {
			for v := 0; v < b.rng.IntN(len(members)+1) && v < 12; v++ {
				opt := p.Poll.Options[b.rng.IntN(len(p.Poll.Options))]
				if _, err := soc.Vote(as(members[v]), p.ID, []string{opt.ID}); err != nil {
					return err
				}
			}
		}
	}
	ann, err := soc.CreatePost(as(admin), biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindAnnouncement,
		Body: "**Welkom in " + g.Name + "!** Lees de groepsafspraken en stel je even voor. Bevestig hieronder dat je dit gelezen hebt."})
	if err != nil {
		return err
	}
	b.posts++
	for _, m := range members[:len(members)/2] {
		if err := soc.MarkRead(as(m), ann.ID); err != nil {
			return err
		}
	}
	return nil
}

// demoQuestions are asked in the "Vraag en antwoord" space; answered ones get that many
// answers, accepted ones the first as the best.
var demoQuestions = []struct {
	title, body string
	topics      []string
	answers     int
	accept      bool
}{
	{"Hoe krijgen jullie ouders van peuters naar het voorleesuurtje?", "We hangen posters op bij het consultatiebureau, maar er komen maar twee gezinnen. Wat werkt bij jullie?",
		[]string{"boekstart", "voorlezen"}, 2, false},
	{"Wie heeft een goed format voor een accountplan met een schoolbestuur?", "",
		[]string{"accountplan", "schoolbesturen"}, 0, false},
	{"Welke oefensite raden jullie aan voor DigiD?", "Een bezoeker wil thuis oefenen voordat hij naar het spreekuur komt.",
		[]string{"digid", "basisvaardigheden"}, 2, true},
	{"Mag ik als vrijwilliger de voorleestassen meenemen naar een gezin?", "",
		[]string{"voorlezen"}, 1, false},
}

// questions fills the "Vraag en antwoord" space with questions that asked the first people
// the finder suggests, some answered.
func (b *builder) questions(ctx context.Context, soc Social, active []*biebplein.Person, as func(*biebplein.Person) context.Context) error {
	if _, err := soc.EnsureQuestionSpace(ctx); err != nil {
		return err
	}
	b.groups++
	var internal []*biebplein.Person
	for _, p := range active {
		if p.Kind != biebplein.KindPartner && !p.Admin {
			internal = append(internal, p)
		}
	}
	if len(internal) == 0 {
		return nil
	}
	for _, q := range demoQuestions {
		author := internal[b.rng.IntN(len(internal))]
		sugs, err := soc.QuestionSuggestions(as(author), q.topics, "")
		if err != nil {
			return err
		}
		var ask []string
		for _, s := range sugs[:min(2, len(sugs))] {
			ask = append(ask, s.Person.ID)
		}
		p, err := soc.AskQuestion(as(author), biebplein.QuestionInput{Title: q.title, Body: q.body, Topics: q.topics, Ask: ask})
		if err != nil {
			return err
		}
		b.posts++
		var first *biebplein.Comment
		for i := 0; i < q.answers; i++ {
			who := internal[b.rng.IntN(len(internal))]
			if who.ID == author.ID {
				continue
			}
			c, err := soc.CreateComment(as(who), p.ID, "", answers[b.rng.IntN(len(answers))])
			if err != nil {
				return err
			}
			b.comments++
			if first == nil {
				first = c
			}
		}
		if q.accept && first != nil {
			if _, err := soc.Accept(as(author), p.ID, first.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
