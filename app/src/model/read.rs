//! Tolerant reads of the board document. Any automerge-repo client can write to a board, so a
//! field may be missing, have another type (JavaScript writes whole numbers as integers and
//! strings as Text), or hold nonsense; reads fall back to defaults rather than fail.

use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, Value, ValueRef, ROOT};

use super::{clamp_coordinate, BoardView, Colour, NoteView, MAX_NOTE_TEXT_CHARS, MAX_TITLE_CHARS};
use crate::ids::NoteId;

pub(super) fn title(doc: &AutoCommit) -> String {
    string(doc, &ROOT, "title")
        .map(|t| t.chars().take(MAX_TITLE_CHARS).collect())
        .unwrap_or_default()
}

pub(super) fn board(doc: &AutoCommit) -> BoardView {
    let title = title(doc);
    let mut notes: Vec<NoteView> = match notes_obj(doc) {
        Some(notes) => doc
            .map_range(&notes, ..)
            .filter_map(|item| {
                let id = NoteId::parse(&item.key).ok()?;
                match item.value {
                    ValueRef::Object(ObjType::Map) => Some(note(doc, id, &item.id())),
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
    BoardView { title, notes }
}

fn note(doc: &AutoCommit, id: NoteId, obj: &ObjId) -> NoteView {
    NoteView {
        id,
        text: string(doc, obj, "text")
            .map(|t| t.chars().take(MAX_NOTE_TEXT_CHARS).collect())
            .unwrap_or_default(),
        x: number(doc, obj, "x").map(clamp_coordinate).unwrap_or(0.0),
        y: number(doc, obj, "y").map(clamp_coordinate).unwrap_or(0.0),
        colour: string(doc, obj, "colour")
            .and_then(|c| Colour::parse(&c))
            .unwrap_or_default(),
        author: string(doc, obj, "author"),
        created_at: integer(doc, obj, "created_at").unwrap_or(0),
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

fn integer(doc: &AutoCommit, obj: &ObjId, key: &str) -> Option<i64> {
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
