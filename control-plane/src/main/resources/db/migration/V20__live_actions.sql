-- The hot path's schema (issue 13; README "Database and schema"): the live queue apart from the history.
--
-- Every index of `actions` that named status (the queues, the one-task-per-device and in-flight
-- EquivalentAction guards, the deadline and lease sweeps, the quota count) made every transition a
-- non-HOT update that wrote most of its 16 indexes. Those indexes now live on `live_actions`, a narrow
-- copy of the actions that are QUEUED, DISPATCHED or RUNNING, kept by triggers on `actions` so that
-- no writer (the ledger, a test, a bench preload) can forget it. `actions` keeps only indexes on
-- columns a transition of an action by target never changes, so those transitions are HOT; a
-- finished action leaves `live_actions`, which stays as small as the farm's current work.

CREATE TABLE live_actions (
    id                    text PRIMARY KEY,
    status                text NOT NULL,
    operation             text NOT NULL,
    host_id               text,
    target_id             text,
    input_hash            text NOT NULL,
    dimension_set_id      bigint,
    submitted_by          text NOT NULL,
    queue_rank            timestamptz NOT NULL,
    seq                   bigint NOT NULL,
    not_before            timestamptz NOT NULL,
    queue_deadline        timestamptz NOT NULL,
    slice_deadline        timestamptz,
    worker_id             text,
    started_at            timestamptz,
    execution_timeout_ms  bigint NOT NULL,
    lease_expires_at      timestamptz
) WITH (fillfactor = 80,
        -- all of it churns: keep its statistics and free space current
        autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000,
        autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 2000);

-- The guards, as before but on the live rows only.
CREATE UNIQUE INDEX live_actions_one_active_per_target ON live_actions (target_id) WHERE status IN ('DISPATCHED', 'RUNNING');
CREATE UNIQUE INDEX live_actions_one_in_flight_equivalent ON live_actions (operation, host_id, target_id, input_hash)
    WHERE dimension_set_id IS NULL;
-- The queues, in Ledger.FIRST_WAITING order.
CREATE INDEX live_actions_queue ON live_actions (target_id, queue_rank, seq) WHERE status = 'QUEUED';
CREATE INDEX live_actions_dimension_queue ON live_actions (dimension_set_id, queue_rank, seq)
    WHERE status = 'QUEUED' AND dimension_set_id IS NOT NULL;
-- What the sweeps and the quota read.
CREATE INDEX live_actions_queue_deadline ON live_actions (queue_deadline) WHERE status = 'QUEUED';
CREATE INDEX live_actions_slice_deadline ON live_actions (slice_deadline) WHERE status = 'QUEUED' AND slice_deadline IS NOT NULL;
CREATE INDEX live_actions_by_worker ON live_actions (worker_id) WHERE status IN ('DISPATCHED', 'RUNNING');
CREATE INDEX live_actions_in_flight_by_submitter ON live_actions (submitted_by) WHERE status IN ('DISPATCHED', 'RUNNING');

-- A report tells RUNNING from DISPATCHED by started_at, which a claim now clears (Ledger.STATUS_BEFORE_REPORT).
UPDATE actions SET started_at = NULL WHERE status = 'DISPATCHED';

INSERT INTO live_actions
SELECT id, status, operation, host_id, target_id, input_hash, dimension_set_id, submitted_by, queue_rank, seq, not_before,
       queue_deadline, slice_deadline, worker_id, started_at, execution_timeout_ms, lease_expires_at
FROM actions WHERE status IN ('QUEUED', 'DISPATCHED', 'RUNNING');

-- Inserts: once per statement, so that a batch of N actions costs one insert here.
CREATE FUNCTION live_actions_add_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO live_actions
    SELECT id, status, operation, host_id, target_id, input_hash, dimension_set_id, submitted_by, queue_rank, seq, not_before,
           queue_deadline, slice_deadline, worker_id, started_at, execution_timeout_ms, lease_expires_at
    FROM inserted WHERE status IN ('QUEUED', 'DISPATCHED', 'RUNNING');
    RETURN NULL;
END
$$;
CREATE TRIGGER actions_live_insert AFTER INSERT ON actions REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION live_actions_add_inserted();

