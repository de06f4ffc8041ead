-- A page that differs only outside its selection (tokens, timestamps, counters) need not be
-- parsed again either, when the streaming pre-selection can cut the selection out of it
-- (extract::preselect): the extraction of such a page is a function of the final URL and the
-- cut document alone. targets.cut_hash is the BLAKE3 hash (32 bytes) of those two for a page
-- whose text is the current version, or NULL (no such page, or the page cannot be cut). It is
-- set and cleared exactly where targets.page_hash is.

ALTER TABLE targets ADD COLUMN cut_hash BLOB;
