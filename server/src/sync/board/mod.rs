//! One task per open board: the only owner of the board's document and of each peer's sync state.
//! Every event for the board goes through [`BoardTask::handle`]; nothing is shared with other
//! tasks but the [`BoardContext`] it is given (storage, metrics, the cluster, its settings).
//!
//! A change from a peer is applied once, written to the database, and only then relayed to the
//! other peers, so that nothing another peer has seen can be lost by a crash. Group commit: the
//! events that queued up while the task was writing are all applied, then written together in one
//! transaction, then relayed.
//!
//! Layout, by job: this file holds the loop and what each event does; `durable.rs` writes,
//! reads what other servers wrote, and compacts; `fanout.rs` sends each peer what it lacks
//! (reusing one message for peers in the same state, kept in `cache.rs`) and drops those that
//! do not keep up; `presence.rs` relays presence and departures; `rights.rs` refuses what a
//! peer's role does not allow, and ends the connections a change of access locks out.
//!
//! Time is tokio's: tests drive a task through its mailbox with paused time.

mod cache;
mod durable;
mod fanout;
mod presence;
mod rights;

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
    time::Duration,
};

use app::{
    access::Role,
    ephemeral::Ephemeral,
    ids::{BoardId, PeerId},
    model::{Board, Signature, Written, MAX_NOTE_TEXT_CHARS},
};
use automerge::sync;
use tokio::{
    sync::{mpsc, oneshot},
    time::Instant,
};

use self::cache::MessageCache;
use super::{
    ack,
    cluster::{Cluster, ClusterEvent},
    directory::Slot,
    limits::{MAX_EVENTS_PER_COMMIT, STORAGE_RETRY_DELAY},
    mailbox::{BoardEvent, Elsewhere, PeerLink, ServerEdit},
};
use crate::{
    access::KeyHash,
    metrics::Metrics,
    storage::{now_ms, LoadedBoard, Storage},
};

/// Why a change that writes an author's name on an anonymous board is refused.
const ANONYMOUS_AUTHOR: &str = "this board is anonymous: no author's name may be written into it";

/// Writes in one flush at most: a write can bring changes written by another server that unlock
/// a peer's change, to be written in turn.
const MAX_SAVES_PER_FLUSH: usize = 3;

/// What every board task is given: the same for all of them.
pub struct BoardContext {
    pub storage: Storage,
    pub metrics: Arc<Metrics>,
    pub cluster: Cluster,
    /// The server's own peer id in the sync protocol.
    pub server_peer: PeerId,
    /// How long a board with nobody connected stays in memory.
    pub idle_unload: Duration,
    /// How large a board may grow.
    pub limits: BoardLimits,
}

/// How large a board may grow: a change beyond is refused, and nothing of it stored.
#[derive(Debug, Clone, Copy)]
pub struct BoardLimits {
    /// Post-its on the board (`--max-notes`).
    pub max_notes: usize,
    /// Bytes of the stored document, snapshot and change log (`--max-board-bytes`).
    pub max_document_bytes: usize,
}

/// Default of `--max-board-bytes`: about 30,000 post-its' worth of typing.
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 64 * 1024 * 1024;

impl Default for BoardLimits {
    fn default() -> Self {
        Self {
            max_notes: app::model::MAX_NOTES,
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
        }
    }
}

/// A peer of this board.
struct Peer {
    link: PeerLink,
    sync: sync::State,
    /// What its link gave it when it joined.
    role: Role,
    /// The hash of the secret its connection presented, to tell whether a change of the
    /// board's access leaves it its role.
    key: Option<KeyHash>,
}

struct BoardTask {
    cx: Arc<BoardContext>,
    /// Its place among the open boards, given up when the task stops.
    slot: Slot,
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
    batch_started: Instant,
    /// Sync messages reused for peers in the same state.
    messages: MessageCache,
    /// Counter of the notices sent, as the protocol's `count` of ephemeral messages.
    notices: u64,
    deleted: bool,
    /// Sync messages that would be refused, held until the changes other servers stored are
    /// read (a peer may relay a change another server already has), then checked once more.
    held: Vec<(PeerId, Vec<u8>)>,
    /// The board's links or openness changed: every peer's role is to be checked again.
    access_changed: bool,
    /// Those waiting for an edit of the server's own to be stored.
    edits_waiting: Vec<oneshot::Sender<bool>>,
}

