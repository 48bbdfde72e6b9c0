-- Seats: each browser that joins a board with a participant or facilitator link gets a secret
-- seat, stored as its SHA-256 hash; votes are counted per seat, never by name. `seats_open`:
-- whether the board gives new seats.
ALTER TABLE boards ADD COLUMN seats_open BIGINT NOT NULL DEFAULT 1;
CREATE TABLE seats (
    board_id TEXT NOT NULL,
    seat_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (board_id, seat_key)
);
-- Voting sessions, and the votes cast in them (one row per vote), kept by the server: while a
-- session is open nobody else sees them; once closed, only the counts per post-it are written
-- into the board.
CREATE TABLE vote_rounds (
    board_id TEXT NOT NULL,
    round BIGINT NOT NULL,
    per_person BIGINT NOT NULL,
    several BIGINT NOT NULL,
    open BIGINT NOT NULL,
    PRIMARY KEY (board_id, round)
);
CREATE TABLE votes (
    vote_id TEXT PRIMARY KEY,
    board_id TEXT NOT NULL,
    round BIGINT NOT NULL,
    seat_key TEXT NOT NULL,
    note_id TEXT NOT NULL,
    cast_at BIGINT NOT NULL
);
CREATE INDEX votes_by_seat ON votes (board_id, round, seat_key);
