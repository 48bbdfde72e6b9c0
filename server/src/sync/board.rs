//! One task per open board: the only owner of the board's document and of each peer's sync state.
//!
//! A change from a peer is applied once, written to the database, and only then relayed to the
//! other peers, so that nothing another peer has seen can be lost by a crash. Group commit: the
//! events that queued up while the task was writing are all applied, then written together in one
//! transaction, then relayed.

use std::collections::{HashMap, HashSet};

use app::{
    ids::{BoardId, PeerId},
    model::Board,
    protocol::{Message, Notice},
};
use automerge::{
    sync::{self, SyncDoc},
    ChangeHash,
};
use axum::body::Bytes;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{
    ack, hub::Hub, MAX_EVENTS_PER_COMMIT, MIN_COMPACTION_BYTES, PEER_QUEUE_CAPACITY,
    STORAGE_RETRY_DELAY,
};
use crate::storage::{integrity, load_all, Compaction, FeedEvent, LoadedBoard, StorageError};

/// Identifies one websocket connection. A peer that reconnects keeps its peer id, and the server
/// may learn that its old connection died only after the new one joined: the old connection's
/// `Leave` must not remove the new one.
pub type ConnectionId = u64;

/// Writes in one flush at most: a write can bring changes written by another server that unlock
/// a peer's change, to be written in turn.
const MAX_SAVES_PER_FLUSH: usize = 3;
/// Distinct peer states whose sync message is kept for reuse; with more, the oldest goes.
const MAX_CACHED_MESSAGES: usize = 8;
/// A compaction that finds the log grown by another server catches up and tries again, this many
/// times at most.
const COMPACTION_ATTEMPTS: usize = 3;

/// What a connection (or the hub) tells a board.
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
    /// The board was deleted from the database: tell the peers and stop.
    Deleted,
    /// Change `seq` of this board is stored (by another server, or by this one): read what is
    /// new from the log. `None`: some notices may have been missed; read whatever is new.
    Stored { seq: Option<i64> },
    /// Presence of a peer of this board connected to another server on this PostgreSQL.
    Elsewhere(Elsewhere),
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

/// Sync messages generated for the current version of the document, by the peer state they
/// were generated from.
#[derive(Default)]
struct MessageCache {
    heads: Vec<ChangeHash>,
    entries: Vec<CachedMessage>,
}

struct CachedMessage {
    /// The peer's sync state before the message.
    before: sync::State,
    /// The peer's sync state after it.
    after: sync::State,
    /// The encoded message; `None` when there was nothing to send.
    data: Option<Vec<u8>>,
}

/// Whether a peer already has exactly the document at `heads` and has been told so: generating a
/// sync message for it would give nothing (Automerge would compute what to send only to find
/// nothing). Every acknowledgement of a relayed change lands here.
fn acknowledged(state: &sync::State, heads: &[ChangeHash]) -> bool {
    state.have_responded
        && state.last_sent_heads == heads
        && state.their_heads.as_deref() == Some(heads)
        && state
            .their_need
            .as_ref()
            .is_some_and(|need| need.is_empty())
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
    /// Incremental changes applied in memory and not yet written to the database. Nothing is
    /// sent to any peer while this is not empty: a message could carry these changes.
    unsaved: Vec<u8>,
    /// Peers owed an answer once the current batch of events is handled.
    to_answer: HashSet<PeerId>,
    /// The document changed in this batch: every peer may be missing something.
    changed: bool,
    /// The document holds every stored change up to this number.
    known_seq: i64,
    /// The highest change number the database is known to hold: above `known_seq`, another
    /// server stored changes this task has yet to read.
    stored_seq: i64,
    log_bytes: usize,
    snapshot_bytes: usize,
    /// The stored bytes could not all be read: never overwrite them with a snapshot.
    damaged: bool,
    /// The refusal to compact a damaged board was logged.
    compaction_refused: bool,
    /// Whether the last write to the database succeeded, as last told to the peers.
    storage_ok: bool,
    /// When the batch being handled began, for the relay latency.
    batch_started: std::time::Instant,
    /// Sync messages reused for peers in the same state.
    messages: MessageCache,
    /// Counter of the notices sent, as the protocol's `count` of ephemeral messages.
    notices: u64,
    deleted: bool,
}

