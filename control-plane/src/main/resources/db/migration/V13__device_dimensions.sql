-- Workcell ledger, version 11: capability matching (device dimensions, submits by dimensions, task slices).

-- What a submit by dimensions matches against: {"key": ["value", ...]}, derived from the device's
-- description, its labels and its host each time its agent registers it.
ALTER TABLE devices ADD COLUMN dimensions jsonb NOT NULL DEFAULT '{}';

-- Every (key, value) a registered device ever had: a submit naming a dimension no device ever had is
-- refused. Never deleted, so that an action for a device that is away now is still accepted.
CREATE TABLE dimension_values (
    key    text NOT NULL,
    value  text NOT NULL,
    PRIMARY KEY (key, value)
);

-- Each distinct set of dimension constraints a slice asked for ({"key": "constraint"}), once. A
-- free device looks for waiting actions only in the sets it matches, each by index: the dispatcher
-- never scans the queue for a device.
CREATE TABLE dimension_sets (
    id    bigserial PRIMARY KEY,
    spec  jsonb NOT NULL UNIQUE
);

-- An action submitted by dimensions has no host or target while it waits (a retry waits anew); once
-- dispatched they name the device of its attempt, so that one-task-per-device holds for it too.
ALTER TABLE actions ALTER COLUMN host_id DROP NOT NULL,
                    ALTER COLUMN target_id DROP NOT NULL;
-- slices: [{"set": dimension_sets.id, "dimensions": {...}, "expirationSeconds": n}, ...], NULL for
-- an action submitted for a target; slice: the index of the one that applies now, dimension_set_id
-- its set; slice_deadline: when it gives way to the next one (NULL for the last slice, which
-- queue_deadline ends).
ALTER TABLE actions ADD COLUMN slices jsonb,
                    ADD COLUMN slice integer NOT NULL DEFAULT 0,
                    ADD COLUMN dimension_set_id bigint REFERENCES dimension_sets (id),
                    ADD COLUMN slice_deadline timestamptz,
                    ADD CONSTRAINT actions_target_or_dimensions CHECK (target_id IS NOT NULL OR dimension_set_id IS NOT NULL);
CREATE INDEX actions_dimension_queue ON actions (dimension_set_id, seq) WHERE status = 'QUEUED' AND dimension_set_id IS NOT NULL;
CREATE INDEX actions_slice_deadline ON actions (slice_deadline) WHERE status = 'QUEUED' AND slice_deadline IS NOT NULL;

-- EquivalentAction pairs actions of one target; an action by dimensions has no fixed target, so it
-- takes no part (its idempotency key still dedups it).
DROP INDEX actions_one_in_flight_equivalent;
CREATE UNIQUE INDEX actions_one_in_flight_equivalent ON actions (operation, host_id, target_id, input_hash)
    WHERE status IN ('QUEUED', 'DISPATCHED', 'RUNNING') AND dimension_set_id IS NULL;
