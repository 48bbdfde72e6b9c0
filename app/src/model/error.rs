//! Why an edit or a load of the board document was refused.

use automerge::AutomergeError;

use super::limits::{MAX_COLUMNS, MAX_NOTES};
use crate::ids::{ColumnId, GroupId, NoteId};

/// Why an edit was refused.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("no post-it with id {0}")]
    NoSuchNote(NoteId),
    #[error("no group with id {0}")]
    NoSuchGroup(GroupId),
    #[error("no column with id {0}")]
    NoSuchColumn(ColumnId),
    #[error("a board has at most {MAX_COLUMNS} columns")]
    TooManyColumns,
    #[error("a board has at most {MAX_NOTES} post-its")]
    TooManyNotes,
    #[error("the board document has no notes map")]
    NoNotes,
    #[error("{0:?} is not a date (YYYY-MM-DD)")]
    BadDate(String),
    #[error("this board's workshop has no phase {0}")]
    NoSuchPhase(&'static str),
    #[error("this link can follow the board but not change it")]
    ReadOnly,
    #[error("the board document could not be read: {0}")]
    Automerge(#[from] AutomergeError),
}
