//! A board's change log: load (snapshot plus log), append a change, catch up with changes
//! written by another server, compact.
//!
//! Every write to a board first updates the board's row, which locks it until the transaction
//! ends: change numbers then follow commit order, and a compaction cannot race an append, even
//! with several servers sharing one PostgreSQL.

use app::{ids::BoardId, model::Board};
use sqlx::{any::AnyRow, AnyConnection, Row};

use super::{
    error::{DbKind, StorageError},
    integrity,
    notify::Written,
    pool::{now_ms, Storage},
};

/// A board as stored: its last snapshot and the changes appended since.
#[derive(Debug, Clone)]
pub struct StoredBoard {
    pub title: String,
    pub snapshot: Vec<u8>,
    pub changes: Vec<StoredChange>,
    /// Number of the last change (or of the last one folded into the snapshot when the log is
    /// empty): the document holds every change up to it.
    pub last_seq: i64,
}

/// One entry of a board's change log: incremental Automerge changes.
#[derive(Debug, Clone)]
pub struct StoredChange {
    pub seq: i64,
    pub data: Vec<u8>,
}

/// A stored board turned into its document.
#[derive(Debug)]
pub struct LoadedBoard {
    pub stored: StoredBoard,
    pub board: Board,
    /// Some stored bytes could not be read (logged): the document holds what could be. The
    /// stored bytes must then be left as they are, for an administrator to look at.
    pub damaged: bool,
}

/// What the database holds beyond a given change number, for a server to catch up with.
#[derive(Debug)]
pub struct CatchUp {
    /// The snapshot, when it includes changes past that number (another server compacted).
    pub snapshot: Option<Vec<u8>>,
    pub changes: Vec<StoredChange>,
    pub last_seq: i64,
}

/// Outcome of a compaction.
#[derive(Debug, PartialEq, Eq)]
pub enum Compaction {
    Done,
    /// Another server appended changes this document does not hold: catch up, then retry.
    Behind,
    /// The board was deleted.
    Gone,
}

impl StoredBoard {
    /// The document: the snapshot, then each logged change. Damaged bytes are logged and skipped
    /// (what can be read of a damaged snapshot is kept) rather than making the board unreadable.
    pub fn to_board(&self, id: &BoardId) -> (Board, bool) {
        let (mut board, mut damaged) = match Board::load(&self.snapshot) {
            Ok(board) => (board, false),
            Err(error) => {
                tracing::error!(board = %id, %error, "the stored snapshot is damaged; loading what can be read");
                (Board::load_partial(&self.snapshot), true)
            }
        };
        // One load of every whole entry is much faster than one load per entry.
        let mut log = Vec::with_capacity(self.log_bytes());
        let mut expected = Vec::new();
        for change in &self.changes {
            match integrity::check(&change.data) {
                Ok(chunks) => {
                    log.extend_from_slice(&change.data);
                    expected.extend(chunks.changes);
                }
                Err(damage) => {
                    tracing::error!(board = %id, seq = change.seq, %damage, "skipping a damaged stored change");
                    damaged = true;
                }
            }
        }
        if log.is_empty() {
            return (board, damaged);
        }
        if let Err(reason) = load_all(&mut board, &log, &expected, &[]) {
            tracing::error!(board = %id, %reason, "the stored changes could not all be applied");
            damaged = true;
        }
        (board, damaged)
    }

    /// Bytes of the change log.
    pub fn log_bytes(&self) -> usize {
        self.changes.iter().map(|c| c.data.len()).sum()
    }

    /// The snapshot followed by the log: Automerge loads the concatenation as one document.
    pub fn document_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(self.snapshot.len() + self.log_bytes());
        bytes.extend_from_slice(&self.snapshot);
        for change in &self.changes {
            bytes.extend_from_slice(&change.data);
        }
        bytes
    }
}

/// Loads whole (checked) bytes into `board`; fails if any change they hold did not make it into
/// the document: one that Automerge could not parse (it skips the rest of the bytes quietly), or
/// one waiting for a change that is not stored.
/// `waiting_before`: what the document already waited for (changes a peer sent ahead of their
/// dependencies), which proves nothing about these bytes.
pub(crate) fn load_all(
    board: &mut Board,
    bytes: &[u8],
    expected: &[automerge::ChangeHash],
    waiting_before: &[automerge::ChangeHash],
) -> Result<(), String> {
    board.load_incremental(bytes).map_err(|e| e.to_string())?;
    // Expected changes absent from the document, or waiting for changes that are not there (a
    // lookup in the change graph; fetching each change would cost far more).
    let missing = board.missing_deps(expected);
    let new = missing
        .iter()
        .filter(|hash| !waiting_before.contains(hash))
        .count();
    if new > 0 {
        return Err(format!(
            "{new} changes are missing or wait for changes that are not stored"
        ));
    }
    Ok(())
}

/// The logged changes of a board numbered in `(after, upto]`, in order.
pub(super) async fn changes_between(
    tx: &mut AnyConnection,
    id: &BoardId,
    after: i64,
    upto: i64,
) -> Result<Vec<StoredChange>, StorageError> {
    let rows = sqlx::query(
        "SELECT seq, data FROM board_changes \
         WHERE board_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq",
    )
    .bind(id.as_str())
    .bind(after)
    .bind(upto)
    .fetch_all(&mut *tx)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(StoredChange {
                seq: row.try_get("seq")?,
                data: row.try_get("data")?,
            })
        })
        .collect()
}

