//! A sync client holding its own copy of a board, as a browser tab does: the same sans-IO
//! [`Session`] and [`PresenceBook`] the browser uses, over a real websocket.

use std::{collections::HashMap, time::Duration};

use app::{
    client::PresenceBook,
    ephemeral::Presence,
    ids::{BoardId, PeerId},
    model::{Board, BoardView, ModelError},
    protocol::Message,
    session::{Heard, Session},
};
use futures::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite;

use crate::{
    common::{Serves, SETTLE_LIMIT, WAIT_LIMIT},
    socket::RawSocket,
};

/// A sync client holding its own copy of one board, like a browser tab.
pub struct SyncClient {
    socket: RawSocket,
    session: Session,
    /// What the server last said about storing changes.
    saved: Option<bool>,
    /// The server's clock as its last `ardoise/clock` notice gave it.
    server_clock: Option<i64>,
    /// The other peers' presence as last received; a peer the server said left is removed.
    presences: PresenceBook,
    /// Ephemeral messages received from other peers.
    ephemeral_received: usize,
}

impl SyncClient {
    /// Connects and waits until the client holds the board.
    pub async fn open(server: &impl Serves, board: &BoardId) -> SyncClient {
        Self::try_open(server, board)
            .await
            .unwrap_or_else(|m| panic!("board {board} unavailable: {m:?}"))
    }

    /// Connects with a given peer id, as a tab that reconnects does.
    pub async fn open_as(server: &impl Serves, board: &BoardId, peer: &PeerId) -> SyncClient {
        Self::try_open_as(server, board, peer)
            .await
            .unwrap_or_else(|m| panic!("board {board} unavailable: {m:?}"))
    }

    /// Connects; returns the server's answer if the board is unavailable.
    pub async fn try_open(server: &impl Serves, board: &BoardId) -> Result<SyncClient, Message> {
        Self::try_open_as(server, board, &PeerId::random()).await
    }

    async fn try_open_as(
        server: &impl Serves,
        board: &BoardId,
        peer: &PeerId,
    ) -> Result<SyncClient, Message> {
        Self::try_open_with(server, board, peer, Board::empty()).await
    }

    /// Connects with a link's secret (`/sync?k=`); returns the server's answer if the board is
    /// unavailable to that link.
    pub async fn try_open_with_link(
        server: &impl Serves,
        board: &BoardId,
        secret: &str,
    ) -> Result<SyncClient, Message> {
        let socket = RawSocket::connect_with(server, Some(secret)).await;
        Self::start(socket, board, &PeerId::random(), Board::empty()).await
    }

    /// [`SyncClient::open_with_link`], keeping every frame the server sends it from the first
    /// (see [`SyncClient::stream_contains`]).
    pub async fn open_recorded(server: &impl Serves, board: &BoardId, secret: &str) -> SyncClient {
        let socket = RawSocket::connect_with(server, Some(secret)).await.record();
        Self::start(socket, board, &PeerId::random(), Board::empty())
            .await
            .unwrap_or_else(|m| panic!("board {board} unavailable to the link: {m:?}"))
    }

    /// Connects with a link's secret and waits until the client holds the board.
    pub async fn open_with_link(server: &impl Serves, board: &BoardId, secret: &str) -> SyncClient {
        Self::try_open_with_link(server, board, secret)
            .await
            .unwrap_or_else(|m| panic!("board {board} unavailable to the link: {m:?}"))
    }

    /// Connects with the copy of the board a tab kept (edits made while offline included), as a
    /// tab that comes back does.
    pub async fn reopen(
        server: &impl Serves,
        id: &BoardId,
        peer: &PeerId,
        board: Board,
    ) -> SyncClient {
        Self::try_open_with(server, id, peer, board)
            .await
            .unwrap_or_else(|m| panic!("board {id} unavailable: {m:?}"))
    }

    async fn try_open_with(
        server: &impl Serves,
        board: &BoardId,
        peer: &PeerId,
        copy: Board,
    ) -> Result<SyncClient, Message> {
        Self::start(RawSocket::connect(server).await, board, peer, copy).await
    }

