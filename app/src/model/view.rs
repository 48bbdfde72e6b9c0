//! What the document says, as plain values: the board, its post-its and its columns. The page
//! renders these, undo compares them, and the API serializes them (`GET /api/boards/<id>`).

use std::collections::HashMap;

use serde::{Serialize, Serializer};

use super::{
    actions::ActionView,
    colour::{Colour, Dot},
    facilitation::Facilitation,
    limits::{COLUMN_MIN_HEIGHT, COLUMN_WIDTH},
};
use crate::ids::{ColumnId, GroupId, NoteId};

/// What the document says about one post-it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoteView {
    pub id: NoteId,
    pub text: String,
    /// From the left edge of [`NoteView::column`] when the post-it is in a column, else from the
    /// canvas origin; see [`BoardView::position`]. A serialized [`BoardView`] gives the place on
    /// the canvas instead.
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// Stacking order: higher is in front.
    pub z: i64,
    pub colour: Colour,
    /// How many dots of each colour, in the order of [`Dot::ALL`]; serialized by colour name.
    #[serde(serialize_with = "dots_by_name")]
    pub dots: [i64; 4],
    /// The column the post-it is in, if that column exists.
    pub column: Option<ColumnId>,
    pub author: Option<String>,
    /// Milliseconds since the Unix epoch, 0 when unknown.
    pub created_at: i64,
    /// What makes it an action, if it is one.
    pub action: Option<ActionView>,
    /// The group it is in, if that group is shown (has two post-its or more).
    pub group: Option<GroupId>,
}

impl NoteView {
    pub fn dots(&self, dot: Dot) -> i64 {
        self.dots[dot.index()]
    }
}

/// Dots by colour name, in the names' alphabetical order (as the API always answered).
fn dots_by_name<S: Serializer>(dots: &[i64; 4], serializer: S) -> Result<S::Ok, S::Error> {
    let mut by_name: Vec<(&str, i64)> = Dot::ALL
        .iter()
        .map(|d| (d.as_str(), dots[d.index()]))
        .collect();
    by_name.sort_unstable_by_key(|(name, _)| *name);
    serializer.collect_map(by_name)
}

/// A group of post-its, as shown: two post-its or more.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupView {
    pub id: GroupId,
    pub title: String,
    /// Its post-its, in the board's order.
    pub notes: Vec<NoteId>,
}

/// What the document says about one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnView {
    pub id: ColumnId,
    pub heading: String,
    /// Only orders columns: the serialized board lists them from left to right instead.
    #[serde(skip)]
    pub order: f64,
}

/// What the document says about the whole board: notes in creation order, columns from left to
/// right. Serialized as `{title, notes, columns}`, with each post-it's `x` and `y` its place on
/// the canvas (what `GET /api/boards/<id>` answers).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BoardView {
    pub title: String,
    pub notes: Vec<NoteView>,
    pub columns: Vec<ColumnView>,
    /// The groups shown, by id.
    pub groups: Vec<GroupView>,
    /// The facilitator's script (template, instructions, phases, countdown).
    pub facilitation: Facilitation,
    /// Where each post-it is in `notes`.
    index: HashMap<NoteId, usize>,
}

impl Serialize for BoardView {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Placed<'a> {
            title: &'a str,
            notes: Vec<NoteView>,
            columns: &'a [ColumnView],
            groups: &'a [GroupView],
            facilitation: &'a Facilitation,
        }
        let notes = self
            .notes
            .iter()
            .map(|n| NoteView {
                x: self.position(n).0,
                ..n.clone()
            })
            .collect();
        Placed {
            title: &self.title,
            notes,
            columns: &self.columns,
            groups: &self.groups,
            facilitation: &self.facilitation,
        }
        .serialize(serializer)
    }
}

impl BoardView {
    pub(super) fn new(title: String, notes: Vec<NoteView>, columns: Vec<ColumnView>) -> Self {
        let index = notes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i))
            .collect();
        BoardView {
            title,
            notes,
            columns,
            groups: Vec::new(),
            facilitation: Facilitation::default(),
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

    pub fn group(&self, id: &GroupId) -> Option<&GroupView> {
        self.groups.iter().find(|g| &g.id == id)
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

    /// The post-its as one reads the board: each column from left to right with its post-its
    /// from top to bottom (then left to right), then those outside the columns (`None`) read
    /// the same way. Columns without post-its are kept; an empty outside is left out.
    pub fn by_column(&self) -> Vec<(Option<&ColumnView>, Vec<&NoteView>)> {
        let reading = |a: &&NoteView, b: &&NoteView| {
            let (a, b) = (self.position(a), self.position(b));
            a.1.total_cmp(&b.1).then(a.0.total_cmp(&b.0))
        };
        let mut sections: Vec<_> = self
            .columns
            .iter()
            .map(|column| {
                let mut notes: Vec<_> = self
                    .notes
                    .iter()
                    .filter(|n| n.column.as_ref() == Some(&column.id))
                    .collect();
                notes.sort_by(reading);
                (Some(column), notes)
            })
            .collect();
        let mut outside: Vec<_> = self.notes.iter().filter(|n| n.column.is_none()).collect();
        if !outside.is_empty() {
            outside.sort_by(reading);
            sections.push((None, outside));
        }
        sections
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

/// The left edge of a column on the canvas, with columns laid out left to right.
pub(super) fn column_left(columns: &[ColumnView], id: &ColumnId) -> Option<f64> {
    columns
        .iter()
        .position(|c| &c.id == id)
        .map(|i| i as f64 * COLUMN_WIDTH)
}

/// The column under a point of the canvas: columns span from y = 0 downwards.
pub(super) fn column_at(columns: &[ColumnView], x: f64, y: f64) -> Option<&ColumnView> {
    if y < 0.0 || x < 0.0 {
        return None;
    }
    columns.get((x / COLUMN_WIDTH) as usize)
}
