package bench

import (
	"context"
	"math/rand/v2"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/store"
)

// identitiesFromDB chooses n members of a database generated earlier (--reuse), as
// createIdentities does from the generated world: staff and volunteers, no site
// administrators, those whose number of groups is closest to groupsPerPerson. Their groups and
// the groups they may read come from the store, by the same rule the server applies.
func identitiesFromDB(ctx context.Context, db *store.DB, n int, rng *rand.Rand) ([]*identity, error) {
	people, _, err := db.FindPeople(ctx, biebplein.PersonFilter{})
	if err != nil {
		return nil, err
	}
	type candidate struct {
		p      *biebplein.Person
		v      biebplein.Viewer
		groups []string
	}
	var eligible []candidate
	for _, p := range people {
		if p.Admin || p.Kind == biebplein.KindPartner || !p.Active() {
			continue
		}
		chain, err := db.OrganisationChain(ctx, p.Organisation.ID)
		if err != nil {
			return nil, err
		}
		v := biebplein.Viewer{PersonID: p.ID, Kind: p.Kind, Organisations: chain}
		groups, err := allGroups(ctx, db, biebplein.GroupFilter{Scope: biebplein.GroupScope{Viewer: v}, Member: true})
		if err != nil {
			return nil, err
		}
		if len(groups) > 0 {
			eligible = append(eligible, candidate{p, v, groups})
		}
	}
	eligible = closestToGroups(eligible, func(c candidate) int { return len(c.groups) }, n, rng)

	out := make([]*identity, 0, len(eligible))
	for _, c := range eligible {
		token, err := issueToken(ctx, db, c.p.ID)
		if err != nil {
			return nil, err
		}
		readable, err := allGroups(ctx, db, biebplein.GroupFilter{Scope: biebplein.GroupScope{Viewer: c.v, Access: biebplein.AccessRead}})
		if err != nil {
			return nil, err
		}
		out = append(out, &identity{personID: c.p.ID, token: token, member: c.groups, readable: readable})
	}
	return out, nil
}

// allGroups returns the ids of every group of the filter, page by page.
func allGroups(ctx context.Context, db *store.DB, f biebplein.GroupFilter) ([]string, error) {
	var ids []string
	f.Limit = 100
	for {
		groups, next, err := db.FindGroups(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			ids = append(ids, g.ID)
		}
		if next == "" {
			return ids, nil
		}
		f.After = next
	}
}
