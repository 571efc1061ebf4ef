package service

import (
	"context"
	"strings"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
)

// Unsubscription is what a "stop these e-mails" link stops, for the page that confirms it.
type Unsubscription struct {
	Person *biebplein.Person
	Kind   biebplein.NoticeKind // a kind of notification, or
	Digest biebplein.MailPref   // a digest
}

// Unsubscription reads a link's token without signing in: not_found when it was not made
// by this site or its person is gone.
func (s *Service) Unsubscription(ctx context.Context, token string) (*Unsubscription, error) {
	key, err := s.store.SiteKey(ctx, biebplein.UnsubscribeKey, auth.NewToken())
	if err != nil {
		return nil, err
	}
	parts, ok := auth.Verify(key, token)
	if !ok || len(parts) != 3 || parts[0] != "unsubscribe" {
		return nil, errNotFound()
	}
	p, err := s.store.FindPersonByID(ctx, parts[1])
	if err != nil {
		return nil, err
	}
	u := &Unsubscription{Person: p}
	if period, ok := strings.CutPrefix(parts[2], "digest:"); ok {
		u.Digest = biebplein.MailPref(period)
		if !u.Digest.Digest() {
			return nil, errNotFound()
		}
	} else if u.Kind = biebplein.NoticeKind(parts[2]); !u.Kind.Valid() {
		return nil, errNotFound()
	}
	return u, nil
}

// Unsubscribe stops the e-mail a link's token names, and only that: one kind of
// notification, or one digest (every kind that went into it is no longer e-mailed). The
// notifications still show in the application.
func (s *Service) Unsubscribe(ctx context.Context, token string) (*Unsubscription, error) {
	u, err := s.Unsubscription(ctx, token)
	if err != nil {
		return nil, err
	}
	prefs, err := s.store.FindNoticePrefs(ctx, u.Person.ID)
	if err != nil {
		return nil, err
	}
	var changed []biebplein.NoticePref
	for _, p := range prefs {
		if (u.Kind != "" && p.Kind == u.Kind) || (u.Digest != "" && p.Mail == u.Digest) {
			p.Mail = biebplein.MailNever
			changed = append(changed, p)
		}
	}
	return u, s.store.SaveNoticePrefs(ctx, u.Person.ID, changed)
}

// UnsubscribeToken makes the token of a "stop these e-mails" link for a person and scope
// (biebplein.UnsubscribeScope).
func UnsubscribeToken(key, personID, scope string) string {
	return auth.Sign(key, "unsubscribe", personID, scope)
}
