//! The board document: one Automerge document per board, and the only code that writes to it.
//!
//! Shape (field names are part of Ardoise's public contract, any automerge-repo client may use them):
//!
//! ```text
//! { schema: 1,
//!   title: Text,
//!   notes: { <note id>: { text: Text, x: f64, y: f64, colour: "yellow" | ..., author: str,
//!                         created_at: timestamp } } }
//! ```
//!
//! Reads are tolerant: a field that is missing or of an unexpected type (any client can write
//! anything) falls back to a default instead of failing, see [`read`].

mod read;

use automerge::{
    transaction::Transactable, AutoCommit, AutomergeError, LoadOptions, ObjType, OnPartialLoad,
    ReadDoc, ScalarValue, ROOT,
};

use crate::ids::NoteId;

/// Version of the document shape written by this code.
pub const SCHEMA_VERSION: i64 = 1;
/// Longest board title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest post-it text, in characters.
pub const MAX_NOTE_TEXT_CHARS: usize = 5_000;
/// Post-its are kept within `[-BOARD_EXTENT, BOARD_EXTENT]` on both axes.
pub const BOARD_EXTENT: f64 = 100_000.0;
/// Width and height of a post-it on the canvas, in board units (CSS pixels at zoom 1).
pub const NOTE_SIZE: f64 = 160.0;

/// A post-it colour. Stored in the document by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Colour {
    #[default]
    Yellow,
    Pink,
    Blue,
    Green,
    Orange,
    Purple,
}

impl Colour {
    pub const ALL: [Colour; 6] = [
        Colour::Yellow,
        Colour::Pink,
        Colour::Blue,
        Colour::Green,
        Colour::Orange,
        Colour::Purple,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Colour::Yellow => "yellow",
            Colour::Pink => "pink",
            Colour::Blue => "blue",
            Colour::Green => "green",
            Colour::Orange => "orange",
            Colour::Purple => "purple",
        }
    }

    pub fn parse(name: &str) -> Option<Colour> {
        Colour::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// What the document says about one post-it.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteView {
    pub id: NoteId,
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub colour: Colour,
    pub author: Option<String>,
    /// Milliseconds since the Unix epoch, 0 when unknown.
    pub created_at: i64,
}

/// What the document says about the whole board, notes in creation order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BoardView {
    pub title: String,
    pub notes: Vec<NoteView>,
}

impl BoardView {
    pub fn note(&self, id: &NoteId) -> Option<&NoteView> {
        self.notes.iter().find(|n| &n.id == id)
    }
}

/// A post-it to add.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNote {
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub colour: Colour,
    pub author: Option<String>,
    pub created_at: i64,
}

/// Why an edit was refused.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("no post-it with id {0}")]
    NoSuchNote(NoteId),
    #[error("the board document has no notes map")]
    NoNotes,
    #[error("the board document could not be read: {0}")]
    Automerge(#[from] AutomergeError),
}

/// A board document with typed reads and edits.
#[derive(Debug, Clone)]
pub struct Board {
    doc: AutoCommit,
}

