//! What travels between the connections, the registry and the board tasks: the events a board
//! task receives, and the handle on a peer's connection it keeps.

use app::{
    access::Role,
    ids::PeerId,
    model::{Board, ModelError},
};
use axum::body::Bytes;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use crate::access::KeyHash;

/// Identifies one websocket connection. A peer that reconnects keeps its peer id, and the server
/// may learn that its old connection died only after the new one joined: the old connection's
/// `Leave` must not remove the new one.
pub type ConnectionId = u64;

/// An edit the server itself makes to a board (a voting session's rules, its results).
pub type ServerEdit = Box<dyn FnOnce(&mut Board) -> Result<(), ModelError> + Send>;

/// A way to send events to an open board's task.
pub type BoardSender = mpsc::Sender<BoardEvent>;

/// A peer's connection as a board task sees it: where its encoded messages go, and how to
/// close it.
#[derive(Clone)]
pub struct PeerLink {
    pub connection: ConnectionId,
    pub outbox: mpsc::Sender<Bytes>,
    pub kick: CancellationToken,
}

/// What a connection (or the registry, or the cluster feed) tells a board.
pub enum BoardEvent {
    /// A peer starts syncing this board, with the role its link gives (`key`: the hash of the
    /// secret its connection presented).
    Join {
        peer: PeerId,
        link: PeerLink,
        role: Role,
        key: Option<KeyHash>,
    },
    /// An Automerge sync message from a peer.
    Sync { peer: PeerId, data: Vec<u8> },
    /// Presence data to relay to the other peers.
    Ephemeral {
        peer: PeerId,
        count: u64,
        session_id: String,
        data: Vec<u8>,
    },
    Leave {
        peer: PeerId,
        connection: ConnectionId,
    },
    /// The board was deleted from the database: tell the peers and stop.
    Deleted,
    /// The board's links or openness changed: peers whose link no longer gives them their role
    /// are disconnected.
    AccessChanged,
    /// Change `seq` of this board is stored (by another server, or by this one): read what is
    /// new from the log. `None`: some notices may have been missed; read whatever is new.
    Stored { seq: Option<i64> },
    /// Presence of a peer of this board connected to another server.
    Elsewhere(Elsewhere),
    /// An edit of the server's own: applied, stored and relayed like a peer's change; `done`
    /// is told once it is stored (`false`: the edit failed, or the board went away).
    Edit {
        edit: ServerEdit,
        done: oneshot::Sender<bool>,
    },
}

/// What another server said about one of its peers of a board.
pub enum Elsewhere {
    /// The peer sent presence data.
    Ephemeral {
        sender: PeerId,
        count: u64,
        data: Vec<u8>,
    },
    /// The peer left.
    Left { peer: PeerId },
}
