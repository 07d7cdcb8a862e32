-- Quarantine (issue 12): a device kept from work by an admin, or by its own infrastructure failures
-- until a probation probe passes. Written through Hibernate Reactive Panache (README "Storage").

CREATE TABLE quarantines (
    id               bigserial PRIMARY KEY,
    device_id        text NOT NULL REFERENCES devices (id),
    cause            text NOT NULL CONSTRAINT quarantines_cause_known CHECK (cause IN ('MANUAL', 'AUTOMATIC')),
    note             text NOT NULL,
    started_by       text NOT NULL,
    started_at       timestamptz NOT NULL DEFAULT now(),
    ends_at          timestamptz,                    -- released by itself then (manual, optional)
    next_probe_at    timestamptz,                    -- when the next probation probe is submitted (automatic)
    probe_action_id  text REFERENCES actions (id),   -- the probe in flight: the one action the device may take
    probes           integer NOT NULL DEFAULT 0,     -- probes that did not pass
    released_at      timestamptz,
    released_by      text,
    release_note     text
);
-- A device is in at most one quarantine at a time.
CREATE UNIQUE INDEX quarantines_one_active_per_device ON quarantines (device_id) WHERE released_at IS NULL;
CREATE INDEX quarantines_by_device ON quarantines (device_id, id);

-- The failed attempts that quarantined a device automatically.
CREATE TABLE quarantine_evidence (
    id             bigserial PRIMARY KEY,
    quarantine_id  bigint NOT NULL REFERENCES quarantines (id),
    action_id      text NOT NULL REFERENCES actions (id),
    attempt        integer NOT NULL,
    failure        text NOT NULL,
    reason         text NOT NULL,
    at             timestamptz NOT NULL
);
CREATE INDEX quarantine_evidence_by_quarantine ON quarantine_evidence (quarantine_id);

-- What the claim reads: the devices in quarantine now, and the probe each may still take.
CREATE VIEW quarantined_devices AS
    SELECT device_id, probe_action_id FROM quarantines WHERE released_at IS NULL;

-- The failure class of the attempt an event ends ('' for every other event), so that a device's
-- recent failures can be counted per class.
ALTER TABLE action_events ADD COLUMN failure text NOT NULL DEFAULT '';
CREATE INDEX action_events_failed_attempts ON action_events (at) WHERE failure <> '';
