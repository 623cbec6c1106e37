-- deploytrack schema version 1: the history, one row per check, the event log.
CREATE TABLE deployment_histories (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    github_owner      TEXT    NOT NULL,
    github_repo       TEXT    NOT NULL,
    environment       TEXT    NOT NULL DEFAULT 'production',
    github_commit_sha TEXT    NOT NULL,
    is_rollback       BOOLEAN NOT NULL DEFAULT 0,
    rollback_of       INTEGER REFERENCES deployment_histories (id) ON DELETE SET NULL,
    idempotency_key   TEXT,
    status            TEXT    NOT NULL CHECK (status IN ('running', 'success', 'failed', 'cancelled', 'timed_out')),
    started_at        TEXT    NOT NULL,
    deployed_at       TEXT,
    completed_at      TEXT,
    total_duration    INTEGER,
    error_stage       TEXT,
    error_message     TEXT,
    attributes        TEXT,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);
CREATE UNIQUE INDEX ux_deployment_histories_idempotency_key ON deployment_histories (idempotency_key);
CREATE UNIQUE INDEX ux_deployment_histories_one_running
    ON deployment_histories (github_owner, github_repo, environment, github_commit_sha, is_rollback)
    WHERE status = 'running';
CREATE INDEX ix_deployment_histories_project
    ON deployment_histories (github_owner, github_repo, environment, started_at);
CREATE INDEX ix_deployment_histories_started ON deployment_histories (started_at);
CREATE INDEX ix_deployment_histories_success
    ON deployment_histories (github_owner, github_repo, environment, deployed_at, id)
    WHERE status = 'success';

CREATE TABLE deployment_checks (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    deployment_id       INTEGER NOT NULL REFERENCES deployment_histories (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    name                TEXT    NOT NULL,
    source_type         TEXT    NOT NULL,
    source_ref          TEXT    NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('running', 'success', 'failed', 'cancelled', 'timed_out')),
    started_at          TEXT,
    completed_at        TEXT,
    deadline_at         TEXT,
    last_source_status  TEXT,
    awaiting_approval   BOOLEAN NOT NULL DEFAULT 0,
    message             TEXT,
    timeout_ms          INTEGER NOT NULL,
    approval_timeout_ms INTEGER NOT NULL,
    UNIQUE (deployment_id, name)
);

CREATE TABLE deployment_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    deployment_id INTEGER NOT NULL REFERENCES deployment_histories (id) ON DELETE CASCADE,
    at            TEXT    NOT NULL,
    type          TEXT    NOT NULL,
    check_name    TEXT,
    from_status   TEXT,
    to_status     TEXT,
    source_status TEXT,
    message       TEXT
);
CREATE INDEX ix_deployment_events_deployment ON deployment_events (deployment_id, id);
CREATE INDEX ix_deployment_events_at ON deployment_events (at);
