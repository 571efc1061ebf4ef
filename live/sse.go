package live

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// DefaultHeartbeat is how often Stream sends a comment when StreamOptions.Heartbeat is not
// set: well within the minute after which proxies commonly close a quiet connection.
const DefaultHeartbeat = 25 * time.Second

// writeWait bounds each write of Stream. The server's WriteTimeout would end every stream
// after a while, so Stream clears it; a page that stops reading still must not hold its
// handler forever.
const writeWait = 30 * time.Second

// StreamOptions configure Stream.
type StreamOptions struct {
	// Heartbeat is how often a comment is sent, so that proxies and the browser keep a quiet
	// connection open and a gone client is noticed; 0 means DefaultHeartbeat.
	Heartbeat time.Duration
	// First are sent right after connecting, before any event: the current state (a count),
	// so that a page that reconnects is up to date.
	First []SSEMessage
}

// SSEMessage is one server-sent event: its name (the event: field, empty for the default
// "message") and data.
type SSEMessage struct {
	Name, Data string
}

// Stream writes server-sent events to w until ctx ends (the client went away) or sub is
// closed; it returns nil then, or the error of a failed write. The caller keeps ownership of
// sub and closes it.
//
// It sets Content-Type text/event-stream, Cache-Control no-store and X-Accel-Buffering no
// (so that nginx passes events on at once), clears the write deadline the server may have
// set, and sends "retry: 5000", the First messages, a comment every Heartbeat, and for each
// event of sub the message render returns; render returns ok false to skip an event. After
// events were lost (see Subscription.Lagged) it drops those still waiting and calls render
// once with Event{Type: TypeLagged}. It flushes after each message.
func Stream(ctx context.Context, w http.ResponseWriter, sub *Subscription, opts StreamOptions, render func(Event) (name, data string, ok bool)) error {
	heartbeat := opts.Heartbeat
	if heartbeat <= 0 {
		heartbeat = DefaultHeartbeat
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	sw := &sseWriter{w: w, rc: http.NewResponseController(w)}
	if err := sw.setDeadline(time.Time{}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)

	// Browsers reconnect by themselves; five seconds spreads out the reconnections after a
	// restart better than their default of about three.
	sw.begin()
	sw.raw("retry: 5000\n\n")
	for _, m := range opts.First {
		sw.message(m.Name, m.Data)
	}
	if err := sw.flush(); err != nil {
		return err
	}

	ticker := time.NewTicker(heartbeat)
	defer ticker.Stop()
	for {
		var name, data string
		var ok bool
		select {
		case <-ctx.Done():
			return nil
		case ev, open := <-sub.c:
			if !open {
				return nil
			}
			name, data, ok = render(ev)
		case <-sub.lag:
			if !sub.lagged.Swap(false) {
				continue
			}
			sub.drain()
			name, data, ok = render(Event{Type: TypeLagged})
		case <-ticker.C:
			sw.begin()
			sw.raw(": heartbeat\n\n")
			if err := sw.flush(); err != nil {
				return err
			}
			continue
		}
		if !ok {
			continue
		}
		sw.begin()
		sw.message(name, data)
		if err := sw.flush(); err != nil {
			return err
		}
		// Something was sent: the next heartbeat can wait a full period.
		ticker.Reset(heartbeat)
	}
}

// sseWriter writes the event stream format, keeping the first error.
type sseWriter struct {
	w   http.ResponseWriter
	rc  *http.ResponseController
	err error
}

// setDeadline sets the write deadline where the connection supports one.
func (sw *sseWriter) setDeadline(t time.Time) error {
	if err := sw.rc.SetWriteDeadline(t); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return fmt.Errorf("live: stream: %w", err)
	}
	return nil
}

// begin bounds the writes that follow, up to the next flush.
func (sw *sseWriter) begin() {
	if sw.err == nil {
		sw.err = sw.setDeadline(time.Now().Add(writeWait))
	}
}

func (sw *sseWriter) raw(s string) {
	if sw.err == nil {
		_, sw.err = io.WriteString(sw.w, s)
	}
}

// message writes one event. A line break would end a field early, so the name loses any
// and the data is sent as one data: line per line, which the browser joins again with "\n".
func (sw *sseWriter) message(name, data string) {
	var b strings.Builder
	if name = strings.Map(dropLineBreak, name); name != "" {
		b.WriteString("event: ")
		b.WriteString(name)
		b.WriteByte('\n')
	}
	data = strings.ReplaceAll(data, "\r\n", "\n")
	data = strings.ReplaceAll(data, "\r", "\n")
	for line := range strings.SplitSeq(data, "\n") {
		b.WriteString("data: ")
		b.WriteString(line)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	sw.raw(b.String())
}

func dropLineBreak(r rune) rune {
	if r == '\r' || r == '\n' {
		return -1
	}
	return r
}

func (sw *sseWriter) flush() error {
	if sw.err == nil {
		sw.err = sw.rc.Flush()
	}
	if sw.err != nil {
		return fmt.Errorf("live: stream: %w", sw.err)
	}
	return nil
}

// ReadEvents reads a server-sent event stream from r and calls fn with the name ("message"
// when the stream gives none) and data of each event, until fn returns false or r ends; it
// returns nil then, or the read error. Comments, id: and retry: are skipped. It is a client
// for the tests and the benchmark command; browsers have their own (EventSource).
func ReadEvents(r io.Reader, fn func(name, data string) bool) error {
	br := bufio.NewReader(r)
	var name string
	var data strings.Builder
	hasData := false
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			// An event cut off by the end of the stream is not dispatched, as in browsers.
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if line == "" {
			if hasData {
				if name == "" {
					name = "message"
				}
				if !fn(name, data.String()) {
					return nil
				}
			}
			name, hasData = "", false
			data.Reset()
			continue
		}
		if line[0] == ':' {
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			name = value
		case "data":
			if hasData {
				data.WriteByte('\n')
			}
			data.WriteString(value)
			hasData = true
		}
	}
}
