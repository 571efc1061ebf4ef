package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/store"
)

// The scenarios, by name.
const (
	ScenarioHome  = "home"
	ScenarioGroup = "group"
	ScenarioPost  = "post"
)

// ScenarioNames returns the names of the scenarios, in the order they run: the feed's, the
// search's (search.go) and the expertise finder's (experts.go).
func ScenarioNames() []string {
	names := append([]string{ScenarioHome, ScenarioGroup, ScenarioPost}, SearchScenarioNames()...)
	return append(names, ExpertScenarioNames()...)
}

// maxRequestsPerClient bounds a run whatever its duration.
const maxRequestsPerClient = 1_000_000

// identitiesPerClient is how many members each client acts as, one picked per request, so that
// the load reads many people's feeds rather than the same few from the cache.
const identitiesPerClient = 16

// scenario is one kind of request the benchmark measures.
type scenario struct {
	name string
	// request makes the next request of a client acting as id.
	request func(ctx context.Context, base string, id *identity, rng *rand.Rand, n int) (*http.Request, error)
	// Target: at least minRate requests per second, and a p99 under maxP99 and a p95 under
	// maxP95 (0: none).
	minRate float64
	maxP99  time.Duration
	maxP95  time.Duration
	// suite is the benchmark that runs the scenario without --scenarios: "" bench feed,
	// "search" bench search, "experts" bench experts.
	suite string
}

// scenarios returns the scenarios of the issues with their targets: the feed's three, the
// search's, the expertise finder's.
func scenarios() []scenario {
	return append(append(feedScenarios(), searchScenarios()...), expertScenarios()...)
}

func feedScenarios() []scenario {
	return []scenario{
		{name: ScenarioHome, minRate: 1500, maxP99: 50 * time.Millisecond,
			request: func(ctx context.Context, base string, id *identity, _ *rand.Rand, _ int) (*http.Request, error) {
				return id.get(ctx, base+"/api/v1/feed")
			}},
		{name: ScenarioGroup,
			request: func(ctx context.Context, base string, id *identity, rng *rand.Rand, _ int) (*http.Request, error) {
				g := id.readable[rng.IntN(len(id.readable))]
				return id.get(ctx, base+"/api/v1/groups/"+url.PathEscape(g)+"/posts")
			}},
		{name: ScenarioPost, minRate: 300,
			request: func(ctx context.Context, base string, id *identity, rng *rand.Rand, n int) (*http.Request, error) {
				g := id.member[rng.IntN(len(id.member))]
				body, _ := json.Marshal(map[string]string{"kind": "post",
					"body": fmt.Sprintf("Benchmarkbericht %d: %s", n, sentences[rng.IntN(len(sentences))])})
				r, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/groups/"+url.PathEscape(g)+"/posts",
					bytes.NewReader(body))
				if err != nil {
					return nil, err
				}
				r.Header.Set("Content-Type", "application/json")
				r.Header.Set("Authorization", "Bearer "+id.token)
				return r, nil
			}},
	}
}

// identity is a member the load acts as: their token, the groups they are a member of (to
// post in) and the groups they may read.
type identity struct {
	personID string
	token    string
	member   []string
	readable []string
}

func (id *identity) get(ctx context.Context, u string) (*http.Request, error) {
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	r.Header.Set("Authorization", "Bearer "+id.token)
	return r, nil
}

// createIdentities chooses n staff members and volunteers whose number of groups is closest
// to groupsPerPerson (site administrators left out: they read nearly everything) and gives
// each an API token, stored as its hash like any other.
func createIdentities(ctx context.Context, db *store.DB, w *World, n int, rng *rand.Rand) ([]*identity, error) {
	var eligible []*Person
	for _, p := range w.People {
		if !p.Admin && p.Kind != biebplein.KindPartner && len(p.Groups) > 0 {
			eligible = append(eligible, p)
		}
	}
	eligible = closestToGroups(eligible, func(p *Person) int { return len(p.Groups) }, n, rng)

	out := make([]*identity, 0, len(eligible))
	for _, p := range eligible {
		token, err := issueToken(ctx, db, p.ID)
		if err != nil {
			return nil, err
		}
		id := &identity{personID: p.ID, token: token}
		for _, gi := range p.Groups {
			id.member = append(id.member, w.Groups[gi].ID)
		}
		for _, g := range w.Groups {
			if w.CanRead(p, g) {
				id.readable = append(id.readable, g.ID)
			}
		}
		out = append(out, id)
	}
	return out, nil
}

