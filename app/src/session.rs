//! A sans-IO sync session: one peer syncing one board with the server over the automerge-repo
//! protocol. The transport (a browser `WebSocket`, tokio-tungstenite in Rust clients) feeds it the
//! messages it receives and sends the messages it returns; the session never does I/O itself.
//!
//! ```
//! use app::{ids::{BoardId, PeerId}, model::Board, session::Session};
//! let mut session = Session::new(PeerId::random(), BoardId::random(), Board::empty());
//! let join = session.connected();
//! assert_eq!(join.kind(), "join");
//! ```

use automerge::sync;

use crate::{
    ephemeral::{Ephemeral, Presence},
    ids::{BoardId, PeerId},
    model::{Board, ModelError},
    protocol::{Message, PeerMetadata, PROTOCOL_VERSION},
};

/// Where the session stands with the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// No transport.
    Offline,
    /// `join` sent, waiting for `peer`.
    Joining,
    /// Exchanging sync messages with the server.
    Syncing,
    /// The server does not have this board.
    Unavailable,
}

/// What a received message did.
#[derive(Debug, Default)]
pub struct Received {
    /// Messages to send back, in order.
    pub outgoing: Vec<Message>,
    /// The board document changed.
    pub changed: bool,
    /// The server reported a problem, in its words.
    pub error: Option<String>,
    /// What an ephemeral message said: a notice of the server's, or another peer's presence.
    pub heard: Option<Heard>,
}

/// What an ephemeral message said, once checked: notices only count from the server, presence
/// only from other peers.
#[derive(Debug, Clone, PartialEq)]
pub enum Heard {
    /// The server can (or cannot) store changes right now.
    Storage { saved: bool },
    /// A peer left the board.
    Left(PeerId),
    /// The server's clock, in milliseconds since the Unix epoch.
    Clock { now: i64 },
    /// A peer's presence.
    Presence(PeerId, Presence),
    /// Another peer's ephemeral data that is not Ardoise's (another client's), as it came.
    Other(PeerId, Vec<u8>),
}

/// Why a message from the server could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("the server sent an invalid sync message: {0}")]
    BadSyncMessage(String),
    #[error("the server's sync message could not be applied: {0}")]
    Apply(#[from] ModelError),
}

pub struct Session {
    peer_id: PeerId,
    board_id: BoardId,
    board: Board,
    server: Option<PeerId>,
    sync_state: sync::State,
    phase: Phase,
    /// Ephemeral messages sent so far, the protocol's `count`.
    ephemeral_sent: u64,
}

impl Session {
    pub fn new(peer_id: PeerId, board_id: BoardId, board: Board) -> Self {
        Self {
            peer_id,
            board_id,
            board,
            server: None,
            sync_state: sync::State::new(),
            phase: Phase::Offline,
            ephemeral_sent: 0,
        }
    }

    pub fn board(&self) -> &Board {
        &self.board
    }

    pub fn board_mut(&mut self) -> &mut Board {
        &mut self.board
    }

    /// The server's peer id, once it answered `join`.
    pub fn server(&self) -> Option<&PeerId> {
        self.server.as_ref()
    }

    pub fn board_id(&self) -> &BoardId {
        &self.board_id
    }

