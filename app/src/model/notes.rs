//! Post-its: what a new one holds, and every edit of them.

use automerge::{transaction::Transactable, ObjType, ScalarValue};

use super::{
    actions::valid_due,
    colour::{Colour, Dot},
    document::Board,
    error::ModelError,
    limits::{
        clamp_coordinate, clamp_size, clip, MAX_DOTS, MAX_NOTES, MAX_NOTE_TEXT_CHARS,
        MAX_OWNER_CHARS, MAX_Z, NOTE_SIZE,
    },
    read::{self, Reader},
    schema,
    view::{column_at, column_left, NoteView},
};
use crate::ids::NoteId;

/// How far a duplicate lands from its original.
const DUPLICATE_OFFSET: f64 = 24.0;

/// A post-it to add. The default is an empty yellow post-it at the origin, by nobody, at time 0.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewNote {
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub colour: Colour,
    pub author: Option<String>,
    pub created_at: i64,
}

impl NewNote {
    /// A post-it with this text, the rest as [`NewNote::default`].
    pub fn with_text(text: &str) -> Self {
        NewNote {
            text: text.to_owned(),
            ..NewNote::default()
        }
    }

    /// The same post-it at another place.
    pub fn at(self, x: f64, y: f64) -> Self {
        NewNote { x, y, ..self }
    }
}

impl Board {
    /// Adds a post-it at a place on the canvas (in the column there, if any) and returns its id.
    /// It goes on top of the others.
    pub fn add_note(&mut self, note: NewNote) -> Result<NoteId, ModelError> {
        self.room_for_a_note()?;
        let view = NoteView {
            id: NoteId::random(),
            text: clip(&note.text, MAX_NOTE_TEXT_CHARS),
            x: note.x,
            y: note.y,
            w: NOTE_SIZE,
            h: NOTE_SIZE,
            z: self.top_z() + 1,
            colour: note.colour,
            dots: [0; 4],
            column: None,
            author: note.author,
            created_at: note.created_at,
            action: None,
            group: None,
        };
        self.put_note(&view)?;
        self.move_note(&view.id, note.x, note.y)?;
        Ok(view.id)
    }

    /// A copy of a post-it (text, colour, size, column), a little below and to the right, on top.
    pub fn duplicate_note(
        &mut self,
        id: &NoteId,
        author: Option<String>,
        created_at: i64,
    ) -> Result<NoteId, ModelError> {
        self.room_for_a_note()?;
        let board = self.view();
        let original = board
            .note(id)
            .ok_or_else(|| ModelError::NoSuchNote(id.clone()))?;
        let copy = NoteView {
            id: NoteId::random(),
            x: original.x + DUPLICATE_OFFSET,
            y: original.y + DUPLICATE_OFFSET,
            z: board.top_z() + 1,
            dots: [0; 4],
            author,
            created_at,
            group: None,
            ..original.clone()
        };
        self.put_note(&copy)?;
        Ok(copy.id)
    }

    /// The server's default `--max-notes`: a page never makes a post-it a server with the
    /// default limits would refuse.
    fn room_for_a_note(&self) -> Result<(), ModelError> {
        if self.note_count() >= MAX_NOTES {
            return Err(ModelError::TooManyNotes);
        }
        Ok(())
    }

    /// Writes a whole post-it under its id (replacing one that has that id).
    pub(super) fn put_note(&mut self, note: &NoteView) -> Result<(), ModelError> {
        let notes = read::notes_obj(self.reader()).ok_or(ModelError::NoNotes)?;
        let doc = &mut self.doc;
        let obj = doc.put_object(&notes, note.id.as_str(), ObjType::Map)?;
        let text = doc.put_object(&obj, schema::TEXT, ObjType::Text)?;
        doc.splice_text(&text, 0, 0, &clip(&note.text, MAX_NOTE_TEXT_CHARS))?;
        doc.put(&obj, schema::X, clamp_coordinate(note.x))?;
        doc.put(&obj, schema::Y, clamp_coordinate(note.y))?;
        doc.put(&obj, schema::W, clamp_size(note.w))?;
        doc.put(&obj, schema::H, clamp_size(note.h))?;
        doc.put(&obj, schema::Z, note.z)?;
        doc.put(&obj, schema::COLOUR, note.colour.as_str())?;
        // Counters made with the post-it, so that two people adding its first dots at once add
        // to the same counter.
        let dots = doc.put_object(&obj, schema::DOTS, ObjType::Map)?;
        for dot in Dot::ALL {
            let count = note.dots(dot).clamp(0, MAX_DOTS);
            doc.put(&dots, dot.as_str(), ScalarValue::counter(count))?;
        }
        if let Some(column) = &note.column {
            doc.put(&obj, schema::COLUMN, column.as_str())?;
        }
        if let Some(author) = &note.author {
            doc.put(&obj, schema::AUTHOR, author.as_str())?;
        }
        doc.put(
            &obj,
            schema::CREATED_AT,
            ScalarValue::Timestamp(note.created_at),
        )?;
        if let Some(group) = &note.group {
            doc.put(&obj, schema::GROUP, group.as_str())?;
        }
        if let Some(action) = &note.action {
            doc.put(&obj, schema::ACTION, ScalarValue::Boolean(true))?;
            let owner = doc.put_object(&obj, schema::OWNER, ObjType::Text)?;
            doc.splice_text(&owner, 0, 0, &clip(&action.owner, MAX_OWNER_CHARS))?;
            doc.put(
                &obj,
                schema::DUE,
                valid_due(&action.due).unwrap_or_default(),
            )?;
            doc.put(&obj, schema::DONE, ScalarValue::Boolean(action.done))?;
        }
        Ok(())
    }

