//! One task per websocket connection: decodes frames, answers `join`, routes sync and ephemeral
//! messages to the boards' tasks and writes what they queue back to the socket.

use std::{
    collections::HashMap,
    sync::atomic::{AtomicU64, Ordering},
};

use app::{
    ids::{BoardId, PeerId},
    protocol::{
        Message, PeerMetadata, MAX_EPHEMERAL_BYTES, MAX_EPHEMERAL_PER_SECOND, PROTOCOL_VERSION,
    },
};
use axum::{body::Bytes, extract::ws};
use futures::{Sink, SinkExt, Stream, StreamExt};
use tokio::{sync::mpsc, time::Instant};
use tokio_util::sync::CancellationToken;

use crate::access::KeyHash;

use super::{
    limits::{MAX_BOARDS_PER_CONNECTION, MAX_MESSAGE_BYTES, PEER_QUEUE_CAPACITY},
    mailbox::{BoardEvent, BoardSender, ConnectionId, PeerLink},
    registry::Registry,
};

/// What to do after a frame.
enum Next {
    Continue,
    /// Send this protocol error, then close the connection.
    Fail(String),
    Close,
}

/// Why a connection closes when storage cannot answer; closing makes the client reconnect
/// (with backoff) and ask again.
const LOAD_FAILED: &str = "the board cannot be loaded right now, try again later";

/// Source of connection ids.
static NEXT_CONNECTION: AtomicU64 = AtomicU64::new(1);

struct Connection {
    id: ConnectionId,
    registry: Registry,
    /// The hash of the link secret the connection was opened with (`/sync?k=`), if any.
    key: Option<KeyHash>,
    peer: Option<PeerId>,
    boards: HashMap<BoardId, BoardSender>,
    outbox: mpsc::Sender<Bytes>,
    kick: CancellationToken,
    /// Ephemeral messages relayed in the current second, and when that second started.
    ephemeral_window: (Instant, u32),
}

/// Serves one websocket, opened with the link secret whose hash is `key` (if any), until it
/// closes. Each board it asks for is served with the role that secret gives on it, or is
/// unavailable. Generic over the socket so that it can be driven by any `Stream` + `Sink` of
/// websocket messages.
pub async fn serve_socket<S, E>(socket: S, registry: Registry, key: Option<KeyHash>)
where
    S: Stream<Item = Result<ws::Message, E>> + Sink<ws::Message> + Unpin,
    E: std::fmt::Display,
{
    let (mut sink, mut stream) = socket.split();
    let (outbox, mut queued) = mpsc::channel::<Bytes>(PEER_QUEUE_CAPACITY);
    let mut connection = Connection {
        id: NEXT_CONNECTION.fetch_add(1, Ordering::Relaxed),
        registry,
        key,
        peer: None,
        boards: HashMap::new(),
        outbox,
        kick: CancellationToken::new(),
        ephemeral_window: (Instant::now(), 0),
    };
    let kick = connection.kick.clone();
    let metrics = connection.registry.metrics();
    metrics.connections.fetch_add(1, Ordering::Relaxed);
    loop {
        tokio::select! {
            frame = stream.next() => {
                let next = match frame {
                    Some(Ok(frame)) => connection.handle_frame(frame).await,
                    Some(Err(error)) => {
                        tracing::debug!(%error, "websocket read failed");
                        Next::Close
                    }
                    None => Next::Close,
                };
                match next {
                    Next::Continue => {}
                    Next::Close => break,
                    Next::Fail(reason) => {
                        tracing::info!(%reason, "closing a connection after a protocol error");
                        let error = Message::Error { message: reason }.encode();
                        let _ = sink.send(ws::Message::Binary(error.into())).await;
                        break;
                    }
                }
            }
            Some(frame) = queued.recv() => {
                if sink.send(ws::Message::Binary(frame)).await.is_err() {
                    break;
                }
            }
            _ = kick.cancelled() => {
                // Flush what the board queued (an error message, typically), then close.
                while let Ok(frame) = queued.try_recv() {
                    if sink.send(ws::Message::Binary(frame)).await.is_err() {
                        break;
                    }
                }
                break;
            }
        }
    }
    let _ = sink.send(ws::Message::Close(None)).await;
    connection.leave_all().await;
    connection
        .registry
        .metrics()
        .connections
        .fetch_sub(1, Ordering::Relaxed);
}

impl Connection {
    /// Whether one more ephemeral message fits in this second's allowance.
    fn ephemeral_allowed(&mut self) -> bool {
        let (started, count) = &mut self.ephemeral_window;
        if started.elapsed() >= std::time::Duration::from_secs(1) {
            *started = Instant::now();
            *count = 0;
        }
        *count += 1;
        *count <= MAX_EPHEMERAL_PER_SECOND as u32
    }

