//! Test harness for Ardoise's integration tests: a [`TestServer`] runs the real `ardoise` binary
//! on a free port with its own database, and a [`SyncClient`] speaks the sync protocol to it over
//! a real websocket, the way a browser tab does.
//!
//! The binary is `$ARDOISE_BIN` (default `target/release/ardoise`), the browser app
//! `$ARDOISE_SITE_ROOT` (default `target/site`); `scripts/test.sh` builds both first.

use std::{
    net::{SocketAddr, TcpListener},
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};

use app::{
    ids::{BoardId, PeerId},
    model::{Board, BoardView, ModelError},
    protocol::Message,
    session::Session,
};
use futures::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::{tungstenite, MaybeTlsStream, WebSocketStream};

/// How long a test waits for a condition (a peer seeing an edit, the server starting) before
/// failing. Generous: conditions normally hold within milliseconds.
pub const WAIT_LIMIT: Duration = Duration::from_secs(20);

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn binary() -> PathBuf {
    std::env::var_os("ARDOISE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/release/ardoise"))
}

fn site_root() -> PathBuf {
    std::env::var_os("ARDOISE_SITE_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/site"))
}

/// A running `ardoise` process with its own SQLite file (or the database given).
pub struct TestServer {
    pub addr: SocketAddr,
    database_url: String,
    child: Option<Child>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// Starts a server on a fresh SQLite database.
    pub async fn start() -> TestServer {
        let dir = tempfile::tempdir().expect("temporary directory");
        let database_url = format!("sqlite://{}", dir.path().join("data/ardoise.db").display());
        Self::start_with(database_url, dir).await
    }

