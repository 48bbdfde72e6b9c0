//! Notices from the server to its peers, carried as the `data` of `ephemeral` messages whose
//! sender is the server: they are not part of any document, and clients that do not know them
//! (automerge-repo's) simply pass them on to their ephemeral-message listeners.
//!
//! The data is a CBOR map: `{"type": "ardoise/storage", "saved": bool}`.

use ciborium::Value;

const STORAGE: &str = "ardoise/storage";

/// Something the server tells the peers of a board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// Whether the server can store this board's changes right now. While it cannot, it keeps
    /// them in memory, retries, and relays nothing that is not stored yet.
    Storage { saved: bool },
}

impl Notice {
    pub fn encode(&self) -> Vec<u8> {
        let Notice::Storage { saved } = self;
        let map = Value::Map(vec![
            (Value::Text("type".into()), Value::Text(STORAGE.into())),
            (Value::Text("saved".into()), Value::Bool(*saved)),
        ]);
        let mut bytes = Vec::new();
        ciborium::into_writer(&map, &mut bytes).expect("writing CBOR to a Vec cannot fail");
        bytes
    }

    /// The notice in `data`, or `None` for anything else (presence data, unknown notices).
    pub fn decode(data: &[u8]) -> Option<Notice> {
        let Value::Map(fields) = ciborium::from_reader::<Value, _>(data).ok()? else {
            return None;
        };
        let field = |name: &str| {
            fields
                .iter()
                .find(|(key, _)| key.as_text() == Some(name))
                .map(|(_, value)| value)
        };
        if field("type")?.as_text()? != STORAGE {
            return None;
        }
        Some(Notice::Storage {
            saved: field("saved")?.as_bool()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_round_trip_and_other_data_is_not_a_notice() {
        for saved in [true, false] {
            let notice = Notice::Storage { saved };
            assert_eq!(Notice::decode(&notice.encode()), Some(notice));
        }
        assert_eq!(Notice::decode(b"not cbor"), None);
        let mut presence = Vec::new();
        ciborium::into_writer(&Value::Text("cursor".into()), &mut presence).unwrap();
        assert_eq!(Notice::decode(&presence), None);
    }
}
