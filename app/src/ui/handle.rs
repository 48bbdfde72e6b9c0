//! What the board page's components share: the board as last seen, the connection, the people,
//! the selection, the viewport, and the page's own undo history.

use std::collections::HashMap;

use leptos::prelude::*;

use super::viewport::Viewport;
use crate::{
    ids::{BoardId, NoteId, PeerId},
    model::{Board, BoardView, Change, Colour, ModelError, NewNote, NOTE_SIZE},
    protocol::{Presence, MAX_NAME_CHARS},
};

/// Consecutive typing in one post-it within this long undoes as one step.
const TYPING_MERGE_MS: f64 = 1_500.0;
/// Most steps kept for undo.
const MAX_UNDO_STEPS: usize = 200;
/// Colours given to people (one picked at random on a first visit and remembered).
pub const PERSON_COLOURS: [&str; 8] = [
    "#d32f2f", "#1976d2", "#388e3c", "#7b1fa2", "#f57c00", "#0097a7", "#c2185b", "#5d4037",
];

/// The state of the link with the server, as shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Connected,
    Reconnecting,
    /// The browser has no network: edits are kept in the browser and sent when it comes back.
    Offline,
    /// Connected, but the server cannot store changes right now (it retries): edits are kept in
    /// the browser, and the server relays nothing it has not stored.
    NotSaving,
    /// The board does not exist (any more).
    Unavailable,
}

/// Another person on the board, as their last presence message said.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub peer: PeerId,
    pub presence: Presence,
}

/// A drag of one or more post-its: the pointer, where it started, and where each post-it
/// started. It changes only when a drag starts or ends; how far the pointer went is
/// [`BoardHandle::drag_delta`], read only by the post-its being dragged.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupDrag {
    pub pointer: i32,
    pub from_client: (f64, f64),
    pub origins: HashMap<NoteId, (f64, f64)>,
}

/// The page's undo and redo stacks: its own edits only.
#[derive(Debug, Default)]
struct History {
    undo: Vec<(Change, f64)>,
    redo: Vec<Change>,
}

impl History {
    fn record(&mut self, change: Change, now: f64) {
        if change.is_empty() {
            return;
        }
        self.redo.clear();
        if let Some((last, at)) = self.undo.last_mut() {
            if now - *at < TYPING_MERGE_MS && last.continues_typing(&change) {
                *last = std::mem::take(last).then(change);
                *at = now;
                return;
            }
        }
        self.undo.push((change, now));
        if self.undo.len() > MAX_UNDO_STEPS {
            self.undo.remove(0);
        }
    }
}

/// What components use to read the board and edit it.
#[derive(Clone, Copy)]
pub struct BoardHandle {
    pub view: RwSignal<BoardView>,
    pub status: RwSignal<Connection>,
    /// The browser's own copy (IndexedDB) holds every edit made on this page.
    pub saved_locally: RwSignal<bool>,
    /// A post-it whose text field should take the focus (a newly added one).
    pub focus: RwSignal<Option<NoteId>>,
    pub selection: RwSignal<Vec<NoteId>>,
    pub people: RwSignal<Vec<Person>>,
    pub cursors: RwSignal<Vec<Person>>,
    /// This person's name and colour.
    pub me: RwSignal<(String, String)>,
    pub viewport: RwSignal<Viewport>,
    pub drag: RwSignal<Option<GroupDrag>>,
    /// How far the post-its being dragged have moved, in board units.
    pub drag_delta: RwSignal<(f64, f64)>,
    /// The space bar is held: any drag pans.
    pub space_held: RwSignal<bool>,
    /// Multi-select mode (for touch screens, which have no Shift): a tap on a post-it adds it
    /// to the selection or takes it out, a drag on empty space selects what it surrounds.
    pub selecting: RwSignal<bool>,
    pub can_undo: RwSignal<bool>,
    pub can_redo: RwSignal<bool>,
    history: StoredValue<History>,
    #[cfg(feature = "hydrate")]
    session: StoredValue<crate::browser::BrowserSession, LocalStorage>,
}

