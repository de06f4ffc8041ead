-- When the target's current version was last seen. An unchanged check writes it here, in the
-- target's small row, instead of rewriting the version's row (whose text and evidence, ~30 KiB,
-- SQLite reads back and compares page by page on every update of it). The version's own
-- `last_seen` is brought up to date when another version becomes current; readers take the later
-- of the two for the current version.
ALTER TABLE targets ADD COLUMN current_seen INTEGER;
