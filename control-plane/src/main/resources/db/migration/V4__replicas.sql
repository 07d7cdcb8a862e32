-- Workcell ledger, version 4: several control-plane replicas on one database.

-- Live replicas; each refreshes last_seen every second. One not seen for workcell.cluster.replica-timeout
-- is dead: its workers go offline and their attempts start their grace period.
CREATE TABLE replicas (
    id          text PRIMARY KEY,
    started_at  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now()
);

-- The replica whose agent stream holds a live worker.
ALTER TABLE workers ADD COLUMN replica_id text;
