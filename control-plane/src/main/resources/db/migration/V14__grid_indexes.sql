-- The dashboard's grid counts one cell again (actions of one target, host or operation by another,
-- from a seq on) each time an action changes: these indexes serve every pair of those axes.
CREATE INDEX actions_grid_by_target ON actions (target_id, operation, host_id, seq);
CREATE INDEX actions_grid_by_host ON actions (host_id, operation, seq);
