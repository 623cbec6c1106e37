-- deploytrack schema version 6: deploytrack's precise status beside the host's status column, for a host whose
-- status column has words of its own (adopt --status-map cancelled=failed). NULL on rows only the host wrote (they
-- are read through the map in reverse) and on tables without a status map. Additive.
ALTER TABLE deployment_histories ADD COLUMN deploytrack_status VARCHAR(20);
