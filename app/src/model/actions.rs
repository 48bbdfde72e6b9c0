//! Actions: a post-it the group decides to act on, with who will do it, by when, and whether
//! it is done. Kept on the post-it itself (`action: true`, `owner`, `due`, `done`), so that it
//! moves, syncs and is exported with it; each is a field of its own, so that two people making
//! the same post-it an action at once, or filling in different fields, both keep what they did
//! (a map made by each would conflict, and one of them would lose everything in theirs).

use automerge::{transaction::Transactable, ScalarValue};
use serde::Serialize;

use super::{
    document::Board,
    error::ModelError,
    limits::{clip, MAX_OWNER_CHARS},
    schema,
};
use crate::ids::NoteId;

/// What makes a post-it an action.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ActionView {
    pub owner: String,
    /// `YYYY-MM-DD`, or empty.
    pub due: String,
    pub done: bool,
}

/// A due date as `YYYY-MM-DD` (what a date field gives), or empty; anything else is not one.
pub fn valid_due(due: &str) -> Option<&str> {
    let due = due.trim();
    if due.is_empty() {
        return Some(due);
    }
    let bytes = due.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && digits(0..4)
        && digits(5..7)
        && digits(8..10);
    let month = due.get(5..7).and_then(|m| m.parse::<u8>().ok());
    let day = due.get(8..10).and_then(|d| d.parse::<u8>().ok());
    (shaped && matches!(month, Some(1..=12)) && matches!(day, Some(1..=31))).then_some(due)
}

impl Board {
    /// Makes a post-it an action (nobody's yet, no date), or a plain post-it again (its owner
    /// and date stay, for when it is made an action once more).
    pub fn set_action(&mut self, id: &NoteId, action: bool) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        self.doc
            .put(&note, schema::ACTION, ScalarValue::Boolean(action))?;
        Ok(())
    }

    pub fn set_action_owner(&mut self, id: &NoteId, owner: &str) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        self.set_text(&note, schema::OWNER, &clip(owner, MAX_OWNER_CHARS))
    }

    /// Sets the due date (`YYYY-MM-DD`, or empty for none); anything else is refused.
    pub fn set_action_due(&mut self, id: &NoteId, due: &str) -> Result<(), ModelError> {
        let due = valid_due(due).ok_or_else(|| ModelError::BadDate(due.to_owned()))?;
        let note = self.note_obj(id)?;
        self.doc.put(&note, schema::DUE, due)?;
        Ok(())
    }

    pub fn set_action_done(&mut self, id: &NoteId, done: bool) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        self.doc
            .put(&note, schema::DONE, ScalarValue::Boolean(done))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::valid_due;

    #[test]
    fn a_due_date_is_a_calendar_day_or_nothing() {
        assert_eq!(valid_due("2027-01-31"), Some("2027-01-31"));
        assert_eq!(valid_due(" "), Some(""));
        for bad in [
            "2027-13-01",
            "2027-1-1",
            "31/01/2027",
            "demain",
            "2027-01-32",
            "2027-01-3a",
        ] {
            assert_eq!(valid_due(bad), None, "{bad}");
        }
    }
}
