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
//!                         column: <column id> | null } } }
//! ```
//!
//! `w`, `h`, `z`, `dots`, `column` and `columns` came with version 0.2 and are optional: a post-it
//! without them is [`NOTE_SIZE`] square, at the bottom of the stack, without dots, on the open
//! canvas. Columns are laid out left to right by `order` (ties by id), [`COLUMN_WIDTH`] wide from
//! x = 0; a post-it with a `column` that exists has its `x` counted from that column's left edge,
//! so that it moves with the column when columns are reordered or removed. A removed column stays
//! as a tombstone (`removed_left`, its left edge when removed): its post-its keep their place.
//!
//! Reads are tolerant: a field that is missing or of an unexpected type (any client can write
//! anything) falls back to a default instead of failing, see [`read`].

mod change;
mod read;

use automerge::{
    transaction::Transactable, AutoCommit, AutomergeError, LoadOptions, ObjType, OnPartialLoad,
    ReadDoc, ScalarValue, ROOT,
};

use crate::ids::{ColumnId, NoteId};

pub use change::Change;

/// Version of the document shape written by this code.
pub const SCHEMA_VERSION: i64 = 1;
/// Longest board title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest post-it text, in characters.
pub const MAX_NOTE_TEXT_CHARS: usize = 5_000;
/// Longest column heading, in characters.
pub const MAX_HEADING_CHARS: usize = 100;
/// Post-its are kept within `[-BOARD_EXTENT, BOARD_EXTENT]` on both axes.
pub const BOARD_EXTENT: f64 = 100_000.0;
/// Width and height of a new post-it on the canvas, in board units (CSS pixels at zoom 1).
pub const NOTE_SIZE: f64 = 160.0;
/// Smallest side of a resized post-it.
pub const MIN_NOTE_SIZE: f64 = 100.0;
/// Largest side of a resized post-it.
pub const MAX_NOTE_SIZE: f64 = 800.0;
/// Most columns on a board (scrumblr allows 8).
pub const MAX_COLUMNS: usize = 12;
/// Width of a column, in board units.
pub const COLUMN_WIDTH: f64 = 320.0;
/// Stacking orders are kept within `[-MAX_Z, MAX_Z]` (a client could write anything).
pub const MAX_Z: i64 = 1_000_000;
/// Most dots of one colour on a post-it.
pub const MAX_DOTS: i64 = 99;

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

/// The colour of a dot (scrumblr's markers, used for dot voting). Stored by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dot {
    Red,
    Blue,
    Green,
    Black,
}

impl Dot {
    pub const ALL: [Dot; 4] = [Dot::Red, Dot::Blue, Dot::Green, Dot::Black];

    pub fn as_str(self) -> &'static str {
        match self {
            Dot::Red => "red",
            Dot::Blue => "blue",
            Dot::Green => "green",
            Dot::Black => "black",
        }
    }

    fn index(self) -> usize {
        Dot::ALL.iter().position(|d| *d == self).unwrap_or(0)
    }
}

/// What the document says about one post-it.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteView {
    pub id: NoteId,
    pub text: String,
    /// From the left edge of [`NoteView::column`] when the post-it is in a column, else from the
    /// canvas origin; see [`BoardView::position`].
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// Stacking order: higher is in front.
    pub z: i64,
    pub colour: Colour,
    /// How many dots of each colour, in the order of [`Dot::ALL`].
    pub dots: [i64; 4],
    /// The column the post-it is in, if that column exists.
    pub column: Option<ColumnId>,
    pub author: Option<String>,
    /// Milliseconds since the Unix epoch, 0 when unknown.
    pub created_at: i64,
}

impl NoteView {
    pub fn dots(&self, dot: Dot) -> i64 {
        self.dots[dot.index()]
    }
}

/// What the document says about one column.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnView {
    pub id: ColumnId,
    pub heading: String,
    pub order: f64,
}

