-- Feeds read the newest posts of each of their sources (a group, a person, a topic, the
-- announcements) and keep these "heads" in memory until the posts change (store/feedcache.go).
--
-- feed_epoch counts the changes to which posts are in a feed: a post written, deleted or
-- restored, edited (its topics), pinned or unpinned, a group's visibility changed. Each
-- change adds one in the transaction that makes it, so a head read at epoch n is right for
-- as long as the epoch is n, on every instance.
CREATE TABLE feed_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO feed_epoch (id, n) VALUES (1, 0);

-- The indexes the feeds walk, newest first, hold what the walk tests (group, deletion, pin),
-- so that a walk reads the index alone and never the posts themselves. Pinned announcements
-- are found newest first, per group or for the whole network, stopping at the first few
-- still pinned; indexed by pinned_until, every page read every pin of the network and sorted
-- them.
DROP INDEX posts_group;
DROP INDEX posts_author;
DROP INDEX posts_pinned;
DROP INDEX posts_announcements;
CREATE INDEX posts_group ON posts (group_id, id, deleted_at);
CREATE INDEX posts_author ON posts (author_id, id, group_id, deleted_at);
CREATE INDEX posts_live ON posts (id, group_id, deleted_at);
CREATE INDEX posts_announcements ON posts (id, group_id, deleted_at) WHERE kind = 'announcement';
CREATE INDEX posts_pinned ON posts (id, group_id, pinned_until, deleted_at)
    WHERE kind = 'announcement' AND pinned_until IS NOT NULL;
CREATE INDEX posts_pinned_group ON posts (group_id, id, pinned_until, deleted_at)
    WHERE kind = 'announcement' AND pinned_until IS NOT NULL;
