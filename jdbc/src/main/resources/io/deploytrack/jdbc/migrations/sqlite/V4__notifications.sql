-- deploytrack schema version 4: the delivery log of notifications. deployment_events is the outbox; each row here is
-- one event to be delivered (or delivered, or given up on) by one channel, unique per (channel, event).
CREATE TABLE deployment_notifications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    channel         TEXT    NOT NULL,
    event_id        INTEGER NOT NULL,
    deployment_id   INTEGER NOT NULL REFERENCES deployment_histories (id) ON DELETE CASCADE,
    event_type      TEXT    NOT NULL,
    event_status    TEXT,
    event_at        TEXT    NOT NULL,
    event_message   TEXT,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    last_error      TEXT,
    delivered_at    TEXT,
    lease_owner     TEXT,
    lease_until     TEXT,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    UNIQUE (channel, event_id)
);
CREATE INDEX ix_deployment_notifications_due ON deployment_notifications (status, next_attempt_at);
CREATE INDEX ix_deployment_notifications_deployment ON deployment_notifications (deployment_id, channel, event_id);

-- How far each channel has read the event log: a channel delivers the events written after it was first configured.
CREATE TABLE deployment_notification_channels (
    channel         TEXT    PRIMARY KEY,
    scanned_to      INTEGER NOT NULL,
    created_at      TEXT    NOT NULL
);
