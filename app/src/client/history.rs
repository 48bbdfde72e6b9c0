//! The page's undo and redo stacks: its own edits only. What each step takes back, and why that
//! never takes back someone else's work, is [`Change`]'s business; this keeps the steps.

use crate::model::Change;

/// Consecutive typing in one place within this long undoes as one step.
pub const TYPING_MERGE_MS: f64 = 1_500.0;
/// Most steps kept for undo.
pub const MAX_UNDO_STEPS: usize = 200;

/// The steps this page can undo and redo.
#[derive(Debug, Default)]
pub struct History {
    /// Each step with when it was last extended (milliseconds on the page's clock).
    undo: Vec<(Change, f64)>,
    redo: Vec<Change>,
}

impl History {
    /// Records a local edit made at `now`. Typing that continues the last step's typing within
    /// [`TYPING_MERGE_MS`] extends it; any new step clears what could be redone.
    pub fn record(&mut self, change: Change, now: f64) {
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

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Takes back steps, last first, until `apply` (given the change that takes a step back)
    /// says it took something back (`Ok(true)`) or failed (`Err`: one step either way). Steps
    /// others have entirely overwritten since are dropped on the way.
    pub fn undo<E>(&mut self, mut apply: impl FnMut(&Change) -> Result<bool, E>) {
        while let Some((change, _)) = self.undo.pop() {
            if matches!(apply(&change.inverse()), Ok(false)) {
                continue;
            }
            self.redo.push(change);
            return;
        }
    }

    /// Does again the last step undone, likewise.
    pub fn redo<E>(&mut self, mut apply: impl FnMut(&Change) -> Result<bool, E>) {
        while let Some(change) = self.redo.pop() {
            if matches!(apply(&change), Ok(false)) {
                continue;
            }
            // Never merged with the typing that follows.
            self.undo.push((change, f64::NEG_INFINITY));
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Board, NewNote};

    /// A board, and what each edit of it changed.
    fn edited(board: &mut Board, edit: impl FnOnce(&mut Board)) -> Change {
        let before = board.view();
        edit(board);
        Change::between(&before, &board.view())
    }

    #[test]
    fn typing_in_one_post_it_undoes_as_one_step_and_a_pause_starts_another() {
        let mut board = Board::new("Rétro").unwrap();
        let mut history = History::default();
        let mut id = None;
        let created = edited(&mut board, |b| {
            id = Some(b.add_note(NewNote::default()).unwrap())
        });
        let id = id.unwrap();
        history.record(created, 0.0);
        for (i, text) in ["B", "Bi", "Bie", "Bien"].into_iter().enumerate() {
            let typed = edited(&mut board, |b| b.set_note_text(&id, text).unwrap());
            history.record(typed, 100.0 * (i + 1) as f64);
        }
        let later = edited(&mut board, |b| b.set_note_text(&id, "Bien !").unwrap());
        history.record(later, 400.0 + TYPING_MERGE_MS);

        let mut undo = |history: &mut History| {
            history.undo(|change| board.apply(change));
            board.view().note(&id).map(|n| n.text.clone())
        };
        assert_eq!(
            undo(&mut history).as_deref(),
            Some("Bien"),
            "after the pause"
        );
        assert_eq!(
            undo(&mut history).as_deref(),
            Some(""),
            "the typing at once"
        );
        assert_eq!(undo(&mut history), None, "then the creation");
        assert!(!history.can_undo() && history.can_redo());
    }

    #[test]
    fn steps_others_overwrote_are_skipped_and_a_new_edit_clears_redo() {
        let mut board = Board::new("Rétro").unwrap();
        let id = board.add_note(NewNote::default()).unwrap();
        let mut history = History::default();
        let moved = edited(&mut board, |b| b.move_note(&id, 50.0, 50.0).unwrap());
        history.record(moved, 0.0);
        let typed = edited(&mut board, |b| b.set_note_text(&id, "à moi").unwrap());
        history.record(typed, 10_000.0);
        // Someone else rewrote the text: that step has nothing left to take back.
        board.set_note_text(&id, "à Bob").unwrap();

        history.undo(|change| board.apply(change));
        let note = board.view().note(&id).cloned().unwrap();
        assert_eq!(note.text, "à Bob", "Bob's text stays");
        assert_eq!(
            (note.x, note.y),
            (0.0, 0.0),
            "the move before was taken back"
        );

        history.redo(|change| board.apply(change));
        assert_eq!(board.view().note(&id).unwrap().x, 50.0);
        assert!(history.can_undo());
        history.undo(|change| board.apply(change));
        assert!(history.can_redo());
        let recoloured = edited(&mut board, |b| {
            b.set_note_colour(&id, crate::model::Colour::Blue).unwrap()
        });
        history.record(recoloured, 20_000.0);
        assert!(!history.can_redo());
    }

    #[test]
    fn at_most_so_many_steps_are_kept() {
        let mut board = Board::new("Rétro").unwrap();
        let id = board.add_note(NewNote::default()).unwrap();
        let mut history = History::default();
        for i in 0..MAX_UNDO_STEPS + 5 {
            let moved = edited(&mut board, |b| {
                b.move_note(&id, i as f64 + 1.0, 0.0).unwrap()
            });
            history.record(moved, (i as f64) * 10_000.0);
        }
        let mut undone = 0;
        while history.can_undo() {
            history.undo(|change| board.apply(change));
            undone += 1;
        }
        assert_eq!(undone, MAX_UNDO_STEPS);
        assert_eq!(board.view().note(&id).unwrap().x, 5.0);
    }
}
