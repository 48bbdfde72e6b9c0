//! A board task's durable side: writing what peers changed before anything is relayed, reading
//! what other servers wrote, and folding the change log into a snapshot.

use app::protocol::Message;

use super::BoardTask;
use crate::{
    storage::{integrity, load_all, Compaction, StorageError},
    sync::limits::MIN_COMPACTION_BYTES,
};

/// A compaction that finds the log grown by another server catches up and tries again, this many
/// times at most.
const COMPACTION_ATTEMPTS: usize = 3;

impl BoardTask {
    /// Writes unsaved changes as one log entry; returns whether everything in memory is now
    /// stored.
    pub(super) async fn save(&mut self) -> bool {
        if self.unsaved.is_empty() {
            return true;
        }
        let storage = self.cx.storage.clone();
        let started = tokio::time::Instant::now();
        let appended = storage.append_change(&self.id, &self.unsaved).await;
        self.cx.metrics.storage_writes.record(started.elapsed());
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
    pub(super) async fn catch_up(&mut self) -> bool {
        let storage = self.cx.storage.clone();
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
        let before = self.board.heads();
        let waiting_before = self.board.missing_deps(&[]);
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
        let loaded = self.board.save_incremental();
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
        if self.board.heads() != before {
            self.changed = true;
        }
        true
    }

    /// Saves what is unsaved and folds the change log into a new snapshot.
    pub(super) async fn compact(&mut self) {
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
        let storage = self.cx.storage.clone();
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
    pub(super) fn gone(&mut self) {
        tracing::debug!(board = %self.id, "closing a deleted board");
        self.deleted = true;
        self.unsaved.clear();
        for (peer, state) in self.peers.drain() {
            let frame = Message::DocUnavailable {
                sender_id: self.cx.server_peer.clone(),
                target_id: peer,
                document_id: self.id.clone(),
            };
            let _ = state.link.outbox.try_send(frame.encode().into());
        }
        self.slot.release();
    }
}
