//! Silent writing. While the facilitator has writing set to private (`settings.private_writing`),
//! a participant's new post-its are not in this document at all: the server keeps them for
//! their author alone, and writes here only how many each person has (`settings.hidden`). At
//! the reveal the server writes them in, under the ids their author's page gave them, all in one
//! change of its own, in the order of those (random) ids: neither the change's actor, its time,
//! nor the order tells who wrote which.

use automerge::{transaction::Transactable, ObjType, ScalarValue};
use serde::Serialize;

use super::{
    colour::Colour,
    document::Board,
    error::ModelError,
    limits::{clip, MAX_NOTES, MAX_NOTE_TEXT_CHARS, NOTE_SIZE},
    read::{self, Reader},
    schema,
    view::NoteView,
};
use crate::{ephemeral::MAX_NAME_CHARS, ids::NoteId};

/// Silent writing, as the document says.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Writing {
    /// New post-its are private to their author until revealed.
    pub private: bool,
    /// How many private post-its each person has, by name (none on an anonymous board: then
    /// one count for everyone), as the server last wrote it.
    pub hidden: Vec<Hidden>,
}

impl Writing {
    /// How many private post-its there are, everyone's.
    pub fn hidden_total(&self) -> i64 {
        self.hidden.iter().map(|h| h.count).sum()
    }
}

/// One person's private post-its, counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hidden {
    /// Their name; `None` on an anonymous board, or for someone who gave none.
    pub name: Option<String>,
    pub count: i64,
}

/// A private post-it the server reveals: written into the board as it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Revealed {
    pub id: NoteId,
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub colour: Colour,
    /// `None` on an anonymous board.
    pub author: Option<String>,
}

impl Board {
    /// Makes new post-its private to their author until the reveal, or not.
    pub fn set_private_writing(&mut self, private: bool) -> Result<(), ModelError> {
        let settings = self.settings_obj()?;
        self.doc.put(
            &settings,
            schema::PRIVATE_WRITING,
            ScalarValue::Boolean(private),
        )?;
        Ok(())
    }

    /// Writes how many private post-its each person has (the server's, after each one kept or
    /// dropped), unless the board shows a later count already: `version` is storage's, which
    /// grows with every change to the private post-its, so that a count written late never
    /// replaces a newer one (two servers writing at the very same moment may still leave the
    /// older until the next change: the document keeps one of two concurrent writes).
    pub fn set_hidden(&mut self, version: i64, hidden: &[Hidden]) -> Result<(), ModelError> {
        let settings = self.settings_obj()?;
        if let Some(shown) = read::map_obj(self.reader(), &settings, schema::HIDDEN) {
            if read::integer(self.reader(), &shown, schema::VERSION).unwrap_or(0) >= version {
                return Ok(());
            }
        }
        let shown = self
            .doc
            .put_object(&settings, schema::HIDDEN, ObjType::Map)?;
        self.doc.put(&shown, schema::VERSION, version)?;
        let people = self.doc.put_object(&shown, schema::PEOPLE, ObjType::List)?;
        for (i, entry) in hidden.iter().enumerate() {
            let item = self.doc.insert_object(&people, i, ObjType::Map)?;
            if let Some(name) = &entry.name {
                self.doc
                    .put(&item, schema::NAME, clip(name, MAX_NAME_CHARS))?;
            }
            self.doc.put(&item, schema::COUNT, entry.count.max(0))?;
        }
        Ok(())
    }

    /// Writes revealed post-its into the board, on top of the others, at `created_at` (the
    /// reveal's time: not when each was written). One whose id the board already holds is left
    /// as it is (a reveal written again after a restart); returns how many were written. Stops
    /// with [`ModelError::TooManyNotes`] at the board's limit, having written none.
    pub fn reveal(&mut self, notes: &[Revealed], created_at: i64) -> Result<usize, ModelError> {
        let existing = read::notes_obj(self.reader()).ok_or(ModelError::NoNotes)?;
        let new: Vec<&Revealed> = notes
            .iter()
            .filter(|note| self.reader().get(&existing, note.id.as_str()).is_none())
            .collect();
        if self.note_count() + new.len() > MAX_NOTES {
            return Err(ModelError::TooManyNotes);
        }
        let top = self.top_z();
        for (z, note) in (top + 1..).zip(&new) {
            let view = NoteView {
                id: note.id.clone(),
                text: clip(&note.text, MAX_NOTE_TEXT_CHARS),
                x: note.x,
                y: note.y,
                w: NOTE_SIZE,
                h: NOTE_SIZE,
                z,
                colour: note.colour,
                dots: [0; 4],
                column: None,
                author: note.author.clone(),
                created_at,
                action: None,
                group: None,
            };
            self.put_note(&view)?;
            self.move_note(&view.id, note.x, note.y)?;
        }
        Ok(new.len())
    }
}

/// Silent writing, from `settings`.
pub(super) fn writing<'a>(r: impl Reader<'a>, settings: &automerge::ObjId) -> Writing {
    let hidden = read::map_obj(r, settings, schema::HIDDEN)
        .and_then(|shown| read::list_obj(r, &shown, schema::PEOPLE))
        .map(|list| {
            r.items(list)
                .filter_map(|(_, item)| {
                    let count = read::integer(r, &item, schema::COUNT)?;
                    (count > 0).then(|| Hidden {
                        name: read::string_at(r, &item, schema::NAME)
                            .map(|name| clip(&name, MAX_NAME_CHARS))
                            .filter(|name| !name.is_empty()),
                        count,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Writing {
        private: read::boolean(r, settings, schema::PRIVATE_WRITING),
        hidden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revealed(text: &str) -> Revealed {
        Revealed {
            id: NoteId::random(),
            text: text.to_owned(),
            x: 40.0,
            y: 80.0,
            colour: Colour::Blue,
            author: Some("Alice".into()),
        }
    }

    #[test]
    fn a_reveal_written_again_adds_nothing_twice_and_keeps_where_it_was_written() {
        let mut board = Board::new("Rétro").unwrap();
        let notes = [revealed("Une"), revealed("Deux")];
        assert_eq!(board.reveal(&notes, 1_000).unwrap(), 2);
        assert_eq!(board.reveal(&notes, 2_000).unwrap(), 0);
        let view = board.view();
        assert_eq!(view.notes.len(), 2);
        let first = view.note(&notes[0].id).unwrap();
        assert_eq!((first.x, first.y, first.created_at), (40.0, 80.0, 1_000));
        assert_eq!(first.author.as_deref(), Some("Alice"));
        assert_ne!(first.z, view.note(&notes[1].id).unwrap().z);
    }

    #[test]
    fn an_older_count_never_replaces_a_newer_one() {
        let mut board = Board::new("Rétro").unwrap();
        let alice = |count| Hidden {
            name: Some("Alice".into()),
            count,
        };
        board.set_hidden(2, &[alice(2)]).unwrap();
        board.set_hidden(1, &[alice(1)]).unwrap();
        assert_eq!(board.facilitation().writing.hidden, [alice(2)]);
        board.set_hidden(3, &[]).unwrap();
        assert!(board.facilitation().writing.hidden.is_empty());
        board.set_private_writing(true).unwrap();
        assert!(board.facilitation().writing.private);
    }
}
