-- People and groups each get a GIN index of their own, instead of the one they shared
-- (migration 0014): a query for groups walked every matching person too (a surname: hundreds
-- of people, each fetched from the table to be dropped), and a query for people every
-- matching group.
CREATE INDEX search_docs_people_terms ON search_docs USING gin (terms) WHERE kind = 'person';
CREATE INDEX search_docs_group_terms ON search_docs USING gin (terms) WHERE kind = 'group';
DROP INDEX search_docs_dir_terms;
