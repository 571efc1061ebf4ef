package bench

import (
	"context"
	"fmt"
	"html"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/store"
)

// The network at scale 1.0, as the issue asks for it. Comments and reactions are generated
// per post with these means, so their totals follow the number of posts.
const (
	peopleAtScale1     = 10_000
	groupsAtScale1     = 1_000
	postsAtScale1      = 1_000_000
	groupsPerPerson    = 20  // memberships per person, on average
	commentsPerPost    = 3.0 // 3,000,000 at scale 1.0
	reactionsPerPost   = 5.0 // 5,000,000 at scale 1.0
	historyDays        = 183 // posts spread over about six months
	pinnedDays         = biebplein.DefaultPinnedDays
	maxCommentsPerPost = 300
	maxReactionsOnPost = 400
)

// Sizes are the counts a scale gives. Small scales keep a minimum, so that every kind of
// organisation, person and group still exists.
type Sizes struct {
	People int
	Groups int
	Posts  int
}

// SizesFor returns the counts for a scale (1.0: 10,000 people, 1,000 groups, 1,000,000 posts).
func SizesFor(scale float64) Sizes {
	n := func(base float64, least int) int { return max(least, int(math.Round(base*scale))) }
	return Sizes{People: n(peopleAtScale1, 40), Groups: n(groupsAtScale1, 10), Posts: n(postsAtScale1, 300)}
}

// World is the generated network as far as the benchmark needs it afterwards: who is in
// which organisation and group, to choose clients and the groups they read and write.
type World struct {
	Now    time.Time
	Sizes  Sizes
	Orgs   []*Org
	People []*Person
	Groups []*Group
	// Took is how long generating and writing took, statistics included.
	Took time.Duration
}

// Org is a generated organisation.
type Org struct {
	ID     string
	Name   string
	Kind   biebplein.OrganisationKind
	Parent int // index in World.Orgs, -1 for the root
	// Chain holds this organisation's id and those of every organisation above it.
	Chain []string
}

// Person is a generated person.
type Person struct {
	ID     string
	Name   string
	Kind   biebplein.PersonKind
	Admin  bool
	Org    int     // index in World.Orgs
	Groups []int32 // indexes in World.Groups of full memberships
}

// Group is a generated group.
type Group struct {
	ID         string
	Name       string
	Visibility biebplein.Visibility
	Org        int     // index in World.Orgs of an organisation group, -1 otherwise
	Members    []int32 // indexes in World.People of full members; admins first
	Admins     int     // the first Admins members are group admins
	activity   float64
}

// Viewer returns the person as the visibility rule sees them.
func (w *World) Viewer(p *Person) biebplein.Viewer {
	return biebplein.Viewer{PersonID: p.ID, Kind: p.Kind, Admin: p.Admin, Organisations: w.Orgs[p.Org].Chain}
}

// CanRead reports whether p may read the posts of g, by the domain's own rule.
func (w *World) CanRead(p *Person, g *Group) bool {
	g2 := &biebplein.Group{ID: g.ID, Visibility: g.Visibility}
	if g.Org >= 0 {
		g2.OrganisationID = w.Orgs[g.Org].ID
	}
	var m *biebplein.Membership
	for _, gi := range p.Groups {
		if w.Groups[gi] == g {
			m = &biebplein.Membership{GroupID: g.ID, PersonID: p.ID, Status: biebplein.StatusMember}
			break
		}
	}
	return w.Viewer(p).CanReadGroup(g2, m)
}

// Progress receives what the generator is doing: a stage (a table name) and how far it is.
type Progress func(stage string, done, total int)

// generator holds the state of one generation.
type generator struct {
	ctx      context.Context
	rng      *rand.Rand
	bulk     *store.Bulk
	w        *World
	progress Progress
	end      time.Time // the newest time anything happens
	// candidates for group membership
	internal []int32         // staff and volunteers
	everyone []int32         // everyone but site administrators
	subtree  map[int][]int32 // staff and volunteers of an organisation and those below it
	topicCum []float64       // cumulative popularity of topics
}

