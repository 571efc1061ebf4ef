package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

var _ biebplein.NotificationStore = (*DB)(nil)

// writeNotices writes the notifications of notices, grouped per person, kind and subject, and
// the immediate e-mail they cause, in the caller's transaction. Each notice costs four
// statements whatever the size of its audience (a group of 2,000 is one INSERT … SELECT):
// the notifications, their actors, the actor counts and the outbox rows.
func writeNotices(ctx context.Context, tx conn, notices []biebplein.Notice) error {
	for _, n := range notices {
		if err := writeNotice(ctx, tx, n); err != nil {
			return err
		}
	}
	return nil
}

func writeNotice(ctx context.Context, tx conn, n biebplein.Notice) error {
	if !n.Kind.Valid() || n.ActorID == "" || n.GroupID == "" {
		return errors.New("store: notice without kind, actor or group")
	}
	rcpt, rcptArgs := audienceSQL(n.To)
	if rcpt == "" {
		return nil
	}
	at := dbTime(n.At)
	if n.At.IsZero() {
		at = dbNow()
	}
	mailAt := at
	if !n.MailAt.IsZero() {
		mailAt = dbTime(n.MailAt)
	}
	subject := n.PostID
	if subject == "" {
		subject = n.GroupID
	}
	// Who is told: the audience, active, not the actor, not having turned the kind off.
	args := append([]any{string(n.Kind), subject, nullString(n.PostID), n.GroupID, nullString(n.CommentID), n.ActorID, at, at},
		rcptArgs...)
	args = append(args, n.ActorID, string(n.Kind))
	_, err := tx.exec(ctx, `INSERT INTO notifications
			(person_id, kind, subject_id, post_id, group_id, comment_id, actor_id, actor_count, created_at, updated_at)
		SELECT p.id, ?, ?, ?, ?, ?, ?, 1, ?, ? FROM people p
		WHERE p.id IN (`+rcpt+`) AND p.deactivated_at IS NULL AND p.id <> ?
			AND NOT EXISTS (SELECT 1 FROM notification_prefs np WHERE np.person_id = p.id AND np.kind = ? AND NOT np.app)
		ON CONFLICT (person_id, kind, subject_id) DO UPDATE SET actor_id = excluded.actor_id,
			comment_id = coalesce(excluded.comment_id, notifications.comment_id), updated_at = excluded.updated_at, read_at = NULL`,
		args...)
	if isForeignKey(err) {
		return errNotFound()
	}
	if err != nil {
		return wrap("write notifications", err)
	}
	// The rows just written are those of this kind and subject changed at this moment.
	written := "n.person_id IN (" + rcpt + ") AND n.kind = ? AND n.subject_id = ? AND n.updated_at = ?"
	writtenArgs := append(append([]any{}, rcptArgs...), string(n.Kind), subject, at)
	if _, err := tx.exec(ctx, `INSERT INTO notification_actors (notification_id, actor_id)
		SELECT n.id, ? FROM notifications n WHERE `+written+` ON CONFLICT DO NOTHING`,
		append([]any{n.ActorID}, writtenArgs...)...); err != nil {
		return wrap("write notification actors", err)
	}
	if _, err := tx.exec(ctx, `UPDATE notifications SET actor_count =
			(SELECT count(*) FROM notification_actors a WHERE a.notification_id = notifications.id)
		WHERE id IN (SELECT n.id FROM notifications n WHERE `+written+`)
			AND EXISTS (SELECT 1 FROM notification_actors a WHERE a.notification_id = notifications.id AND a.actor_id <> ?)`,
		append(writtenArgs, n.ActorID)...); err != nil {
		return wrap("count notification actors", err)
	}
	// Immediate e-mail waits until mailAt; a notification that already has a mail waiting
	// joins it (the unique index on pending notification mail).
	_, err = tx.exec(ctx, `INSERT INTO outbox (kind, person_id, notification_id, next_at, created_at)
		SELECT 'notice', n.person_id, n.id, ?, ? FROM notifications n
		WHERE `+written+` AND `+mailPrefSQL("n.person_id", "n.kind")+` = 'immediate'
		ON CONFLICT (notification_id) WHERE state = 'pending' DO NOTHING`,
		append([]any{mailAt, at}, writtenArgs...)...)
	return wrap("write notice mail", err)
}

