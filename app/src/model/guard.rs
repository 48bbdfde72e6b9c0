//! What the server checks in a peer's changes before it stores them: whether they write in a
//! part of the document reserved to the facilitator ([`schema::FACILITATOR_KEYS`]), and whether
//! they leave a text longer than the model ever writes.
//!
//! The check reads each change's operations (the object and key each one writes), not the
//! diff the changes make: a write that loses a conflict shows in no diff, yet stays in the
//! history, and wins again if the other write is deleted.

use std::collections::HashSet;

use automerge::{legacy, ChangeHash, ObjId, ObjType, ReadDoc, ScalarValue};

use super::{
    error::ModelError,
    history,
    limits::{
        MAX_HEADING_CHARS, MAX_INSTRUCTIONS_CHARS, MAX_NOTE_TEXT_CHARS, MAX_OWNER_CHARS,
        MAX_TITLE_CHARS,
    },
    read, schema, Board,
};

/// What [`Board::text_written`] tells of a text written in.
struct TextWritten {
    too_long: bool,
    author: bool,
}

/// What a set of changes writes, as [`Board::written_since`] reads it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Written {
    /// The first of [`schema::FACILITATOR_KEYS`] written (at that key of the root, or anywhere
    /// inside its value).
    pub reserved: Option<&'static str>,
    /// A string longer than [`MAX_NOTE_TEXT_CHARS`] was written, a text written in is now
    /// longer than its field's limit, or a change's message is longer than
    /// [`history::MAX_MESSAGE_BYTES`].
    pub text_too_long: bool,
    /// The map of post-its itself was written (a post-it added or removed).
    pub notes: bool,
    /// A name was written as a post-it's author (set, or typed into one), or a change is
    /// signed with one.
    pub author: bool,
}

impl Board {
    /// Whether the document holds every one of these changes.
    pub fn has_changes(&mut self, hashes: &[ChangeHash]) -> bool {
        hashes
            .iter()
            .all(|hash| self.doc.get_change_by_hash(hash).is_some())
    }

    /// What the changes applied since `before` write, read from their operations once: what
    /// the server checks before it stores them.
    pub fn written_since(&mut self, before: &[ChangeHash]) -> Written {
        let notes = read::notes_obj(self.reader());
        let mut written = Written::default();
        // Each object written is looked at once.
        let mut seen = HashSet::new();
        for change in self.doc.get_changes(before) {
            written.author |= history::message_names_someone(change.message());
            written.text_too_long |= history::message_too_long(change.message());
            for op in change.decode().operations {
                if let legacy::OpType::Put(ScalarValue::Str(text)) = &op.action {
                    written.text_too_long |= text.chars().count() > MAX_NOTE_TEXT_CHARS;
                }
                if matches!(&op.key, legacy::Key::Map(key) if key == schema::AUTHOR) {
                    // Taking a name away is no writing one.
                    written.author |= match &op.action {
                        legacy::OpType::Delete | legacy::OpType::Put(ScalarValue::Null) => false,
                        legacy::OpType::Put(ScalarValue::Str(name)) => !name.is_empty(),
                        _ => true,
                    };
                }
                match &op.obj {
                    legacy::ObjectId::Root => {
                        if let legacy::Key::Map(key) = &op.key {
                            written.reserved = written.reserved.or(reserved(key));
                        }
                    }
                    legacy::ObjectId::Id(id) if seen.insert(op.obj.clone()) => {
                        // An object the document cannot place counts as reserved: what cannot
                        // be shown to be allowed is refused.
                        let Some(obj) = self.known_object(id) else {
                            written.reserved = written.reserved.or(Some("an unknown object"));
                            continue;
                        };
                        written.reserved = written.reserved.or(self.root_key_of(&obj));
                        if let Some(text) = self.text_written(&obj) {
                            written.text_too_long |= text.too_long;
                            written.author |= text.author;
                        }
                        written.notes |= notes.as_ref() == Some(&obj);
                    }
                    legacy::ObjectId::Id(_) => {}
                }
            }
        }
        written
    }

    /// The document's id of the object an operation names, if the document holds it (only
    /// such an object has parents to walk: Automerge assumes so).
    fn known_object(&self, id: &legacy::OpId) -> Option<ObjId> {
        let obj = self.doc.import_obj(&format!("{}@{}", id.0, id.1)).ok()?;
        self.doc.object_type(&obj).is_ok().then_some(obj)
    }

    /// The reserved root key the object lies under, if any.
    fn root_key_of(&self, obj: &ObjId) -> Option<&'static str> {
        match self.doc.parents(obj).ok()?.last()?.prop {
            automerge::Prop::Map(key) => reserved(&key),
            automerge::Prop::Seq(_) => None,
        }
    }

    /// What a text object that was written in is, read from the key its parent holds it at
    /// (one look at its parent, for texts only: every post-it move writes in a map): whether it
    /// is longer than its field's limit, and whether it is a post-it's author.
    fn text_written(&self, obj: &ObjId) -> Option<TextWritten> {
        if !matches!(self.doc.object_type(obj), Ok(ObjType::Text)) {
            return None;
        }
        let parent = self.doc.parents(obj).ok()?.next()?;
        let field = match parent.prop {
            automerge::Prop::Map(key) => key,
            automerge::Prop::Seq(_) => String::new(),
        };
        let limit = match field.as_str() {
            // A group's title is as short as a column's heading; the board's, longer.
            schema::TITLE if parent.obj != automerge::ROOT => MAX_HEADING_CHARS,
            schema::TITLE => MAX_TITLE_CHARS,
            schema::HEADING => MAX_HEADING_CHARS,
            schema::OWNER => MAX_OWNER_CHARS,
            schema::INSTRUCTIONS => MAX_INSTRUCTIONS_CHARS,
            _ => MAX_NOTE_TEXT_CHARS,
        };
        Some(TextWritten {
            too_long: self.doc.length(obj) > limit,
            author: field == schema::AUTHOR,
        })
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
