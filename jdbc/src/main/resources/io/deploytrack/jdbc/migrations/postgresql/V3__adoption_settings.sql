-- deploytrack schema version 3: adoption settings (deploytrack adopt --apply) kept in the database itself, so that
-- every later command and every store opened on it reads a host's table the same way: the zone of naive times,
-- host columns that hold deploytrack's fields (map.*), values for the host's own columns (default.*).
CREATE TABLE IF NOT EXISTS deploytrack_settings (
    name  VARCHAR(200) PRIMARY KEY,
    value TEXT         NOT NULL
);
