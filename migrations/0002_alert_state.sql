-- Per-target state behind the alerts that are not about a change of wording (failing, evidence
-- lost, page moved), the validators for conditional GET, and the raw page the current version
-- came from (so a lexicon or selector edit can re-derive the baseline without an alert).

ALTER TABLE targets ADD COLUMN etag TEXT;
ALTER TABLE targets ADD COLUMN last_modified TEXT;
-- Where a permanent redirect pointed when it was reported; NULL when the page has not moved.
ALTER TABLE targets ADD COLUMN moved_to TEXT;
-- Consecutive failed fetches, and when the "failing" alert / its last reminder went out.
ALTER TABLE targets ADD COLUMN failure_streak INTEGER NOT NULL DEFAULT 0;
ALTER TABLE targets ADD COLUMN failing_alerted_at INTEGER;
ALTER TABLE targets ADD COLUMN failing_reminded_at INTEGER;
-- Consecutive checks where the selection or its cancellation wording was missing, and whether
-- the "evidence lost" alert is outstanding.
ALTER TABLE targets ADD COLUMN lost_streak INTEGER NOT NULL DEFAULT 0;
ALTER TABLE targets ADD COLUMN evidence_lost INTEGER NOT NULL DEFAULT 0;
-- Hash of what extraction depends on (selectors, lexicon) when the current version was made.
ALTER TABLE targets ADD COLUMN fingerprint TEXT;

CREATE TABLE raw_pages (
    target      TEXT PRIMARY KEY REFERENCES targets(name),
    fetched_at  INTEGER NOT NULL,
    url         TEXT NOT NULL,
    -- The decoded page, zlib-compressed UTF-8.
    html        BLOB NOT NULL
);

-- Alerts that wait for the daily digest instead of going out on their own.
ALTER TABLE outbox ADD COLUMN digest INTEGER NOT NULL DEFAULT 0;
CREATE INDEX checks_time ON checks(started_at);
