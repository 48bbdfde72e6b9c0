//! Seats and voting sessions. A seat is a secret one browser keeps for a board (stored as its
//! hash): votes are counted per seat, never by name. A voting session's votes stay here while it
//! is open; the board document only ever gets each post-it's count, once it is closed.
//!
//! Every write about votes first locks the board's row (as appending a change does), so that
//! concurrent votes of one seat, from any number of servers sharing a PostgreSQL database, are
//! checked against its limit one after the other: twenty at once with three votes store three.

use app::ids::{BoardId, NoteId};
use sqlx::{AnyConnection, Row};

use super::{
    error::StorageError,
    pool::{now_ms, Storage},
};
use crate::access::{KeyHash, Secret};

/// Most seats one board gives.
pub const MAX_SEATS_PER_BOARD: i64 = 1_000;

/// A voting session's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub round: i64,
    pub per_person: i64,
    pub several: bool,
    pub open: bool,
}

/// Why a seat was not given.
#[derive(Debug, PartialEq, Eq)]
pub enum SeatRefused {
    /// The facilitator stopped new seats.
    Closed,
    /// The board has [`MAX_SEATS_PER_BOARD`].
    Full,
}

/// Why a vote was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum VoteRefused {
    /// No such session, or it is closed.
    NotOpen,
    /// The seat has cast all its votes.
    NoneLeft,
    /// The seat already voted for this post-it, and the session gives one vote per post-it.
    AlreadyVoted,
    /// The seat has no vote on this post-it to take back.
    NothingToTakeBack,
    /// No such seat on this board.
    NoSeat,
}

/// What one seat has cast in a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballot {
    pub round: Round,
    /// The post-its it voted for, once per vote.
    pub votes: Vec<String>,
}

impl Ballot {
    pub fn left(&self) -> i64 {
        (self.round.per_person - self.votes.len() as i64).max(0)
    }
}

impl Storage {
    /// Gives board `id` a new seat with this key; refused when the facilitator closed seats or
    /// the board has all it may have. Errors with `NoSuchBoard` for no such board.
    pub async fn add_seat(
        &self,
        id: &BoardId,
        key: &KeyHash,
    ) -> Result<Result<(), SeatRefused>, StorageError> {
        self.transaction(async |tx| {
            let open = lock_board(tx, id).await?;
            if !open {
                return Ok(Err(SeatRefused::Closed));
            }
            let seats: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM seats WHERE board_id = $1")
                .bind(id.as_str())
                .fetch_one(&mut *tx)
                .await?;
            if seats >= MAX_SEATS_PER_BOARD {
                return Ok(Err(SeatRefused::Full));
            }
            sqlx::query("INSERT INTO seats (board_id, seat_key, created_at) VALUES ($1, $2, $3)")
                .bind(id.as_str())
                .bind(key.to_hex())
                .bind(now_ms())
                .execute(&mut *tx)
                .await?;
            Ok(Ok(()))
        })
        .await
    }

    /// How many seats the board has given, and whether it gives new ones; `None`: no board.
    pub async fn seats(&self, id: &BoardId) -> Result<Option<(i64, bool)>, StorageError> {
        let row = sqlx::query(
            "SELECT seats_open, (SELECT COUNT(*) FROM seats WHERE board_id = $1) AS seats \
             FROM boards WHERE id = $1",
        )
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let open: i64 = row.try_get("seats_open")?;
        Ok(Some((row.try_get("seats")?, open != 0)))
    }

    /// Whether the board gives new seats; returns whether the board exists.
    pub async fn set_seats_open(&self, id: &BoardId, open: bool) -> Result<bool, StorageError> {
        let updated = sqlx::query("UPDATE boards SET seats_open = $1 WHERE id = $2")
            .bind(i64::from(open))
            .bind(id.as_str())
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(updated > 0)
    }

    /// Whether the board gave this seat.
    pub async fn has_seat(&self, id: &BoardId, key: &KeyHash) -> Result<bool, StorageError> {
        let mut connection = self.pool.acquire().await?;
        seated(&mut connection, id, key).await
    }

