//! Notices from the server to its peers, carried as the `data` of `ephemeral` messages whose
//! sender is the server: they are not part of any document, and clients that do not know them
//! (automerge-repo's) simply pass them on to their ephemeral-message listeners.
//!
//! The data is a CBOR map with a `type`:
//! - `{"type": "ardoise/storage", "saved": bool}`: whether the server can store changes now;
//! - `{"type": "ardoise/left", "peer": <peer id>}`: a peer of the board left (its presence goes).

use ciborium::Value;

use super::cbor;
use crate::ids::PeerId;

const STORAGE: &str = "ardoise/storage";
const LEFT: &str = "ardoise/left";

/// Something the server tells the peers of a board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Whether the server can store this board's changes right now. While it cannot, it keeps
    /// them in memory, retries, and relays nothing that is not stored yet.
    Storage { saved: bool },
    /// A peer left the board (closed its tab, lost its connection).
    Left { peer: PeerId },
}

impl Notice {
    pub fn encode(&self) -> Vec<u8> {
        let fields = match self {
            Notice::Storage { saved } => vec![
                ("type", Value::Text(STORAGE.into())),
                ("saved", Value::Bool(*saved)),
            ],
            Notice::Left { peer } => vec![
                ("type", Value::Text(LEFT.into())),
                ("peer", Value::Text(peer.to_string())),
            ],
        };
        cbor::encode_map(fields)
    }

    /// The notice in `data`, or `None` for anything else (presence data, unknown notices).
    pub fn decode(data: &[u8]) -> Option<Notice> {
        let fields = cbor::decode_map(data)?;
        match cbor::text(&fields, "type")? {
            STORAGE => Some(Notice::Storage {
                saved: cbor::field(&fields, "saved")?.as_bool()?,
            }),
            LEFT => Some(Notice::Left {
                peer: PeerId::parse(cbor::text(&fields, "peer")?).ok()?,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_round_trip_and_other_data_is_not_a_notice() {
        for notice in [
            Notice::Storage { saved: true },
            Notice::Storage { saved: false },
            Notice::Left {
                peer: PeerId::random(),
            },
        ] {
            assert_eq!(Notice::decode(&notice.encode()), Some(notice));
        }
        assert_eq!(Notice::decode(b"not cbor"), None);
        let mut presence = Vec::new();
        ciborium::into_writer(&Value::Text("cursor".into()), &mut presence).unwrap();
        assert_eq!(Notice::decode(&presence), None);
        let bad_peer = cbor::encode_map(vec![
            ("type", Value::Text(LEFT.into())),
            ("peer", Value::Text("a/b".into())),
        ]);
        assert_eq!(Notice::decode(&bad_peer), None);
    }
}
