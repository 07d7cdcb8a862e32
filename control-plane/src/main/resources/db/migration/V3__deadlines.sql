-- Workcell ledger, version 3: queue deadlines (EXPIRED) and execution timeouts.
ALTER TABLE actions DROP CONSTRAINT actions_status_known;
ALTER TABLE actions ADD CONSTRAINT actions_status_known
    CHECK (status IN ('QUEUED', 'DISPATCHED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED'));
ALTER TABLE actions ADD COLUMN queue_deadline timestamptz NOT NULL DEFAULT (now() + interval '1 day');
ALTER TABLE actions ADD COLUMN execution_timeout_ms bigint NOT NULL DEFAULT 7200000;
CREATE INDEX actions_queue_deadline ON actions (queue_deadline) WHERE status = 'QUEUED';
CREATE INDEX actions_running_since ON actions (started_at) WHERE status = 'RUNNING';
