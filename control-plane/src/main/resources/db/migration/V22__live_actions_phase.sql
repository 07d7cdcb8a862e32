-- live_actions follows an action's phase, not each status (issue 13; README "Database and schema").
--
-- Every status change fired the row trigger that keeps live_actions, and the RUNNING report, which
-- only moves an attempt from DISPATCHED to RUNNING, rewrote the copy through five of its indexes
-- (status is in their predicates). perf over benchmark 1 put that trigger at 19 % of PostgreSQL's CPU.
-- No reader of live_actions tells DISPATCHED from RUNNING (they all ask for both), so the copy now
-- keeps the status of the action's phase: QUEUED, DISPATCHED (dispatched or running) or HELD; a RUNNING
-- report leaves it alone and fires no trigger. The execution deadline's sweep, the one reader of
-- started_at, narrows its candidates by dispatched_at (an attempt starts after it is dispatched) and
-- reads started_at from actions. The copy also keeps when its action entered the queue, so that the
-- queue gauges (every 5 s) and the pools' view no longer look each waiting action up in actions.

ALTER TABLE live_actions RENAME COLUMN started_at TO dispatched_at;
ALTER TABLE live_actions ADD COLUMN queued_at timestamptz;
UPDATE live_actions l SET status = 'DISPATCHED', dispatched_at = a.updated_at
    FROM actions a WHERE a.id = l.id AND l.status IN ('DISPATCHED', 'RUNNING');
UPDATE live_actions l SET queued_at = a.updated_at FROM actions a WHERE a.id = l.id AND l.status = 'QUEUED';

CREATE OR REPLACE FUNCTION live_actions_add_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO live_actions
    SELECT id, CASE WHEN status = 'RUNNING' THEN 'DISPATCHED' ELSE status END, operation, host_id, target_id, input_hash,
           dimension_set_id, submitted_by, queue_rank, seq, not_before, queue_deadline, slice_deadline, worker_id,
           CASE WHEN status <> 'QUEUED' THEN now() END, execution_timeout_ms, lease_expires_at,
           CASE WHEN status = 'QUEUED' THEN now() END
    FROM inserted WHERE status IN ('QUEUED', 'DISPATCHED', 'RUNNING');
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION live_actions_follow_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status NOT IN ('QUEUED', 'DISPATCHED', 'RUNNING') THEN
        DELETE FROM live_actions WHERE id = OLD.id;
    ELSIF OLD.status IN ('QUEUED', 'DISPATCHED', 'RUNNING') THEN
        UPDATE live_actions SET status = CASE WHEN NEW.status = 'RUNNING' THEN 'DISPATCHED' ELSE NEW.status END,
            host_id = NEW.host_id, target_id = NEW.target_id, dimension_set_id = NEW.dimension_set_id,
            queue_rank = NEW.queue_rank, not_before = NEW.not_before, queue_deadline = NEW.queue_deadline,
            slice_deadline = NEW.slice_deadline, worker_id = NEW.worker_id,
            dispatched_at = CASE WHEN NEW.status = 'QUEUED' THEN NULL
                                 WHEN OLD.status = 'QUEUED' THEN now() ELSE dispatched_at END,
            queued_at = CASE WHEN NEW.status <> 'QUEUED' THEN NULL
                             WHEN OLD.status <> 'QUEUED' THEN now() ELSE queued_at END,
            lease_expires_at = NEW.lease_expires_at
        WHERE id = NEW.id;
    ELSE
        INSERT INTO live_actions VALUES (NEW.id, CASE WHEN NEW.status = 'RUNNING' THEN 'DISPATCHED' ELSE NEW.status END,
            NEW.operation, NEW.host_id, NEW.target_id, NEW.input_hash, NEW.dimension_set_id, NEW.submitted_by, NEW.queue_rank,
            NEW.seq, NEW.not_before, NEW.queue_deadline, NEW.slice_deadline, NEW.worker_id,
            CASE WHEN NEW.status <> 'QUEUED' THEN now() END, NEW.execution_timeout_ms, NEW.lease_expires_at,
            CASE WHEN NEW.status = 'QUEUED' THEN now() END);
    END IF;
    -- A gang's companions are held from its dispatch to the end of its attempt.
    IF OLD.status IN ('DISPATCHED', 'RUNNING') AND NEW.status NOT IN ('DISPATCHED', 'RUNNING') AND OLD.companions IS NOT NULL THEN
        DELETE FROM live_actions WHERE id IN (SELECT OLD.id || '@' || companion FROM unnest(OLD.companions) AS companion);
    ELSIF OLD.status = 'QUEUED' AND NEW.status = 'DISPATCHED' AND NEW.companions IS NOT NULL THEN
        INSERT INTO live_actions
        SELECT NEW.id || '@' || companion, 'HELD', NEW.operation, NEW.host_id, companion, NEW.input_hash, NEW.dimension_set_id,
               NEW.submitted_by, NEW.queue_rank, NEW.seq, NEW.not_before, NEW.queue_deadline, NULL, NEW.worker_id, now(),
               NEW.execution_timeout_ms, NULL, NULL
        FROM unnest(NEW.companions) AS companion;
    END IF;
    RETURN NEW;
END
$$;

-- Fires on a change of phase or of a column the copy keeps; DISPATCHED -> RUNNING is neither.
DROP TRIGGER actions_live_update ON actions;
CREATE TRIGGER actions_live_update BEFORE UPDATE ON actions FOR EACH ROW
    WHEN ((OLD.status IS DISTINCT FROM NEW.status
           AND NOT (OLD.status IN ('DISPATCHED', 'RUNNING') AND NEW.status IN ('DISPATCHED', 'RUNNING')))
          OR OLD.worker_id IS DISTINCT FROM NEW.worker_id
          OR OLD.target_id IS DISTINCT FROM NEW.target_id OR OLD.host_id IS DISTINCT FROM NEW.host_id
          OR OLD.dimension_set_id IS DISTINCT FROM NEW.dimension_set_id OR OLD.not_before IS DISTINCT FROM NEW.not_before
          OR OLD.queue_deadline IS DISTINCT FROM NEW.queue_deadline OR OLD.slice_deadline IS DISTINCT FROM NEW.slice_deadline
          OR OLD.lease_expires_at IS DISTINCT FROM NEW.lease_expires_at OR OLD.queue_rank IS DISTINCT FROM NEW.queue_rank)
    EXECUTE FUNCTION live_actions_follow_update();

-- The control plane vacuums this table every few seconds (LiveQueueVacuum); a vacuum that frees its last
-- pages would take an exclusive lock on it to give them back, stopping every claim meanwhile.
ALTER TABLE live_actions SET (vacuum_truncate = false);