    /// Opens a new voting session (closing any open one, whose votes are then dropped).
    pub async fn start_vote(
        &self,
        id: &BoardId,
        per_person: i64,
        several: bool,
    ) -> Result<Round, StorageError> {
        self.transaction(async |tx| {
            lock_board(tx, id).await?;
            let round = Round {
                round: next_round(tx, VOTE_ROUNDS, id).await?,
                per_person,
                several,
                open: true,
            };
            sqlx::query(
                "INSERT INTO vote_rounds (board_id, round, per_person, several, open) \
                 VALUES ($1, $2, $3, $4, 1)",
            )
            .bind(id.as_str())
            .bind(round.round)
            .bind(per_person)
            .bind(i64::from(several))
            .execute(&mut *tx)
            .await?;
            Ok(round)
        })
        .await
    }

    /// Closes a session and counts its votes per post-it, most first; `None` if there is no
    /// such session. Closing a closed session counts again and changes nothing.
    pub async fn close_vote(
        &self,
        id: &BoardId,
        round: i64,
    ) -> Result<Option<Vec<(String, i64)>>, StorageError> {
        self.transaction(async |tx| {
            lock_board(tx, id).await?;
            if !close_round(tx, VOTE_ROUNDS, id, round).await? {
                return Ok(None);
            }
            let rows = sqlx::query(
                "SELECT note_id, COUNT(*) AS votes FROM votes WHERE board_id = $1 AND round = $2 \
                 GROUP BY note_id ORDER BY votes DESC, note_id",
            )
            .bind(id.as_str())
            .bind(round)
            .fetch_all(&mut *tx)
            .await?;
            let mut counts = Vec::with_capacity(rows.len());
            for row in rows {
                counts.push((row.try_get("note_id")?, row.try_get("votes")?));
            }
            Ok(Some(counts))
        })
        .await
    }

    /// Casts one vote of a seat for a post-it, if the session is open and the seat has one
    /// left; returns what the seat has cast then.
    pub async fn cast_vote(
        &self,
        id: &BoardId,
        round: i64,
        seat: &KeyHash,
        note: &NoteId,
    ) -> Result<Result<Ballot, VoteRefused>, StorageError> {
        self.transaction(async |tx| {
            let mut ballot = match open_ballot(tx, id, round, seat).await? {
                Ok(ballot) => ballot,
                Err(refused) => return Ok(Err(refused)),
            };
            if ballot.left() == 0 {
                return Ok(Err(VoteRefused::NoneLeft));
            }
            if !ballot.round.several && ballot.votes.iter().any(|v| v == note.as_str()) {
                return Ok(Err(VoteRefused::AlreadyVoted));
            }
            sqlx::query(
                "INSERT INTO votes (vote_id, board_id, round, seat_key, note_id, cast_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(Secret::random().as_str())
            .bind(id.as_str())
            .bind(round)
            .bind(seat.to_hex())
            .bind(note.as_str())
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
            ballot.votes.push(note.to_string());
            Ok(Ok(ballot))
        })
        .await
    }

    /// Takes back one of a seat's votes for a post-it while the session is open.
    pub async fn take_back_vote(
        &self,
        id: &BoardId,
        round: i64,
        seat: &KeyHash,
        note: &NoteId,
    ) -> Result<Result<Ballot, VoteRefused>, StorageError> {
        self.transaction(async |tx| {
            let mut ballot = match open_ballot(tx, id, round, seat).await? {
                Ok(ballot) => ballot,
                Err(refused) => return Ok(Err(refused)),
            };
            let Some(at) = ballot.votes.iter().rposition(|v| v == note.as_str()) else {
                return Ok(Err(VoteRefused::NothingToTakeBack));
            };
            // Its last vote for that post-it.
            sqlx::query(
                "DELETE FROM votes WHERE vote_id = (SELECT vote_id FROM votes \
                 WHERE board_id = $1 AND round = $2 AND seat_key = $3 AND note_id = $4 \
                 ORDER BY cast_at DESC, vote_id LIMIT 1)",
            )
            .bind(id.as_str())
            .bind(round)
            .bind(seat.to_hex())
            .bind(note.as_str())
            .execute(&mut *tx)
            .await?;
            ballot.votes.remove(at);
            Ok(Ok(ballot))
        })
        .await
    }

    /// What a seat has cast in a session.
    pub async fn ballot(
        &self,
        id: &BoardId,
        round: i64,
        seat: &KeyHash,
    ) -> Result<Result<Ballot, VoteRefused>, StorageError> {
        let mut connection = self.pool.acquire().await?;
        ballot_in(&mut connection, id, round, seat).await
    }
}

/// Locks the board's row until the transaction ends; returns whether it gives new seats.
pub(super) async fn lock_board(tx: &mut AnyConnection, id: &BoardId) -> Result<bool, StorageError> {
    let open: Option<i64> = sqlx::query_scalar(
        "UPDATE boards SET seats_open = seats_open WHERE id = $1 RETURNING seats_open",
    )
    .bind(id.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    open.map(|open| open != 0).ok_or(StorageError::NoSuchBoard)
}

/// The table of voting sessions.
const VOTE_ROUNDS: &str = "vote_rounds";

/// Closes the open rounds in `table` (voting sessions, consent rounds: `board_id`, `round`,
/// `open`) and returns the next round's number. The board must be locked.
pub(super) async fn next_round(
    tx: &mut AnyConnection,
    table: &'static str,
    id: &BoardId,
) -> Result<i64, StorageError> {
    sqlx::query(&format!("UPDATE {table} SET open = 0 WHERE board_id = $1"))
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?;
    let last: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT MAX(round) FROM {table} WHERE board_id = $1"
    ))
    .bind(id.as_str())
    .fetch_one(&mut *tx)
    .await?;
    Ok(last.unwrap_or(0) + 1)
}

