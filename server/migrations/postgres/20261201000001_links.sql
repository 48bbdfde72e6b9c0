-- Who may do what: the SHA-256 hash (hexadecimal) of each of a board's three link secrets, and
-- whether its plain address makes anyone a participant. Boards from before links stay open,
-- without links until `ardoise links <board>` makes them.
ALTER TABLE boards ADD COLUMN open_access BIGINT NOT NULL DEFAULT 1;
ALTER TABLE boards ADD COLUMN facilitator_key TEXT;
ALTER TABLE boards ADD COLUMN participant_key TEXT;
ALTER TABLE boards ADD COLUMN observer_key TEXT;
