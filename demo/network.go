package demo

import (
	"context"
	"fmt"

	"github.com/biebplein/biebplein"
)

// The fictional network: the support organisation Biebnet Zuidwaard serves eight libraries in
// the equally fictional region Zuidwaard.
var libraries = []struct {
	name     string
	branches []string
}{
	{"Bibliotheek Hoeksmeer", []string{"Hoeksmeer Centrum", "Hoeksmeer Noord", "Hoeksmeer De Akker"}},
	{"Bibliotheek Aan de Waard", []string{"Waard Centrum", "Waard Oudedijk"}},
	{"Bibliotheek De Lindenhof", []string{"Lindenhof Centrum", "Lindenhof Molenwijk", "Lindenhof Zuid"}},
	{"Bibliotheek Vlietstreek", []string{"Vlietstreek Vlietdorp", "Vlietstreek Ter Aa"}},
	{"Bibliotheek Oosterkempen", []string{"Oosterkempen Centrum", "Oosterkempen Heide"}},
	{"Bibliotheek Marendal", []string{"Marendal Centrum", "Marendal Noord", "Marendal Brugwijk", "Marendal Kerkdorp"}},
	{"Bibliotheek Westerveen", []string{"Westerveen Centrum", "Westerveen Dorp"}},
	{"Bibliotheek Duinzicht", []string{"Duinzicht Centrum", "Duinzicht Strandwijk"}},
}

// A role in a library: the function, its kind and the expertise it tends to have.
type role struct {
	function  string
	kind      biebplein.PersonKind
	expertise []string
	bio       string
}

var libraryRoles = []role{
	{"educatiemanager", biebplein.KindStaff, []string{"de bibliotheek op school", "accountplan", "schoolbesturen", "subsidies", "evaluatie"},
		"Verantwoordelijk voor het educatieteam en de afspraken met schoolbesturen en gemeente."},
	{"leesconsulent", biebplein.KindStaff, []string{"de bibliotheek op school", "leesbevordering", "voorlezen", "jeugdliteratuur", "leesplezier", "dbos-monitor"},
		"Werkt op basisscholen aan leesplezier; denkt graag mee over de leesmonitor en de schoolcollectie."},
	{"onderwijsspecialist", biebplein.KindStaff, []string{"de bibliotheek op school", "mediawijsheid", "leesbevordering", "vo", "evaluatie"},
		"Verbindt bibliotheek en onderwijs, vooral in het voortgezet onderwijs."},
	{"frontoffice", biebplein.KindStaff, []string{"klantcontact", "boekstart", "digitaal taalhuis", "collectie"},
		"Eerste aanspreekpunt aan de balie; weet de weg in ons aanbod en verwijst graag door."},
	{"frontoffice", biebplein.KindStaff, []string{"klantcontact", "evenementen", "collectie"},
		"Aan de balie en achter de schermen bij activiteiten in de vestiging."},
	{"coördinator digiTaalhuis", biebplein.KindStaff, []string{"basisvaardigheden", "laaggeletterdheid", "digitale vaardigheden", "digitaal taalhuis", "taalcafé"},
		"Coördineert het digiTaalhuis: hulp bij lezen, schrijven, rekenen en digitale vaardigheden."},
	{"medewerker BoekStart", biebplein.KindStaff, []string{"boekstart", "voorlezen", "peuterspeelzaal", "consultatiebureau"},
		"Zorgt dat baby's en peuters met boeken opgroeien, samen met consultatiebureaus en kinderopvang."},
	{"mediacoach", biebplein.KindStaff, []string{"mediawijsheid", "makerspace", "programmeren", "digitale vaardigheden"},
		"Geeft lessen mediawijsheid en begeleidt de makerspace."},
	{"teamleider publieksservice", biebplein.KindStaff, []string{"klantcontact", "roosters", "leertrajecten", "vrijwilligers"},
		"Leidt het team publieksservice en het vrijwilligersrooster."},
	{"vrijwilliger VoorleesExpress", biebplein.KindVolunteer, []string{"voorlezen", "taalontwikkeling"},
		"Leest wekelijks voor bij een gezin thuis."},
	{"vrijwilliger digiTaalhuis", biebplein.KindVolunteer, []string{"digitale vaardigheden", "digid"},
		"Helpt bezoekers op het spreekuur met DigiD, e-mail en formulieren."},
	{"vrijwilliger taalcafé", biebplein.KindVolunteer, []string{"taalcafé", "nederlands als tweede taal"},
		"Gespreksleider bij het wekelijkse taalcafé."},
}