// Generate fills db, which must be empty and migrated, with a network of the given scale, and
// gathers the planner's statistics. seed makes the network repeatable (ids aside).
func Generate(ctx context.Context, db *store.DB, scale float64, seed uint64, progress Progress) (*World, error) {
	start := time.Now()
	if progress == nil {
		progress = func(string, int, int) {}
	}
	now := time.Now().UTC()
	g := &generator{
		ctx: ctx, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), progress: progress,
		w:   &World{Now: now, Sizes: SizesFor(scale)},
		end: now.Add(-time.Minute), subtree: map[int][]int32{},
	}
	g.topicCum = zipfCumulative(len(topics), 1.0)
	bulk, err := db.NewBulk(ctx)
	if err != nil {
		return nil, err
	}
	g.bulk = bulk
	steps := []func() error{g.organisations, g.people, g.groups, g.follows, g.posts}
	for _, step := range steps {
		if err = step(); err != nil {
			break
		}
		if err = ctx.Err(); err != nil {
			break
		}
	}
	if cerr := bulk.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	progress("analyze", 0, 1)
	if err := db.Optimize(ctx); err != nil {
		return nil, err
	}
	progress("analyze", 1, 1)
	g.w.Took = time.Since(start)
	return g.w, nil
}

// organisations makes the support organisation at the root, libraries under it, branches
// under the libraries and partners (schools, welfare, culture) under some libraries.
func (g *generator) organisations() error {
	w := g.w
	libraries := max(2, w.Sizes.People/250)
	partners := max(1, libraries/2)
	t := g.end.AddDate(-2, 0, 0)
	add := func(name string, kind biebplein.OrganisationKind, parent int) (int, error) {
		o := &Org{ID: biebplein.NewID(t), Name: name, Kind: kind, Parent: parent}
		o.Chain = []string{o.ID}
		if parent >= 0 {
			o.Chain = append(o.Chain, w.Orgs[parent].Chain...)
		}
		w.Orgs = append(w.Orgs, o)
		err := g.bulk.Organisation(&biebplein.Organisation{ID: o.ID, Name: name, Kind: kind,
			ParentID: parentID(w, parent), CreatedAt: t, UpdatedAt: t})
		return len(w.Orgs) - 1, err
	}
	if _, err := add("Stichting Bibliotheeknetwerk", biebplein.OrgSupport, -1); err != nil {
		return err
	}
	// Branches: two to seven per library, fewer on tiny networks so that each has people.
	maxBranches := max(1, min(7, w.Sizes.People/(libraries*8)))
	for i := range libraries {
		lib, err := add("Bibliotheek "+numbered(places, i), biebplein.OrgLibrary, 0)
		if err != nil {
			return err
		}
		for j := range 1 + g.rng.IntN(maxBranches) {
			if _, err := add(w.Orgs[lib].Name+" vestiging "+numbered(districts, j), biebplein.OrgBranch, lib); err != nil {
				return err
			}
		}
	}
	libs := g.orgsOfKind(biebplein.OrgLibrary)
	for i := range partners {
		lib := libs[g.rng.IntN(len(libs))]
		name := partnerKinds[i%len(partnerKinds)] + " " + strings.TrimPrefix(w.Orgs[lib].Name, "Bibliotheek ")
		if i >= len(partnerKinds) {
			name += fmt.Sprintf(" %d", i/len(partnerKinds)+1)
		}
		if _, err := add(name, biebplein.OrgPartner, lib); err != nil {
			return err
		}
	}
	g.progress("organisations", len(w.Orgs), len(w.Orgs))
	return nil
}

func parentID(w *World, parent int) string {
	if parent < 0 {
		return ""
	}
	return w.Orgs[parent].ID
}

// numbered returns the i-th word, with a number once the words run out, so names stay unique.
func numbered(words []string, i int) string {
	if i < len(words) {
		return words[i]
	}
	return fmt.Sprintf("%s %d", words[i%len(words)], i/len(words)+1)
}

func (g *generator) orgsOfKind(kind biebplein.OrganisationKind) []int {
	var out []int
	for i, o := range g.w.Orgs {
		if o.Kind == kind {
			out = append(out, i)
		}
	}
	return out
}

