package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	biebplein "github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/search"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Bulk loading, for filling a fresh database with millions of rows (the benchmark's generated
// network; later perhaps an import). The ordinary methods write one record per transaction,
// with the checks and counting a live site needs; a Bulk instead buffers rows per table and
// writes them in large transactions: on SQLite as multi-row INSERT statements prepared once
// per transaction, on PostgreSQL with COPY. It writes exactly what it is given: ids, times
// and the denormalised counters (comment_count, like_count…, member_count, read_count,
// poll voters and votes) are the caller's, and must agree with the rows the caller adds
// (CheckCounters verifies that afterwards).

// bulkFlushRows is how many rows a Bulk buffers before it writes them in one transaction.
const bulkFlushRows = 200_000

// sqliteMaxParams is SQLite's limit on the placeholders of one statement.
const sqliteMaxParams = 32_766

// sqliteRowsPerInsert caps the rows of one INSERT: beyond a few hundred rows the statement
// only grows without getting faster.
const sqliteRowsPerInsert = 500

// The tables a Bulk writes, in the order every flush writes them: each after the tables it
// refers to, so that a row added after the rows it refers to is never written before them.
const (
	bulkOrganisations = iota
	bulkPeople
	bulkPersonTags
	bulkGroups
	bulkMembers
	bulkPosts
	bulkPostTopics
	bulkPostMentions
	bulkPolls
	bulkPollOptions
	bulkPollVotes
	bulkPostReads
	bulkComments
	bulkCommentMentions
	bulkReactions
	bulkFollows
	bulkTableCount
)

var bulkSchema = [bulkTableCount]struct {
	name    string
	columns []string
}{
	bulkOrganisations:   {"organisations", []string{"id", "name", "name_key", "kind", "parent_id", "created_at", "updated_at"}},
	bulkPeople:          {"people", []string{"id", "email", "name", "name_key", "kind", "admin", "organisation_id", "function", "function_key", "bio", "locale", "password_hash", "deactivated_at", "created_at", "updated_at"}},
	bulkPersonTags:      {"person_tags", []string{"person_id", "kind", "tag", "tag_key", "position"}},
	bulkGroups:          {"groups", []string{"id", "name", "name_key", "description", "visibility", "organisation_id", "image_id", "member_count", "created_by", "created_at", "updated_at"}},
	bulkMembers:         {"group_members", []string{"group_id", "person_id", "role", "status", "invited_by", "created_at", "updated_at"}},
	bulkPosts:           {"posts", []string{"id", "group_id", "author_id", "kind", "body", "html", "text", "accepted_comment_id", "pinned_until", "comment_count", "like_count", "thanks_count", "insightful_count", "celebrate_count", "read_count", "created_at", "edited_at", "deleted_at", "deleted_by"}},
	bulkPostTopics:      {"post_topics", []string{"post_id", "topic", "topic_key", "position"}},
	bulkPostMentions:    {"post_mentions", []string{"post_id", "kind", "target_id", "position"}},
	bulkPolls:           {"polls", []string{"post_id", "multiple", "closes_at", "voters"}},
	bulkPollOptions:     {"poll_options", []string{"id", "post_id", "label", "position", "votes"}},
	bulkPollVotes:       {"poll_votes", []string{"post_id", "option_id", "person_id"}},
	bulkPostReads:       {"post_reads", []string{"post_id", "person_id", "read_at"}},
	bulkComments:        {"comments", []string{"id", "post_id", "parent_id", "author_id", "body", "html", "text", "created_at", "edited_at", "deleted_at"}},
	bulkCommentMentions: {"comment_mentions", []string{"comment_id", "kind", "target_id", "position"}},
	bulkReactions:       {"reactions", []string{"post_id", "person_id", "kind", "created_at"}},
	bulkFollows:         {"follows", []string{"person_id", "target_kind", "target", "created_at"}},
}

// Bulk writes rows in large transactions. Add records in an order where everything a record
// refers to was added before it (organisations, people, groups, memberships, then each post
// before its comments, reactions, votes and reads), then Close. A Bulk is not safe for
// concurrent use. Once a write fails, every later call returns that error.
type Bulk struct {
	db       *DB
	ctx      context.Context
	buf      [bulkTableCount][]any // per table, the buffered rows' values one after the other
	buffered int
	written  [bulkTableCount]int64
	err      error
	// pg is the connection a PostgreSQL Bulk copies through; nil on SQLite.
	pg *sql.Conn
	// indexes are the statements that create the indexes dropped for the load; foreignKeys
	// those that add the foreign keys dropped for it (PostgreSQL).
	indexes     []string
	foreignKeys []string
}

// NewBulk starts a bulk load into a fresh database. It drops the secondary indexes of the
// tables it writes (Close creates them again: building an index once from all rows is several
// times faster than keeping it up to date row by row) and relaxes durability for its
// connection until Close (on SQLite also a large page cache): a crash during the load leaves a
// database to throw away, which is what a fresh one is anyway. Never use it on a live site.
func (db *DB) NewBulk(ctx context.Context) (*Bulk, error) {
	var people int
	if err := db.read().queryRow(ctx, "SELECT count(*) FROM (SELECT 1 FROM people LIMIT 1) p").Scan(&people); err != nil {
		return nil, wrap("bulk: count people", err)
	}
	if people > 0 {
		return nil, errors.New("store: bulk: the database has people already; a bulk load is for a fresh database")
	}
	b := &Bulk{db: db, ctx: ctx}
	if db.dialect.copies() {
		// COPY and the session settings need one connection of their own.
		c, err := db.writer.Conn(ctx)
		if err != nil {
			return nil, wrap("bulk: connect", err)
		}
		b.pg = c
	}
	err := b.prepare()
	if err != nil {
		_ = b.restore()
		return nil, err
	}
	return b, nil
}

// prepare sets the connection up for the load and drops indexes and foreign keys.
func (b *Bulk) prepare() error {
	set, _ := b.db.dialect.bulkSettings()
	for _, s := range set {
		if _, err := b.session().ExecContext(b.ctx, s); err != nil {
			return wrap("bulk: "+s, err)
		}
	}
	if err := b.dropIndexes(); err != nil {
		return err
	}
	return b.dropForeignKeys()
}

// restore gives the connection its usual settings back and lets go of it.
func (b *Bulk) restore() error {
	var errs []error
	ctx := context.WithoutCancel(b.ctx)
	_, reset := b.db.dialect.bulkSettings()
	for _, s := range reset {
		if _, err := b.session().ExecContext(ctx, s); err != nil {
			errs = append(errs, wrap("bulk: "+s, err))
		}
	}
	if b.pg != nil {
		if err := b.pg.Close(); err != nil {
			errs = append(errs, wrap("bulk: close", err))
		}
	}
	return errors.Join(errs...)
}

// session returns where the Bulk runs statements: its own connection on PostgreSQL, the
// single writer connection on SQLite.
func (b *Bulk) session() interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
} {
	if b.pg != nil {
		return b.pg
	}
	return b.db.writer
}

