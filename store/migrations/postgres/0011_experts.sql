-- The expertise finder (issue 5): tags, topics and functions are matched folded (lower case,
-- no diacritics: coöperatie = cooperatie), by search.Fold in Go. The folded keys are columns
-- beside the spelling people gave. Rows of plain ASCII fold to themselves and are filled
-- here; the store folds the others in Go when it starts (store/expert.go, refoldKeys).
ALTER TABLE person_tags ADD COLUMN tag_key TEXT NOT NULL DEFAULT '';
ALTER TABLE post_topics ADD COLUMN topic_key TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN function_key TEXT NOT NULL DEFAULT '';
UPDATE person_tags SET tag_key = tag WHERE tag !~ '[^ -~]';
UPDATE post_topics SET topic_key = topic WHERE topic !~ '[^ -~]';
UPDATE people SET function_key = lower(function) WHERE function !~ '[^ -~]';

-- People with a tag, whatever its kind, and the posts with a topic, newest first.
CREATE INDEX person_tags_key ON person_tags (tag_key, kind, person_id);
CREATE INDEX post_topics_key ON post_topics (topic_key, post_id);
-- Questions with an accepted answer, whose text the finder reads for the topic's word.
CREATE INDEX posts_answered ON posts (id, group_id, accepted_comment_id)
    WHERE accepted_comment_id IS NOT NULL AND kind = 'question' AND deleted_at IS NULL;

-- How often each topic is used on posts of public groups (what everyone may read), recounted
-- by the hourly housekeeping: tag suggestions rank by it without counting a million rows.
CREATE TABLE topic_counts (
    topic_key TEXT PRIMARY KEY,
    topic     TEXT NOT NULL, -- the most used spelling
    posts     INTEGER NOT NULL
);
