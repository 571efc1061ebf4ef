-- Accounts security: the audit log of administrative and security events.
--
-- An event names who did it (actor, none for a refused sign-in), what (action), to whom or
-- what (target: a person, organisation or session id), from where (address) and a few facts
-- (details, a JSON object of short strings). It never holds a password, token or secret.
-- The id is time-ordered and is the cursor of the log, newest first.

CREATE TABLE audit_events (
    id        TEXT PRIMARY KEY,
    at        TIMESTAMP NOT NULL,
    actor_id  TEXT REFERENCES people (id) ON DELETE SET NULL,
    action    TEXT NOT NULL,
    target_id TEXT NOT NULL DEFAULT '',
    email     TEXT NOT NULL DEFAULT '',
    ip        TEXT NOT NULL DEFAULT '',
    details   TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_action ON audit_events (action, id);
CREATE INDEX audit_events_actor ON audit_events (actor_id, id);
CREATE INDEX audit_events_target ON audit_events (target_id, id);
