//! Board queries: create, load (snapshot plus change log), append a change, catch up with changes
//! written by another server, compact, delete.
//!
//! Every write to a board first updates the board's row, which locks it until the transaction
//! ends: change numbers then follow commit order, and a compaction cannot race an append, even
//! with several servers sharing one PostgreSQL.

use app::{ids::BoardId, model::Board};
use sqlx::{any::AnyRow, AnyConnection, Row};

use super::{integrity, now_ms, DbKind, FeedEvent, Storage, StorageError, CHANGES_CHANNEL};

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

/// Outcome of an import.
#[derive(Debug, PartialEq, Eq)]
pub enum Imported {
    /// A new board.
    Created,
    /// The board existed: the imported history was merged into it.
    Merged,
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
    board
        .doc_mut()
        .load_incremental(bytes)
        .map_err(|e| e.to_string())?;
    // Expected changes absent from the document, or waiting for changes that are not there (a
    // lookup in the change graph; fetching each change would cost far more).
    let missing = board.doc_mut().get_missing_deps(expected);
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
async fn changes_between(
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

/// The query that sends an event to every server listening on this database.
fn notify_query(
    event: &FeedEvent,
) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments<'static>> {
    // pg_notify returns `void`, which sqlx's Any driver cannot read: select a number.
    sqlx::query("SELECT 1 AS sent FROM (SELECT pg_notify($1, $2)) AS notify")
        .bind(CHANGES_CHANNEL)
        .bind(event.payload())
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
        let query = format!(
            "SELECT {columns} FROM boards WHERE id = $1{}",
            self.share_lock()
        );
        Ok(sqlx::query(&query)
            .bind(id.as_str())
            .fetch_optional(&mut *tx)
            .await?)
    }

    /// Tells the other servers on this database, when `tx` commits (PostgreSQL only).
    async fn announce(&self, tx: &mut AnyConnection, event: FeedEvent) -> Result<(), StorageError> {
        if self.kind == DbKind::Postgres {
            notify_query(&event).execute(&mut *tx).await?;
        }
        Ok(())
    }

    /// Tells the other servers on this database at once, outside any transaction (PostgreSQL
    /// only): for presence, which is never stored.
    pub async fn notify(&self, event: &FeedEvent) -> Result<(), StorageError> {
        if self.kind == DbKind::Postgres {
            notify_query(event).execute(&self.pool).await?;
        }
        Ok(())
    }

