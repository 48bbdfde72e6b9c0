//! The map of boards open in memory, from board id to its task's mailbox. The registry owns it;
//! each board task holds a [`Slot`] to take itself out when it stops, and the cluster feed
//! delivers other servers' news through it.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
};

use app::ids::BoardId;
use tokio::sync::mpsc;

use super::mailbox::{BoardEvent, BoardSender};

/// The boards open in memory. Cheap to clone.
#[derive(Clone, Default)]
pub struct Directory {
    boards: Arc<Mutex<HashMap<BoardId, BoardSender>>>,
}

impl Directory {
    fn lock(&self) -> MutexGuard<'_, HashMap<BoardId, BoardSender>> {
        // A panic while holding this lock cannot leave the map inconsistent: keep serving.
        self.boards.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Number of boards open.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// The mailbox of an open board whose task still runs.
    pub fn get(&self, id: &BoardId) -> Option<BoardSender> {
        self.lock().get(id).filter(|s| !s.is_closed()).cloned()
    }

    pub fn contains(&self, id: &BoardId) -> bool {
        self.lock().contains_key(id)
    }

    /// Registers a new task's mailbox, unless another connection opened the board meanwhile:
    /// returns the mailbox to use, and whether it is the new one (whose task must then start).
    pub fn insert_or_get(&self, id: &BoardId, new: BoardSender) -> (BoardSender, bool) {
        let mut boards = self.lock();
        if let Some(open) = boards.get(id).filter(|s| !s.is_closed()) {
            return (open.clone(), false);
        }
        boards.insert(id.clone(), new.clone());
        (new, true)
    }

    /// The ids of every open board.
    pub fn ids(&self) -> Vec<BoardId> {
        self.lock().keys().cloned().collect()
    }

    /// Sends an event to a board if it is open, without waiting for a busy board.
    pub fn tell(&self, id: &BoardId, event: BoardEvent) {
        let Some(board) = self.lock().get(id).cloned() else {
            return;
        };
        if let Err(mpsc::error::TrySendError::Full(event)) = board.try_send(event) {
            tokio::spawn(async move { board.send(event).await });
        }
    }

    /// The slot of a board's task.
    pub fn slot(&self, id: &BoardId) -> Slot {
        Slot {
            directory: self.clone(),
            id: id.clone(),
        }
    }
}

/// A board task's place in the [`Directory`].
pub struct Slot {
    directory: Directory,
    id: BoardId,
}

impl Slot {
    /// Takes the board out: its task is stopping.
    pub fn release(&self) {
        self.directory.lock().remove(&self.id);
    }

    /// Takes an idle board out if nobody else holds a way to reach it, so that its task can
    /// stop. Returns whether it was taken out.
    pub fn try_release(&self, events: &mpsc::Receiver<BoardEvent>) -> bool {
        let mut boards = self.directory.lock();
        let Some(sender) = boards.get(&self.id) else {
            return true;
        };
        // Senders are only handed out under this lock, so no new one can appear meanwhile.
        if sender.strong_count() == 1 && events.is_empty() {
            boards.remove(&self.id);
            true
        } else {
            false
        }
    }
}
