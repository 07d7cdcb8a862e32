-- Workcell ledger, version 9: a Watch can resume from a listing.

-- The transaction that wrote each event. A List's resume token is the database snapshot taken just
-- before it read; a Watch given that token replays the actions with an event that snapshot could
-- not see (pg_visible_in_snapshot), whatever order concurrent transactions committed in.
ALTER TABLE action_events ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX action_events_by_xid ON action_events (xid);