    /// Replaces a post-it's text; the change is recorded as a diff so that concurrent typing merges.
    pub fn set_note_text(&mut self, id: &NoteId, text: &str) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        self.set_text(&note, schema::TEXT, &clip(text, MAX_NOTE_TEXT_CHARS))
    }

    /// Moves a post-it's top left corner to a place on the canvas. A post-it whose top middle
    /// lands in a column goes into that column; elsewhere it is on the open canvas.
    pub fn move_note(&mut self, id: &NoteId, x: f64, y: f64) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        let columns = read::columns(self.reader());
        let width = read::note_size(self.reader(), &note).0;
        let (x, y) = (clamp_coordinate(x), clamp_coordinate(y));
        // `x` and `column` are always written together (`null`: no column), so that of two
        // people moving the post-it at once, one wins both: an `x` never meets the other
        // person's column. A column removed meanwhile is a tombstone that still places it.
        match column_at(&columns, x + width / 2.0, y) {
            Some(column) => {
                let left = column_left(&columns, &column.id).unwrap_or(0.0);
                self.doc.put(&note, schema::X, x - left)?;
                self.doc.put(&note, schema::COLUMN, column.id.as_str())?;
            }
            None => {
                self.doc.put(&note, schema::X, x)?;
                self.doc.put(&note, schema::COLUMN, ScalarValue::Null)?;
            }
        }
        self.doc.put(&note, schema::Y, y)?;
        Ok(())
    }

    pub fn resize_note(&mut self, id: &NoteId, w: f64, h: f64) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        self.doc.put(&note, schema::W, clamp_size(w))?;
        self.doc.put(&note, schema::H, clamp_size(h))?;
        Ok(())
    }

    /// Puts a post-it in front of every other.
    pub fn bring_to_front(&mut self, id: &NoteId) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        if self.top_z() >= MAX_Z - 1 {
            self.renumber_z()?;
        }
        let top = self.top_z();
        if read::z(self.reader(), &note) < top || self.count_at_z(top) > 1 {
            self.doc.put(&note, schema::Z, top + 1)?;
        }
        Ok(())
    }

    /// Sets a post-it's stacking order as it was (for undo).
    pub(super) fn set_note_z(&mut self, id: &NoteId, z: i64) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        self.doc.put(&note, schema::Z, z.clamp(-MAX_Z, MAX_Z))?;
        Ok(())
    }

    /// Numbers the stacking orders 1, 2, 3… in the order they stack, when they reach the top
    /// of their range.
    fn renumber_z(&mut self) -> Result<(), ModelError> {
        let mut notes = self.view().notes;
        notes.sort_by_key(|n| n.z);
        for (rank, note) in notes.iter().enumerate() {
            let obj = self.note_obj(&note.id)?;
            self.doc.put(&obj, schema::Z, rank as i64 + 1)?;
        }
        Ok(())
    }

    pub fn set_note_colour(&mut self, id: &NoteId, colour: Colour) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        self.doc.put(&note, schema::COLOUR, colour.as_str())?;
        Ok(())
    }

    /// Adds `by` dots of a colour (removes them when negative), never going below 0 or above
    /// [`MAX_DOTS`]. Dots are counters: two people adding one at once make two.
    pub fn add_dots(&mut self, id: &NoteId, dot: Dot, by: i64) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        let dots = match read::map_obj(self.reader(), &note, schema::DOTS) {
            Some(dots) => dots,
            None => self.doc.put_object(&note, schema::DOTS, ObjType::Map)?,
        };
        // A counter two people took below 0 at once shows 0: count from what is shown.
        let current = read::counter(self.reader(), &dots, dot.as_str());
        let shown = current.clamp(0, MAX_DOTS);
        let by = (shown + by).clamp(0, MAX_DOTS) - current;
        if by == 0 {
            return Ok(());
        }
        if read::is_counter(self.reader(), &dots, dot.as_str()) {
            self.doc.increment(&dots, dot.as_str(), by)?;
        } else {
            self.doc
                .put(&dots, dot.as_str(), ScalarValue::counter(current + by))?;
        }
        Ok(())
    }

    pub fn delete_note(&mut self, id: &NoteId) -> Result<(), ModelError> {
        let notes = read::notes_obj(self.reader()).ok_or(ModelError::NoNotes)?;
        self.note_obj(id)?;
        self.doc.delete(&notes, id.as_str())?;
        Ok(())
    }

    pub(super) fn top_z(&self) -> i64 {
        self.z_values().max().unwrap_or(0).min(MAX_Z - 1)
    }

    fn count_at_z(&self, z: i64) -> usize {
        self.z_values().filter(|v| *v == z).count()
    }

    fn z_values(&self) -> impl Iterator<Item = i64> + '_ {
        let reader = self.reader();
        read::notes_obj(reader).into_iter().flat_map(move |notes| {
            reader
                .entries(notes)
                .map(move |(_, _, obj)| read::z(reader, &obj))
        })
    }

    pub(super) fn note_obj(&self, id: &NoteId) -> Result<automerge::ObjId, ModelError> {
        read::note_obj(self.reader(), id).ok_or_else(|| ModelError::NoSuchNote(id.clone()))
    }
}
