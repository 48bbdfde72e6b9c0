//! Several `ardoise` processes on one database: what one server tells the others. Locally (one
//! process, SQLite) there is nobody to tell. On PostgreSQL every server listens on one
//! `NOTIFY` channel: storage announces each change it commits and each deletion (see
//! [`crate::storage::Written`]), and the servers pass their peers' presence and departures
//! there too, outside any transaction, so that people on different servers see each other.
//! A server relays what it hears to the boards it has open.

use std::sync::{Arc, Mutex};

use app::{
    ids::{BoardId, PeerId},
    protocol::MAX_EPHEMERAL_BYTES,
};
use base64::Engine;
use tokio::sync::mpsc;

use super::{
    directory::Directory,
    limits::FEED_RETRY_DELAY,
    mailbox::{BoardEvent, Elsewhere},
};
use crate::storage::{DbKind, Storage, Written};

/// Presence messages waiting to be passed to the other servers; more are dropped (presence is
/// sent again soon anyway).
const PRESENCE_QUEUE_CAPACITY: usize = 1024;
/// The word in a notification's payload for an ephemeral message.
const EPHEMERAL: &str = "ephemeral";
/// The word for a peer's departure.
const LEFT: &str = "left";

/// What a server hears on the shared channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClusterEvent {
    /// What a server's storage committed.
    Written(Written),
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

impl ClusterEvent {
    /// The notification's payload: storage's for what it wrote,
    /// `<board id> ephemeral <server> <sender> <count> <base64 data>` or
    /// `<board id> left <server> <peer>`. Ephemeral data is at most [`MAX_EPHEMERAL_BYTES`]
    /// bytes, base64: well under PostgreSQL's 8,000-byte payload limit.
    pub fn payload(&self) -> String {
        let base64 = base64::engine::general_purpose::STANDARD;
        match self {
            Self::Written(written) => written.payload(),
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
        if let Some(written) = Written::parse(payload) {
            return Some(Self::Written(written));
        }
        let mut words = payload.split(' ');
        let board = BoardId::parse(words.next()?).ok()?;
        let event = match words.next()? {
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
            _ => return None,
        };
        words.next().is_none().then_some(event)
    }
}

/// This server's link to the others. Cheap to clone.
#[derive(Clone)]
pub struct Cluster {
    shared: Option<Arc<Shared>>,
}

struct Shared {
    storage: Storage,
    server_peer: PeerId,
    /// Presence for the other servers, sent by one task.
    presence_out: mpsc::Sender<ClusterEvent>,
    presence_queue: Mutex<Option<mpsc::Receiver<ClusterEvent>>>,
}

impl Cluster {
    /// One process alone: nobody to tell, nothing to hear.
    pub fn local() -> Cluster {
        Cluster { shared: None }
    }

    /// The servers sharing `storage`'s database: on PostgreSQL, every `ardoise` process using
    /// it; on SQLite, this one alone.
    pub fn of(storage: &Storage, server_peer: &PeerId) -> Cluster {
        if storage.kind() != DbKind::Postgres {
            return Cluster::local();
        }
        let (presence_out, presence_queue) = mpsc::channel(PRESENCE_QUEUE_CAPACITY);
        Cluster {
            shared: Some(Arc::new(Shared {
                storage: storage.clone(),
                server_peer: server_peer.clone(),
                presence_out,
                presence_queue: Mutex::new(Some(presence_queue)),
            })),
        }
    }

    /// Whether other servers may write to the same boards (then a board just opened reads the
    /// log once more: what they stored during the load found no open board here).
    pub fn is_shared(&self) -> bool {
        self.shared.is_some()
    }

    /// Passes presence or a departure from this server's peers to the other servers; dropped
    /// when the queue is full, and a no-op locally.
    pub fn publish(&self, event: ClusterEvent) {
        if let Some(shared) = &self.shared {
            let _ = shared.presence_out.try_send(event);
        }
    }