/// What the document says about the whole board: notes in creation order, columns from left to
/// right.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BoardView {
    pub title: String,
    pub notes: Vec<NoteView>,
    pub columns: Vec<ColumnView>,
    /// Where each post-it is in `notes`.
    index: std::collections::HashMap<NoteId, usize>,
}

impl BoardView {
    fn new(title: String, notes: Vec<NoteView>, columns: Vec<ColumnView>) -> Self {
        let index = notes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i))
            .collect();
        BoardView {
            title,
            notes,
            columns,
            index,
        }
    }

    pub fn note(&self, id: &NoteId) -> Option<&NoteView> {
        self.index.get(id).and_then(|i| self.notes.get(*i))
    }

    /// Where post-its are on the canvas (those that exist).
    pub fn positions(&self, ids: &[NoteId]) -> Vec<(NoteId, (f64, f64))> {
        ids.iter()
            .filter_map(|id| self.note(id).map(|n| (id.clone(), self.position(n))))
            .collect()
    }

    pub fn column(&self, id: &ColumnId) -> Option<&ColumnView> {
        self.columns.iter().find(|c| &c.id == id)
    }

    /// The left edge of a column on the canvas.
    pub fn column_left(&self, id: &ColumnId) -> Option<f64> {
        column_left(&self.columns, id)
    }

    /// Where a post-it is on the canvas (its top left corner).
    pub fn position(&self, note: &NoteView) -> (f64, f64) {
        let left = note
            .column
            .as_ref()
            .and_then(|c| self.column_left(c))
            .unwrap_or(0.0);
        (left + note.x, note.y)
    }

    /// The highest stacking order on the board.
    pub fn top_z(&self) -> i64 {
        self.notes.iter().map(|n| n.z).max().unwrap_or(0)
    }

    /// The smallest rectangle `(left, top, right, bottom)` holding every post-it and column.
    pub fn bounds(&self) -> Option<(f64, f64, f64, f64)> {
        let notes = self.notes.iter().map(|n| {
            let (x, y) = self.position(n);
            (x, y, x + n.w, y + n.h)
        });
        let columns = (!self.columns.is_empty()).then(|| {
            let right = self.columns.len() as f64 * COLUMN_WIDTH;
            (0.0, 0.0, right, COLUMN_MIN_HEIGHT)
        });
        notes
            .chain(columns)
            .reduce(|a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)))
    }
}

/// The height of an empty column; columns grow with the post-its in them.
pub const COLUMN_MIN_HEIGHT: f64 = 800.0;

fn column_left(columns: &[ColumnView], id: &ColumnId) -> Option<f64> {
    columns
        .iter()
        .position(|c| &c.id == id)
        .map(|i| i as f64 * COLUMN_WIDTH)
}