// Close writes what is buffered, creates the indexes and foreign keys again (which checks
// every reference), builds the search index and restores the connection's settings. After an
// error the database may lack rows or indexes: throw it away.
func (b *Bulk) Close() error {
	err := b.flush()
	if err == nil {
		err = b.createIndexes()
	}
	if err == nil {
		err = b.checkForeignKeys()
	}
	if err == nil {
		err = b.db.RebuildSearch(b.ctx) // the loaded content becomes searchable
	}
	return errors.Join(err, b.restore())
}

// dropIndexes drops the secondary indexes of the tables a Bulk writes, remembering how to
// create them again.
func (b *Bulk) dropIndexes() error {
	rows, err := b.session().QueryContext(b.ctx, b.db.dialect.secondaryIndexesQuery(bulkTables()))
	if err != nil {
		return wrap("bulk: find indexes", err)
	}
	var names []string
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			rows.Close()
			return wrap("bulk: find indexes", err)
		}
		names = append(names, name)
		b.indexes = append(b.indexes, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return wrap("bulk: find indexes", err)
	}
	for _, name := range names {
		if _, err := b.session().ExecContext(b.ctx, "DROP INDEX "+name); err != nil {
			return wrap("bulk: drop index", err)
		}
	}
	return nil
}

// createIndexes creates the indexes dropIndexes dropped.
func (b *Bulk) createIndexes() error {
	for len(b.indexes) > 0 {
		if _, err := b.session().ExecContext(b.ctx, b.indexes[0]); err != nil {
			return wrap("bulk: create index", err)
		}
		b.indexes = b.indexes[1:]
	}
	return nil
}