pub(super) fn spawn(
    hub: Hub,
    id: BoardId,
    loaded: LoadedBoard,
    events: mpsc::Receiver<BoardEvent>,
) {
    let LoadedBoard {
        stored,
        mut board,
        damaged,
    } = loaded;
    // Everything loaded is already stored: start incremental saves from here.
    board.doc_mut().save_incremental();
    let task = BoardTask {
        hub,
        id,
        board,
        peers: HashMap::new(),
        unsaved: Vec::new(),
        to_answer: HashSet::new(),
        changed: false,
        known_seq: stored.last_seq,
        stored_seq: stored.last_seq,
        log_bytes: stored.log_bytes(),
        snapshot_bytes: stored.snapshot.len(),
        damaged,
        compaction_refused: false,
        storage_ok: true,
        batch_started: std::time::Instant::now(),
        messages: MessageCache::default(),
        notices: 0,
        deleted: false,
    };
    tokio::spawn(task.run(events));
}

impl BoardTask {
    async fn run(mut self, mut events: mpsc::Receiver<BoardEvent>) {
        tracing::debug!(board = %self.id, "board opened");
        // Since when nobody has had the board open: events that are not a peer's (another
        // server's changes) do not postpone unloading it.
        let mut idle_since = None;
        loop {
            if self.peers.is_empty() {
                idle_since.get_or_insert_with(tokio::time::Instant::now);
            } else {
                idle_since = None;
            }
            let unload_at = idle_since.map(|since| since + self.hub.idle_unload());
            let retry = !self.unsaved.is_empty() || self.behind();
            tokio::select! {
                event = events.recv() => {
                    let Some(event) = event else { break };
                    self.batch_started = std::time::Instant::now();
                    self.handle(event);
                    // Group commit: everything that queued up meanwhile goes into the same write.
                    for _ in 1..MAX_EVENTS_PER_COMMIT {
                        if self.deleted {
                            break;
                        }
                        let Ok(event) = events.try_recv() else { break };
                        self.handle(event);
                    }
                    self.flush().await;
                }
                _ = tokio::time::sleep(STORAGE_RETRY_DELAY), if retry => self.flush().await,
                _ = tokio::time::sleep_until(unload_at.unwrap_or_else(tokio::time::Instant::now)),
                    if unload_at.is_some() && !retry => {
                    if self.hub.try_forget(&self.id, &events) {
                        break;
                    }
                    // Someone is opening it right now: wait for them, or for another period.
                    idle_since = None;
                }
            }
            if self.deleted {
                break;
            }
        }
        if !self.deleted {
            self.compact().await;
        }
        tracing::debug!(board = %self.id, "board closed");
    }

    fn handle(&mut self, event: BoardEvent) {
        match event {
            BoardEvent::Join {
                peer,
                connection,
                outbox,
                kick,
            } => {
                tracing::trace!(board = %self.id, %peer, connection, "peer joined");
                let state = Peer {
                    connection,
                    outbox,
                    kick,
                    sync: sync::State::new(),
                };
                self.peers.insert(peer.clone(), state);
                if !self.storage_ok {
                    self.notify(&peer);
                }
                self.to_answer.insert(peer);
            }
            BoardEvent::Sync { peer, data } => self.receive_sync(peer, &data),
            BoardEvent::Ephemeral {
                peer,
                count,
                session_id,
                data,
            } => {
                self.relay_ephemeral(&peer, count, &session_id, &data);
                self.hub.publish(FeedEvent::Ephemeral {
                    board: self.id.clone(),
                    server: self.hub.server_peer().clone(),
                    sender: peer,
                    count,
                    data,
                });
            }
            BoardEvent::Elsewhere(Elsewhere::Ephemeral {
                sender,
                count,
                data,
            }) => self.relay_ephemeral(&sender, count, sender.as_str(), &data),
            BoardEvent::Elsewhere(Elsewhere::Left { peer }) => self.announce_departure(&peer),
            BoardEvent::Leave { peer, connection } => {
                // A tab that reconnected before its old connection closed is still here.
                match self.peers.get(&peer) {
                    Some(state) if state.connection != connection => {}
                    Some(_) => {
                        self.peers.remove(&peer);
                        self.departed(peer);
                    }
                    // Dropped earlier (refused, or not keeping up).
                    None => self.departed(peer),
                }
            }
            BoardEvent::Deleted => self.gone(),
            BoardEvent::Stored { seq } => {
                // A missed notice may be anywhere past what this task read.
                let seq = seq.unwrap_or(self.known_seq + 1);
                self.stored_seq = self.stored_seq.max(seq);
            }
        }
    }

