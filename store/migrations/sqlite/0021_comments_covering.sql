-- The expertise finder counts the comments on the newest posts of a topic by author
-- (store/expert.go, expertActivity): with the author and the deletion in the index of a
-- post's comments, it reads them from the index alone instead of looking up each comment's
-- row (hundreds per request for a common topic). The index keeps its name and its order, so
-- the comments of a post are still listed from it.
DROP INDEX comments_post;
CREATE INDEX comments_post ON comments (post_id, id, deleted_at, author_id);