    async fn handle_frame(&mut self, frame: ws::Message) -> Next {
        let bytes = match frame {
            ws::Message::Binary(bytes) => bytes,
            ws::Message::Text(_) => return Next::Fail("expected a binary CBOR message".into()),
            ws::Message::Close(_) => return Next::Close,
            ws::Message::Ping(_) | ws::Message::Pong(_) => return Next::Continue,
        };
        if bytes.len() > MAX_MESSAGE_BYTES {
            return Next::Fail(format!(
                "message too large: the limit is {MAX_MESSAGE_BYTES} bytes"
            ));
        }
        let message = match Message::decode(&bytes) {
            Ok(message) => message,
            Err(error) => return Next::Fail(format!("malformed message: {error}")),
        };
        let Some(peer) = self.peer.clone() else {
            return self.join(message);
        };
        match message {
            Message::Request {
                sender_id,
                document_id,
                data,
                ..
            }
            | Message::Sync {
                sender_id,
                document_id,
                data,
                ..
            } => {
                if sender_id != peer {
                    return Next::Fail("senderId does not match the joined peer".into());
                }
                self.sync(peer, document_id, data).await
            }
            Message::Ephemeral {
                sender_id,
                count,
                session_id,
                document_id,
                data,
                ..
            } => {
                if sender_id != peer {
                    return Next::Fail("senderId does not match the joined peer".into());
                }
                if data.len() > MAX_EPHEMERAL_BYTES {
                    return Next::Fail(format!(
                        "ephemeral data larger than {MAX_EPHEMERAL_BYTES} bytes"
                    ));
                }
                if !self.ephemeral_allowed() {
                    tracing::debug!(%peer, "dropping ephemeral messages over the rate limit");
                    return Next::Continue;
                }
                if let Some(board) = self.boards.get(&document_id) {
                    let event = BoardEvent::Ephemeral {
                        peer,
                        count,
                        session_id,
                        data,
                    };
                    if board.send(event).await.is_err() {
                        self.boards.remove(&document_id);
                    }
                }
                Next::Continue
            }
            Message::Leave { .. } => Next::Close,
            Message::Join { .. } => Next::Fail("already joined".into()),
            other => {
                tracing::debug!(kind = other.kind(), "ignoring a message");
                Next::Continue
            }
        }
    }

    fn join(&mut self, message: Message) -> Next {
        let Message::Join {
            sender_id,
            supported_protocol_versions,
            ..
        } = message
        else {
            return Next::Fail("the first message must be a join".into());
        };
        if !supported_protocol_versions
            .iter()
            .any(|v| v == PROTOCOL_VERSION)
        {
            return Next::Fail(format!(
                "unsupported protocol version: this server speaks {PROTOCOL_VERSION}"
            ));
        }
        let reply = Message::Peer {
            sender_id: self.registry.server_peer().clone(),
            target_id: sender_id.clone(),
            selected_protocol_version: PROTOCOL_VERSION.to_owned(),
            peer_metadata: PeerMetadata {
                storage_id: None,
                is_ephemeral: false,
            },
        };
        self.peer = Some(sender_id);
        self.queue(reply)
    }

    async fn sync(&mut self, peer: PeerId, document_id: BoardId, data: Vec<u8>) -> Next {
        if !self.boards.contains_key(&document_id) {
            if self.boards.len() >= MAX_BOARDS_PER_CONNECTION {
                return Next::Fail(format!(
                    "too many documents on one connection (the limit is {MAX_BOARDS_PER_CONNECTION})"
                ));
            }
            let role = match self.registry.role(&document_id, self.key.as_ref()).await {
                Ok(Some(role)) => role,
                // No such board, or not for this link: the same answer.
                Ok(None) => return self.unavailable(peer, document_id),
                Err(error) => {
                    tracing::error!(board = %document_id, %error, "cannot read a board's access");
                    return Next::Fail(LOAD_FAILED.into());
                }
            };
            let board = match self.registry.open(&document_id).await {
                Ok(Some(board)) => board,
                Ok(None) => return self.unavailable(peer, document_id),
                Err(error) => {
                    tracing::error!(board = %document_id, %error, "cannot load a board");
                    return Next::Fail(LOAD_FAILED.into());
                }
            };
            let join = BoardEvent::Join {
                peer: peer.clone(),
                link: PeerLink {
                    connection: self.id,
                    outbox: self.outbox.clone(),
                    kick: self.kick.clone(),
                },
                role,
                key: self.key,
            };
            if board.send(join).await.is_err() {
                return self.unavailable(peer, document_id);
            }
            self.boards.insert(document_id.clone(), board);
        }
        let Some(board) = self.boards.get(&document_id) else {
            return Next::Continue;
        };
        if board.send(BoardEvent::Sync { peer, data }).await.is_err() {
            // The board closed meanwhile: the next message reopens it.
            self.boards.remove(&document_id);
        }
        Next::Continue
    }

    fn unavailable(&mut self, peer: PeerId, document_id: BoardId) -> Next {
        self.queue(Message::DocUnavailable {
            sender_id: self.registry.server_peer().clone(),
            target_id: peer,
            document_id,
        })
    }

    fn queue(&mut self, message: Message) -> Next {
        match self.outbox.try_send(message.encode().into()) {
            Ok(()) => Next::Continue,
            Err(_) => Next::Fail("too many messages waiting to be sent".into()),
        }
    }

    async fn leave_all(&mut self) {
        let Some(peer) = self.peer.take() else { return };
        for (_, board) in self.boards.drain() {
            let leave = BoardEvent::Leave {
                peer: peer.clone(),
                connection: self.id,
            };
            let _ = board.send(leave).await;
        }
    }
}