    /// Whether the database holds changes (from another server) this task has not read yet.
    fn behind(&self) -> bool {
        self.stored_seq > self.known_seq
    }

    /// Applies a peer's sync message in memory; what it changed is written by [`Self::flush`].
    fn receive_sync(&mut self, peer: PeerId, data: &[u8]) {
        let Some(state) = self.peers.get_mut(&peer) else {
            return;
        };
        let message = match sync::Message::decode(data) {
            Ok(message) => message,
            Err(error) => {
                tracing::info!(board = %self.id, %peer, %error, "invalid sync message");
                self.refuse(&peer, "invalid automerge sync message");
                return;
            }
        };
        if !message.changes.is_empty() {
            // Changes waiting for a missing dependency alter what to ask peers for, even when
            // the heads stay the same.
            self.messages.entries.clear();
        }
        let doc = self.board.doc_mut();
        let before = doc.get_heads();
        let message = match ack::receive_acknowledgement(&mut state.sync, message, &before) {
            Ok(()) => {
                self.to_answer.insert(peer);
                return;
            }
            Err(message) => message,
        };
        let applied = doc.sync().receive_sync_message(&mut state.sync, message);
        if let Err(error) = applied {
            tracing::info!(board = %self.id, %peer, %error, "sync message could not be applied");
            self.refuse(&peer, "the sync message could not be applied to the board");
            return;
        }
        let changed = self.board.doc_mut().get_heads() != before;
        tracing::trace!(board = %self.id, %peer, changed, "sync message applied");
        if changed {
            self.hub
                .metrics()
                .changes_applied
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            match self.board.repair_schema() {
                Ok(repaired) if !repaired.is_empty() => tracing::warn!(
                    board = %self.id, %peer, ?repaired,
                    "a peer's change broke the board's structure; repaired it"
                ),
                Ok(_) => {}
                Err(error) => tracing::error!(board = %self.id, %error, "cannot repair the board"),
            }
            self.unsaved.extend(self.board.doc_mut().save_incremental());
            self.changed = true;
        }
        self.to_answer.insert(peer);
    }

    /// Writes what the batch changed, then answers and relays; while the database refuses the
    /// write, sends nothing and tells the peers.
    async fn flush(&mut self) {
        if self.deleted {
            return;
        }
        if self.behind() && self.unsaved.is_empty() {
            // Read what other servers stored; their changes may unblock a peer's, to store too.
            self.catch_up().await;
        }
        if !self.unsaved.is_empty() {
            let mut saved = self.save().await;
            // A catch-up during the write may have brought changes to store as well.
            for _ in 1..MAX_SAVES_PER_FLUSH {
                if !saved || self.unsaved.is_empty() {
                    break;
                }
                saved = self.save().await;
            }
            if self.deleted {
                return;
            }
            saved = saved && self.unsaved.is_empty();
            if saved != self.storage_ok {
                self.storage_ok = saved;
                let peers: Vec<PeerId> = self.peers.keys().cloned().collect();
                for peer in &peers {
                    self.notify(peer);
                }
            }
            if !saved {
                return;
            }
        }
        // The document's version, read once for every peer answered below.
        let heads = self.board.doc_mut().get_heads();
        if self.messages.heads != heads {
            self.messages.heads = heads;
            self.messages.entries.clear();
        }
        if std::mem::take(&mut self.changed) {
            self.to_answer.clear();
            let peers: Vec<PeerId> = self.peers.keys().cloned().collect();
            for peer in peers {
                self.sync_peer(&peer);
            }
            self.hub
                .metrics()
                .relay
                .record(self.batch_started.elapsed());
        } else {
            for peer in std::mem::take(&mut self.to_answer) {
                self.sync_peer(&peer);
            }
        }
    }

