//! Tolerant reads of the board document. Any automerge-repo client can write to a board, so a
//! field may be missing, have another type (JavaScript writes whole numbers as integers and
//! strings as Text), or hold nonsense; reads fall back to defaults rather than fail.

use std::collections::HashMap;

use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, Value, ValueRef, ROOT};

use super::{
    clamp_coordinate, clamp_size, BoardView, Colour, ColumnView, Dot, NoteView, MAX_DOTS,
    MAX_HEADING_CHARS, MAX_NOTE_TEXT_CHARS, MAX_TITLE_CHARS, MAX_Z, NOTE_SIZE,
};
use crate::ids::{ColumnId, NoteId};

pub(super) fn title(doc: &AutoCommit) -> String {
    string(doc, &ROOT, "title")
        .map(|t| t.chars().take(MAX_TITLE_CHARS).collect())
        .unwrap_or_default()
}

pub(super) fn board(doc: &AutoCommit) -> BoardView {
    let title = title(doc);
    let columns = columns(doc);
    let removed = removed_columns(doc);
    let mut notes: Vec<NoteView> = match notes_obj(doc) {
        Some(notes) => doc
            .map_range(&notes, ..)
            .filter_map(|item| {
                let id = NoteId::parse(&item.key).ok()?;
                match item.value {
                    ValueRef::Object(ObjType::Map) => {
                        Some(note(doc, id, &item.id(), &columns, &removed))
                    }
                    _ => None,
                }
            })
            .collect(),
        None => Vec::new(),
    };
    notes.sort_by(|a, b| {
        a.created_at
            .cmp(&b.created_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    BoardView::new(title, notes, columns)
}

fn note(
    doc: &AutoCommit,
    id: NoteId,
    obj: &ObjId,
    columns: &[ColumnView],
    removed: &HashMap<ColumnId, f64>,
) -> NoteView {
    let (w, h) = note_size(doc, obj);
    let dots = match doc.get(obj, "dots").ok().flatten() {
        Some((Value::Object(ObjType::Map), dots)) => {
            Dot::ALL.map(|dot| counter(doc, &dots, dot.as_str()).clamp(0, MAX_DOTS))
        }
        _ => [0; 4],
    };
    let x = number(doc, obj, "x").map(clamp_coordinate).unwrap_or(0.0);
    // In a removed column, the post-it stays where the column was; a column that never existed
    // is ignored.
    let (column, x) = match string(doc, obj, "column").and_then(|c| ColumnId::parse(&c).ok()) {
        Some(c) if columns.iter().any(|column| column.id == c) => (Some(c), x),
        Some(c) => (
            None,
            clamp_coordinate(x + removed.get(&c).copied().unwrap_or(0.0)),
        ),
        None => (None, x),
    };
    NoteView {
        id,
        text: string(doc, obj, "text")
            .map(|t| t.chars().take(MAX_NOTE_TEXT_CHARS).collect())
            .unwrap_or_default(),
        x,
        y: number(doc, obj, "y").map(clamp_coordinate).unwrap_or(0.0),
        w,
        h,
        z: z(doc, obj),
        colour: string(doc, obj, "colour")
            .and_then(|c| Colour::parse(&c))
            .unwrap_or_default(),
        dots,
        column,
        author: string(doc, obj, "author"),
        created_at: integer(doc, obj, "created_at").unwrap_or(0),
    }
}

/// A post-it's stacking order, within [`MAX_Z`].
pub(super) fn z(doc: &AutoCommit, obj: &ObjId) -> i64 {
    integer(doc, obj, "z").unwrap_or(0).clamp(-MAX_Z, MAX_Z)
}

/// A post-it's width and height.
pub(super) fn note_size(doc: &AutoCommit, obj: &ObjId) -> (f64, f64) {
    let side = |key| number(doc, obj, key).map(clamp_size).unwrap_or(NOTE_SIZE);
    (side("w"), side("h"))
}

/// The board's columns from left to right.
pub(super) fn columns(doc: &AutoCommit) -> Vec<ColumnView> {
    let Some(columns) = columns_obj(doc) else {
        return Vec::new();
    };
    let mut columns: Vec<ColumnView> = doc
        .map_range(&columns, ..)
        .filter_map(|item| {
            let id = ColumnId::parse(&item.key).ok()?;
            let ValueRef::Object(ObjType::Map) = item.value else {
                return None;
            };
            let obj = item.id();
            if number(doc, &obj, "removed_left").is_some() {
                return None;
            }
            Some(ColumnView {
                id,
                heading: string(doc, &obj, "heading")
                    .map(|t| t.chars().take(MAX_HEADING_CHARS).collect())
                    .unwrap_or_default(),
                order: number(doc, &obj, "order")
                    .filter(|o| o.is_finite())
                    .unwrap_or(0.0),
            })
        })
        .collect();
    columns.sort_by(|a, b| a.order.total_cmp(&b.order).then_with(|| a.id.cmp(&b.id)));
    columns
}

/// The removed columns' last left edges.
fn removed_columns(doc: &AutoCommit) -> HashMap<ColumnId, f64> {
    let Some(columns) = columns_obj(doc) else {
        return HashMap::new();
    };
    doc.map_range(&columns, ..)
        .filter_map(|item| {
            let id = ColumnId::parse(&item.key).ok()?;
            let left = number(doc, &item.id(), "removed_left")?;
            Some((id, clamp_coordinate(left)))
        })
        .collect()
}

pub(super) fn columns_obj(doc: &AutoCommit) -> Option<ObjId> {
    match doc.get(ROOT, "columns").ok()?? {
        (Value::Object(ObjType::Map), id) => Some(id),
        _ => None,
    }
}

pub(super) fn column_obj(doc: &AutoCommit, id: &ColumnId) -> Option<ObjId> {
    match doc.get(columns_obj(doc)?, id.as_str()).ok()?? {
        (Value::Object(ObjType::Map), obj) => Some(obj),
        _ => None,
    }
}

/// A counter's value (a plain integer is read too), 0 when missing.
pub(super) fn counter(doc: &AutoCommit, obj: &ObjId, key: &str) -> i64 {
    match doc.get(obj, key).ok().flatten() {
        Some((Value::Scalar(value), _)) => match value.as_ref() {
            ScalarValue::Counter(c) => i64::from(c),
            ScalarValue::Int(i) => *i,
            ScalarValue::Uint(u) => i64::try_from(*u).unwrap_or(0),
            _ => 0,
        },
        _ => 0,
    }
}

pub(super) fn notes_obj(doc: &AutoCommit) -> Option<ObjId> {
    match doc.get(ROOT, "notes").ok()?? {
        (Value::Object(ObjType::Map), id) => Some(id),
        _ => None,
    }
}

pub(super) fn note_obj(doc: &AutoCommit, id: &NoteId) -> Option<ObjId> {
    match doc.get(notes_obj(doc)?, id.as_str()).ok()?? {
        (Value::Object(ObjType::Map), obj) => Some(obj),
        _ => None,
    }
}

pub(super) fn text_obj(doc: &AutoCommit, obj: &ObjId, key: &str) -> Option<ObjId> {
    match doc.get(obj, key).ok()?? {
        (Value::Object(ObjType::Text), id) => Some(id),
        _ => None,
    }
}

/// A string stored either as Text (what JavaScript writes) or as a scalar string.
fn string(doc: &AutoCommit, obj: &ObjId, key: &str) -> Option<String> {
    match doc.get(obj, key).ok()?? {
        (Value::Object(ObjType::Text), id) => doc.text(&id).ok(),
        (Value::Scalar(value), _) => match value.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        _ => None,
    }
}

fn number(doc: &AutoCommit, obj: &ObjId, key: &str) -> Option<f64> {
    match doc.get(obj, key).ok()?? {
        (Value::Scalar(value), _) => match value.as_ref() {
            ScalarValue::F64(f) => Some(*f),
            ScalarValue::Int(i) => Some(*i as f64),
            ScalarValue::Uint(u) => Some(*u as f64),
            _ => None,
        },
        _ => None,
    }
}

pub(super) fn integer(doc: &AutoCommit, obj: &ObjId, key: &str) -> Option<i64> {
    match doc.get(obj, key).ok()?? {
        (Value::Scalar(value), _) => match value.as_ref() {
            ScalarValue::Timestamp(t) | ScalarValue::Int(t) => Some(*t),
            ScalarValue::Uint(u) => i64::try_from(*u).ok(),
            ScalarValue::F64(f) if f.is_finite() => Some(*f as i64),
            _ => None,
        },
        _ => None,
    }
}
