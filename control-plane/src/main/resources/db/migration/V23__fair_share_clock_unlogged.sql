-- The fair-share clock is stamped in its own statement, before the insert (issue 13; README "Database and schema").
--
-- A submit's insert upserted its submitters' rows of submitter_shares and so held their locks until it
-- committed: every insert of one submitter waited for the one before it, and batch submits of 100
-- queued there for seconds (benchmark 1, 16 clients of one token). The control plane now moves the
-- clock in a statement of its own that commits at once. The clock needs no durability: should
-- PostgreSQL crash, its rows are emptied, every submitter's next action is due from now, and the
-- actions already waiting keep the ranks they were given. Unlogged, its statement writes no WAL and
-- its commit waits for no disk flush.
ALTER TABLE submitter_shares SET UNLOGGED;