var poiRoles = []role{
	{"adviseur leesbevordering", biebplein.KindStaff, []string{"leesbevordering", "de bibliotheek op school", "boekstart", "leertrajecten", "meetups"},
		"Adviseert bibliotheken over leesbevordering en organiseert de meetups voor leesconsulenten."},
	{"adviseur basisvaardigheden", biebplein.KindStaff, []string{"basisvaardigheden", "laaggeletterdheid", "digitaal taalhuis", "subsidies"},
		"Ondersteunt de digiTaalhuizen in de regio en de samenwerking met gemeenten."},
	{"adviseur onderwijs", biebplein.KindStaff, []string{"de bibliotheek op school", "schoolbesturen", "accountplan", "dbos-monitor", "evaluatie"},
		"Helpt bibliotheken met accountplannen en gesprekken met schoolbesturen."},
	{"trainer", biebplein.KindStaff, []string{"leertrajecten", "e-learning", "klantcontact", "didactiek"},
		"Begeleidt het leertraject voor de frontoffice."},
	{"communicatieadviseur", biebplein.KindStaff, []string{"communicatie", "nieuwsbrief", "sociale media", "narrowcasting"},
		"Maakt de kwartaalnieuwsbrief en helpt bibliotheken met hun verhaal."},
}

var interests = []string{
	"jeugdliteratuur", "thrillers", "poëzie", "leesclubs", "streekgeschiedenis", "podcasts", "wandelen",
	"fotografie", "duurzaamheid", "games", "strips", "muziek", "koken", "tuinieren", "filosofie",
}

var firstNames = []string{
	"Anna", "Sanne", "Fatima", "Lotte", "Eva", "Noor", "Femke", "Marieke", "Yvonne", "Karin", "Ilse", "Petra",
	"Annemiek", "Esther", "Naima", "Sevda", "Joyce", "Linda", "Marloes", "Ria", "Wilma", "Tineke", "Hanneke",
	"Jeroen", "Mark", "Bas", "Thijs", "Ruud", "Mohamed", "Kees", "Joost", "Martijn", "Pieter", "Youssef",
	"Sander", "Erik", "Gert", "Wim", "Hans", "Dirk", "Koen", "Jan", "Stefan", "Rachid", "Arjen", "Lieke",
}

var lastNames = []string{
	"de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
	"Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits",
	"de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van Dijk",
	"Schouten", "van Beek", "Willems", "Hoekstra", "Koster", "Prins", "Kuipers", "El Amrani", "Yılmaz",
	"Öztürk", "Verhoeven", "Postma", "van Rijn", "Claassen", "Wouters", "Koning", "Maas",
}

func (b *builder) build(ctx context.Context) error {
	b.emails = map[string]bool{}
	poi, err := b.org(ctx, "Biebnet Zuidwaard", biebplein.OrgSupport, nil)
	if err != nil {
		return err
	}
	poiDomain := "biebnet-zuidwaard.example"
	if err := b.person(ctx, poi, poiDomain, personSpec{
		name: "Ingrid Bakker", email: AdminEmail, function: "functioneel beheerder", kind: biebplein.KindStaff, admin: true,
		expertise: []string{"biebplein", "privacy", "microsoft 365"}, interests: []string{"podcasts"},
		bio: "Beheert Biebplein voor het hele netwerk. Vragen over accounts of privacy? Stuur me een bericht.",
	}); err != nil {
		return err
	}
	for i := 0; i < 9; i++ {
		r := poiRoles[i%len(poiRoles)]
		if err := b.person(ctx, poi, poiDomain, b.spec(r)); err != nil {
			return err
		}
	}

	for li, lib := range libraries {
		l, err := b.org(ctx, lib.name, biebplein.OrgLibrary, poi)
		if err != nil {
			return err
		}
		domain := slug(lib.name) + ".example"
		branches := make([]*biebplein.Organisation, 0, len(lib.branches))
		for _, name := range lib.branches {
			br, err := b.org(ctx, name, biebplein.OrgBranch, l)
			if err != nil {
				return err
			}
			branches = append(branches, br)
		}
		// Management and the education team belong to the library; the rest to a branch.
		for ri, r := range libraryRoles {
			where := l
			if r.function != "educatiemanager" && r.function != "onderwijsspecialist" {
				where = branches[(ri+li)%len(branches)]
			}
			count := 1
			if r.kind == biebplein.KindVolunteer || r.function == "leesconsulent" {
				count = 1 + b.rng.IntN(2)
			}
			for c := 0; c < count; c++ {
				ps := b.spec(r)
				if li == 0 && ri == 9 && c == 0 {
					ps.name, ps.email = "Henk Jansen", VolunteerEmail
					ps.bio = "Gepensioneerd onderwijzer. Leest elke dinsdag voor bij een gezin in Hoeksmeer Noord."
					where = branches[1]
				}
				if err := b.person(ctx, where, domain, ps); err != nil {
					return err
				}
			}
		}
		// One colleague has been invited but has not accepted yet, and in one library
		// someone has left.
		if err := b.person(ctx, branches[0], domain, personSpec{function: "frontoffice", kind: biebplein.KindStaff, invited: true}); err != nil {
			return err
		}
		if li%3 == 0 {
			if err := b.person(ctx, branches[len(branches)-1], domain, personSpec{function: "frontoffice", kind: biebplein.KindStaff, inactive: true}); err != nil {
				return err
			}
		}
	}
	return b.partners(ctx, poi)
}