/// The column under a point of the canvas: columns span from y = 0 downwards.
fn column_at(columns: &[ColumnView], x: f64, y: f64) -> Option<&ColumnView> {
    if y < 0.0 || x < 0.0 {
        return None;
    }
    columns.get((x / COLUMN_WIDTH) as usize)
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
    #[error("no column with id {0}")]
    NoSuchColumn(ColumnId),
    #[error("a board has at most {MAX_COLUMNS} columns")]
    TooManyColumns,
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
        self.set_text(&ROOT, "title", &clip(title, MAX_TITLE_CHARS))
    }

    /// Replaces a text field, as a diff so that concurrent typing merges (making it a Text if it
    /// is missing or a plain string).
    fn set_text(
        &mut self,
        obj: &automerge::ObjId,
        key: &str,
        text: &str,
    ) -> Result<(), ModelError> {
        match read::text_obj(&self.doc, obj, key) {
            Some(text_obj) => self.doc.update_text(&text_obj, text)?,
            None => {
                let text_obj = self.doc.put_object(obj, key, ObjType::Text)?;
                self.doc.splice_text(&text_obj, 0, 0, text)?;
            }
        }
        Ok(())
    }

    /// Adds a post-it at a place on the canvas (in the column there, if any) and returns its id.
    /// It goes on top of the others.
    pub fn add_note(&mut self, note: NewNote) -> Result<NoteId, ModelError> {
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
            ..original.clone()
        };
        self.put_note(&copy)?;
        Ok(copy.id)
    }

    /// Writes a whole post-it under its id (replacing one that has that id).
    fn put_note(&mut self, note: &NoteView) -> Result<(), ModelError> {
        let notes = read::notes_obj(&self.doc).ok_or(ModelError::NoNotes)?;
        let obj = self
            .doc
            .put_object(&notes, note.id.as_str(), ObjType::Map)?;
        let text = self.doc.put_object(&obj, "text", ObjType::Text)?;
        self.doc
            .splice_text(&text, 0, 0, &clip(&note.text, MAX_NOTE_TEXT_CHARS))?;
        self.doc.put(&obj, "x", clamp_coordinate(note.x))?;
        self.doc.put(&obj, "y", clamp_coordinate(note.y))?;
        self.doc.put(&obj, "w", clamp_size(note.w))?;
        self.doc.put(&obj, "h", clamp_size(note.h))?;
        self.doc.put(&obj, "z", note.z)?;
        self.doc.put(&obj, "colour", note.colour.as_str())?;
        // Counters made with the post-it, so that two people adding its first dots at once add
        // to the same counter.
        let dots = self.doc.put_object(&obj, "dots", ObjType::Map)?;
        for dot in Dot::ALL {
            let count = note.dots(dot).clamp(0, MAX_DOTS);
            self.doc
                .put(&dots, dot.as_str(), ScalarValue::counter(count))?;
        }
        if let Some(column) = &note.column {
            self.doc.put(&obj, "column", column.as_str())?;
        }
        if let Some(author) = &note.author {
            self.doc.put(&obj, "author", author.as_str())?;
        }
        self.doc
            .put(&obj, "created_at", ScalarValue::Timestamp(note.created_at))?;
        Ok(())
    }

    /// Replaces a post-it's text; the change is recorded as a diff so that concurrent typing merges.
    pub fn set_note_text(&mut self, id: &NoteId, text: &str) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        self.set_text(&note, "text", &clip(text, MAX_NOTE_TEXT_CHARS))
    }

    /// Moves a post-it's top left corner to a place on the canvas. A post-it whose top middle
    /// lands in a column goes into that column; elsewhere it is on the open canvas.
    pub fn move_note(&mut self, id: &NoteId, x: f64, y: f64) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        let columns = read::columns(&self.doc);
        let width = read::note_size(&self.doc, &note).0;
        let (x, y) = (clamp_coordinate(x), clamp_coordinate(y));
        // `x` and `column` are always written together (`null`: no column), so that of two
        // people moving the post-it at once, one wins both: an `x` never meets the other
        // person's column. A column removed meanwhile is a tombstone that still places it.
        match column_at(&columns, x + width / 2.0, y) {
            Some(column) => {
                let left = column_left(&columns, &column.id).unwrap_or(0.0);
                self.doc.put(&note, "x", x - left)?;
                self.doc.put(&note, "column", column.id.as_str())?;
            }
            None => {
                self.doc.put(&note, "x", x)?;
                self.doc.put(&note, "column", ScalarValue::Null)?;
            }
        }
        self.doc.put(&note, "y", y)?;
        Ok(())
    }

    pub fn resize_note(&mut self, id: &NoteId, w: f64, h: f64) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        self.doc.put(&note, "w", clamp_size(w))?;
        self.doc.put(&note, "h", clamp_size(h))?;
        Ok(())
    }

    /// Puts a post-it in front of every other.
    pub fn bring_to_front(&mut self, id: &NoteId) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        if self.top_z() >= MAX_Z - 1 {
            self.renumber_z()?;
        }
        let top = self.top_z();
        if read::z(&self.doc, &note) < top || self.count_at_z(top) > 1 {
            self.doc.put(&note, "z", top + 1)?;
        }
        Ok(())
    }

    /// Numbers the stacking orders 1, 2, 3… in the order they stack, when they reach the top
    /// of their range.
    fn renumber_z(&mut self) -> Result<(), ModelError> {
        let mut notes = self.view().notes;
        notes.sort_by_key(|n| n.z);
        for (rank, note) in notes.iter().enumerate() {
            let obj = self.note_obj(&note.id)?;
            self.doc.put(&obj, "z", rank as i64 + 1)?;
        }
        Ok(())
    }

    pub fn set_note_colour(&mut self, id: &NoteId, colour: Colour) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        self.doc.put(&note, "colour", colour.as_str())?;
        Ok(())
    }

    /// Adds `by` dots of a colour (removes them when negative), never going below 0 or above
    /// [`MAX_DOTS`]. Dots are counters: two people adding one at once make two.
    pub fn add_dots(&mut self, id: &NoteId, dot: Dot, by: i64) -> Result<(), ModelError> {
        let note = self.note_obj(id)?;
        let dots = match self.doc.get(&note, "dots")? {
            Some((automerge::Value::Object(ObjType::Map), dots)) => dots,
            _ => self.doc.put_object(&note, "dots", ObjType::Map)?,
        };
        // A counter two people took below 0 at once shows 0: count from what is shown.
        let current = read::counter(&self.doc, &dots, dot.as_str());
        let shown = current.clamp(0, MAX_DOTS);
        let by = (shown + by).clamp(0, MAX_DOTS) - current;
        if by == 0 {
            return Ok(());
        }
        match self.doc.get(&dots, dot.as_str())? {
            Some((automerge::Value::Scalar(value), _))
                if matches!(value.as_ref(), ScalarValue::Counter(_)) =>
            {
                self.doc.increment(&dots, dot.as_str(), by)?;
            }
            _ => self
                .doc
                .put(&dots, dot.as_str(), ScalarValue::counter(current + by))?,
        }
        Ok(())
    }

    pub fn delete_note(&mut self, id: &NoteId) -> Result<(), ModelError> {
        let notes = read::notes_obj(&self.doc).ok_or(ModelError::NoNotes)?;
        self.note_obj(id)?;
        self.doc.delete(&notes, id.as_str())?;
        Ok(())
    }

    /// Adds a column at the right of the others and returns its id.
    pub fn add_column(&mut self, heading: &str) -> Result<ColumnId, ModelError> {
        let columns = read::columns(&self.doc);
        if columns.len() >= MAX_COLUMNS {
            return Err(ModelError::TooManyColumns);
        }
        let order = columns.last().map(|c| c.order + 1.0).unwrap_or(0.0);
        let view = ColumnView {
            id: ColumnId::random(),
            heading: heading.to_owned(),
            order,
        };
        self.put_column(&view)?;
        Ok(view.id)
    }

    fn put_column(&mut self, column: &ColumnView) -> Result<(), ModelError> {
        let columns = match read::columns_obj(&self.doc) {
            Some(columns) => columns,
            None => self.doc.put_object(ROOT, "columns", ObjType::Map)?,
        };
        let obj = self
            .doc
            .put_object(&columns, column.id.as_str(), ObjType::Map)?;
        let heading = self.doc.put_object(&obj, "heading", ObjType::Text)?;
        self.doc
            .splice_text(&heading, 0, 0, &clip(&column.heading, MAX_HEADING_CHARS))?;
        self.doc.put(&obj, "order", finite(column.order))?;
        Ok(())
    }

    pub fn set_column_heading(&mut self, id: &ColumnId, heading: &str) -> Result<(), ModelError> {
        let column = self.column_obj(id)?;
        self.set_text(&column, "heading", &clip(heading, MAX_HEADING_CHARS))
    }

    /// Moves a column `by` places to the right (to the left when negative); its post-its go with it.
    pub fn move_column(&mut self, id: &ColumnId, by: isize) -> Result<(), ModelError> {
        let columns = read::columns(&self.doc);
        let from = columns
            .iter()
            .position(|c| &c.id == id)
            .ok_or_else(|| ModelError::NoSuchColumn(id.clone()))?;
        let to = from.saturating_add_signed(by).min(columns.len() - 1);
        if to == from {
            return Ok(());
        }
        // The new order lies between the two columns it lands between.
        let others: Vec<&ColumnView> = columns.iter().filter(|c| &c.id != id).collect();
        let before = to
            .checked_sub(1)
            .and_then(|i| others.get(i))
            .map(|c| c.order);
        let after = others.get(to).map(|c| c.order);
        let order = match (before, after) {
            (Some(a), Some(b)) => (a + b) / 2.0,
            (Some(a), None) => a + 1.0,
            (None, Some(b)) => b - 1.0,
            (None, None) => 0.0,
        };
        let between = |o: f64| before.is_none_or(|a| o > a) && after.is_none_or(|b| o < b);
        if between(order) {
            let column = self.column_obj(id)?;
            self.doc.put(&column, "order", order)?;
            return Ok(());
        }
        // Two columns with one order (added at once by two people), or no room left between
        // them: number them all again, in the new order.
        let mut ids: Vec<&ColumnId> = others.iter().map(|c| &c.id).collect();
        ids.insert(to, id);
        for (index, column) in ids.into_iter().enumerate() {
            let obj = self.column_obj(column)?;
            self.doc.put(&obj, "order", index as f64)?;
        }
        Ok(())
    }

    /// Removes a column; its post-its stay where they are, on the open canvas. The column stays
    /// in the document as a tombstone holding its last left edge, so that its post-its (and one
    /// someone moves into it at the same moment) are placed from there, whatever else changes.
    pub fn remove_column(&mut self, id: &ColumnId) -> Result<(), ModelError> {
        let left = column_left(&read::columns(&self.doc), id)
            .ok_or_else(|| ModelError::NoSuchColumn(id.clone()))?;
        let column = self.column_obj(id)?;
        self.doc.put(&column, "removed_left", left)?;
        Ok(())
    }

    fn column_obj(&self, id: &ColumnId) -> Result<automerge::ObjId, ModelError> {
        read::column_obj(&self.doc, id).ok_or_else(|| ModelError::NoSuchColumn(id.clone()))
    }

    fn top_z(&self) -> i64 {
        self.z_values().max().unwrap_or(0).min(MAX_Z - 1)
    }

    fn count_at_z(&self, z: i64) -> usize {
        self.z_values().filter(|v| *v == z).count()
    }

    fn z_values(&self) -> impl Iterator<Item = i64> + '_ {
        read::notes_obj(&self.doc)
            .into_iter()
            .flat_map(move |notes| {
                self.doc
                    .map_range(&notes, ..)
                    .map(move |item| read::z(&self.doc, &item.id()))
            })
    }

    fn note_obj(&self, id: &NoteId) -> Result<automerge::ObjId, ModelError> {
        read::note_obj(&self.doc, id).ok_or_else(|| ModelError::NoSuchNote(id.clone()))
    }
}

/// How far a duplicate lands from its original.
const DUPLICATE_OFFSET: f64 = 24.0;

/// A post-it side within [`MIN_NOTE_SIZE`, `MAX_NOTE_SIZE`] (NaN becomes [`NOTE_SIZE`]).
pub fn clamp_size(value: f64) -> f64 {
    if value.is_finite() {
        value.clamp(MIN_NOTE_SIZE, MAX_NOTE_SIZE)
    } else {
        NOTE_SIZE
    }
}

fn finite(value: f64) -> f64 {
    if value.is_finite() {
        value
    } else {
        0.0
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
