//! A board task's fan-out: what each peer is sent, and what happens to a peer that cannot take it.

use app::{ephemeral::Ephemeral, ids::PeerId, protocol::Message};
use automerge::{sync, ChangeHash};
use axum::body::Bytes;

use super::{
    cache::{CachedMessage, MAX_CACHED_MESSAGES},
    BoardTask,
};

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

impl BoardTask {
    /// Sends the peer what it is missing, if anything. Peers in the same sync state (every peer
    /// in sync with the board when a change arrives, every new peer) get the same message: it
    /// is generated once per state and document version, and the others get a copy of it and of
    /// the state it leads to. Call from [`Self::flush`], which sets the cache to the document's
    /// current heads.
    pub(super) fn sync_peer(&mut self, peer: &PeerId) {
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
            sender_id: self.cx.server_peer.clone(),
            target_id: peer.clone(),
            document_id: self.id.clone(),
            data,
        };
        self.send(peer, frame.encode().into());
    }

    /// Tells a peer whether the server can store changes right now.
    pub(super) fn notify(&mut self, peer: &PeerId) {
        let notice = Ephemeral::Storage {
            saved: self.storage_ok,
        };
        self.tell(peer, &notice);
    }

    /// Sends a peer a notice from the server.
    pub(super) fn tell(&mut self, peer: &PeerId, notice: &Ephemeral) {
        self.notices += 1;
        let frame = Message::Ephemeral {
            sender_id: self.cx.server_peer.clone(),
            target_id: peer.clone(),
            count: self.notices,
            session_id: self.cx.server_peer.to_string(),
            document_id: self.id.clone(),
            data: notice.encode(),
        };
        self.send(peer, frame.encode().into());
    }

    /// Tells a peer its message was refused and closes its connection.
    pub(super) fn refuse(&mut self, peer: &PeerId, reason: &str) {
        let frame = Message::Error {
            message: reason.to_owned(),
        };
        self.send(peer, frame.encode().into());
        if let Some(state) = self.peers.remove(peer) {
            state.link.kick.cancel();
        }
        self.to_answer.remove(peer);
    }

    /// Queues a frame for a peer; a peer whose queue is full or closed is dropped (and its
    /// connection closed, so that it resyncs from scratch when it reconnects).
    pub(super) fn send(&mut self, peer: &PeerId, frame: Bytes) {
        let Some(state) = self.peers.get(peer) else {
            return;
        };
        if state.link.outbox.try_send(frame).is_ok() {
            self.cx
                .metrics
                .messages_relayed
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        } else {
            tracing::info!(board = %self.id, %peer, "dropping a peer that does not keep up");
            state.link.kick.cancel();
            self.peers.remove(peer);
        }
    }
}
