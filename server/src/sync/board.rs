//! One task per open board: the only owner of the board's document and of each peer's sync state.
//!
//! A change from a peer is applied once, written to the database, and only then relayed to the
//! other peers, so that nothing another peer has seen can be lost by a crash.

use std::collections::HashMap;

use app::{
    ids::{BoardId, PeerId},
    model::Board,
    protocol::Message,
};
use automerge::sync::{self, SyncDoc};
use axum::body::Bytes;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{hub::Hub, IDLE_BOARD_EVICTION, MIN_COMPACTION_BYTES, STORAGE_RETRY_DELAY};
use crate::storage::StoredBoard;

/// Identifies one websocket connection. A peer that reconnects keeps its peer id, and the server
/// may learn that its old connection died only after the new one joined: the old connection's
/// `Leave` must not remove the new one.
pub type ConnectionId = u64;

/// What a connection tells a board.
pub enum BoardEvent {
    /// A peer starts syncing this board; `outbox` takes its encoded messages and `kick` closes its
    /// connection.
    Join {
        peer: PeerId,
        connection: ConnectionId,
        outbox: mpsc::Sender<Bytes>,
        kick: CancellationToken,
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
}

/// A peer of this board.
struct Peer {
    connection: ConnectionId,
    outbox: mpsc::Sender<Bytes>,
    kick: CancellationToken,
    sync: sync::State,
}

struct BoardTask {
    hub: Hub,
    id: BoardId,
    board: Board,
    peers: HashMap<PeerId, Peer>,
    /// Incremental changes applied in memory and not yet written to the database.
    unsaved: Vec<u8>,
    next_seq: i64,
    log_bytes: usize,
    snapshot_bytes: usize,
}

pub(super) fn spawn(
    hub: Hub,
    id: BoardId,
    mut board: Board,
    stored: &StoredBoard,
    events: mpsc::Receiver<BoardEvent>,
) {
    // Everything loaded is already stored: start incremental saves from here.
    board.doc_mut().save_incremental();
    let task = BoardTask {
        hub,
        id,
        board,
        peers: HashMap::new(),
        unsaved: Vec::new(),
        next_seq: stored.last_seq + 1,
        log_bytes: stored.log_bytes(),
        snapshot_bytes: stored.snapshot.len(),
    };
    tokio::spawn(task.run(events));
}

impl BoardTask {
    async fn run(mut self, mut events: mpsc::Receiver<BoardEvent>) {
        tracing::debug!(board = %self.id, "board opened");
        loop {
            let idle = self.peers.is_empty();
            let retry = !self.unsaved.is_empty();
            tokio::select! {
                event = events.recv() => match event {
                    Some(event) => self.handle(event).await,
                    None => break,
                },
                _ = tokio::time::sleep(STORAGE_RETRY_DELAY), if retry => {
                    if self.save().await {
                        self.sync_all();
                    }
                }
                _ = tokio::time::sleep(IDLE_BOARD_EVICTION), if idle && !retry => {
                    if self.hub.try_forget(&self.id, &events) {
                        break;
                    }
                }
            }
        }
        self.compact().await;
        tracing::debug!(board = %self.id, "board closed");
    }

    async fn handle(&mut self, event: BoardEvent) {
        match event {
            BoardEvent::Join {
                peer,
                connection,
                outbox,
                kick,
            } => {
                let state = Peer {
                    connection,
                    outbox,
                    kick,
                    sync: sync::State::new(),
                };
                self.peers.insert(peer.clone(), state);
                self.sync_peer(&peer);
            }
            BoardEvent::Sync { peer, data } => self.receive_sync(peer, data).await,
            BoardEvent::Ephemeral {
                peer,
                count,
                session_id,
                data,
            } => self.relay_ephemeral(&peer, count, &session_id, &data),
            BoardEvent::Leave { peer, connection } => {
                if self
                    .peers
                    .get(&peer)
                    .is_some_and(|p| p.connection == connection)
                {
                    self.peers.remove(&peer);
                }
            }
        }
    }

