//! The acknowledgement of a relayed change, applied without Automerge's general path.
//!
//! After each relayed change every peer answers with a sync message that carries no change and
//! names the board's current heads. Automerge's `receive_sync_message` then walks the whole change
//! history to trim the hashes sent to that peer (`remove_ancestors` visits every ancestor of the
//! heads): with 200 peers on a board of 10,000 changes that is two million steps per change. When
//! the peer's heads are exactly the document's, every change is an ancestor of them, so the
//! result is known without the walk. The test below checks that both paths leave the same state:
//! it fails if an Automerge upgrade changes what its sync state holds or how it is updated,
//! which is why the workspace pins `automerge` to one exact version.

use automerge::{
    sync::{self, Capability, MessageFlags},
    ChangeHash,
};

/// Applies `message` to a peer's sync state if it is a pure acknowledgement: no changes, and the
/// peer's heads are `heads`, the document's current (non-empty) heads. Otherwise gives the
/// message back, for Automerge to apply.
pub(super) fn receive_acknowledgement(
    state: &mut sync::State,
    message: sync::Message,
    heads: &[ChangeHash],
) -> Result<(), sync::Message> {
    if !message.changes.is_empty() || heads.is_empty() || message.heads != heads {
        return Err(message);
    }
    state.in_flight = false;
    if let Some(flags) = message.flags {
        // What Automerge does with the flags of any message.
        let mut capabilities = vec![Capability::MessageV2];
        if flags.contains(MessageFlags::SUPPORTS_SYNC_RESET) {
            capabilities.push(Capability::SyncReset);
        }
        state.their_capabilities = Some(capabilities);
        state.peer_read_only = flags.contains(MessageFlags::READ_ONLY);
    }
    // The peer has every change of the document: nothing sent is still unacknowledged, and the
    // shared heads are the document's.
    state.sent_hashes.clear();
    state.last_sent_heads = message.heads.clone();
    state.shared_heads = message.heads.clone();
    state.their_have = Some(message.have);
    state.their_need = Some(message.need);
    state.their_heads = Some(message.heads);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::receive_acknowledgement;
    use automerge::{
        sync::{self, SyncDoc},
        transaction::Transactable,
        AutoCommit, ROOT,
    };

    /// Syncs two documents until neither has anything to say.
    fn sync_fully(
        a: &mut AutoCommit,
        a_state: &mut sync::State,
        b: &mut AutoCommit,
        b_state: &mut sync::State,
    ) {
        for _ in 0..10 {
            let to_b = a.sync().generate_sync_message(a_state);
            if let Some(m) = to_b.clone() {
                b.sync().receive_sync_message(b_state, m).unwrap();
            }
            let to_a = b.sync().generate_sync_message(b_state);
            if let Some(m) = to_a.clone() {
                a.sync().receive_sync_message(a_state, m).unwrap();
            }
            if to_a.is_none() && to_b.is_none() {
                return;
            }
        }
        panic!("the documents never settled");
    }

    #[test]
    fn an_acknowledgement_leaves_the_state_automerge_would() {
        let mut server = AutoCommit::new();
        for i in 0..50 {
            server.put(ROOT, format!("k{i}"), i).unwrap();
            server.commit();
        }
        let mut client = AutoCommit::new();
        let (mut server_state, mut client_state) = (sync::State::new(), sync::State::new());
        sync_fully(
            &mut server,
            &mut server_state,
            &mut client,
            &mut client_state,
        );

        for round in 0..3 {
            // A change relayed to the client, which answers with its new heads.
            server.put(ROOT, "moved", round).unwrap();
            server.commit();
            let relayed = server
                .sync()
                .generate_sync_message(&mut server_state)
                .expect("a message with the change");
            client
                .sync()
                .receive_sync_message(&mut client_state, relayed)
                .unwrap();
            let ack = client
                .sync()
                .generate_sync_message(&mut client_state)
                .expect("an acknowledgement");
            assert!(ack.changes.is_empty());

            let mut fast = server_state.clone();
            let heads = server.get_heads();
            receive_acknowledgement(&mut fast, ack.clone(), &heads)
                .expect("recognised as an acknowledgement");
            server
                .sync()
                .receive_sync_message(&mut server_state, ack)
                .unwrap();
            assert_eq!(fast, server_state, "round {round}");
            assert!(server
                .sync()
                .generate_sync_message(&mut server_state)
                .is_none());
        }
    }

    #[test]
    fn messages_with_changes_or_other_heads_go_to_automerge() {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "k", 1).unwrap();
        let heads = doc.get_heads();
        let message = doc
            .sync()
            .generate_sync_message(&mut sync::State::new())
            .unwrap();
        assert_eq!(message.heads, heads);
        let mut state = sync::State::new();

        let mut with_changes = message.clone();
        with_changes.changes = vec![vec![0x85, 0x6f, 0x4a, 0x83]].into();
        assert!(receive_acknowledgement(&mut state, with_changes, &heads).is_err());
        let mut other_heads = message.clone();
        other_heads.heads = Vec::new();
        assert!(receive_acknowledgement(&mut state, other_heads, &heads).is_err());
        assert!(receive_acknowledgement(&mut state, message, &[]).is_err());
        assert_eq!(
            state,
            sync::State::new(),
            "a refused message changed nothing"
        );
    }
}
