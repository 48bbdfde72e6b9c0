//! Which post-its this page has selected, whether taps select (multi-select mode), and which
//! post-it's text should take the focus next.

use leptos::prelude::*;

use crate::{ids::NoteId, model::BoardView};

/// The selection context.
#[derive(Clone, Copy)]
pub struct Selection {
    pub ids: RwSignal<Vec<NoteId>>,
    /// Multi-select mode (for touch screens, which have no Shift): a tap on a post-it adds it
    /// to the selection or takes it out, a drag on empty space selects what it surrounds.
    pub mode: RwSignal<bool>,
    /// A post-it whose text field should take the focus (a newly added one).
    pub focus: RwSignal<Option<NoteId>>,
}

impl Selection {
    pub fn new() -> Self {
        Selection {
            ids: RwSignal::new(Vec::new()),
            mode: RwSignal::new(false),
            focus: RwSignal::new(None),
        }
    }

    /// The selected post-its, or this one if it is not among them.
    pub fn targets(&self, id: &NoteId) -> Vec<NoteId> {
        let selection = self.ids.get_untracked();
        if selection.contains(id) {
            selection
        } else {
            vec![id.clone()]
        }
    }

    pub fn toggle(&self, id: &NoteId) {
        self.ids.update(|s| {
            if let Some(i) = s.iter().position(|n| n == id) {
                s.remove(i);
            } else {
                s.push(id.clone());
            }
        });
    }

    pub fn clear(&self) {
        self.ids.set(Vec::new());
    }

    /// Adds post-its to the selection (those not in it yet).
    pub fn extend(&self, ids: Vec<NoteId>) {
        self.ids.update(|selection| {
            for id in ids {
                if !selection.contains(&id) {
                    selection.push(id);
                }
            }
        });
    }

    /// Forgets the post-its that are not on the board any more (someone else deleted them).
    pub fn keep_existing(&self, board: &BoardView) {
        let gone = self
            .ids
            .with_untracked(|s| s.iter().any(|id| board.note(id).is_none()));
        if gone {
            self.ids.update(|s| s.retain(|id| board.note(id).is_some()));
        }
    }
}

impl Default for Selection {
    fn default() -> Self {
        Self::new()
    }
}
