package service

import (
	"context"
	"strconv"

	"github.com/biebplein/biebplein"
)

// Organisations lists organisations for any signed-in person.
func (s *Service) Organisations(ctx context.Context, f biebplein.OrganisationFilter) ([]*biebplein.Organisation, error) {
	if _, err := requireActor(ctx); err != nil {
		return nil, err
	}
	return s.store.FindOrganisations(ctx, f)
}

// Organisation returns one organisation for any signed-in person.
func (s *Service) Organisation(ctx context.Context, id string) (*biebplein.Organisation, error) {
	if _, err := requireActor(ctx); err != nil {
		return nil, err
	}
	return s.store.FindOrganisationByID(ctx, id)
}

// CreateOrganisation adds an organisation to the tree (administrators only).
func (s *Service) CreateOrganisation(ctx context.Context, in biebplein.OrganisationInput) (*biebplein.Organisation, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	in.Normalize()
	if err := s.checkOrganisation(ctx, "", in); err != nil {
		return nil, err
	}
	now := s.now()
	o := &biebplein.Organisation{Name: in.Name, Kind: in.Kind, ParentID: in.ParentID, CreatedAt: now, UpdatedAt: now}
	if in.MailHideText != nil {
		o.MailHideText = *in.MailHideText
	}
	o.ID = biebplein.NewID(now)
	details := map[string]string{"name": o.Name, "kind": string(o.Kind), "parent_id": o.ParentID}
	if err := s.store.CreateOrganisation(s.audited(ctx, biebplein.AuditOrganisationMade, o.ID, details), o); err != nil {
		return nil, err
	}
	return o, nil
}

// UpdateOrganisation renames or moves an organisation (administrators only). It may not be
// moved under itself or one of its descendants.
func (s *Service) UpdateOrganisation(ctx context.Context, id string, in biebplein.OrganisationInput) (*biebplein.Organisation, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	o, err := s.store.FindOrganisationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	in.Normalize()
	if err := s.checkOrganisation(ctx, id, in); err != nil {
		return nil, err
	}
	details := map[string]string{}
	if o.Name != in.Name {
		details["name"] = o.Name + " -> " + in.Name
	}
	if o.Kind != in.Kind {
		details["kind"] = string(o.Kind) + " -> " + string(in.Kind)
	}
	if o.ParentID != in.ParentID {
		details["parent_id"] = o.ParentID + " -> " + in.ParentID
	}
	o.Name, o.Kind, o.ParentID, o.UpdatedAt = in.Name, in.Kind, in.ParentID, s.now()
	if in.MailHideText != nil {
		details["mail_hide_text"] = strconv.FormatBool(*in.MailHideText)
		o.MailHideText = *in.MailHideText
	}
	if err := s.store.UpdateOrganisation(s.audited(ctx, biebplein.AuditOrganisationEdit, o.ID, details), o); err != nil {
		return nil, err
	}
	return o, nil
}

// checkOrganisation validates in for the organisation id ("" when new): its fields, that the
// parent exists and may hold this kind, and that the tree stays a tree.
func (s *Service) checkOrganisation(ctx context.Context, id string, in biebplein.OrganisationInput) error {
	if err := in.Validate(); err != nil {
		return err
	}
	var parent *biebplein.Organisation
	if in.ParentID != "" {
		p, err := s.store.FindOrganisationByID(ctx, in.ParentID)
		if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
			return fieldError(biebplein.CodeInvalid, "parent_id", "error.organisation_not_found")
		} else if err != nil {
			return err
		}
		parent = p
	}
	if !biebplein.ValidParent(in.Kind, parent) {
		return fieldError(biebplein.CodeInvalid, "parent_id", "error.org_parent_invalid")
	}
	// Walk up from the parent: meeting id means the move would make a cycle.
	for p := parent; p != nil && id != ""; {
		if p.ID == id {
			return fieldError(biebplein.CodeInvalid, "parent_id", "error.org_parent_invalid")
		}
		if p.ParentID == "" {
			break
		}
		next, err := s.store.FindOrganisationByID(ctx, p.ParentID)
		if err != nil {
			return err
		}
		p = next
	}
	return nil
}
