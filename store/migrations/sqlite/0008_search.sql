-- Full-text search. Every searchable thing (post, comment, person, group; later articles and
-- events) is one row of search_docs, written in the transaction of the change that makes or
-- alters it, with the stems and folded words that the search package makes of its text in
-- search_fts. The terms are made in Go (search.Analyze: Dutch Snowball stems, diacritics
-- folded), not by a tokenizer of the database, so that SQLite and PostgreSQL find the same.
--
-- group_id is what decides who may find a row: the group of a post or comment, the group
-- itself for a group, none for a person. The search query carries the visibility predicate
-- of every list (store/visibility.go), so a page of results holds only what its reader may see.
CREATE TABLE search_docs (
    id         INTEGER PRIMARY KEY, -- the rowid of search_fts; grows with time
    kind       TEXT NOT NULL,
    ref_id     TEXT NOT NULL,       -- the id of the post, comment, person or group
    post_id    TEXT,                -- the post of a comment (and of a post: itself)
    group_id   TEXT,
    author_id  TEXT,
    created_at TIMESTAMP NOT NULL,
    title      TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL DEFAULT '', -- plain text, for snippets
    stems      TEXT NOT NULL,            -- for scoring (search.Score)
    title_len  INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX search_docs_ref ON search_docs (kind, ref_id);
CREATE INDEX search_docs_post ON search_docs (post_id) WHERE post_id IS NOT NULL;

-- Contentless: the text lives in search_docs; contentless_delete lets a row be replaced.
CREATE VIRTUAL TABLE search_fts USING fts5 (
    stems, words,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- The version of search.Analyze the index was built with; the store rebuilds the index at
-- start when it differs (also to fill it the first time).
CREATE TABLE search_state (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO search_state (id, version) VALUES (1, 0);
