package biebplein_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
)

func TestNewID(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	a, b := biebplein.NewID(t0), biebplein.NewID(t0.Add(time.Millisecond))
	if len(a) != 26 || strings.Trim(a, "0123456789abcdefghjkmnpqrstvwxyz") != "" {
		t.Fatalf("NewID = %q, want 26 Crockford base32 characters", a)
	}
	if !(a < b) {
		t.Fatalf("NewID not ordered by time: %q >= %q", a, b)
	}
	if biebplein.NewID(t0) == biebplein.NewID(t0) {
		t.Fatal("two ids in the same millisecond are equal: no randomness")
	}
}

func TestNormalizeTags(t *testing.T) {
	got := biebplein.NormalizeTags([]string{" BoekStart ", "#boekstart", "de  Bibliotheek op School", "", "Coöperatie"})
	want := []string{"boekstart", "de bibliotheek op school", "coöperatie"}
	if !slices.Equal(got, want) {
		t.Fatalf("NormalizeTags = %q, want %q", got, want)
	}
	if got := biebplein.SplitTags("voorlezen, leesplezier,,VOORLEZEN"); !slices.Equal(got, []string{"voorlezen", "leesplezier"}) {
		t.Fatalf("SplitTags = %q", got)
	}
}

func TestPersonInputValidate(t *testing.T) {
	valid := biebplein.PersonInput{Email: "anna@bieb.nl", Name: "Anna", Kind: biebplein.KindStaff, OrganisationID: "x"}
	for _, tc := range []struct {
		name  string
		edit  func(*biebplein.PersonInput)
		field string
		key   string
	}{
		{"NameRequired", func(in *biebplein.PersonInput) { in.Name = "  " }, "name", "error.name_required"},
		{"NameTooLong", func(in *biebplein.PersonInput) { in.Name = strings.Repeat("é", 121) }, "name", "error.name_too_long"},
		{"NameInvalidUTF8", func(in *biebplein.PersonInput) { in.Name = "Anna\xff" }, "name", "error.text_invalid"},
		{"NameControl", func(in *biebplein.PersonInput) { in.Name = "Anna\x00" }, "name", "error.text_invalid"},
		{"EmailRequired", func(in *biebplein.PersonInput) { in.Email = "" }, "email", "error.email_required"},
		{"EmailMalformed", func(in *biebplein.PersonInput) { in.Email = "anna@" }, "email", "error.email_invalid"},
		{"EmailWithName", func(in *biebplein.PersonInput) { in.Email = "Anna <anna@bieb.nl>" }, "email", "error.email_invalid"},
		{"EmailNoDot", func(in *biebplein.PersonInput) { in.Email = "anna@localhost" }, "email", "error.email_invalid"},
		{"Kind", func(in *biebplein.PersonInput) { in.Kind = "robot" }, "kind", "error.person_kind_invalid"},
		{"Organisation", func(in *biebplein.PersonInput) { in.OrganisationID = "" }, "organisation_id", "error.organisation_required"},
		{"PasswordShort", func(in *biebplein.PersonInput) { in.Password = "kort" }, "password", "error.password_too_short"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := valid
			tc.edit(&in)
			err := in.Validate()
			if got := biebplein.ErrorFields(err)[tc.field]; got != tc.key {
				t.Fatalf("Validate() fields = %v, want %s: %s", biebplein.ErrorFields(err), tc.field, tc.key)
			}
			if biebplein.ErrorCode(err) != biebplein.CodeInvalid {
				t.Fatalf("code = %q, want invalid", biebplein.ErrorCode(err))
			}
		})
	}
	if err := valid.Validate(); err != nil {
		t.Fatalf("valid input: %v", err)
	}
}

func TestValidParent(t *testing.T) {
	support := &biebplein.Organisation{Kind: biebplein.OrgSupport}
	library := &biebplein.Organisation{Kind: biebplein.OrgLibrary}
	branch := &biebplein.Organisation{Kind: biebplein.OrgBranch}
	partner := &biebplein.Organisation{Kind: biebplein.OrgPartner}
	for _, tc := range []struct {
		child  biebplein.OrganisationKind
		parent *biebplein.Organisation
		want   bool
	}{
		{biebplein.OrgSupport, nil, true},
		{biebplein.OrgSupport, support, false},
		{biebplein.OrgLibrary, support, true},
		{biebplein.OrgLibrary, nil, false},
		{biebplein.OrgBranch, library, true},
		{biebplein.OrgBranch, support, false},
		{biebplein.OrgPartner, partner, true},
		{biebplein.OrgPartner, library, true},
		{biebplein.OrgPartner, branch, false},
	} {
		if got := biebplein.ValidParent(tc.child, tc.parent); got != tc.want {
			parent := "none"
			if tc.parent != nil {
				parent = string(tc.parent.Kind)
			}
			t.Errorf("ValidParent(%s under %s) = %v, want %v", tc.child, parent, got, tc.want)
		}
	}
}

func TestVisibilityOfPeople(t *testing.T) {
	admin := &biebplein.Person{ID: "a", Admin: true}
	staff := &biebplein.Person{ID: "s"}
	gone := time.Now()
	left := &biebplein.Person{ID: "l", DeactivatedAt: &gone}
	if biebplein.CanSeePerson(nil, staff) || biebplein.CanSeeEmail(nil, staff) {
		t.Error("signed-out visitors see people")
	}
	if biebplein.CanSeePerson(staff, left) || !biebplein.CanSeePerson(admin, left) {
		t.Error("only administrators see deactivated people")
	}
	if biebplein.CanSeeEmail(staff, admin) || !biebplein.CanSeeEmail(staff, staff) || !biebplein.CanSeeEmail(admin, staff) {
		t.Error("e-mail addresses are for their owner and administrators")
	}
	if biebplein.IsAdmin(&biebplein.Person{Admin: true, DeactivatedAt: &gone}) {
		t.Error("a deactivated administrator is still an administrator")
	}
}

func TestErrorHelpers(t *testing.T) {
	if biebplein.ErrorCode(nil) != "" || biebplein.ErrorCode(errPlain{}) != biebplein.CodeInternal {
		t.Fatal("ErrorCode of nil or a plain error is wrong")
	}
	if biebplein.ErrorMessage(errPlain{}) != "error.internal" {
		t.Fatal("a plain error must not show its text")
	}
}

type errPlain struct{}

func (errPlain) Error() string { return "pq: relation does not exist" }

func TestSnippet(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"Kort bericht", 80, "Kort bericht"},
		{"  Twee\nregels  ", 80, "Twee regels"},
		{strings.Repeat("a", 80), 80, strings.Repeat("a", 80)},
		{strings.Repeat("é", 81), 80, strings.Repeat("é", 79) + "…"},
		{"Wie leest er mee met de Voorleesexpress deze week", 20, "Wie leest er mee…"},
		{"Voorleesexpressvrijwilligerscoördinator", 10, "Voorleese…"},
	} {
		if got := biebplein.Snippet(tc.in, tc.max); got != tc.want {
			t.Errorf("Snippet(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}
