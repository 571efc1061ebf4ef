package bench

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"
)

// The search scenarios (issue 5): each kind of query a person types, against the generated
// network's text, as a member who may read only some of it, so that the visibility rule is
// part of every query. `biebplein bench search` runs these; `bench feed` the others.
const (
	ScenarioSearchCommon = "search-common" // one word in about one post of ten
	ScenarioSearchTwo    = "search-two"    // two words that must both be there
	ScenarioSearchPrefix = "search-prefix" // the start of a word, as while typing
	ScenarioSearchPhrase = "search-phrase" // words in quotes, in this order
	ScenarioSearchRare   = "search-rare"   // a word in a few hundred posts
)

// The benchmarks besides bench feed, as Options.Suite names them.
const (
	SuiteSearch  = "search"
	SuiteExperts = "experts"
)

// SearchScenarioNames lists the search scenarios in the order they run.
func SearchScenarioNames() []string {
	return []string{ScenarioSearchCommon, ScenarioSearchTwo, ScenarioSearchPrefix, ScenarioSearchPhrase, ScenarioSearchRare}
}

// searchQueries are what each scenario types; a request picks one at random. The words come
// from the generator's sentences (words.go) and, for the rare ones, from the names of people
// that posts mention now and then.
var searchQueries = map[string][]string{
	ScenarioSearchCommon: {"subsidie", "vrijwilligers", "leesclub", "ervaring", "bibliotheek", "zaterdag"},
	ScenarioSearchTwo:    {"subsidie provincie", "leesclub vestiging", "spreekuur vrijwilligers", "makerspace woensdagmiddag"},
	ScenarioSearchPrefix: {"vrijwil", "subsid", "makersp", "kinderboek", "presenta"},
	ScenarioSearchPhrase: {`"digitale spreekuren"`, `"nieuwe leesclub"`, `"landelijke dag"`, `"gedeelde map"`},
	ScenarioSearchRare:   {"Boukhari", "Wijaya", "Yılmaz", "Nguyen", "Gerritsen"},
}

// searchP95 is the target for every kind of query.
const searchP95 = 50 * time.Millisecond

func searchScenarios() []scenario {
	var out []scenario
	for _, name := range SearchScenarioNames() {
		queries := searchQueries[name]
		out = append(out, scenario{name: name, maxP95: searchP95, suite: SuiteSearch,
			request: func(ctx context.Context, base string, id *identity, rng *rand.Rand, _ int) (*http.Request, error) {
				q := queries[rng.IntN(len(queries))]
				return id.get(ctx, base+"/api/v1/search?"+url.Values{"q": {q}}.Encode())
			}})
	}
	return out
}
