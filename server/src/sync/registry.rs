//! The registry of boards open in memory: it opens a board on first use (loading it and starting
//! its task), deletes boards, and applies the retention. It owns the [`Directory`] of open boards
//! and the [`BoardContext`] every board task is given.

use std::{sync::Arc, time::Duration};

use app::{
    access::Role,
    ids::{BoardId, PeerId},
};
use tokio::sync::{mpsc, oneshot};

use super::{
    board::{self, BoardContext, BoardLimits},
    cluster::Cluster,
    directory::Directory,
    limits::BOARD_QUEUE_CAPACITY,
    mailbox::{BoardEvent, BoardSender, ServerEdit},
};
use crate::{
    access::{KeyHash, Secret},
    metrics::Metrics,
    storage::{now_ms, Storage, StorageError},
};

/// Opens boards on demand and keeps one task per open board. Cheap to clone.
#[derive(Clone)]
pub struct Registry {
    boards: Directory,
    cx: Arc<BoardContext>,
}

impl Registry {
    /// `idle_unload`: how long a board with nobody connected stays in memory.
    pub fn new(storage: Storage, idle_unload: Duration) -> Self {
        let server_peer = PeerId::parse(&format!("ardoise-{}", PeerId::random()))
            .expect("a random peer id with a prefix is a valid id");
        let cluster = Cluster::of(&storage, &server_peer);
        Self {
            boards: Directory::default(),
            cx: Arc::new(BoardContext {
                storage,
                metrics: Arc::default(),
                cluster,
                server_peer,
                idle_unload,
                limits: BoardLimits::default(),
            }),
        }
    }

    /// The same registry with other limits on boards' size; call before serving (boards opened
    /// already keep theirs).
    pub fn with_limits(self, limits: BoardLimits) -> Self {
        let cx = &self.cx;
        Self {
            boards: self.boards.clone(),
            cx: Arc::new(BoardContext {
                storage: cx.storage.clone(),
                metrics: cx.metrics.clone(),
                cluster: cx.cluster.clone(),
                server_peer: cx.server_peer.clone(),
                idle_unload: cx.idle_unload,
                limits,
            }),
        }
    }

    /// The server's own peer id in the sync protocol.
    pub fn server_peer(&self) -> &PeerId {
        &self.cx.server_peer
    }

    pub fn metrics(&self) -> &Metrics {
        &self.cx.metrics
    }

    pub fn storage(&self) -> &Storage {
        &self.cx.storage
    }

    /// Number of boards open in memory.
    pub fn open_boards(&self) -> usize {
        self.boards.len()
    }

    /// The open board's task, loading the board from storage if needed; `None` if no such board.
    pub async fn open(&self, id: &BoardId) -> Result<Option<BoardSender>, StorageError> {
        if let Some(sender) = self.boards.get(id) {
            return Ok(Some(sender));
        }
        let Some(loaded) = self.cx.storage.load_document(id).await? else {
            return Ok(None);
        };
        if let Err(error) = self.cx.storage.touch_board(id).await {
            tracing::warn!(board = %id, %error, "cannot record that a board was opened");
        }
        let (sender, events) = mpsc::channel(BOARD_QUEUE_CAPACITY);
        if self.cx.cluster.is_shared() {
            // Another server may have stored changes between the load and now, and their
            // notices found no open board here: read the log once more, first.
            let _ = sender.try_send(BoardEvent::Stored { seq: None });
        }
        let (sender, new) = self.boards.insert_or_get(id, sender);
        if !new {
            // Another connection opened it while this one was loading.
            return Ok(Some(sender));
        }
        board::spawn(
            self.cx.clone(),
            self.boards.slot(id),
            id.clone(),
            loaded,
            events,
        );
        Ok(Some(sender))
    }

    /// What presenting `key` gives on board `id`: `None` for no such board, or no right to it
    /// (the two look the same to whoever asks).
    pub async fn role(
        &self,
        id: &BoardId,
        key: Option<&KeyHash>,
    ) -> Result<Option<Role>, StorageError> {
        Ok(self
            .cx
            .storage
            .access(id)
            .await?
            .and_then(|access| access.role(key)))
    }

    /// Opens or closes the board's plain address; the peers it let in are disconnected when
    /// it closes. Returns whether the board exists.
    pub async fn set_open(&self, id: &BoardId, open: bool) -> Result<bool, StorageError> {
        let found = self.cx.storage.set_open(id, open).await?;
        self.access_changed(id).await;
        Ok(found)
    }

    /// A new link for `role` on board `id`: the old one stops working at once, also for the
    /// connections open with it. `None` if there is no such board.
    pub async fn renew_link(
        &self,
        id: &BoardId,
        role: Role,
    ) -> Result<Option<Secret>, StorageError> {
        let secret = Secret::random();
        let found = self.cx.storage.set_key(id, role, &secret.hash()).await?;
        self.access_changed(id).await;
        Ok(found.then_some(secret))
    }

    /// Tells the open board (here; other servers hear it from storage) that its access changed.
    async fn access_changed(&self, id: &BoardId) {
        if let Some(board) = self.boards.get(id) {
            let _ = board.send(BoardEvent::AccessChanged).await;
        }
    }

    /// Deletes a board and its history from the database, and closes it for the peers that have
    /// it open. Returns whether it existed.
    pub async fn delete(&self, id: &BoardId) -> Result<bool, StorageError> {
        let existed = self.cx.storage.delete_board(id).await?;
        if let Some(board) = self.boards.get(id) {
            // If the task stopped meanwhile, there is nobody left to tell.
            let _ = board.send(BoardEvent::Deleted).await;
        }
        Ok(existed)
    }

    /// Makes an edit of the server's own to a board (opening it if needed): applied, stored,
    /// then relayed to everyone who has it open, here and on the other servers. Returns
    /// whether it is stored (`false`: no such board, or the edit failed).
    pub async fn edit(&self, id: &BoardId, edit: ServerEdit) -> Result<bool, StorageError> {
        let (done, stored) = oneshot::channel();
        let mut event = BoardEvent::Edit { edit, done };
        // The task may unload the board just as the edit is sent: then it is opened again, once.
        for _ in 0..2 {
            let Some(board) = self.open(id).await? else {
                return Ok(false);
            };
            match board.send(event).await {
                Ok(()) => return Ok(stored.await.unwrap_or(false)),
                Err(mpsc::error::SendError(back)) => event = back,
            }
        }
        Ok(false)
    }

    /// Deletes the boards that nobody has changed for `retention`, unless they are open.
    /// Returns how many were deleted.
    pub async fn delete_idle_boards(&self, retention: Duration) -> Result<usize, StorageError> {
        let retention_ms = i64::try_from(retention.as_millis()).unwrap_or(i64::MAX);
        let cutoff = now_ms().saturating_sub(retention_ms);
        let mut deleted = 0;
        for id in self.cx.storage.boards_idle_since(cutoff).await? {
            if self.boards.contains(&id) {
                continue;
            }
            if self.cx.storage.delete_board_if_idle(&id, cutoff).await? {
                tracing::info!(board = %id, "deleted a board idle for longer than the retention");
                deleted += 1;
            }
        }
        Ok(deleted)
    }

    /// Relays what the other servers sharing this database say to the boards open here, until
    /// the process ends; returns at once when this server is alone (SQLite).
    pub async fn follow_other_servers(self) {
        self.cx.cluster.clone().follow(self.boards.clone()).await;
    }
}
