//! Test harness for Ardoise's integration tests: a [`TestServer`] runs the real `ardoise` binary
//! on a free port with its own database, and a [`SyncClient`] speaks the sync protocol to it over
//! a real websocket, the way a browser tab does.
//!
//! The binary is `$ARDOISE_BIN` (default `target/release/ardoise`), the browser app
//! `$ARDOISE_SITE_ROOT` (default `target/site`); `scripts/test.sh` builds both first.

use std::{
    collections::HashMap,
    net::{SocketAddr, TcpListener},
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::Duration,
};

use app::{
    ids::{BoardId, PeerId},
    model::{Board, BoardView, ModelError},
    protocol::{Message, Notice, Presence},
    session::Session,
};
use futures::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::{tungstenite, MaybeTlsStream, WebSocketStream};

/// How long a test waits for a condition (a peer seeing an edit, the server starting) before
/// failing. Generous: conditions normally hold within milliseconds.
pub const WAIT_LIMIT: Duration = Duration::from_secs(20);

/// The repository's root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `ardoise` binary under test.
pub fn binary() -> PathBuf {
    std::env::var_os("ARDOISE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/release/ardoise"))
}

/// Where the browser app was built (`ARDOISE_SITE_ROOT`).
pub fn site_root() -> PathBuf {
    std::env::var_os("ARDOISE_SITE_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/site"))
}