    /// Writes unsaved changes as one log entry; returns whether everything in memory is now
    /// stored.
    async fn save(&mut self) -> bool {
        if self.unsaved.is_empty() {
            return true;
        }
        let storage = self.hub.storage().clone();
        let started = std::time::Instant::now();
        let appended = storage.append_change(&self.id, &self.unsaved).await;
        self.hub.metrics().storage_writes.record(started.elapsed());
        match appended {
            Ok(seq) => {
                self.log_bytes += self.unsaved.len();
                self.unsaved.clear();
                self.stored_seq = self.stored_seq.max(seq);
                if seq == self.known_seq + 1 {
                    self.known_seq = seq;
                } else {
                    // Another server wrote to this board meanwhile.
                    self.catch_up().await;
                }
                if self.log_bytes > self.snapshot_bytes.max(MIN_COMPACTION_BYTES) {
                    self.write_snapshot().await;
                }
                true
            }
            Err(StorageError::NoSuchBoard) => {
                self.gone();
                false
            }
            Err(error) => {
                tracing::error!(board = %self.id, %error, "cannot save changes, will retry");
                false
            }
        }
    }

    /// Reads the changes other servers stored since [`Self::known_seq`] into the document. Call
    /// with nothing unsaved but what an earlier catch-up unblocked. Returns whether the document
    /// now holds every stored change.
    async fn catch_up(&mut self) -> bool {
        let storage = self.hub.storage().clone();
        let catch_up = match storage.changes_since(&self.id, self.known_seq).await {
            Ok(Some(catch_up)) => catch_up,
            Ok(None) => {
                self.gone();
                return false;
            }
            Err(error) => {
                tracing::warn!(board = %self.id, %error, "cannot read changes stored by another server");
                return false;
            }
        };
        self.messages.entries.clear();
        let before = self.board.doc_mut().get_heads();
        let waiting_before = self.board.doc_mut().get_missing_deps(&[]);
        let waiting = !waiting_before.is_empty();
        let mut bytes = Vec::new();
        let mut expected = Vec::new();
        let parts = catch_up
            .snapshot
            .iter()
            .chain(catch_up.changes.iter().map(|c| &c.data));
        for part in parts {
            match integrity::check(part) {
                Ok(chunks) => {
                    bytes.extend_from_slice(part);
                    expected.extend(chunks.changes);
                }
                Err(damage) => {
                    tracing::error!(board = %self.id, %damage, "changes stored by another server are damaged");
                    self.damaged = true;
                }
            }
        }
        if let Err(reason) = load_all(&mut self.board, &bytes, &expected, &waiting_before) {
            tracing::error!(board = %self.id, %reason, "changes stored by another server could not all be applied");
            self.damaged = true;
        }
        let loaded = self.board.doc_mut().save_incremental();
        if waiting {
            // A peer's change that waited for one of these may have been applied just now: it
            // must be stored too (writing stored changes again is harmless).
            self.unsaved.extend(loaded);
        }
        self.log_bytes += catch_up.changes.iter().map(|c| c.data.len()).sum::<usize>();
        self.known_seq = catch_up.last_seq;
        // Every notice handled so far was sent by a commit this read saw (notifications are
        // delivered after their transaction commits): nothing more is known to be stored.
        self.stored_seq = catch_up.last_seq;
        if self.board.doc_mut().get_heads() != before {
            self.changed = true;
        }
        true
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
        if self.damaged {
            if !std::mem::replace(&mut self.compaction_refused, true) {
                tracing::warn!(board = %self.id, "not compacting a board whose stored bytes are damaged");
            }
            return;
        }
        let storage = self.hub.storage().clone();
        for _ in 0..COMPACTION_ATTEMPTS {
            let snapshot = self.board.save();
            match storage.compact(&self.id, &snapshot, self.known_seq).await {
                Ok(Compaction::Done) => {
                    self.snapshot_bytes = snapshot.len();
                    self.log_bytes = 0;
                    return;
                }
                Ok(Compaction::Behind) => {
                    if !self.catch_up().await || self.damaged {
                        return;
                    }
                }
                Ok(Compaction::Gone) => {
                    self.gone();
                    return;
                }
                Err(error) => {
                    tracing::warn!(board = %self.id, %error, "compaction failed");
                    return;
                }
            }
        }
    }

