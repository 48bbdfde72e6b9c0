//! Notifications of what storage wrote, for several `ardoise` processes on one PostgreSQL: every
//! append and every deletion sends a notification (`NOTIFY`, delivered when its transaction
//! commits) naming the board and the change number, so that the other servers can read the new
//! changes from the log. The notification carries no document data, so it stays far below
//! PostgreSQL's 8,000-byte payload limit, and a lost one costs only latency.
//!
//! The channel is the servers' shared line: [`crate::sync::cluster`] listens on it and passes
//! presence there too. SQLite is one process's file: nothing is announced and nobody listens.

use app::ids::BoardId;
use sqlx::{postgres::PgListener, AnyConnection};

use super::{
    error::{DbKind, StorageError},
    pool::Storage,
};

/// The PostgreSQL channel the notifications travel on.
pub const CHANGES_CHANNEL: &str = "ardoise_changes";

/// The word in a notification's payload that stands for a deletion instead of a change number.
const DELETED: &str = "deleted";
/// The word for a change of the board's links or openness.
const ACCESS: &str = "access";

/// What a server's storage committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Change number `seq` of `board` is stored.
    Change { board: BoardId, seq: i64 },
    /// `board` was deleted.
    Deleted { board: BoardId },
    /// `board`'s links or openness changed: connections may have lost their rights.
    Access { board: BoardId },
}

impl Written {
    /// The notification's payload: `<board id> <seq>`, `<board id> deleted` or
    /// `<board id> access`.
    pub fn payload(&self) -> String {
        match self {
            Self::Change { board, seq } => format!("{board} {seq}"),
            Self::Deleted { board } => format!("{board} {DELETED}"),
            Self::Access { board } => format!("{board} {ACCESS}"),
        }
    }

    /// What a payload says, or `None` if it is not one of these.
    pub fn parse(payload: &str) -> Option<Self> {
        let mut words = payload.split(' ');
        let board = BoardId::parse(words.next()?).ok()?;
        let written = match words.next()? {
            DELETED => Self::Deleted { board },
            ACCESS => Self::Access { board },
            seq => Self::Change {
                board,
                seq: seq.parse().ok()?,
            },
        };
        words.next().is_none().then_some(written)
    }
}

/// A listening connection to PostgreSQL.
pub struct Listener {
    listener: PgListener,
}

impl Listener {
    /// The next notification's payload; `Ok(None)` when the connection was lost, after which
    /// notifications may have been missed: listen again, then catch up.
    pub async fn next(&mut self) -> Result<Option<String>, StorageError> {
        Ok(self
            .listener
            .try_recv()
            .await?
            .map(|notification| notification.payload().to_owned()))
    }
}

/// The query that sends a payload to every server listening on this database.
fn notify_query(
    payload: String,
) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments<'static>> {
    // pg_notify returns `void`, which sqlx's Any driver cannot read: select a number.
    sqlx::query("SELECT 1 AS sent FROM (SELECT pg_notify($1, $2)) AS notify")
        .bind(CHANGES_CHANNEL)
        .bind(payload)
}

impl Storage {
    /// Tells the other servers on this database what `tx` wrote, when it commits (PostgreSQL
    /// only).
    pub(super) async fn announce(
        &self,
        tx: &mut AnyConnection,
        written: Written,
    ) -> Result<(), StorageError> {
        if self.kind == DbKind::Postgres {
            notify_query(written.payload()).execute(&mut *tx).await?;
        }
        Ok(())
    }

    /// Tells the other servers on this database at once, outside any transaction (PostgreSQL
    /// only): for presence, which is never stored.
    pub async fn notify(&self, payload: &str) -> Result<(), StorageError> {
        if self.kind == DbKind::Postgres {
            notify_query(payload.to_owned()).execute(&self.pool).await?;
        }
        Ok(())
    }

    /// Listens to what every server sharing this database announces: `None` on SQLite, which
    /// one process serves alone.
    pub async fn listen(&self) -> Result<Option<Listener>, StorageError> {
        let Some(url) = &self.postgres_url else {
            return Ok(None);
        };
        let mut listener = PgListener::connect(url).await?;
        listener.listen(CHANGES_CHANNEL).await?;
        Ok(Some(Listener { listener }))
    }
}

#[cfg(test)]
mod tests {
    use super::Written;
    use app::ids::BoardId;

    #[test]
    fn payloads_read_back_and_others_are_not_written() {
        let board = BoardId::random();
        for written in [
            Written::Change {
                board: board.clone(),
                seq: 42,
            },
            Written::Deleted {
                board: board.clone(),
            },
        ] {
            assert_eq!(Written::parse(&written.payload()), Some(written));
        }
        for other in [
            "",
            "42",
            &format!("{board}"),
            &format!("{board} x"),
            "nope 3",
            &format!("{board} 3 4"),
            &format!("{board} left a b"),
        ] {
            assert_eq!(Written::parse(other), None, "{other:?}");
        }
    }
}
