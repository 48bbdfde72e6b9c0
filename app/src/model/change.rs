//! What one person's edit changed, for undo and redo that never undo someone else's work.
//!
//! A [`Change`] is the difference between the board before and after a local edit: for each
//! post-it, column and the title, what it was and what it became. Undoing applies the inverse, one
//! field at a time, and only where the field still holds what the edit left there: a field someone
//! else has changed since is theirs now and stays as it is. The undo is a new change like any
//! other, so it syncs and merges as any edit does.

use std::collections::HashMap;

use super::{
    colour::Dot,
    document::Board,
    error::ModelError,
    view::{BoardView, ColumnView, NoteView},
};
use crate::ids::{ColumnId, NoteId};

/// What a local edit changed: `(before, after)` pairs, `None` where the thing did not exist.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Change {
    pub notes: Vec<(NoteId, Option<NoteView>, Option<NoteView>)>,
    pub columns: Vec<(ColumnId, Option<ColumnView>, Option<ColumnView>)>,
    pub title: Option<(String, String)>,
}

impl Change {
    /// The difference between two views of a board.
    pub fn between(before: &BoardView, after: &BoardView) -> Change {
        Change {
            notes: diff(&before.notes, &after.notes, |n| &n.id),
            columns: diff(&before.columns, &after.columns, |c| &c.id),
            title: (before.title != after.title)
                .then(|| (before.title.clone(), after.title.clone())),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.notes.is_empty() && self.columns.is_empty() && self.title.is_none()
    }

    /// The change that takes the board back.
    pub fn inverse(&self) -> Change {
        Change {
            notes: swap(&self.notes),
            columns: swap(&self.columns),
            title: self.title.clone().map(|(a, b)| (b, a)),
        }
    }

    /// Whether `later` typed on where this change typed (the same post-it's text, the same
    /// column heading, or the title, and nothing else), so that both undo as one step.
    pub fn continues_typing(&self, later: &Change) -> bool {
        let typed = self.typed_in();
        typed.is_some() && typed == later.typed_in()
    }

    /// Where this change typed, if typing is all it did.
    fn typed_in(&self) -> Option<Typed<'_>> {
        match (self.notes.as_slice(), self.columns.as_slice(), &self.title) {
            ([(id, Some(before), Some(after))], [], None) => {
                let same_but_text = NoteView {
                    text: after.text.clone(),
                    ..before.clone()
                } == *after;
                (same_but_text && before.text != after.text).then_some(Typed::Note(id))
            }
            ([], [(id, Some(before), Some(after))], None) => {
                (before.order == after.order).then_some(Typed::Heading(id))
            }
            ([], [], Some(_)) => Some(Typed::Title),
            _ => None,
        }
    }

    /// This change followed by `later`, as one.
    pub fn then(mut self, later: Change) -> Change {
        for (id, _, after) in later.notes {
            match self.notes.iter_mut().find(|(n, _, _)| *n == id) {
                Some(entry) => entry.2 = after,
                None => self.notes.push((id, None, after)),
            }
        }
        for (id, _, after) in later.columns {
            match self.columns.iter_mut().find(|(c, _, _)| *c == id) {
                Some(entry) => entry.2 = after,
                None => self.columns.push((id, None, after)),
            }
        }
        if let Some((_, after)) = later.title {
            let before = self.title.take().map(|(b, _)| b).unwrap_or_default();
            self.title = Some((before, after));
        }
        self
    }
}