// people makes staff and volunteers in the libraries (big city libraries have more), a few
// support staff of whom two are site administrators, and partners in partner organisations.
func (g *generator) people() error {
	w := g.w
	n := w.Sizes.People
	libs := g.orgsOfKind(biebplein.OrgLibrary)
	partnerOrgs := g.orgsOfKind(biebplein.OrgPartner)
	branchesOf := map[int][]int{}
	for i, o := range w.Orgs {
		if o.Kind == biebplein.OrgBranch {
			branchesOf[o.Parent] = append(branchesOf[o.Parent], i)
		}
	}
	libCum := zipfCumulative(len(libs), 0.7)
	hash, err := auth.HashPassword("bench-"+auth.NewToken(), auth.FastParams)
	if err != nil {
		return err
	}
	support := max(2, n/50)
	partnerCount := n * 8 / 100
	created := g.end.AddDate(-1, -6, 0)
	emails := map[string]bool{}
	for i := range n {
		p := &Person{Kind: biebplein.KindStaff}
		switch {
		case i < support:
			p.Org = 0
			p.Admin = i < 2
		case i < support+partnerCount:
			p.Org = partnerOrgs[g.rng.IntN(len(partnerOrgs))]
			p.Kind = biebplein.KindPartner
		default:
			lib := libs[pick(g.rng, libCum)]
			p.Org = lib
			if branches := branchesOf[lib]; len(branches) > 0 && g.rng.Float64() < 0.6 {
				p.Org = branches[g.rng.IntN(len(branches))]
			}
			if g.rng.Float64() < 0.25 {
				p.Kind = biebplein.KindVolunteer
			}
		}
		first, last := firstNames[g.rng.IntN(len(firstNames))], lastNames[g.rng.IntN(len(lastNames))]
		p.Name = first + " " + last
		email := emailFor(first, last, "")
		for k := 2; emails[email]; k++ {
			email = emailFor(first, last, fmt.Sprint(k))
		}
		emails[email] = true
		t := created.Add(time.Duration(i) * time.Minute)
		p.ID = biebplein.NewID(t)
		w.People = append(w.People, p)
		bp := &biebplein.Person{
			ID: p.ID, Email: email, Name: p.Name, Kind: p.Kind, Admin: p.Admin,
			Organisation: biebplein.OrganisationRef{ID: w.Orgs[p.Org].ID},
			Function:     functions[g.rng.IntN(len(functions))], Locale: biebplein.LocaleNL,
			Expertise: g.someTopics(3), Interests: g.someTopics(4),
			PasswordHash: hash, CreatedAt: t, UpdatedAt: t,
		}
		if p.Kind == biebplein.KindPartner {
			bp.Function = "partner"
		}
		if err := g.bulk.Person(bp); err != nil {
			return err
		}
		idx := int32(i)
		if !p.Admin {
			g.everyone = append(g.everyone, idx)
		}
		if p.Kind != biebplein.KindPartner && !p.Admin {
			g.internal = append(g.internal, idx)
			for o := p.Org; o >= 0; o = w.Orgs[o].Parent {
				g.subtree[o] = append(g.subtree[o], idx)
			}
		}
	}
	g.progress("people", n, n)
	return nil
}

func emailFor(first, last, suffix string) string {
	local := strings.NewReplacer(" ", "", "ë", "e", "ı", "i").Replace(strings.ToLower(first + "." + last))
	return local + suffix + "@bibliotheek.example.nl"
}

// someTopics returns up to n popular topics, normalised and without duplicates.
func (g *generator) someTopics(n int) []string {
	k := g.rng.IntN(n + 1)
	out := make([]string, 0, k)
	for range k {
		out = append(out, topics[pick(g.rng, g.topicCum)])
	}
	return biebplein.NormalizeTags(out)
}

