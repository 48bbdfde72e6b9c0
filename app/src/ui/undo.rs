//! The page's undo and redo, as the toolbar shows them: the steps ([`History`]) and whether
//! there is anything to undo or redo.

use leptos::prelude::*;

use crate::{
    client::History,
    model::{Change, ModelError},
};

/// The history context.
#[derive(Clone, Copy)]
pub struct Undo {
    pub can_undo: RwSignal<bool>,
    pub can_redo: RwSignal<bool>,
    steps: StoredValue<History>,
}

impl Undo {
    pub fn new() -> Self {
        Undo {
            can_undo: RwSignal::new(false),
            can_redo: RwSignal::new(false),
            steps: StoredValue::new(History::default()),
        }
    }

    /// Records what a local edit made at `now` changed.
    pub fn record(&self, change: Change, now: f64) {
        self.steps.update_value(|h| h.record(change, now));
        self.changed();
    }

    /// Takes back the last step that can still be taken back, with `apply` (which applies a
    /// change to the document and says whether anything was applied).
    pub fn undo(&self, apply: impl FnMut(&Change) -> Result<bool, ModelError>) {
        self.with_steps(|steps| steps.undo(apply));
    }

    /// Does again the last step undone.
    pub fn redo(&self, apply: impl FnMut(&Change) -> Result<bool, ModelError>) {
        self.with_steps(|steps| steps.redo(apply));
    }

    /// Runs `go` on the steps, out of their store (so that `go` may edit the document, which
    /// records nothing meanwhile), then shows what can be undone and redone.
    fn with_steps(&self, go: impl FnOnce(&mut History)) {
        let mut steps = self
            .steps
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        go(&mut steps);
        self.steps.set_value(steps);
        self.changed();
    }

    fn changed(&self) {
        let (undo, redo) = self.steps.with_value(|h| (h.can_undo(), h.can_redo()));
        if self.can_undo.get_untracked() != undo {
            self.can_undo.set(undo);
        }
        if self.can_redo.get_untracked() != redo {
            self.can_redo.set(redo);
        }
    }
}

impl Default for Undo {
    fn default() -> Self {
        Self::new()
    }
}
