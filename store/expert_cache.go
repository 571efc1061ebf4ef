package store

import (
	"cmp"
	"context"
	"slices"
	"sync"

	biebplein "github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/search"
)

// The declared side of the expertise finder (everyone's tags and functions, and what the
// ranking and its filters need of each person: name, kind, organisation, activation) is what
// a common topic costs most to read: thousands of tag rows and people per request. It changes rarely, so the
// store keeps it in memory as of one 'profiles' epoch (cache_epochs), which every change to a
// person's tags, function or activation bumps in its own transaction; a request reads the
// epoch (one row) and reloads when it moved, so another instance's change is seen at once.
// The names and descriptions of groups are kept too, folded (a group's change bumps the
// epoch as well); which of them the viewer may read is still asked of the database.

// profileTag is one declared tag of a person: expertise, or else interest.
type profileTag struct {
	person    int32 // in profiles.people
	expertise bool
	tag       string
}

// profilePerson is what the finder ranks and filters a person by.
type profilePerson struct {
	id, nameKey, function, functionKey, organisationID string
	kind                                               biebplein.PersonKind
	active                                             bool
}

// profileFunction is a function as written and folded, with the active people who have
// it: a network of thousands has a few dozen functions, so matching the topic is a few
// dozen compares.
type profileFunction struct {
	function, key string
	people        []int32 // in profiles.people
}

// profiles is the declared side as of one epoch; never changed once built. A person is
// their place in people, which is the order the ranking breaks ties by (name key, then id):
// the finder works with these numbers and looks up an id once, where the database names it.
type profiles struct {
	epoch     int64
	tags      map[string][]profileTag // by folded tag
	people    []profilePerson         // everyone, by name key and id
	index     map[string]int32        // place in people by id
	functions []profileFunction       // of the active people who have one, by spelling
	groups    []profileGroup          // every group, whoever may see it (the query decides)
}

// profileGroup is a group's name and description, folded for matching the topic.
type profileGroup struct {
	id, folded string // folded: name and description, joined by a newline
}

// profileCache holds the newest profiles.
type profileCache struct {
	mu  sync.Mutex // held while loading, so that one request loads and the others wait
	cur *profiles
}

const profilesEpoch = "profiles"

// bumpProfiles adds one to the profiles epoch, last in the transaction of the change.
func bumpProfiles(ctx context.Context, tx conn) error {
	_, err := tx.exec(ctx, "UPDATE cache_epochs SET n = n + 1 WHERE name = ?", profilesEpoch)
	return wrap("bump profiles epoch", err)
}

// get returns the profiles of the database's current epoch, loading them when they moved.
func (pc *profileCache) get(ctx context.Context, c conn) (*profiles, error) {
	var epoch int64
	if err := c.queryRow(ctx, "SELECT n FROM cache_epochs WHERE name = ?", profilesEpoch).Scan(&epoch); err != nil {
		return nil, wrap("read profiles epoch", err)
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.cur != nil && pc.cur.epoch >= epoch {
		return pc.cur, nil
	}
	p, err := loadProfiles(ctx, c, epoch)
	if err != nil {
		return nil, err
	}
	pc.cur = p
	return p, nil
}

// loadProfiles reads every tag, person and group. The epoch was read first: a change
// committed in between is read now and bumps the epoch past this one, so the next request
// reloads.
func loadProfiles(ctx context.Context, c conn, epoch int64) (*profiles, error) {
	p := &profiles{epoch: epoch, tags: map[string][]profileTag{}}
	for _, load := range []func(context.Context, conn, *profiles) error{loadProfilePeople, loadProfileTags, loadProfileGroups} {
		if err := load(ctx, c, p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func loadProfileTags(ctx context.Context, c conn, p *profiles) error {
	rows, err := c.queryOnce(ctx, "SELECT person_id, kind, tag, tag_key FROM person_tags")
	if err != nil {
		return wrap("load profile tags", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t profileTag
		var id, kind, key string
		if err := rows.Scan(&id, &kind, &t.tag, &key); err != nil {
			return wrap("scan profile tag", err)
		}
		t.expertise = kind == tagExpertise
		var ok bool
		if t.person, ok = p.index[id]; ok { // people were read first; a newer person waits for the next epoch
			p.tags[key] = append(p.tags[key], t)
		}
	}
	return wrap("load profile tags", rows.Err())
}

func loadProfilePeople(ctx context.Context, c conn, p *profiles) error {
	rows, err := c.queryOnce(ctx, `SELECT id, name_key, kind, organisation_id, function, function_key,
		deactivated_at IS NULL FROM people`)
	if err != nil {
		return wrap("load profile people", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pp profilePerson
		if err := rows.Scan(&pp.id, &pp.nameKey, &pp.kind, &pp.organisationID, &pp.function, &pp.functionKey, &pp.active); err != nil {
			return wrap("scan profile person", err)
		}
		if pp.nameKey == "" {
			pp.nameKey = " " // a nameless person still counts, after the others of their score
		}
		p.people = append(p.people, pp)
	}
	if err := rows.Err(); err != nil {
		return wrap("load profile people", err)
	}
	// The ranking breaks ties by name key and id; in that order once here, a tie is a
	// compare of two numbers for each of thousands of candidates.
	slices.SortFunc(p.people, func(a, b profilePerson) int {
		return cmp.Or(cmp.Compare(a.nameKey, b.nameKey), cmp.Compare(a.id, b.id))
	})
	p.index = make(map[string]int32, len(p.people))
	functions := map[string]int{} // place in p.functions by spelling
	for i := range p.people {
		pp := &p.people[i]
		p.index[pp.id] = int32(i)
		if !pp.active || pp.functionKey == "" {
			continue
		}
		at, ok := functions[pp.function]
		if !ok {
			at = len(p.functions)
			functions[pp.function] = at
			p.functions = append(p.functions, profileFunction{function: pp.function, key: pp.functionKey})
		}
		p.functions[at].people = append(p.functions[at].people, int32(i))
	}
	return nil
}

func loadProfileGroups(ctx context.Context, c conn, p *profiles) error {
	rows, err := c.queryOnce(ctx, "SELECT id, name, description FROM groups")
	if err != nil {
		return wrap("load profile groups", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g profileGroup
		var name, description string
		if err := rows.Scan(&g.id, &name, &description); err != nil {
			return wrap("scan profile group", err)
		}
		g.folded = search.Fold(name) + "\n" + search.Fold(description)
		p.groups = append(p.groups, g)
	}
	return wrap("load profile groups", rows.Err())
}