impl BoardHandle {
    pub fn start(id: BoardId, board: Board) -> Self {
        let view = RwSignal::new(board.view());
        let status = RwSignal::new(Connection::Connecting);
        let saved_locally = RwSignal::new(false);
        let people = RwSignal::new(Vec::new());
        let cursors = RwSignal::new(Vec::new());
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, board);
        Self {
            view,
            status,
            saved_locally,
            focus: RwSignal::new(None),
            selection: RwSignal::new(Vec::new()),
            people,
            cursors,
            me: RwSignal::new((String::new(), PERSON_COLOURS[0].to_owned())),
            viewport: RwSignal::new(Viewport::default()),
            drag: RwSignal::new(None),
            drag_delta: RwSignal::new((0.0, 0.0)),
            space_held: RwSignal::new(false),
            selecting: RwSignal::new(false),
            can_undo: RwSignal::new(false),
            can_redo: RwSignal::new(false),
            history: StoredValue::new(History::default()),
            #[cfg(feature = "hydrate")]
            session: StoredValue::new_local(crate::browser::BrowserSession::start(
                id,
                board,
                crate::browser::Signals {
                    view,
                    status,
                    saved_locally,
                    people,
                    cursors,
                },
            )),
        }
    }

    /// Applies an edit to the local document at once, sends it to the server, and records it
    /// for undo. Only the browser edits: a server-rendered page is never interacted with before
    /// it is hydrated. An edit that fails halfway keeps (and records) what it did before failing.
    pub fn edit<R>(&self, edit: impl FnOnce(&mut Board) -> Result<R, ModelError>) -> Option<R> {
        let (result, change) = self.edit_unrecorded(edit);
        self.history
            .update_value(|history| history.record(change, now_ms() as f64));
        self.history_changed();
        result.ok()
    }

    fn edit_unrecorded<R>(
        &self,
        edit: impl FnOnce(&mut Board) -> Result<R, ModelError>,
    ) -> (Result<R, ModelError>, Change) {
        #[cfg(feature = "hydrate")]
        {
            self.session.with_value(|session| session.edit(edit))
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = edit;
            (Err(ModelError::NoNotes), Change::default())
        }
    }

    fn history_changed(&self) {
        let (undo, redo) = self
            .history
            .with_value(|h| (!h.undo.is_empty(), !h.redo.is_empty()));
        self.can_undo.set(undo);
        self.can_redo.set(redo);
    }

    /// Takes back this page's last edit that can still be taken back: fields someone else has
    /// changed since are left as they are (see [`Change`]).
    pub fn undo(&self) {
        while let Some((change, _)) = self.history.try_update_value(|h| h.undo.pop()).flatten() {
            let (applied, _) = self.edit_unrecorded(|board| board.apply(&change.inverse()));
            match applied {
                // Nothing of it could be taken back (others changed it all): the one before.
                Ok(false) => continue,
                // Taken back, or partly before an error: one step per press either way.
                Ok(true) | Err(_) => {
                    self.history.update_value(|h| h.redo.push(change));
                    break;
                }
            }
        }
        self.history_changed();
    }

    pub fn redo(&self) {
        while let Some(change) = self.history.try_update_value(|h| h.redo.pop()).flatten() {
            let (applied, _) = self.edit_unrecorded(|board| board.apply(&change));
            match applied {
                Ok(false) => continue,
                Ok(true) | Err(_) => {
                    self.history
                        .update_value(|h| h.undo.push((change, f64::NEG_INFINITY)));
                    break;
                }
            }
        }
        self.history_changed();
    }

    /// Changes what this page shows the others (cursor, post-it being typed in or dragged).
    pub fn set_presence(&self, update: impl FnOnce(&mut Presence)) {
        #[cfg(feature = "hydrate")]
        self.session
            .with_value(|session| session.set_presence(update));
        #[cfg(not(feature = "hydrate"))]
        let _ = update;
    }

    /// This person's name as others see it, or `None` if they gave none.
    pub fn my_name(&self) -> Option<String> {
        let name = self.me.with_untracked(|(name, _)| name.trim().to_owned());
        (!name.is_empty()).then_some(name)
    }

    /// Sets this person's name (remembered in the browser) and colour.
    pub fn set_me(&self, name: &str, colour: &str) {
        let name: String = name.chars().take(MAX_NAME_CHARS).collect();
        self.me.set((name.clone(), colour.to_owned()));
        let colour = colour.to_owned();
        self.set_presence(move |p| {
            p.name = name;
            p.colour = colour;
        });
    }

    /// Adds a post-it at a place on the canvas, selects it and gives it the focus.
    pub fn add_note(&self, x: f64, y: f64) {
        let note = NewNote {
            text: String::new(),
            x,
            y,
            colour: Colour::default(),
            author: self.my_name(),
            created_at: now_ms(),
        };
        if let Some(id) = self.edit(|board| board.add_note(note)) {
            self.selection.set(vec![id.clone()]);
            self.focus.set(Some(id));
        }
    }

    /// Adds a post-it in the middle of what the page shows (of a board area `size` big), moved
    /// aside from a post-it already there.
    pub fn add_note_in_view(&self, size: (f64, f64)) {
        let viewport = self.viewport.get_untracked();
        let (cx, cy) = viewport.to_board((size.0 / 2.0, size.1 / 2.0));
        let (mut x, mut y) = (cx - NOTE_SIZE / 2.0, cy - NOTE_SIZE / 2.0);
        self.view.with_untracked(|board| {
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
        (ev.shift_key() || self.selecting.get_untracked()) && !self.space_held.get_untracked()
    }

    /// The selected post-its, or this one if it is not among them.
    pub fn targets(&self, id: &NoteId) -> Vec<NoteId> {
        let selection = self.selection.get_untracked();
        if selection.contains(id) {
            selection
        } else {
            vec![id.clone()]
        }
    }

    /// Deletes post-its (those someone else has not deleted already), in one step.
    pub fn delete_notes(&self, ids: &[NoteId]) {
        self.edit(|board| {
            for id in ids {
                skip_missing(board.delete_note(id))?;
            }
            Ok(())
        });
        self.selection.update(|s| s.retain(|id| !ids.contains(id)));
    }

    /// Duplicates post-its and selects the copies, in one step.
    pub fn duplicate_notes(&self, ids: &[NoteId]) {
        let author = self.my_name();
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
            self.selection.set(copies);
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
            .view
            .with_untracked(|board| board.note(id).map(|n| (n.w, n.h)));
        if let Some((w, h)) = size {
            self.edit(|board| board.resize_note(id, w + dw, h + dh));
        }
    }

    /// Starts dragging post-its from a pointer press.
    pub fn start_drag(&self, ev: &leptos::ev::PointerEvent, ids: &[NoteId]) {
        let origins = self
            .view
            .with_untracked(|board| board.positions(ids))
            .into_iter()
            .collect();
        self.drag_delta.set((0.0, 0.0));
        self.drag.set(Some(GroupDrag {
            pointer: ev.pointer_id(),
            from_client: (f64::from(ev.client_x()), f64::from(ev.client_y())),
            origins,
        }));
    }

    /// Ends a drag: drops the post-its where they are (`keep`), or puts them back.
    /// Only the drag of that pointer ends.
    pub fn end_drag(&self, pointer: i32, keep: bool) {
        let Some(drag) = self.drag.get_untracked().filter(|d| d.pointer == pointer) else {
            return;
        };
        let (dx, dy) = self.drag_delta.get_untracked();
        if keep && (dx, dy) != (0.0, 0.0) {
            let places: Vec<_> = drag
                .origins
                .iter()
                .map(|(id, (x, y))| (id.clone(), (x + dx, y + dy)))
                .collect();
            self.move_notes_to(&places);
        }
        self.drag.set(None);
        self.set_presence(|p| p.dragging = None);
    }
}

/// A post-it someone else deleted meanwhile is skipped, not an error.
fn skip_missing(result: Result<(), ModelError>) -> Result<(), ModelError> {
    match result {
        Err(ModelError::NoSuchNote(_)) => Ok(()),
        other => other,
    }
}

/// How many times a new post-it is moved aside from one already in its place.
const NEW_NOTE_NUDGES: usize = 20;
/// How far aside.
const NEW_NOTE_NUDGE: f64 = 24.0;

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
