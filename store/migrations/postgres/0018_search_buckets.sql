-- Posts and comments carry the lexeme '#<n>' of their bucket of ids (n = id >> 14: 16,384
-- entries of the index each), so that a search can ask the GIN index for the matches among
-- the newest entries only: a GIN index hands its matches over unordered, and for words that
-- come together in tens of thousands of entries reading all of them to keep the newest 200
-- cost half a second (store/search.go, searchBuckets). The trigger adds the lexeme whatever
-- writes the row (a change, or a rebuild of the index); the lexeme is not a word (words are
-- letters and digits), so no query for words matches it.
CREATE FUNCTION search_docs_bucket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind IN ('post', 'comment') THEN
        NEW.terms := NEW.terms || array_to_tsvector(ARRAY['#' || (NEW.id >> 14)]); -- store.searchBucketShift
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER search_docs_bucket BEFORE INSERT OR UPDATE OF terms ON search_docs
    FOR EACH ROW EXECUTE FUNCTION search_docs_bucket();

-- The newest post or comment, where a search starts (people and groups are numbered after
-- all content by a rebuild, so the newest ids overall may hold none).
CREATE INDEX search_docs_content ON search_docs (id) WHERE kind IN ('post', 'comment');

-- The entries already there: without the GIN index, rewritten at once, and indexed again.
DROP INDEX search_docs_terms;
UPDATE search_docs SET terms = terms WHERE kind IN ('post', 'comment');
CREATE INDEX search_docs_terms ON search_docs USING gin (terms);
ANALYZE search_docs;
