//! Sync messages reused for peers in the same sync state: when a change arrives every peer that
//! was in sync is in one state, so the message is computed once for all of them.

use automerge::{sync, ChangeHash};

/// Distinct peer states whose sync message is kept for reuse; with more, the oldest goes.
pub(super) const MAX_CACHED_MESSAGES: usize = 8;

/// Sync messages generated for the current version of the document, by the peer state they
/// were generated from.
#[derive(Default)]
pub(super) struct MessageCache {
    pub(super) heads: Vec<ChangeHash>,
    pub(super) entries: Vec<CachedMessage>,
}

pub(super) struct CachedMessage {
    /// The peer's sync state before the message.
    pub(super) before: sync::State,
    /// The peer's sync state after it.
    pub(super) after: sync::State,
    /// The encoded message; `None` when there was nothing to send.
    pub(super) data: Option<Vec<u8>>,
}
