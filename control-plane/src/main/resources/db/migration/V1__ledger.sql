-- Workcell ledger, version 1. Flyway applies this once; later changes are new V<n>__*.sql files, never edits.

-- Every device the farm has seen: hosts and targets. The id comes from the device's identity
-- (serial, else hardware and name), so a re-plugged device keeps its id.
CREATE TABLE devices (
    id          text PRIMARY KEY,
    serial      text NOT NULL DEFAULT '',
    name        text NOT NULL,
    info        bytea NOT NULL,            -- workcell.v1.Device, latest description
    first_seen  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_by_serial ON devices (serial) WHERE serial <> '';

-- Workers as last seen: one per (host, target). "live" is true while an agent stream holds it.
CREATE TABLE workers (
    id          text PRIMARY KEY,
    host_id     text NOT NULL REFERENCES devices (id),
    target_id   text NOT NULL REFERENCES devices (id),
    operations  text[] NOT NULL,
    live        boolean NOT NULL DEFAULT false,
    last_seen   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (host_id, target_id)
);
CREATE INDEX workers_by_target ON workers (target_id);

-- Actions, current state. The history is in action_events.
CREATE TABLE actions (
    seq               bigserial NOT NULL UNIQUE,   -- submission order
    id                text PRIMARY KEY,
    operation         text NOT NULL,
    input             bytea NOT NULL,              -- workcell.v1.ActionInput, deterministic encoding
    input_hash        text NOT NULL,               -- sha-256 of input, for EquivalentAction
    host_id           text NOT NULL,
    target_id         text NOT NULL REFERENCES devices (id),
    status            text NOT NULL,
    attempt           integer NOT NULL DEFAULT 1,
    max_attempts      integer NOT NULL,
    worker_id         text,                        -- holder of the current attempt
    output            bytea,                       -- workcell.v1.ActionOutput of the last finished attempt
    error             text NOT NULL DEFAULT '',
    failure           text NOT NULL DEFAULT '',
    idempotency_key   text UNIQUE,
    cancel_requested  boolean NOT NULL DEFAULT false,
    not_before        timestamptz NOT NULL DEFAULT now(),  -- retry backoff
    lease_expires_at  timestamptz,                 -- set while the holder is disconnected
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    finished_at       timestamptz,
    CONSTRAINT actions_status_known CHECK (status IN ('QUEUED', 'DISPATCHED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'))
);
-- One task at a time per target device, whatever replica dispatches it.
CREATE UNIQUE INDEX actions_one_active_per_target ON actions (target_id) WHERE status IN ('DISPATCHED', 'RUNNING');
-- At most one in-flight action per EquivalentAction key.
CREATE UNIQUE INDEX actions_one_in_flight_equivalent ON actions (operation, host_id, target_id, input_hash)
    WHERE status IN ('QUEUED', 'DISPATCHED', 'RUNNING');
CREATE INDEX actions_queue ON actions (target_id, seq) WHERE status = 'QUEUED';
CREATE INDEX actions_by_worker ON actions (worker_id) WHERE status IN ('DISPATCHED', 'RUNNING');
CREATE INDEX actions_by_equivalence ON actions (operation, target_id, input_hash, seq);
CREATE INDEX actions_by_created ON actions (created_at);

-- Append-only: one row per transition, never updated or deleted.
CREATE TABLE action_events (
    seq          bigserial PRIMARY KEY,
    action_id    text NOT NULL REFERENCES actions (id),
    attempt      integer NOT NULL,
    from_status  text,
    to_status    text NOT NULL,
    reason       text NOT NULL,
    worker_id    text,
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX action_events_by_action ON action_events (action_id, seq);
