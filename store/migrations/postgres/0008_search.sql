-- Full-text search: see the SQLite migration of the same number. On PostgreSQL the terms
-- search.Analyze makes (Dutch Snowball stems, diacritics folded, and the folded words marked
-- "w:" for prefixes) are stored as a tsvector with a GIN index; queries are tsquery literals
-- made by the same package, so both databases find the same.
CREATE TABLE search_docs (
    id         BIGSERIAL PRIMARY KEY,
    kind       TEXT NOT NULL,
    ref_id     TEXT NOT NULL,
    post_id    TEXT,
    group_id   TEXT,
    author_id  TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    title      TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL DEFAULT '',
    stems      TEXT NOT NULL,
    title_len  INTEGER NOT NULL DEFAULT 0,
    terms      TSVECTOR NOT NULL
);
CREATE UNIQUE INDEX search_docs_ref ON search_docs (kind, ref_id);
CREATE INDEX search_docs_post ON search_docs (post_id) WHERE post_id IS NOT NULL;
CREATE INDEX search_docs_terms ON search_docs USING gin (terms);

CREATE TABLE search_state (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO search_state (id, version) VALUES (1, 0);
