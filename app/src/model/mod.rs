//! The board document: one Automerge document per board, and the only code that writes to it.
//!
//! Shape (field names are part of Ardoise's public contract, any automerge-repo client may use them):
//!
//! ```text
//! { schema: 1,
//!   title: Text,
//!   columns: { <column id>: { heading: Text, order: f64, removed_left?: f64 } },
//!   notes: { <note id>: { text: Text, x: f64, y: f64, colour: "yellow" | ..., author: str,
//!                         created_at: timestamp,
//!                         w: f64, h: f64, z: int, dots: { "red" | ...: counter },
//!                         column: <column id> | null,
//!                         action?: bool, owner?: Text, due?: "YYYY-MM-DD", done?: bool,
//!                         group?: <group id> } },
//!   groups?: { <group id>: { title: Text } },
//!   settings: { template?: str, instructions?: Text, phases?: [str], phase?: str,
//!               timer?: { remaining: int, ends_at: int | null },
//!               vote?: { round: int, state: "open" | "closed", per_person: int,
//!                        several: bool, results?: { <note id>: int } },
//!               anonymous?: bool, private_writing?: bool,
//!               hidden?: { version: int, people: [{ name?: str, count: int }] },
//!               consent?: { round: int, note: str, state: "open" | "closed", answered: int,
//!                           consents?: int, reservations?: [{ reason: str, name?: str }],
//!                           objections?: [{ reason: str, name?: str }] } } }
//! ```
//!
//! `settings` belongs to the board's facilitator: the server refuses any other role's change
//! that writes in it (`guard.rs`).
//!
//! `w`, `h`, `z`, `dots`, `column` and `columns` came with version 0.2 and are optional: a post-it
//! without them is [`NOTE_SIZE`] square, at the bottom of the stack, without dots, on the open
//! canvas. Columns are laid out left to right by `order` (ties by id), [`COLUMN_WIDTH`] wide from
//! x = 0; a post-it with a `column` that exists has its `x` counted from that column's left edge,
//! so that it moves with the column when columns are reordered or removed. A removed column stays
//! as a tombstone (`removed_left`, its left edge when removed): its post-its keep their place.
//!
//! Reads are tolerant: a field that is missing or of an unexpected type (any client can write
//! anything) falls back to a default instead of failing, see `read.rs`.
//!
//! [`Board`] owns its Automerge document: nothing outside this module touches the document
//! itself. Storage, the sync task, the browser session and the test clients go through its
//! methods (heads, incremental saves and loads, sync messages, views now and at given heads).
//!
//! Layout:
//! - `document.rs`: the document itself ([`Board`]): load, save, sync, views, repair.
//! - `schema.rs`: the document's keys, named once ([`schema`]).
//! - `limits.rs`: the limits, and the clamps that keep values within them.
//! - `colour.rs`: the colours of post-its and dots.
//! - `notes.rs`: post-its and their edits.
//! - `columns.rs`: columns and their edits.
//! - `view.rs`: what the document says as plain values ([`BoardView`], serializable).
//! - `read.rs`: tolerant reads, now or at given heads.
//! - `change.rs`: what one edit changed, for undo and redo of one's own edits.
//! - `actions.rs`: post-its made actions (owner, due date, done).
//! - `facilitation.rs`: the facilitator's script in `settings`: phases, instructions, countdown.
//! - `groups.rs`: groups of post-its, under a title.
//! - `consent.rs`: consent rounds, whose result the server writes.
//! - `writing.rs`: silent writing: private writing on or off, the counts of private post-its,
//!   and the reveal the server writes.
//! - `guard.rs`: which reserved part of the document a set of changes writes in.
//! - `history.rs`: who changed what and when (each change's signature), the board and a
//!   post-it at any point of its history, and restoring them.
//! - `error.rs`: [`ModelError`].

mod actions;
mod change;
mod colour;
mod columns;
mod consent;
mod document;
mod error;
mod facilitation;
mod groups;
mod guard;
mod history;
mod limits;
mod notes;
mod read;
pub mod schema;
mod view;
mod writing;

pub use actions::{valid_due, ActionView};
pub use change::Change;
pub use colour::{Colour, Dot};
pub use consent::{Answer, Consent, ConsentResult, Reason, MAX_REASON_CHARS};
pub use document::Board;
pub use error::ModelError;
pub use facilitation::{Facilitation, Phase, Ranked, Script, Timer, Vote};
pub use guard::Written;
pub use history::{
    Author, Burst, History, NoteVersion, Signature, Version, BURST_GAP_SECS, MAX_MESSAGE_BYTES,
};
pub use limits::*;
pub use notes::NewNote;
pub use schema::SCHEMA_VERSION;
pub use view::{BoardView, ColumnView, GroupView, NoteView};
pub use writing::{Hidden, Revealed, Writing};

#[cfg(test)]
mod history_tests;
#[cfg(test)]
mod tests;
