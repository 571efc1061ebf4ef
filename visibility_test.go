package biebplein_test

import (
	"fmt"
	"testing"

	"github.com/biebplein/biebplein"
)

// The visibility rule as a specification: who sees (S) and reads (R) a group of each
// visibility, written out by hand rather than derived from the code.
func TestGroupVisibilityRule(t *testing.T) {
	const lib, branch, otherLib, partnerOrg = "lib", "branch", "other", "school"
	viewers := map[string]biebplein.Viewer{
		"admin":          {PersonID: "admin", Kind: biebplein.KindStaff, Admin: true, Organisations: []string{"poi"}},
		"staffSameLib":   {PersonID: "s1", Kind: biebplein.KindStaff, Organisations: []string{branch, lib, "poi"}},
		"staffOtherLib":  {PersonID: "s2", Kind: biebplein.KindStaff, Organisations: []string{otherLib, "poi"}},
		"volunteer":      {PersonID: "v", Kind: biebplein.KindVolunteer, Organisations: []string{branch, lib, "poi"}},
		"partner":        {PersonID: "p", Kind: biebplein.KindPartner, Organisations: []string{partnerOrg, lib, "poi"}},
		"signedOut":      {},
		"partnerPending": {PersonID: "pp", Kind: biebplein.KindPartner, Organisations: []string{partnerOrg}},
		"partnerMember":  {PersonID: "pm", Kind: biebplein.KindPartner, Organisations: []string{partnerOrg}},
		"staffInvited":   {PersonID: "si", Kind: biebplein.KindStaff, Organisations: []string{otherLib}},
		"staffMember":    {PersonID: "sm", Kind: biebplein.KindStaff, Organisations: []string{otherLib}},
	}
	memberships := map[string]biebplein.MemberStatus{
		"partnerPending": biebplein.StatusPending, "partnerMember": biebplein.StatusMember,
		"staffInvited": biebplein.StatusInvited, "staffMember": biebplein.StatusMember,
	}
	// want[visibility][viewer] = "" (nothing), "S" (see) or "SR" (see and read)
	want := map[biebplein.Visibility]map[string]string{
		biebplein.VisPublic: {"admin": "SR", "staffSameLib": "SR", "staffOtherLib": "SR", "volunteer": "SR", "partner": "SR", "signedOut": "",
			"partnerPending": "SR", "partnerMember": "SR", "staffInvited": "SR", "staffMember": "SR"},
		biebplein.VisNetwork: {"admin": "SR", "staffSameLib": "SR", "staffOtherLib": "SR", "volunteer": "SR", "partner": "", "signedOut": "",
			"partnerPending": "S", "partnerMember": "SR", "staffInvited": "SR", "staffMember": "SR"},
		biebplein.VisOrganisation: {"admin": "SR", "staffSameLib": "SR", "staffOtherLib": "", "volunteer": "SR", "partner": "", "signedOut": "",
			"partnerPending": "S", "partnerMember": "SR", "staffInvited": "S", "staffMember": "SR"},
		biebplein.VisClosed: {"admin": "SR", "staffSameLib": "S", "staffOtherLib": "S", "volunteer": "S", "partner": "", "signedOut": "",
			"partnerPending": "S", "partnerMember": "SR", "staffInvited": "S", "staffMember": "SR"},
		biebplein.VisSecret: {"admin": "S", "staffSameLib": "", "staffOtherLib": "", "volunteer": "", "partner": "", "signedOut": "",
			"partnerPending": "", "partnerMember": "SR", "staffInvited": "S", "staffMember": "SR"},
	}
	for _, vis := range biebplein.Visibilities() {
		g := &biebplein.Group{ID: "g", Visibility: vis}
		if vis == biebplein.VisOrganisation {
			g.OrganisationID = lib
		}
		for name, v := range viewers {
			var m *biebplein.Membership
			if st, ok := memberships[name]; ok {
				m = &biebplein.Membership{GroupID: "g", PersonID: v.PersonID, Role: biebplein.RoleMember, Status: st}
			}
			got := ""
			if v.CanSeeGroup(g, m) {
				got += "S"
			}
			if v.CanReadGroup(g, m) {
				got += "R"
			}
			if got != want[vis][name] {
				t.Errorf("%s group, %s: got %q, want %q", vis, name, got, want[vis][name])
			}
			if v.CanReadGroup(g, m) && !v.CanSeeGroup(g, m) {
				t.Errorf("%s group, %s: reads what it cannot see", vis, name)
			}
		}
	}
}

func TestGroupRoles(t *testing.T) {
	g := &biebplein.Group{ID: "g", Visibility: biebplein.VisClosed}
	v := biebplein.Viewer{PersonID: "a", Kind: biebplein.KindStaff}
	admin := &biebplein.Membership{GroupID: "g", PersonID: "a", Role: biebplein.RoleAdmin, Status: biebplein.StatusMember}
	member := &biebplein.Membership{GroupID: "g", PersonID: "a", Role: biebplein.RoleMember, Status: biebplein.StatusMember}
	pending := &biebplein.Membership{GroupID: "g", PersonID: "a", Role: biebplein.RoleMember, Status: biebplein.StatusPending}
	someoneElse := &biebplein.Membership{GroupID: "g", PersonID: "b", Role: biebplein.RoleAdmin, Status: biebplein.StatusMember}
	for _, tc := range []struct {
		m              *biebplein.Membership
		post, manage   bool
		siteAdminCanMg bool
	}{
		{admin, true, true, true},
		{member, true, false, true},
		{pending, false, false, true},
		{nil, false, false, true},
		{someoneElse, false, false, true},
	} {
		name := "nil"
		if tc.m != nil {
			name = fmt.Sprintf("%s/%s/%s", tc.m.PersonID, tc.m.Status, tc.m.Role)
		}
		if got := v.CanPost(g, tc.m); got != tc.post {
			t.Errorf("%s: CanPost = %v, want %v", name, got, tc.post)
		}
		if got := v.CanManageGroup(g, tc.m); got != tc.manage {
			t.Errorf("%s: CanManageGroup = %v, want %v", name, got, tc.manage)
		}
		siteAdmin := v
		siteAdmin.Admin = true
		if !siteAdmin.CanPost(g, tc.m) {
			t.Errorf("%s: a site admin cannot post in a closed group they may read", name)
		}
		secret := &biebplein.Group{ID: "g", Visibility: biebplein.VisSecret}
		if tc.m == nil && siteAdmin.CanPost(secret, nil) {
			t.Error("a site admin who is no member posts in a secret group")
		}
		if got := siteAdmin.CanManageGroup(g, tc.m); got != tc.siteAdminCanMg {
			t.Errorf("%s: site admin CanManageGroup = %v, want %v", name, got, tc.siteAdminCanMg)
		}
	}
}
