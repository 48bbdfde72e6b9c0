//! The client side of a board: what a browser tab (and the Rust test client) does around the
//! sans-IO [`crate::session::Session`]. It never imports from [`crate::ui`]; the page reads it.
//!
//! Layout:
//! - `backoff.rs`: when to reconnect ([`Backoff`]).
//! - `boards.rs`: "My boards", the boards this browser knows, with their links (kept in
//!   `localStorage` with feature `hydrate`).
//! - `history.rs`: the page's undo and redo steps, its own edits only ([`History`]).
//! - `presence.rs`: this page's presence and the book of who else is here ([`PresenceBook`]).
//! - `saves.rs`: when the browser writes its own copy of the board ([`LocalSaves`]).
//! - `drafts.rs`: this browser's private post-its, and what the server still lacks of them.
//! - `status.rs`: the connection as the page shows it ([`Connection`]).
//! - `browser.rs` (feature `hydrate`): the JavaScript glue: the `WebSocket`, timers, network
//!   events, and the signals the page reads.
//! - `offline.rs` (feature `hydrate`): the browser's copy of boards in IndexedDB, and the
//!   service worker's registration.
//!
//! The first seven are plain Rust, unit-tested on the host.

mod backoff;
pub mod boards;
pub mod drafts;
mod history;
mod presence;
mod saves;
mod status;

#[cfg(feature = "hydrate")]
mod browser;
#[cfg(feature = "hydrate")]
mod offline;

pub use backoff::Backoff;
pub use history::History;
pub use presence::{MyPresence, Person, PresenceBook, SendPresence};
pub use saves::{LocalSaves, SaveNow};
pub use status::Connection;

#[cfg(feature = "hydrate")]
pub use browser::{link_secret, BrowserSession, Signals};
