-- robots.txt as last read per origin, so that short-lived checking processes (the daemon's check
-- workers, `policywatch check` from cron) share one day-long cache instead of each asking again.
CREATE TABLE robots (
    origin   TEXT PRIMARY KEY,
    read_at  INTEGER NOT NULL,
    -- NULL: no rules (a 404, a redirect chain that leads nowhere)
    body     BLOB
);
