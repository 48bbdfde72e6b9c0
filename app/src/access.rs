//! Who may do what on a board. There are no accounts: rights travel as links, each carrying a
//! secret the server knows the hash of (see the server's `access` module). The page only mirrors
//! the role the server gave it; the server enforces it on every path.

use serde::{Deserialize, Serialize};

/// What a link (or, on an open board, its plain address) lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads the board and follows it live; changes nothing.
    Observer,
    /// Reads and edits post-its, columns and the title.
    Participant,
    /// Everything: the board's links and access, deleting it, the facilitator's settings.
    Facilitator,
}

impl Role {
    /// Every role, from the most rights to the least: the order of a board's links.
    pub const ALL: [Role; 3] = [Role::Facilitator, Role::Participant, Role::Observer];

    /// The role's name in URLs, JSON and the page (`facilitator`, `participant`, `observer`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Facilitator => "facilitator",
            Role::Participant => "participant",
            Role::Observer => "observer",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == name)
    }

    /// Whether this role changes the board document (post-its, columns, title).
    pub fn edits(self) -> bool {
        self >= Role::Participant
    }

    /// Whether this role runs the board (links, access, deletion, the facilitator's settings).
    pub fn facilitates(self) -> bool {
        self == Role::Facilitator
    }
}

/// The query parameter of a link that carries its secret: `/b/<id>?k=<secret>`, `/sync?k=...`.
pub const LINK_PARAMETER: &str = "k";

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn roles_read_back_from_their_names_and_rank_by_rights() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
        assert!(Role::Facilitator.edits() && Role::Participant.edits());
        assert!(!Role::Observer.edits());
        assert!(Role::Facilitator.facilitates() && !Role::Participant.facilitates());
    }
}
