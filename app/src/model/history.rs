//! The board's history: who changed what, and when, read from the document itself.
//!
//! Every Automerge change carries a time and a message. Ardoise signs each change it makes
//! ([`Board::sign`]): the time (seconds since the Unix epoch, as Automerge's JavaScript library
//! writes it) and a JSON message, `{"author": "<display name>"}` for a person (no `author` on an
//! anonymous board, or from someone who gave no name), `{"by": "ardoise"}` for what the server
//! writes itself (vote results, revealed post-its), and `"restored": <time>` when the change puts
//! back the board or a post-it as it was at that time. Changes written before signatures (or by
//! other clients) have time 0 and no message: their author is unknown.
//!
//! [`History`] lists the changes in causal order (a change after those it depends on), each with
//! the heads of the board as it stood once that change was made: the first `n` changes of the
//! list are always a version some peer could have held, concurrent changes included, so the
//! board "at point `n`" is [`Board::view_at`] those heads. [`History::bursts`] groups the list by
//! person and by burst of activity, as people look for a moment ("Alice, 10:02–10:05").
//!
//! Restoring ([`Board::restore_note`], [`Board::restore_board`]) writes the old state as a new
//! change: history is never rewritten, everyone receives it, and undo takes it back.

use automerge::ChangeHash;
use serde::{Deserialize, Serialize};

use super::{
    change::Change,
    document::Board,
    error::ModelError,
    read,
    view::{BoardView, NoteView},
};
use crate::{ephemeral::MAX_NAME_CHARS, ids::NoteId};

/// Changes of one person further apart than this are in two bursts.
pub const BURST_GAP_SECS: i64 = 5 * 60;

/// Longest change message the server accepts, in bytes (Ardoise's are under 200).
pub const MAX_MESSAGE_BYTES: usize = 1_000;

/// What the server writes as its changes' `by`.
const BY_SERVER: &str = "ardoise";

/// Who made a change and when: what [`Board::sign`] writes into it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signature {
    /// The person's display name, if they gave one and the board is not anonymous.
    pub author: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub time_ms: i64,
    /// Written by the server itself.
    pub by_server: bool,
    /// The change puts back what was there at this time (seconds since the Unix epoch).
    pub restored: Option<i64>,
}

impl Signature {
    pub fn person(author: Option<String>, time_ms: i64) -> Self {
        Self {
            author: author.filter(|a| !a.trim().is_empty()),
            time_ms,
            ..Self::default()
        }
    }

    pub fn server(time_ms: i64) -> Self {
        Self {
            time_ms,
            by_server: true,
            ..Self::default()
        }
    }

    pub fn restoring(mut self, time_secs: i64) -> Self {
        self.restored = Some(time_secs);
        self
    }

    fn message(&self) -> String {
        let message = Message {
            author: self.author.as_deref().map(clip_name),
            by: self.by_server.then(|| BY_SERVER.to_owned()),
            restored: self.restored,
        };
        serde_json::to_string(&message).unwrap_or_default()
    }
}

/// A change's message, as Ardoise writes it.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Message {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    restored: Option<i64>,
}

impl Message {
    /// A message as any client may have written it: Ardoise's JSON, or anything else (then it
    /// says nothing Ardoise can show).
    fn parse(message: Option<&str>) -> Message {
        message
            .filter(|m| m.len() <= MAX_MESSAGE_BYTES)
            .and_then(|m| serde_json::from_str(m).ok())
            .unwrap_or_default()
    }
}

fn clip_name(name: &str) -> String {
    name.trim().chars().take(MAX_NAME_CHARS).collect()
}

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "lowercase")]
pub enum Author {
    Person(String),
    /// Ardoise's server (vote results, revealed post-its).
    Server,
    /// Before signatures, from another client, or from someone who gave no name.
    Unknown,
}

/// One change of the board's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Version {
    /// The change's hash, hexadecimal.
    pub hash: String,
    /// The replica (browser tab, server) that made it, hexadecimal.
    pub actor: String,
    pub author: Author,
    /// When it was made, by its writer's clock: seconds since the Unix epoch, 0 when unknown.
    pub time: i64,
    /// It put back what was there at this time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restored: Option<i64>,
    /// The board's heads once this change was made, with every change before it in the list.
    #[serde(skip)]
    pub heads: Vec<ChangeHash>,
}

/// A run of changes by one author, each within [`BURST_GAP_SECS`] of the one before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Burst {
    pub author: Author,
    /// Index in [`History::versions`] of its first and last change.
    pub first: usize,
    pub last: usize,
    /// Times of its first and last change (seconds, 0 when unknown).
    pub from: i64,
    pub to: i64,
}

/// The board's changes in causal order.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct History {
    pub versions: Vec<Version>,
}

impl History {
    pub fn len(&self) -> usize {
        self.versions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.versions.is_empty()
    }

    /// The heads of the board once the change at `index` was made (clamped to the last).
    pub fn heads(&self, index: usize) -> &[ChangeHash] {
        match self.versions.get(index).or(self.versions.last()) {
            Some(version) => &version.heads,
            None => &[],
        }
    }

