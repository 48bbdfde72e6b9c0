//! Identifiers. Every id is a newtype so that a note id can never be passed where a board id is
//! expected; all of them are validated when they come from the network.

use std::fmt;

use automerge::ActorId;

/// Why an id taken from the outside was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("not a valid document id")]
    InvalidDocumentId,
    #[error("id must be 1 to {max} characters of letters, digits, '-', '_', '.' or ':'")]
    InvalidToken { max: usize },
}

/// Longest note or peer id accepted from a client.
pub const MAX_TOKEN_ID_CHARS: usize = 128;

/// Sixteen fresh random bytes (Automerge's actor ids are random UUIDs, so this is the same source).
fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&ActorId::random().to_bytes()[..16]);
    bytes
}

/// A board's id, which is also its automerge-repo document id: the base58check encoding of a
/// random UUID, as `automerge-repo` makes them, so that `automerge:<id>` is a valid repo URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BoardId(String);

impl BoardId {
    /// A new random (v4 UUID) board id.
    pub fn random() -> Self {
        let mut bytes = random_bytes();
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        Self(bs58::encode(bytes).with_check().into_string())
    }

    /// Parses a document id as written in URLs and on the wire (an optional `automerge:` prefix is
    /// accepted).
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let text = text.strip_prefix("automerge:").unwrap_or(text);
        if text.len() > 64 {
            return Err(IdError::InvalidDocumentId);
        }
        match bs58::decode(text).with_check(None).into_vec() {
            Ok(bytes) if bytes.len() == 16 => Ok(Self(text.to_owned())),
            _ => Err(IdError::InvalidDocumentId),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The automerge-repo URL of this board's document.
    pub fn automerge_url(&self) -> String {
        format!("automerge:{}", self.0)
    }
}

impl fmt::Display for BoardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Defines a string id made of URL-safe characters, random when made locally.
macro_rules! token_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// A new random id.
            pub fn random() -> Self {
                Self(bs58::encode(random_bytes()).into_string())
            }

            /// Accepts 1 to [`MAX_TOKEN_ID_CHARS`] characters of `[A-Za-z0-9_.:-]`.
            pub fn parse(text: &str) -> Result<Self, IdError> {
                let valid = !text.is_empty()
                    && text.len() <= MAX_TOKEN_ID_CHARS
                    && text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
                if valid {
                    Ok(Self(text.to_owned()))
                } else {
                    Err(IdError::InvalidToken { max: MAX_TOKEN_ID_CHARS })
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(text: String) -> Result<Self, IdError> {
                Self::parse(&text)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

token_id!(
    /// A post-it's key in the board document's `notes` map.
    NoteId
);
token_id!(
    /// A column's key in the board document's `columns` map.
    ColumnId
);
token_id!(
    /// A group's key in the board document's `groups` map.
    GroupId
);
token_id!(
    /// A sync peer (a browser tab, a Rust client, the server itself), as in automerge-repo's `PeerId`.
    PeerId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn board_ids_round_trip_and_look_like_automerge_repo_ids() {
        let id = BoardId::random();
        assert_eq!(BoardId::parse(id.as_str()), Ok(id.clone()));
        assert_eq!(BoardId::parse(&id.automerge_url()), Ok(id.clone()));
        let bytes = bs58::decode(id.as_str())
            .with_check(None)
            .into_vec()
            .unwrap();
        assert_eq!(bytes[6] >> 4, 4, "a version 4 UUID");
        assert_ne!(BoardId::random(), id);
    }

    #[test]
    fn board_ids_with_a_bad_checksum_or_length_are_refused() {
        let id = BoardId::random();
        let mut tampered = id.as_str().to_owned();
        let last = tampered.pop().unwrap();
        tampered.push(if last == 'a' { 'b' } else { 'a' });
        assert!(BoardId::parse(&tampered).is_err());
        assert!(BoardId::parse("").is_err());
        assert!(BoardId::parse("not base58 0OIl").is_err());
        let short = bs58::encode([1u8, 2, 3]).with_check().into_string();
        assert!(BoardId::parse(&short).is_err());
    }

    #[test]
    fn token_ids_refuse_odd_characters() {
        assert!(NoteId::parse("abc_DEF-123").is_ok());
        assert!(NoteId::parse("").is_err());
        assert!(NoteId::parse("a/b").is_err());
        assert!(NoteId::parse(&"x".repeat(MAX_TOKEN_ID_CHARS + 1)).is_err());
        assert!(PeerId::parse(PeerId::random().as_str()).is_ok());
    }
}
