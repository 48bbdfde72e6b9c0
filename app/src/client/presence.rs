//! Presence on the client side: what this page shows the others (sent when it changes, a moving
//! cursor at most every [`CURSOR_INTERVAL_MS`]), and the book of who else is here (forgotten when
//! the server says they left or after [`PRESENCE_EXPIRY_MS`] without news).

use std::collections::HashMap;

use crate::{
    ephemeral::{Presence, CURSOR_INTERVAL_MS, PRESENCE_EXPIRY_MS},
    ids::PeerId,
};

/// Another person on the board, as their last presence message said.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub peer: PeerId,
    pub presence: Presence,
}

/// Everyone heard of, with when (milliseconds on the page's clock).
#[derive(Debug, Default, Clone)]
pub struct PresenceBook {
    heard: HashMap<PeerId, (Presence, f64)>,
}

impl PresenceBook {
    /// A peer's presence arrived; returns whether the peer is new here (it is then told ours).
    pub fn hear(&mut self, peer: PeerId, presence: Presence, now: f64) -> bool {
        self.heard.insert(peer, (presence, now)).is_none()
    }

    /// A peer left; returns whether it was known.
    pub fn forget(&mut self, peer: &PeerId) -> bool {
        self.heard.remove(peer).is_some()
    }

    /// The connection closed: whoever is still there says so again after the reconnection.
    pub fn clear(&mut self) {
        self.heard.clear();
    }

    /// Forgets the peers not heard of for [`PRESENCE_EXPIRY_MS`]; returns whether any went.
    pub fn expire(&mut self, now: f64) -> bool {
        let before = self.heard.len();
        self.heard
            .retain(|_, (_, at)| now - *at < PRESENCE_EXPIRY_MS);
        before != self.heard.len()
    }

    /// Every peer's last presence.
    pub fn presences(&self) -> HashMap<PeerId, Presence> {
        self.heard
            .iter()
            .map(|(peer, (presence, _))| (peer.clone(), presence.clone()))
            .collect()
    }

    /// The people here, in a stable order (by name, then peer), without their cursors and
    /// views, which move all the time; and, in the same order, those whose pointer is on the
    /// canvas or who say what they look at, with both.
    pub fn people_and_cursors(&self) -> (Vec<Person>, Vec<Person>) {
        let mut people = self.sorted();
        let cursors = people
            .iter()
            .filter(|p| p.presence.cursor.is_some() || p.presence.view.is_some())
            .cloned()
            .collect();
        for person in &mut people {
            person.presence.cursor = None;
            person.presence.view = None;
        }
        (people, cursors)
    }

    fn sorted(&self) -> Vec<Person> {
        let mut everyone: Vec<Person> = self
            .heard
            .iter()
            .map(|(peer, (presence, _))| Person {
                peer: peer.clone(),
                presence: presence.clone(),
            })
            .collect();
        everyone.sort_by(|a, b| {
            (a.presence.name.to_lowercase(), &a.peer)
                .cmp(&(b.presence.name.to_lowercase(), &b.peer))
        });
        everyone
    }
}

/// When to send this page's presence after a change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SendPresence {
    /// Nothing changed, or a send of the cursor is already scheduled.
    No,
    Now,
    /// The cursor moved too soon after the last send: in this many milliseconds.
    After(f64),
}

/// What this page shows the others, and when it last sent it.
#[derive(Debug, Default, Clone)]
pub struct MyPresence {
    mine: Presence,
    sent_at: f64,
    /// A send of the cursor is scheduled.
    cursor_pending: bool,
}

impl MyPresence {
    pub fn current(&self) -> &Presence {
        &self.mine
    }

    /// Changes this page's presence; says when to send it. A change of anything but the
    /// cursor and the view goes at once; those go at most every [`CURSOR_INTERVAL_MS`].
    pub fn update(&mut self, update: impl FnOnce(&mut Presence), now: f64) -> SendPresence {
        let before = self.mine.clone();
        update(&mut self.mine);
        if before == self.mine {
            return SendPresence::No;
        }
        let cursor_only = Presence {
            cursor: self.mine.cursor,
            view: self.mine.view,
            ..before
        } == self.mine;
        if !cursor_only {
            return SendPresence::Now;
        }
        let wait = self.sent_at + CURSOR_INTERVAL_MS - now;
        if wait <= 0.0 {
            return SendPresence::Now;
        }
        if std::mem::replace(&mut self.cursor_pending, true) {
            SendPresence::No
        } else {
            SendPresence::After(wait)
        }
    }

    /// The presence is being sent now: its payload.
    pub fn send(&mut self, now: f64) -> Vec<u8> {
        self.sent_at = now;
        self.cursor_pending = false;
        self.mine.encode()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> Presence {
        Presence {
            name: name.into(),
            ..Presence::default()
        }
    }

    #[test]
    fn the_book_lists_people_by_name_keeps_cursors_apart_and_forgets() {
        let mut book = PresenceBook::default();
        let (bob, alice) = (PeerId::random(), PeerId::random());
        assert!(book.hear(bob.clone(), named("bob"), 0.0));
        let with_cursor = Presence {
            cursor: Some((1.0, 2.0)),
            ..named("Alice")
        };
        assert!(book.hear(alice.clone(), with_cursor.clone(), 10.0));
        assert!(
            !book.hear(alice.clone(), with_cursor, 20.0),
            "known already"
        );
        let (people, cursors) = book.people_and_cursors();
        let names: Vec<_> = people.into_iter().map(|p| p.presence).collect();
        assert_eq!(
            names,
            [named("Alice"), named("bob")],
            "no cursor in the list"
        );
        assert_eq!(cursors.len(), 1);
        assert_eq!(cursors[0].peer, alice);

        assert!(!book.expire(PRESENCE_EXPIRY_MS - 1.0));
        assert!(book.expire(PRESENCE_EXPIRY_MS + 5.0), "bob said nothing");
        let left: Vec<_> = book.presences().into_keys().collect();
        assert_eq!(
            left,
            std::slice::from_ref(&alice),
            "bob is gone, alice is not"
        );
        assert!(book.forget(&alice));
        assert!(book.presences().is_empty());
    }

    #[test]
    fn changes_go_at_once_and_a_moving_cursor_at_most_every_interval() {
        let mut mine = MyPresence::default();
        let named = |p: &mut Presence| {
            p.name = "Aïcha".into();
            p.colour = "#1d5fbf".into();
        };
        assert_eq!(mine.update(named, 0.0), SendPresence::Now);
        mine.send(0.0);
        assert_eq!(mine.update(named, 1.0), SendPresence::No);
        assert_eq!(
            mine.update(|p| p.cursor = Some((1.0, 1.0)), 10.0),
            SendPresence::After(CURSOR_INTERVAL_MS - 10.0)
        );
        assert_eq!(
            mine.update(|p| p.cursor = Some((2.0, 1.0)), 20.0),
            SendPresence::No,
            "already scheduled"
        );
        let sent = mine.send(CURSOR_INTERVAL_MS);
        assert_eq!(
            crate::ephemeral::Ephemeral::decode(&sent),
            Some(crate::ephemeral::Ephemeral::Presence(
                mine.current().clone()
            ))
        );
        assert_eq!(
            mine.update(|p| p.cursor = Some((3.0, 1.0)), 2.0 * CURSOR_INTERVAL_MS),
            SendPresence::Now
        );
        assert_eq!(
            mine.update(|p| p.editing = Some(crate::ids::NoteId::random()), 1.0),
            SendPresence::Now,
            "anything but the cursor goes at once"
        );
    }
}
