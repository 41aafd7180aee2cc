-- A running job's scope is compared with a new SyncAll's field by field
-- (the scope_* columns): the canonical text of 0003 could make two scopes
-- look alike (a license class holding ";prefix=" read as another scope).
ALTER TABLE sync_jobs DROP COLUMN scope_key;
