//! Live word of what other servers store, for several `ardoise` processes on one PostgreSQL:
//! every append and every deletion sends a notification (`NOTIFY`, delivered when its
//! transaction commits) naming the board and the change number; each server listens and has its
//! open boards read the new changes from the log. The notification carries no document data, so
//! it stays far below PostgreSQL's 8,000-byte payload limit, and a lost one costs only latency: a
//! server that loses its listening connection reconnects and has every open board catch up.
//!
//! SQLite is one process's file: it has no feed.

use app::ids::BoardId;
use sqlx::postgres::PgListener;

use super::StorageError;

/// The PostgreSQL channel the notifications travel on.
pub const CHANGES_CHANNEL: &str = "ardoise_changes";

/// The word in a notification's payload that stands for a deletion instead of a change number.
const DELETED: &str = "deleted";

/// What another server (or this one) stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedEvent {
    /// Change number `seq` of `board` is stored.
    Stored { board: BoardId, seq: i64 },
    /// `board` was deleted.
    Deleted { board: BoardId },
}

impl FeedEvent {
    /// The notification's payload: `<board id> <seq>` or `<board id> deleted`.
    pub fn payload(&self) -> String {
        match self {
            Self::Stored { board, seq } => format!("{board} {seq}"),
            Self::Deleted { board } => format!("{board} {DELETED}"),
        }
    }

    pub fn parse(payload: &str) -> Option<Self> {
        let (board, what) = payload.split_once(' ')?;
        let board = BoardId::parse(board).ok()?;
        if what == DELETED {
            Some(Self::Deleted { board })
        } else {
            Some(Self::Stored {
                board,
                seq: what.parse().ok()?,
            })
        }
    }
}

/// A listening connection to PostgreSQL.
pub struct ChangeFeed {
    listener: PgListener,
}

impl ChangeFeed {
    pub(super) async fn connect(url: &str) -> Result<Self, StorageError> {
        let mut listener = PgListener::connect(url).await?;
        listener.listen(CHANGES_CHANNEL).await?;
        Ok(Self { listener })
    }

    /// The next event; `Ok(None)` when the connection was lost, after which notifications may
    /// have been missed: connect a new feed, then catch up.
    pub async fn next(&mut self) -> Result<Option<FeedEvent>, StorageError> {
        loop {
            let Some(notification) = self.listener.try_recv().await? else {
                return Ok(None);
            };
            match FeedEvent::parse(notification.payload()) {
                Some(event) => return Ok(Some(event)),
                None => tracing::warn!(
                    payload = notification.payload(),
                    "ignoring a notification that is not Ardoise's"
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FeedEvent;
    use app::ids::BoardId;

    #[test]
    fn payloads_read_back_and_foreign_ones_are_refused() {
        let board = BoardId::random();
        for event in [
            FeedEvent::Stored {
                board: board.clone(),
                seq: 42,
            },
            FeedEvent::Deleted {
                board: board.clone(),
            },
        ] {
            assert_eq!(FeedEvent::parse(&event.payload()), Some(event));
        }
        for foreign in [
            "",
            "42",
            &format!("{board}"),
            &format!("{board} x"),
            "nope 3",
        ] {
            assert_eq!(FeedEvent::parse(foreign), None, "{foreign:?}");
        }
    }
}
