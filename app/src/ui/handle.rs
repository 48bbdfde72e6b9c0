//! What the board page's components share: six contexts (the document, the selection, the
//! interaction with the canvas, the undo history, voting, private post-its), and the page's actions that touch several
//! of them (adding a post-it selects it and gives it the focus; every edit is recorded for
//! undo).

use leptos::prelude::*;

use super::{
    document::BoardDoc, drafts::Drafts, interaction::Interaction, selection::Selection, undo::Undo,
    vote::Voting,
};
use crate::{
    access::Role,
    ids::{BoardId, NoteId},
    model::{Board, BoardView, Colour, ModelError, NewNote, NOTE_SIZE},
};

/// How many times a new post-it is moved aside from one already in its place.
const NEW_NOTE_NUDGES: usize = 20;
/// How far aside.
const NEW_NOTE_NUDGE: f64 = 24.0;

/// The board page's contexts, and its actions.
#[derive(Clone, Copy)]
pub struct BoardHandle {
    pub doc: BoardDoc,
    pub selection: Selection,
    pub interaction: Interaction,
    pub history: Undo,
    pub voting: Voting,
    pub drafts: Drafts,
}

impl BoardHandle {
    /// Starts the board's session and provides the page's contexts, as one Leptos context:
    /// every type provided as a context of its own costs the bundle its own context code, so
    /// components take the part they need from the handle (`handle.doc`, `handle.selection`…).
    pub fn provide(id: BoardId, board: Board, role: Role) -> Self {
        let handle = BoardHandle {
            voting: Voting::new(id.clone()),
            drafts: Drafts::new(id.clone()),
            doc: BoardDoc::start(id, board, role),
            selection: Selection::new(),
            interaction: Interaction::new(),
            history: Undo::new(),
        };
        provide_context(handle);
        handle
    }

    /// Applies an edit to the local document at once, sends it to the server, and records it
    /// for undo. An edit that fails halfway keeps (and records) what it did before failing.
    pub fn edit<R>(&self, edit: impl FnOnce(&mut Board) -> Result<R, ModelError>) -> Option<R> {
        let (result, change) = self.doc.edit(edit);
        self.history.record(change, now_ms() as f64);
        result.ok()
    }

    /// Puts back what the board held at `time_secs` (an edit of `restore`'s), signed as a
    /// restore, recorded for undo like any edit.
    pub fn restore(
        &self,
        time_secs: i64,
        restore: impl FnOnce(&mut Board) -> Result<bool, ModelError>,
    ) {
        let signature = self.doc.signature().restoring(time_secs);
        let (_, change) = self.doc.edit_signed(signature, restore);
        self.history.record(change, now_ms() as f64);
    }

    /// Takes back this page's last edit that can still be taken back: fields someone else has
    /// changed since are left as they are (see [`crate::model::Change`]).
    pub fn undo(&self) {
        let doc = self.doc;
        self.history
            .undo(|change| doc.edit(|board| board.apply(change)).0);
    }

    pub fn redo(&self) {
        let doc = self.doc;
        self.history
            .redo(|change| doc.edit(|board| board.apply(change)).0);
    }

    /// Adds a post-it at a place on the canvas, selects it and gives it the focus; a private
    /// one while writing is private.
    pub fn add_note(&self, x: f64, y: f64) {
        if self.writes_privately() {
            self.add_draft(x, y);
            return;
        }
        let note = NewNote {
            text: String::new(),
            x,
            y,
            colour: Colour::default(),
            author: self.doc.author_name(),
            created_at: now_ms(),
        };
        if let Some(id) = self.edit(|board| board.add_note(note)) {
            self.selection.ids.set(vec![id.clone()]);
            self.selection.focus.set(Some(id));
        }
    }

    /// Adds a post-it in the middle of what the page shows (of a board area `size` big), moved
    /// aside from a post-it already there.
    pub fn add_note_in_view(&self, size: (f64, f64)) {
        let viewport = self.interaction.viewport.get_untracked();
        let (cx, cy) = viewport.to_board((size.0 / 2.0, size.1 / 2.0));
        let (mut x, mut y) = (cx - NOTE_SIZE / 2.0, cy - NOTE_SIZE / 2.0);
        self.doc.view.with_untracked(|board| {
            for _ in 0..NEW_NOTE_NUDGES {
                let taken = board.notes.iter().any(|n| {
                    let (nx, ny) = board.position(n);
                    (nx - x).abs() < NEW_NOTE_NUDGE && (ny - y).abs() < NEW_NOTE_NUDGE
                });
                if !taken {
                    break;
                }
                x += NEW_NOTE_NUDGE;
                y += NEW_NOTE_NUDGE;
            }
        });
        self.add_note(x, y);
    }

    /// Whether a press adds to the selection (Shift held, or multi-select mode) rather than
    /// moving things.
    pub fn adds_to_selection(&self, ev: &leptos::ev::PointerEvent) -> bool {
        (ev.shift_key() || self.selection.mode.get_untracked())
            && !self.interaction.space_held.get_untracked()
    }

    /// Deletes post-its (those someone else has not deleted already), in one step.
    pub fn delete_notes(&self, ids: &[NoteId]) {
        self.edit(|board| {
            for id in ids {
                skip_missing(board.delete_note(id))?;
            }
            Ok(())
        });
        self.selection
            .ids
            .update(|s| s.retain(|id| !ids.contains(id)));
    }

