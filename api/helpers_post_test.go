package api

import (
	"testing"

	"github.com/biebplein/biebplein"
)

// mustGroup starts a group through the service with owner as its admin.
func (f *fixture) mustGroup(t *testing.T, owner *biebplein.Person, name string, vis biebplein.Visibility, orgID string) *biebplein.Group {
	t.Helper()
	g, err := f.svc.CreateGroup(biebplein.NewContext(t.Context(), owner), biebplein.GroupInput{
		Name: name, Description: "Over " + name, Visibility: vis, OrganisationID: orgID})
	if err != nil {
		t.Fatalf("create group %s: %v", name, err)
	}
	return g
}

// mustMember adds p to g as a member, by the group admin by.
func (f *fixture) mustMember(t *testing.T, by *biebplein.Person, g *biebplein.Group, p *biebplein.Person) {
	t.Helper()
	if err := f.svc.AddMember(biebplein.NewContext(t.Context(), by), g.ID, p.ID, biebplein.RoleMember); err != nil {
		t.Fatalf("add %s to %s: %v", p.Name, g.Name, err)
	}
}

// mustPost writes a post through the service as author.
func (f *fixture) mustPost(t *testing.T, author *biebplein.Person, in biebplein.PostInput) *biebplein.Post {
	t.Helper()
	p, err := f.svc.CreatePost(biebplein.NewContext(t.Context(), author), in)
	if err != nil {
		t.Fatalf("create post: %v", err)
	}
	return p
}

// mustComment writes a comment through the service as author.
func (f *fixture) mustComment(t *testing.T, author *biebplein.Person, postID, body string) *biebplein.Comment {
	t.Helper()
	c, err := f.svc.CreateComment(biebplein.NewContext(t.Context(), author), postID, "", body)
	if err != nil {
		t.Fatalf("create comment: %v", err)
	}
	return c
}

// postIDs returns the ids of posts.
func postIDs(items []postJSON) []string {
	out := make([]string, len(items))
	for i, p := range items {
		out[i] = p.ID
	}
	return out
}

// groupIDs returns the ids of groups.
func groupIDs(items []groupJSON) []string {
	out := make([]string, len(items))
	for i, g := range items {
		out[i] = g.ID
	}
	return out
}