    /// Relays what the other servers say to the boards open here, until the process ends;
    /// returns at once locally. A lost listening connection is opened again, and every open
    /// board then reads what it may have missed.
    pub async fn follow(self, boards: Directory) {
        let Some(shared) = self.shared else { return };
        let queue = shared
            .presence_queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(queue) = queue {
            tokio::spawn(publish_presence(shared.storage.clone(), queue));
        }
        loop {
            let mut listener = match shared.storage.listen().await {
                Ok(Some(listener)) => listener,
                Ok(None) => return,
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for other servers' changes, will retry");
                    tokio::time::sleep(FEED_RETRY_DELAY).await;
                    continue;
                }
            };
            // Listening again: what was stored while nobody listened is read now.
            for id in boards.ids() {
                boards.tell(&id, BoardEvent::Stored { seq: None });
            }
            loop {
                let payload = match listener.next().await {
                    Ok(Some(payload)) => payload,
                    Ok(None) => {
                        tracing::warn!("lost the connection listening for other servers' changes");
                        break;
                    }
                    Err(error) => {
                        tracing::warn!(%error, "listening for other servers' changes failed");
                        tokio::time::sleep(FEED_RETRY_DELAY).await;
                        break;
                    }
                };
                match ClusterEvent::parse(&payload) {
                    Some(event) => deliver(&boards, &shared.server_peer, event),
                    None => tracing::warn!(
                        %payload,
                        "ignoring a notification that is not Ardoise's"
                    ),
                }
            }
        }
    }
}

/// Hands what another server said to the board it is about, if open here.
fn deliver(boards: &Directory, me: &PeerId, event: ClusterEvent) {
    match event {
        ClusterEvent::Written(Written::Change { board, seq }) => {
            boards.tell(&board, BoardEvent::Stored { seq: Some(seq) })
        }
        ClusterEvent::Written(Written::Deleted { board }) => {
            boards.tell(&board, BoardEvent::Deleted)
        }
        ClusterEvent::Written(Written::Access { board }) => {
            boards.tell(&board, BoardEvent::AccessChanged)
        }
        // This server's own presence, back from the channel.
        ClusterEvent::Ephemeral { server, .. } | ClusterEvent::Left { server, .. }
            if server == *me => {}
        ClusterEvent::Ephemeral {
            board,
            sender,
            count,
            data,
            ..
        } => boards.tell(
            &board,
            BoardEvent::Elsewhere(Elsewhere::Ephemeral {
                sender,
                count,
                data,
            }),
        ),
        ClusterEvent::Left { board, peer, .. } => {
            boards.tell(&board, BoardEvent::Elsewhere(Elsewhere::Left { peer }))
        }
    }
}

async fn publish_presence(storage: Storage, mut queue: mpsc::Receiver<ClusterEvent>) {
    while let Some(event) = queue.recv().await {
        if let Err(error) = storage.notify(&event.payload()).await {
            tracing::debug!(%error, "cannot pass presence to the other servers");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_read_back_and_foreign_ones_are_refused() {
        let board = BoardId::random();
        for event in [
            ClusterEvent::Written(Written::Change {
                board: board.clone(),
                seq: 42,
            }),
            ClusterEvent::Written(Written::Deleted {
                board: board.clone(),
            }),
            ClusterEvent::Written(Written::Access {
                board: board.clone(),
            }),
            ClusterEvent::Ephemeral {
                board: board.clone(),
                server: PeerId::random(),
                sender: PeerId::random(),
                count: 7,
                data: vec![0, 255, 3],
            },
            ClusterEvent::Left {
                board: board.clone(),
                server: PeerId::random(),
                peer: PeerId::random(),
            },
        ] {
            assert_eq!(ClusterEvent::parse(&event.payload()), Some(event));
        }
        // What storage writes is storage's to parse (its own test); these are the servers'.
        for foreign in [
            "",
            &format!("{board} x"),
            &format!("{board} ephemeral a b 1 !!"),
            &format!(
                "{board} ephemeral {} {} 1",
                PeerId::random(),
                PeerId::random()
            ),
            &format!("{board} left a"),
            &format!(
                "{board} left {} {} more",
                PeerId::random(),
                PeerId::random()
            ),
        ] {
            assert_eq!(ClusterEvent::parse(foreign), None, "{foreign:?}");
        }
    }
}
