package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/bench"
	"github.com/biebplein/biebplein/store"
	"github.com/biebplein/biebplein/store/storetest"
)

// crashSeedEnv repeats a run of the crash suite: the seed it logs.
const crashSeedEnv = "BIEBPLEIN_CRASH_SEED"

// crashRounds is how many times each database is killed.
const crashRounds = 5

// The crash suite (issue 7): the real binary on a real database takes concurrent posts,
// comments, reactions and votes over the API and is killed with SIGKILL at a random moment;
// started again, every write it had answered with success must be there, nothing may be
// half-written, and the database must pass its integrity check. Then the next round, on the
// same database. On PostgreSQL the program is killed, not the database.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it")
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(crashSeedEnv); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("%s=%q: %v", crashSeedEnv, s, err)
		}
	}
	t.Logf("seed %d (%s=%d repeats it)", seed, crashSeedEnv, seed)
	bin := filepath.Join(t.TempDir(), "biebplein")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := storetest.DSN(t, dialect)
			w := newCrashWorld(t, dsn)
			dataDir := t.TempDir()
			srv := mustStart(t, bin, dsn, dataDir)
			w.seedPosts(t, srv.URL())
			rng := rand.New(rand.NewPCG(seed, 0))
			for round := 1; round <= crashRounds; round++ {
				after := time.Duration(rng.IntN(1000)) * time.Millisecond
				n := w.load(t, srv, round, after, seed)
				t.Logf("round %d: killed %s after the first acknowledged write; %d posts, %d comments, %d reactions, %d votes acknowledged",
					round, after, n.posts, n.comments, n.reactions, n.votes)
				t0 := time.Now()
				srv = mustStart(t, bin, dsn, dataDir)
				t1 := time.Now()
				w.verify(t, srv.URL(), dsn, round)
				t.Logf("round %d: restarted in %s, verified in %s", round, t1.Sub(t0).Round(time.Millisecond), time.Since(t1).Round(time.Millisecond))
				if t.Failed() {
					break
				}
			}
			if err := srv.Stop(); err != nil {
				t.Error(err)
			}
		})
	}
}

func mustStart(t *testing.T, bin, dsn, dataDir string) *bench.Server {
	t.Helper()
	srv, err := bench.StartServer(t.Context(), bin, dsn, dataDir)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { _ = srv.Kill() })
	return srv
}

// crashPerson is a member of the test's group, writing through the API with their token.
type crashPerson struct {
	id, name, token string
}

// crashPoll is a poll to vote on.
type crashPoll struct {
	id       string
	options  []string
	multiple bool
}

type reactionKey struct {
	post, person string
	kind         biebplein.ReactionKind
}

type voteKey struct{ poll, person string }

// voteState is what a person's votes on a poll may be after a crash: the last votes answered
// with success, or any sent after them whose answer never came (the crash may have come after
// the commit).
type voteState struct {
	acked    []string // nil: never acknowledged
	possible [][]string
}

// crashWorld is the network and every write the server acknowledged, over all rounds.
type crashWorld struct {
	people []*crashPerson
	group  string

	mu        sync.Mutex
	posts     map[string]string   // acknowledged post -> its author
	comments  map[string][]string // post -> acknowledged comments
	targets   []string            // posts to comment and react on
	polls     []crashPoll
	reactions map[reactionKey]bool
	votes     map[voteKey]*voteState
	failures  []string // answers other than success while the server ran
}

