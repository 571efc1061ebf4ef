-- The buckets of ids of migration 0018 become two sizes: posts and comments carry '#f<n>'
-- (n = id >> 12: 4,096 entries) and '#c<n>' (n = id >> 16: sixteen of those). A search for a
-- common word asks for its matches in the newest fine bucket, and the GIN index then reads
-- a fine bucket's 4,096 entries rather than 16,384; a rarer word asks for many buckets at
-- once, where the coarse ones keep the query short (the index checks every match against
-- every bucket named). store/search.go, searchBuckets and bucketLexemes.
CREATE OR REPLACE FUNCTION search_docs_bucket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind IN ('post', 'comment') THEN
        -- store.searchBucketShift and searchCoarseShift
        NEW.terms := NEW.terms || array_to_tsvector(ARRAY['#f' || (NEW.id >> 12), '#c' || (NEW.id >> 16)]);
    END IF;
    RETURN NEW;
END
$$;

-- The entries already there lose the old lexeme and get the new ones from the trigger;
-- without the GIN index, which is made again at the end.
DROP INDEX search_docs_terms;
UPDATE search_docs SET terms = ts_delete(terms, '#' || (id >> 14)) WHERE kind IN ('post', 'comment');
CREATE INDEX search_docs_terms ON search_docs USING gin (terms);
ANALYZE search_docs;
