//! Private post-its: written while the facilitator has writing set to private, kept here for
//! their author's seat only, never in the board document that every peer syncs. The board shows
//! only how many each person has; at the reveal the server writes them into the board itself.
//!
//! A reveal first marks the drafts it takes (`revealing`), writes them into the board, then
//! deletes them: a server stopped between the two leaves them marked, and the next reveal
//! writes them again (under the same post-it ids, so never twice). A marked draft is no longer
//! edited.

use app::ids::{BoardId, NoteId};
use sqlx::{AnyConnection, Row};

use super::{
    error::StorageError,
    pool::{now_ms, Storage},
    votes::lock_board,
};
use crate::access::KeyHash;

/// Most private post-its one seat keeps on a board at once.
pub const MAX_DRAFTS_PER_SEAT: i64 = 200;
/// Most private post-its a board keeps at once, all seats together.
pub const MAX_DRAFTS_PER_BOARD: i64 = 2_000;

/// A private post-it as stored: its future post-it id, its author's name as their page gave
/// it, and what the page wrote (JSON, read back by the API).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDraft {
    pub id: String,
    pub author: String,
    pub body: String,
}

/// Why a private post-it was not kept.
#[derive(Debug, PartialEq, Eq)]
pub enum DraftRefused {
    /// No such seat on this board.
    NoSeat,
    /// Another seat's post-it has that id.
    NotYours,
    /// It is being revealed: it is the board's now.
    Revealed,
    /// The seat, or the board, keeps as many as it may.
    TooMany,
}

/// How many private post-its one author has, as the board shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftCount {
    pub author: String,
    pub count: i64,
}

