-- Targets, the distinct versions of what each one says, every check, and the outbox of alerts.
-- Times are Unix seconds (UTC).

CREATE TABLE targets (
    name            TEXT PRIMARY KEY,
    carrier         TEXT NOT NULL,
    url             TEXT NOT NULL,
    -- The version the page showed at its last successful check.
    current_version INTEGER REFERENCES versions(id),
    created_at      INTEGER NOT NULL
);

-- One row per distinct extracted text of a target: a page that goes back to an earlier wording
-- points at the earlier row again instead of storing it twice.
CREATE TABLE versions (
    id          INTEGER PRIMARY KEY,
    target      TEXT NOT NULL REFERENCES targets(name),
    -- Extracted blocks, one per line.
    text        TEXT NOT NULL,
    verdict     TEXT NOT NULL,
    -- The verdict's evidence as JSON.
    assessment  TEXT NOT NULL,
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL
);
CREATE INDEX versions_target ON versions(target);

CREATE TABLE checks (
    id           INTEGER PRIMARY KEY,
    target       TEXT NOT NULL,
    started_at   INTEGER NOT NULL,
    -- new | unchanged | changed | error
    status       TEXT NOT NULL,
    http_status  INTEGER,
    duration_ms  INTEGER NOT NULL,
    error        TEXT,
    version_id   INTEGER REFERENCES versions(id)
);
CREATE INDEX checks_target_time ON checks(target, started_at);

-- Alerts are rendered and committed in the same transaction as the version they report, then sent
-- by a separate drain; the Message-ID is fixed here so a resend is recognisably the same message.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    target          TEXT,
    kind            TEXT NOT NULL,
    message_id      TEXT NOT NULL UNIQUE,
    thread_id       TEXT,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    sent_at         INTEGER
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE sent_at IS NULL;
