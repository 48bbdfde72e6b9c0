//! Live word of what other servers store, for several `ardoise` processes on one PostgreSQL:
//! every append and every deletion sends a notification (`NOTIFY`, delivered when its
//! transaction commits) naming the board and the change number; each server listens and has its
//! open boards read the new changes from the log. The notification carries no document data, so
//! it stays far below PostgreSQL's 8,000-byte payload limit, and a lost one costs only latency: a
//! server that loses its listening connection reconnects and has every open board catch up.
//!
//! Presence travels the same way, outside any transaction: an ephemeral message a peer sent to
//! one server, and the departure of a peer, are notified with the data (at most
//! [`MAX_EPHEMERAL_BYTES`] bytes, base64: well under the payload limit) and relayed by the other
//! servers to their own peers of that board.
//!
//! SQLite is one process's file: it has no feed.

use app::{
    ids::{BoardId, PeerId},
    protocol::MAX_EPHEMERAL_BYTES,
};
use base64::Engine;
use sqlx::postgres::PgListener;

use super::StorageError;

/// The PostgreSQL channel the notifications travel on.
pub const CHANGES_CHANNEL: &str = "ardoise_changes";

/// The word in a notification's payload that stands for a deletion instead of a change number.
const DELETED: &str = "deleted";
/// The word for an ephemeral message.
const EPHEMERAL: &str = "ephemeral";
/// The word for a peer's departure.
const LEFT: &str = "left";

/// What another server (or this one) stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedEvent {
    /// Change number `seq` of `board` is stored.
    Stored { board: BoardId, seq: i64 },
    /// `board` was deleted.
    Deleted { board: BoardId },
    /// A peer of `board` connected to `server` sent an ephemeral message (presence).
    Ephemeral {
        board: BoardId,
        server: PeerId,
        sender: PeerId,
        count: u64,
        data: Vec<u8>,
    },
    /// A peer of `board` connected to `server` left.
    Left {
        board: BoardId,
        server: PeerId,
        peer: PeerId,
    },
}

impl FeedEvent {
    /// The notification's payload: `<board id> <seq>`, `<board id> deleted`,
    /// `<board id> ephemeral <server> <sender> <count> <base64 data>` or
    /// `<board id> left <server> <peer>`.
    pub fn payload(&self) -> String {
        let base64 = base64::engine::general_purpose::STANDARD;
        match self {
            Self::Stored { board, seq } => format!("{board} {seq}"),
            Self::Deleted { board } => format!("{board} {DELETED}"),
            Self::Ephemeral {
                board,
                server,
                sender,
                count,
                data,
            } => format!(
                "{board} {EPHEMERAL} {server} {sender} {count} {}",
                base64.encode(data)
            ),
            Self::Left {
                board,
                server,
                peer,
            } => format!("{board} {LEFT} {server} {peer}"),
        }
    }

    pub fn parse(payload: &str) -> Option<Self> {
        let mut words = payload.split(' ');
        let board = BoardId::parse(words.next()?).ok()?;
        let event = match words.next()? {
            DELETED => Self::Deleted { board },
            EPHEMERAL => {
                let server = PeerId::parse(words.next()?).ok()?;
                let sender = PeerId::parse(words.next()?).ok()?;
                let count = words.next()?.parse().ok()?;
                let data = base64::engine::general_purpose::STANDARD
                    .decode(words.next()?)
                    .ok()
                    .filter(|d| d.len() <= MAX_EPHEMERAL_BYTES)?;
                Self::Ephemeral {
                    board,
                    server,
                    sender,
                    count,
                    data,
                }
            }
            LEFT => Self::Left {
                board,
                server: PeerId::parse(words.next()?).ok()?,
                peer: PeerId::parse(words.next()?).ok()?,
            },
            seq => Self::Stored {
                board,
                seq: seq.parse().ok()?,
            },
        };
        words.next().is_none().then_some(event)
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
    use app::ids::{BoardId, PeerId};

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
            FeedEvent::Ephemeral {
                board: board.clone(),
                server: PeerId::random(),
                sender: PeerId::random(),
                count: 7,
                data: vec![0, 255, 3],
            },
            FeedEvent::Left {
                board: board.clone(),
                server: PeerId::random(),
                peer: PeerId::random(),
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
            &format!("{board} 3 4"),
            &format!("{board} ephemeral a b 1 !!"),
            &format!("{board} left a"),
        ] {
            assert_eq!(FeedEvent::parse(foreign), None, "{foreign:?}");
        }
    }
}
