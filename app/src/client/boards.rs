//! "My boards": the boards this browser created or joined, with the role and the links it
//! knows of each, so that a facilitator finds a board again without an account. Kept in the
//! browser's `localStorage` only, never sent anywhere.
//!
//! Stored as text, one board per line, fields separated by tabs: id, role, title, then the
//! facilitator's, participant's and observer's secrets (empty when unknown).

use crate::access::Role;

/// The `localStorage` key.
pub const KNOWN_BOARDS_KEY: &str = "ardoise_boards";
/// Boards kept, the most recently opened first.
pub const MAX_KNOWN_BOARDS: usize = 50;

/// A board this browser knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownBoard {
    pub id: String,
    pub title: String,
    /// The most a link this browser holds gives.
    pub role: Role,
    /// Each role's secret, in the order of [`Role::ALL`], where known.
    pub secrets: [Option<String>; 3],
}

impl KnownBoard {
    pub fn new(id: &str, title: &str, role: Role) -> KnownBoard {
        KnownBoard {
            id: id.to_owned(),
            title: one_line(title),
            role,
            secrets: [None, None, None],
        }
    }

    pub fn secret(&self, role: Role) -> Option<&str> {
        self.secrets[index(role)].as_deref()
    }

    pub fn set_secret(&mut self, role: Role, secret: &str) {
        self.secrets[index(role)] = Some(secret.to_owned()).filter(|s| valid_secret(s));
    }

    /// The board page's path for this browser's own role (the plain address if it knows no
    /// secret: the board was open).
    pub fn path(&self) -> String {
        link_path(&self.id, self.secret(self.role))
    }
}

/// The board page's path with a secret.
pub fn link_path(id: &str, secret: Option<&str>) -> String {
    match secret {
        Some(secret) => format!("/b/{id}?{}={secret}", crate::access::LINK_PARAMETER),
        None => format!("/b/{id}"),
    }
}

fn index(role: Role) -> usize {
    Role::ALL.iter().position(|r| *r == role).unwrap_or(0)
}

/// Secrets are base64url: anything else (a tab, a newline) would break the format.
fn valid_secret(secret: &str) -> bool {
    !secret.is_empty()
        && secret
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Reads the stored list; lines that cannot be read are skipped.
pub fn parse(text: &str) -> Vec<KnownBoard> {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let id = fields.next()?;
            let role = Role::parse(fields.next()?)?;
            let mut board = KnownBoard::new(id, fields.next()?, role);
            for role in Role::ALL {
                match fields.next() {
                    Some("") | None => {}
                    Some(secret) => board.set_secret(role, secret),
                }
            }
            (!id.is_empty() && !id.contains('/')).then_some(board)
        })
        .take(MAX_KNOWN_BOARDS)
        .collect()
}

pub fn encode(boards: &[KnownBoard]) -> String {
    let mut text = String::new();
    for board in boards {
        text.push_str(&board.id);
        text.push('\t');
        text.push_str(board.role.as_str());
        text.push('\t');
        text.push_str(&board.title);
        for secret in &board.secrets {
            text.push('\t');
            text.push_str(secret.as_deref().unwrap_or_default());
        }
        text.push('\n');
    }
    text
}

/// Puts `seen` first: merged with what was known of the same board (the highest role, every
/// secret, the newer title).
pub fn remember(boards: &mut Vec<KnownBoard>, seen: KnownBoard) {
    let mut merged = seen;
    if let Some(at) = boards.iter().position(|b| b.id == merged.id) {
        let known = boards.remove(at);
        merged.role = merged.role.max(known.role);
        for (secret, old) in merged.secrets.iter_mut().zip(known.secrets) {
            if secret.is_none() {
                *secret = old;
            }
        }
        if merged.title.is_empty() {
            merged.title = known.title;
        }
    }
    boards.insert(0, merged);
    boards.truncate(MAX_KNOWN_BOARDS);
}

/// Forgets a board (deleted).
pub fn forget(boards: &mut Vec<KnownBoard>, id: &str) {
    boards.retain(|b| b.id != id);
}

/// The secrets a board page's address fragment carries (`#participant=...&observer=...`, as
/// the home page's form leaves them for the facilitator).
pub fn secrets_in_fragment(fragment: &str) -> Vec<(Role, String)> {
    fragment
        .trim_start_matches('#')
        .split('&')
        .filter_map(|pair| {
            let (name, secret) = pair.split_once('=')?;
            let role = Role::parse(name)?;
            valid_secret(secret).then(|| (role, secret.to_owned()))
        })
        .collect()
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{encode, parse, KnownBoard, KNOWN_BOARDS_KEY};

    fn storage() -> Option<web_sys::Storage> {
        leptos::prelude::window().local_storage().ok().flatten()
    }

    /// The boards this browser knows.
    pub fn load() -> Vec<KnownBoard> {
        storage()
            .and_then(|s| s.get_item(KNOWN_BOARDS_KEY).ok().flatten())
            .map(|text| parse(&text))
            .unwrap_or_default()
    }

    pub fn save(boards: &[KnownBoard]) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(KNOWN_BOARDS_KEY, &encode(boards));
        }
    }

    /// Applies `change` to the stored list.
    pub fn update(change: impl FnOnce(&mut Vec<KnownBoard>)) -> Vec<KnownBoard> {
        let mut boards = load();
        change(&mut boards);
        save(&boards);
        boards
    }
}

#[cfg(feature = "hydrate")]
pub use browser::{load, update};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boards_read_back_merged_most_recent_first() {
        let mut boards = Vec::new();
        let mut first = KnownBoard::new("a1", "Rétro\tde juin", Role::Facilitator);
        first.set_secret(Role::Facilitator, "fac-secret_1");
        first.set_secret(Role::Observer, "obs");
        remember(&mut boards, first);
        remember(
            &mut boards,
            KnownBoard::new("b2", "Atelier", Role::Observer),
        );
        // Opened again with the participant link: still the facilitator's, one more secret.
        let mut again = KnownBoard::new("a1", "Rétro de juin", Role::Participant);
        again.set_secret(Role::Participant, "part");
        remember(&mut boards, again);
        let read = parse(&encode(&boards));
        assert_eq!(read, boards);
        assert_eq!(read[0].id, "a1");
        assert_eq!(read[0].role, Role::Facilitator);
        assert_eq!(read[0].title, "Rétro de juin");
        assert_eq!(read[0].secret(Role::Participant), Some("part"));
        assert_eq!(read[0].path(), "/b/a1?k=fac-secret_1");
        assert_eq!(read[1].path(), "/b/b2");
        forget(&mut boards, "a1");
        assert_eq!(boards.len(), 1);
    }

    #[test]
    fn only_secrets_of_known_roles_come_from_a_fragment() {
        assert_eq!(
            secrets_in_fragment("#participant=abc&observer=d-e_f&admin=x&observer=bad\tone"),
            vec![
                (Role::Participant, "abc".to_owned()),
                (Role::Observer, "d-e_f".to_owned())
            ]
        );
        let mut board = KnownBoard::new("a", "t", Role::Participant);
        board.set_secret(Role::Participant, "with\nnewline");
        assert_eq!(board.secret(Role::Participant), None);
        assert_eq!(parse("garbage\n\tparticipant\tx\n"), vec![]);
    }
}