// withSubject fills in the post and comment a change created, for notices written before
// their ids were known.
func withSubject(notices []biebplein.Notice, postID, commentID string) []biebplein.Notice {
	for i := range notices {
		if notices[i].PostID == "" && !notices[i].Kind.AboutGroup() {
			notices[i].PostID = postID
		}
		if notices[i].CommentID == "" {
			notices[i].CommentID = commentID
		}
	}
	return notices
}

// audienceSQL returns a query for the ids of the people of an audience, or "" for nobody.
func audienceSQL(a biebplein.Audience) (string, []any) {
	var parts []string
	var args []any
	if len(a.People) > 0 {
		parts = append(parts, "SELECT id FROM people WHERE id IN ("+placeholders(len(a.People))+")")
		for _, id := range a.People {
			args = append(args, id)
		}
	}
	if a.MembersOf != "" {
		parts = append(parts, "SELECT person_id FROM group_members WHERE group_id = ? AND status = 'member'")
		args = append(args, a.MembersOf)
	}
	if a.AdminsOf != "" {
		parts = append(parts, "SELECT person_id FROM group_members WHERE group_id = ? AND status = 'member' AND role = 'admin'")
		args = append(args, a.AdminsOf)
	}
	return strings.Join(parts, " UNION "), args
}

// mailPrefSQL is the e-mail choice of person for notifications of kind (columns): their own
// choice, or the default of biebplein.DefaultNoticePref, written into the query from Go so
// that the defaults live in one place.
func mailPrefSQL(person, kind string) string {
	var b strings.Builder
	b.WriteString("coalesce((SELECT np.mail FROM notification_prefs np WHERE np.person_id = " + person +
		" AND np.kind = " + kind + "), CASE " + kind)
	for _, k := range biebplein.NoticeKinds() {
		b.WriteString(" WHEN " + sqlLiteral(string(k)) + " THEN " + sqlLiteral(string(biebplein.DefaultNoticePref(k).Mail)))
	}
	b.WriteString(" ELSE 'never' END)")
	return b.String()
}

// notificationSelect reads notifications n with their actors a, groups g and posts p.
const notificationSelect = `SELECT n.id, n.person_id, n.kind, a.id, a.name, n.actor_count, coalesce(n.post_id, ''),
		coalesce(p.kind, ''), coalesce(p.text, ''), g.id, g.name, g.visibility, coalesce(n.comment_id, ''),
		coalesce(c.text, ''), n.created_at, n.updated_at, n.read_at`

// notificationScope returns the joins and conditions that keep a viewer's notifications to
// what they may still see: a post they may read and that is not deleted, or a group they may
// see. The rule is the one of every list (groupPredicate).
func notificationScope(v biebplein.Viewer) (string, []string, []any) {
	read, readArgs := groupPredicate(biebplein.GroupScope{Viewer: v, Access: biebplein.AccessRead}, "g")
	see, seeArgs := groupPredicate(biebplein.GroupScope{Viewer: v, Access: biebplein.AccessSee}, "g")
	joins := ` FROM notifications n JOIN people a ON a.id = n.actor_id JOIN groups g ON g.id = n.group_id
		LEFT JOIN posts p ON p.id = n.post_id
		LEFT JOIN comments c ON c.id = n.comment_id AND c.deleted_at IS NULL`
	where := []string{"n.person_id = ?",
		"((n.post_id IS NULL AND " + see + ") OR (p.id IS NOT NULL AND p.deleted_at IS NULL AND " + read + "))"}
	args := append(append([]any{v.PersonID}, seeArgs...), readArgs...)
	return joins, where, args
}