/// Starts the task of a board just loaded, reading its mailbox `events`.
pub fn spawn(
    cx: Arc<BoardContext>,
    slot: Slot,
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
    board.save_incremental();
    let task = BoardTask {
        cx,
        slot,
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
        batch_started: Instant::now(),
        messages: MessageCache::default(),
        notices: 0,
        deleted: false,
        held: Vec::new(),
        access_changed: false,
        edits_waiting: Vec::new(),
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
                idle_since.get_or_insert_with(Instant::now);
            } else {
                idle_since = None;
            }
            let unload_at = idle_since.map(|since| since + self.cx.idle_unload);
            let retry = !self.unsaved.is_empty() || self.behind();
            tokio::select! {
                event = events.recv() => {
                    let Some(event) = event else { break };
                    self.batch_started = Instant::now();
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
                _ = tokio::time::sleep_until(unload_at.unwrap_or_else(Instant::now)),
                    if unload_at.is_some() && !retry => {
                    if self.slot.try_release(&events) {
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
                link,
                role,
                key,
            } => {
                tracing::trace!(board = %self.id, %peer, connection = link.connection, role = role.as_str(), "peer joined");
                // An observer's changes are never applied (and it is not asked for any).
                let sync = if role.edits() {
                    sync::State::new()
                } else {
                    sync::State::new_read_only()
                };
                let state = Peer {
                    link,
                    sync,
                    role,
                    key,
                };
                self.peers.insert(peer.clone(), state);
                // The server's clock, which pages correct theirs by for the countdown.
                self.tell(&peer, &Ephemeral::Clock { now: now_ms() });
                if !self.storage_ok {
                    self.notify(&peer);
                }
                self.to_answer.insert(peer);
            }
            BoardEvent::Sync { peer, data } => self.receive_sync(peer, &data, false),
            BoardEvent::Ephemeral {
                peer,
                count,
                session_id,
                data,
            } => {
                let facilitates = self
                    .peers
                    .get(&peer)
                    .is_some_and(|state| state.role.facilitates());
                let data = self.screened(data, facilitates);
                self.relay_ephemeral(&peer, count, &session_id, &data);
                self.cx.cluster.publish(ClusterEvent::Ephemeral {
                    board: self.id.clone(),
                    server: self.cx.server_peer.clone(),
                    sender: peer,
                    count,
                    data,
                });
            }
            BoardEvent::Elsewhere(Elsewhere::Ephemeral {
                sender,
                count,
                data,
            }) => {
                let data = self.screened(data, true);
                self.relay_ephemeral(&sender, count, sender.as_str(), &data);
            }
            BoardEvent::Elsewhere(Elsewhere::Left { peer }) => self.announce_departure(&peer),
            BoardEvent::Leave { peer, connection } => {
                // A tab that reconnected before its old connection closed is still here.
                match self.peers.get(&peer) {
                    Some(state) if state.link.connection != connection => {}
                    Some(_) => {
                        self.peers.remove(&peer);
                        self.departed(peer);
                    }
                    // Dropped earlier (refused, or not keeping up).
                    None => self.departed(peer),
                }
            }
            BoardEvent::Deleted => self.gone(),
            BoardEvent::AccessChanged => self.access_changed = true,
            BoardEvent::Edit { edit, done } => self.edit(edit, done),
            BoardEvent::Stored { seq } => {
                // A missed notice may be anywhere past what this task read.
                let seq = seq.unwrap_or(self.known_seq + 1);
                self.stored_seq = self.stored_seq.max(seq);
            }
        }
    }

    /// Applies an edit of the server's own; it is stored and relayed with the batch.
    fn edit(&mut self, edit: ServerEdit, done: oneshot::Sender<bool>) {
        let before = self.board.heads();
        let edited = edit(&mut self.board);
        self.board.sign(&Signature::server(now_ms()));
        if let Err(error) = edited {
            tracing::error!(board = %self.id, %error, "the server's own edit failed");
            if self.board.revert_to(&before).is_err() {
                self.gone();
            }
            let _ = done.send(false);
            return;
        }
        if self.board.heads() != before {
            self.messages.entries.clear();
            let new = self.board.save_incremental();
            self.unsaved.extend(new);
            self.changed = true;
        }
        self.edits_waiting.push(done);
    }

    /// Whether the database holds changes (from another server) this task has not read yet.
    fn behind(&self) -> bool {
        self.stored_seq > self.known_seq
    }

    /// Applies a peer's sync message in memory, if its role allows what it changes; what it
    /// changed is written by [`Self::flush`]. `final_check`: the message was held and the
    /// changes other servers stored have been read since; refuse rather than hold it again.
    fn receive_sync(&mut self, peer: PeerId, data: &[u8], final_check: bool) {
        let Some(state) = self.peers.get_mut(&peer) else {
            return;
        };
        let role = state.role;
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
            // An observer may only send changes the board holds (every change a message
            // carries is one of its heads or before them).
            if !role.edits() && !self.board.has_changes(&message.heads) {
                self.hold_or_refuse(peer, data, final_check, rights::OBSERVER_CHANGE);
                return;
            }
        }
        let Some(state) = self.peers.get_mut(&peer) else {
            return;
        };
        let before = self.board.heads();
        let message = match ack::receive_acknowledgement(&mut state.sync, message, &before) {
            Ok(()) => {
                self.to_answer.insert(peer);
                return;
            }
            Err(message) => message,
        };
        let applied = self.board.receive_sync_message(&mut state.sync, message);
        if let Err(error) = applied {
            tracing::info!(board = %self.id, %peer, %error, "sync message could not be applied");
            self.refuse(&peer, "the sync message could not be applied to the board");
            return;
        }
        let changed = self.board.heads() != before;
        tracing::trace!(board = %self.id, %peer, changed, "sync message applied");
        if changed {
            // What the new changes write, read once for the rights and the limits.
            let written = self.board.written_since(&before);
            if !self.allowed(&written, &before, role) {
                self.hold_or_refuse(peer, data, final_check, rights::RESERVED_CHANGE);
                return;
            }
            if let Some(reason) = self.beyond_limits(&written, &before) {
                self.refuse(&peer, &reason);
                return;
            }
            self.cx
                .metrics
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
            let new = self.board.save_incremental();
            let stored = self.snapshot_bytes + self.log_bytes + self.unsaved.len();
            if stored + new.len() > self.cx.limits.max_document_bytes {
                let reason = format!(
                    "this board has reached its size limit ({} bytes)",
                    self.cx.limits.max_document_bytes
                );
                if self.board.revert_to(&before).is_err() {
                    self.gone();
                }
                self.refuse(&peer, &reason);
                return;
            }
            self.unsaved.extend(new);
            self.changed = true;
        }
        self.to_answer.insert(peer);
    }

    /// Why what was applied since `before` goes beyond the board's limits (or writes a name
    /// on an anonymous board), if it does; then the document is put back to `before`.
    fn beyond_limits(
        &mut self,
        written: &Written,
        before: &[automerge::ChangeHash],
    ) -> Option<String> {
        let max = self.cx.limits.max_notes;
        // Post-its are counted only when the map of post-its itself was written; a board
        // already over a lowered limit may still shrink, or change what it holds.
        let over = written.notes && {
            let notes = self.board.note_count();
            notes > max && notes > self.board.note_count_at(before)
        };
        let reason = if over {
            format!("this board has reached its limit of {max} post-its")
        } else if written.text_too_long {
            format!(
                "a text is longer than a board allows (a post-it holds {MAX_NOTE_TEXT_CHARS} characters)"
            )
        } else if written.author && self.board.is_anonymous() {
            ANONYMOUS_AUTHOR.to_owned()
        } else {
            return None;
        };
        if self.board.revert_to(before).is_err() {
            self.gone();
        }
        Some(reason)
    }

    /// Writes what the batch changed, then answers and relays; while the database refuses the
    /// write, sends nothing and tells the peers.
    async fn flush(&mut self) {
        if self.deleted {
            return;
        }
        if self.access_changed {
            self.check_access().await;
        }
        if !self.held.is_empty() {
            self.check_held().await;
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
        // Everything is stored: the server's own edits are done.
        for done in self.edits_waiting.drain(..) {
            let _ = done.send(true);
        }
        // The document's version, read once for every peer answered below.
        let heads = self.board.heads();
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
            self.cx.metrics.relay.record(self.batch_started.elapsed());
        } else {
            for peer in std::mem::take(&mut self.to_answer) {
                self.sync_peer(&peer);
            }
        }
    }
}
