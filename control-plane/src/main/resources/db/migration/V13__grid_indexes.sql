-- The dashboard's grid counts actions per (row, column) of two axes among target, host and operation,
-- and reads one cell again when an action changes: these indexes hold every column those queries
-- read, so both are index-only scans (the whole grid) or index range scans (one cell).
CREATE INDEX actions_grid_by_target ON actions (target_id, operation, host_id, seq);
CREATE INDEX actions_grid_by_host ON actions (host_id, operation, seq);