impl Board {
    /// A new board document with the given title and no post-its.
    pub fn new(title: &str) -> Result<Self, ModelError> {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "schema", SCHEMA_VERSION)?;
        let title_obj = doc.put_object(ROOT, "title", ObjType::Text)?;
        doc.splice_text(&title_obj, 0, 0, &clip(title, MAX_TITLE_CHARS))?;
        doc.put_object(ROOT, "notes", ObjType::Map)?;
        Ok(Self { doc })
    }

    /// An empty document, to be filled by sync (a client that has not received the board yet).
    pub fn empty() -> Self {
        Self {
            doc: AutoCommit::new(),
        }
    }

    /// Loads a saved document, as written by [`Board::save`] (optionally followed by incremental saves).
    pub fn load(bytes: &[u8]) -> Result<Self, ModelError> {
        Ok(Self {
            doc: AutoCommit::load(bytes)?,
        })
    }

    /// Loads what can be read of damaged bytes (a truncated save, say): the complete chunks
    /// before the damage, or an empty document.
    pub fn load_partial(bytes: &[u8]) -> Self {
        let options = LoadOptions::new().on_partial_load(OnPartialLoad::Ignore);
        let doc =
            AutoCommit::load_with_options(bytes, options).unwrap_or_else(|_| AutoCommit::new());
        Self { doc }
    }

    pub fn from_doc(doc: AutoCommit) -> Self {
        Self { doc }
    }

    pub fn doc(&self) -> &AutoCommit {
        &self.doc
    }

    pub fn doc_mut(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }

    /// The whole document, compacted.
    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }

    /// Whether the document has received the board's structure yet.
    pub fn is_initialised(&self) -> bool {
        read::notes_obj(&self.doc).is_some()
    }

    pub fn view(&self) -> BoardView {
        read::board(&self.doc)
    }

    /// The board's title alone (what [`Board::view`] says, without reading every post-it).
    pub fn title(&self) -> String {
        read::title(&self.doc)
    }

    /// Puts back the structure every client needs when a change broke it (`notes` replaced by
    /// something that is not a map, `title` by something that is not text): a new empty `notes`
    /// map, an empty title. What the broken change replaced stays in the document's history.
    /// Returns the fields repaired.
    pub fn repair_schema(&mut self) -> Result<Vec<&'static str>, ModelError> {
        let mut repaired = Vec::new();
        if read::notes_obj(&self.doc).is_none() {
            self.doc.put_object(ROOT, "notes", ObjType::Map)?;
            repaired.push("notes");
        }
        if read::text_obj(&self.doc, &ROOT, "title").is_none()
            && !matches!(
                self.doc.get(ROOT, "title")?,
                Some((automerge::Value::Scalar(ref s), _)) if matches!(s.as_ref(), ScalarValue::Str(_))
            )
        {
            self.doc.put_object(ROOT, "title", ObjType::Text)?;
            repaired.push("title");
        }
        Ok(repaired)
    }

    pub fn set_title(&mut self, title: &str) -> Result<(), ModelError> {
        let obj = read::text_obj(&self.doc, &ROOT, "title");
        let obj = match obj {
            Some(obj) => obj,
            None => self.doc.put_object(ROOT, "title", ObjType::Text)?,
        };
        self.doc.update_text(&obj, clip(title, MAX_TITLE_CHARS))?;
        Ok(())
    }

    /// Adds a post-it and returns its id.
    pub fn add_note(&mut self, note: NewNote) -> Result<NoteId, ModelError> {
        let notes = read::notes_obj(&self.doc).ok_or(ModelError::NoNotes)?;
        let id = NoteId::random();
        let obj = self.doc.put_object(&notes, id.as_str(), ObjType::Map)?;
        let text = self.doc.put_object(&obj, "text", ObjType::Text)?;
        self.doc
            .splice_text(&text, 0, 0, &clip(&note.text, MAX_NOTE_TEXT_CHARS))?;
        self.doc.put(&obj, "x", clamp_coordinate(note.x))?;
        self.doc.put(&obj, "y", clamp_coordinate(note.y))?;
        self.doc.put(&obj, "colour", note.colour.as_str())?;
        if let Some(author) = note.author {
            self.doc.put(&obj, "author", author)?;
        }
        self.doc
            .put(&obj, "created_at", ScalarValue::Timestamp(note.created_at))?;
        Ok(id)
    }

    /// Replaces a post-it's text; the change is recorded as a diff so that concurrent typing merges.
    pub fn set_note_text(&mut self, id: &NoteId, text: &str) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        let text = clip(text, MAX_NOTE_TEXT_CHARS);
        match read::text_obj(&self.doc, &note, "text") {
            Some(obj) => self.doc.update_text(&obj, text)?,
            None => {
                let obj = self.doc.put_object(&note, "text", ObjType::Text)?;
                self.doc.splice_text(&obj, 0, 0, &text)?;
            }
        }
        Ok(())
    }

    pub fn move_note(&mut self, id: &NoteId, x: f64, y: f64) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        self.doc.put(&note, "x", clamp_coordinate(x))?;
        self.doc.put(&note, "y", clamp_coordinate(y))?;
        Ok(())
    }

    pub fn set_note_colour(&mut self, id: &NoteId, colour: Colour) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        self.doc.put(&note, "colour", colour.as_str())?;
        Ok(())
    }

    pub fn delete_note(&mut self, id: &NoteId) -> Result<(), ModelError> {
        let notes = read::notes_obj(&self.doc).ok_or(ModelError::NoNotes)?;
        self.note_obj(id)?;
        self.doc.delete(&notes, id.as_str())?;
        Ok(())
    }

    fn note_obj(&self, id: &NoteId) -> Result<automerge::ObjId, ModelError> {
        read::note_obj(&self.doc, id).ok_or_else(|| ModelError::NoSuchNote(id.clone()))
    }
}

/// Keeps at most `max` characters.
fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// A finite coordinate within the board's extent (NaN becomes 0).
pub fn clamp_coordinate(value: f64) -> f64 {
    if value.is_finite() {
        value.clamp(-BOARD_EXTENT, BOARD_EXTENT)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests;
