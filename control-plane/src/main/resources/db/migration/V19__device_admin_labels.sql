-- Workcell ledger, version 19: labels an admin gives a device (PUT /api/v1/devices/{id}/labels). They are
-- dimensions like the agent's labels and win over an agent's label of the same key; they outlive the
-- agent's registrations (the agent's description is replaced each time, these are not).
ALTER TABLE devices ADD COLUMN admin_labels jsonb NOT NULL DEFAULT '{}';
