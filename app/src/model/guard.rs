//! What the server checks in a peer's changes before it stores them: whether they write in a
//! part of the document reserved to the facilitator ([`schema::FACILITATOR_KEYS`]), and whether
//! they leave a text longer than the model ever writes.
//!
//! The check reads each change's operations (the object and key each one writes), not the
//! diff the changes make: a write that loses a conflict shows in no diff, yet stays in the
//! history, and wins again if the other write is deleted.

use std::collections::{HashMap, HashSet};

use automerge::{legacy, ChangeHash, ObjType, ReadDoc, ScalarValue};

use super::{
    error::ModelError,
    limits::{MAX_HEADING_CHARS, MAX_NOTE_TEXT_CHARS, MAX_TITLE_CHARS},
    schema, Board,
};

impl Board {
    /// Whether the document holds every one of these changes.
    pub fn has_changes(&mut self, hashes: &[ChangeHash]) -> bool {
        hashes
            .iter()
            .all(|hash| self.doc.get_change_by_hash(hash).is_some())
    }

    /// The first of [`schema::FACILITATOR_KEYS`] that a change applied since `before` writes
    /// (at that key of the root, or anywhere inside its value), if any.
    pub fn reserved_key_written_since(&mut self, before: &[ChangeHash]) -> Option<&'static str> {
        let changes = self.doc.get_changes(before);
        // The root key each object written lies under, looked up once per object.
        let mut under: HashMap<legacy::ObjectId, Option<&'static str>> = HashMap::new();
        for change in changes {
            for op in change.decode().operations {
                let key = match &op.obj {
                    legacy::ObjectId::Root => match &op.key {
                        legacy::Key::Map(key) => reserved(key),
                        legacy::Key::Seq(_) => None,
                    },
                    legacy::ObjectId::Id(id) => *under
                        .entry(op.obj.clone())
                        .or_insert_with(|| self.root_key_of(id)),
                };
                if key.is_some() {
                    return key;
                }
            }
        }
        None
    }

    /// The reserved root key the object `id` lies under. An object the document cannot place
    /// counts as reserved: what cannot be shown to be allowed is refused.
    fn root_key_of(&self, id: &legacy::OpId) -> Option<&'static str> {
        const UNKNOWN: Option<&str> = Some("an unknown object");
        let Ok(obj) = self.doc.import_obj(&format!("{}@{}", id.0, id.1)) else {
            return UNKNOWN;
        };
        // Only an object the document holds has parents to walk (Automerge assumes so).
        if self.doc.object_type(&obj).is_err() {
            return UNKNOWN;
        }
        let Ok(parents) = self.doc.parents(&obj) else {
            return UNKNOWN;
        };
        match parents.last() {
            Some(top) => match top.prop {
                automerge::Prop::Map(key) => reserved(&key),
                automerge::Prop::Seq(_) => None,
            },
            None => UNKNOWN,
        }
    }

    /// Whether a change applied since `before` leaves a text longer than the model writes: a
    /// string longer than [`MAX_NOTE_TEXT_CHARS`], or a text it wrote in (the title, a heading,
    /// a post-it's text) now longer than that field's limit.
    pub fn text_too_long_since(&mut self, before: &[ChangeHash]) -> bool {
        let changes = self.doc.get_changes(before);
        let mut checked = HashSet::new();
        for change in changes {
            for op in change.decode().operations {
                if let legacy::OpType::Put(ScalarValue::Str(text)) = &op.action {
                    if text.chars().count() > MAX_NOTE_TEXT_CHARS {
                        return true;
                    }
                }
                if let legacy::ObjectId::Id(id) = &op.obj {
                    if checked.insert(op.obj.clone()) && self.text_over_its_limit(id) {
                        return true;
                    }
                }
            }
        }
        false
    }

    fn text_over_its_limit(&self, id: &legacy::OpId) -> bool {
        let Ok(obj) = self.doc.import_obj(&format!("{}@{}", id.0, id.1)) else {
            return false;
        };
        if !matches!(self.doc.object_type(&obj), Ok(ObjType::Text)) {
            return false;
        }
        let field = self
            .doc
            .parents(&obj)
            .ok()
            .and_then(|mut parents| parents.next())
            .map(|parent| parent.prop);
        let limit = match field {
            Some(automerge::Prop::Map(key)) if key == schema::TITLE => MAX_TITLE_CHARS,
            Some(automerge::Prop::Map(key)) if key == schema::HEADING => MAX_HEADING_CHARS,
            _ => MAX_NOTE_TEXT_CHARS,
        };
        self.doc.length(&obj) > limit
    }

    /// How many post-its the board holds now.
    pub fn note_count(&self) -> usize {
        super::read::notes_obj(self.reader()).map_or(0, |notes| self.doc.length(&notes))
    }

    /// How many post-its the board held at `heads`.
    pub fn note_count_at(&self, heads: &[ChangeHash]) -> usize {
        let at = super::read::At {
            doc: &self.doc,
            heads,
        };
        super::read::notes_obj(at).map_or(0, |notes| self.doc.length_at(&notes, heads))
    }

    /// Puts the document back to `heads` (a version it holds), forgetting every change after
    /// them: a refused peer's changes, never stored nor relayed. What was saved incrementally
    /// before stays saved: the next incremental save starts from `heads`.
    pub fn revert_to(&mut self, heads: &[ChangeHash]) -> Result<(), ModelError> {
        let mut reverted = self.doc.fork_at(heads)?;
        reverted.save_incremental();
        self.doc = reverted;
        Ok(())
    }
}

fn reserved(key: &str) -> Option<&'static str> {
    schema::FACILITATOR_KEYS
        .iter()
        .copied()
        .find(|reserved| *reserved == key)
}
