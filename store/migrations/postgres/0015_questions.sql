-- "Stel een vraag" (issue 5, sparring questions): the network-wide "Vraag en antwoord" space,
-- the people a question asks directly, advisors of the support organisations, and which
-- questions were forwarded to them because nobody answered.

-- The one group that is the "Vraag en antwoord" space (at most one: the partial index). The
-- store makes it when it is first needed (EnsureQuestionSpace); everyone who may read it may
-- post questions in it without joining.
ALTER TABLE groups ADD COLUMN questions BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX groups_questions ON groups (questions) WHERE questions;

-- An administrator marks advisors: they receive the questions nobody answered.
ALTER TABLE people ADD COLUMN advisor BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX people_advisors ON people (organisation_id) WHERE advisor;

-- When an unanswered question went to the advisors; NULL: not (yet).
ALTER TABLE posts ADD COLUMN escalated_at TIMESTAMPTZ;
-- The questions the escalation job looks at: open ones, oldest first.
CREATE INDEX posts_open_questions ON posts (created_at)
    WHERE kind = 'question' AND escalated_at IS NULL AND accepted_comment_id IS NULL AND deleted_at IS NULL;

-- The people (at most five) a question asked directly.
CREATE TABLE question_asks (
    post_id    TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    person_id  TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (post_id, person_id)
);
