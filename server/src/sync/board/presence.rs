//! A board task's presence: relaying what peers show each other, and telling them who left.
//! Presence is never stored, and worth less than the board: it never makes a peer miss a change.

use app::{ephemeral::Ephemeral, ids::PeerId, protocol::Message};

use super::BoardTask;
use crate::sync::{cluster::ClusterEvent, limits::PEER_QUEUE_CAPACITY};

impl BoardTask {
    /// A peer of this server left: its presence goes, here and on the other servers.
    pub(super) fn departed(&mut self, peer: PeerId) {
        self.announce_departure(&peer);
        self.cx.cluster.publish(ClusterEvent::Left {
            board: self.id.clone(),
            server: self.cx.server_peer.clone(),
            peer,
        });
    }

    /// Tells the board's other peers that a peer left, so that its presence goes at once.
    pub(super) fn announce_departure(&mut self, gone: &PeerId) {
        let notice = Ephemeral::Left { peer: gone.clone() };
        let others: Vec<PeerId> = self.peers.keys().cloned().collect();
        for peer in others {
            self.tell(&peer, &notice);
        }
    }

    /// What a peer's ephemeral data becomes on this board: on an anonymous board, presence
    /// goes without its name, nor which post-it it is typing in (whatever the page sent): a
    /// typing indicator would tell who wrote what. Only a facilitator's presence brings
    /// everyone to its view (`summon`): anyone else's goes with 0. `facilitates`: whether the
    /// sender is the board's facilitator (presence from another server was screened there).
    pub(super) fn screened(&self, data: Vec<u8>, facilitates: bool) -> Vec<u8> {
        let anonymous = self.board.is_anonymous();
        if facilitates && !anonymous {
            return data;
        }
        match Ephemeral::decode(&data) {
            Some(Ephemeral::Presence(mut presence)) if anonymous || presence.summon != 0 => {
                if anonymous {
                    presence.name.clear();
                    presence.editing = None;
                }
                if !facilitates {
                    presence.summon = 0;
                }
                Ephemeral::Presence(presence).encode()
            }
            _ => data,
        }
    }

    pub(super) fn relay_ephemeral(
        &mut self,
        from: &PeerId,
        count: u64,
        session_id: &str,
        data: &[u8],
    ) {
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
                .filter(|s| s.link.outbox.capacity() > PEER_QUEUE_CAPACITY / 2)
            {
                let _ = state.link.outbox.try_send(frame.encode().into());
            }
        }
    }
}
