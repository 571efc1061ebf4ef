-- Every page of the home feed and every visibility check starts from the groups a person is
-- a member of, and every feed page reads the viewer's own reactions on its posts; with what
-- is read in the index, both read the index alone.
DROP INDEX group_members_person;
CREATE INDEX group_members_person ON group_members (person_id, status, group_id);
DROP INDEX reactions_person;
CREATE INDEX reactions_person ON reactions (person_id, post_id, kind);
