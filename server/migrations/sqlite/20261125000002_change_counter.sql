-- Each board numbers its own changes. Appending a change takes the next number by updating the
-- board's row, which locks it until the commit: numbers then follow commit order, even with
-- several servers writing to one PostgreSQL, and a reader that has seen change N has seen all
-- changes before it.
ALTER TABLE boards ADD COLUMN last_seq BIGINT NOT NULL DEFAULT 0;

UPDATE boards SET last_seq = COALESCE(
    (SELECT MAX(seq) FROM board_changes WHERE board_changes.board_id = boards.id),
    snapshot_seq
);

-- The retention sweep looks for boards idle since a given time.
CREATE INDEX boards_updated_at ON boards (updated_at);
