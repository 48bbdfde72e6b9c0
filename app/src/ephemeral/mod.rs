//! Ardoise's own payloads of `ephemeral` messages: data about a board that is not part of its
//! document, relayed and never stored. One tagged enum, [`Ephemeral`], with one decoder; the
//! wire messages that carry them are in [`crate::protocol`].
//!
//! Every payload is a CBOR map whose `type` names it:
//! - `{"type": "ardoise/presence", "name", "colour", "cursor", "editing", "dragging"}`, from a
//!   peer: who they are and what they point at ([`Presence`]);
//! - `{"type": "ardoise/storage", "saved": bool}`, from the server: whether it can store changes
//!   now;
//! - `{"type": "ardoise/left", "peer": <peer id>}`, from the server: a peer of the board left;
//! - `{"type": "ardoise/clock", "now": <ms since the Unix epoch>}`, from the server when a peer
//!   joins: its clock, which pages correct their own by (the facilitator's countdown).
//!
//! Clients that do not know them (automerge-repo's) pass them on to their ephemeral-message
//! listeners. Whatever a peer sent is made safe to show when decoded: names are cut, colours
//! checked, coordinates kept on the board.
//!
//! Layout: `presence.rs` holds [`Presence`] and its timings, `cbor.rs` the small map helpers.

mod cbor;
mod presence;

use ciborium::Value;

pub use presence::{
    Presence, View, CURSOR_INTERVAL_MS, MAX_NAME_CHARS, MAX_VIEW_ZOOM, MIN_VIEW_ZOOM,
    PRESENCE_EXPIRY_MS, PRESENCE_HEARTBEAT_MS,
};

use crate::ids::PeerId;

const STORAGE: &str = "ardoise/storage";
const LEFT: &str = "ardoise/left";
const CLOCK: &str = "ardoise/clock";

/// One ephemeral payload.
#[derive(Debug, Clone, PartialEq)]
pub enum Ephemeral {
    /// A peer's presence.
    Presence(Presence),
    /// From the server: whether it can store this board's changes right now. While it cannot,
    /// it keeps them in memory, retries, and relays nothing that is not stored yet.
    Storage { saved: bool },
    /// From the server: a peer left the board (closed its tab, lost its connection).
    Left { peer: PeerId },
    /// From the server: its clock when it sent this, in milliseconds since the Unix epoch.
    Clock { now: i64 },
}

impl Ephemeral {
    /// The CBOR bytes of this payload.
    pub fn encode(&self) -> Vec<u8> {
        let fields = match self {
            Ephemeral::Presence(presence) => return presence.encode(),
            Ephemeral::Storage { saved } => vec![
                ("type", Value::Text(STORAGE.into())),
                ("saved", Value::Bool(*saved)),
            ],
            Ephemeral::Left { peer } => vec![
                ("type", Value::Text(LEFT.into())),
                ("peer", Value::Text(peer.to_string())),
            ],
            Ephemeral::Clock { now } => vec![
                ("type", Value::Text(CLOCK.into())),
                ("now", Value::Integer((*now).into())),
            ],
        };
        cbor::encode_map(fields)
    }

    /// The payload in `data`, or `None` for anything else (not CBOR, an unknown type, a
    /// malformed field that cannot be made safe).
    pub fn decode(data: &[u8]) -> Option<Ephemeral> {
        let fields = cbor::decode_map(data)?;
        match cbor::text(&fields, "type")? {
            presence::TYPE => Some(Ephemeral::Presence(Presence::from_fields(&fields))),
            STORAGE => Some(Ephemeral::Storage {
                saved: cbor::field(&fields, "saved")?.as_bool()?,
            }),
            LEFT => Some(Ephemeral::Left {
                peer: PeerId::parse(cbor::text(&fields, "peer")?).ok()?,
            }),
            CLOCK => Some(Ephemeral::Clock {
                now: i64::try_from(cbor::field(&fields, "now")?.as_integer()?).ok()?,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip_and_other_data_is_none() {
        for payload in [
            Ephemeral::Storage { saved: true },
            Ephemeral::Storage { saved: false },
            Ephemeral::Left {
                peer: PeerId::random(),
            },
            Ephemeral::Clock {
                now: 1_800_000_000_000,
            },
            Ephemeral::Presence(Presence {
                name: "Aïcha".into(),
                colour: "#1d5fbf".into(),
                ..Presence::default()
            }),
        ] {
            assert_eq!(Ephemeral::decode(&payload.encode()), Some(payload));
        }
        assert_eq!(Ephemeral::decode(b"not cbor"), None);
        let mut not_a_map = Vec::new();
        ciborium::into_writer(&Value::Text("cursor".into()), &mut not_a_map).unwrap();
        assert_eq!(Ephemeral::decode(&not_a_map), None);
        let unknown = cbor::encode_map(vec![("type", Value::Text("ardoise/later".into()))]);
        assert_eq!(Ephemeral::decode(&unknown), None);
        let bad_peer = cbor::encode_map(vec![
            ("type", Value::Text(LEFT.into())),
            ("peer", Value::Text("a/b".into())),
        ]);
        assert_eq!(Ephemeral::decode(&bad_peer), None);
        let bad_flag = cbor::encode_map(vec![
            ("type", Value::Text(STORAGE.into())),
            ("saved", Value::Text("yes".into())),
        ]);
        assert_eq!(Ephemeral::decode(&bad_flag), None);
    }
}