// dropForeignKeys drops the foreign keys of the tables a Bulk writes on PostgreSQL, where
// checking them row by row (a trigger per row) takes most of the load's time; adding them
// back at the end checks every row at once. SQLite's are switched off for the connection
// instead (bulkSettings).
func (b *Bulk) dropForeignKeys() error {
	query := b.db.dialect.foreignKeysQuery(bulkTables())
	if query == "" {
		return nil
	}
	rows, err := b.session().QueryContext(b.ctx, query)
	if err != nil {
		return wrap("bulk: find foreign keys", err)
	}
	var drops []string
	for rows.Next() {
		var table, name, def string
		if err := rows.Scan(&table, &name, &def); err != nil {
			rows.Close()
			return wrap("bulk: find foreign keys", err)
		}
		drops = append(drops, "ALTER TABLE "+table+" DROP CONSTRAINT "+name)
		b.foreignKeys = append(b.foreignKeys, "ALTER TABLE "+table+" ADD CONSTRAINT "+name+" "+def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return wrap("bulk: find foreign keys", err)
	}
	for _, d := range drops {
		if _, err := b.session().ExecContext(b.ctx, d); err != nil {
			return wrap("bulk: drop foreign key", err)
		}
	}
	return nil
}

// checkForeignKeys checks, once for all rows, that every reference the load wrote points to
// a row: on PostgreSQL by adding the dropped foreign keys back, on SQLite with
// foreign_key_check. A reference to nothing fails the load.
func (b *Bulk) checkForeignKeys() error {
	for len(b.foreignKeys) > 0 {
		if _, err := b.session().ExecContext(b.ctx, b.foreignKeys[0]); err != nil {
			return wrap("bulk: add foreign key", err)
		}
		b.foreignKeys = b.foreignKeys[1:]
	}
	check := b.db.dialect.foreignKeyCheck()
	if check == "" {
		return nil
	}
	rows, err := b.session().QueryContext(b.ctx, check)
	if err != nil {
		return wrap("bulk: check foreign keys", err)
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return wrap("bulk: check foreign keys", err)
		}
		return fmt.Errorf("store: bulk: a row of %s refers to a row of %s that does not exist", table, parent)
	}
	return wrap("bulk: check foreign keys", rows.Err())
}

// Written returns how many rows the Bulk has written so far, by table name.
func (b *Bulk) Written() map[string]int64 {
	out := make(map[string]int64, bulkTableCount)
	for i, n := range b.written {
		out[bulkSchema[i].name] = n
	}
	return out
}

// add buffers one row of a table and writes everything once enough is buffered.
func (b *Bulk) add(table int, values ...any) error {
	if b.err != nil {
		return b.err
	}
	b.buf[table] = append(b.buf[table], values...)
	b.buffered++
	if b.buffered >= bulkFlushRows {
		return b.flush()
	}
	return nil
}

// flush writes the buffered rows of every table, in order, in one transaction.
func (b *Bulk) flush() error {
	if b.err != nil || b.buffered == 0 {
		return b.err
	}
	if b.pg != nil {
		b.err = b.copyPostgres()
	} else {
		b.err = b.insertSQLite()
	}
	if b.err != nil {
		return b.err
	}
	for t := range b.buf {
		b.written[t] += int64(len(b.buf[t]) / len(bulkSchema[t].columns))
		clear(b.buf[t]) // let the values go
		b.buf[t] = b.buf[t][:0]
	}
	b.buffered = 0
	return nil
}

