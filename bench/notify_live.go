package bench

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/biebplein/biebplein/live"
)

// The delivery half of the notification benchmark: clients with the group's page open as a
// server-sent event stream, and the author posting in the group over the API.

// Bounds on opening the streams: how many connect at once (so that the server's listen
// queue does not overflow), and how long all of them may take to get their first event.
const (
	connectAtOnce  = 64
	connectTimeout = 3 * time.Minute
)

// arrival is what a client's stream told the measurement: a post event read at a time, or
// that the stream ended (err) or lost events (lagged).
type arrival struct {
	client int
	postID string
	count  bool // a new unread count, after the first
	at     time.Time
	lagged bool
	ended  bool
	err    error
}

// measureDelivery opens a stream for each token, waits until all got their first event
// (the unread count), runs the delivery runs and closes the streams.
func measureDelivery(ctx context.Context, o NotifyOptions, base string, nw *notifyNetwork, r *NotifyReport, say func(string, ...any)) error {
	n := len(nw.tokens)
	streams, stop := context.WithCancel(ctx)
	hc := &http.Client{Transport: &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        n + 8,
		MaxIdleConnsPerHost: n + 8,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}}
	// Room for every event a client may send in all runs, so that no client ever waits for
	// the measurement and delays reading its stream.
	arrivals := make(chan arrival, n*(o.Runs+4))
	ready := make(chan error, n)
	slots := make(chan struct{}, connectAtOnce)
	u := base + "/api/v1/events?feed=group&group=" + url.QueryEscape(nw.groupID)
	var wg sync.WaitGroup
	defer func() {
		stop()
		wg.Wait()
		hc.CloseIdleConnections()
	}()

	say("cli.bench.notify.connecting", n)
	start := time.Now()
	for i, token := range nw.tokens {
		wg.Go(func() { listen(streams, hc, u, token, i, slots, ready, arrivals) })
	}
	var failed int
	var firstErr error
	deadline := time.NewTimer(connectTimeout)
	defer deadline.Stop()