    /// The board is no longer in the database: its peers learn that it is unavailable, and the
    /// task stops without writing anything.
    fn gone(&mut self) {
        tracing::debug!(board = %self.id, "closing a deleted board");
        self.deleted = true;
        self.unsaved.clear();
        for (peer, state) in self.peers.drain() {
            let frame = Message::DocUnavailable {
                sender_id: self.hub.server_peer().clone(),
                target_id: peer,
                document_id: self.id.clone(),
            };
            let _ = state.outbox.try_send(frame.encode().into());
        }
        self.hub.forget(&self.id);
    }

    /// Sends the peer what it is missing, if anything. Peers in the same sync state (every peer
    /// in sync with the board when a change arrives, every new peer) get the same message: it
    /// is generated once per state and document version, and the others get a copy of it and of
    /// the state it leads to. Call from [`Self::flush`], which sets the cache to the document's
    /// current heads.
    fn sync_peer(&mut self, peer: &PeerId) {
        let Some(state) = self.peers.get_mut(peer) else {
            return;
        };
        if acknowledged(&state.sync, &self.messages.heads) {
            return;
        }
        let data = match self
            .messages
            .entries
            .iter()
            .find(|cached| cached.before == state.sync)
        {
            Some(cached) => {
                state.sync.clone_from(&cached.after);
                cached.data.clone()
            }
            None => {
                let before = state.sync.clone();
                let data = self
                    .board
                    .doc_mut()
                    .sync()
                    .generate_sync_message(&mut state.sync)
                    .map(|message| message.encode());
                if self.messages.entries.len() == MAX_CACHED_MESSAGES {
                    self.messages.entries.remove(0);
                }
                self.messages.entries.push(CachedMessage {
                    before,
                    after: state.sync.clone(),
                    data: data.clone(),
                });
                data
            }
        };
        let Some(data) = data else { return };
        tracing::trace!(board = %self.id, %peer, bytes = data.len(), "sending a sync message");
        let frame = Message::Sync {
            sender_id: self.hub.server_peer().clone(),
            target_id: peer.clone(),
            document_id: self.id.clone(),
            data,
        };
        self.send(peer, frame.encode().into());
    }

    /// Tells a peer whether the server can store changes right now.
    fn notify(&mut self, peer: &PeerId) {
        let notice = Notice::Storage {
            saved: self.storage_ok,
        };
        self.tell(peer, &notice);
    }

    /// Sends a peer a notice from the server.
    fn tell(&mut self, peer: &PeerId, notice: &Notice) {
        self.notices += 1;
        let frame = Message::Ephemeral {
            sender_id: self.hub.server_peer().clone(),
            target_id: peer.clone(),
            count: self.notices,
            session_id: self.hub.server_peer().to_string(),
            document_id: self.id.clone(),
            data: notice.encode(),
        };
        self.send(peer, frame.encode().into());
    }

    /// A peer of this server left: its presence goes, here and on the other servers.
    fn departed(&mut self, peer: PeerId) {
        self.announce_departure(&peer);
        self.hub.publish(FeedEvent::Left {
            board: self.id.clone(),
            server: self.hub.server_peer().clone(),
            peer,
        });
    }

    /// Tells the board's other peers that a peer left, so that its presence goes at once.
    fn announce_departure(&mut self, gone: &PeerId) {
        let notice = Notice::Left { peer: gone.clone() };
        let others: Vec<PeerId> = self.peers.keys().cloned().collect();
        for peer in others {
            self.tell(&peer, &notice);
        }
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
            // Presence is worth less than the board: it only takes the first half of a peer's
            // queue, so that a peer slow to read misses presence, never a change, and is not
            // dropped for it.
            if let Some(state) = self
                .peers
                .get(&peer)
                .filter(|s| s.outbox.capacity() > PEER_QUEUE_CAPACITY / 2)
            {
                let _ = state.outbox.try_send(frame.encode().into());
            }
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
        self.to_answer.remove(peer);
    }

    /// Queues a frame for a peer; a peer whose queue is full or closed is dropped (and its
    /// connection closed, so that it resyncs from scratch when it reconnects).
    fn send(&mut self, peer: &PeerId, frame: Bytes) {
        let Some(state) = self.peers.get(peer) else {
            return;
        };
        if state.outbox.try_send(frame).is_ok() {
            self.hub
                .metrics()
                .messages_relayed
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        } else {
            tracing::info!(board = %self.id, %peer, "dropping a peer that does not keep up");
            state.kick.cancel();
            self.peers.remove(peer);
        }
    }
}
