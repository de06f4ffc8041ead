-- A refusal (an SMTP 5xx, an HTTP 4xx) is final only once the same channel has accepted another
-- alert after it: until then it may be about the setup (a relay that refuses the client, a
-- revoked webhook token), which refuses every alert alike and must not cost them. refused_at is
-- when the delivery's last attempt was refused; NULL when its last attempt was not a refusal.
ALTER TABLE deliveries ADD COLUMN refused_at INTEGER;