    /// Duplicates post-its and selects the copies, in one step.
    pub fn duplicate_notes(&self, ids: &[NoteId]) {
        let author = self.doc.author_name();
        let copies = self.edit(|board| {
            let mut copies = Vec::new();
            for id in ids {
                match board.duplicate_note(id, author.clone(), now_ms()) {
                    Ok(copy) => copies.push(copy),
                    Err(error) => skip_missing(Err(error))?,
                }
            }
            Ok(copies)
        });
        if let Some(copies) = copies {
            self.selection.ids.set(copies);
        }
    }

    /// Moves post-its to places on the canvas, in one step.
    pub fn move_notes_to(&self, places: &[(NoteId, (f64, f64))]) {
        self.edit(|board| {
            for (id, (x, y)) in places {
                skip_missing(board.move_note(id, *x, *y))?;
            }
            Ok(())
        });
    }

    /// Moves post-its by a distance on the board, in one step.
    pub fn move_notes_by(&self, ids: &[NoteId], dx: f64, dy: f64) {
        let places: Vec<_> = self
            .doc
            .view
            .with_untracked(|board| board.positions(ids))
            .into_iter()
            .map(|(id, (x, y))| (id, (x + dx, y + dy)))
            .collect();
        self.move_notes_to(&places);
    }

    /// Resizes a post-it by a distance, from the keyboard.
    pub fn resize_note_by(&self, id: &NoteId, dw: f64, dh: f64) {
        let size = self
            .doc
            .view
            .with_untracked(|board| board.note(id).map(|n| (n.w, n.h)));
        if let Some((w, h)) = size {
            self.edit(|board| board.resize_note(id, w + dw, h + dh));
        }
    }

    /// What a drag that grabbed `id` moves: the selection (or `id` alone), with every post-it
    /// of their groups (a group moves as one).
    pub fn drag_targets(&self, id: &NoteId) -> Vec<NoteId> {
        let mut ids = self.selection.targets(id);
        self.doc.view.with_untracked(|board| {
            let groups: Vec<_> = ids
                .iter()
                .filter_map(|n| board.note(n)?.group.clone())
                .collect();
            for group in groups.iter().filter_map(|g| board.group(g)) {
                for note in &group.notes {
                    if !ids.contains(note) {
                        ids.push(note.clone());
                    }
                }
            }
        });
        ids
    }

    /// Starts dragging post-its from a pointer press, and tells the others.
    pub fn start_drag(&self, ev: &leptos::ev::PointerEvent, ids: &[NoteId], grabbed: &NoteId) {
        let origins = self
            .doc
            .view
            .with_untracked(|board| board.positions(ids))
            .into_iter()
            .collect();
        self.interaction.drag_delta.set((0.0, 0.0));
        self.interaction
            .drag
            .set(Some(super::interaction::GroupDrag {
                pointer: ev.pointer_id(),
                from_client: (f64::from(ev.client_x()), f64::from(ev.client_y())),
                origins,
            }));
        let dragging = grabbed.clone();
        self.doc.set_presence(move |p| p.dragging = Some(dragging));
    }

    /// Ends a drag: drops the post-its where they are (`keep`), or puts them back.
    /// Only the drag of that pointer ends.
    pub fn end_drag(&self, pointer: i32, keep: bool) {
        let Some(drag) = self
            .interaction
            .drag
            .get_untracked()
            .filter(|d| d.pointer == pointer)
        else {
            return;
        };
        let (dx, dy) = self.interaction.drag_delta.get_untracked();
        if keep && (dx, dy) != (0.0, 0.0) {
            let places: Vec<_> = drag
                .origins
                .iter()
                .map(|(id, (x, y))| (id.clone(), (x + dx, y + dy)))
                .collect();
            // One post-it dropped onto another joins it in a group.
            let onto = match places.as_slice() {
                [(id, at)] => self
                    .doc
                    .view
                    .with_untracked(|board| dropped_onto(board, id, *at)),
                _ => None,
            };
            self.edit(|board| {
                for (id, (x, y)) in &places {
                    skip_missing(board.move_note(id, *x, *y))?;
                }
                match (&onto, places.first()) {
                    (Some(target), Some((id, _))) => board.group_with(id, target).map(|_| ()),
                    _ => Ok(()),
                }
            });
        }
        self.interaction.drag.set(None);
        self.doc.set_presence(|p| p.dragging = None);
    }
}

/// The post-it under the middle of post-it `id` dropped at `at`, other than itself.
fn dropped_onto(board: &BoardView, id: &NoteId, at: (f64, f64)) -> Option<NoteId> {
    let note = board.note(id)?;
    let middle = (at.0 + note.w / 2.0, at.1 + note.h / 2.0);
    board
        .notes
        .iter()
        .filter(|n| &n.id != id)
        .filter(|n| {
            let (x, y) = board.position(n);
            (x..x + n.w).contains(&middle.0) && (y..y + n.h).contains(&middle.1)
        })
        .max_by_key(|n| n.z)
        .map(|n| n.id.clone())
}

/// A post-it someone else deleted meanwhile is skipped, not an error.
fn skip_missing(result: Result<(), ModelError>) -> Result<(), ModelError> {
    match result {
        Err(ModelError::NoSuchNote(_)) => Ok(()),
        other => other,
    }
}

pub fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0
    }
}
