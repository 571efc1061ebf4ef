-- Notifications, their e-mail, and the durable outbox.
--
-- A notification is one line per (person, kind, subject): a second reaction to the same post
-- updates the line ("Anna and 4 others") and makes it unread again instead of adding one.
-- The subject is the post, or the group for notices about a group (join request, approval,
-- invitation). Who may see a notification is decided when it is read or mailed, with the
-- visibility rule on its group, never stored here.

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    subject_id  TEXT NOT NULL, -- post_id, or group_id when there is no post
    post_id     TEXT REFERENCES posts (id) ON DELETE CASCADE,
    group_id    TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    comment_id  TEXT,          -- the newest comment it is about, if any
    actor_id    TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE, -- the newest actor
    actor_count INTEGER NOT NULL DEFAULT 1, -- distinct actors, from notification_actors
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    read_at     TIMESTAMP,
    UNIQUE (person_id, kind, subject_id)
);
-- The notification page, newest change first.
CREATE INDEX notifications_person ON notifications (person_id, updated_at, id);
-- The unread count, and "opening the post marks its notifications read".
CREATE INDEX notifications_unread ON notifications (person_id, subject_id) WHERE read_at IS NULL;
CREATE INDEX notifications_post ON notifications (post_id);
CREATE INDEX notifications_group ON notifications (group_id);

CREATE TABLE notification_actors (
    notification_id INTEGER NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    actor_id        TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (notification_id, actor_id)
);

-- Only choices that differ from the defaults (biebplein.DefaultNoticePref) are rows.
CREATE TABLE notification_prefs (
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    app       BOOLEAN NOT NULL,
    mail      TEXT NOT NULL CHECK (mail IN ('immediate', 'daily', 'weekly', 'never')),
    PRIMARY KEY (person_id, kind)
);

-- Every e-mail, written in the transaction of the change that causes it and sent by a worker.
-- A row is pending until it is sent, dropped (nothing left to say: read, no longer visible,
-- unsubscribed) or failed (refused for good by the mail server). A worker claims rows for a
-- lease; another instance takes them over only after the lease ends.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('notice', 'digest', 'invitation')),
    person_id       TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    notification_id INTEGER REFERENCES notifications (id) ON DELETE CASCADE,
    period          TEXT,  -- digest: daily or weekly
    dedupe_key      TEXT UNIQUE,
    payload         TEXT NOT NULL DEFAULT '', -- invitation: the link; emptied once sent
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dropped', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_at         TIMESTAMP NOT NULL, -- not before
    locked_by       TEXT,
    locked_until    TIMESTAMP,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    done_at         TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (next_at) WHERE state = 'pending';
-- At most one pending mail per notification: later events join the mail that waits.
CREATE UNIQUE INDEX outbox_pending_notice ON outbox (notification_id) WHERE state = 'pending';
CREATE INDEX outbox_person ON outbox (person_id);

-- Up to when each person's digests have told them: a digest holds what changed after it.
CREATE TABLE digest_marks (
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    period     TEXT NOT NULL,
    sent_until TIMESTAMP NOT NULL,
    PRIMARY KEY (person_id, period)
);

-- Privacy: leave post text out of e-mail for the people of this organisation and below it,
-- and for posts in its groups.
ALTER TABLE organisations ADD COLUMN mail_hide_text BOOLEAN NOT NULL DEFAULT FALSE;

-- Keys the site signs with (e-mail unsubscribe links), made once and shared by all instances.
CREATE TABLE site_keys (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
