-- The queue deadline's index serves the expiry sweep alone (issue 13; README "Database and schema").
--
-- Its predicate was status = 'QUEUED', which every reader of the queues also says: a plan made while
-- live_actions held a few rows could walk it for a claim of one device (auto_explain during benchmark
-- 1: target_id as a mere filter, then a sort) and read every waiting action of every device. A
-- predicate that only a bound on queue_deadline implies (the sweep's queue_deadline < now() is strict,
-- so it implies IS NOT NULL; no claim names the column) leaves the claims no plan through it.
DROP INDEX live_actions_queue_deadline;
CREATE INDEX live_actions_queue_deadline ON live_actions (queue_deadline)
    WHERE status = 'QUEUED' AND queue_deadline IS NOT NULL;