    async fn start(
        mut socket: RawSocket,
        board: &BoardId,
        peer: &PeerId,
        copy: Board,
    ) -> Result<SyncClient, Message> {
        let mut session = Session::new(peer.clone(), board.clone(), copy);
        socket.send(&session.connected()).await;
        let mut client = SyncClient {
            socket,
            session,
            saved: None,
            server_clock: None,
            presences: PresenceBook::default(),
            ephemeral_received: 0,
        };
        loop {
            let message = client
                .socket
                .next()
                .await
                .expect("the server closed the connection");
            if matches!(
                message,
                Message::DocUnavailable { .. } | Message::Error { .. }
            ) {
                return Err(message);
            }
            let first_sync = matches!(message, Message::Sync { .. });
            client.handle(message).await;
            if first_sync && client.session.board().is_initialised() {
                return Ok(client);
            }
        }
    }

    /// Handles one message from the server; returns whether the board changed.
    async fn handle(&mut self, message: Message) -> bool {
        self.handle_counting(message).await.0
    }

    /// Handles one message; returns whether the board changed and whether its replies carried
    /// changes.
    async fn handle_counting(&mut self, message: Message) -> (bool, bool) {
        let received = self.session.receive(message).expect("a usable message");
        match received.heard {
            Some(Heard::Left(peer)) => {
                self.presences.forget(&peer);
            }
            Some(Heard::Storage { saved }) => self.saved = Some(saved),
            Some(Heard::Clock { now }) => self.server_clock = Some(now),
            Some(Heard::Presence(peer, presence)) => {
                self.ephemeral_received += 1;
                // The test client never expires anyone: time 0.
                self.presences.hear(peer, presence, 0.0);
            }
            Some(Heard::Other(..)) => self.ephemeral_received += 1,
            None => {}
        }
        let carries_changes = received.outgoing.iter().any(|reply| match reply {
            Message::Sync { data, .. } | Message::Request { data, .. } => {
                automerge::sync::Message::decode(data).is_ok_and(|m| !m.changes.is_empty())
            }
            _ => false,
        });
        for reply in received.outgoing {
            self.socket.send(&reply).await;
        }
        (received.changed, carries_changes)
    }

    /// Reads the server's answers until one of them asks for no more changes (or for
    /// [`SETTLE_LIMIT`], if the server does not answer, as while its database is away). Automerge
    /// sync relies on this: a change the server's Bloom filter wrongly claims to have (about one
    /// in a hundred) is only sent once the server's answer asks for it, as a browser tab, which
    /// always reads its socket, does at once.
    async fn settle(&mut self) {
        let deadline = tokio::time::Instant::now() + SETTLE_LIMIT;
        while let Ok(Some(message)) = tokio::time::timeout_at(deadline, self.socket.next()).await {
            let is_sync = matches!(message, Message::Sync { .. });
            let (_, resent) = self.handle_counting(message).await;
            if is_sync && !resent {
                return;
            }
        }
    }

    /// Handles the next message from the server: `Some(true)` if it changed the board, `None`
    /// once the connection is closed.
    pub async fn receive(&mut self) -> Option<bool> {
        let message = self.socket.next().await?;
        Some(self.handle(message).await)
    }

    /// Handles whatever the server sends during `duration`.
    pub async fn pump(&mut self, duration: Duration) {
        let deadline = tokio::time::Instant::now() + duration;
        while let Ok(Some(message)) = tokio::time::timeout_at(deadline, self.socket.next()).await {
            self.handle(message).await;
        }
    }

    /// Bytes received from the server so far.
    pub fn received_bytes(&self) -> usize {
        self.socket.received_bytes()
    }

    /// Whether any frame received by a client opened with [`SyncClient::open_recorded`] holds
    /// these bytes (a frame's end and the next one's start count as one run).
    pub fn stream_contains(&self, text: &str) -> bool {
        self.socket
            .stream()
            .windows(text.len())
            .any(|w| w == text.as_bytes())
    }

    pub fn peer_id(&self) -> &PeerId {
        self.session.peer_id()
    }

    /// The heads of this client's copy of the board.
    pub fn heads(&mut self) -> Vec<automerge::ChangeHash> {
        self.session.board_mut().heads()
    }

    /// The board's history as this client's copy holds it.
    pub fn history(&mut self) -> app::model::History {
        self.session.board_mut().history()
    }

