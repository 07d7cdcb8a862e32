-- A refusal that repeats (an agent revoked or enrolled for another host retries for ever) is one audit
-- row with how often it happened and when it last did, not one row per attempt: `at` is the first time.
ALTER TABLE audit_events ADD COLUMN occurrences integer NOT NULL DEFAULT 1;
ALTER TABLE audit_events ADD COLUMN last_at timestamptz;
UPDATE audit_events SET last_at = at;
ALTER TABLE audit_events ALTER COLUMN last_at SET NOT NULL, ALTER COLUMN last_at SET DEFAULT now();
CREATE INDEX audit_events_repeats ON audit_events (kind, subject, seq);
