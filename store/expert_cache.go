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

// profileTag is one declared tag of a person.
type profileTag struct {
	personID, kind, tag string
}

// profilePerson is what the finder ranks and filters a person by.
type profilePerson struct {
	nameKey, function, functionKey, organisationID string
	kind                                           biebplein.PersonKind
	active                                         bool
	order                                          int // place among everyone by name key, then id
}

// profileFunction is an active person's function, for matching the topic in it.
type profileFunction struct {
	personID, function, key string
}

// profiles is the declared side as of one epoch; never changed once built.
type profiles struct {
	epoch     int64
	tags      map[string][]profileTag   // by folded tag
	people    map[string]*profilePerson // by id, everyone
	functions []profileFunction         // of the active people who have one
	groups    []profileGroup            // every group, whoever may see it (the query decides)
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
	p := &profiles{epoch: epoch, tags: map[string][]profileTag{}, people: map[string]*profilePerson{}}
	for _, load := range []func(context.Context, conn, *profiles) error{loadProfileTags, loadProfilePeople, loadProfileGroups} {
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
		var key string
		if err := rows.Scan(&t.personID, &t.kind, &t.tag, &key); err != nil {
			return wrap("scan profile tag", err)
		}
		p.tags[key] = append(p.tags[key], t)
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
	var ids []string
	for rows.Next() {
		var id string
		pp := &profilePerson{}
		if err := rows.Scan(&id, &pp.nameKey, &pp.kind, &pp.organisationID, &pp.function, &pp.functionKey, &pp.active); err != nil {
			return wrap("scan profile person", err)
		}
		if pp.nameKey == "" {
			pp.nameKey = " " // a nameless person still counts, after the others of their score
		}
		p.people[id] = pp
		ids = append(ids, id)
		if pp.active && pp.functionKey != "" {
			p.functions = append(p.functions, profileFunction{personID: id, function: pp.function, key: pp.functionKey})
		}
	}
	if err := rows.Err(); err != nil {
		return wrap("load profile people", err)
	}
	// The ranking breaks ties by name key and id; their order once here makes it a compare of
	// two numbers for each of thousands of candidates.
	slices.SortFunc(ids, func(a, b string) int {
		return cmp.Or(cmp.Compare(p.people[a].nameKey, p.people[b].nameKey), cmp.Compare(a, b))
	})
	for i, id := range ids {
		p.people[id].order = i
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