    async fn start_with(database_url: String, dir: tempfile::TempDir) -> TestServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut server = TestServer {
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            database_url,
            child: None,
            _dir: dir,
        };
        server.spawn().await;
        server
    }

    async fn spawn(&mut self) {
        let binary = binary();
        assert!(
            binary.exists(),
            "{} is missing: build it with scripts/build.sh (or run scripts/test.sh)",
            binary.display()
        );
        let child = Command::new(&binary)
            .arg("--addr")
            .arg(self.addr.to_string())
            .arg("--database-url")
            .arg(&self.database_url)
            .arg("--site-root")
            .arg(site_root())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("start ardoise");
        self.child = Some(child);
        let url = format!("{}/health", self.http_url());
        let started = tokio::time::Instant::now();
        loop {
            if let Ok(response) = reqwest::get(&url).await {
                if response.status().is_success() {
                    return;
                }
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!("ardoise exited at start: {status}");
            }
            assert!(started.elapsed() < WAIT_LIMIT, "ardoise did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Kills the server (SIGKILL: no chance to save anything) and starts it again on the same
    /// database and port.
    pub async fn kill_and_restart(&mut self) {
        self.kill();
        self.spawn().await;
    }

    /// Kills the process, as `kill -9` would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }

    pub fn http_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn sync_url(&self) -> String {
        format!("ws://{}/sync", self.addr)
    }

    /// Creates a board through the API and returns its id.
    pub async fn create_board(&self, title: &str) -> BoardId {
        let response = reqwest::Client::new()
            .post(format!("{}/api/boards", self.http_url()))
            .json(&serde_json::json!({ "title": title }))
            .send()
            .await
            .expect("POST /api/boards");
        assert_eq!(response.status(), 201);
        let body: serde_json::Value = response.json().await.expect("JSON body");
        BoardId::parse(body["id"].as_str().expect("an id")).expect("a valid board id")
    }

    /// `GET /api/boards/{id}` as JSON.
    pub async fn board_json(&self, id: &BoardId) -> serde_json::Value {
        reqwest::get(format!("{}/api/boards/{id}", self.http_url()))
            .await
            .expect("GET /api/boards/{id}")
            .json()
            .await
            .expect("JSON body")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.kill();
    }
}

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A websocket to `/sync`, sending and receiving raw protocol messages.
pub struct RawSocket(Socket);

impl RawSocket {
    pub async fn connect(server: &TestServer) -> RawSocket {
        let (socket, _) = tokio_tungstenite::connect_async(server.sync_url())
            .await
            .expect("websocket to /sync");
        RawSocket(socket)
    }

    pub async fn send(&mut self, message: &Message) {
        self.send_bytes(message.encode()).await;
    }

    pub async fn send_bytes(&mut self, bytes: Vec<u8>) {
        self.0
            .send(tungstenite::Message::Binary(bytes.into()))
            .await
            .expect("send a frame");
    }

    pub async fn send_text(&mut self, text: &str) {
        self.0
            .send(tungstenite::Message::Text(text.into()))
            .await
            .expect("send a frame");
    }

    /// Sends `join` and returns the server's peer id from its `peer` answer.
    pub async fn join(&mut self, peer: &PeerId) -> PeerId {
        self.send(&Message::Join {
            sender_id: peer.clone(),
            supported_protocol_versions: vec!["1".into()],
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
            let frame = tokio::time::timeout(WAIT_LIMIT, self.0.next())
                .await
                .expect("the server neither answered nor closed the connection");
            match frame {
                Some(Ok(tungstenite::Message::Binary(bytes))) => {
                    return Some(Message::decode(&bytes).expect("the server sent a valid message"))
                }
                Some(Ok(tungstenite::Message::Close(_))) | None | Some(Err(_)) => return None,
                Some(Ok(_)) => continue,
            }
        }
    }

    /// Closes the connection and waits for the server to acknowledge it.
    pub async fn close(&mut self) {
        let _ = self.0.close(None).await;
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

/// A sync client holding its own copy of one board, like a browser tab.
pub struct SyncClient {
    socket: RawSocket,
    session: Session,
}

impl SyncClient {
    /// Connects and waits until the client holds the board.
    pub async fn open(server: &TestServer, board: &BoardId) -> SyncClient {
        Self::try_open(server, board)
            .await
            .unwrap_or_else(|m| panic!("board {board} unavailable: {m:?}"))
    }

    /// Connects with a given peer id, as a tab that reconnects does.
    pub async fn open_as(server: &TestServer, board: &BoardId, peer: &PeerId) -> SyncClient {
        Self::try_open_as(server, board, peer)
            .await
            .unwrap_or_else(|m| panic!("board {board} unavailable: {m:?}"))
    }

    /// Connects; returns the server's answer if the board is unavailable.
    pub async fn try_open(server: &TestServer, board: &BoardId) -> Result<SyncClient, Message> {
        Self::try_open_as(server, board, &PeerId::random()).await
    }

    async fn try_open_as(
        server: &TestServer,
        board: &BoardId,
        peer: &PeerId,
    ) -> Result<SyncClient, Message> {
        let mut socket = RawSocket::connect(server).await;
        let mut session = Session::new(peer.clone(), board.clone(), Board::empty());
        socket.send(&session.connected()).await;
        let mut client = SyncClient { socket, session };
        loop {
            let message = client
                .socket
                .next()
                .await
                .expect("the server closed the connection");
            if matches!(
                message,
                Message::DocUnavailable { .. } | Message::Error { .. }
            ) {
                return Err(message);
            }
            client.handle(message).await;
            if client.session.board().is_initialised() {
                return Ok(client);
            }
        }
    }

    async fn handle(&mut self, message: Message) {
        let received = self.session.receive(message).expect("a usable message");
        for reply in received.outgoing {
            self.socket.send(&reply).await;
        }
    }

    pub fn view(&self) -> BoardView {
        self.session.board().view()
    }

    /// Closes the websocket, waiting until the server has closed its side.
    pub async fn close(mut self) {
        self.socket.close().await;
    }

    /// Applies an edit locally and sends it.
    pub async fn edit<R>(&mut self, edit: impl FnOnce(&mut Board) -> Result<R, ModelError>) -> R {
        let (result, outgoing) = self.session.edit(edit);
        for message in outgoing {
            self.socket.send(&message).await;
        }
        result.expect("a valid edit")
    }

    /// Processes messages until the board satisfies `condition`; fails the test after
    /// [`WAIT_LIMIT`] with what the client last saw.
    pub async fn wait_until(
        &mut self,
        what: &str,
        condition: impl Fn(&BoardView) -> bool,
    ) -> BoardView {
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        while !condition(&self.view()) {
            let message = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .unwrap_or_else(|_| {
                    panic!("timed out waiting until {what}; saw {:#?}", self.view())
                })
                .unwrap_or_else(|| panic!("connection closed while waiting until {what}"));
            self.handle(message).await;
        }
        self.view()
    }
}
