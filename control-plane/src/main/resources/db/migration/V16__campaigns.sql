-- Campaigns (issue 12, the original's scheduler): subjects (packages under test) crossed with device
-- kinds; a TRACE per (subject, kind), then a REPLAY per replay target and a REPORT from each trace that
-- succeeded. subjects and campaigns are written through Hibernate Reactive Panache (README "Storage");
-- the actions stay in the ledger and campaign_actions links them to their campaign.

CREATE TABLE subjects (
    id             text PRIMARY KEY,
    name           text NOT NULL UNIQUE,
    artifact       text NOT NULL REFERENCES artifacts (sha256),  -- the APK or binary, as uploaded
    api            text NOT NULL CONSTRAINT subjects_api_known CHECK (api IN ('gles', 'vulkan')),
    trace_seconds  integer NOT NULL DEFAULT 0,
    labels         text NOT NULL DEFAULT '{}',                    -- JSON object {"key": "value"}
    created_by     text NOT NULL,
    created_at     timestamptz NOT NULL
);

CREATE TABLE campaigns (
    id           text PRIMARY KEY,
    name         text NOT NULL UNIQUE,
    subject_ids  text NOT NULL,              -- JSON array of subjects.id
    kinds        text NOT NULL,              -- JSON array [{"name": "...", "dimensions": {...}}]
    replay_on    text NOT NULL DEFAULT '[]', -- JSON array of "HOST" / "DEVICE"; empty: the subject's API decides
    runs         integer NOT NULL DEFAULT 0,
    run_by       text,                       -- the token whose run submits the follow-ups
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL,
    last_run_at  timestamptz
);

-- Every action a campaign created: a slot is one piece of the cross product (operation, subject, kind
-- and, for follow-ups, the trace slot and replay target); a slot whose action failed gets a new
-- generation when the campaign runs again. One row per (slot, generation): its idempotency key in
-- the ledger is derived from both, so that replicas creating the same follow-up create one action.
CREATE TABLE campaign_actions (
    campaign_id  text NOT NULL REFERENCES campaigns (id),
    slot         text NOT NULL,
    generation   integer NOT NULL,
    operation    text NOT NULL,
    subject_id   text NOT NULL REFERENCES subjects (id),
    kind         text NOT NULL,
    replay_on    text NOT NULL DEFAULT '',   -- HOST or DEVICE for a REPLAY or REPORT
    trace_id     text REFERENCES actions (id),
    action_id    text NOT NULL REFERENCES actions (id),
    PRIMARY KEY (campaign_id, slot, generation)
);
CREATE INDEX campaign_actions_by_action ON campaign_actions (action_id);
