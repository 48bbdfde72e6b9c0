//! The registry of boards open in memory.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use app::ids::{BoardId, PeerId};
use tokio::sync::mpsc;

use super::{
    board::{BoardEvent, Elsewhere},
    BOARD_QUEUE_CAPACITY, FEED_RETRY_DELAY,
};

/// Presence messages waiting to be passed to the other servers.
const PRESENCE_QUEUE_CAPACITY: usize = 1024;
use crate::{
    metrics::Metrics,
    storage::{now_ms, DbKind, FeedEvent, Storage, StorageError},
};

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
    metrics: Metrics,
    idle_unload: Duration,
    /// Presence for the other servers on this PostgreSQL database, sent by one task.
    presence_out: mpsc::Sender<FeedEvent>,
    presence_queue: Mutex<Option<mpsc::Receiver<FeedEvent>>>,
}

impl Hub {
    /// `idle_unload`: how long a board with nobody connected stays in memory.
    pub fn new(storage: Storage, idle_unload: Duration) -> Self {
        let server_peer = PeerId::parse(&format!("ardoise-{}", PeerId::random()))
            .expect("a random peer id with a prefix is a valid id");
        let (presence_out, presence_queue) = mpsc::channel(PRESENCE_QUEUE_CAPACITY);
        Self {
            inner: Arc::new(HubInner {
                boards: Mutex::new(HashMap::new()),
                storage,
                server_peer,
                metrics: Metrics::default(),
                idle_unload,
                presence_out,
                presence_queue: Mutex::new(Some(presence_queue)),
            }),
        }
    }

    /// The server's own peer id in the sync protocol.
    pub fn server_peer(&self) -> &PeerId {
        &self.inner.server_peer
    }

