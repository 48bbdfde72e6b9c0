//! The automerge-repo websocket protocol, version 1: the messages and their CBOR codec, shared by
//! the server, the browser and the Rust clients. Only the wire: what Ardoise itself puts in
//! `ephemeral` messages is in [`crate::ephemeral`].
//!
//! Every message is a CBOR map with a `type` field. See automerge-repo's
//! `packages/automerge-repo-network-websocket/README.md` for the reference.
//!
//! Layout: `message.rs` holds the messages and the protocol's limits, `codec.rs` encodes and
//! validates them, `tests.rs` checks them against hostile input.

mod codec;
mod message;

pub use codec::DecodeError;
pub use message::*;

#[cfg(test)]
mod tests;
