-- Workcell ledger, version 10: draining agents (a pool scaling down, a host going to maintenance).

-- Set while an admin drains the agent: its workers get no new task, what they run finishes. Kept here,
-- not in a replica's memory, so that every replica, and one started later, honours it. NULL: not draining.
ALTER TABLE agents ADD COLUMN draining_since timestamptz;
