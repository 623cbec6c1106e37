-- deploytrack schema version 2 (PostgreSQL): leases, so that several instances share the work and a restart resumes
-- it, and the completion notice, so that onCompleted runs once even across a crash.
ALTER TABLE deployment_histories ADD COLUMN lease_owner TEXT;
ALTER TABLE deployment_histories ADD COLUMN lease_until TIMESTAMPTZ;
ALTER TABLE deployment_histories ADD COLUMN completion_notified BOOLEAN NOT NULL DEFAULT FALSE;
-- Rows that ended before this version existed were reported by whatever ran then.
UPDATE deployment_histories SET completion_notified = TRUE WHERE status <> 'running';
CREATE INDEX ix_deployment_histories_needs_instance
    ON deployment_histories (lease_until)
    WHERE status = 'running' OR completion_notified = FALSE;