// insertSQLite writes the buffered rows as INSERT statements of many rows each, preparing
// the statement for a full batch once per table.
func (b *Bulk) insertSQLite() error {
	return b.db.inTx(b.ctx, func(c conn) error {
		tx := c.q.(*sql.Tx)
		for t := range b.buf {
			vals := b.buf[t]
			if len(vals) == 0 {
				continue
			}
			cols := len(bulkSchema[t].columns)
			per := min(sqliteRowsPerInsert, sqliteMaxParams/cols)
			var full *sql.Stmt
			for len(vals) > 0 {
				n := min(per, len(vals)/cols)
				chunk := c.d.args(vals[:n*cols])
				vals = vals[n*cols:]
				var err error
				switch {
				case n < per:
					_, err = tx.ExecContext(b.ctx, bulkInsert(t, n), chunk...)
				case full == nil:
					if full, err = tx.PrepareContext(b.ctx, bulkInsert(t, per)); err == nil {
						defer full.Close()
						_, err = full.ExecContext(b.ctx, chunk...)
					}
				default:
					_, err = full.ExecContext(b.ctx, chunk...)
				}
				if err != nil {
					return wrap("bulk insert "+bulkSchema[t].name, err)
				}
			}
		}
		return nil
	})
}

// bulkInsert returns the statement inserting n rows into a table.
func bulkInsert(table, n int) string {
	s := bulkSchema[table]
	row := "(" + placeholders(len(s.columns)) + ")"
	var q strings.Builder
	q.Grow(len(row)*n + 64)
	q.WriteString("INSERT INTO " + s.name + " (" + strings.Join(s.columns, ", ") + ") VALUES ")
	for i := range n {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(row)
	}
	return q.String()
}

// copyPostgres writes the buffered rows with COPY, table by table, in one transaction on the
// Bulk's connection.
func (b *Bulk) copyPostgres() error {
	return b.pg.Raw(func(driverConn any) error {
		pc := driverConn.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(b.ctx)
		if err != nil {
			return wrap("bulk: begin", err)
		}
		defer func() { _ = tx.Rollback(context.WithoutCancel(b.ctx)) }()
		for t := range b.buf {
			vals := b.buf[t]
			if len(vals) == 0 {
				continue
			}
			s := bulkSchema[t]
			cols := len(s.columns)
			src := pgx.CopyFromSlice(len(vals)/cols, func(i int) ([]any, error) {
				return b.db.dialect.args(vals[i*cols : (i+1)*cols]), nil
			})
			if _, err := tx.CopyFrom(b.ctx, pgx.Identifier{s.name}, s.columns, src); err != nil {
				return wrap("bulk copy "+s.name, err)
			}
		}
		return wrap("bulk: commit", tx.Commit(b.ctx))
	})
}

// Organisation adds an organisation; ID, CreatedAt and UpdatedAt must be set.
func (b *Bulk) Organisation(o *biebplein.Organisation) error {
	return b.add(bulkOrganisations, o.ID, o.Name, nameKey(o.Name), string(o.Kind), nullString(o.ParentID),
		o.CreatedAt, o.UpdatedAt)
}

// Person adds a person with their tags; ID, CreatedAt and UpdatedAt must be set, the e-mail
// address normalised and the tags normalised (biebplein.NormalizeTags).
func (b *Bulk) Person(p *biebplein.Person) error {
	locale := p.Locale
	if locale == "" {
		locale = biebplein.LocaleNL
	}
	if err := b.add(bulkPeople, p.ID, p.Email, p.Name, nameKey(p.Name), string(p.Kind), p.Admin, p.Organisation.ID,
		p.Function, search.Fold(p.Function), p.Bio, locale, p.PasswordHash, p.DeactivatedAt, p.CreatedAt, p.UpdatedAt); err != nil {
		return err
	}
	for kind, tags := range map[string][]string{tagExpertise: p.Expertise, tagInterest: p.Interests} {
		for i, tag := range tags {
			if err := b.add(bulkPersonTags, p.ID, kind, tag, search.Fold(tag), i); err != nil {
				return err
			}
		}
	}
	return nil
}

