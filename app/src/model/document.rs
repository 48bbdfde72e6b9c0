//! The board document itself: created, loaded and saved, synced with a peer, read whole (now or
//! at given heads), its title, and its structure repaired when a client broke it. Edits of
//! post-its and columns are in `notes.rs` and `columns.rs`.

use automerge::{
    sync::{self, SyncDoc},
    transaction::Transactable,
    AutoCommit, ChangeHash, LoadOptions, ObjType, OnPartialLoad, ROOT,
};

use super::{
    error::ModelError,
    limits::{clip, MAX_TITLE_CHARS},
    read, schema,
    view::BoardView,
};

/// A board document with typed reads and edits.
#[derive(Debug, Clone)]
pub struct Board {
    /// Read and written by this module's files only.
    pub(super) doc: AutoCommit,
}

impl Board {
    /// A new board document with the given title and no post-its.
    pub fn new(title: &str) -> Result<Self, ModelError> {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, schema::SCHEMA, schema::SCHEMA_VERSION)?;
        let title_obj = doc.put_object(ROOT, schema::TITLE, ObjType::Text)?;
        doc.splice_text(&title_obj, 0, 0, &clip(title, MAX_TITLE_CHARS))?;
        doc.put_object(ROOT, schema::NOTES, ObjType::Map)?;
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

    /// A copy of this document that writes as another actor (another person's replica).
    pub fn fork(&mut self) -> Board {
        Board {
            doc: self.doc.fork(),
        }
    }

    /// A copy of the document as it was at `heads`, with the history up to there (it replays
    /// the history: for one export, not for moving through it, see [`Board::view_at`]).
    pub fn fork_at(&mut self, heads: &[ChangeHash]) -> Result<Board, ModelError> {
        Ok(Board {
            doc: self.doc.fork_at(heads)?,
        })
    }

    /// The whole document, compacted.
    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }

    /// The changes made or received since the last call (or since the load): what to append to
    /// a stored change log.
    pub fn save_incremental(&mut self) -> Vec<u8> {
        self.doc.save_incremental()
    }

    /// The changes since `heads`, in the format of [`Board::save_incremental`].
    pub fn save_after(&mut self, heads: &[ChangeHash]) -> Vec<u8> {
        self.doc.save_after(heads)
    }

    /// Adds changes (saved documents or incremental saves) to this document; returns how many
    /// operations were applied. Changes whose dependencies are missing wait for them.
    pub fn load_incremental(&mut self, bytes: &[u8]) -> Result<usize, ModelError> {
        Ok(self.doc.load_incremental(bytes)?)
    }

    /// Merges another replica's changes into this one.
    pub fn merge(&mut self, other: &mut Board) -> Result<(), ModelError> {
        self.doc.merge(&mut other.doc)?;
        Ok(())
    }

    /// The document's current version: the hashes of the changes nothing else depends on.
    pub fn heads(&mut self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    /// Of `heads`, those this document lacks, and the changes it lacks that changes it holds
    /// depend on (with `heads` empty: what received changes are waiting for).
    pub fn missing_deps(&mut self, heads: &[ChangeHash]) -> Vec<ChangeHash> {
        self.doc.get_missing_deps(heads)
    }

    /// Applies a peer's sync message; its changes become part of the document.
    pub fn receive_sync_message(
        &mut self,
        state: &mut sync::State,
        message: sync::Message,
    ) -> Result<(), ModelError> {
        self.doc.sync().receive_sync_message(state, message)?;
        Ok(())
    }

    /// The next sync message for a peer in `state`, if it is missing anything or has not been
    /// told what this document holds.
    pub fn generate_sync_message(&mut self, state: &mut sync::State) -> Option<sync::Message> {
        self.doc.sync().generate_sync_message(state)
    }

    /// Whether the document has received the board's structure yet.
    pub fn is_initialised(&self) -> bool {
        read::notes_obj(self.reader()).is_some()
    }

    pub fn view(&self) -> BoardView {
        read::board(self.reader())
    }

    /// The board as it was at `heads` (a version this document holds), read without copying
    /// the document: for history.
    pub fn view_at(&self, heads: &[ChangeHash]) -> BoardView {
        read::board(read::At {
            doc: &self.doc,
            heads,
        })
    }

    /// The board's title alone (what [`Board::view`] says, without reading every post-it).
    pub fn title(&self) -> String {
        read::title(self.reader())
    }

    pub(super) fn reader(&self) -> read::Now<'_> {
        read::Now(&self.doc)
    }

    /// Puts back the structure every client needs when a change broke it (`notes` replaced by
    /// something that is not a map, `title` by something that is not text): a new empty `notes`
    /// map, an empty title. What the broken change replaced stays in the document's history.
    /// Returns the fields repaired.
    pub fn repair_schema(&mut self) -> Result<Vec<&'static str>, ModelError> {
        let mut repaired = Vec::new();
        if read::notes_obj(self.reader()).is_none() {
            self.doc.put_object(ROOT, schema::NOTES, ObjType::Map)?;
            repaired.push(schema::NOTES);
        }
        let title_ok = read::text_obj(self.reader(), &ROOT, schema::TITLE).is_some()
            || read::is_scalar_string(self.reader(), &ROOT, schema::TITLE);
        if !title_ok {
            self.doc.put_object(ROOT, schema::TITLE, ObjType::Text)?;
            repaired.push(schema::TITLE);
        }
        Ok(repaired)
    }

    pub fn set_title(&mut self, title: &str) -> Result<(), ModelError> {
        self.set_text(&ROOT, schema::TITLE, &clip(title, MAX_TITLE_CHARS))
    }

    /// Replaces a text field, as a diff so that concurrent typing merges (making it a Text if it
    /// is missing or a plain string).
    pub(super) fn set_text(
        &mut self,
        obj: &automerge::ObjId,
        key: &str,
        text: &str,
    ) -> Result<(), ModelError> {
        match read::text_obj(self.reader(), obj, key) {
            Some(text_obj) => self.doc.update_text(&text_obj, text)?,
            None => {
                let text_obj = self.doc.put_object(obj, key, ObjType::Text)?;
                self.doc.splice_text(&text_obj, 0, 0, text)?;
            }
        }
        Ok(())
    }
}
