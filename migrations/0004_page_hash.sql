-- A page whose bytes are exactly those of a page already seen to give the current version need
-- not be parsed again. targets.page_hash is the BLAKE3 hash (32 bytes) of the final URL and the
-- decoded HTML of such a page, or NULL. It is set only when a check accepts a page whose text is
-- the current version, and cleared whenever selectors or the lexicon change (the fingerprint).

ALTER TABLE targets ADD COLUMN page_hash BLOB;

-- Last-Modified dates stored before this version may be weak (within a second of the response):
-- revalidating with one could answer 304 for a changed page for ever. One full fetch each.
UPDATE targets SET last_modified = NULL;
