package store

// Notify and Listen carry short messages between the instances that share one PostgreSQL
// database (NOTIFY/LISTEN); package live builds its cross-instance event bus on them. SQLite
// serves a single instance, so there both report errors.ErrUnsupported and callers deliver
// in process instead.

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

const (
	// After a lost connection the listener waits listenMinBackoff, doubling up to
	// listenMaxBackoff while reconnecting keeps failing, so that a database that is down is
	// not hammered and one that comes back is found quickly.
	listenMinBackoff = 100 * time.Millisecond
	listenMaxBackoff = 5 * time.Second
	// listenCheckEvery is how long the listener waits for a notification before it checks
	// that its connection still answers: a connection lost without a word (a dropped
	// network) would otherwise go unnoticed until TCP keepalive gives up, minutes later.
	listenCheckEvery   = 30 * time.Second
	listenCheckTimeout = 5 * time.Second
)

// canNotify reports whether the database carries notifications between sessions.
func (db *DB) canNotify() bool { return db.dialect.name == dialectPostgres }

// Notify sends payload to every session listening on channel, including the sender's own
// instance. PostgreSQL limits a payload to 8000 bytes. On SQLite it returns
// errors.ErrUnsupported; on PostgreSQL a lost database is an unavailable error.
func (db *DB) Notify(ctx context.Context, channel, payload string) error {
	if !db.canNotify() {
		return errors.ErrUnsupported
	}
	// pg_notify rather than NOTIFY: it takes the channel and payload as parameters, so
	// neither needs quoting.
	_, err := db.write().exec(ctx, "SELECT pg_notify(?, ?)", channel, payload)
	return wrap("notify", err)
}

// Listen calls fn with the payload of every notification on channel until ctx ends, and
// then returns ctx.Err(). It holds one connection of the pool for itself; after losing it,
// it reconnects with back-off and calls ready (which may be nil) each time it is subscribed
// again, since notifications sent in between are lost and the caller may want to catch up.
// fn and ready run on Listen's goroutine, one at a time; notifications wait while fn runs.
// On SQLite it returns errors.ErrUnsupported at once.
//
// Cancel ctx before closing db: Listen keeps trying to reconnect as long as ctx is alive.
func (db *DB) Listen(ctx context.Context, channel string, ready func(), fn func(payload string)) error {
	if !db.canNotify() {
		return errors.ErrUnsupported
	}
	backoff := listenMinBackoff
	for {
		subscribed, err := db.listenOnce(ctx, channel, ready, fn)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if subscribed {
			// The connection worked: this is a new failure, not the same one again.
			backoff = listenMinBackoff
		}
		db.logger.Warn("store: listen: connection lost, reconnecting",
			"channel", channel, "retry_in", backoff, "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, listenMaxBackoff)
	}
}

// listenOnce subscribes on a connection of its own and passes notifications to fn until the
// connection fails or ctx ends. It reports whether the subscription was made. The connection
// is always discarded afterwards, never returned to the pool: it would stay subscribed and
// collect notifications no one reads, and after a failure or a cancelled wait its state is
// unknown.
func (db *DB) listenOnce(ctx context.Context, channel string, ready func(), fn func(string)) (subscribed bool, err error) {
	c, err := db.writer.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer c.Close()
	err = c.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("%w: listen: unexpected driver connection %T", driver.ErrBadConn, dc)
		}
		pc := sc.Conn()
		if _, err := pc.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
			return fmt.Errorf("%w: listen: %w", driver.ErrBadConn, err)
		}
		subscribed = true
		if ready != nil {
			ready()
		}
		// Returning driver.ErrBadConn makes database/sql close the connection.
		return fmt.Errorf("%w: listen: %w", driver.ErrBadConn, waitNotifications(ctx, pc, fn))
	})
	return subscribed, err
}

// waitNotifications passes notifications to fn until the connection fails or ctx ends,
// checking the connection whenever it has been quiet for listenCheckEvery.
func waitNotifications(ctx context.Context, pc *pgx.Conn, fn func(string)) error {
	for {
		wait, cancel := context.WithTimeout(ctx, listenCheckEvery)
		n, err := pc.WaitForNotification(wait)
		cancel()
		if n != nil {
			fn(n.Payload)
		}
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, context.DeadlineExceeded) && !pc.IsClosed():
			// Quiet for a while: a timed-out wait leaves the connection usable, so ask it
			// whether the server is still there.
			check, cancel := context.WithTimeout(ctx, listenCheckTimeout)
			err := pc.Ping(check)
			cancel()
			if err != nil {
				return fmt.Errorf("health check: %w", err)
			}
		default:
			return err
		}
	}
}