// Group adds a group with g.MemberCount as its member count, which must equal the
// memberships with status member added for it.
func (b *Bulk) Group(g *biebplein.Group) error {
	return b.add(bulkGroups, g.ID, g.Name, nameKey(g.Name), g.Description, string(g.Visibility),
		nullString(g.OrganisationID), g.ImageID, g.MemberCount, nullString(g.CreatedBy), g.CreatedAt, g.UpdatedAt)
}

// Membership adds a membership.
func (b *Bulk) Membership(m *biebplein.Membership) error {
	return b.add(bulkMembers, m.GroupID, m.PersonID, string(m.Role), string(m.Status), nullString(m.InvitedBy),
		m.CreatedAt, m.UpdatedAt)
}

// Post adds a post with its topics (normalised), mentions and poll. Its counters are taken
// as given: CommentCount, Reactions, ReadCount, and the poll's Voters and option Votes must
// agree with the comments, reactions, reads and votes added for it.
func (b *Bulk) Post(p *biebplein.Post) error {
	err := b.add(bulkPosts, p.ID, p.Group.ID, p.Author.ID, string(p.Kind), p.Body, p.HTML, p.Text,
		nullString(p.AcceptedCommentID), p.PinnedUntil, p.CommentCount,
		p.Reactions[biebplein.ReactLike], p.Reactions[biebplein.ReactThanks],
		p.Reactions[biebplein.ReactInsightful], p.Reactions[biebplein.ReactCelebrate],
		p.ReadCount, p.CreatedAt, p.EditedAt, p.DeletedAt, nullString(p.DeletedBy))
	if err != nil {
		return err
	}
	for i, t := range p.Topics {
		if err := b.add(bulkPostTopics, p.ID, t, search.Fold(t), i); err != nil {
			return err
		}
	}
	for i, m := range p.Mentions {
		if err := b.add(bulkPostMentions, p.ID, m.Kind, m.ID, i); err != nil {
			return err
		}
	}
	if p.Poll == nil {
		return nil
	}
	if err := b.add(bulkPolls, p.ID, p.Poll.Multiple, p.Poll.ClosesAt, p.Poll.Voters); err != nil {
		return err
	}
	for i, o := range p.Poll.Options {
		if err := b.add(bulkPollOptions, o.ID, p.ID, o.Label, i, o.Votes); err != nil {
			return err
		}
	}
	return nil
}

// Vote adds one person's vote for an option of a poll.
func (b *Bulk) Vote(postID, optionID, personID string) error {
	return b.add(bulkPollVotes, postID, optionID, personID)
}

// Read adds a person's "read" confirmation of a post.
func (b *Bulk) Read(postID, personID string, at time.Time) error {
	return b.add(bulkPostReads, postID, personID, at)
}

// Comment adds a comment with its mentions. A reply must come after its parent.
func (b *Bulk) Comment(c *biebplein.Comment) error {
	if err := b.add(bulkComments, c.ID, c.PostID, nullString(c.ParentID), c.Author.ID, c.Body, c.HTML, c.Text,
		c.CreatedAt, c.EditedAt, c.DeletedAt); err != nil {
		return err
	}
	for i, m := range c.Mentions {
		if err := b.add(bulkCommentMentions, c.ID, m.Kind, m.ID, i); err != nil {
			return err
		}
	}
	return nil
}

// Reaction adds a person's reaction of one kind to a post.
func (b *Bulk) Reaction(postID, personID string, kind biebplein.ReactionKind, at time.Time) error {
	return b.add(bulkReactions, postID, personID, string(kind), at)
}

// Follow adds a follow of a person or a (normalised) topic.
func (b *Bulk) Follow(f biebplein.Follow, at time.Time) error {
	return b.add(bulkFollows, f.PersonID, f.TargetKind, f.Target, at)
}

// Optimize prepares a freshly loaded database for queries: it gathers the planner's
// statistics (ANALYZE, then PRAGMA optimize on SQLite; VACUUM ANALYZE on PostgreSQL, which
// also marks the pages all-visible for index-only scans) and, on SQLite, folds the
// write-ahead log into the database file.
func (db *DB) Optimize(ctx context.Context) error {
	for _, s := range db.dialect.optimizeStatements() {
		if _, err := db.writer.ExecContext(ctx, s); err != nil {
			return wrap("optimize: "+s, err)
		}
	}
	return db.dialect.forgetSamples(ctx, db.write())
}

