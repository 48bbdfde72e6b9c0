//! What a peer's role allows, enforced on what it sends: an observer changes nothing, and only
//! the facilitator writes in the document's reserved parts. A refused peer's changes are taken
//! back before anything is stored or relayed, and its connection ends (its page reloads the
//! board from the server). When the board's links or openness change, every peer is checked
//! again, and those whose link no longer gives them their role are disconnected.

use app::{access::Role, ids::PeerId, model::Written};
use automerge::ChangeHash;

use super::BoardTask;

/// Why an observer's message is refused.
pub(super) const OBSERVER_CHANGE: &str =
    "this link is an observer's: it can follow the board but not change it";
/// Why a change in the facilitator's part of the board is refused.
pub(super) const RESERVED_CHANGE: &str = "only the board's facilitator may change its settings";
/// Why a peer is disconnected after a change of access.
pub(super) const ACCESS_REVOKED: &str =
    "this link no longer opens the board: ask its facilitator for a new one";

impl BoardTask {
    /// Whether what was applied since `before` (and `written`) is within what `role` may
    /// change; if not, the document is put back to `before`.
    pub(super) fn allowed(&mut self, written: &Written, before: &[ChangeHash], role: Role) -> bool {
        if role.facilitates() {
            return true;
        }
        let Some(key) = written.reserved else {
            return true;
        };
        tracing::info!(board = %self.id, key, role = role.as_str(), "refusing a change to a reserved part of the board");
        if let Err(error) = self.board.revert_to(before) {
            // Cannot happen (`before` are heads the document had), but if it did the change
            // must not be stored: nothing is, until the board is loaded again.
            tracing::error!(board = %self.id, %error, "cannot take back a refused change; closing the board");
            self.gone();
        }
        false
    }

    /// Refuses a peer's message, unless other servers share the database and this is its first
    /// check: then it is held until their stored changes are read (the message may only relay
    /// one of theirs), and checked again.
    pub(super) fn hold_or_refuse(
        &mut self,
        peer: PeerId,
        data: &[u8],
        final_check: bool,
        reason: &str,
    ) {
        if !final_check && self.cx.cluster.is_shared() {
            self.held.push((peer, data.to_vec()));
            return;
        }
        self.cx
            .metrics
            .changes_refused
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.refuse(&peer, reason);
    }

    /// Reads what other servers stored, then checks the held messages once more.
    pub(super) async fn check_held(&mut self) {
        // Catching up starts from a document whose every change is stored.
        if !self.save().await {
            return;
        }
        self.catch_up().await;
        for (peer, data) in std::mem::take(&mut self.held) {
            self.receive_sync(peer, &data, true);
        }
    }

    /// Checks every peer's role against the board's access as stored now.
    pub(super) async fn check_access(&mut self) {
        let access = match self.cx.storage.access(&self.id).await {
            Ok(Some(access)) => access,
            Ok(None) => {
                self.gone();
                return;
            }
            // Checked again at the next event.
            Err(error) => {
                tracing::warn!(board = %self.id, %error, "cannot read the board's access");
                return;
            }
        };
        self.access_changed = false;
        let revoked: Vec<PeerId> = self
            .peers
            .iter()
            .filter(|(_, state)| access.role(state.key.as_ref()) != Some(state.role))
            .map(|(peer, _)| peer.clone())
            .collect();
        for peer in revoked {
            tracing::info!(board = %self.id, %peer, "disconnecting a peer whose link was changed");
            // Its connection's departure is announced when it closes.
            self.refuse(&peer, ACCESS_REVOKED);
        }
    }
}