    pub fn peer_id(&self) -> &PeerId {
        &self.peer_id
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The transport is open: returns the `join` message to send first.
    pub fn connected(&mut self) -> Message {
        self.phase = Phase::Joining;
        self.server = None;
        self.sync_state = sync::State::new();
        Message::Join {
            sender_id: self.peer_id.clone(),
            supported_protocol_versions: vec![PROTOCOL_VERSION.to_owned()],
            peer_metadata: PeerMetadata {
                storage_id: None,
                is_ephemeral: true,
            },
        }
    }

    /// The transport closed. Local edits go on and are sent after the next [`Session::connected`].
    pub fn disconnected(&mut self) {
        self.phase = Phase::Offline;
        self.server = None;
    }

    /// Handles one message from the server.
    pub fn receive(&mut self, message: Message) -> Result<Received, SessionError> {
        let mut received = Received::default();
        match message {
            Message::Peer { sender_id, .. } if self.phase == Phase::Joining => {
                self.server = Some(sender_id);
                self.phase = Phase::Syncing;
                let first = self.next_sync_message(true);
                received.outgoing.extend(first);
            }
            Message::Sync {
                document_id, data, ..
            }
            | Message::Request {
                document_id, data, ..
            } if document_id == self.board_id && self.server.is_some() => {
                let message = sync::Message::decode(&data)
                    .map_err(|e| SessionError::BadSyncMessage(e.to_string()))?;
                let before = self.board.heads();
                self.board
                    .receive_sync_message(&mut self.sync_state, message)?;
                received.changed = self.board.heads() != before;
                received.outgoing.extend(self.next_sync_message(false));
            }
            Message::DocUnavailable { document_id, .. } if document_id == self.board_id => {
                self.phase = Phase::Unavailable;
            }
            Message::Ephemeral {
                sender_id, data, ..
            } if self.server.as_ref() == Some(&sender_id) => {
                received.heard = match Ephemeral::decode(&data) {
                    Some(Ephemeral::Storage { saved }) => Some(Heard::Storage { saved }),
                    Some(Ephemeral::Left { peer }) => Some(Heard::Left(peer)),
                    Some(Ephemeral::Clock { now }) => Some(Heard::Clock { now }),
                    Some(Ephemeral::Presence(_)) | None => None,
                };
            }
            Message::Ephemeral {
                sender_id,
                document_id,
                data,
                ..
            } if document_id == self.board_id && self.server.is_some() => {
                received.heard = match Ephemeral::decode(&data) {
                    Some(Ephemeral::Presence(presence)) => {
                        Some(Heard::Presence(sender_id, presence))
                    }
                    // A peer cannot speak for the server.
                    Some(_) => None,
                    None => Some(Heard::Other(sender_id, data)),
                };
            }
            Message::Error { message } => received.error = Some(message),
            _ => {}
        }
        Ok(received)
    }

    /// Applies a local edit at once and returns what to send to the server (nothing while offline:
    /// the edit is sent after reconnecting).
    pub fn edit<R>(&mut self, edit: impl FnOnce(&mut Board) -> R) -> (R, Vec<Message>) {
        let result = edit(&mut self.board);
        let outgoing = self.next_sync_message(false).into_iter().collect();
        (result, outgoing)
    }

    /// An ephemeral message (presence) for the board's other peers, or `None` while not joined.
    pub fn ephemeral(&mut self, data: Vec<u8>) -> Option<Message> {
        let server = self.server.clone()?;
        self.ephemeral_sent += 1;
        Some(Message::Ephemeral {
            sender_id: self.peer_id.clone(),
            target_id: server,
            count: self.ephemeral_sent,
            session_id: self.peer_id.to_string(),
            document_id: self.board_id.clone(),
            data,
        })
    }

    fn next_sync_message(&mut self, first: bool) -> Option<Message> {
        let server = self.server.clone()?;
        let data = self
            .board
            .generate_sync_message(&mut self.sync_state)?
            .encode();
        let (sender_id, document_id) = (self.peer_id.clone(), self.board_id.clone());
        Some(if first && !self.board.is_initialised() {
            Message::Request {
                sender_id,
                target_id: server,
                document_id,
                data,
            }
        } else {
            Message::Sync {
                sender_id,
                target_id: server,
                document_id,
                data,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NewNote;

    /// The server side of the exchange, reduced to a document and one sync state.
    struct FakeServer {
        peer: PeerId,
        board: Board,
        state: sync::State,
    }

    impl FakeServer {
        fn new(board: Board) -> Self {
            Self {
                peer: PeerId::random(),
                board,
                state: sync::State::new(),
            }
        }

        fn peer_message(&self, session: &Session) -> Message {
            Message::Peer {
                sender_id: self.peer.clone(),
                target_id: session.peer_id().clone(),
                selected_protocol_version: PROTOCOL_VERSION.into(),
                peer_metadata: PeerMetadata::default(),
            }
        }

        /// Delivers messages back and forth until neither side has anything to say.
        fn exchange(&mut self, session: &mut Session, mut outgoing: Vec<Message>) {
            while !outgoing.is_empty() {
                let mut replies = Vec::new();
                for message in outgoing {
                    let (Message::Sync { data, .. } | Message::Request { data, .. }) = message
                    else {
                        panic!("unexpected {message:?}");
                    };
                    let message = sync::Message::decode(&data).unwrap();
                    self.board
                        .receive_sync_message(&mut self.state, message)
                        .unwrap();
                    if let Some(reply) = self.board.generate_sync_message(&mut self.state) {
                        replies.push(Message::Sync {
                            sender_id: self.peer.clone(),
                            target_id: session.peer_id().clone(),
                            document_id: session.board_id().clone(),
                            data: reply.encode(),
                        });
                    }
                }
                outgoing = Vec::new();
                for reply in replies {
                    outgoing.extend(session.receive(reply).unwrap().outgoing);
                }
            }
        }
    }

    fn note(text: &str) -> NewNote {
        NewNote::with_text(text)
    }

    #[test]
    fn a_new_session_joins_requests_the_board_and_receives_it() {
        let mut board = Board::new("Retro").unwrap();
        board.add_note(note("déjà là")).unwrap();
        let mut server = FakeServer::new(board);
        let mut session = Session::new(PeerId::random(), BoardId::random(), Board::empty());

        assert_eq!(session.connected().kind(), "join");
        assert_eq!(session.phase(), Phase::Joining);
        let received = session.receive(server.peer_message(&session)).unwrap();
        assert_eq!(session.phase(), Phase::Syncing);
        assert_eq!(
            received.outgoing[0].kind(),
            "request",
            "an empty client asks for the document"
        );
        server.exchange(&mut session, received.outgoing);
        assert_eq!(session.board().view(), server.board.view());
    }

    #[test]
    fn edits_made_offline_are_sent_after_reconnecting() {
        let mut server = FakeServer::new(Board::new("Retro").unwrap());
        let mut session = Session::new(PeerId::random(), BoardId::random(), Board::empty());
        session.connected();
        let received = session.receive(server.peer_message(&session)).unwrap();
        server.exchange(&mut session, received.outgoing);

        session.disconnected();
        let (id, outgoing) = session.edit(|b| b.add_note(note("hors ligne")));
        assert!(outgoing.is_empty(), "nothing is sent while offline");
        let id = id.unwrap();
        assert!(server.board.view().note(&id).is_none());

        session.connected();
        server.state = sync::State::new();
        let received = session.receive(server.peer_message(&session)).unwrap();
        assert_eq!(
            received.outgoing[0].kind(),
            "sync",
            "a client that has the board syncs it"
        );
        server.exchange(&mut session, received.outgoing);
        assert_eq!(server.board.view().note(&id).unwrap().text, "hors ligne");
    }

    #[test]
    fn messages_for_other_documents_and_before_peer_are_ignored() {
        let mut session = Session::new(PeerId::random(), BoardId::random(), Board::empty());
        session.connected();
        let stray = Message::Sync {
            sender_id: PeerId::random(),
            target_id: session.peer_id().clone(),
            document_id: BoardId::random(),
            data: vec![1, 2, 3],
        };
        let received = session.receive(stray).unwrap();
        assert!(received.outgoing.is_empty() && !received.changed);

        let unavailable = Message::DocUnavailable {
            sender_id: PeerId::random(),
            target_id: session.peer_id().clone(),
            document_id: session.board_id().clone(),
        };
        session.receive(unavailable).unwrap();
        assert_eq!(session.phase(), Phase::Unavailable);
    }

    #[test]
    fn storage_notices_count_only_from_the_server() {
        let server = FakeServer::new(Board::new("Retro").unwrap());
        let mut session = Session::new(PeerId::random(), BoardId::random(), Board::empty());
        session.connected();
        session.receive(server.peer_message(&session)).unwrap();
        let notice = |sender_id: &PeerId, saved| Message::Ephemeral {
            sender_id: sender_id.clone(),
            target_id: PeerId::random(),
            count: 1,
            session_id: "s".into(),
            document_id: BoardId::random(),
            data: Ephemeral::Storage { saved }.encode(),
        };
        let received = session.receive(notice(&server.peer, false)).unwrap();
        assert_eq!(received.heard, Some(Heard::Storage { saved: false }));
        // Another peer cannot pretend to be the server.
        let received = session.receive(notice(&PeerId::random(), true)).unwrap();
        assert_eq!(received.heard, None);
    }

    #[test]
    fn presence_goes_out_once_joined_and_comes_in_from_other_peers() {
        let server = FakeServer::new(Board::new("Retro").unwrap());
        let mut session = Session::new(PeerId::random(), BoardId::random(), Board::empty());
        assert!(session.ephemeral(vec![1]).is_none(), "not joined yet");
        session.connected();
        session.receive(server.peer_message(&session)).unwrap();
        let Some(Message::Ephemeral {
            count,
            target_id,
            data,
            ..
        }) = session.ephemeral(vec![1])
        else {
            panic!("an ephemeral message");
        };
        assert_eq!((count, target_id, data), (1, server.peer.clone(), vec![1]));

        let bob = PeerId::random();
        let (me, board) = (session.peer_id().clone(), session.board_id().clone());
        let from_bob = |data: Vec<u8>| Message::Ephemeral {
            sender_id: bob.clone(),
            target_id: me.clone(),
            count: 3,
            session_id: "s".into(),
            document_id: board.clone(),
            data,
        };
        let presence = Presence {
            name: "Bob".into(),
            colour: "#1d5fbf".into(),
            ..Presence::default()
        };
        let received = session.receive(from_bob(presence.encode())).unwrap();
        assert_eq!(received.heard, Some(Heard::Presence(bob.clone(), presence)));
        let received = session.receive(from_bob(vec![7])).unwrap();
        assert_eq!(received.heard, Some(Heard::Other(bob.clone(), vec![7])));
        let pretending = Ephemeral::Left { peer: bob.clone() }.encode();
        let received = session.receive(from_bob(pretending)).unwrap();
        assert_eq!(received.heard, None, "a peer cannot speak for the server");
    }
}
