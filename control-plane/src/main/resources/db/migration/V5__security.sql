-- Who may do what. Secrets are never stored: only the SHA-256 of each (they are 256-bit random
-- values, so a plain hash cannot be reversed by guessing).

CREATE TABLE api_tokens (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    role        text NOT NULL CONSTRAINT api_tokens_role_known CHECK (role IN ('viewer', 'submitter', 'admin')),
    secret_hash text NOT NULL UNIQUE,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz,
    revoked_at  timestamptz
);

-- Handed to an operator who installs agents: presented once by each agent for its own credential.
CREATE TABLE enrollment_tokens (
    id          text PRIMARY KEY,
    secret_hash text NOT NULL UNIQUE,
    pool        text NOT NULL,
    labels      text[] NOT NULL DEFAULT '{}',
    reusable    boolean NOT NULL,
    uses        integer NOT NULL DEFAULT 0,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);

-- An enrolled agent: one per host, with its own credential.
CREATE TABLE agents (
    id            text PRIMARY KEY,
    host_id       text NOT NULL,
    host_name     text NOT NULL,
    secret_hash   text NOT NULL UNIQUE,
    pool          text NOT NULL,
    labels        text[] NOT NULL DEFAULT '{}',
    enrolled_with text NOT NULL REFERENCES enrollment_tokens (id),
    enrolled_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz
);
CREATE UNIQUE INDEX agents_one_per_host ON agents (host_id) WHERE revoked_at IS NULL;

-- Who did what, beside the action ledger: enrolments, revocations, refusals, tokens.
CREATE TABLE audit_events (
    seq     bigserial PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    actor   text NOT NULL,
    kind    text NOT NULL,
    subject text NOT NULL,
    detail  text NOT NULL DEFAULT ''
);

-- Who submitted an action (a submitter may cancel only its own), and who caused each event.
ALTER TABLE actions ADD COLUMN submitted_by text NOT NULL DEFAULT '';
ALTER TABLE action_events ADD COLUMN actor text NOT NULL DEFAULT '';

-- Devices may have to be approved by an admin before they get work (workcell.devices.require-approval).
ALTER TABLE devices ADD COLUMN approved boolean NOT NULL DEFAULT true;
