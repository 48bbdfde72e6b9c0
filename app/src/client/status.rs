//! The state of the link with the server, as the page shows it.

use crate::session::Phase;

/// The state of the link with the server, as shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Connected,
    Reconnecting,
    /// The browser has no network: edits are kept in the browser and sent when it comes back.
    Offline,
    /// Connected, but the server cannot store changes right now (it retries): edits are kept in
    /// the browser, and the server relays nothing it has not stored.
    NotSaving,
    /// The board does not exist (any more).
    Unavailable,
}

impl Connection {
    /// What the page says while the transport is open, from where the session stands and what
    /// the server last said about storing changes.
    pub fn of(phase: Phase, server_saving: bool) -> Connection {
        match phase {
            Phase::Syncing if server_saving => Connection::Connected,
            Phase::Syncing => Connection::NotSaving,
            Phase::Unavailable => Connection::Unavailable,
            Phase::Joining | Phase::Offline => Connection::Connecting,
        }
    }

    /// What the page says once the transport closed: reconnecting if the network is there.
    pub fn closed(self, online: bool) -> Connection {
        match self {
            Connection::Unavailable => Connection::Unavailable,
            _ if online => Connection::Reconnecting,
            _ => Connection::Offline,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_follows_the_session_and_the_server_s_storage() {
        assert_eq!(Connection::of(Phase::Syncing, true), Connection::Connected);
        assert_eq!(Connection::of(Phase::Syncing, false), Connection::NotSaving);
        assert_eq!(
            Connection::of(Phase::Unavailable, true),
            Connection::Unavailable
        );
        assert_eq!(Connection::of(Phase::Joining, true), Connection::Connecting);
        assert_eq!(Connection::Connected.closed(true), Connection::Reconnecting);
        assert_eq!(Connection::NotSaving.closed(false), Connection::Offline);
        assert_eq!(
            Connection::Unavailable.closed(true),
            Connection::Unavailable,
            "a deleted board does not reconnect"
        );
    }
}
