-- Dashboard sign-ins (README "Dashboard"): a browser's session cookie holds a random secret whose
-- SHA-256 names one row here; the row names the API token the person pasted, which must still be
-- live for the session to be. csrf_token is echoed by every state-changing form of that session.
CREATE TABLE dashboard_sessions (
    secret_hash text PRIMARY KEY,
    token_id    text NOT NULL REFERENCES api_tokens (id),
    csrf_token  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);

CREATE INDEX dashboard_sessions_by_expiry ON dashboard_sessions (expires_at);
