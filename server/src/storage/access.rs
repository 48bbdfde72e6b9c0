//! A board's access rules: its link secrets' hashes and whether it is open. Every change of them
//! is announced, so that every server ends the connections a change locks out.

use app::{access::Role, ids::BoardId};
use sqlx::Row;

use super::{error::StorageError, notify::Written, pool::Storage};
use crate::access::{Access, KeyHash};

/// The column of each role's key hash.
fn key_column(role: Role) -> &'static str {
    match role {
        Role::Facilitator => "facilitator_key",
        Role::Participant => "participant_key",
        Role::Observer => "observer_key",
    }
}

impl Storage {
    /// The board's access rules; `None` if there is no such board.
    pub async fn access(&self, id: &BoardId) -> Result<Option<Access>, StorageError> {
        let row = sqlx::query(
            "SELECT open_access, facilitator_key, participant_key, observer_key \
             FROM boards WHERE id = $1",
        )
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let open: i64 = row.try_get("open_access")?;
        let mut access = Access {
            open: open != 0,
            keys: [None; 3],
        };
        for role in Role::ALL {
            let stored: Option<String> = row.try_get(key_column(role))?;
            match stored.as_deref().map(KeyHash::from_hex) {
                Some(Some(key)) => access.set_key(role, key),
                Some(None) => {
                    tracing::warn!(board = %id, role = role.as_str(), "a stored link hash is invalid: the link gives nothing")
                }
                None => {}
            }
        }
        Ok(Some(access))
    }

    /// Opens or closes the board's plain address; returns whether the board exists.
    pub async fn set_open(&self, id: &BoardId, open: bool) -> Result<bool, StorageError> {
        self.update_access(id, "open_access", i64::from(open)).await
    }

    /// Replaces the key of `role`'s link (the old link stops working); returns whether the
    /// board exists.
    pub async fn set_key(
        &self,
        id: &BoardId,
        role: Role,
        key: &KeyHash,
    ) -> Result<bool, StorageError> {
        self.update_access(id, key_column(role), key.to_hex()).await
    }

    /// Sets one access column of the board and announces it; returns whether the board exists.
    async fn update_access<T>(
        &self,
        id: &BoardId,
        column: &'static str,
        value: T,
    ) -> Result<bool, StorageError>
    where
        T: for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Send,
    {
        let query = format!("UPDATE boards SET {column} = $1 WHERE id = $2");
        self.transaction(async |tx| {
            let found = sqlx::query(&query)
                .bind(value)
                .bind(id.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected()
                > 0;
            if found {
                self.announce(tx, Written::Access { board: id.clone() })
                    .await?;
            }
            Ok(found)
        })
        .await
    }
}