    /// The connection, to go on with raw protocol messages.
    pub fn into_socket(self) -> RawSocket {
        self.socket
    }

    /// This client's copy of the board, with whatever it could not send.
    pub fn into_board(self) -> Board {
        self.session.board().clone()
    }

    /// Reads until the server says the board is unavailable (or the connection ends); returns
    /// the kinds of the messages read, the last one first to check.
    /// Sends an edit of the model's own, then reads until the server closes the connection;
    /// returns the protocol error it said (a refused hand-made client).
    pub async fn refused(
        &mut self,
        edit: impl FnOnce(&mut Board) -> Result<(), ModelError>,
    ) -> String {
        self.try_edit(edit).await;
        self.said_error().await
    }

    /// [`SyncClient::refused`] for a change written on a raw Automerge copy (what the model
    /// never writes).
    pub async fn refused_raw(&mut self, write: impl FnOnce(&mut automerge::AutoCommit)) -> String {
        self.push_raw(write).await;
        self.said_error().await
    }

    /// Reads until the server closes the connection; the protocol error it said.
    async fn said_error(&mut self) -> String {
        let mut error = None;
        while let Some(message) = self.next_message().await {
            if let Message::Error { message } = message {
                error = Some(message);
            }
        }
        error.expect("the server said why it refused before closing the connection")
    }

    pub async fn kinds_until_unavailable(&mut self) -> Vec<String> {
        let mut kinds = Vec::new();
        while let Some(message) = self.next_message().await {
            kinds.push(message.kind().to_owned());
            if message.kind() == "doc-unavailable" {
                break;
            }
        }
        kinds
    }

    /// What the server last said about storing changes: `Some(true)` if it stores them.
    pub fn saved(&self) -> Option<bool> {
        self.saved
    }

    /// The server's clock (milliseconds since the Unix epoch) as it told this client on
    /// joining, if it did.
    pub fn server_clock(&self) -> Option<i64> {
        self.server_clock
    }

    /// How many ephemeral messages from other peers this client has received.
    pub fn ephemeral_received(&self) -> usize {
        self.ephemeral_received
    }

    /// Sends this client's presence to the board's other peers.
    pub async fn send_presence(&mut self, presence: &Presence) {
        self.send_ephemeral(presence.encode()).await;
    }

    /// Sends any ephemeral data to the board's other peers.
    pub async fn send_ephemeral(&mut self, data: Vec<u8>) {
        let message = self.session.ephemeral(data).expect("a joined client");
        self.socket.send(&message).await;
    }