// spec makes a person in role r with a few of its expertise tags and interests.
func (b *builder) spec(r role) personSpec {
	return personSpec{
		function: r.function, kind: r.kind, bio: r.bio,
		expertise: b.pick(r.expertise, 2+b.rng.IntN(2)),
		interests: b.pick(interests, b.rng.IntN(3)),
	}
}

// partners adds a school board with its schools, a cultural institution, neighbourhood care
// and the in-house café, each with a few people.
func (b *builder) partners(ctx context.Context, poi *biebplein.Organisation) error {
	hoeksmeer, err := b.st.FindOrganisations(ctx, biebplein.OrganisationFilter{Name: "Bibliotheek Hoeksmeer"})
	if err != nil || len(hoeksmeer) == 0 {
		return fmt.Errorf("demo: library Hoeksmeer missing: %v", err)
	}
	board, err := b.org(ctx, "Stichting Primair Onderwijs De Waardse Linde", biebplein.OrgPartner, poi)
	if err != nil {
		return err
	}
	if err := b.person(ctx, board, "dewaardselinde.example", personSpec{function: "bestuurder", kind: biebplein.KindPartner,
		expertise: []string{"schoolbesturen", "onderwijsbeleid"}, bio: "Bestuurder van elf basisscholen in Zuidwaard."}); err != nil {
		return err
	}
	if err := b.person(ctx, board, "dewaardselinde.example", personSpec{function: "beleidsmedewerker onderwijs", kind: biebplein.KindPartner,
		expertise: []string{"de bibliotheek op school", "taalbeleid"}}); err != nil {
		return err
	}
	schools := []string{"OBS De Regenboog", "CBS Het Kompas", "IKC De Sterrenkijker", "Basisschool De Vlieger"}
	schoolRoles := []role{
		{"leesmediacoach", biebplein.KindPartner, []string{"leesbevordering", "schoolbibliotheek", "jeugdliteratuur"}, "Houdt de schoolbibliotheek bij en organiseert de Kinderboekenweek."},
		{"leerkracht groep 5", biebplein.KindPartner, []string{"voorlezen", "begrijpend lezen"}, ""},
		{"intern begeleider", biebplein.KindPartner, []string{"taalontwikkeling", "dyslexie"}, ""},
	}
	for _, name := range schools {
		s, err := b.org(ctx, name, biebplein.OrgPartner, board)
		if err != nil {
			return err
		}
		for _, r := range schoolRoles[:2+b.rng.IntN(2)] {
			if err := b.person(ctx, s, slug(name)+".example", b.spec(r)); err != nil {
				return err
			}
		}
	}
	others := []struct {
		name, function string
		expertise      []string
		bio            string
		parent         *biebplein.Organisation
	}{
		{"Theater De Schakel", "cultuurcoördinator", []string{"cultuureducatie", "voorstellingen", "cultuurkaart"}, "Verbindt theater, scholen en bibliotheek in cultuurprogramma's.", poi},
		{"Buurtteam Hoeksmeer", "wijkverpleegkundige", []string{"gezondheidsvaardigheden", "ouderen"}, "Werkt met de bibliotheek aan gezondheidsvaardigheden in de wijk.", hoeksmeer[0]},
		{"Koffiebar Het Leeshuis", "uitbater", []string{"horeca", "evenementen"}, "Runt de koffiebar in de centrale bibliotheek.", hoeksmeer[0]},
	}
	for _, o := range others {
		org, err := b.org(ctx, o.name, biebplein.OrgPartner, o.parent)
		if err != nil {
			return err
		}
		for i := 0; i < 2; i++ {
			if err := b.person(ctx, org, slug(o.name)+".example", personSpec{function: o.function, kind: biebplein.KindPartner, expertise: o.expertise, bio: o.bio}); err != nil {
				return err
			}
		}
	}
	return nil
}