/// Closes round `round` in `table`; returns whether there is such a round. The board must be
/// locked.
pub(super) async fn close_round(
    tx: &mut AnyConnection,
    table: &'static str,
    id: &BoardId,
    round: i64,
) -> Result<bool, StorageError> {
    let found = sqlx::query(&format!(
        "UPDATE {table} SET open = 0 WHERE board_id = $1 AND round = $2"
    ))
    .bind(id.as_str())
    .bind(round)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    Ok(found > 0)
}

/// Whether the board gave this seat.
pub(super) async fn seated(
    tx: &mut AnyConnection,
    id: &BoardId,
    seat: &KeyHash,
) -> Result<bool, StorageError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM seats WHERE board_id = $1 AND seat_key = $2")
            .bind(id.as_str())
            .bind(seat.to_hex())
            .fetch_optional(&mut *tx)
            .await?;
    Ok(found.is_some())
}

/// Locks the board, then reads what a seat has cast in a session that must be open.
async fn open_ballot(
    tx: &mut AnyConnection,
    id: &BoardId,
    round: i64,
    seat: &KeyHash,
) -> Result<Result<Ballot, VoteRefused>, StorageError> {
    lock_board(tx, id).await?;
    Ok(match ballot_in(tx, id, round, seat).await? {
        Ok(ballot) if !ballot.round.open => Err(VoteRefused::NotOpen),
        other => other,
    })
}

async fn ballot_in(
    tx: &mut AnyConnection,
    id: &BoardId,
    round: i64,
    seat: &KeyHash,
) -> Result<Result<Ballot, VoteRefused>, StorageError> {
    if !seated(tx, id, seat).await? {
        return Ok(Err(VoteRefused::NoSeat));
    }
    let row = sqlx::query(
        "SELECT per_person, several, open FROM vote_rounds WHERE board_id = $1 AND round = $2",
    )
    .bind(id.as_str())
    .bind(round)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(Err(VoteRefused::NotOpen));
    };
    let several: i64 = row.try_get("several")?;
    let open: i64 = row.try_get("open")?;
    let round = Round {
        round,
        per_person: row.try_get("per_person")?,
        several: several != 0,
        open: open != 0,
    };
    let votes = sqlx::query_scalar(
        "SELECT note_id FROM votes WHERE board_id = $1 AND round = $2 AND seat_key = $3 \
         ORDER BY cast_at, vote_id",
    )
    .bind(id.as_str())
    .bind(round.round)
    .bind(seat.to_hex())
    .fetch_all(&mut *tx)
    .await?;
    Ok(Ok(Ballot { round, votes }))
}
