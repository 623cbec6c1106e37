-- deploytrack schema version 11: the rollbacks that name a row found by an index, for repair's merges and for
-- the ON DELETE SET NULL of rollback_of; ${rollback_of} is the host's column where adopt mapped the link onto it (without it every deleted row scanned the whole table).
CREATE INDEX IF NOT EXISTS ix_deployment_histories_rollback_of ON deployment_histories (${rollback_of});
