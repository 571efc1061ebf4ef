-- People and groups get a full-text table of their own. In one table with the posts and
-- comments, a query for people would walk every matching post to find the few people among
-- them; apart, each kind's query reads only its own matches. Posts and comments (and later
-- articles and events) stay in search_fts.
CREATE VIRTUAL TABLE search_dir_fts USING fts5 (
    stems, words,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);
-- Rebuild the index at the next start, into both tables.
UPDATE search_state SET version = 0;
