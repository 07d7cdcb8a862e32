-- Priority, fair share between submitters and admin quotas (issue 12; README "Priority, fair share and quotas").

-- priority: 0 goes first ... 255 last. queue_rank: when the action is due, stamped once at submit
-- (the submitter's fair-share start + priority x priority-step) and kept across retries; a claim
-- takes the waiting action with the smallest (queue_rank, seq), which is Ledger.FIRST_WAITING. The
-- ledger always stamps it; a row written by hand (a preload of finished actions) is due now.
ALTER TABLE actions ADD COLUMN priority smallint NOT NULL DEFAULT 100
                        CONSTRAINT actions_priority_range CHECK (priority BETWEEN 0 AND 255),
                    ADD COLUMN queue_rank timestamptz NOT NULL DEFAULT now();
-- Waiting (and in-flight, for their retries) actions keep their submission order.
UPDATE actions SET queue_rank = created_at WHERE status IN ('QUEUED', 'DISPATCHED', 'RUNNING');

-- The queues, read by the claims in FIRST_WAITING order.
DROP INDEX actions_queue;
CREATE INDEX actions_queue ON actions (target_id, queue_rank, seq) WHERE status = 'QUEUED';
DROP INDEX actions_dimension_queue;
CREATE INDEX actions_dimension_queue ON actions (dimension_set_id, queue_rank, seq)
    WHERE status = 'QUEUED' AND dimension_set_id IS NOT NULL;

-- Each submitter's fair-share clock: the start its next action gets, share-unit later for each
-- action it submits, never earlier than now. Written by the ledger's insert (SQL client).
CREATE TABLE submitter_shares (
    submitter   text PRIMARY KEY,      -- actions.submitted_by: the id of the submitting API token
    next_start  timestamptz NOT NULL
);

-- Admin-set quotas: a submitter runs at most max_running actions at once (DISPATCHED or RUNNING);
-- beyond, its waiting actions are skipped by the claims. Written through Hibernate Reactive Panache.
CREATE TABLE submitter_quotas (
    submitter    text PRIMARY KEY,     -- actions.submitted_by
    max_running  integer NOT NULL CONSTRAINT submitter_quotas_max_running_range CHECK (max_running BETWEEN 0 AND 100000),
    note         text NOT NULL,
    set_by       text NOT NULL,
    set_at       timestamptz NOT NULL
);
-- What a quota counts, by index.
CREATE INDEX actions_in_flight_by_submitter ON actions (submitted_by) WHERE status IN ('DISPATCHED', 'RUNNING');

-- The claims skip a submitter at its quota as they read the queue; concurrent claims (one batch,
-- other replicas) cannot see each other, so this trigger is the exact check: it takes the quota
-- row's lock (claims of that submitter wait for one another) and counts what is in flight then
-- (a volatile function's query sees what committed meanwhile, and the rows its own statement
-- dispatched before). Over quota, the row is left QUEUED: the claim comes back empty.
CREATE FUNCTION claim_within_quota() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    allowed integer;
BEGIN
    SELECT max_running INTO allowed FROM submitter_quotas WHERE submitter = NEW.submitted_by FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NEW;
    END IF;
    IF (SELECT count(*) FROM actions
        WHERE submitted_by = NEW.submitted_by AND status IN ('DISPATCHED', 'RUNNING')) >= allowed THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER actions_claim_within_quota BEFORE UPDATE OF status ON actions
    FOR EACH ROW WHEN (OLD.status = 'QUEUED' AND NEW.status = 'DISPATCHED')
    EXECUTE FUNCTION claim_within_quota();
