-- Actions show the names of their host and target beside the ids: the names as the devices were
-- described when the action was submitted (a later rename does not rewrite the history).
ALTER TABLE actions ADD COLUMN host_name text NOT NULL DEFAULT '',
                    ADD COLUMN target_name text NOT NULL DEFAULT '';
UPDATE actions a SET host_name = h.name, target_name = t.name
FROM devices h, devices t WHERE h.id = a.host_id AND t.id = a.target_id;