// groups makes groups of every visibility with skewed sizes (a few with most of the network,
// many small ones) so that people are members of groupsPerPerson groups on average.
// Organisation groups draw their members from their organisation, network and secret groups
// from staff and volunteers, public and closed groups from everyone.
func (g *generator) groups() error {
	w := g.w
	n := w.Sizes.Groups
	visibilities := []biebplein.Visibility{biebplein.VisPublic, biebplein.VisNetwork, biebplein.VisOrganisation,
		biebplein.VisClosed, biebplein.VisSecret}
	shares := []float64{0.20, 0.25, 0.35, 0.12, 0.08}
	var orgChoices []int
	for i, o := range w.Orgs {
		if o.Kind == biebplein.OrgLibrary || o.Kind == biebplein.OrgBranch {
			if len(g.subtree[i]) > 0 {
				orgChoices = append(orgChoices, i)
			}
		}
	}
	names := map[string]bool{}
	created := g.end.AddDate(0, -9, 0)
	type plan struct {
		g          *Group
		candidates []int32
		cap        int
		weight     float64
	}
	plans := make([]plan, n)
	for i := range n {
		vis := visibilities[i%len(visibilities)] // one of each first
		if i >= len(visibilities) {
			vis = visibilities[pickShare(g.rng, shares)]
		}
		gr := &Group{Visibility: vis, Org: -1}
		p := plan{g: gr, candidates: g.everyone, cap: len(g.everyone)}
		theme := groupThemes[g.rng.IntN(len(groupThemes))]
		name := theme
		switch vis {
		case biebplein.VisOrganisation:
			gr.Org = orgChoices[g.rng.IntN(len(orgChoices))]
			p.candidates = g.subtree[gr.Org]
			name = theme + " " + strings.TrimPrefix(w.Orgs[gr.Org].Name, "Bibliotheek ")
		case biebplein.VisNetwork:
			p.candidates = g.internal
		case biebplein.VisSecret:
			p.candidates = g.internal
			p.cap = 12
			name = "Stuurgroep " + theme
		case biebplein.VisClosed:
			p.cap = 300
			name = theme + " (besloten)"
		}
		p.cap = max(1, min(p.cap, len(p.candidates)))
		name = uniqueName(names, name)
		gr.Name = name
		t := created.Add(time.Duration(i) * time.Hour)
		gr.ID = biebplein.NewID(t)
		// Zipf weights in random order of groups: size does not follow visibility.
		p.weight = 1 / math.Pow(float64(g.rng.IntN(n)+1), 0.8)
		plans[i] = p
		w.Groups = append(w.Groups, gr)
	}

	// Scale the weights so that the sizes, each within its cap, add up to the memberships
	// wanted: a binary search on the factor.
	target := float64(len(w.People) * min(groupsPerPerson, max(2, n/2)))
	total := func(f float64) float64 {
		s := 0.0
		for _, p := range plans {
			s += math.Min(float64(p.cap), math.Max(1, f*p.weight))
		}
		return s
	}
	lo, hi := 0.0, 1e9
	for range 100 {
		mid := (lo + hi) / 2
		if total(mid) < target {
			lo = mid
		} else {
			hi = mid
		}
	}

	for i, p := range plans {
		gr := p.g
		size := int(math.Round(math.Min(float64(p.cap), math.Max(1, hi*p.weight))))
		members := sample(g.rng, p.candidates, size+size/20+1)
		extra := members[min(size, len(members)):]
		members = members[:min(size, len(members))]
		gr.Members = members
		gr.Admins = 1 + len(members)/60
		gr.activity = math.Pow(float64(len(members)), 0.8) * math.Exp(0.7*g.rng.NormFloat64())
		t := created.Add(time.Duration(i) * time.Hour)
		bg := &biebplein.Group{
			ID: gr.ID, Name: gr.Name, Visibility: gr.Visibility, MemberCount: len(members),
			Description: "Groep voor " + strings.ToLower(gr.Name[:1]) + gr.Name[1:] + ".",
			CreatedBy:   w.People[members[0]].ID, CreatedAt: t, UpdatedAt: t,
		}
		if gr.Org >= 0 {
			bg.OrganisationID = w.Orgs[gr.Org].ID
		}
		if err := g.bulk.Group(bg); err != nil {
			return err
		}
		for j, pi := range members {
			role := biebplein.RoleMember
			if j < gr.Admins {
				role = biebplein.RoleAdmin
			}
			mt := t.Add(time.Duration(j) * time.Minute)
			if err := g.bulk.Membership(&biebplein.Membership{GroupID: gr.ID, PersonID: w.People[pi].ID,
				Role: role, Status: biebplein.StatusMember, CreatedAt: mt, UpdatedAt: mt}); err != nil {
				return err
			}
			w.People[pi].Groups = append(w.People[pi].Groups, int32(i))
		}
		// Closed groups have people waiting for approval, secret ones an invitation or two.
		status := biebplein.MemberStatus("")
		switch gr.Visibility {
		case biebplein.VisClosed:
			status = biebplein.StatusPending
		case biebplein.VisSecret:
			status = biebplein.StatusInvited
			extra = extra[:min(1, len(extra))]
		}
		if status != "" {
			for _, pi := range extra {
				m := &biebplein.Membership{GroupID: gr.ID, PersonID: w.People[pi].ID, Role: biebplein.RoleMember,
					Status: status, CreatedAt: g.end, UpdatedAt: g.end}
				if status == biebplein.StatusInvited {
					m.InvitedBy = w.People[members[0]].ID
				}
				if err := g.bulk.Membership(m); err != nil {
					return err
				}
			}
		}
	}
	g.progress("groups", n, n)
	return nil
}

