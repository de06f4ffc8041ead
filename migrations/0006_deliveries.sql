-- Alerts become channel-neutral. Each outbox row keeps the rendered email (subject, text, HTML)
-- and a structured JSON payload for webhooks, built from the same data. Delivery is tracked per
-- (alert, channel): each channel retries on its own, so a dead webhook never delays email.
--
-- An alert is routed (its delivery rows made, for the channels configured then) by the first
-- drain after it is committed; outbox.routed_at says when. outbox.sent_at now means "done":
-- no delivery of it is pending any more, or it was folded into a digest. The per-alert
-- attempts, last_error, next_attempt_at and claims of earlier versions are no longer used.

ALTER TABLE outbox ADD COLUMN payload TEXT;
ALTER TABLE outbox ADD COLUMN routed_at INTEGER;

CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    alert_id        INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    -- "email", "console" (without [email]) or a [[webhook]] name.
    channel         TEXT NOT NULL,
    -- Stable across retries: the Message-ID for email, X-Policywatch-Delivery for webhooks.
    delivery_id     TEXT NOT NULL UNIQUE,
    -- pending | sent | failed-permanent
    state           TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    sent_at         INTEGER,
    -- When it failed for good (reported once by the next digest or heartbeat).
    failed_at       INTEGER,
    claimed_by      TEXT,
    claimed_until   INTEGER,
    UNIQUE (alert_id, channel)
);
CREATE INDEX deliveries_pending ON deliveries(channel, alert_id) WHERE state = 'pending';

-- Alerts already sent went out by email (or to the console): one sent delivery each, with the
-- Message-ID as its id. Alerts folded into a digest have no delivery of their own.
INSERT INTO deliveries (alert_id, channel, delivery_id, state, attempts, next_attempt_at, sent_at)
    SELECT id, 'email', message_id, 'sent', attempts, next_attempt_at, sent_at
    FROM outbox WHERE sent_at IS NOT NULL AND digest = 0;
UPDATE outbox SET routed_at = sent_at WHERE sent_at IS NOT NULL;
-- Alerts still pending keep routed_at NULL: the next drain gives them a delivery for each
-- channel configured then (email, or the console without [email]), carrying over their
-- attempts and last error.
