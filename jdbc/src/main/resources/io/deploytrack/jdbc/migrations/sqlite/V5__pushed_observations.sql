-- deploytrack schema version 5: observations pushed (webhooks) to an instance that does not hold the deployment's
-- lease, kept until the holder takes and applies them. Additive; V3 and V4 belong to other changes.
CREATE TABLE deployment_pushes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    deployment_id INTEGER NOT NULL REFERENCES deployment_histories (id) ON DELETE CASCADE,
    check_name    TEXT    NOT NULL,
    via           TEXT    NOT NULL,
    delivery_id   TEXT,
    state         TEXT    NOT NULL,
    source_status TEXT    NOT NULL,
    started_at    TEXT,
    finished_at   TEXT,
    message       TEXT,
    received_at   TEXT    NOT NULL
);
CREATE INDEX ix_deployment_pushes_deployment ON deployment_pushes (deployment_id, id);