    /// How long a board with nobody connected stays in memory before it is unloaded.
    pub fn idle_unload(&self) -> Duration {
        self.inner.idle_unload
    }

    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
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
        let Some(loaded) = self.inner.storage.load_document(id).await? else {
            return Ok(None);
        };
        if let Err(error) = self.inner.storage.touch_board(id).await {
            tracing::warn!(board = %id, %error, "cannot record that a board was opened");
        }
        let mut boards = self.boards();
        if let Some(sender) = boards.get(id).filter(|s| !s.is_closed()) {
            // Another connection opened it while this one was loading.
            return Ok(Some(sender.clone()));
        }
        let (sender, events) = mpsc::channel(BOARD_QUEUE_CAPACITY);
        if self.inner.storage.kind() == DbKind::Postgres {
            // Another server may have stored changes between the load and now, and their
            // notices found no open board here: read the log once more.
            let _ = sender.try_send(BoardEvent::Stored { seq: None });
        }
        super::board::spawn(self.clone(), id.clone(), loaded, events);
        boards.insert(id.clone(), sender.clone());
        Ok(Some(sender))
    }

    /// Deletes a board and its history from the database, and closes it for the peers that have
    /// it open. Returns whether it existed.
    pub async fn delete(&self, id: &BoardId) -> Result<bool, StorageError> {
        let existed = self.inner.storage.delete_board(id).await?;
        let open = self.boards().get(id).cloned();
        if let Some(board) = open {
            // If the task stopped meanwhile, there is nobody left to tell.
            let _ = board.send(BoardEvent::Deleted).await;
        }
        Ok(existed)
    }

    /// Deletes the boards that nobody has changed for `retention`, unless they are open.
    /// Returns how many were deleted.
    pub async fn delete_idle_boards(&self, retention: Duration) -> Result<usize, StorageError> {
        let retention_ms = i64::try_from(retention.as_millis()).unwrap_or(i64::MAX);
        let cutoff = now_ms().saturating_sub(retention_ms);
        let mut deleted = 0;
        for id in self.inner.storage.boards_idle_since(cutoff).await? {
            if self.boards().contains_key(&id) {
                continue;
            }
            if self.inner.storage.delete_board_if_idle(&id, cutoff).await? {
                tracing::info!(board = %id, "deleted a board idle for longer than the retention");
                deleted += 1;
            }
        }
        Ok(deleted)
    }

    /// Follows what the other servers sharing this PostgreSQL database store, so that a client
    /// here sees a change made by a client there at once. Runs until the process ends; returns
    /// at once on SQLite.
    pub async fn follow_other_servers(self) {
        if self.inner.storage.kind() != DbKind::Postgres {
            return;
        }
        let queue = self
            .inner
            .presence_queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(queue) = queue {
            tokio::spawn(self.clone().publish_presence(queue));
        }
        loop {
            let mut feed = match self.inner.storage.change_feed().await {
                Ok(Some(feed)) => feed,
                Ok(None) => return,
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for other servers' changes, will retry");
                    tokio::time::sleep(FEED_RETRY_DELAY).await;
                    continue;
                }
            };
            // Listening again: what was stored while nobody listened is read now.
            self.catch_up_open_boards();
            loop {
                match feed.next().await {
                    Ok(Some(FeedEvent::Stored { board, seq })) => {
                        self.tell(&board, BoardEvent::Stored { seq: Some(seq) });
                    }
                    Ok(Some(FeedEvent::Deleted { board })) => {
                        self.tell(&board, BoardEvent::Deleted)
                    }
                    Ok(Some(
                        FeedEvent::Ephemeral { server, .. } | FeedEvent::Left { server, .. },
                    )) if server == self.inner.server_peer => {}
                    Ok(Some(FeedEvent::Ephemeral {
                        board,
                        sender,
                        count,
                        data,
                        ..
                    })) => self.tell(
                        &board,
                        BoardEvent::Elsewhere(Elsewhere::Ephemeral {
                            sender,
                            count,
                            data,
                        }),
                    ),
                    Ok(Some(FeedEvent::Left { board, peer, .. })) => {
                        self.tell(&board, BoardEvent::Elsewhere(Elsewhere::Left { peer }))
                    }
                    Ok(None) => {
                        tracing::warn!("lost the connection listening for other servers' changes");
                        break;
                    }
                    Err(error) => {
                        tracing::warn!(%error, "listening for other servers' changes failed");
                        tokio::time::sleep(FEED_RETRY_DELAY).await;
                        break;
                    }
                }
            }
        }
    }

    /// Passes presence from this server's peers to the other servers on this PostgreSQL
    /// database (a no-op on SQLite). Presence that does not fit in the queue is dropped: it is
    /// sent again soon anyway.
    pub(super) fn publish(&self, event: FeedEvent) {
        if self.inner.storage.kind() == DbKind::Postgres {
            let _ = self.inner.presence_out.try_send(event);
        }
    }

    async fn publish_presence(self, mut queue: mpsc::Receiver<FeedEvent>) {
        while let Some(event) = queue.recv().await {
            if let Err(error) = self.inner.storage.notify(&event).await {
                tracing::debug!(%error, "cannot pass presence to the other servers");
            }
        }
    }

    /// Sends an event to a board if it is open here, without waiting for a busy board.
    fn tell(&self, id: &BoardId, event: BoardEvent) {
        let Some(board) = self.boards().get(id).cloned() else {
            return;
        };
        if let Err(mpsc::error::TrySendError::Full(event)) = board.try_send(event) {
            tokio::spawn(async move { board.send(event).await });
        }
    }

    /// Has every open board read what was stored while notices may have been missed.
    fn catch_up_open_boards(&self) {
        let ids: Vec<BoardId> = self.boards().keys().cloned().collect();
        for id in ids {
            self.tell(&id, BoardEvent::Stored { seq: None });
        }
    }

    /// Forgets a board whose task is stopping.
    pub(super) fn forget(&self, id: &BoardId) {
        self.boards().remove(id);
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
