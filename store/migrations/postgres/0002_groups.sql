-- Groups and their members. Who may see a group is decided by biebplein.GroupGrant and turned
-- into SQL by store/visibility.go; these indexes serve that predicate: visibility for the
-- groups granted outright, (person_id, status) for the viewer's memberships. Sort keys are
-- COLLATE "C", as in 0001, so that pages and cursors mean the same as on SQLite.

CREATE TABLE groups (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    name_key        TEXT COLLATE "C" NOT NULL, -- lower-cased name: unique and the sort order
    description     TEXT NOT NULL DEFAULT '',
    visibility      TEXT NOT NULL CHECK (visibility IN ('public', 'network', 'organisation', 'closed', 'secret')),
    organisation_id TEXT REFERENCES organisations (id),
    image_id        TEXT NOT NULL DEFAULT '',
    member_count    INTEGER NOT NULL DEFAULT 0, -- rows of group_members with status 'member'
    created_by      TEXT REFERENCES people (id) ON DELETE SET NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX groups_name_key ON groups (name_key);
CREATE INDEX groups_visibility ON groups (visibility);
CREATE INDEX groups_organisation ON groups (organisation_id);

CREATE TABLE group_members (
    group_id   TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('member', 'admin')),
    status     TEXT NOT NULL CHECK (status IN ('member', 'pending', 'invited')),
    invited_by TEXT REFERENCES people (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (group_id, person_id)
);
-- A viewer's groups: the visibility predicate and "my groups".
CREATE INDEX group_members_person ON group_members (person_id, status);
