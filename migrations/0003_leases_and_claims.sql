-- Two processes may share one database (the daemon and a manual `policywatch check`): a lease
-- per target keeps them from checking it at once, and a claim per outbox row keeps two drains
-- from sending one alert twice. A config edit whose baseline could not be re-derived from the
-- stored page waits for the next fetch, which then becomes the baseline without an alert.
--
-- targets.evidence_lost now says why: 0 not lost, 1 the selection is missing, 2 its
-- cancellation wording is. checks.status is one of: new, unchanged, changed, error, held,
-- flapping, rebaseline.

ALTER TABLE targets ADD COLUMN rebaseline_pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE targets ADD COLUMN lease_holder TEXT;
ALTER TABLE targets ADD COLUMN lease_until INTEGER;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