// closestToGroups shuffles candidates and returns the n whose number of groups is closest to
// groupsPerPerson, so that the load reads feeds of the size the issue names.
func closestToGroups[T any](candidates []T, groups func(T) int, n int, rng *rand.Rand) []T {
	rng.Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
	distance := func(c T) int { return abs(groups(c) - groupsPerPerson) }
	slices.SortStableFunc(candidates, func(a, b T) int { return distance(a) - distance(b) })
	return candidates[:min(n, len(candidates))]
}

// issueToken makes an API token for a person, stored as its hash like any other.
func issueToken(ctx context.Context, db *store.DB, personID string) (string, error) {
	token := auth.NewToken()
	err := db.CreateAPIToken(ctx, &biebplein.APIToken{PersonID: personID, Name: "bench", TokenHash: auth.HashToken(token)})
	return token, err
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// RunResult is what one run of one scenario measured.
type RunResult struct {
	Scenario string
	Run      int
	Requests int           // completed in the measured window
	Errors   int           // of those, transport errors and answers other than 2xx
	Elapsed  time.Duration // from the end of the warm-up to the last measured answer
	Rate     float64       // Requests per second of Elapsed
	P50      time.Duration
	P95      time.Duration
	P99      time.Duration
	// ErrorSamples holds the first few errors, for the report.
	ErrorSamples []string
}

// clientResult is one client's share of a run.
type clientResult struct {
	latencies []time.Duration
	errors    int
	samples   []string
	last      time.Time
}

// runScenario runs clients concurrent loops of sc against base for warmup, then measures for
// duration. Each client keeps its connection alive and acts as one of its identities per
// request.
func runScenario(ctx context.Context, hc *http.Client, base string, sc scenario, clients [][]*identity,
	warmup, duration time.Duration, seed uint64) RunResult {
	start := time.Now()
	from := start.Add(warmup)
	end := from.Add(duration)
	results := make([]clientResult, len(clients))
	var wg sync.WaitGroup
	for i, ids := range clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(seed, uint64(i)))
			results[i] = runClient(ctx, hc, base, sc, ids, rng, from, end)
		})
	}
	wg.Wait()

	res := RunResult{Scenario: sc.name}
	var all []time.Duration
	last := from
	for _, r := range results {
		all = append(all, r.latencies...)
		res.Errors += r.errors
		for _, s := range r.samples {
			if len(res.ErrorSamples) < 5 && !slices.Contains(res.ErrorSamples, s) {
				res.ErrorSamples = append(res.ErrorSamples, s)
			}
		}
		if r.last.After(last) {
			last = r.last
		}
	}
	res.Requests = len(all)
	res.Elapsed = last.Sub(from)
	if res.Elapsed > 0 {
		res.Rate = float64(res.Requests) / res.Elapsed.Seconds()
	}
	slices.Sort(all)
	res.P50, res.P95, res.P99 = percentile(all, 50), percentile(all, 95), percentile(all, 99)
	return res
}

// runClient sends one request after the other until end (or the count limit), recording the
// latency of those started after from.
func runClient(ctx context.Context, hc *http.Client, base string, sc scenario, ids []*identity, rng *rand.Rand,
	from, end time.Time) clientResult {
	var r clientResult
	for n := 0; n < maxRequestsPerClient; n++ {
		t0 := time.Now()
		if !t0.Before(end) || ctx.Err() != nil {
			break
		}
		failure := do(ctx, hc, base, sc, ids[rng.IntN(len(ids))], rng, n)
		t1 := time.Now()
		if t0.Before(from) {
			continue // warming up
		}
		r.latencies = append(r.latencies, t1.Sub(t0))
		r.last = t1
		if failure != "" {
			r.errors++
			if len(r.samples) < 5 {
				r.samples = append(r.samples, failure)
			}
		}
	}
	return r
}

// do sends one request and reads the whole answer, so that the connection is reused. It
// returns "" on success, otherwise a short description of the failure.
func do(ctx context.Context, hc *http.Client, base string, sc scenario, id *identity, rng *rand.Rand, n int) string {
	req, err := sc.request(ctx, base, id, rng, n)
	if err != nil {
		return err.Error()
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return fmt.Sprintf("%s %s: %d %s", req.Method, req.URL.Path, resp.StatusCode, bytes.TrimSpace(body))
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err.Error()
	}
	return ""
}

// percentile returns the p-th percentile of sorted latencies by the nearest-rank method.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[max(0, min(rank, len(sorted)-1))]
}

// newHTTPClient returns a client that keeps one connection per concurrent client alive and
// goes straight to the server, never through a proxy from the environment.
func newHTTPClient(clients int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			Proxy:               nil,
			MaxIdleConns:        clients,
			MaxIdleConnsPerHost: clients,
			MaxConnsPerHost:     clients,
			IdleConnTimeout:     time.Minute,
			DisableCompression:  true,
		},
	}
}
