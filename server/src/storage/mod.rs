//! Durable storage of boards with sqlx: an SQLite file by default, PostgreSQL when the database URL
//! says `postgres://`. One `Storage` type over sqlx's `Any` driver, the same SQL for both
//! (portable types, `$n` parameters), and one migration directory per database, run before serving.
//!
//! Layout, by topic, each an `impl Storage` block:
//! - `pool.rs`: the [`Storage`] type, its connection and migrations, the transaction helper;
//! - `error.rs`: [`StorageError`] and [`DbKind`];
//! - `boards.rs`: boards as a whole (create, use, delete, retention, import);
//! - `access.rs`: a board's links (their hashes) and whether it is open;
//! - `changes.rs`: a board's change log (load, append, catch up, compact);
//! - `notify.rs`: what storage announces to the servers sharing a PostgreSQL database;
//! - `templates.rs`: the templates facilitators saved from their boards;
//! - `votes.rs`: seats and voting sessions, with the votes cast while one is open;
//! - `consent.rs`: consent rounds and the answers given while one is open;
//! - `drafts.rs`: private post-its (silent writing), kept for their author's seat until revealed;
//! - `integrity.rs`: checks of stored bytes.
//!
//! Every multi-statement query goes through [`Storage::transaction`].

mod access;
mod boards;
mod changes;
mod consent;
mod drafts;
mod error;
pub mod integrity;
mod notify;
mod pool;
mod templates;
mod votes;

pub use boards::Imported;
pub(crate) use changes::load_all;
pub use changes::{CatchUp, Compaction, LoadedBoard, StoredBoard, StoredChange};
pub use consent::{AnswerRefused, StoredAnswer};
pub use drafts::{
    DraftCount, DraftRefused, StoredDraft, MAX_DRAFTS_PER_BOARD, MAX_DRAFTS_PER_SEAT,
};
pub use error::{DbKind, StorageError};
pub use notify::{Listener, Written, CHANGES_CHANNEL};
pub use pool::{now_ms, Storage};
pub use templates::MAX_SAVED_TEMPLATES;
pub use votes::{Ballot, Round, SeatRefused, VoteRefused, MAX_SEATS_PER_BOARD};
