-- deploytrack schema version 11: the rollbacks that name a row found by an index, for repair's merges and for
-- the ON DELETE SET NULL of rollback_of (without it every deleted row scanned the whole table).
CREATE INDEX IF NOT EXISTS ix_deployment_histories_rollback_of ON deployment_histories (rollback_of);
