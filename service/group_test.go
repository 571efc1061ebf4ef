package service_test

import (
	"testing"

	"github.com/biebplein/biebplein"
)

// mustGroup creates a group as creator.
func (f *fixture) mustGroup(t *testing.T, creator *biebplein.Person, name string, vis biebplein.Visibility, orgID string) *biebplein.Group {
	t.Helper()
	g, err := f.svc.CreateGroup(f.as(creator), biebplein.GroupInput{Name: name, Visibility: vis, OrganisationID: orgID})
	if err != nil {
		t.Fatalf("CreateGroup %s: %v", name, err)
	}
	return g
}

func (f *fixture) mustKind(t *testing.T, email string, kind biebplein.PersonKind, orgID string) *biebplein.Person {
	t.Helper()
	p, _, err := f.svc.CreatePerson(f.sys, biebplein.PersonInput{Email: email, Name: email[:len(email)-9], Kind: kind, OrganisationID: orgID, Password: "wachtwoord-123"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestGroups(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		volunteer := f.mustKind(t, "vrijw@bieb.test", biebplein.KindVolunteer, f.lib.ID)
		partnerOrg, err := f.svc.CreateOrganisation(f.sys, biebplein.OrganisationInput{Name: "OBS De Regenboog", Kind: biebplein.OrgPartner, ParentID: f.lib.ID})
		if err != nil {
			t.Fatal(err)
		}
		partner := f.mustKind(t, "partner@bieb.test", biebplein.KindPartner, partnerOrg.ID)

		t.Run("VolunteersDoNotCreateGroups", func(t *testing.T) {
			_, err := f.svc.CreateGroup(f.as(volunteer), biebplein.GroupInput{Name: "Mijn groep", Visibility: biebplein.VisPublic})
			if code(err) != biebplein.CodeForbidden {
				t.Fatalf("err = %v, want forbidden", err)
			}
		})
		t.Run("BadInput", func(t *testing.T) {
			_, err := f.svc.CreateGroup(f.as(f.staff), biebplein.GroupInput{Name: "", Visibility: "everyone"})
			fields := biebplein.ErrorFields(err)
			if fields["name"] == "" || fields["visibility"] == "" {
				t.Fatalf("fields = %v, want name and visibility", fields)
			}
		})
		t.Run("OrganisationGroupOfAnotherLibrary", func(t *testing.T) {
			other, err := f.svc.CreateOrganisation(f.sys, biebplein.OrganisationInput{Name: "Bibliotheek Elders", Kind: biebplein.OrgLibrary, ParentID: f.root.ID})
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.svc.CreateGroup(f.as(f.staff), biebplein.GroupInput{Name: "Elders intern", Visibility: biebplein.VisOrganisation, OrganisationID: other.ID})
			if biebplein.ErrorFields(err)["organisation_id"] != "error.group_organisation_not_yours" {
				t.Fatalf("err = %v", err)
			}
		})

		closed := f.mustGroup(t, f.staff, "BoekStart coördinatoren", biebplein.VisClosed, "")
		secret := f.mustGroup(t, f.staff, "Managementteam", biebplein.VisSecret, "")
		network := f.mustGroup(t, f.staff, "Theeducatie", biebplein.VisNetwork, "")

		t.Run("PartnerSeesNeitherNetworkNorClosedNorSecret", func(t *testing.T) {
			for _, g := range []*biebplein.Group{closed, secret, network} {
				if _, err := f.svc.Group(f.as(partner), g.ID); code(err) != biebplein.CodeNotFound {
					t.Errorf("partner sees %s: %v", g.Name, err)
				}
			}
			groups, _, err := f.svc.Groups(f.as(partner), biebplein.GroupFilter{})
			if err != nil || len(groups) != 0 {
				t.Fatalf("partner lists %d groups (%v), want none", len(groups), err)
			}
		})
		t.Run("JoinNetworkAtOnce", func(t *testing.T) {
			st, err := f.svc.JoinGroup(f.as(volunteer), network.ID)
			if err != nil || st != biebplein.StatusMember {
				t.Fatalf("join = %q, %v; want member", st, err)
			}
		})
		t.Run("SecretNeedsInvitation", func(t *testing.T) {
			if _, err := f.svc.JoinGroup(f.as(volunteer), secret.ID); code(err) != biebplein.CodeNotFound {
				t.Fatalf("join secret = %v, want not_found", err)
			}
			if err := f.svc.InviteToGroup(f.as(f.staff), secret.ID, volunteer.ID); err != nil {
				t.Fatal(err)
			}
			if st, err := f.svc.JoinGroup(f.as(volunteer), secret.ID); err != nil || st != biebplein.StatusMember {
				t.Fatalf("accept invitation = %q, %v", st, err)
			}
		})
		t.Run("ClosedRequestApproved", func(t *testing.T) {
			if err := f.svc.InviteToGroup(f.as(f.staff), closed.ID, partner.ID); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.LeaveGroup(f.as(partner), closed.ID); err != nil {
				t.Fatalf("decline invitation: %v", err)
			}
			if _, err := f.svc.Group(f.as(partner), closed.ID); code(err) != biebplein.CodeNotFound {
				t.Fatalf("after declining, partner still sees the closed group: %v", err)
			}
			st, err := f.svc.JoinGroup(f.as(volunteer), closed.ID)
			if err != nil || st != biebplein.StatusPending {
				t.Fatalf("join closed = %q, %v; want pending", st, err)
			}
			if _, _, err := f.svc.Members(f.as(volunteer), biebplein.MemberFilter{GroupID: closed.ID}); code(err) != biebplein.CodeForbidden {
				t.Fatalf("pending person lists members: %v", err)
			}
			if err := f.svc.ApproveRequest(f.as(volunteer), closed.ID, volunteer.ID); code(err) != biebplein.CodeForbidden {
				t.Fatalf("self-approval = %v, want forbidden", err)
			}
			if err := f.svc.ApproveRequest(f.as(f.staff), closed.ID, volunteer.ID); err != nil {
				t.Fatal(err)
			}
			members, _, err := f.svc.Members(f.as(volunteer), biebplein.MemberFilter{GroupID: closed.ID})
			if err != nil || len(members) != 2 {
				t.Fatalf("members = %d, %v; want 2", len(members), err)
			}
		})
		t.Run("LastAdminStays", func(t *testing.T) {
			if err := f.svc.LeaveGroup(f.as(f.staff), closed.ID); code(err) != biebplein.CodeConflict {
				t.Fatalf("last admin leaves = %v, want conflict", err)
			}
			if err := f.svc.SetRole(f.as(f.staff), closed.ID, volunteer.ID, biebplein.RoleAdmin); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.LeaveGroup(f.as(f.staff), closed.ID); err != nil {
				t.Fatalf("leave after appointing another admin: %v", err)
			}
		})
		t.Run("MyGroups", func(t *testing.T) {
			mine, _, err := f.svc.Groups(f.as(volunteer), biebplein.GroupFilter{Member: true})
			if err != nil || len(mine) != 3 {
				t.Fatalf("my groups = %d, %v; want 3", len(mine), err)
			}
		})
	})
}

// TestGroupImage: a group keeps its image until a new one replaces it or it is removed, and
// the image is given only to people who may see the group.
func TestGroupImage(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		partnerOrg, err := f.svc.CreateOrganisation(f.sys, biebplein.OrganisationInput{Name: "Taalhuis", Kind: biebplein.OrgPartner, ParentID: f.lib.ID})
		if err != nil {
			t.Fatal(err)
		}
		partner := f.mustKind(t, "partner@bieb.test", biebplein.KindPartner, partnerOrg.ID)
		g, err := f.svc.CreateGroup(f.as(f.staff), biebplein.GroupInput{Name: "Beeldbank", Visibility: biebplein.VisNetwork, ImageID: "image-one"})
		if err != nil {
			t.Fatal(err)
		}
		image := func(t *testing.T, p *biebplein.Person) (string, error) {
			t.Helper()
			return f.svc.GroupImage(f.as(p), g.ID)
		}
		update := func(t *testing.T, in biebplein.GroupInput) {
			t.Helper()
			in.Name, in.Visibility = g.Name, g.Visibility
			if _, err := f.svc.UpdateGroup(f.as(f.staff), g.ID, in); err != nil {
				t.Fatal(err)
			}
		}

		t.Run("StoredOnCreate", func(t *testing.T) {
			if got, err := image(t, f.staff); got != "image-one" || err != nil {
				t.Fatalf("GroupImage = %q, %v; want image-one", got, err)
			}
		})
		t.Run("NotFoundForWhoCannotSee", func(t *testing.T) {
			if _, err := image(t, partner); code(err) != biebplein.CodeNotFound {
				t.Fatalf("partner: err = %v, want not_found", err)
			}
		})
		t.Run("KeptWithoutNewImage", func(t *testing.T) {
			update(t, biebplein.GroupInput{})
			if got, _ := image(t, f.staff); got != "image-one" {
				t.Fatalf("GroupImage = %q, want image-one kept", got)
			}
		})
		t.Run("Replaced", func(t *testing.T) {
			update(t, biebplein.GroupInput{ImageID: "image-two", RemoveImage: true})
			if got, _ := image(t, f.staff); got != "image-two" {
				t.Fatalf("GroupImage = %q, want image-two", got)
			}
		})
		t.Run("Removed", func(t *testing.T) {
			update(t, biebplein.GroupInput{RemoveImage: true})
			if _, err := image(t, f.staff); code(err) != biebplein.CodeNotFound {
				t.Fatalf("err = %v, want not_found for a group without image", err)
			}
		})
	})
}
