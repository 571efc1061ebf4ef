-- The words of the search index (the lexemes 'w:<word>' of search_docs.terms), so that a word
-- being typed is looked up as the few whole words it may become: the GIN index gathers every
-- match of a partial match ('w:vrijwil':*), where of whole words it reads only those it needs
-- (store/dialect.go, completePrefixes; SQLite's twin is its migration 0018). Words are added
-- with the entries that hold them and stay when those go; a rebuild of the index starts the
-- list afresh. The C collation lets LIKE 'prefix%' take the primary key.
CREATE TABLE search_words (
    word TEXT COLLATE "C" PRIMARY KEY
);
INSERT INTO search_words (word)
SELECT DISTINCT substr(w.lexeme, 3) FROM search_docs d, unnest(d.terms) AS w
WHERE w.lexeme LIKE 'w:%';