/// Where a change typed.
#[derive(Debug, PartialEq)]
enum Typed<'a> {
    Note(&'a NoteId),
    Heading(&'a ColumnId),
    Title,
}

fn diff<T: Clone + PartialEq, K: Clone + Eq + std::hash::Hash>(
    before: &[T],
    after: &[T],
    key: impl Fn(&T) -> &K,
) -> Vec<(K, Option<T>, Option<T>)> {
    let before_by_key: HashMap<&K, &T> = before.iter().map(|t| (key(t), t)).collect();
    let after_by_key: HashMap<&K, &T> = after.iter().map(|t| (key(t), t)).collect();
    let mut changes = Vec::new();
    for item in after {
        match before_by_key.get(key(item)) {
            Some(old) if *old == item => {}
            old => changes.push((
                key(item).clone(),
                old.map(|o| (*o).clone()),
                Some(item.clone()),
            )),
        }
    }
    for item in before {
        if !after_by_key.contains_key(key(item)) {
            changes.push((key(item).clone(), Some(item.clone()), None));
        }
    }
    changes
}

fn swap<K: Clone, T: Clone>(
    changes: &[(K, Option<T>, Option<T>)],
) -> Vec<(K, Option<T>, Option<T>)> {
    changes
        .iter()
        .map(|(k, a, b)| (k.clone(), b.clone(), a.clone()))
        .collect()
}

impl Board {
    /// Applies a change where the board still holds what the change starts from, field by field,
    /// and returns whether anything was applied. Columns put back go first (post-its put back
    /// into them find them), columns removed go last (their post-its are removed as they were).
    pub fn apply(&mut self, change: &Change) -> Result<bool, ModelError> {
        // The board is read once per phase, not once per post-it: each step only touches its
        // own post-it or column, which no later step of the phase reads again.
        let mut applied = false;
        let (created, other_columns): (Vec<_>, Vec<_>) = change
            .columns
            .iter()
            .partition(|(_, from, _)| from.is_none());
        if !created.is_empty() {
            let board = self.view();
            for (id, from, to) in created {
                applied |= self.apply_column(id, board.column(id), from.as_ref(), to.as_ref())?;
            }
        }
        if let Some((from, to)) = &change.title {
            if self.title() == *from {
                self.set_title(to)?;
                applied = true;
            }
        }
        if !change.notes.is_empty() {
            let board = self.view();
            for (id, from, to) in &change.notes {
                applied |= self.apply_note(&board, id, from.as_ref(), to.as_ref())?;
            }
        }
        if !other_columns.is_empty() {
            let board = self.view();
            for (id, from, to) in other_columns {
                applied |= self.apply_column(id, board.column(id), from.as_ref(), to.as_ref())?;
            }
        }
        Ok(applied)
    }

    fn apply_note(
        &mut self,
        board: &BoardView,
        id: &NoteId,
        from: Option<&NoteView>,
        to: Option<&NoteView>,
    ) -> Result<bool, ModelError> {
        let current = board.note(id);
        match (from, to, current) {
            // Created by the change (put back by an undo of a deletion): unless already there.
            (None, Some(to), None) => {
                self.put_note(to)?;
                Ok(true)
            }
            // Deleted by the change: only if nobody touched it since.
            (Some(from), None, Some(current)) if current == from => {
                self.delete_note(id)?;
                Ok(true)
            }
            (Some(from), Some(to), Some(current)) => {
                self.apply_note_fields(board, current, from, to)
            }
            _ => Ok(false),
        }
    }

    /// Sets each field of a post-it that still holds `from`'s value to `to`'s.
    fn apply_note_fields(
        &mut self,
        board: &BoardView,
        current: &NoteView,
        from: &NoteView,
        to: &NoteView,
    ) -> Result<bool, ModelError> {
        let id = &current.id;
        let mut applied = false;
        if current.text == from.text && from.text != to.text {
            self.set_note_text(id, &to.text)?;
            applied = true;
        }
        let place = |n: &NoteView| (n.x, n.y, n.column.clone());
        if place(current) == place(from) && place(from) != place(to) {
            // Where `to` was on the canvas, in the columns as they are now.
            let left = to
                .column
                .as_ref()
                .and_then(|c| board.column_left(c))
                .unwrap_or(0.0);
            self.move_note(id, left + to.x, to.y)?;
            applied = true;
        }
        if (current.w, current.h) == (from.w, from.h) && (from.w, from.h) != (to.w, to.h) {
            self.resize_note(id, to.w, to.h)?;
            applied = true;
        }
        if current.colour == from.colour && from.colour != to.colour {
            self.set_note_colour(id, to.colour)?;
            applied = true;
        }
        if current.z == from.z && from.z != to.z {
            self.set_note_z(id, to.z)?;
            applied = true;
        }
        for dot in Dot::ALL {
            // Dots are counters: take back exactly what this change added, whatever others
            // added since.
            let by = to.dots(dot) - from.dots(dot);
            if by != 0 {
                self.add_dots(id, dot, by)?;
                applied = true;
            }
        }
        Ok(applied)
    }

    fn apply_column(
        &mut self,
        id: &ColumnId,
        current: Option<&ColumnView>,
        from: Option<&ColumnView>,
        to: Option<&ColumnView>,
    ) -> Result<bool, ModelError> {
        match (from, to, current) {
            (None, Some(to), None) => {
                self.put_column(to)?;
                Ok(true)
            }
            (Some(from), None, Some(current)) if current == from => {
                self.remove_column(id)?;
                Ok(true)
            }
            (Some(from), Some(to), Some(current)) => {
                let mut applied = false;
                if current.heading == from.heading && from.heading != to.heading {
                    self.set_column_heading(id, &to.heading)?;
                    applied = true;
                }
                if current.order == from.order && from.order != to.order {
                    self.set_column_order(id, to.order)?;
                    applied = true;
                }
                Ok(applied)
            }
            _ => Ok(false),
        }
    }
}
