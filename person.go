package biebplein

import (
	"context"
	"time"
)

// PersonKind says how a person relates to the network.
type PersonKind string

// The kinds of person.
const (
	KindStaff     PersonKind = "staff"
	KindVolunteer PersonKind = "volunteer"
	KindPartner   PersonKind = "partner"
)

// Valid reports whether k is one of the known kinds.
func (k PersonKind) Valid() bool {
	return k == KindStaff || k == KindVolunteer || k == KindPartner
}

// Locales the interface is available in. Dutch is the default.
const (
	LocaleNL = "nl"
	LocaleEN = "en"
)

// ValidLocale reports whether l is a supported interface language.
func ValidLocale(l string) bool { return l == LocaleNL || l == LocaleEN }

// Person is someone with an account: staff, volunteer or partner.
type Person struct {
	ID           string
	Email        string // lower case, unique
	Name         string
	Kind         PersonKind
	Admin        bool
	Organisation OrganisationRef
	Function     string // free text such as leesconsulent, frontoffice, educatiemanager
	Bio          string
	Expertise    []string // normalised tags (NormalizeTag)
	Interests    []string // normalised tags
	Locale       string   // LocaleNL or LocaleEN
	// Simple is simple mode (issue 6): larger text and targets, one column, fewer choices on
	// each page and plain-language labels. The person switches it, or an administrator does
	// for them.
	Simple bool
	// Advisor marks an advisor (of a support organisation, set by an administrator): they
	// receive the questions nobody answered (issue 5).
	Advisor bool
	// PasswordHash is the argon2id hash in PHC string form; "" for an invited person who has
	// not set a password yet. Never leaves the process.
	PasswordHash string
	// TOTPEnabled: signing in asks for a code from an authenticator app (see TOTPStore).
	TOTPEnabled   bool
	DeactivatedAt *time.Time // non-nil: cannot sign in
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Active reports whether the person may sign in.
func (p *Person) Active() bool { return p.DeactivatedAt == nil }

// Invited reports whether the person has been invited but has not set a password yet.
func (p *Person) Invited() bool { return p.PasswordHash == "" }

// Limits on profile fields, in characters.
const (
	MaxFunctionLen = 80
	MaxBioLen      = 2000
	MaxTagLen      = 50
	MaxTags        = 30
	MaxEmailLen    = 254
)

// PersonInput is what an administrator gives to create a person.
type PersonInput struct {
	Email          string
	Name           string
	Kind           PersonKind
	OrganisationID string
	Admin          bool
	Advisor        bool // receives the questions nobody answered (Person.Advisor)
	Function       string
	Password       string // "": the person is invited and sets it themselves
}

// Normalize trims the input and lower-cases the e-mail address.
func (in *PersonInput) Normalize() {
	in.Email = NormalizeEmail(in.Email)
	in.Name = collapseSpace(in.Name)
	in.Function = collapseSpace(in.Function)
}

// Validate checks the fields that can be checked without the store.
func (in *PersonInput) Validate() error {
	var v Validation
	checkText(&v, "name", in.Name, MaxNameLen, true)
	checkEmail(&v, "email", in.Email)
	v.Check(in.Kind.Valid(), "kind", "error.person_kind_invalid")
	v.Check(in.OrganisationID != "", "organisation_id", "error.organisation_required")
	checkText(&v, "function", in.Function, MaxFunctionLen, false)
	if in.Password != "" {
		checkPassword(&v, "password", in.Password)
	}
	return v.Err()
}

// ProfileUpdate changes a person's own profile. Nil fields stay as they are.
type ProfileUpdate struct {
	Name      *string
	Function  *string
	Bio       *string
	Expertise *[]string
	Interests *[]string
	Locale    *string
	Simple    *bool
}

// Normalize trims text and normalises tags.
func (u *ProfileUpdate) Normalize() {
	if u.Name != nil {
		*u.Name = collapseSpace(*u.Name)
	}
	if u.Function != nil {
		*u.Function = collapseSpace(*u.Function)
	}
	if u.Bio != nil {
		*u.Bio = trimText(*u.Bio)
	}
	if u.Expertise != nil {
		*u.Expertise = NormalizeTags(*u.Expertise)
	}
	if u.Interests != nil {
		*u.Interests = NormalizeTags(*u.Interests)
	}
}

// Validate checks the update.
func (u *ProfileUpdate) Validate() error {
	var v Validation
	if u.Name != nil {
		checkText(&v, "name", *u.Name, MaxNameLen, true)
	}
	if u.Function != nil {
		checkText(&v, "function", *u.Function, MaxFunctionLen, false)
	}
	if u.Bio != nil {
		checkText(&v, "bio", *u.Bio, MaxBioLen, false)
	}
	if u.Expertise != nil {
		checkTags(&v, "expertise", *u.Expertise)
	}
	if u.Interests != nil {
		checkTags(&v, "interests", *u.Interests)
	}
	if u.Locale != nil {
		v.Check(ValidLocale(*u.Locale), "locale", "error.locale_invalid")
	}
	return v.Err()
}

// Apply copies the set fields of u onto p.
func (u *ProfileUpdate) Apply(p *Person) {
	if u.Name != nil {
		p.Name = *u.Name
	}
	if u.Function != nil {
		p.Function = *u.Function
	}
	if u.Bio != nil {
		p.Bio = *u.Bio
	}
	if u.Expertise != nil {
		p.Expertise = *u.Expertise
	}
	if u.Interests != nil {
		p.Interests = *u.Interests
	}
	if u.Locale != nil {
		p.Locale = *u.Locale
	}
	if u.Simple != nil {
		p.Simple = *u.Simple
	}
}

// PersonFilter selects people for the directory and for administration.
type PersonFilter struct {
	ID    string
	Email string // exact, normalised
	Query string // part of the name or function (and e-mail with MatchEmail), case-insensitive
	// MatchEmail lets Query match e-mail addresses too; only for those who may see them all
	// (administrators), so that searching cannot reveal hidden addresses.
	MatchEmail     bool
	OrganisationID string // people in this organisation (not its descendants)
	Kind           PersonKind
	Expertise      string // a normalised tag
	Admin          *bool
	// Status: "" active people only, "all" active, invited and deactivated, "deactivated" only
	// those. Invited people (no password yet) are included in "" as well.
	Status string
	After  string // cursor: continue after this position (opaque; from a previous page)
	Limit  int    // 0: all
}

// Person statuses for PersonFilter.Status.
const (
	StatusActive      = ""
	StatusAll         = "all"
	StatusDeactivated = "deactivated"
)

// PersonStore persists people.
type PersonStore interface {
	// CreatePerson stores a new person with their tags, setting ID and times.
	// Returns conflict (error.email_taken) when the e-mail address is in use.
	CreatePerson(ctx context.Context, p *Person) error
	// UpdatePerson stores every field of p but the password hash, e-mail and times, and
	// replaces its tags. Returns not_found, conflict.
	UpdatePerson(ctx context.Context, p *Person) error
	// SetPassword replaces the password hash of a person. Returns not_found.
	SetPassword(ctx context.Context, personID, hash string) error
	// SetDeactivated deactivates (at non-nil) or reactivates (nil) a person and, when
	// deactivating, deletes their sessions and API tokens in the same transaction.
	SetDeactivated(ctx context.Context, personID string, at *time.Time) error
	// FindPersonByID returns not_found when there is no such person.
	FindPersonByID(ctx context.Context, id string) (*Person, error)
	// FindPersonByEmail returns not_found when there is no such person.
	FindPersonByEmail(ctx context.Context, email string) (*Person, error)
	// FindPeople returns a page of people ordered by name then ID, with tags and organisation
	// filled in, and the cursor of the next page ("" at the end).
	FindPeople(ctx context.Context, f PersonFilter) ([]*Person, string, error)
	// CountPeople returns how many people exist at all (invited and deactivated included).
	CountPeople(ctx context.Context) (int, error)
	// FindTags returns tags of the given kind ("expertise" or "interest") in use, most used
	// first, optionally starting with prefix.
	FindTags(ctx context.Context, kind, prefix string, limit int) ([]string, error)
}