impl Storage {
    /// Keeps a seat's private post-it (adds it, or replaces that seat's one with this id);
    /// returns whether it is new.
    pub async fn put_draft(
        &self,
        id: &BoardId,
        seat: &KeyHash,
        draft: &StoredDraft,
    ) -> Result<Result<bool, DraftRefused>, StorageError> {
        self.transaction(async |tx| {
            lock_board(tx, id).await?;
            if !super::votes::seated(tx, id, seat).await? {
                return Ok(Err(DraftRefused::NoSeat));
            }
            let existing = sqlx::query(
                "SELECT seat_key, revealing FROM drafts WHERE board_id = $1 AND note_id = $2",
            )
            .bind(id.as_str())
            .bind(&draft.id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(row) = existing {
                let owner: String = row.try_get("seat_key")?;
                let revealing: i64 = row.try_get("revealing")?;
                if owner != seat.to_hex() {
                    return Ok(Err(DraftRefused::NotYours));
                }
                if revealing != 0 {
                    return Ok(Err(DraftRefused::Revealed));
                }
                sqlx::query(
                    "UPDATE drafts SET author = $1, body = $2 WHERE board_id = $3 AND note_id = $4",
                )
                .bind(&draft.author)
                .bind(&draft.body)
                .bind(id.as_str())
                .bind(&draft.id)
                .execute(&mut *tx)
                .await?;
                return Ok(Ok(false));
            }
            let row = sqlx::query(
                "SELECT COUNT(*) AS board, \
                 COALESCE(SUM(CASE WHEN seat_key = $2 THEN 1 ELSE 0 END), 0) AS seat \
                 FROM drafts WHERE board_id = $1",
            )
            .bind(id.as_str())
            .bind(seat.to_hex())
            .fetch_one(&mut *tx)
            .await?;
            let (board, mine): (i64, i64) = (row.try_get("board")?, row.try_get("seat")?);
            if board >= MAX_DRAFTS_PER_BOARD || mine >= MAX_DRAFTS_PER_SEAT {
                return Ok(Err(DraftRefused::TooMany));
            }
            sqlx::query(
                "INSERT INTO drafts (board_id, note_id, seat_key, author, body, created_at, \
                 revealing) VALUES ($1, $2, $3, $4, $5, $6, 0)",
            )
            .bind(id.as_str())
            .bind(&draft.id)
            .bind(seat.to_hex())
            .bind(&draft.author)
            .bind(&draft.body)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
            bump(tx, id).await?;
            Ok(Ok(true))
        })
        .await
    }

    /// Drops a seat's private post-it; returns whether it had one with this id. One being
    /// revealed is refused: it is the board's now (the page then finds it there).
    pub async fn delete_draft(
        &self,
        id: &BoardId,
        seat: &KeyHash,
        note: &NoteId,
    ) -> Result<Result<bool, DraftRefused>, StorageError> {
        self.transaction(async |tx| {
            lock_board(tx, id).await?;
            let revealing: Option<i64> = sqlx::query_scalar(
                "SELECT revealing FROM drafts WHERE board_id = $1 AND note_id = $2 \
                 AND seat_key = $3",
            )
            .bind(id.as_str())
            .bind(note.as_str())
            .bind(seat.to_hex())
            .fetch_optional(&mut *tx)
            .await?;
            if revealing.is_some_and(|r| r != 0) {
                return Ok(Err(DraftRefused::Revealed));
            }
            let deleted = sqlx::query(
                "DELETE FROM drafts WHERE board_id = $1 AND note_id = $2 AND seat_key = $3 \
                 AND revealing = 0",
            )
            .bind(id.as_str())
            .bind(note.as_str())
            .bind(seat.to_hex())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if deleted > 0 {
                bump(tx, id).await?;
            }
            Ok(Ok(deleted > 0))
        })
        .await
    }

    /// A seat's private post-its on a board, oldest first.
    pub async fn drafts_of(
        &self,
        id: &BoardId,
        seat: &KeyHash,
    ) -> Result<Vec<StoredDraft>, StorageError> {
        let rows = sqlx::query(
            "SELECT note_id, author, body FROM drafts WHERE board_id = $1 AND seat_key = $2 \
             AND revealing = 0 ORDER BY created_at, note_id",
        )
        .bind(id.as_str())
        .bind(seat.to_hex())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(stored_draft).collect()
    }

    /// How many private post-its each author has on the board (by the name their page gave,
    /// in name order), the ones being revealed left out; with the version of the board's
    /// private post-its they count (see `Board::set_hidden`).
    pub async fn draft_counts(&self, id: &BoardId) -> Result<(i64, Vec<DraftCount>), StorageError> {
        self.transaction(async |tx| {
            lock_board(tx, id).await?;
            counts(tx, id).await
        })
        .await
    }

    /// Marks for the reveal, and returns, the board's private post-its (only this seat's with
    /// `Some`), those an earlier reveal marked included, in the order of their ids; with the
    /// counts of those left, as [`Storage::draft_counts`].
    pub async fn take_drafts(
        &self,
        id: &BoardId,
        seat: Option<&KeyHash>,
    ) -> Result<(Vec<StoredDraft>, i64, Vec<DraftCount>), StorageError> {
        self.transaction(async |tx| {
            lock_board(tx, id).await?;
            let rows =
                match seat {
                    Some(seat) => sqlx::query(
                        "UPDATE drafts SET revealing = 1 WHERE board_id = $1 AND seat_key = $2 \
                         RETURNING note_id, author, body",
                    )
                    .bind(id.as_str())
                    .bind(seat.to_hex())
                    .fetch_all(&mut *tx)
                    .await?,
                    None => {
                        sqlx::query(
                            "UPDATE drafts SET revealing = 1 WHERE board_id = $1 \
                         RETURNING note_id, author, body",
                        )
                        .bind(id.as_str())
                        .fetch_all(&mut *tx)
                        .await?
                    }
                };
            let mut drafts = rows
                .iter()
                .map(stored_draft)
                .collect::<Result<Vec<_>, _>>()?;
            drafts.sort_by(|a, b| a.id.cmp(&b.id));
            bump(tx, id).await?;
            let (version, counts) = counts(tx, id).await?;
            Ok((drafts, version, counts))
        })
        .await
    }

    /// Gives back to their authors the private post-its a reveal took but could not write
    /// into the board (it is full, or storage failed): editable, counted, revealed next time.
    pub async fn unmark_revealing(
        &self,
        id: &BoardId,
        notes: &[String],
    ) -> Result<(), StorageError> {
        self.transaction(async |tx| {
            lock_board(tx, id).await?;
            for note in notes {
                sqlx::query("UPDATE drafts SET revealing = 0 WHERE board_id = $1 AND note_id = $2")
                    .bind(id.as_str())
                    .bind(note)
                    .execute(&mut *tx)
                    .await?;
            }
            bump(tx, id).await
        })
        .await
    }

    /// Deletes the private post-its a reveal wrote into the board.
    pub async fn drop_revealed(&self, id: &BoardId, notes: &[String]) -> Result<(), StorageError> {
        self.transaction(async |tx| {
            for note in notes {
                sqlx::query(
                    "DELETE FROM drafts WHERE board_id = $1 AND note_id = $2 AND revealing = 1",
                )
                .bind(id.as_str())
                .bind(note)
                .execute(&mut *tx)
                .await?;
            }
            Ok(())
        })
        .await
    }
}

fn stored_draft(row: &sqlx::any::AnyRow) -> Result<StoredDraft, StorageError> {
    Ok(StoredDraft {
        id: row.try_get("note_id")?,
        author: row.try_get("author")?,
        body: row.try_get("body")?,
    })
}

/// Counts a change to the board's private post-its.
async fn bump(tx: &mut AnyConnection, id: &BoardId) -> Result<(), StorageError> {
    sqlx::query("UPDATE boards SET drafts_version = drafts_version + 1 WHERE id = $1")
        .bind(id.as_str())
        .execute(&mut *tx)
        .await?;
    Ok(())
}

async fn counts(
    tx: &mut AnyConnection,
    id: &BoardId,
) -> Result<(i64, Vec<DraftCount>), StorageError> {
    let version: i64 = sqlx::query_scalar("SELECT drafts_version FROM boards WHERE id = $1")
        .bind(id.as_str())
        .fetch_one(&mut *tx)
        .await?;
    let rows = sqlx::query(
        "SELECT author, COUNT(*) AS count FROM drafts WHERE board_id = $1 AND revealing = 0 \
         GROUP BY author ORDER BY author",
    )
    .bind(id.as_str())
    .fetch_all(&mut *tx)
    .await?;
    let counts = rows
        .iter()
        .map(|row| {
            Ok(DraftCount {
                author: row.try_get("author")?,
                count: row.try_get("count")?,
            })
        })
        .collect::<Result<_, StorageError>>()?;
    Ok((version, counts))
}