/// The databases Ardoise runs on. Tests that store boards run on both (see [`database_tests!`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// PostgreSQL server the tests create their databases on: `$ARDOISE_TEST_POSTGRES`, by default
/// the local one (`scripts/test.sh` starts it).
fn postgres_admin_url() -> String {
    std::env::var("ARDOISE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// How long [`SyncClient::edit`] waits for the server's answer to an edit.
pub const SETTLE_LIMIT: Duration = Duration::from_secs(2);

/// Prefix of the databases the tests create (and `scripts/test.sh` drops if a run left some).
pub const TEST_DATABASE_PREFIX: &str = "ardoise_test_";

/// A database of its own for one test: an SQLite file in a temporary directory, or a new
/// PostgreSQL database dropped at the end.
pub struct TestDatabase {
    pub kind: Db,
    pub url: String,
    postgres_name: Option<String>,
    /// While the SQLite database is made unavailable: a connection holding its write lock.
    sqlite_lock: tokio::sync::Mutex<Option<sqlx::AnyConnection>>,
    _dir: tempfile::TempDir,
}

impl TestDatabase {
    pub fn new(kind: Db) -> TestDatabase {
        let dir = tempfile::tempdir().expect("temporary directory");
        match kind {
            Db::Sqlite => TestDatabase {
                kind,
                url: format!("sqlite://{}", dir.path().join("data/ardoise.db").display()),
                postgres_name: None,
                sqlite_lock: Default::default(),
                _dir: dir,
            },
            Db::Postgres => {
                let name = format!(
                    "{TEST_DATABASE_PREFIX}{}",
                    PeerId::random()
                        .as_str()
                        .to_lowercase()
                        .replace(['-', '.', ':'], "_")
                );
                psql(&format!("CREATE DATABASE {name}"));
                let admin = postgres_admin_url();
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
                TestDatabase {
                    kind,
                    url: format!("{base}/{name}"),
                    postgres_name: Some(name),
                    sqlite_lock: Default::default(),
                    _dir: dir,
                }
            }
        }
    }

    /// Runs SQL on this database (`sqlite3`-free: through sqlx), for tests that damage or age
    /// what is stored.
    pub async fn execute(&self, sql: &str, bytes: Option<Vec<u8>>) {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&self.url)
            .await
            .expect("connect to the test database");
        match bytes {
            Some(bytes) => sqlx::query(sql).bind(bytes).execute(&pool).await,
            // Without parameters: PostgreSQL's simple protocol, which VACUUM needs.
            None => sqlx::Executor::execute(&pool, sql).await,
        }
        .unwrap_or_else(|e| panic!("test SQL {sql}: {e}"));
        pool.close().await;
    }

    /// Makes the database refuse the server's writes: PostgreSQL refuses connections to it (and
    /// drops the open ones); the SQLite file is locked by another writer.
    pub async fn make_unavailable(&self) {
        match &self.postgres_name {
            Some(name) => {
                psql(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"));
                psql(&format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
                ));
            }
            None => {
                sqlx::any::install_default_drivers();
                let mut connection = <sqlx::AnyConnection as sqlx::Connection>::connect(&self.url)
                    .await
                    .expect("connect to the test database");
                sqlx::query("BEGIN EXCLUSIVE")
                    .execute(&mut connection)
                    .await
                    .expect("lock the SQLite database");
                *self.sqlite_lock.lock().await = Some(connection);
            }
        }
    }

    /// Waits until `servers` connections listen for notifications (PostgreSQL's `LISTEN`), then
    /// cuts them, as a network failure or a restarted connection pooler would.
    pub async fn cut_listening_connections(&self, servers: i64) {
        let name = self
            .postgres_name
            .as_deref()
            .expect("only PostgreSQL databases have listening connections");
        let listening = format!("datname = '{name}' AND query LIKE 'LISTEN%'");
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        while self
            .count(&format!(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE {listening}"
            ))
            .await
            < servers
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the servers never listened"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let cut = self
            .count(&format!(
                "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE {listening}) AS cut"
            ))
            .await;
        assert_eq!(cut, servers);
    }

    /// Undoes [`TestDatabase::make_unavailable`].
    pub async fn make_available(&self) {
        match &self.postgres_name {
            Some(name) => psql(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true")),
            None => {
                if let Some(mut connection) = self.sqlite_lock.lock().await.take() {
                    sqlx::query("COMMIT")
                        .execute(&mut connection)
                        .await
                        .expect("unlock the SQLite database");
                }
            }
        }
    }

    /// The number a `SELECT COUNT(*) ...` returns.
    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&self.url)
            .await
            .expect("connect to the test database");
        let count: i64 = sqlx::query_scalar(sql)
            .fetch_one(&pool)
            .await
            .expect("test SQL");
        pool.close().await;
        count
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(name) = &self.postgres_name {
            psql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// Runs one SQL statement on the PostgreSQL server with `psql`.
fn psql(sql: &str) {
    let status = Command::new("psql")
        .arg(postgres_admin_url())
        .args(["-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .stdout(Stdio::null())
        .status()
        .expect("run psql (scripts/setup.sh --test installs PostgreSQL)");
    assert!(status.success(), "psql failed: {sql}");
}

/// Declares each test twice, as `<name>::sqlite` and `<name>::postgres`, with the same body:
///
/// ```ignore
/// database_tests! {
///     async fn boards_survive_a_restart(db) {
///         let server = TestServer::start_on(db).await;
///     }
/// }
/// ```
#[macro_export]
macro_rules! database_tests {
    ($($(#[$meta:meta])* async fn $name:ident($db:ident) $body:block)*) => {$(
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($db: $crate::Db) $body

            #[tokio::test]
            async fn sqlite() {
                body($crate::Db::Sqlite).await
            }

            #[tokio::test]
            async fn postgres() {
                body($crate::Db::Postgres).await
            }
        }
    )*};
}

/// The value of an unlabelled metric in Prometheus's text format.
pub fn metric_value(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|value| value.parse().ok())
}

/// A running `ardoise` process with its own database.
pub struct TestServer {
    pub addr: SocketAddr,
    pub database: Arc<TestDatabase>,
    extra_args: Vec<String>,
    child: Option<Child>,
}

impl TestServer {
    /// Starts a server on a fresh SQLite database.
    pub async fn start() -> TestServer {
        Self::start_on(Db::Sqlite).await
    }

    /// Starts a server on a fresh database of the given kind.
    pub async fn start_on(db: Db) -> TestServer {
        Self::start_with(Arc::new(TestDatabase::new(db)), &[]).await
    }

    /// Starts a second server process sharing this one's database, as several instances
    /// behind a load balancer do.
    pub async fn another_instance(&self) -> TestServer {
        Self::start_with(self.database.clone(), &[]).await
    }

    /// Starts a server on a given database with extra command line arguments.
    pub async fn start_with(database: Arc<TestDatabase>, extra_args: &[&str]) -> TestServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut server = TestServer {
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            database,
            extra_args: extra_args.iter().map(|a| a.to_string()).collect(),
            child: None,
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
            .arg(&self.database.url)
            .arg("--site-root")
            .arg(site_root())
            .args(&self.extra_args)
            // `ARDOISE_TEST_LOG=debug` for more detail in the servers' logs.
            .env(
                "RUST_LOG",
                std::env::var("ARDOISE_TEST_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdout(Stdio::null())
            .stderr(self.log_file())
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

    /// Where this server's log (its standard error) goes.
    fn log_path(&self) -> PathBuf {
        self.database
            ._dir
            .path()
            .join(format!("ardoise-{}.log", self.addr.port()))
    }

    fn log_file(&self) -> std::fs::File {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .expect("open the server's log file")
    }

    /// What the server has logged so far (warnings and errors).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// Runs `ardoise <args> --database-url <this server's database>`, as an administrator would.
    pub fn run_cli(&self, args: &[&str]) -> std::process::Output {
        Command::new(binary())
            .args(args)
            .arg("--database-url")
            .arg(&self.database.url)
            .env("RUST_LOG", "warn")
            .output()
            .expect("run ardoise")
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

    /// The server process's id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
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

    /// A value of `GET /metrics`.
    pub async fn metric(&self, name: &str) -> f64 {
        let text = reqwest::get(format!("{}/metrics", self.http_url()))
            .await
            .expect("GET /metrics")
            .text()
            .await
            .expect("a metrics body");
        metric_value(&text, name).unwrap_or_else(|| panic!("no {name} in {text}"))
    }

    /// Waits until this server has no board in memory (its idle boards were unloaded).
    pub async fn wait_until_no_board_is_open(&self) {
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        while self.metric("ardoise_open_boards").await > 0.0 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "a board nobody has open stayed in memory"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
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
        // A failing test shows what the server logged.
        if std::thread::panicking() {
            eprintln!(
                "--- log of ardoise on port {} ---\n{}",
                self.addr.port(),
                self.log()
            );
        }
    }
}

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A websocket to `/sync`, sending and receiving raw protocol messages.
pub struct RawSocket {
    socket: Socket,
    /// Bytes of the binary frames received so far.
    received_bytes: usize,
}

impl RawSocket {
    pub async fn connect(server: &TestServer) -> RawSocket {
        // Small reads, as the server does: tungstenite zeroes its whole read buffer before each.
        let config = tungstenite::protocol::WebSocketConfig::default().read_buffer_size(8 * 1024);
        let (socket, _) =
            tokio_tungstenite::connect_async_with_config(server.sync_url(), Some(config), false)
                .await
                .expect("websocket to /sync");
        RawSocket {
            socket,
            received_bytes: 0,
        }
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
            // Longer than WAIT_LIMIT: callers waiting for something say what first.
            let frame = tokio::time::timeout(WAIT_LIMIT * 2, self.socket.next())
                .await
                .expect("the server neither answered nor closed the connection");
            match frame {
                Some(Ok(tungstenite::Message::Binary(bytes))) => {
                    self.received_bytes += bytes.len();
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

/// A sync client holding its own copy of one board, like a browser tab.
pub struct SyncClient {
    socket: RawSocket,
    session: Session,
    /// What the server last said about storing changes.
    notice: Option<Notice>,
    /// The other peers' presence as last received; a peer the server said left is removed.
    presences: HashMap<PeerId, Presence>,
    /// Ephemeral messages received from other peers.
    ephemeral_received: usize,
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
        Self::try_open_with(server, board, peer, Board::empty()).await
    }

    /// Connects with the copy of the board a tab kept (edits made while offline included), as a
    /// tab that comes back does.
    pub async fn reopen(
        server: &TestServer,
        id: &BoardId,
        peer: &PeerId,
        board: Board,
    ) -> SyncClient {
        Self::try_open_with(server, id, peer, board)
            .await
            .unwrap_or_else(|m| panic!("board {id} unavailable: {m:?}"))
    }

    async fn try_open_with(
        server: &TestServer,
        board: &BoardId,
        peer: &PeerId,
        copy: Board,
    ) -> Result<SyncClient, Message> {
        let mut socket = RawSocket::connect(server).await;
        let mut session = Session::new(peer.clone(), board.clone(), copy);
        socket.send(&session.connected()).await;
        let mut client = SyncClient {
            socket,
            session,
            notice: None,
            presences: HashMap::new(),
            ephemeral_received: 0,
        };
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
            let first_sync = matches!(message, Message::Sync { .. });
            client.handle(message).await;
            if first_sync && client.session.board().is_initialised() {
                return Ok(client);
            }
        }
    }

    /// Handles one message from the server; returns whether the board changed.
    async fn handle(&mut self, message: Message) -> bool {
        self.handle_counting(message).await.0
    }

    /// Handles one message; returns whether the board changed and whether its replies carried
    /// changes.
    async fn handle_counting(&mut self, message: Message) -> (bool, bool) {
        let received = self.session.receive(message).expect("a usable message");
        match received.notice {
            Some(Notice::Left { peer }) => {
                self.presences.remove(&peer);
            }
            Some(notice) => self.notice = Some(notice),
            None => {}
        }
        if let Some((peer, data)) = received.ephemeral {
            self.ephemeral_received += 1;
            if let Some(presence) = Presence::decode(&data) {
                self.presences.insert(peer, presence);
            }
        }
        let carries_changes = received.outgoing.iter().any(|reply| match reply {
            Message::Sync { data, .. } | Message::Request { data, .. } => {
                automerge::sync::Message::decode(data).is_ok_and(|m| !m.changes.is_empty())
            }
            _ => false,
        });
        for reply in received.outgoing {
            self.socket.send(&reply).await;
        }
        (received.changed, carries_changes)
    }

    /// Reads the server's answers until one of them asks for no more changes (or for
    /// [`SETTLE_LIMIT`], if the server does not answer, as while its database is away). Automerge
    /// sync relies on this: a change the server's Bloom filter wrongly claims to have (about one
    /// in a hundred) is only sent once the server's answer asks for it, as a browser tab, which
    /// always reads its socket, does at once.
    async fn settle(&mut self) {
        let deadline = tokio::time::Instant::now() + SETTLE_LIMIT;
        while let Ok(Some(message)) = tokio::time::timeout_at(deadline, self.socket.next()).await {
            let is_sync = matches!(message, Message::Sync { .. });
            let (_, resent) = self.handle_counting(message).await;
            if is_sync && !resent {
                return;
            }
        }
    }

    /// Handles the next message from the server: `Some(true)` if it changed the board, `None`
    /// once the connection is closed.
    pub async fn receive(&mut self) -> Option<bool> {
        let message = self.socket.next().await?;
        Some(self.handle(message).await)
    }

    /// Handles whatever the server sends during `duration`.
    pub async fn pump(&mut self, duration: Duration) {
        let deadline = tokio::time::Instant::now() + duration;
        while let Ok(Some(message)) = tokio::time::timeout_at(deadline, self.socket.next()).await {
            self.handle(message).await;
        }
    }

    /// Bytes received from the server so far.
    pub fn received_bytes(&self) -> usize {
        self.socket.received_bytes()
    }

    pub fn peer_id(&self) -> &PeerId {
        self.session.peer_id()
    }

    /// The heads of this client's copy of the board.
    pub fn heads(&mut self) -> Vec<automerge::ChangeHash> {
        self.session.board_mut().doc_mut().get_heads()
    }

    /// The connection, to go on with raw protocol messages.
    pub fn into_socket(self) -> RawSocket {
        self.socket
    }

    /// This client's copy of the board, with whatever it could not send.
    pub fn into_board(self) -> Board {
        self.session.board().clone()
    }

    /// Reads until the server says the board is unavailable (or the connection ends); returns
    /// the kinds of the messages read, the last one first to check.
    pub async fn kinds_until_unavailable(&mut self) -> Vec<String> {
        let mut kinds = Vec::new();
        while let Some(message) = self.next_message().await {
            kinds.push(message.kind().to_owned());
            if message.kind() == "doc-unavailable" {
                break;
            }
        }
        kinds
    }

    /// What the server last said about storing changes.
    pub fn notice(&self) -> Option<Notice> {
        self.notice.clone()
    }

    /// How many ephemeral messages from other peers this client has received.
    pub fn ephemeral_received(&self) -> usize {
        self.ephemeral_received
    }

    /// Sends this client's presence to the board's other peers.
    pub async fn send_presence(&mut self, presence: &Presence) {
        self.send_ephemeral(presence.encode()).await;
    }

    /// Sends any ephemeral data to the board's other peers.
    pub async fn send_ephemeral(&mut self, data: Vec<u8>) {
        let message = self.session.ephemeral(data).expect("a joined client");
        self.socket.send(&message).await;
    }

    /// Processes messages until the other peers' presence satisfies `condition`.
    pub async fn wait_for_presences(
        &mut self,
        what: &str,
        condition: impl Fn(&HashMap<PeerId, Presence>) -> bool,
    ) -> HashMap<PeerId, Presence> {
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        while !condition(&self.presences) {
            let message = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .unwrap_or_else(|_| {
                    panic!("timed out waiting until {what}; saw {:#?}", self.presences)
                })
                .unwrap_or_else(|| panic!("connection closed while waiting until {what}"));
            self.handle(message).await;
        }
        self.presences.clone()
    }

    /// Applies an edit locally and tries to send it; `false` if the connection is gone (the
    /// edit stays in this client's copy).
    pub async fn try_edit(
        &mut self,
        edit: impl FnOnce(&mut Board) -> Result<(), ModelError>,
    ) -> bool {
        let (result, outgoing) = self.session.edit(edit);
        result.expect("a valid edit");
        for message in outgoing {
            let sent = self
                .socket
                .socket
                .send(tungstenite::Message::Binary(message.encode().into()))
                .await;
            if sent.is_err() {
                return false;
            }
        }
        true
    }

    /// Processes messages until the connection closes, calling `seen` after each one that changed
    /// the board.
    pub async fn receive_until_closed(&mut self, mut seen: impl FnMut(&BoardView)) {
        loop {
            let next = tokio::time::timeout(WAIT_LIMIT, self.socket.socket.next()).await;
            let bytes = match next {
                Ok(Some(Ok(tungstenite::Message::Binary(bytes)))) => bytes,
                Ok(Some(Ok(tungstenite::Message::Close(_))) | None) => return,
                // Said, so that a test that stopped early says why.
                other => {
                    eprintln!("receive_until_closed stops on {other:?}");
                    return;
                }
            };
            let Ok(message) = Message::decode(&bytes) else {
                eprintln!("receive_until_closed stops on an undecodable message");
                return;
            };
            let received = self.session.receive(message).expect("a usable message");
            if let Some(error) = &received.error {
                eprintln!("the server said: {error}");
            }
            for reply in received.outgoing {
                let reply = tungstenite::Message::Binary(reply.encode().into());
                if self.socket.socket.send(reply).await.is_err() {
                    return;
                }
            }
            if received.changed {
                seen(&self.view());
            }
        }
    }

    /// The next message from the server, once handled; `None` if the connection closed.
    pub async fn next_message(&mut self) -> Option<Message> {
        let message = self.socket.next().await?;
        self.handle(message.clone()).await;
        Some(message)
    }

    /// Processes messages until the server's last notice is `notice`.
    pub async fn wait_for_notice(&mut self, notice: Notice) -> BoardView {
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        while self.notice.as_ref() != Some(&notice) {
            let message = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .unwrap_or_else(|_| panic!("timed out waiting for {notice:?}"))
                .unwrap_or_else(|| panic!("connection closed while waiting for {notice:?}"));
            self.handle(message).await;
        }
        self.view()
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
        let sent = !outgoing.is_empty();
        for message in outgoing {
            self.socket.send(&message).await;
        }
        if sent {
            self.settle().await;
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

/// What the benchmarks (`benches/storage.rs`, the `ardoise-load` binary) share.
pub mod bench {
    use std::{path::PathBuf, time::Duration};

    /// The `p` quantile (0 to 1) of sorted samples, in milliseconds; NaN when there are none.
    pub fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
        if sorted.is_empty() {
            return f64::NAN;
        }
        let index = ((sorted.len() - 1) as f64 * p).round() as usize;
        sorted[index].as_secs_f64() * 1000.0
    }

    /// The median of samples, in milliseconds.
    pub fn median_ms(mut samples: Vec<Duration>) -> f64 {
        samples.sort();
        percentile_ms(&samples, 0.5)
    }

    /// Writes a benchmark's results as `bench/<name>.json` under cargo's target directory and
    /// says where.
    pub fn write_json(name: &str, results: &serde_json::Value) -> PathBuf {
        let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
        let dir = PathBuf::from(target).join("bench");
        std::fs::create_dir_all(&dir).expect("create the bench directory");
        let path = dir.join(format!("{name}.json"));
        let bytes = serde_json::to_vec_pretty(results).expect("JSON");
        std::fs::write(&path, bytes).expect("write the results");
        println!("written to {}", path.display());
        path
    }
}
