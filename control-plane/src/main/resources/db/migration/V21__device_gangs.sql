-- Device sets (gangs, issue 12): an action by dimensions may ask for companion devices besides the
-- one its task runs on, each with its own dimensions, all on the same host. It gets all of them in
-- one claim or waits holding none, so two gangs can never each hold half of what the other needs.

-- A slice's set names the companions too ([{"key": "constraint"}, ...], empty for a single device):
-- a gang's actions queue apart from single-device ones, which a plain claim never takes.
ALTER TABLE dimension_sets ADD COLUMN companions jsonb NOT NULL DEFAULT '[]';
ALTER TABLE dimension_sets DROP CONSTRAINT dimension_sets_spec_key;
ALTER TABLE dimension_sets ADD CONSTRAINT dimension_sets_spec_key UNIQUE (spec, companions);

-- The companion devices the current (or last) attempt holds besides target_id, in the order of the slice's companions.
ALTER TABLE actions ADD COLUMN companions text[];

-- A companion held by an attempt is a live_actions row of status HELD, id '<action id>@<device id>': the
-- one-task-per-device index covers it, so a claim of that device and the gang's claim cannot both win.
DROP INDEX live_actions_one_active_per_target;
CREATE UNIQUE INDEX live_actions_one_active_per_target ON live_actions (target_id) WHERE status IN ('DISPATCHED', 'RUNNING', 'HELD');

CREATE OR REPLACE FUNCTION live_actions_follow_update() RETURNS trigger LANGUAGE plpgsql AS $$
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
    -- A gang's companions are held from its dispatch to the end of its attempt.
    IF OLD.status IN ('DISPATCHED', 'RUNNING') AND NEW.status NOT IN ('DISPATCHED', 'RUNNING') AND OLD.companions IS NOT NULL THEN
        DELETE FROM live_actions WHERE id IN (SELECT OLD.id || '@' || companion FROM unnest(OLD.companions) AS companion);
    ELSIF OLD.status = 'QUEUED' AND NEW.status = 'DISPATCHED' AND NEW.companions IS NOT NULL THEN
        INSERT INTO live_actions
        SELECT NEW.id || '@' || companion, 'HELD', NEW.operation, NEW.host_id, companion, NEW.input_hash, NEW.dimension_set_id,
               NEW.submitted_by, NEW.queue_rank, NEW.seq, NEW.not_before, NEW.queue_deadline, NULL, NEW.worker_id, NULL,
               NEW.execution_timeout_ms, NULL
        FROM unnest(NEW.companions) AS companion;
    END IF;
    RETURN NEW;
END
$$;

-- Deleting an action lets go of its companions too.
CREATE OR REPLACE FUNCTION live_actions_drop_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM live_actions WHERE id IN (SELECT id FROM deleted)
        OR id IN (SELECT d.id || '@' || companion FROM deleted d, unnest(d.companions) AS companion);
    RETURN NULL;
END
$$;
