package service_test

import (
	"slices"
	"testing"

	"github.com/biebplein/biebplein"
)

func TestExperts(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		anna := f.mustPerson(t, "anna@hoeksmeer.nl", false)
		bert := f.mustPerson(t, "bert@hoeksmeer.nl", false)

		t.Run("TopicRequired", func(t *testing.T) {
			for _, topic := range []string{"", "  ", "#"} {
				_, _, err := f.svc.Experts(f.as(anna), biebplein.ExpertFilter{Topic: topic})
				if code(err) != biebplein.CodeInvalid || biebplein.ErrorFields(err)["topic"] != "error.expert_topic_required" {
					t.Fatalf("topic %q: err = %v, want invalid with fields.topic error.expert_topic_required", topic, err)
				}
			}
			_, _, err := f.svc.Experts(t.Context(), biebplein.ExpertFilter{Topic: "x"})
			if code(err) != biebplein.CodeUnauthorized {
				t.Fatalf("signed out: err = %v, want unauthorized", err)
			}
		})

		t.Run("OneSkillOneTag", func(t *testing.T) {
			tags := []string{"Coöperatie", "voorlezen"}
			if _, err := f.svc.UpdateProfile(f.as(anna), anna.ID, biebplein.ProfileUpdate{Expertise: &tags}); err != nil {
				t.Fatal(err)
			}
			typed := []string{"COOPERATIE", "Cooperatie", "makerspace"}
			p, err := f.svc.UpdateProfile(f.as(bert), bert.ID, biebplein.ProfileUpdate{Interests: &typed})
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"coöperatie", "makerspace"}; !slices.Equal(p.Interests, want) {
				t.Fatalf("interests = %q, want %q (the spelling in use)", p.Interests, want)
			}
			experts, _, err := f.svc.Experts(f.as(bert), biebplein.ExpertFilter{Topic: "cooperatie"})
			if err != nil {
				t.Fatal(err)
			}
			if len(experts) != 2 || experts[0].Person.ID != anna.ID || experts[1].Person.ID != bert.ID {
				t.Fatalf("experts = %v, want Anna (expertise) then Bert (interest)", experts)
			}
			uses, err := f.svc.TagUses(f.as(bert), "CO", 0)
			if err != nil {
				t.Fatal(err)
			}
			if want := []biebplein.TagUse{{Tag: "coöperatie", Uses: 2}}; !slices.Equal(uses, want) {
				t.Fatalf("uses = %v, want %v", uses, want)
			}
		})
	})
}