// FindNotifications returns a page of the viewer's notifications about what they may still
// see, most recently changed first, and the cursor of the next page. Returns invalid for a
// cursor this store did not hand out (error.cursor_invalid).
func (db *DB) FindNotifications(ctx context.Context, f biebplein.NotificationFilter) ([]*biebplein.Notification, string, error) {
	joins, where, args := notificationScope(f.Viewer)
	if f.ID != "" {
		id, err := strconv.ParseInt(f.ID, 10, 64)
		if err != nil {
			return nil, "", nil
		}
		where, args = append(where, "n.id = ?"), append(args, id)
	}
	if f.Unread {
		where = append(where, "n.read_at IS NULL")
	}
	if len(f.Kinds) > 0 {
		kinds := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			if !k.Valid() {
				return nil, "", biebplein.Errorf(biebplein.CodeInvalid, "error.invalid_input")
			}
			kinds[i] = string(k)
		}
		where = append(where, sqlIn("n.kind", kinds))
	}
	if !f.ChangedAfter.IsZero() {
		where, args = append(where, "n.updated_at > ?"), append(args, f.ChangedAfter)
	}
	if !f.ChangedBefore.IsZero() {
		where, args = append(where, "n.updated_at <= ?"), append(args, f.ChangedBefore)
	}
	if f.After != "" {
		c, err := decodeNotificationCursor(f.After)
		if err != nil {
			return nil, "", err
		}
		where = append(where, "(n.updated_at < ? OR (n.updated_at = ? AND n.id < ?))")
		args = append(args, c.At, c.At, c.ID)
	}
	hide, hideArgs := hideTextSQL(f.Viewer)
	limit := f.Limit
	if limit > 0 {
		limit++
	}
	rows, err := db.read().query(ctx, notificationSelect+", "+hide+joins+whereClause(where)+
		" ORDER BY n.updated_at DESC, n.id DESC"+limitClause(limit), append(hideArgs, args...)...)
	if err != nil {
		return nil, "", wrap("find notifications", err)
	}
	defer rows.Close()
	var out []*biebplein.Notification
	for rows.Next() {
		var n biebplein.Notification
		var id int64
		if err := rows.Scan(&id, &n.PersonID, &n.Kind, &n.Actor.ID, &n.Actor.Name, &n.ActorCount, &n.PostID,
			&n.PostKind, &n.PostText, &n.Group.ID, &n.Group.Name, &n.Group.Visibility, &n.CommentID, &n.CommentText,
			utcTime{&n.CreatedAt}, utcTime{&n.UpdatedAt}, nullTime{&n.ReadAt}, &n.HideText); err != nil {
			return nil, "", wrap("scan notification", err)
		}
		n.ID = strconv.FormatInt(id, 10)
		out = append(out, &n)
	}
	if err := rows.Err(); err != nil {
		return nil, "", wrap("find notifications", err)
	}
	next := ""
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
		last := out[f.Limit-1]
		id, _ := strconv.ParseInt(last.ID, 10, 64)
		next = notificationCursor{At: last.UpdatedAt, ID: id}.encode()
	}
	return out, next, nil
}

// hideTextSQL is true when post text must stay out of the viewer's e-mail: their
// organisation or one above it, or the group's organisation, says so.
func hideTextSQL(v biebplein.Viewer) (string, []any) {
	cond := "o.id = g.organisation_id"
	var args []any
	if len(v.Organisations) > 0 {
		cond = "(" + cond + " OR o.id IN (" + placeholders(len(v.Organisations)) + "))"
		for _, id := range v.Organisations {
			args = append(args, id)
		}
	}
	return "EXISTS (SELECT 1 FROM organisations o WHERE o.mail_hide_text AND " + cond + ")", args
}

// notificationCursor is the position after which the next page starts.
type notificationCursor struct {
	At time.Time `json:"t"`
	ID int64     `json:"i"`
}