connecting:
	for waiting := n; waiting > 0; waiting-- {
		select {
		case err := <-ready:
			if err != nil {
				failed++
				firstErr = cmp.Or(firstErr, err)
			}
		case <-deadline.C:
			failed += waiting
			firstErr = cmp.Or(firstErr, fmt.Errorf("no first event within %s", connectTimeout))
			break connecting
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	r.Connect = time.Since(start)
	if failed > 0 {
		r.fail(o.Texts.T("cli.bench.notify.fail.connect", failed, n, firstErr))
		return nil
	}
	say("cli.bench.notify.connected", r.Connect.Round(10*time.Millisecond))

	d := &deliverer{n: n, arrivals: arrivals, ended: make([]bool, n), timeout: o.Timeout}
	poster := newHTTPClient(1)
	defer poster.CloseIdleConnections()
	for run := 1; run <= o.Runs; run++ {
		say("cli.bench.notify.delivery_running", run, o.Runs)
		res, err := d.run(ctx, poster, base, nw, run)
		if err != nil {
			return err
		}
		r.Delivery = append(r.Delivery, res)
		say("cli.bench.notify.delivery_result", res.Received, n, ms(res.P50), ms(res.P95), ms(res.P99), ms(res.Max))
		if res.Received < n {
			r.fail(o.Texts.T("cli.bench.notify.fail.missing", run, n-res.Received, n, o.Timeout, res.Ended, res.Lagged))
		}
	}
	// A post mentioning the group: every member's page gets its new count.
	d.mention = true
	for run := 1; run <= o.Runs; run++ {
		say("cli.bench.notify.count_running", run, o.Runs)
		res, err := d.run(ctx, poster, base, nw, run)
		if err != nil {
			return err
		}
		r.Counts = append(r.Counts, res)
		say("cli.bench.notify.delivery_result", res.Received, n, ms(res.P50), ms(res.P95), ms(res.P99), ms(res.Max))
		if res.Received < n {
			r.fail(o.Texts.T("cli.bench.notify.fail.count_missing", run, n-res.Received, n, o.Timeout, res.Ended, res.Lagged))
		}
	}
	return nil
}

// listen opens the group page's stream as one member, takes a connection slot until the
// stream's first event (or its failure, sent to ready), and then passes on every post event
// until ctx ends.
func listen(ctx context.Context, hc *http.Client, u, token string, client int, slots chan struct{},
	ready chan<- error, arrivals chan<- arrival) {
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		ready <- ctx.Err()
		return
	}
	connected := false
	connect := func(err error) {
		if !connected {
			connected = true
			<-slots
			ready <- err
		}
	}
	tell := func(a arrival) {
		a.client = client
		select {
		case arrivals <- a:
		case <-ctx.Done():
		}
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		connect(err)
		return
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := hc.Do(req)
	if err != nil {
		connect(err)
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		connect(fmt.Errorf("GET %s: %d %s", req.URL.Path, resp.StatusCode, bytes.TrimSpace(body)))
		return
	}
	err = live.ReadEvents(resp.Body, func(name, data string) bool {
		at := time.Now()
		switch name {
		case "count":
			if connected {
				tell(arrival{count: true, at: at})
			}
			connect(nil)
		case "post":
			var ev struct {
				PostID string `json:"post_id"`
			}
			if json.Unmarshal([]byte(data), &ev) == nil {
				tell(arrival{postID: ev.PostID, at: at})
			}
		case "refresh":
			tell(arrival{lagged: true, at: at})
		}
		return true
	})
	if ctx.Err() != nil {
		connect(ctx.Err())
		return
	}
	if err == nil {
		err = io.ErrUnexpectedEOF
	}
	connect(fmt.Errorf("stream ended before its first event: %w", err))
	tell(arrival{ended: true, err: err, at: time.Now()})
}

// deliverer runs the delivery runs over the open streams.
type deliverer struct {
	n        int
	arrivals <-chan arrival
	ended    []bool // streams that ended, in any run
	lagged   int
	timeout  time.Duration
	// mention makes the posts mention the group, and measures the count events they cause
	// instead of the post events.
	mention bool
}

// run posts once as the author and collects, for every client, the time from just before
// the POST until its stream gave the post's event, waiting up to the timeout.
func (d *deliverer) run(ctx context.Context, hc *http.Client, base string, nw *notifyNetwork, run int) (DeliveryRun, error) {
	text := fmt.Sprintf("Ronde %d: %s", run, sentences[run%len(sentences)])
	if d.mention {
		text = "@" + notifyGroupName + " " + text
	}
	body, _ := json.Marshal(map[string]string{"kind": "post", "body": text})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/groups/"+url.PathEscape(nw.groupID)+"/posts",
		bytes.NewReader(body))
	if err != nil {
		return DeliveryRun{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+nw.authorToken)

	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		return DeliveryRun{}, err
	}
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	posted := time.Since(start)
	if err != nil {
		return DeliveryRun{}, err
	}
	if resp.StatusCode != http.StatusCreated {
		return DeliveryRun{}, fmt.Errorf("bench: POST %s: %d %s", req.URL.Path, resp.StatusCode, bytes.TrimSpace(answer))
	}
	var p struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(answer, &p); err != nil || p.ID == "" {
		return DeliveryRun{}, fmt.Errorf("bench: POST %s: no post id in %.200s", req.URL.Path, answer)
	}

	match := func(a arrival) bool { return !d.mention && a.postID == p.ID }
	if d.mention {
		match = func(a arrival) bool { return a.count }
	}
	res := d.collect(ctx, match, start)
	res.Run, res.Post = run, posted
	return res, ctx.Err()
}

// collect reads arrivals until every client still listening got the event match picks, or
// the timeout after start has passed, and sums up the latencies from start.
func (d *deliverer) collect(ctx context.Context, match func(arrival) bool, start time.Time) DeliveryRun {
	var res DeliveryRun
	got := make([]bool, d.n)
	var latencies []time.Duration
	lagged := d.lagged
	timer := time.NewTimer(time.Until(start.Add(d.timeout)))
	defer timer.Stop()
	alive := func() int {
		n := 0
		for i, e := range d.ended {
			if !e || got[i] {
				n++
			}
		}
		return n
	}
	take := func(a arrival) {
		switch {
		case a.ended:
			d.ended[a.client] = true
		case a.lagged:
			d.lagged++
		case match(a) && !got[a.client] && a.at.Sub(start) <= d.timeout:
			got[a.client] = true
			latencies = append(latencies, a.at.Sub(start))
		}
	}
wait:
	for len(latencies) < alive() {
		select {
		case a := <-d.arrivals:
			take(a)
		case <-timer.C:
			break wait
		case <-ctx.Done():
			break wait
		}
	}
	// What arrived in time but was still waiting when the timer went off.
	for drained := false; !drained; {
		select {
		case a := <-d.arrivals:
			take(a)
		default:
			drained = true
		}
	}
	for _, e := range d.ended {
		if e {
			res.Ended++
		}
	}
	res.Lagged = d.lagged - lagged
	res.Received = len(latencies)
	slices.Sort(latencies)
	res.P50, res.P95, res.P99 = percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99)
	if len(latencies) > 0 {
		res.Max = latencies[len(latencies)-1]
	}
	return res
}
