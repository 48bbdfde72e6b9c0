//! The registry of boards open in memory.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
};

use app::ids::{BoardId, PeerId};
use tokio::sync::mpsc;

use super::{board::BoardEvent, BOARD_QUEUE_CAPACITY};
use crate::storage::{Storage, StorageError};

/// A way to send events to an open board's task.
pub type BoardSender = mpsc::Sender<BoardEvent>;

/// Opens boards on demand and keeps one task per open board. Cheap to clone.
#[derive(Clone)]
pub struct Hub {
    inner: Arc<HubInner>,
}

struct HubInner {
    boards: Mutex<HashMap<BoardId, BoardSender>>,
    storage: Storage,
    server_peer: PeerId,
}

impl Hub {
    pub fn new(storage: Storage) -> Self {
        let server_peer = PeerId::parse(&format!("ardoise-{}", PeerId::random()))
            .expect("a random peer id with a prefix is a valid id");
        Self {
            inner: Arc::new(HubInner {
                boards: Mutex::new(HashMap::new()),
                storage,
                server_peer,
            }),
        }
    }

    /// The server's own peer id in the sync protocol.
    pub fn server_peer(&self) -> &PeerId {
        &self.inner.server_peer
    }

    pub fn storage(&self) -> &Storage {
        &self.inner.storage
    }

    /// Number of boards open in memory.
    pub fn open_boards(&self) -> usize {
        self.boards().len()
    }

    fn boards(&self) -> MutexGuard<'_, HashMap<BoardId, BoardSender>> {
        // A panic while holding this lock cannot leave the map inconsistent: keep serving.
        self.inner.boards.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The open board's task, loading the board from storage if needed; `None` if no such board.
    pub async fn open(&self, id: &BoardId) -> Result<Option<BoardSender>, StorageError> {
        if let Some(sender) = self.boards().get(id).filter(|s| !s.is_closed()) {
            return Ok(Some(sender.clone()));
        }
        let Some((stored, board)) = self.inner.storage.load_document(id).await? else {
            return Ok(None);
        };
        let mut boards = self.boards();
        if let Some(sender) = boards.get(id).filter(|s| !s.is_closed()) {
            // Another connection opened it while this one was loading.
            return Ok(Some(sender.clone()));
        }
        let (sender, events) = mpsc::channel(BOARD_QUEUE_CAPACITY);
        super::board::spawn(self.clone(), id.clone(), board, &stored, events);
        boards.insert(id.clone(), sender.clone());
        Ok(Some(sender))
    }

    /// Called by an idle board's task: forgets the board if nobody else holds a way to reach it,
    /// so that it can stop. Returns whether it was forgotten.
    pub(super) fn try_forget(&self, id: &BoardId, events: &mpsc::Receiver<BoardEvent>) -> bool {
        let mut boards = self.boards();
        let Some(sender) = boards.get(id) else {
            return true;
        };
        // Senders are only handed out under this lock, so no new one can appear meanwhile.
        if sender.strong_count() == 1 && events.is_empty() {
            boards.remove(id);
            true
        } else {
            false
        }
    }
}
