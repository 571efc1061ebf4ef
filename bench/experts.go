package bench

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"
)

// The expertise finder's scenarios: GET /api/v1/experts for a common topic (one of the most
// used, with tens of thousands of posts at scale 1.0) and for a rare one (among the least
// used).
const (
	ScenarioExpertsCommon = "experts_common"
	ScenarioExpertsRare   = "experts_rare"
)

// ExpertScenarioNames returns the names of the expertise finder's scenarios.
func ExpertScenarioNames() []string { return []string{ScenarioExpertsCommon, ScenarioExpertsRare} }

// expertTarget: the finder answers within 100 ms (issue 5), here for 95 of 100 requests.
const expertTarget = 100 * time.Millisecond

var (
	commonTopics = topics[:5]
	rareTopics   = topics[len(topics)-6:]
)

// expertScenarios asks for the experts on a topic, as the identity.
func expertScenarios() []scenario {
	ask := func(topics []string) func(ctx context.Context, base string, id *identity, rng *rand.Rand, _ int) (*http.Request, error) {
		return func(ctx context.Context, base string, id *identity, rng *rand.Rand, _ int) (*http.Request, error) {
			return id.get(ctx, base+"/api/v1/experts?topic="+url.QueryEscape(topics[rng.IntN(len(topics))]))
		}
	}
	return []scenario{
		{name: ScenarioExpertsCommon, maxP95: expertTarget, suite: SuiteExperts, request: ask(commonTopics)},
		{name: ScenarioExpertsRare, maxP95: expertTarget, suite: SuiteExperts, request: ask(rareTopics)},
	}
}
