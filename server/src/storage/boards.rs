//! Board queries: create, load (snapshot plus change log), append a change, compact.

use app::{ids::BoardId, model::Board};
use sqlx::Row;

use super::{now_ms, Storage, StorageError};

/// A board as stored: its last snapshot and the changes appended since.
#[derive(Debug, Clone)]
pub struct StoredBoard {
    pub title: String,
    pub snapshot: Vec<u8>,
    pub changes: Vec<Vec<u8>>,
    /// Sequence number of the last change (or of the snapshot when there is none).
    pub last_seq: i64,
}

impl StoredBoard {
    /// The document: the snapshot, then each logged change. A damaged change is skipped and logged
    /// rather than making the whole board unreadable.
    pub fn to_board(&self, id: &BoardId) -> Result<Board, app::model::ModelError> {
        let mut board = Board::load(&self.snapshot)?;
        for (index, change) in self.changes.iter().enumerate() {
            if let Err(error) = board.doc_mut().load_incremental(change) {
                tracing::error!(board = %id, index, %error, "skipping an unreadable stored change");
            }
        }
        Ok(board)
    }

    /// Bytes of the change log.
    pub fn log_bytes(&self) -> usize {
        self.changes.iter().map(Vec::len).sum()
    }
}

impl Storage {
    pub async fn create_board(
        &self,
        id: &BoardId,
        title: &str,
        snapshot: &[u8],
    ) -> Result<(), StorageError> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO boards (id, title, created_at, updated_at, snapshot, snapshot_seq) \
             VALUES ($1, $2, $3, $4, $5, 0)",
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
        let Some(row) =
            sqlx::query("SELECT title, snapshot, snapshot_seq FROM boards WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(&mut *tx)
                .await?
        else {
            return Ok(None);
        };
        let snapshot_seq: i64 = row.try_get("snapshot_seq")?;
        let rows = sqlx::query(
            "SELECT seq, data FROM board_changes WHERE board_id = $1 AND seq > $2 ORDER BY seq",
        )
        .bind(id.as_str())
        .bind(snapshot_seq)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let mut last_seq = snapshot_seq;
        let mut changes = Vec::with_capacity(rows.len());
        for row in rows {
            last_seq = row.try_get("seq")?;
            changes.push(row.try_get("data")?);
        }
        Ok(Some(StoredBoard {
            title: row.try_get("title")?,
            snapshot: row.try_get("snapshot")?,
            changes,
            last_seq,
        }))
    }

    /// The stored board and its document; `None` if there is no such board, or if its snapshot
    /// is unreadable (logged).
    pub async fn load_document(
        &self,
        id: &BoardId,
    ) -> Result<Option<(StoredBoard, Board)>, StorageError> {
        let Some(stored) = self.load_board(id).await? else {
            return Ok(None);
        };
        match stored.to_board(id) {
            Ok(board) => Ok(Some((stored, board))),
            Err(error) => {
                tracing::error!(board = %id, %error, "stored board cannot be loaded");
                Ok(None)
            }
        }
    }

    /// Appends one batch of incremental changes under sequence number `seq`.
    pub async fn append_change(
        &self,
        id: &BoardId,
        seq: i64,
        data: &[u8],
    ) -> Result<(), StorageError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO board_changes (board_id, seq, data) VALUES ($1, $2, $3)")
            .bind(id.as_str())
            .bind(seq)
            .bind(data)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE boards SET updated_at = $1 WHERE id = $2")
            .bind(now_ms())
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces the snapshot with one that includes every change up to `seq`, and drops those
    /// changes from the log, in one transaction.
    pub async fn compact(
        &self,
        id: &BoardId,
        snapshot: &[u8],
        seq: i64,
    ) -> Result<(), StorageError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE boards SET snapshot = $1, snapshot_seq = $2 WHERE id = $3")
            .bind(snapshot)
            .bind(seq)
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM board_changes WHERE board_id = $1 AND seq <= $2")
            .bind(id.as_str())
            .bind(seq)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
