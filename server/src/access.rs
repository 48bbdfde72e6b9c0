//! Who may do what on a board: its three links, their secrets, and whether the board is open.
//!
//! A board has one secret per role ([`Role`]); its link is the board page's path with the secret
//! as the `k` query parameter. The server keeps only each secret's SHA-256 hash (a secret has
//! [`SECRET_BYTES`] random bytes: a hash cannot be turned back, nor a secret guessed), and
//! compares hashes in constant time. A request presents at most one secret (`?k=` or
//! `Authorization: Bearer`); [`Access::role`] says what it gives: the role of the link it
//! belongs to; else, on an open board, participant; else nothing, and the board answers as
//! if it did not exist.

use app::{access::Role, ids::BoardId};
use axum::http::{header::AUTHORIZATION, HeaderMap};
use base64::Engine;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub use app::access::LINK_PARAMETER;

/// Random bytes in a secret: 192 bits.
pub const SECRET_BYTES: usize = 24;
/// A presented secret longer than this is no secret of ours (and is not hashed).
const MAX_SECRET_CHARS: usize = 64;

/// A link's secret, as it appears in the link. Never logged: its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl Secret {
    /// A new secret from the operating system's random source.
    pub fn random() -> Secret {
        let mut bytes = [0u8; SECRET_BYTES];
        getrandom::fill(&mut bytes).expect("the operating system's random source is available");
        Secret(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }

    /// A secret as presented by a request; `None` if it cannot be one (empty, too long).
    pub fn presented(text: &str) -> Option<Secret> {
        let text = text.trim();
        (!text.is_empty() && text.len() <= MAX_SECRET_CHARS).then(|| Secret(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> KeyHash {
        KeyHash(Sha256::digest(self.0.as_bytes()).into())
    }

    /// The board page's link with this secret.
    pub fn link(&self, board: &BoardId) -> String {
        format!("/b/{board}?{LINK_PARAMETER}={}", self.0)
    }
}

/// The SHA-256 hash of a secret: what is stored.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct KeyHash([u8; 32]);

impl std::fmt::Debug for KeyHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyHash(***)")
    }
}

impl KeyHash {
    /// As stored: 64 lowercase hexadecimal digits.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn from_hex(text: &str) -> Option<KeyHash> {
        if text.len() != 64 || !text.is_ascii() {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(KeyHash(bytes))
    }

    fn matches(&self, other: &KeyHash) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

/// A board's access rules, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// Whether the board's plain address (no secret) makes anyone a participant.
    pub open: bool,
    /// The hash of each role's link secret, in the order of [`Role::ALL`]; `None` for a board
    /// that has not had one made yet (boards from before links).
    pub keys: [Option<KeyHash>; 3],
}

impl Access {
    /// What presenting `key` (the hash of the presented secret, if any) gives on this board.
    /// Every stored hash is compared, in constant time, whatever matches.
    pub fn role(&self, key: Option<&KeyHash>) -> Option<Role> {
        let mut found = None;
        if let Some(key) = key {
            for (role, stored) in Role::ALL.into_iter().zip(&self.keys) {
                if stored.as_ref().is_some_and(|stored| stored.matches(key)) {
                    found = found.or(Some(role));
                }
            }
        }
        found.or(self.open.then_some(Role::Participant))
    }

    pub fn key(&self, role: Role) -> Option<&KeyHash> {
        self.keys[index(role)].as_ref()
    }

    pub fn set_key(&mut self, role: Role, key: KeyHash) {
        self.keys[index(role)] = Some(key);
    }
}

fn index(role: Role) -> usize {
    Role::ALL
        .iter()
        .position(|r| *r == role)
        .expect("every role is in Role::ALL")
}

/// A new board's links: one new secret per role, and the access that stores their hashes. New
/// boards are closed until their facilitator opens them.
pub struct NewLinks {
    pub secrets: [Secret; 3],
    pub access: Access,
}

impl NewLinks {
    pub fn random() -> NewLinks {
        let secrets = [Secret::random(), Secret::random(), Secret::random()];
        let access = Access {
            open: false,
            keys: [
                Some(secrets[0].hash()),
                Some(secrets[1].hash()),
                Some(secrets[2].hash()),
            ],
        };
        NewLinks { secrets, access }
    }

    pub fn secret(&self, role: Role) -> &Secret {
        &self.secrets[index(role)]
    }
}

/// The secret a request presents: the `k` query parameter, else an `Authorization: Bearer`
/// header.
pub fn presented_secret(query: Option<&str>, headers: &HeaderMap) -> Option<Secret> {
    let from_query = query.and_then(|query| {
        query.split('&').find_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            (name == LINK_PARAMETER).then_some(value)
        })
    });
    let from_header = || {
        headers
            .get(AUTHORIZATION)?
            .to_str()
            .ok()?
            .strip_prefix("Bearer ")
    };
    from_query
        .and_then(Secret::presented)
        .or_else(|| from_header().and_then(Secret::presented))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_link_gives_its_role_and_an_open_board_makes_anyone_a_participant() {
        let links = NewLinks::random();
        let mut access = links.access.clone();
        for role in Role::ALL {
            assert_eq!(access.role(Some(&links.secret(role).hash())), Some(role));
        }
        let stranger = Secret::random().hash();
        assert_eq!(access.role(Some(&stranger)), None);
        assert_eq!(access.role(None), None);
        access.open = true;
        assert_eq!(access.role(Some(&stranger)), Some(Role::Participant));
        assert_eq!(access.role(None), Some(Role::Participant));
        assert_eq!(
            access.role(Some(&links.secret(Role::Observer).hash())),
            Some(Role::Observer),
            "an observer link stays an observer's on an open board"
        );
    }

    #[test]
    fn secrets_are_long_random_and_hidden_from_logs() {
        let (a, b) = (Secret::random(), Secret::random());
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 32, "24 bytes of base64url");
        assert!(!format!("{a:?}").contains(a.as_str()));
        let hash = a.hash();
        assert_eq!(KeyHash::from_hex(&hash.to_hex()), Some(hash));
        assert_eq!(KeyHash::from_hex("zz"), None);
        assert!(!format!("{hash:?}").contains(&hash.to_hex()));
    }

    #[test]
    fn a_secret_comes_from_the_query_or_a_bearer_header() {
        let mut headers = HeaderMap::new();
        assert_eq!(
            presented_secret(Some("k=abc&x=1"), &headers)
                .unwrap()
                .as_str(),
            "abc"
        );
        assert_eq!(presented_secret(Some("x=1"), &headers), None);
        headers.insert(AUTHORIZATION, "Bearer xyz".parse().unwrap());
        assert_eq!(presented_secret(None, &headers).unwrap().as_str(), "xyz");
        assert_eq!(
            presented_secret(Some("k="), &headers).unwrap().as_str(),
            "xyz"
        );
        let long = "a".repeat(MAX_SECRET_CHARS + 1);
        assert_eq!(
            presented_secret(Some(&format!("k={long}")), &HeaderMap::new()),
            None
        );
    }
}