// countedTables are the tables CountRows counts.
var countedTables = []string{"organisations", "people", "person_tags", "groups", "group_members", "posts",
	"post_topics", "post_mentions", "polls", "poll_options", "poll_votes", "post_reads", "comments",
	"comment_mentions", "reactions", "follows", "api_tokens"}

// CountRows returns the number of rows of every table that holds people, groups, posts and
// what hangs off them, by table name.
func (db *DB) CountRows(ctx context.Context) (map[string]int64, error) {
	parts := make([]string, len(countedTables))
	for i, t := range countedTables {
		parts[i] = "SELECT '" + t + "', count(*) FROM " + t
	}
	rows, err := db.read().query(ctx, strings.Join(parts, " UNION ALL "))
	if err != nil {
		return nil, wrap("count rows", err)
	}
	defer rows.Close()
	out := make(map[string]int64, len(countedTables))
	for rows.Next() {
		var t string
		var n int64
		if err := rows.Scan(&t, &n); err != nil {
			return nil, wrap("count rows", err)
		}
		out[t] = n
	}
	return out, wrap("count rows", rows.Err())
}

// counterChecks each count the rows whose denormalised counter disagrees with the rows it
// counts.
var counterChecks = []struct{ name, query string }{
	{"posts.comment_count", `SELECT count(*) FROM posts p
		WHERE p.comment_count <> (SELECT count(*) FROM comments c WHERE c.post_id = p.id)`},
	{"posts.like_count", reactionCheck("like_count", biebplein.ReactLike)},
	{"posts.thanks_count", reactionCheck("thanks_count", biebplein.ReactThanks)},
	{"posts.insightful_count", reactionCheck("insightful_count", biebplein.ReactInsightful)},
	{"posts.celebrate_count", reactionCheck("celebrate_count", biebplein.ReactCelebrate)},
	{"posts.read_count", `SELECT count(*) FROM posts p
		WHERE p.read_count <> (SELECT count(*) FROM post_reads r WHERE r.post_id = p.id)`},
	{"groups.member_count", `SELECT count(*) FROM groups g
		WHERE g.member_count <> (SELECT count(*) FROM group_members m WHERE m.group_id = g.id AND m.status = 'member')`},
	{"polls.voters", `SELECT count(*) FROM polls po
		WHERE po.voters <> (SELECT count(DISTINCT v.person_id) FROM poll_votes v WHERE v.post_id = po.post_id)`},
	{"poll_options.votes", `SELECT count(*) FROM poll_options o
		WHERE o.votes <> (SELECT count(*) FROM poll_votes v WHERE v.option_id = o.id)`},
}

func reactionCheck(column string, kind biebplein.ReactionKind) string {
	return `SELECT count(*) FROM posts p WHERE p.` + column + ` <> (SELECT count(*) FROM reactions r
		WHERE r.post_id = p.id AND r.kind = '` + string(kind) + `')`
}

// CheckCounters verifies that every denormalised counter (comments, reactions and reads of
// posts, members of groups, voters and votes of polls) equals the number of rows it counts,
// reading every row: meant for tests and after a bulk load, not for a live site. The error
// names the counters that disagree and on how many rows.
func (db *DB) CheckCounters(ctx context.Context) error {
	wrong, err := db.failingChecks(ctx, counterChecks)
	if err != nil {
		return err
	}
	if len(wrong) > 0 {
		return fmt.Errorf("store: counters disagree with their rows: %s", strings.Join(wrong, ", "))
	}
	return nil
}

// failingChecks runs checks, each a query counting the rows that are wrong, and names those
// that count any ("name on n rows").
func (db *DB) failingChecks(ctx context.Context, checks []struct{ name, query string }) ([]string, error) {
	var wrong []string
	for _, c := range checks {
		var n int
		if err := db.read().queryRow(ctx, c.query).Scan(&n); err != nil {
			return nil, wrap("check "+c.name, err)
		}
		if n > 0 {
			wrong = append(wrong, fmt.Sprintf("%s on %d rows", c.name, n))
		}
	}
	return wrong, nil
}