// newCrashWorld stores six staff members of one library with API tokens, and a network group
// they are all members of, before the server first starts.
func newCrashWorld(t *testing.T, dsn string) *crashWorld {
	t.Helper()
	ctx := t.Context()
	db, err := store.Open(ctx, dsn, store.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	org := &biebplein.Organisation{Name: "Bibliotheek Crashdorp", Kind: biebplein.OrgSupport}
	must(db.CreateOrganisation(ctx, org))
	w := &crashWorld{posts: map[string]string{}, comments: map[string][]string{},
		reactions: map[reactionKey]bool{}, votes: map[voteKey]*voteState{}}
	for _, name := range []string{"Anna Bakker", "Bram Claes", "Chantal Dekker", "Daan Evers", "Eva Faber", "Frits Gans"} {
		p := &biebplein.Person{Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.nl", Name: name,
			Kind: biebplein.KindStaff, Organisation: biebplein.OrganisationRef{ID: org.ID}, Locale: biebplein.LocaleNL,
			PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"}
		must(db.CreatePerson(ctx, p))
		token := auth.NewToken()
		must(db.CreateAPIToken(ctx, &biebplein.APIToken{PersonID: p.ID, Name: "crash", TokenHash: auth.HashToken(token)}))
		w.people = append(w.people, &crashPerson{id: p.ID, name: name, token: token})
	}
	g := &biebplein.Group{Name: "Crashtest", Visibility: biebplein.VisNetwork}
	must(db.CreateGroup(ctx, g, w.people[0].id))
	for _, p := range w.people[1:] {
		must(db.SaveMembership(ctx, &biebplein.Membership{GroupID: g.ID, PersonID: p.id, Role: biebplein.RoleMember,
			Status: biebplein.StatusMember}))
	}
	w.group = g.ID
	return w
}

// seedPosts writes, before the first round, a post of everyone and two polls to vote on.
func (w *crashWorld) seedPosts(t *testing.T, base string) {
	t.Helper()
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil}}
	for i, p := range w.people {
		var post postAnswer
		if status, err := call(t.Context(), hc, base, p, "POST", "/api/v1/groups/"+w.group+"/posts",
			map[string]any{"kind": "question", "body": "Eerste vraag van " + p.name}, &post); err != nil || status != http.StatusCreated {
			t.Fatalf("seed post: %d %v", status, err)
		}
		w.addPost(post.ID, p.id)
		if i >= 2 {
			continue
		}
		var poll postAnswer
		if status, err := call(t.Context(), hc, base, p, "POST", "/api/v1/groups/"+w.group+"/posts",
			map[string]any{"kind": "poll", "body": "Welke dag?", "poll": map[string]any{
				"options": []string{"Maandag", "Dinsdag", "Woensdag"}, "multiple": i == 1}}, &poll); err != nil || status != http.StatusCreated {
			t.Fatalf("seed poll: %d %v", status, err)
		}
		w.addPost(poll.ID, p.id)
		cp := crashPoll{id: poll.ID, multiple: i == 1}
		for _, o := range poll.Poll.Options {
			cp.options = append(cp.options, o.ID)
		}
		w.polls = append(w.polls, cp)
	}
}

func (w *crashWorld) addPost(id, author string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.posts[id] = author
	w.targets = append(w.targets, id)
}

// postAnswer is what the checks read of a post.
type postAnswer struct {
	ID       string `json:"id"`
	Comments []struct {
		ID string `json:"id"`
	} `json:"comments"`
	Poll *struct {
		Options []struct {
			ID string `json:"id"`
		} `json:"options"`
		MyVotes []string `json:"my_votes"`
	} `json:"poll"`
}

// call sends one API request as p and decodes a 2xx answer into out. An error means no
// answer came (the server is gone, or went in the middle of the answer).
func call(ctx context.Context, hc *http.Client, base string, p *crashPerson, method, path string, body, out any) (int, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, r)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+p.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(b))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return 0, err
		}
	}
	return resp.StatusCode, nil
}

type crashCounts struct{ posts, comments, reactions, votes int }

func (c crashCounts) total() int { return c.posts + c.comments + c.reactions + c.votes }

// load has everyone write at once, one request after the other, until the server is killed
// the given time after the round's first acknowledged write (so that a busy machine still
// kills a server at work), and returns what was acknowledged in the round.
func (w *crashWorld) load(t *testing.T, srv *bench.Server, round int, after time.Duration, seed uint64) crashCounts {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: len(w.people)}}
	defer hc.CloseIdleConnections()
	counts := make([]crashCounts, len(w.people))
	first := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for i, p := range w.people {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(seed, uint64(round*100+i)))
			for n := 0; ctx.Err() == nil; n++ {
				if w.write(ctx, hc, srv.URL(), p, rng, fmt.Sprintf("%d.%d", round, n), &counts[i]) {
					once.Do(func() { close(first) })
				}
			}
		})
	}
	select {
	case <-first:
	case <-time.After(time.Minute):
		t.Fatalf("round %d: no write acknowledged within a minute\n%s", round, srv.Log())
	}
	time.Sleep(after)
	if err := srv.Kill(); err != nil {
		t.Fatal(err)
	}
	cancel()
	wg.Wait()
	var sum crashCounts
	for _, c := range counts {
		sum.posts, sum.comments, sum.reactions, sum.votes = sum.posts+c.posts, sum.comments+c.comments,
			sum.reactions+c.reactions, sum.votes+c.votes
	}
	return sum
}