func uniqueName(taken map[string]bool, name string) string {
	out := name
	for k := 2; taken[strings.ToLower(out)]; k++ {
		out = fmt.Sprintf("%s %d", name, k)
	}
	taken[strings.ToLower(out)] = true
	return out
}

// sample returns up to n distinct elements of from, in random order, leaving from as it is.
func sample(rng *rand.Rand, from []int32, n int) []int32 {
	n = min(n, len(from))
	s := slices.Clone(from)
	for i := range n {
		j := i + rng.IntN(len(s)-i)
		s[i], s[j] = s[j], s[i]
	}
	return s[:n]
}

// follows lets some people follow colleagues and topics, which the home feed takes in.
func (g *generator) follows() error {
	w := g.w
	n := 0
	for _, p := range w.People {
		seen := map[string]bool{}
		if g.rng.Float64() < 0.3 {
			for range 1 + g.rng.IntN(4) {
				other := w.People[g.internal[g.rng.IntN(len(g.internal))]]
				if other != p && !seen[other.ID] {
					seen[other.ID] = true
					if err := g.bulk.Follow(biebplein.Follow{PersonID: p.ID, TargetKind: "person", Target: other.ID}, g.end); err != nil {
						return err
					}
					n++
				}
			}
		}
		if g.rng.Float64() < 0.25 {
			for _, t := range g.someTopics(3) {
				if err := g.bulk.Follow(biebplein.Follow{PersonID: p.ID, TargetKind: "topic", Target: t}, g.end); err != nil {
					return err
				}
				n++
			}
		}
	}
	g.progress("follows", n, n)
	return nil
}

