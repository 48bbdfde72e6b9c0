//! A websocket to `/sync` that sends and receives raw protocol messages, for tests that play a
//! hand-made client.

use futures::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::{tungstenite, MaybeTlsStream, WebSocketStream};

use app::{ids::PeerId, protocol::Message};

use crate::common::{Serves, WAIT_LIMIT};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A websocket to `/sync`, sending and receiving raw protocol messages.
pub struct RawSocket {
    pub(crate) socket: Socket,
    /// Bytes of the binary frames received so far.
    received_bytes: usize,
    /// Every binary frame received, end to end, when asked for (see [`RawSocket::record`]).
    stream: Option<Vec<u8>>,
}

impl RawSocket {
    pub async fn connect(server: &impl Serves) -> RawSocket {
        Self::connect_with(server, None).await
    }

    /// Connects to `/sync?k=<secret>`: with the rights of that link.
    pub async fn connect_with(server: &impl Serves, secret: Option<&str>) -> RawSocket {
        let url = match secret {
            Some(secret) => format!("{}?k={secret}", server.sync_url()),
            None => server.sync_url(),
        };
        // Small reads, as the server does: tungstenite zeroes its whole read buffer before each.
        let config = tungstenite::protocol::WebSocketConfig::default()
            .read_buffer_size(ardoise_server::sync::SOCKET_READ_BUFFER_BYTES);
        let (socket, _) = tokio_tungstenite::connect_async_with_config(url, Some(config), false)
            .await
            .expect("websocket to /sync");
        RawSocket {
            socket,
            received_bytes: 0,
            stream: None,
        }
    }

    /// Keeps every binary frame received from now on (what a privacy test searches).
    pub fn record(mut self) -> RawSocket {
        self.stream = Some(Vec::new());
        self
    }

    /// The binary frames received since [`RawSocket::record`], end to end.
    pub fn stream(&self) -> &[u8] {
        self.stream.as_deref().unwrap_or_default()
    }

    pub async fn send(&mut self, message: &Message) {
        self.send_bytes(message.encode()).await;
    }

    pub async fn send_bytes(&mut self, bytes: Vec<u8>) {
        self.socket
            .send(tungstenite::Message::Binary(bytes.into()))
            .await
            .expect("send a frame");
    }

    /// Sends a frame; `false` if the connection is gone (the server closed it).
    pub async fn try_send_bytes(&mut self, bytes: Vec<u8>) -> bool {
        self.socket
            .send(tungstenite::Message::Binary(bytes.into()))
            .await
            .is_ok()
    }

    pub async fn send_text(&mut self, text: &str) {
        self.socket
            .send(tungstenite::Message::Text(text.into()))
            .await
            .expect("send a frame");
    }

    /// Sends `join` and returns the server's peer id from its `peer` answer.
    pub async fn join(&mut self, peer: &PeerId) -> PeerId {
        self.send(&Message::Join {
            sender_id: peer.clone(),
            supported_protocol_versions: vec![app::protocol::PROTOCOL_VERSION.into()],
            peer_metadata: Default::default(),
        })
        .await;
        match self.next().await {
            Some(Message::Peer {
                sender_id,
                target_id,
                ..
            }) => {
                assert_eq!(&target_id, peer);
                sender_id
            }
            other => panic!("expected a peer message, got {other:?}"),
        }
    }

    /// The next protocol message, or `None` once the server has closed the connection.
    pub async fn next(&mut self) -> Option<Message> {
        loop {
            // Longer than WAIT_LIMIT: callers waiting for something say what first.
            let frame = tokio::time::timeout(WAIT_LIMIT * 2, self.socket.next())
                .await
                .expect("the server neither answered nor closed the connection");
            match frame {
                Some(Ok(tungstenite::Message::Binary(bytes))) => {
                    self.received_bytes += bytes.len();
                    if let Some(stream) = &mut self.stream {
                        stream.extend_from_slice(&bytes);
                    }
                    return Some(Message::decode(&bytes).expect("the server sent a valid message"));
                }
                Some(Ok(tungstenite::Message::Close(_))) | None | Some(Err(_)) => return None,
                Some(Ok(_)) => continue,
            }
        }
    }

    /// Bytes of the binary frames received so far.
    pub fn received_bytes(&self) -> usize {
        self.received_bytes
    }

    /// Closes the connection and waits for the server to acknowledge it.
    pub async fn close(&mut self) {
        let _ = self.socket.close(None).await;
        self.until_closed().await;
    }

    /// Reads until the connection closes; returns the messages received meanwhile.
    pub async fn until_closed(&mut self) -> Vec<Message> {
        let mut messages = Vec::new();
        while let Some(message) = self.next().await {
            messages.push(message);
        }
        messages
    }
}
