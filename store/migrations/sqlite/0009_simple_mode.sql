-- Simple mode (issue 6): larger text and targets, one column, fewer choices and plain
-- language, chosen by the person or by an administrator for them. Off for everyone at first.

ALTER TABLE people ADD COLUMN simple BOOLEAN NOT NULL DEFAULT FALSE;