func (c notificationCursor) encode() string {
	b, _ := json.Marshal(c) // a time and an int always marshal
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeNotificationCursor(s string) (notificationCursor, error) {
	var c notificationCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || c.ID <= 0 || c.At.IsZero() {
		return c, biebplein.Errorf(biebplein.CodeInvalid, "error.cursor_invalid")
	}
	c.At = dbTime(c.At)
	return c, nil
}

// CountUnread counts the viewer's unread notifications about what they may still see,
// stopping at max (the header shows "99+").
func (db *DB) CountUnread(ctx context.Context, v biebplein.Viewer, max int) (int, error) {
	joins, where, args := notificationScope(v)
	where = append(where, "n.read_at IS NULL")
	var n int
	err := db.read().queryRow(ctx, "SELECT count(*) FROM (SELECT 1"+joins+whereClause(where)+limitClause(max)+") x",
		args...).Scan(&n)
	return n, wrap("count notifications", err)
}

// MarkNotificationsRead marks the person's unread notifications with the filter's IDs, or
// about its post, or all, read at at, and returns how many. Looking first on a reader keeps
// opening a post without notifications from taking the write lock.
func (db *DB) MarkNotificationsRead(ctx context.Context, personID string, f biebplein.ReadFilter, at time.Time) (int, error) {
	where := []string{"person_id = ?", "read_at IS NULL"}
	args := []any{personID}
	if len(f.IDs) > 0 {
		var ids []any
		for _, s := range f.IDs {
			if id, err := strconv.ParseInt(s, 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			return 0, nil
		}
		where, args = append(where, "id IN ("+placeholders(len(ids))+")"), append(args, ids...)
	}
	if f.PostID != "" {
		where, args = append(where, "subject_id = ?"), append(args, f.PostID)
		var any int
		if err := db.read().queryRow(ctx, "SELECT count(*) FROM (SELECT 1 FROM notifications"+whereClause(where)+
			" LIMIT 1) x", args...).Scan(&any); err != nil {
			return 0, wrap("find unread notifications", err)
		}
		if any == 0 {
			return 0, nil
		}
	}
	res, err := db.write().exec(ctx, "UPDATE notifications SET read_at = ?"+whereClause(where), append([]any{dbTime(at)}, args...)...)
	if err != nil {
		return 0, wrap("mark notifications read", err)
	}
	n, err := res.RowsAffected()
	return int(n), wrap("mark notifications read", err)
}

// FindNoticePrefs returns the person's choice for every kind, in biebplein.NoticeKinds order,
// with the defaults for kinds they never chose.
func (db *DB) FindNoticePrefs(ctx context.Context, personID string) ([]biebplein.NoticePref, error) {
	rows, err := db.read().query(ctx, "SELECT kind, app, mail FROM notification_prefs WHERE person_id = ?", personID)
	if err != nil {
		return nil, wrap("find notification preferences", err)
	}
	defer rows.Close()
	own := map[biebplein.NoticeKind]biebplein.NoticePref{}
	for rows.Next() {
		var p biebplein.NoticePref
		if err := rows.Scan(&p.Kind, &p.App, &p.Mail); err != nil {
			return nil, wrap("scan notification preference", err)
		}
		own[p.Kind] = p
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("find notification preferences", err)
	}
	var out []biebplein.NoticePref
	for _, k := range biebplein.NoticeKinds() {
		p, ok := own[k]
		if !ok {
			p = biebplein.DefaultNoticePref(k)
		}
		out = append(out, p)
	}
	return out, nil
}

// SaveNoticePrefs stores the person's choices for the given kinds in one transaction; a
// choice equal to the default is kept as no row, so that better defaults reach everyone who
// never chose. Returns invalid for an unknown kind or e-mail choice.
func (db *DB) SaveNoticePrefs(ctx context.Context, personID string, prefs []biebplein.NoticePref) error {
	for _, p := range prefs {
		if !p.Kind.Valid() || !p.Mail.Valid() {
			return biebplein.Errorf(biebplein.CodeInvalid, "error.invalid_input")
		}
	}
	return db.inTx(ctx, func(tx conn) error {
		for _, p := range prefs {
			if p == biebplein.DefaultNoticePref(p.Kind) {
				if _, err := tx.exec(ctx, "DELETE FROM notification_prefs WHERE person_id = ? AND kind = ?", personID, string(p.Kind)); err != nil {
					return wrap("save notification preference", err)
				}
				continue
			}
			_, err := tx.exec(ctx, `INSERT INTO notification_prefs (person_id, kind, app, mail) VALUES (?, ?, ?, ?)
				ON CONFLICT (person_id, kind) DO UPDATE SET app = excluded.app, mail = excluded.mail`,
				personID, string(p.Kind), p.App, string(p.Mail))
			if isForeignKey(err) {
				return errNotFound()
			}
			if err != nil {
				return wrap("save notification preference", err)
			}
		}
		return nil
	})
}

// CountReach counts the active members of a group other than actorID who would be told about
// a notice of kind k (those who did not turn it off), and how many of them would get an
// e-mail about it at once or in a digest.
func (db *DB) CountReach(ctx context.Context, groupID, actorID string, k biebplein.NoticeKind) (biebplein.Reach, error) {
	if !k.Valid() {
		return biebplein.Reach{}, biebplein.Errorf(biebplein.CodeInvalid, "error.invalid_input")
	}
	var r biebplein.Reach
	err := db.read().queryRow(ctx, `SELECT count(*), coalesce(sum(CASE WHEN `+mailPrefSQL("m.person_id", "?")+` <> 'never' THEN 1 ELSE 0 END), 0)
		FROM group_members m JOIN people p ON p.id = m.person_id
		WHERE m.group_id = ? AND m.status = 'member' AND p.deactivated_at IS NULL AND m.person_id <> ?
			AND NOT EXISTS (SELECT 1 FROM notification_prefs np WHERE np.person_id = m.person_id AND np.kind = ? AND NOT np.app)`,
		string(k), string(k), groupID, actorID, string(k)).Scan(&r.People, &r.Mailed)
	if errors.Is(err, sql.ErrNoRows) {
		return r, nil
	}
	return r, wrap("count reach", err)
}