    /// The last version made at or before `time_secs` (by its writer's clock), if any.
    pub fn at_time(&self, time_secs: i64) -> Option<usize> {
        self.versions
            .iter()
            .rposition(|v| v.time != 0 && v.time <= time_secs)
    }

    /// The changes grouped by author and burst of activity, in the history's order. A change
    /// of someone else, or a pause longer than [`BURST_GAP_SECS`], starts a new burst.
    pub fn bursts(&self) -> Vec<Burst> {
        let mut bursts: Vec<Burst> = Vec::new();
        for (i, version) in self.versions.iter().enumerate() {
            match bursts.last_mut() {
                Some(burst)
                    if burst.author == version.author
                        && (version.time - burst.to).abs() <= BURST_GAP_SECS =>
                {
                    burst.last = i;
                    burst.to = burst.to.max(version.time);
                }
                _ => bursts.push(Burst {
                    author: version.author.clone(),
                    first: i,
                    last: i,
                    from: version.time,
                    to: version.time,
                }),
            }
        }
        bursts
    }
}

/// One version of a post-it in its own history: the change that made it so, and what it was
/// then (`None`: deleted).
#[derive(Debug, Clone, PartialEq)]
pub struct NoteVersion {
    pub index: usize,
    pub note: Option<NoteView>,
}

impl Board {
    /// Closes the edit under way as one change signed with who made it and when; returns its
    /// hash, or `None` if the edit changed nothing.
    pub fn sign(&mut self, signature: &Signature) -> Option<ChangeHash> {
        let options = automerge::transaction::CommitOptions::default()
            .with_message(signature.message())
            .with_time(signature.time_ms.div_euclid(1000));
        self.doc.commit_with(options)
    }

    /// The board's history, from the change metadata alone (no change is decoded).
    pub fn history(&mut self) -> History {
        let mut heads: Vec<ChangeHash> = Vec::new();
        let versions = self
            .doc
            .get_changes_meta(&[])
            .into_iter()
            .map(|meta| {
                heads.retain(|h| !meta.deps.contains(h));
                heads.push(meta.hash);
                let message = Message::parse(meta.message.as_deref());
                let author = match (message.author, message.by.as_deref()) {
                    (Some(name), _) if !name.trim().is_empty() => Author::Person(clip_name(&name)),
                    (_, Some(BY_SERVER)) => Author::Server,
                    _ => Author::Unknown,
                };
                Version {
                    hash: meta.hash.to_string(),
                    actor: meta.actor.to_hex_string(),
                    author,
                    time: meta.timestamp.max(0),
                    restored: message.restored,
                    heads: heads.clone(),
                }
            })
            .collect();
        History { versions }
    }

    /// One post-it as it was at `heads` (`None` if it did not exist then).
    pub fn note_at(&self, heads: &[ChangeHash], id: &NoteId) -> Option<NoteView> {
        read::one_note(
            read::At {
                doc: &self.doc,
                heads,
            },
            id,
        )
    }

    /// A post-it's own history: each version of the list where it differs from the one before
    /// (created, changed, deleted), with the change that made it so.
    pub fn note_history(&self, history: &History, id: &NoteId) -> Vec<NoteVersion> {
        let mut versions = Vec::new();
        let mut last: Option<NoteView> = None;
        for (index, version) in history.versions.iter().enumerate() {
            let note = self.note_at(&version.heads, id);
            if note != last {
                versions.push(NoteVersion {
                    index,
                    note: note.clone(),
                });
                last = note;
            }
        }
        versions
    }

    /// Puts a post-it back as it was (text, place, size, colour, stacking; not its dots, which
    /// are votes): brought back if it was deleted since. One change; returns whether it
    /// changed anything.
    pub fn restore_note(&mut self, past: &NoteView) -> Result<bool, ModelError> {
        let board = self.view();
        let current = board.note(&past.id).cloned();
        let mut to = past.clone();
        if let Some(current) = &current {
            to.dots = current.dots;
        }
        let change = Change {
            notes: vec![(past.id.clone(), current, Some(to))],
            ..Change::default()
        };
        self.apply(&change)
    }

    /// Puts the whole board back as it was at `heads`: its title, columns and post-its (those
    /// added since are removed, those deleted come back). One change; returns whether it
    /// changed anything.
    pub fn restore_board(&mut self, heads: &[ChangeHash]) -> Result<bool, ModelError> {
        let now = self.view();
        let then = self.view_at(heads);
        self.apply(&restoring(&now, &then))
    }
}

/// What takes `now` to `then`, field by field (dots are votes: they stay as they are).
fn restoring(now: &BoardView, then: &BoardView) -> Change {
    let mut change = Change::between(now, then);
    for (_, current, past) in &mut change.notes {
        if let (Some(current), Some(past)) = (current.as_ref(), past.as_mut()) {
            past.dots = current.dots;
        }
    }
    change
}

/// Whether a change's message carries a person's name (what an anonymous board refuses).
pub(super) fn message_names_someone(message: Option<&str>) -> bool {
    Message::parse(message)
        .author
        .is_some_and(|a| !a.trim().is_empty())
}

/// Whether a change's message is longer than Ardoise accepts.
pub(super) fn message_too_long(message: Option<&str>) -> bool {
    message.is_some_and(|m| m.len() > MAX_MESSAGE_BYTES)
}
