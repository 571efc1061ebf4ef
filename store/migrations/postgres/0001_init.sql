-- Organisations, people, sessions, API tokens, invitations and sign-in throttling.
-- Times are timestamptz. Sort keys are COLLATE "C" so that names and tags sort byte-wise, as
-- in SQLite, whatever the database's locale: pages and cursors then mean the same on both.

CREATE TABLE organisations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    name_key   TEXT COLLATE "C" NOT NULL, -- lower-cased name: unique and the sort order
    kind       TEXT NOT NULL CHECK (kind IN ('support', 'library', 'branch', 'partner')),
    parent_id  TEXT REFERENCES organisations (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX organisations_name_key ON organisations (name_key);
CREATE INDEX organisations_parent ON organisations (parent_id);

CREATE TABLE people (
    id              TEXT PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE, -- stored lower case
    name            TEXT NOT NULL,
    name_key        TEXT COLLATE "C" NOT NULL, -- lower-cased name: the directory's sort order and search
    kind            TEXT NOT NULL CHECK (kind IN ('staff', 'volunteer', 'partner')),
    admin           BOOLEAN NOT NULL DEFAULT FALSE,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    function        TEXT NOT NULL DEFAULT '',
    bio             TEXT NOT NULL DEFAULT '',
    locale          TEXT NOT NULL DEFAULT 'nl',
    password_hash   TEXT NOT NULL DEFAULT '',
    deactivated_at  TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX people_name_key ON people (name_key, id);
CREATE INDEX people_organisation ON people (organisation_id);

CREATE TABLE person_tags (
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('expertise', 'interest')),
    tag       TEXT COLLATE "C" NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (person_id, kind, tag)
);
-- "Who knows about X": the directory's expertise filter and the tag suggestions.
CREATE INDEX person_tags_kind_tag ON person_tags (kind, tag, person_id);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    csrf_token   TEXT NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT '',
    ip           TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_person ON api_tokens (person_id);

CREATE TABLE invitations (
    id         TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL CHECK (purpose IN ('join', 'setup')),
    person_id  TEXT REFERENCES people (id) ON DELETE CASCADE,
    created_by TEXT REFERENCES people (id) ON DELETE SET NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    CHECK (purpose = 'setup' OR person_id IS NOT NULL)
);
CREATE INDEX invitations_person ON invitations (person_id);
CREATE INDEX invitations_created_by ON invitations (created_by);

CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);
CREATE INDEX login_failures_at ON login_failures (at);