-- Updates: per row and before it, so that the quota trigger (which runs first, by name) of a later
-- row of the same statement counts this one, and a claim that breaks a guard fails as it did.
CREATE FUNCTION live_actions_follow_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status NOT IN ('QUEUED', 'DISPATCHED', 'RUNNING') THEN
        DELETE FROM live_actions WHERE id = OLD.id;
    ELSIF OLD.status IN ('QUEUED', 'DISPATCHED', 'RUNNING') THEN
        UPDATE live_actions SET status = NEW.status, host_id = NEW.host_id, target_id = NEW.target_id,
            dimension_set_id = NEW.dimension_set_id, queue_rank = NEW.queue_rank, not_before = NEW.not_before,
            queue_deadline = NEW.queue_deadline, slice_deadline = NEW.slice_deadline, worker_id = NEW.worker_id,
            started_at = NEW.started_at, lease_expires_at = NEW.lease_expires_at
        WHERE id = NEW.id;
    ELSE
        INSERT INTO live_actions VALUES (NEW.id, NEW.status, NEW.operation, NEW.host_id, NEW.target_id, NEW.input_hash,
            NEW.dimension_set_id, NEW.submitted_by, NEW.queue_rank, NEW.seq, NEW.not_before, NEW.queue_deadline,
            NEW.slice_deadline, NEW.worker_id, NEW.started_at, NEW.execution_timeout_ms, NEW.lease_expires_at);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER actions_live_update BEFORE UPDATE ON actions FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.worker_id IS DISTINCT FROM NEW.worker_id
          OR OLD.target_id IS DISTINCT FROM NEW.target_id OR OLD.host_id IS DISTINCT FROM NEW.host_id
          OR OLD.dimension_set_id IS DISTINCT FROM NEW.dimension_set_id OR OLD.not_before IS DISTINCT FROM NEW.not_before
          OR OLD.queue_deadline IS DISTINCT FROM NEW.queue_deadline OR OLD.slice_deadline IS DISTINCT FROM NEW.slice_deadline
          OR OLD.started_at IS DISTINCT FROM NEW.started_at OR OLD.lease_expires_at IS DISTINCT FROM NEW.lease_expires_at
          OR OLD.queue_rank IS DISTINCT FROM NEW.queue_rank)
    EXECUTE FUNCTION live_actions_follow_update();

CREATE FUNCTION live_actions_drop_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM live_actions WHERE id IN (SELECT id FROM deleted);
    RETURN NULL;
END
$$;
CREATE TRIGGER actions_live_delete AFTER DELETE ON actions REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION live_actions_drop_deleted();

-- The quota's exact check counts the live rows (see V15).
CREATE OR REPLACE FUNCTION claim_within_quota() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    allowed integer;
BEGIN
    SELECT max_running INTO allowed FROM submitter_quotas WHERE submitter = NEW.submitted_by FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NEW;
    END IF;
    IF (SELECT count(*) FROM live_actions
        WHERE submitted_by = NEW.submitted_by AND status IN ('DISPATCHED', 'RUNNING')) >= allowed THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;

-- What `actions` no longer needs: the status indexes, now on live_actions.
DROP INDEX actions_one_active_per_target;
DROP INDEX actions_one_in_flight_equivalent;
DROP INDEX actions_queue;
DROP INDEX actions_dimension_queue;
DROP INDEX actions_queue_deadline;
DROP INDEX actions_slice_deadline;
DROP INDEX actions_running_since;
DROP INDEX actions_by_worker;
DROP INDEX actions_in_flight_by_submitter;

-- An event is written by the statement that changes its action (Ledger), so the foreign key's
-- check per event proves nothing the statement does not.
ALTER TABLE action_events DROP CONSTRAINT action_events_action_id_fkey;

-- Room on each page for the HOT versions of a row's transitions, and statistics kept fresh while
-- the ledger grows (the default waits for 10 % of the table to change).
ALTER TABLE actions SET (fillfactor = 70, autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 1000,
                         autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);
ALTER TABLE action_events SET (autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 1000,
                               autovacuum_vacuum_insert_scale_factor = 0.02);
