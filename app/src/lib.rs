//! Ardoise's isomorphic core, compiled both into the `ardoise` server and into the browser's
//! WebAssembly app.
//!
//! Layout:
//! - [`ids`]: newtypes for board, note and peer ids.
//! - [`model`]: the board document over Automerge; the only code that reads or writes its fields.
//! - [`protocol`]: the automerge-repo websocket protocol v1 messages and their CBOR codec.
//! - [`session`]: a sans-IO sync session for one board, driven by the browser and by Rust clients.
//! - [`i18n`]: the interface's words in French and English.
//! - [`ui`]: the Leptos components (home page, board page).
//! - `browser` (feature `hydrate`): the websocket transport of the browser session.
//! - `offline` (feature `hydrate`): the browser's copy of boards in IndexedDB, and the service
//!   worker's registration.
//!
//! Features: `ssr` for the server render, `hydrate` for the browser. Neither is on by default and
//! the two are never enabled together.

pub mod i18n;
pub mod ids;
pub mod model;
pub mod protocol;
pub mod session;
pub mod ui;

#[cfg(feature = "hydrate")]
mod browser;
#[cfg(feature = "hydrate")]
mod offline;

pub use ui::{shell, App, PageContext};
