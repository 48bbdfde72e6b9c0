-- Private post-its (silent writing): kept for their author's seat only, never in the board
-- document, until revealed. `revealing`: taken by a reveal that has not finished writing them
-- into the board. `boards.drafts_version` counts the changes to a board's private post-its, so
-- that the counts the board shows are never replaced by older ones.
ALTER TABLE boards ADD COLUMN drafts_version BIGINT NOT NULL DEFAULT 0;
CREATE TABLE drafts (
    board_id TEXT NOT NULL,
    note_id TEXT NOT NULL,
    seat_key TEXT NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revealing BIGINT NOT NULL,
    PRIMARY KEY (board_id, note_id)
);
CREATE INDEX drafts_by_seat ON drafts (board_id, seat_key);
