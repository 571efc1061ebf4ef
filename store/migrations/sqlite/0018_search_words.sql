-- The words of the search index (the FTS5 column words of search_fts and search_dir_fts),
-- so that a word being typed can be looked up as the few whole words it may become: FTS5
-- reads one word's matches newest first and stops, but gathers every match of a prefix
-- before the first (store/search.go, search.Query.Complete). Words are added with the
-- entries that hold them and stay when those go (a word nothing holds finds nothing); a
-- rebuild of the index starts the list afresh. Filled here from the index as it stands
-- (PostgreSQL: its migration 0019).
CREATE TABLE search_words (
    word TEXT PRIMARY KEY
) WITHOUT ROWID;

CREATE VIRTUAL TABLE temp.search_fts_vocab USING fts5vocab(main, search_fts, col);
CREATE VIRTUAL TABLE temp.search_dir_fts_vocab USING fts5vocab(main, search_dir_fts, col);
INSERT OR IGNORE INTO search_words (word) SELECT term FROM temp.search_fts_vocab WHERE col = 'words';
INSERT OR IGNORE INTO search_words (word) SELECT term FROM temp.search_dir_fts_vocab WHERE col = 'words';
DROP TABLE temp.search_fts_vocab;
DROP TABLE temp.search_dir_fts_vocab;
