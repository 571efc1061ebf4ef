-- People and groups: a GIN index of their own (see the SQLite migration of the same number),
-- so that a query for people never walks the matching posts.
CREATE INDEX search_docs_dir_terms ON search_docs USING gin (terms) WHERE kind IN ('person', 'group');
UPDATE search_state SET version = 0;