    /// Processes messages until the other peers' presence satisfies `condition`.
    pub async fn wait_for_presences(
        &mut self,
        what: &str,
        condition: impl Fn(&HashMap<PeerId, Presence>) -> bool,
    ) -> HashMap<PeerId, Presence> {
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        while !condition(&self.presences.presences()) {
            let message = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "timed out waiting until {what}; saw {:#?}",
                        self.presences.presences()
                    )
                })
                .unwrap_or_else(|| panic!("connection closed while waiting until {what}"));
            self.handle(message).await;
        }
        self.presences.presences()
    }

    /// Applies an edit locally and tries to send it; `false` if the connection is gone (the
    /// edit stays in this client's copy).
    pub async fn try_edit(
        &mut self,
        edit: impl FnOnce(&mut Board) -> Result<(), ModelError>,
    ) -> bool {
        let (result, outgoing) = self.session.edit(edit);
        result.expect("a valid edit");
        for message in outgoing {
            let sent = self
                .socket
                .socket
                .send(tungstenite::Message::Binary(message.encode().into()))
                .await;
            if sent.is_err() {
                return false;
            }
        }
        true
    }

    /// Processes messages until the connection closes, calling `seen` after each one that changed
    /// the board.
    pub async fn receive_until_closed(&mut self, mut seen: impl FnMut(&BoardView)) {
        loop {
            let next = tokio::time::timeout(WAIT_LIMIT, self.socket.socket.next()).await;
            let bytes = match next {
                Ok(Some(Ok(tungstenite::Message::Binary(bytes)))) => bytes,
                Ok(Some(Ok(tungstenite::Message::Close(_))) | None) => return,
                // Said, so that a test that stopped early says why.
                other => {
                    eprintln!("receive_until_closed stops on {other:?}");
                    return;
                }
            };
            let Ok(message) = Message::decode(&bytes) else {
                eprintln!("receive_until_closed stops on an undecodable message");
                return;
            };
            let received = self.session.receive(message).expect("a usable message");
            if let Some(error) = &received.error {
                eprintln!("the server said: {error}");
            }
            for reply in received.outgoing {
                let reply = tungstenite::Message::Binary(reply.encode().into());
                if self.socket.socket.send(reply).await.is_err() {
                    return;
                }
            }
            if received.changed {
                seen(&self.view());
            }
        }
    }

    /// The next message from the server, once handled; `None` if the connection closed.
    pub async fn next_message(&mut self) -> Option<Message> {
        let message = self.socket.next().await?;
        self.handle(message.clone()).await;
        Some(message)
    }

    /// Processes messages until the server's last storage notice says `saved`.
    pub async fn wait_for_storage_notice(&mut self, saved: bool) -> BoardView {
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        while self.saved != Some(saved) {
            let message = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .unwrap_or_else(|_| panic!("timed out waiting for a notice saved: {saved}"))
                .unwrap_or_else(|| panic!("connection closed while waiting for a notice"));
            self.handle(message).await;
        }
        self.view()
    }

    pub fn view(&self) -> BoardView {
        self.session.board().view()
    }

    /// Closes the websocket, waiting until the server has closed its side.
    pub async fn close(mut self) {
        self.socket.close().await;
    }

    /// Applies an edit locally and sends it.
    pub async fn edit<R>(&mut self, edit: impl FnOnce(&mut Board) -> Result<R, ModelError>) -> R {
        let (result, outgoing) = self.session.edit(edit);
        let sent = !outgoing.is_empty();
        for message in outgoing {
            self.socket.send(&message).await;
        }
        if sent {
            self.settle().await;
        }
        result.expect("a valid edit")
    }

    /// Writes to the document directly, as a hand-made client can (anything Automerge allows,
    /// whatever Ardoise's model would refuse), and sends it.
    pub async fn edit_raw(
        &mut self,
        write: impl FnOnce(&mut automerge::AutoCommit) -> Result<(), automerge::AutomergeError>,
    ) {
        self.edit(|board| {
            let heads = board.heads();
            let mut doc = automerge::AutoCommit::load(&board.save())?;
            write(&mut doc)?;
            board.load_incremental(&doc.save_after(&heads))?;
            Ok(())
        })
        .await
    }

    /// Writes to a copy of the document and sends the change in a sync message of its own,
    /// whatever the server's sync state says: as a hand-made client does that ignores the
    /// server's read-only flag (Automerge's own sync never offers changes to a read-only peer).
    /// The client's copy is left as it was.
    pub async fn push_raw(&mut self, write: impl FnOnce(&mut automerge::AutoCommit)) {
        let mut copy = self.session.board().clone();
        let heads = copy.heads();
        let mut doc = automerge::AutoCommit::load(&copy.save()).expect("a document");
        write(&mut doc);
        let message = automerge::sync::Message {
            heads: doc.get_heads(),
            need: Vec::new(),
            have: Vec::new(),
            changes: doc.save_after(&heads).into(),
            flags: None,
            version: automerge::sync::MessageVersion::V1,
        };
        let server = self.session.server().expect("joined").clone();
        self.socket
            .send(&Message::Sync {
                sender_id: self.session.peer_id().clone(),
                target_id: server,
                document_id: self.session.board_id().clone(),
                data: message.encode(),
            })
            .await;
    }

    /// Processes messages until the board satisfies `condition`; fails the test after
    /// [`WAIT_LIMIT`] with what the client last saw.
    pub async fn wait_until(
        &mut self,
        what: &str,
        condition: impl Fn(&BoardView) -> bool,
    ) -> BoardView {
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        while !condition(&self.view()) {
            let message = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .unwrap_or_else(|_| {
                    panic!("timed out waiting until {what}; saw {:#?}", self.view())
                })
                .unwrap_or_else(|| panic!("connection closed while waiting until {what}"));
            self.handle(message).await;
        }
        self.view()
    }
}
