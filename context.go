package biebplein

import "context"

type contextKey int

const actorKey contextKey = iota

// NewContext returns a context carrying the acting person. The web and API layers set it after
// authentication; domain calls read it with ActorFrom.
func NewContext(ctx context.Context, actor *Person) context.Context {
	return context.WithValue(ctx, actorKey, actor)
}

// ActorFrom returns the acting person, or nil when nobody is signed in.
func ActorFrom(ctx context.Context) *Person {
	p, _ := ctx.Value(actorKey).(*Person)
	return p
}

// IsAdmin reports whether the actor is an active administrator.
func IsAdmin(actor *Person) bool {
	return actor != nil && actor.Admin && actor.Active()
}

// CanSeeEmail reports whether actor may see the e-mail address of p: their own, or anyone's
// for an administrator. Colleagues reach each other through Biebplein itself; addresses of
// volunteers and partners are personal data that the privacy officer wants kept narrow.
func CanSeeEmail(actor, p *Person) bool {
	return actor != nil && p != nil && (actor.ID == p.ID || IsAdmin(actor))
}

// CanSeePerson reports whether actor may see the profile of p. Signed-in people see active
// and invited people in the directory; only administrators see deactivated accounts.
// Later capabilities (partners seeing only shared spaces) narrow this here, in one place.
func CanSeePerson(actor, p *Person) bool {
	if actor == nil || p == nil {
		return false
	}
	if actor.ID == p.ID || IsAdmin(actor) {
		return true
	}
	return p.Active()
}
