-- Boards: the compacted Automerge document, plus an append-only log of incremental changes.
CREATE TABLE boards (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    snapshot BLOB NOT NULL,
    -- The last change sequence number folded into the snapshot.
    snapshot_seq BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE board_changes (
    board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (board_id, seq)
);