// posts writes the posts in time order, day by day (weekdays busier, working hours busiest),
// each with its comments, reactions, votes and reads, and counters that agree with them.
func (g *generator) posts() error {
	w := g.w
	total := w.Sizes.Posts
	start := g.end.AddDate(0, 0, -historyDays).Truncate(24 * time.Hour)
	days := int(g.end.Sub(start)/(24*time.Hour)) + 1
	weights := make([]float64, days)
	sum := 0.0
	for d := range days {
		switch start.AddDate(0, 0, d).Weekday() {
		case time.Saturday:
			weights[d] = 0.25
		case time.Sunday:
			weights[d] = 0.15
		default:
			weights[d] = 1
		}
		sum += weights[d]
	}
	groupCum := make([]float64, len(w.Groups))
	acc := 0.0
	for i, gr := range w.Groups {
		acc += gr.activity
		groupCum[i] = acc
	}

	done, cum, step := 0, 0.0, max(1, total/20)
	for d := range days {
		cum += weights[d]
		n := int(math.Round(cum/sum*float64(total))) - done
		day := start.AddDate(0, 0, d)
		times := make([]time.Time, n)
		for i := range times {
			var off time.Duration
			if g.rng.Float64() < 0.8 {
				off = 8*time.Hour + 30*time.Minute + time.Duration(g.rng.Int64N(int64(9*time.Hour)))
			} else {
				off = 7*time.Hour + time.Duration(g.rng.Int64N(int64(15*time.Hour)))
			}
			t := day.Add(off)
			if t.After(g.end) {
				t = g.end.Add(-time.Duration(g.rng.Int64N(int64(3 * time.Hour))))
			}
			times[i] = t
		}
		slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
		for _, t := range times {
			if err := g.post(w.Groups[pick(g.rng, groupCum)], t); err != nil {
				return err
			}
			done++
			if done%step == 0 || done == total {
				g.progress("posts", done, total)
				if err := g.ctx.Err(); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// post writes one post in group gr at time t with everything that hangs off it.
func (g *generator) post(gr *Group, t time.Time) error {
	w := g.w
	rng := g.rng
	p := &biebplein.Post{
		ID: biebplein.NewID(t), Group: biebplein.GroupRef{ID: gr.ID}, Kind: biebplein.KindPost,
		CreatedAt: t, Reactions: map[biebplein.ReactionKind]int{},
	}
	author := w.People[gr.Members[rng.IntN(len(gr.Members))]]
	switch r := rng.Float64(); {
	case r < 0.01:
		p.Kind = biebplein.KindAnnouncement
		author = w.People[gr.Members[rng.IntN(gr.Admins)]]
		until := t.AddDate(0, 0, pinnedDays)
		p.PinnedUntil = &until
	case r < 0.03:
		p.Kind = biebplein.KindPoll
	case r < 0.10:
		p.Kind = biebplein.KindQuestion
	}
	p.Author = biebplein.PersonRef{ID: author.ID, Name: author.Name}

	// The body: a mention now and then, one to three sentences, sometimes topics.
	var body, htm strings.Builder
	if rng.Float64() < 0.08 {
		m := w.People[gr.Members[rng.IntN(len(gr.Members))]]
		p.Mentions = []biebplein.Mention{{Kind: "person", ID: m.ID, Name: m.Name}}
		body.WriteString("@" + m.Name + " ")
		htm.WriteString(`<a class="mention" href="/people/` + m.ID + `">@` + html.EscapeString(m.Name) + "</a> ")
	}
	for i := range 1 + rng.IntN(3) {
		if i > 0 {
			body.WriteString(" ")
			htm.WriteString(" ")
		}
		s := sentences[rng.IntN(len(sentences))]
		body.WriteString(s)
		htm.WriteString(html.EscapeString(s))
	}
	if rng.Float64() < 0.2 {
		p.Topics = g.someTopics(2)
		for _, topic := range p.Topics {
			body.WriteString(" #" + topic)
			htm.WriteString(` <a class="topic" href="/topics/` + topic + `">#` + topic + "</a>")
		}
	}
	p.Body, p.Text, p.HTML = body.String(), body.String(), "<p>"+htm.String()+"</p>"
	if rng.Float64() < 0.003 {
		at := t.Add(time.Hour)
		p.DeletedAt, p.DeletedBy = &at, author.ID
	}

	comments := g.comments(gr, p)
	p.CommentCount = len(comments)
	if p.Kind == biebplein.KindQuestion && len(comments) > 0 && rng.Float64() < 0.4 {
		p.AcceptedCommentID = comments[0].ID
	}
	reactions := g.reactions(gr, p)
	var votes [][2]string // option id, person id
	if p.Kind == biebplein.KindPoll {
		votes = g.poll(gr, p)
	}
	var readers []int32
	if p.Kind == biebplein.KindAnnouncement {
		readers = sample(rng, gr.Members, rng.IntN(min(150, len(gr.Members)/2)+1))
		p.ReadCount = len(readers)
	}

	if err := g.bulk.Post(p); err != nil {
		return err
	}
	for _, v := range votes {
		if err := g.bulk.Vote(p.ID, v[0], v[1]); err != nil {
			return err
		}
	}
	for _, r := range readers {
		if err := g.bulk.Read(p.ID, w.People[r].ID, g.after(t, 24*time.Hour)); err != nil {
			return err
		}
	}
	for _, c := range comments {
		if err := g.bulk.Comment(c); err != nil {
			return err
		}
	}
	for _, r := range reactions {
		if err := g.bulk.Reaction(p.ID, r.person, r.kind, r.at); err != nil {
			return err
		}
	}
	return nil
}

// after returns a time some while after t (on average mean), never after the end.
func (g *generator) after(t time.Time, mean time.Duration) time.Time {
	t = t.Add(time.Duration(g.rng.ExpFloat64() * float64(mean)))
	if t.After(g.end) {
		return g.end
	}
	return t
}

// comments makes the comments of a post, a fifth of them replies, in time order. A comment
// that would come after the end has not been written yet: the newest posts have fewer, as
// on a real network at any moment. (Moved to the end instead, the comments of the last
// day's posts would pile up there, the newest tens of thousands of entries with no post
// among them.)
func (g *generator) comments(gr *Group, p *biebplein.Post) []*biebplein.Comment {
	rng := g.rng
	n := min(maxCommentsPerPost, skewed(rng, commentsPerPost))
	out := make([]*biebplein.Comment, 0, n)
	var topLevel []string
	t := p.CreatedAt
	for range n {
		if t = t.Add(time.Duration(rng.ExpFloat64() * float64(2*time.Hour))); !t.Before(g.end) {
			break
		}
		a := g.w.People[gr.Members[rng.IntN(len(gr.Members))]]
		s := commentSentences[rng.IntN(len(commentSentences))]
		c := &biebplein.Comment{ID: biebplein.NewID(t), PostID: p.ID, Author: biebplein.PersonRef{ID: a.ID},
			Body: s, Text: s, HTML: "<p>" + html.EscapeString(s) + "</p>", CreatedAt: t}
		if len(topLevel) > 0 && rng.Float64() < 0.2 {
			c.ParentID = topLevel[rng.IntN(len(topLevel))]
		} else {
			topLevel = append(topLevel, c.ID)
		}
		if rng.Float64() < 0.03 {
			c.Mentions = []biebplein.Mention{{Kind: "person", ID: p.Author.ID, Name: p.Author.Name}}
			c.Body = "@" + p.Author.Name + " " + s
			c.Text = c.Body
			c.HTML = `<p><a class="mention" href="/people/` + p.Author.ID + `">@` + html.EscapeString(p.Author.Name) +
				"</a> " + html.EscapeString(s) + "</p>"
		}
		out = append(out, c)
	}
	return out
}

type reaction struct {
	person string
	kind   biebplein.ReactionKind
	at     time.Time
}

// reactionShares is how often each kind is chosen: mostly likes.
var reactionShares = []float64{0.6, 0.2, 0.1, 0.1}

// reactions makes distinct reactions of members to a post and counts them on it.
func (g *generator) reactions(gr *Group, p *biebplein.Post) []reaction {
	rng := g.rng
	kinds := biebplein.ReactionKinds()
	n := min(maxReactionsOnPost, len(gr.Members)*2, skewed(rng, reactionsPerPost))
	seen := make(map[int64]bool, n)
	out := make([]reaction, 0, n)
	for attempts := 0; len(out) < n && attempts < 4*n; attempts++ {
		pi := gr.Members[rng.IntN(len(gr.Members))]
		k := pickShare(rng, reactionShares)
		key := int64(pi)*4 + int64(k)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, reaction{person: g.w.People[pi].ID, kind: kinds[k], at: g.after(p.CreatedAt, 3*time.Hour)})
		p.Reactions[kinds[k]]++
	}
	return out
}

// poll gives a poll post its options and votes, and returns the votes.
func (g *generator) poll(gr *Group, p *biebplein.Post) [][2]string {
	rng := g.rng
	poll := &biebplein.Poll{Multiple: rng.Float64() < 0.2}
	if rng.Float64() < 0.5 {
		closes := p.CreatedAt.AddDate(0, 0, 7)
		poll.ClosesAt = &closes
	}
	for _, i := range rng.Perm(len(pollOptions))[:2+rng.IntN(3)] {
		poll.Options = append(poll.Options, &biebplein.PollOption{ID: biebplein.NewID(p.CreatedAt), Label: pollOptions[i]})
	}
	voters := sample(rng, gr.Members, rng.IntN(min(60, len(gr.Members)*4/10)+1))
	var votes [][2]string
	for _, v := range voters {
		choices := 1
		if poll.Multiple {
			choices += rng.IntN(2)
		}
		for _, oi := range rng.Perm(len(poll.Options))[:choices] {
			o := poll.Options[oi]
			o.Votes++
			votes = append(votes, [2]string{o.ID, g.w.People[v].ID})
		}
	}
	poll.Voters = len(voters)
	p.Poll = poll
	return votes
}

// skewed returns a count with the given mean and a long tail: most posts get a few comments
// or reactions, some none, a few very many. It draws a geometric count whose mean is itself
// exponentially distributed around mean.
func skewed(rng *rand.Rand, mean float64) int {
	lambda := mean * rng.ExpFloat64()
	if lambda <= 0 {
		return 0
	}
	q := lambda / (1 + lambda) // chance of one more
	return int(math.Floor(math.Log(1-rng.Float64()) / math.Log(q)))
}

// zipfCumulative returns the cumulative weights 1/(i+1)^s of n items, for pick.
func zipfCumulative(n int, s float64) []float64 {
	out := make([]float64, n)
	acc := 0.0
	for i := range n {
		acc += 1 / math.Pow(float64(i+1), s)
		out[i] = acc
	}
	return out
}

// pick returns an index drawn with the weights whose running totals are cum.
func pick(rng *rand.Rand, cum []float64) int {
	x := rng.Float64() * cum[len(cum)-1]
	i, _ := slices.BinarySearch(cum, x)
	return min(i, len(cum)-1)
}

// pickShare returns an index drawn with the given shares (adding up to 1).
func pickShare(rng *rand.Rand, shares []float64) int {
	x := rng.Float64()
	for i, s := range shares {
		if x < s {
			return i
		}
		x -= s
	}
	return len(shares) - 1
}
