-- Workcell ledger, version 2: live logs, artifacts, device state.

-- Output of attempts as the agents streamed it; a chunk sent twice (same offset) is stored once.
CREATE TABLE action_logs (
    seq        bigserial PRIMARY KEY,              -- arrival order, across both streams
    action_id  text NOT NULL REFERENCES actions (id),
    attempt    integer NOT NULL,
    stream     text NOT NULL CHECK (stream IN ('STDOUT', 'STDERR')),
    "offset"   bigint NOT NULL,
    data       bytea NOT NULL,
    UNIQUE (action_id, attempt, stream, "offset")
);

-- Content-addressed blobs (the original's stash), kept in PostgreSQL so that every control-plane
-- replica sees the same ones. An artifact is complete once every byte arrived and its SHA-256 matched.
CREATE TABLE artifacts (
    sha256        text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size          bigint NOT NULL CHECK (size >= 0),
    received      bigint NOT NULL DEFAULT 0,
    name          text NOT NULL,
    content_type  text NOT NULL,
    complete      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    completed_at  timestamptz
);

CREATE TABLE artifact_chunks (
    sha256    text NOT NULL REFERENCES artifacts (sha256) ON DELETE CASCADE,
    "offset"  bigint NOT NULL,
    data      bytea NOT NULL,
    PRIMARY KEY (sha256, "offset")
);

-- Last reported state of each worker's target device.
ALTER TABLE workers ADD COLUMN state text NOT NULL DEFAULT 'ONLINE';
ALTER TABLE workers ADD COLUMN health text NOT NULL DEFAULT '';
