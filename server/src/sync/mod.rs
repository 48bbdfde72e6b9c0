//! Websocket sync: the automerge-repo protocol at `/sync`.
//!
//! Layout, each layer using only those below it:
//! - `connection.rs`: one task per websocket, decoding frames and routing them to boards.
//! - `registry.rs`: opens boards on first use, deletes them, applies the retention
//!   ([`Registry`]).
//! - `board/`: one task per open board owns its document and the sync state of every peer;
//!   every event for that board goes through it. Given a [`board::BoardContext`], it never
//!   reaches back into the registry.
//! - `cluster.rs`: what this server tells the others on the same PostgreSQL, and hears from
//!   them (nothing, on SQLite).
//! - `directory.rs`: the map of open boards, owned by the registry.
//! - `mailbox.rs`: the events a board task receives, and its handle on a peer's connection.
//! - `ack.rs`: peers' acknowledgements applied without Automerge's walk of the history.
//! - `limits.rs`: the sync side's limits and delays, named once.

mod ack;
pub mod board;
pub mod cluster;
mod connection;
pub mod directory;
pub mod limits;
pub mod mailbox;
mod registry;

pub use connection::serve_socket;
pub use limits::*;
pub use registry::Registry;
