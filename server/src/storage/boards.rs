//! Boards as a whole: create, mark as used, delete (on demand or past the retention), import.

use app::{access::Role, ids::BoardId};
use sqlx::Row;

use super::{
    error::StorageError,
    notify::Written,
    pool::{now_ms, Storage},
};
use crate::access::{Access, KeyHash};

/// Outcome of an import.
#[derive(Debug, PartialEq, Eq)]
pub enum Imported {
    /// A new board.
    Created,
    /// The board existed: the imported history was merged into it.
    Merged,
}

impl Storage {
    /// Stores a new board with its access rules.
    pub async fn create_board(
        &self,
        id: &BoardId,
        title: &str,
        snapshot: &[u8],
        access: &Access,
    ) -> Result<(), StorageError> {
        let now = now_ms();
        let key = |role| access.key(role).map(KeyHash::to_hex);
        sqlx::query(
            "INSERT INTO boards (id, title, created_at, updated_at, snapshot, snapshot_seq, last_seq, \
             open_access, facilitator_key, participant_key, observer_key) \
             VALUES ($1, $2, $3, $4, $5, 0, 0, $6, $7, $8, $9)",
        )
        .bind(id.as_str())
        .bind(title)
        .bind(now)
        .bind(now)
        .bind(snapshot)
        .bind(i64::from(access.open))
        .bind(key(Role::Facilitator))
        .bind(key(Role::Participant))
        .bind(key(Role::Observer))
        .execute(&self.pool)
        .await?;
        Ok(())
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
        self.transaction(async |tx| {
            let deleted = sqlx::query("DELETE FROM boards WHERE id = $1 AND updated_at < $2")
                .bind(id.as_str())
                .bind(idle_before.unwrap_or(i64::MAX))
                .execute(&mut *tx)
                .await?
                .rows_affected()
                > 0;
            if deleted {
                for table in [
                    "board_changes",
                    "seats",
                    "vote_rounds",
                    "votes",
                    "drafts",
                    "consent_rounds",
                    "consent_answers",
                ] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE board_id = $1"))
                        .bind(id.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
                self.announce(tx, Written::Deleted { board: id.clone() })
                    .await?;
            }
            Ok(deleted)
        })
        .await
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

    /// Stores an exported document (its full history) as board `id`: a new board with the
    /// access rules `access`, or merged into the existing one (Automerge merges histories;
    /// nothing of either is lost), whose access stays as it was.
    pub async fn import_board(
        &self,
        id: &BoardId,
        title: &str,
        document: &[u8],
        access: &Access,
    ) -> Result<Imported, StorageError> {
        match self.append_change(id, document).await {
            Ok(_) => Ok(Imported::Merged),
            Err(StorageError::NoSuchBoard) => {
                self.create_board(id, title, document, access).await?;
                Ok(Imported::Created)
            }
            Err(error) => Err(error),
        }
    }
}
