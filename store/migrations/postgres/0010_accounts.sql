-- Accounts security: the audit log of administrative and security events.
--
-- An event names who did it (actor, none for a refused sign-in), what (action), to whom or
-- what (target: a person, organisation or session id), from where (address) and a few facts
-- (details, a JSON object of short strings). It never holds a password, token or secret.
-- The id is time-ordered and is the cursor of the log, newest first.

CREATE TABLE audit_events (
    id        TEXT COLLATE "C" PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL,
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

-- Password reset links: single use, one hour, only the SHA-256 of the token kept. A newer link
-- replaces an older unused one.
CREATE TABLE password_resets (
    id         TEXT PRIMARY KEY,
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX password_resets_person ON password_resets (person_id);

-- The outbox learns a fourth kind of mail, the reset link.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('notice', 'digest', 'invitation', 'password_reset'));

-- Two-factor authentication with TOTP (RFC 6238). The secret must be readable to check codes,
-- so it is kept as it is (never in the audit log, never shown again after enrolment);
-- last_step is the newest time step used, so a code never works twice. people.totp_enabled
-- mirrors a confirmed secret, so that reading a person tells whether to ask for a code.
-- Recovery codes are kept as SHA-256 hashes and work once.
ALTER TABLE people ADD COLUMN totp_enabled BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE totp_secrets (
    person_id    TEXT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    secret       TEXT NOT NULL,
    confirmed_at TIMESTAMPTZ,
    last_step    BIGINT NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE TABLE recovery_codes (
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   TIMESTAMPTZ,
    PRIMARY KEY (person_id, code_hash)
);
