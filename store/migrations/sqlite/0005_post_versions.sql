-- A post's version moves whenever what every reader of a feed sees of it changes without
-- changing the feed epoch: a comment, a reaction, a read, a vote, an accepted answer, an
-- edit. The first page of a feed keeps its posts in memory and reads only the versions
-- (store/feedcache.go); the index holds the version, so that reading them never reads a post.
ALTER TABLE posts ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
DROP INDEX posts_live;
CREATE INDEX posts_live ON posts (id, group_id, deleted_at, version);
