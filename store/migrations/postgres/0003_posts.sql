-- Posts and everything hanging off them: revisions, topics, mentions, comments, reactions,
-- polls, reads, bookmarks and attachments; follows and the "last visit" of feeds.
--
-- Post ids are time-ordered (biebplein.NewID), so ORDER BY id DESC is newest first and the
-- feeds page on (…, id) indexes. Counts shown on every post (comments, reactions, reads,
-- votes) are kept in columns, changed in the same transaction as the rows they count, so that
-- a feed page never counts rows. Times are timestamptz; topics and follow targets are
-- COLLATE "C", as the keys of 0001, so that both databases compare them byte-wise.

CREATE TABLE posts (
    id                  TEXT PRIMARY KEY,
    group_id            TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    author_id           TEXT NOT NULL REFERENCES people (id),
    kind                TEXT NOT NULL CHECK (kind IN ('post', 'question', 'poll', 'announcement')),
    body                TEXT NOT NULL, -- Markdown as written
    html                TEXT NOT NULL, -- sanitised rendering
    text                TEXT NOT NULL, -- plain text, for search and snippets
    accepted_comment_id TEXT,          -- checked by the store: a comment of this post
    pinned_until        TIMESTAMPTZ,
    comment_count       INTEGER NOT NULL DEFAULT 0,
    like_count          INTEGER NOT NULL DEFAULT 0,
    thanks_count        INTEGER NOT NULL DEFAULT 0,
    insightful_count    INTEGER NOT NULL DEFAULT 0,
    celebrate_count     INTEGER NOT NULL DEFAULT 0,
    read_count          INTEGER NOT NULL DEFAULT 0,
    created_at          TIMESTAMPTZ NOT NULL,
    edited_at           TIMESTAMPTZ,
    deleted_at          TIMESTAMPTZ,
    deleted_by          TEXT REFERENCES people (id)
);
-- The group feed and the person feed.
CREATE INDEX posts_group ON posts (group_id, id);
CREATE INDEX posts_author ON posts (author_id, id);
-- Pinned announcements, read on the first page of every home and group feed: only the few
-- announcements ever pinned are in it.
CREATE INDEX posts_pinned ON posts (pinned_until) WHERE kind = 'announcement' AND pinned_until IS NOT NULL;
-- The home feed's "announcements for everyone" source, newest first.
CREATE INDEX posts_announcements ON posts (id) WHERE kind = 'announcement';

-- Earlier bodies: each row is the body an edit replaced, with that edit's time and editor.
CREATE TABLE post_revisions (
    post_id   TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    version   INTEGER NOT NULL, -- 1 for the first body, counting up
    body      TEXT NOT NULL,
    edited_at TIMESTAMPTZ NOT NULL,
    edited_by TEXT NOT NULL REFERENCES people (id),
    PRIMARY KEY (post_id, version)
);

CREATE TABLE post_topics (
    post_id  TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    topic    TEXT COLLATE "C" NOT NULL, -- biebplein.NormalizeTag
    position INTEGER NOT NULL,
    PRIMARY KEY (post_id, topic)
);
-- The topic feed, and the home feed's followed topics.
CREATE INDEX post_topics_topic ON post_topics (topic, post_id);

CREATE TABLE post_mentions (
    post_id   TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('person', 'group')),
    target_id TEXT NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (post_id, kind, target_id)
);
-- "Posts that mention me".
CREATE INDEX post_mentions_target ON post_mentions (kind, target_id, post_id);

CREATE TABLE comments (
    id         TEXT PRIMARY KEY,
    post_id    TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    parent_id  TEXT REFERENCES comments (id) ON DELETE CASCADE,
    author_id  TEXT NOT NULL REFERENCES people (id),
    body       TEXT NOT NULL,
    html       TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    edited_at  TIMESTAMPTZ,
    deleted_at TIMESTAMPTZ
);
CREATE INDEX comments_post ON comments (post_id, id);
CREATE INDEX comments_parent ON comments (parent_id);
CREATE INDEX comments_author ON comments (author_id);

CREATE TABLE comment_mentions (
    comment_id TEXT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('person', 'group')),
    target_id  TEXT NOT NULL,
    position   INTEGER NOT NULL,
    PRIMARY KEY (comment_id, kind, target_id)
);
CREATE INDEX comment_mentions_target ON comment_mentions (kind, target_id);

CREATE TABLE reactions (
    post_id    TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('like', 'thanks', 'insightful', 'celebrate')),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (post_id, person_id, kind)
);
-- The viewer's own reactions on a page of posts, and "who reacted" in order.
CREATE INDEX reactions_person ON reactions (person_id, post_id);
CREATE INDEX reactions_post_kind ON reactions (post_id, kind, created_at);

CREATE TABLE polls (
    post_id   TEXT PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    multiple  BOOLEAN NOT NULL DEFAULT FALSE,
    closes_at TIMESTAMPTZ,
    voters    INTEGER NOT NULL DEFAULT 0 -- people with at least one vote
);

CREATE TABLE poll_options (
    id       TEXT PRIMARY KEY,
    post_id  TEXT NOT NULL REFERENCES polls (post_id) ON DELETE CASCADE,
    label    TEXT NOT NULL,
    position INTEGER NOT NULL,
    votes    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX poll_options_post ON poll_options (post_id, position);

CREATE TABLE poll_votes (
    post_id   TEXT NOT NULL REFERENCES polls (post_id) ON DELETE CASCADE,
    option_id TEXT NOT NULL REFERENCES poll_options (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (option_id, person_id)
);
CREATE INDEX poll_votes_person ON poll_votes (person_id, post_id);

CREATE TABLE post_reads (
    post_id   TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    read_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (post_id, person_id)
);
CREATE INDEX post_reads_person ON post_reads (person_id, post_id);

CREATE TABLE bookmarks (
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    post_id    TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, post_id)
);
-- The saved feed, most recently saved first.
CREATE INDEX bookmarks_person_created ON bookmarks (person_id, created_at, post_id);

CREATE TABLE attachments (
    post_id      TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    file_id      TEXT NOT NULL, -- the media file
    kind         TEXT NOT NULL CHECK (kind IN ('image', 'document', 'video')),
    content_type TEXT NOT NULL,
    name         TEXT NOT NULL,
    size         BIGINT NOT NULL,
    width        INTEGER NOT NULL DEFAULT 0,
    height       INTEGER NOT NULL DEFAULT 0,
    has_thumb    BOOLEAN NOT NULL DEFAULT FALSE,
    position     INTEGER NOT NULL,
    PRIMARY KEY (post_id, file_id)
);
-- Which posts carry a file, for the download check.
CREATE INDEX attachments_file ON attachments (file_id);

CREATE TABLE follows (
    person_id   TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('person', 'topic')),
    target      TEXT COLLATE "C" NOT NULL, -- a person id or a normalised topic
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, target_kind, target)
);
-- Followers of a person or a topic.
CREATE INDEX follows_target ON follows (target_kind, target);

CREATE TABLE feed_seen (
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    feed      TEXT NOT NULL,
    seen_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, feed)
);

-- Mentions by handle ("@anna.de.vries"): the name key with its spaces as dots.
CREATE INDEX people_handle ON people ((replace(name_key, ' ', '.')));
