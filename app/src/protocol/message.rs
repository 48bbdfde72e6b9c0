//! The messages of automerge-repo's websocket protocol, version 1, and the protocol's limits.

use crate::ids::{BoardId, PeerId};

/// The only protocol version this implementation speaks.
pub const PROTOCOL_VERSION: &str = "1";
/// Largest message the server accepts, in bytes. A bigger one gets an `error` message and the
/// connection is closed.
pub const MAX_MESSAGE_BYTES: usize = 8 * 1024 * 1024;
/// Largest `data` of an ephemeral message (presence) the server relays, in bytes: it goes to
/// every peer of the board, many times a second.
pub const MAX_EPHEMERAL_BYTES: usize = 4 * 1024;
/// Most ephemeral messages the server relays per connection and second; more are dropped. A
/// cursor is sent at most 20 times a second, which leaves room for the rest.
pub const MAX_EPHEMERAL_PER_SECOND: usize = 40;

/// What a peer says about itself when joining.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PeerMetadata {
    pub storage_id: Option<String>,
    pub is_ephemeral: bool,
}

/// One protocol message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Client to server, first message on a connection.
    Join {
        sender_id: PeerId,
        supported_protocol_versions: Vec<String>,
        peer_metadata: PeerMetadata,
    },
    /// Server to client, answer to `join`.
    Peer {
        sender_id: PeerId,
        target_id: PeerId,
        selected_protocol_version: String,
        peer_metadata: PeerMetadata,
    },
    /// Client to server, before closing.
    Leave { sender_id: PeerId },
    /// Either way: the connection is being closed because of a problem.
    Error { message: String },
    /// Asks for a document, carrying a first Automerge sync message.
    Request {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: BoardId,
        data: Vec<u8>,
    },
    /// An Automerge sync message for a document.
    Sync {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: BoardId,
        data: Vec<u8>,
    },
    /// The peer does not have the requested document.
    DocUnavailable {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: BoardId,
    },
    /// Presence and other data about a document that is not part of it; relayed, never stored.
    Ephemeral {
        sender_id: PeerId,
        target_id: PeerId,
        count: u64,
        session_id: String,
        document_id: BoardId,
        data: Vec<u8>,
    },
    /// A well-formed message of a type this implementation does not act on (for example
    /// `remote-heads-changed`); accepted and ignored.
    Other { kind: String },
}

impl Message {
    /// The `type` field of this message on the wire.
    pub fn kind(&self) -> &str {
        match self {
            Message::Join { .. } => "join",
            Message::Peer { .. } => "peer",
            Message::Leave { .. } => "leave",
            Message::Error { .. } => "error",
            Message::Request { .. } => "request",
            Message::Sync { .. } => "sync",
            Message::DocUnavailable { .. } => "doc-unavailable",
            Message::Ephemeral { .. } => "ephemeral",
            Message::Other { kind } => kind,
        }
    }
}