impl Storage {
    /// Reads `columns` of a board's row, holding off its writers until `tx` ends (`FOR SHARE` on
    /// PostgreSQL; an SQLite transaction reads one consistent snapshot anyway).
    async fn board_row(
        &self,
        tx: &mut AnyConnection,
        id: &BoardId,
        columns: &str,
    ) -> Result<Option<AnyRow>, StorageError> {
        let share_lock = match self.kind {
            DbKind::Postgres => " FOR SHARE",
            DbKind::Sqlite => "",
        };
        let query = format!("SELECT {columns} FROM boards WHERE id = $1{share_lock}");
        Ok(sqlx::query(&query)
            .bind(id.as_str())
            .fetch_optional(&mut *tx)
            .await?)
    }

    pub async fn load_board(&self, id: &BoardId) -> Result<Option<StoredBoard>, StorageError> {
        self.transaction(async |tx| {
            let columns = "title, snapshot, snapshot_seq, last_seq";
            let Some(row) = self.board_row(tx, id, columns).await? else {
                return Ok(None);
            };
            let snapshot_seq: i64 = row.try_get("snapshot_seq")?;
            let last_seq: i64 = row.try_get("last_seq")?;
            let changes = changes_between(tx, id, snapshot_seq, last_seq).await?;
            Ok(Some(StoredBoard {
                title: row.try_get("title")?,
                snapshot: row.try_get("snapshot")?,
                changes,
                last_seq,
            }))
        })
        .await
    }

    /// The stored board and its document; `None` if there is no such board.
    pub async fn load_document(&self, id: &BoardId) -> Result<Option<LoadedBoard>, StorageError> {
        let Some(stored) = self.load_board(id).await? else {
            return Ok(None);
        };
        let (board, damaged) = stored.to_board(id);
        Ok(Some(LoadedBoard {
            stored,
            board,
            damaged,
        }))
    }

    /// Appends incremental changes to a board's log and returns their change number.
    pub async fn append_change(&self, id: &BoardId, data: &[u8]) -> Result<i64, StorageError> {
        self.transaction(async |tx| {
            let seq: i64 = sqlx::query(
                "UPDATE boards SET last_seq = last_seq + 1, updated_at = $1 WHERE id = $2 \
                 RETURNING last_seq",
            )
            .bind(now_ms())
            .bind(id.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StorageError::NoSuchBoard)?
            .try_get("last_seq")?;
            sqlx::query("INSERT INTO board_changes (board_id, seq, data) VALUES ($1, $2, $3)")
                .bind(id.as_str())
                .bind(seq)
                .bind(data)
                .execute(&mut *tx)
                .await?;
            let written = Written::Change {
                board: id.clone(),
                seq,
            };
            self.announce(tx, written).await?;
            Ok(seq)
        })
        .await
    }

    /// What was stored after change `after`; `None` if the board is gone.
    pub async fn changes_since(
        &self,
        id: &BoardId,
        after: i64,
    ) -> Result<Option<CatchUp>, StorageError> {
        self.transaction(async |tx| {
            let Some(row) = self.board_row(tx, id, "snapshot_seq, last_seq").await? else {
                return Ok(None);
            };
            let snapshot_seq: i64 = row.try_get("snapshot_seq")?;
            let last_seq: i64 = row.try_get("last_seq")?;
            let snapshot = if snapshot_seq > after {
                let row = sqlx::query("SELECT snapshot FROM boards WHERE id = $1")
                    .bind(id.as_str())
                    .fetch_one(&mut *tx)
                    .await?;
                Some(row.try_get("snapshot")?)
            } else {
                None
            };
            let changes = changes_between(tx, id, after.max(snapshot_seq), last_seq).await?;
            Ok(Some(CatchUp {
                snapshot,
                changes,
                last_seq,
            }))
        })
        .await
    }

    /// Replaces the snapshot by `snapshot`, which must hold every change up to `known_seq`, and
    /// drops those changes from the log, in one transaction; refuses if the log goes further.
    pub async fn compact(
        &self,
        id: &BoardId,
        snapshot: &[u8],
        known_seq: i64,
    ) -> Result<Compaction, StorageError> {
        let compacted = self
            .transaction(async |tx| {
                // Locks the row: no append can come between the check and the replacement.
                let Some(row) = sqlx::query(
                "UPDATE boards SET snapshot_seq = snapshot_seq WHERE id = $1 RETURNING last_seq",
            )
            .bind(id.as_str())
            .fetch_optional(&mut *tx)
            .await?
            else {
                return Ok(Compaction::Gone);
            };
                let last_seq: i64 = row.try_get("last_seq")?;
                if last_seq != known_seq {
                    // Rolled back: the lock was all this transaction wanted.
                    return Err(StorageError::LogAhead);
                }
                sqlx::query("UPDATE boards SET snapshot = $1, snapshot_seq = $2 WHERE id = $3")
                    .bind(snapshot)
                    .bind(known_seq)
                    .bind(id.as_str())
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM board_changes WHERE board_id = $1 AND seq <= $2")
                    .bind(id.as_str())
                    .bind(known_seq)
                    .execute(&mut *tx)
                    .await?;
                Ok(Compaction::Done)
            })
            .await;
        match compacted {
            Err(StorageError::LogAhead) => Ok(Compaction::Behind),
            other => other,
        }
    }
}