// write sends one random write as p and records it when the server acknowledged it, which it
// reports.
func (w *crashWorld) write(ctx context.Context, hc *http.Client, base string, p *crashPerson, rng *rand.Rand, tag string, n *crashCounts) bool {
	w.mu.Lock()
	target := w.targets[rng.IntN(len(w.targets))]
	poll := w.polls[rng.IntN(len(w.polls))]
	other := w.people[rng.IntN(len(w.people))]
	w.mu.Unlock()
	// Mentions and answers to questions are e-mailed at once: notifications and outbox rows
	// in the transaction of the post or comment.
	mention := ""
	if rng.IntN(2) == 0 {
		mention = " @" + other.name
	}
	fail := func(status int, err error) {
		if status != 0 && ctx.Err() == nil {
			w.mu.Lock()
			w.failures = append(w.failures, err.Error())
			w.mu.Unlock()
		}
	}
	switch op := rng.IntN(100); {
	case op < 20:
		kind := "post"
		if rng.IntN(3) == 0 {
			kind = "question"
		}
		var post postAnswer
		status, err := call(ctx, hc, base, p, "POST", "/api/v1/groups/"+w.group+"/posts",
			map[string]any{"kind": kind, "body": "Bericht " + tag + " van " + p.name + mention}, &post)
		if err != nil {
			fail(status, err)
			return false
		}
		w.addPost(post.ID, p.id)
		n.posts++
	case op < 50:
		var c struct {
			ID string `json:"id"`
		}
		status, err := call(ctx, hc, base, p, "POST", "/api/v1/posts/"+target+"/comments",
			map[string]any{"body": "Reactie " + tag + mention}, &c)
		if err != nil {
			fail(status, err)
			return false
		}
		w.mu.Lock()
		w.comments[target] = append(w.comments[target], c.ID)
		w.mu.Unlock()
		n.comments++
	case op < 80:
		kind := biebplein.ReactionKinds()[rng.IntN(len(biebplein.ReactionKinds()))]
		status, err := call(ctx, hc, base, p, "POST", "/api/v1/posts/"+target+"/reactions", map[string]any{"kind": kind}, nil)
		if err != nil {
			fail(status, err)
			return false
		}
		w.mu.Lock()
		w.reactions[reactionKey{target, p.id, kind}] = true
		w.mu.Unlock()
		n.reactions++
	default:
		options := []string{poll.options[rng.IntN(len(poll.options))]}
		if poll.multiple && rng.IntN(2) == 0 {
			options = append(options, poll.options[rng.IntN(len(poll.options))])
		}
		slices.Sort(options)
		options = slices.Compact(options)
		key := voteKey{poll.id, p.id}
		status, err := call(ctx, hc, base, p, "POST", "/api/v1/posts/"+poll.id+"/votes", map[string]any{"option_ids": options}, nil)
		w.mu.Lock()
		defer w.mu.Unlock()
		v := w.votes[key]
		if v == nil {
			v = &voteState{}
			w.votes[key] = v
		}
		switch {
		case err == nil:
			v.acked, v.possible = options, nil
			n.votes++
			return true
		case status == 0: // no answer: it may have been written
			v.possible = append(v.possible, options)
		default:
			w.failures = append(w.failures, err.Error())
		}
		return false
	}
	return true
}

// verify checks, on the restarted server, that the database is whole and consistent and that
// every acknowledged write of every round so far is there.
func (w *crashWorld) verify(t *testing.T, base, dsn string, round int) {
	t.Helper()
	ctx := t.Context()
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, f := range w.failures {
		t.Errorf("round %d: answered with an error while running: %s", round, f)
	}
	w.failures = nil

	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatalf("round %d: open after the crash: %v", round, err)
	}
	defer db.Close()
	if err := db.CheckIntegrity(ctx); err != nil {
		t.Errorf("round %d: %v", round, err)
	}
	if err := db.CheckConsistency(ctx); err != nil {
		t.Errorf("round %d: %v", round, err)
	}
	for key := range w.reactions {
		reactors, err := db.FindReactors(ctx, key.post, key.kind)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(reactors, func(r biebplein.PersonRef) bool { return r.ID == key.person }) {
			t.Errorf("round %d: acknowledged %s of %s on post %s is lost", round, key.kind, key.person, key.post)
		}
	}

	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil}}
	defer hc.CloseIdleConnections()
	people := map[string]*crashPerson{}
	for _, p := range w.people {
		people[p.id] = p
	}
	lost := 0
	for id, author := range w.posts {
		var post postAnswer
		if _, err := call(ctx, hc, base, people[author], "GET", "/api/v1/posts/"+id, nil, &post); err != nil {
			t.Errorf("round %d: acknowledged post %s: %v", round, id, err)
			lost++
			continue
		}
		for _, c := range w.comments[id] {
			if !slices.ContainsFunc(post.Comments, func(got struct {
				ID string `json:"id"`
			}) bool {
				return got.ID == c
			}) {
				t.Errorf("round %d: acknowledged comment %s on post %s is lost", round, c, id)
			}
		}
		if lost > 5 {
			t.Fatalf("round %d: more posts lost; stopping", round)
		}
	}
	for key, v := range w.votes {
		var post postAnswer
		if _, err := call(ctx, hc, base, people[key.person], "GET", "/api/v1/posts/"+key.poll, nil, &post); err != nil {
			t.Errorf("round %d: poll %s: %v", round, key.poll, err)
			continue
		}
		got := slices.Sorted(slices.Values(post.Poll.MyVotes))
		allowed := append([][]string{v.acked}, v.possible...) // nil acked: no vote yet is allowed too
		if !slices.ContainsFunc(allowed, func(o []string) bool { return slices.Equal(o, got) }) {
			t.Errorf("round %d: votes of %s on poll %s are %v; want the acknowledged %v or one sent after it %v",
				round, key.person, key.poll, got, v.acked, v.possible)
		}
	}
}