// ServerVersion returns the version of the database software, for reports: SQLite's library
// version or PostgreSQL's server version.
func (db *DB) ServerVersion(ctx context.Context) (string, error) {
	var v string
	err := db.read().queryRow(ctx, db.dialect.serverVersionQuery()).Scan(&v)
	return v, wrap("server version", err)
}

// bulkTables returns the names of the tables a Bulk writes.
func bulkTables() []string {
	out := make([]string, bulkTableCount)
	for i, s := range bulkSchema {
		out[i] = s.name
	}
	return out
}

// What bulk loading, statistics and reports do differently on each database: this file's
// part of the dialect seam.

// copies reports whether bulk loads use COPY (PostgreSQL) rather than INSERT statements.
func (d dialect) copies() bool { return d.name == dialectPostgres }

// bulkSettings returns the statements that prepare a connection for a bulk load and those
// that restore it.
func (d dialect) bulkSettings() (set, reset []string) {
	if d.name == dialectPostgres {
		return []string{"SET synchronous_commit = off", "SET maintenance_work_mem = '512MB'"},
			[]string{"RESET synchronous_commit", "RESET maintenance_work_mem"}
	}
	return []string{"PRAGMA cache_size = -262144", "PRAGMA synchronous = OFF", "PRAGMA wal_autocheckpoint = 100000",
			"PRAGMA foreign_keys = OFF"},
		[]string{"PRAGMA cache_size = -2000", "PRAGMA synchronous = NORMAL", "PRAGMA wal_autocheckpoint = 1000",
			"PRAGMA foreign_keys = ON"}
}

// secondaryIndexesQuery returns a query for the name and the CREATE statement of every index
// of the given tables that no constraint depends on (primary keys and UNIQUE constraints
// stay).
func (d dialect) secondaryIndexesQuery(tables []string) string {
	in := quotedList(tables)
	if d.name == dialectPostgres {
		return `SELECT i.indexname, i.indexdef FROM pg_indexes i
			WHERE i.schemaname = current_schema() AND i.tablename IN (` + in + `)
				AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`
	}
	return `SELECT name, sql FROM sqlite_master
		WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (` + in + `)`
}

// foreignKeysQuery returns a query for the table, name and definition of every foreign key of
// the given tables, which a bulk load drops and adds back (PostgreSQL, where checking them
// row by row takes most of the load's time); "" on SQLite, where a bulk load switches them
// off for its connection instead (bulkSettings).
func (d dialect) foreignKeysQuery(tables []string) string {
	if d.name != dialectPostgres {
		return ""
	}
	return `SELECT cl.relname, c.conname, pg_get_constraintdef(c.oid)
		FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid
		WHERE c.contype = 'f' AND cl.relnamespace = current_schema()::regnamespace
			AND cl.relname IN (` + quotedList(tables) + `)`
}

// foreignKeyCheck returns the statement listing rows whose references point nowhere, run
// after a load with foreign keys switched off (SQLite); "" where adding the keys back checks
// them (PostgreSQL).
func (d dialect) foreignKeyCheck() string {
	if d.name == dialectPostgres {
		return ""
	}
	return "PRAGMA foreign_key_check"
}

// optimizeStatements gather the planner's statistics after a load: on SQLite ANALYZE and
// PRAGMA optimize, then folding the write-ahead log into the database file; on PostgreSQL
// VACUUM ANALYZE, which also marks pages all-visible for index-only scans.
func (d dialect) optimizeStatements() []string {
	if d.name == dialectPostgres {
		return []string{"VACUUM (ANALYZE)"}
	}
	return []string{"ANALYZE", "PRAGMA optimize", "PRAGMA wal_checkpoint(TRUNCATE)"}
}

// serverVersionQuery returns the query for the version of the database software.
func (d dialect) serverVersionQuery() string {
	if d.name == dialectPostgres {
		return "SHOW server_version"
	}
	return "SELECT sqlite_version()"
}

// quotedList returns names as a list of SQL string literals. The names are this package's own
// table names.
func quotedList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "'" + n + "'"
	}
	return strings.Join(quoted, ", ")
}