    async fn receive_sync(&mut self, peer: PeerId, data: Vec<u8>) {
        let Some(state) = self.peers.get_mut(&peer) else {
            return;
        };
        let message = match sync::Message::decode(&data) {
            Ok(message) => message,
            Err(error) => {
                tracing::info!(board = %self.id, %peer, %error, "invalid sync message");
                self.refuse(&peer, "invalid automerge sync message");
                return;
            }
        };
        let doc = self.board.doc_mut();
        let before = doc.get_heads();
        let applied = doc.sync().receive_sync_message(&mut state.sync, message);
        if let Err(error) = applied {
            tracing::info!(board = %self.id, %peer, %error, "sync message could not be applied");
            self.refuse(&peer, "the sync message could not be applied to the board");
            return;
        }
        if self.board.doc_mut().get_heads() == before {
            self.sync_peer(&peer);
            return;
        }
        self.unsaved.extend(self.board.doc_mut().save_incremental());
        if self.save().await {
            self.sync_all();
        } else {
            // Not durable yet: answer the sender only, relay once the write succeeds.
            self.sync_peer(&peer);
        }
    }

    /// Writes unsaved changes; returns whether everything in memory is now stored.
    async fn save(&mut self) -> bool {
        if self.unsaved.is_empty() {
            return true;
        }
        let storage = self.hub.storage().clone();
        match storage
            .append_change(&self.id, self.next_seq, &self.unsaved)
            .await
        {
            Ok(()) => {
                self.next_seq += 1;
                self.log_bytes += self.unsaved.len();
                self.unsaved.clear();
                if self.log_bytes > self.snapshot_bytes.max(MIN_COMPACTION_BYTES) {
                    self.write_snapshot().await;
                }
                true
            }
            Err(error) => {
                tracing::error!(board = %self.id, %error, "cannot save changes, will retry");
                false
            }
        }
    }

    /// Saves what is unsaved and folds the change log into a new snapshot.
    async fn compact(&mut self) {
        if self.save().await && self.log_bytes > 0 {
            self.write_snapshot().await;
        }
    }

    /// Replaces the stored snapshot and change log by one snapshot of the document. Only call
    /// with nothing unsaved.
    async fn write_snapshot(&mut self) {
        let snapshot = self.board.save();
        let storage = self.hub.storage().clone();
        match storage
            .compact(&self.id, &snapshot, self.next_seq - 1)
            .await
        {
            Ok(()) => {
                self.snapshot_bytes = snapshot.len();
                self.log_bytes = 0;
            }
            Err(error) => tracing::warn!(board = %self.id, %error, "compaction failed"),
        }
    }

    fn sync_all(&mut self) {
        let peers: Vec<PeerId> = self.peers.keys().cloned().collect();
        for peer in peers {
            self.sync_peer(&peer);
        }
    }

    /// Sends the peer what it is missing, if anything.
    fn sync_peer(&mut self, peer: &PeerId) {
        let Some(state) = self.peers.get_mut(peer) else {
            return;
        };
        let Some(message) = self
            .board
            .doc_mut()
            .sync()
            .generate_sync_message(&mut state.sync)
        else {
            return;
        };
        let frame = Message::Sync {
            sender_id: self.hub.server_peer().clone(),
            target_id: peer.clone(),
            document_id: self.id.clone(),
            data: message.encode(),
        };
        self.send(peer, frame.encode().into());
    }

    fn relay_ephemeral(&mut self, from: &PeerId, count: u64, session_id: &str, data: &[u8]) {
        let others: Vec<PeerId> = self.peers.keys().filter(|p| *p != from).cloned().collect();
        for peer in others {
            let frame = Message::Ephemeral {
                sender_id: from.clone(),
                target_id: peer.clone(),
                count,
                session_id: session_id.to_owned(),
                document_id: self.id.clone(),
                data: data.to_vec(),
            };
            self.send(&peer, frame.encode().into());
        }
    }

    /// Tells a peer its message was refused and closes its connection.
    fn refuse(&mut self, peer: &PeerId, reason: &str) {
        let frame = Message::Error {
            message: reason.to_owned(),
        };
        self.send(peer, frame.encode().into());
        if let Some(state) = self.peers.remove(peer) {
            state.kick.cancel();
        }
    }

    /// Queues a frame for a peer; a peer whose queue is full or closed is dropped (and its
    /// connection closed, so that it resyncs from scratch when it reconnects).
    fn send(&mut self, peer: &PeerId, frame: Bytes) {
        let Some(state) = self.peers.get(peer) else {
            return;
        };
        if state.outbox.try_send(frame).is_err() {
            tracing::info!(board = %self.id, %peer, "dropping a peer that does not keep up");
            state.kick.cancel();
            self.peers.remove(peer);
        }
    }
}
