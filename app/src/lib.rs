//! Ardoise's isomorphic core, compiled both into the `ardoise` server and into the browser's
//! WebAssembly app.
//!
//! Layout:
//! - [`access`]: the roles a board's links give (facilitator, participant, observer).
//! - [`ids`]: newtypes for board, note and peer ids.
//! - [`model`]: the board document over Automerge; the only code that reads or writes its fields.
//! - [`protocol`]: the automerge-repo websocket protocol v1 messages and their CBOR codec.
//! - [`ephemeral`]: Ardoise's own payloads of ephemeral messages (presence, server notices).
//! - [`session`]: a sans-IO sync session for one board, driven by the browser and by Rust clients.
//! - [`i18n`]: the interface's words in French and English.
//! - [`site`]: the base path and the app's version, which every address of a page carries.
//! - [`templates`]: what a new board starts with (columns, instructions, phases).
//! - [`ui`]: the Leptos components (home page, board page).
//! - [`client`]: the client side of a board around the session: reconnection backoff, the
//!   presence book, local save scheduling, the connection status, the page's undo steps; with
//!   feature `hydrate`, the browser's websocket, timers and IndexedDB copy.
//!
//! Features: `ssr` for the server render, `hydrate` for the browser. Neither is on by default and
//! the two are never enabled together.

pub mod access;
pub mod client;
pub mod ephemeral;
pub mod i18n;
pub mod ids;
pub mod model;
pub mod protocol;
pub mod session;
pub mod site;
pub mod templates;
pub mod ui;

pub use ui::{shell, App, PageContext};
