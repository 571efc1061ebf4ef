-- cache_epochs counts the changes to what a store keeps in memory between requests, one row
-- per cache, so that every instance of the program sees another's change at its next read:
-- 'profiles' is bumped with every change to a person's tags, function or activation, which
-- the expertise finder keeps in memory (store/expert_cache.go).
CREATE TABLE cache_epochs (
    name TEXT PRIMARY KEY,
    n    BIGINT NOT NULL
);
INSERT INTO cache_epochs (name, n) VALUES ('profiles', 0);