    /// `FOR SHARE` on PostgreSQL: a read of a board's row that waits for, and holds off, the
    /// writers of that board. SQLite transactions read one consistent snapshot anyway.
    fn share_lock(&self) -> &'static str {
        match self.kind {
            DbKind::Postgres => " FOR SHARE",
            DbKind::Sqlite => "",
        }
    }

    pub async fn create_board(
        &self,
        id: &BoardId,
        title: &str,
        snapshot: &[u8],
    ) -> Result<(), StorageError> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO boards (id, title, created_at, updated_at, snapshot, snapshot_seq, last_seq) \
             VALUES ($1, $2, $3, $4, $5, 0, 0)",
        )
        .bind(id.as_str())
        .bind(title)
        .bind(now)
        .bind(now)
        .bind(snapshot)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn load_board(&self, id: &BoardId) -> Result<Option<StoredBoard>, StorageError> {
        let mut tx = self.pool.begin().await?;
        let columns = "title, snapshot, snapshot_seq, last_seq";
        let Some(row) = self.board_row(&mut tx, id, columns).await? else {
            return Ok(None);
        };
        let snapshot_seq: i64 = row.try_get("snapshot_seq")?;
        let last_seq: i64 = row.try_get("last_seq")?;
        let changes = changes_between(&mut tx, id, snapshot_seq, last_seq).await?;
        tx.commit().await?;
        Ok(Some(StoredBoard {
            title: row.try_get("title")?,
            snapshot: row.try_get("snapshot")?,
            changes,
            last_seq,
        }))
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
        let mut tx = self.pool.begin().await?;
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
        self.announce(
            &mut tx,
            FeedEvent::Stored {
                board: id.clone(),
                seq,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(seq)
    }

    /// What was stored after change `after`; `None` if the board is gone.
    pub async fn changes_since(
        &self,
        id: &BoardId,
        after: i64,
    ) -> Result<Option<CatchUp>, StorageError> {
        let mut tx = self.pool.begin().await?;
        let Some(row) = self
            .board_row(&mut tx, id, "snapshot_seq, last_seq")
            .await?
        else {
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
        let changes = changes_between(&mut tx, id, after.max(snapshot_seq), last_seq).await?;
        tx.commit().await?;
        Ok(Some(CatchUp {
            snapshot,
            changes,
            last_seq,
        }))
    }

    /// Replaces the snapshot by `snapshot`, which must hold every change up to `known_seq`, and
    /// drops those changes from the log, in one transaction; refuses if the log goes further.
    pub async fn compact(
        &self,
        id: &BoardId,
        snapshot: &[u8],
        known_seq: i64,
    ) -> Result<Compaction, StorageError> {
        let mut tx = self.pool.begin().await?;
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
            tx.rollback().await?;
            return Ok(Compaction::Behind);
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
        tx.commit().await?;
        Ok(Compaction::Done)
    }

    /// Marks a board as in use now (opened), for the retention: a board people look at is not
    /// idle even if nobody edits it.
    pub async fn touch_board(&self, id: &BoardId) -> Result<(), StorageError> {
        sqlx::query("UPDATE boards SET updated_at = $1 WHERE id = $2")
            .bind(now_ms())
            .bind(id.as_str())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Deletes a board and its whole history; returns whether it existed.
    pub async fn delete_board(&self, id: &BoardId) -> Result<bool, StorageError> {
        self.delete_board_where(id, None).await
    }

    /// Deletes a board if it has not changed since `cutoff_ms`; returns whether it did.
    pub async fn delete_board_if_idle(
        &self,
        id: &BoardId,
        cutoff_ms: i64,
    ) -> Result<bool, StorageError> {
        self.delete_board_where(id, Some(cutoff_ms)).await
    }

    async fn delete_board_where(
        &self,
        id: &BoardId,
        idle_before: Option<i64>,
    ) -> Result<bool, StorageError> {
        let mut tx = self.pool.begin().await?;
        let deleted = sqlx::query("DELETE FROM boards WHERE id = $1 AND updated_at < $2")
            .bind(id.as_str())
            .bind(idle_before.unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
        if deleted {
            sqlx::query("DELETE FROM board_changes WHERE board_id = $1")
                .bind(id.as_str())
                .execute(&mut *tx)
                .await?;
            self.announce(&mut tx, FeedEvent::Deleted { board: id.clone() })
                .await?;
        }
        tx.commit().await?;
        Ok(deleted)
    }

    /// Boards that have not changed since `cutoff_ms`.
    pub async fn boards_idle_since(&self, cutoff_ms: i64) -> Result<Vec<BoardId>, StorageError> {
        let rows = sqlx::query("SELECT id FROM boards WHERE updated_at < $1")
            .bind(cutoff_ms)
            .fetch_all(&self.pool)
            .await?;
        let mut ids = Vec::with_capacity(rows.len());
        for row in rows {
            let id: String = row.try_get("id")?;
            match BoardId::parse(&id) {
                Ok(id) => ids.push(id),
                Err(error) => tracing::warn!(%id, %error, "a stored board has an invalid id"),
            }
        }
        Ok(ids)
    }

    /// Stores an exported document (its full history) as board `id`: a new board, or merged
    /// into the existing one (Automerge merges histories; nothing of either is lost).
    pub async fn import_board(
        &self,
        id: &BoardId,
        title: &str,
        document: &[u8],
    ) -> Result<Imported, StorageError> {
        match self.append_change(id, document).await {
            Ok(_) => Ok(Imported::Merged),
            Err(StorageError::NoSuchBoard) => {
                self.create_board(id, title, document).await?;
                Ok(Imported::Created)
            }
            Err(error) => Err(error),
        }
    }
}
