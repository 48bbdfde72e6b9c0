-- Consent rounds on a proposal (a post-it), and each seat's answer (one per round: the key
-- refuses a second), kept by the server: while a round is open nobody else sees them; once
-- closed, the result is written into the board.
CREATE TABLE consent_rounds (
    board_id TEXT NOT NULL,
    round BIGINT NOT NULL,
    note_id TEXT NOT NULL,
    open BIGINT NOT NULL,
    PRIMARY KEY (board_id, round)
);
CREATE TABLE consent_answers (
    board_id TEXT NOT NULL,
    round BIGINT NOT NULL,
    seat_key TEXT NOT NULL,
    answer TEXT NOT NULL,
    reason TEXT NOT NULL,
    name TEXT NOT NULL,
    answered_at BIGINT NOT NULL,
    PRIMARY KEY (board_id, round, seat_key)
);
