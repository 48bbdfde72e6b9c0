//! Consent rounds: the answers of each seat, kept here while a round is open (nobody else sees
//! them, and the board document holds only how many there are); the close reads them all for
//! the result the server writes into the board. One answer per seat and round: the table's key
//! refuses a second, whichever server it comes through.

use app::ids::{BoardId, NoteId};
use sqlx::Row;

use super::{
    error::StorageError,
    pool::{now_ms, Storage},
    votes::{close_round, lock_board, next_round, seated},
};
use crate::access::KeyHash;

/// The table of consent rounds.
const CONSENT_ROUNDS: &str = "consent_rounds";

/// Why an answer was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum AnswerRefused {
    /// No such seat on this board.
    NoSeat,
    /// No such round, or it is closed.
    NotOpen,
    /// This seat has answered this round.
    AlreadyAnswered,
}

/// One seat's answer, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    pub answer: String,
    pub reason: String,
    /// The name the page gave (shown with reservations and objections unless anonymous).
    pub name: String,
}

impl Storage {
    /// Opens a new consent round on a proposal (closing an open one, its answers kept);
    /// returns its number.
    pub async fn start_consent(&self, id: &BoardId, note: &NoteId) -> Result<i64, StorageError> {
        self.transaction(async |tx| {
            lock_board(tx, id).await?;
            let round = next_round(tx, CONSENT_ROUNDS, id).await?;
            sqlx::query(
                "INSERT INTO consent_rounds (board_id, round, note_id, open) VALUES ($1, $2, $3, 1)",
            )
            .bind(id.as_str())
            .bind(round)
            .bind(note.as_str())
            .execute(&mut *tx)
            .await?;
            Ok(round)
        })
        .await
    }

    /// Keeps a seat's answer to an open round; returns how many have answered it.
    pub async fn answer_consent(
        &self,
        id: &BoardId,
        round: i64,
        seat: &KeyHash,
        answer: &StoredAnswer,
    ) -> Result<Result<i64, AnswerRefused>, StorageError> {
        self.transaction(async |tx| {
            lock_board(tx, id).await?;
            if !seated(tx, id, seat).await? {
                return Ok(Err(AnswerRefused::NoSeat));
            }
            if !round_open(tx, id, round).await? {
                return Ok(Err(AnswerRefused::NotOpen));
            }
            let answered: Option<i64> = sqlx::query_scalar(
                "SELECT 1 FROM consent_answers WHERE board_id = $1 AND round = $2 AND seat_key = $3",
            )
            .bind(id.as_str())
            .bind(round)
            .bind(seat.to_hex())
            .fetch_optional(&mut *tx)
            .await?;
            if answered.is_some() {
                return Ok(Err(AnswerRefused::AlreadyAnswered));
            }
            sqlx::query(
                "INSERT INTO consent_answers (board_id, round, seat_key, answer, reason, name, \
                 answered_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id.as_str())
            .bind(round)
            .bind(seat.to_hex())
            .bind(&answer.answer)
            .bind(&answer.reason)
            .bind(&answer.name)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
            Ok(Ok(count(tx, id, round).await?))
        })
        .await
    }

    /// What a seat answered in a round, if it did.
    pub async fn my_answer(
        &self,
        id: &BoardId,
        round: i64,
        seat: &KeyHash,
    ) -> Result<Option<StoredAnswer>, StorageError> {
        let row = sqlx::query(
            "SELECT answer, reason, name FROM consent_answers \
             WHERE board_id = $1 AND round = $2 AND seat_key = $3",
        )
        .bind(id.as_str())
        .bind(round)
        .bind(seat.to_hex())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(stored_answer).transpose()
    }

    /// Closes a round and returns all its answers (ordered by their reason and answer, never
    /// by who or when); `None` if there is no such round. Closing a closed round reads them
    /// again and changes nothing.
    pub async fn close_consent(
        &self,
        id: &BoardId,
        round: i64,
    ) -> Result<Option<Vec<StoredAnswer>>, StorageError> {
        self.transaction(async |tx| {
            lock_board(tx, id).await?;
            if !close_round(tx, CONSENT_ROUNDS, id, round).await? {
                return Ok(None);
            }
            let rows = sqlx::query(
                "SELECT answer, reason, name FROM consent_answers WHERE board_id = $1 AND round = $2 \
                 ORDER BY answer, reason, name",
            )
            .bind(id.as_str())
            .bind(round)
            .fetch_all(&mut *tx)
            .await?;
            Ok(Some(rows.iter().map(stored_answer).collect::<Result<_, _>>()?))
        })
        .await
    }
}

async fn round_open(
    tx: &mut sqlx::AnyConnection,
    id: &BoardId,
    round: i64,
) -> Result<bool, StorageError> {
    let open: Option<i64> =
        sqlx::query_scalar("SELECT open FROM consent_rounds WHERE board_id = $1 AND round = $2")
            .bind(id.as_str())
            .bind(round)
            .fetch_optional(&mut *tx)
            .await?;
    Ok(open == Some(1))
}

async fn count(
    tx: &mut sqlx::AnyConnection,
    id: &BoardId,
    round: i64,
) -> Result<i64, StorageError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM consent_answers WHERE board_id = $1 AND round = $2",
    )
    .bind(id.as_str())
    .bind(round)
    .fetch_one(&mut *tx)
    .await?)
}

fn stored_answer(row: &sqlx::any::AnyRow) -> Result<StoredAnswer, StorageError> {
    Ok(StoredAnswer {
        answer: row.try_get("answer")?,
        reason: row.try_get("reason")?,
        name: row.try_get("name")?,
    })
}
