//! What the harness's parts share: where the binary and the browser app are, how long to wait
//! for a condition, and [`Serves`], what clients connect to.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use app::ids::BoardId;

/// How long a test waits for a condition (a peer seeing an edit, the server starting) before
/// failing. Generous: conditions normally hold within milliseconds.
pub const WAIT_LIMIT: Duration = Duration::from_secs(20);

/// How long [`SyncClient::edit`] waits for the server's answer to an edit.
pub const SETTLE_LIMIT: Duration = Duration::from_secs(2);

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

/// Where `scripts/build.sh` wrote the browser app: `ARDOISE_SITE_ROOT`, else
/// `$CARGO_TARGET_DIR/site`, else the workspace's `target/site`.
pub fn site_root() -> PathBuf {
    site_override()
        .or_else(|| std::env::var_os("CARGO_TARGET_DIR").map(|t| PathBuf::from(t).join("site")))
        .unwrap_or_else(|| workspace_root().join("target/site"))
}

/// `ARDOISE_SITE_ROOT`, if set: the servers under test serve the browser app from there (as
/// `--site-root`) rather than from the copy built into them.
pub fn site_override() -> Option<PathBuf> {
    std::env::var_os("ARDOISE_SITE_ROOT").map(PathBuf::from)
}

/// The browser app an in-process server serves: the one built into the server crate, or
/// [`site_override`]'s.
pub fn assets() -> ardoise_server::assets::Assets {
    ardoise_server::assets::Assets::load(site_override().as_deref())
        .unwrap_or_else(|e| panic!("{e} (scripts/build.sh builds it; scripts/test.sh runs it)"))
}

/// A port nobody listens on now, for a process the test starts.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// The value of an unlabelled metric in Prometheus's text format.
pub fn metric_value(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|value| value.parse().ok())
}

/// A board as `POST /api/boards` made it: its id and each link's secret.
#[derive(Debug, Clone)]
pub struct CreatedBoard {
    pub id: BoardId,
    pub facilitator: String,
    pub participant: String,
    pub observer: String,
}

/// The board `POST /api/boards` answered with, and its links' secrets.
fn created_board(body: &serde_json::Value) -> CreatedBoard {
    let id = BoardId::parse(body["id"].as_str().expect("an id")).expect("a valid board id");
    let secret = |role: &str| {
        let link = body["links"][role].as_str().expect("a link of each role");
        let prefix = format!("/b/{id}?k=");
        link.strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{link} is not {prefix}<secret>"))
            .to_owned()
    };
    CreatedBoard {
        facilitator: secret("facilitator"),
        participant: secret("participant"),
        observer: secret("observer"),
        id,
    }
}

/// A server listening on a port, in this process or in its own: what clients connect to and
/// what the HTTP helpers ask. Only this workspace's tests use it, so its futures need no
/// `Send` bound.
#[allow(async_fn_in_trait)]
pub trait Serves {
    fn addr(&self) -> SocketAddr;

    fn http_url(&self) -> String {
        format!("http://{}", self.addr())
    }

    fn sync_url(&self) -> String {
        format!("ws://{}/sync", self.addr())
    }

    /// Creates a board through the API and opens it (its plain address makes anyone a
    /// participant, as scrumblr's boards); returns its id.
    async fn create_board(&self, title: &str) -> BoardId {
        let body = self.post_board(title).await;
        if body.get("links").is_none() {
            // A server from before links (a baseline build in a benchmark): its boards are open.
            return BoardId::parse(body["id"].as_str().expect("an id")).expect("a valid board id");
        }
        let board = created_board(&body);
        self.open_board(&board).await;
        board.id
    }

    /// Opens a board's plain address to anyone, as its facilitator.
    async fn open_board(&self, board: &CreatedBoard) {
        let response = reqwest::Client::new()
            .put(format!(
                "{}/api/boards/{}/access",
                self.http_url(),
                board.id
            ))
            .bearer_auth(&board.facilitator)
            .json(&serde_json::json!({ "open": true }))
            .send()
            .await
            .expect("PUT /api/boards/{id}/access");
        assert_eq!(response.status(), 200, "the facilitator opens the board");
    }

    /// Creates a board through the API, closed as every new board is, with its three links.
    async fn create_closed_board(&self, title: &str) -> CreatedBoard {
        created_board(&self.post_board(title).await)
    }

    /// A new closed board made from a template, in the language `lang` asks for (an
    /// `Accept-Language`), and its links.
    async fn create_workshop(&self, title: &str, template: &str, lang: &str) -> CreatedBoard {
        let response = reqwest::Client::new()
            .post(format!("{}/api/boards", self.http_url()))
            .header("accept-language", lang)
            .json(&serde_json::json!({ "title": title, "template": template }))
            .send()
            .await
            .expect("POST /api/boards");
        assert_eq!(response.status(), 201);
        created_board(&response.json().await.expect("JSON body"))
    }

    /// A new closed board that is anonymous from the start, and its links.
    async fn create_anonymous_board(&self, title: &str) -> CreatedBoard {
        let body = serde_json::json!({ "title": title, "anonymous": true });
        let (status, created) = self.api("POST", "/api/boards", "", None, Some(body)).await;
        assert_eq!(status, 201, "{created}");
        created_board(&created)
    }

    /// An API request with a link's secret (none if empty) and, if given, a browser's seat
    /// (`X-Ardoise-Seat`) and a JSON body: its status and JSON answer (`null` if not JSON).
    async fn api(
        &self,
        method: &str,
        path: &str,
        secret: &str,
        seat: Option<&str>,
        json: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let mut request =
            reqwest::Client::new().request(method, format!("{}{path}", self.http_url()));
        if !secret.is_empty() {
            request = request.bearer_auth(secret);
        }
        if let Some(seat) = seat {
            request = request.header("x-ardoise-seat", seat);
        }
        if let Some(json) = json {
            request = request.json(&json);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let body = response.text().await.expect("a body");
        (
            status,
            serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
        )
    }

    /// A new seat on a board for this link (a browser's, as the page asks for one).
    async fn take_seat(&self, board: &BoardId, secret: &str) -> String {
        let path = format!("/api/boards/{board}/seats");
        let (status, answer) = self.api("POST", &path, secret, None, None).await;
        assert_eq!(status, 201, "{answer}");
        answer["seat"].as_str().expect("a seat").to_owned()
    }

    /// `GET /api/boards/{id}` as JSON, with a link's secret.
    async fn board_as(&self, id: &BoardId, secret: &str) -> serde_json::Value {
        let (status, board) = self
            .api("GET", &format!("/api/boards/{id}"), secret, None, None)
            .await;
        assert_eq!(status, 200, "{board}");
        board
    }

    /// `POST /api/boards`'s answer.
    async fn post_board(&self, title: &str) -> serde_json::Value {
        let response = reqwest::Client::new()
            .post(format!("{}/api/boards", self.http_url()))
            .json(&serde_json::json!({ "title": title }))
            .send()
            .await
            .expect("POST /api/boards");
        assert_eq!(response.status(), 201);
        response.json().await.expect("JSON body")
    }

    /// A value of `GET /metrics`.
    async fn metric(&self, name: &str) -> f64 {
        let text = reqwest::get(format!("{}/metrics", self.http_url()))
            .await
            .expect("GET /metrics")
            .text()
            .await
            .expect("a metrics body");
        metric_value(&text, name).unwrap_or_else(|| panic!("no {name} in {text}"))
    }

    /// Waits until this server has no board in memory (its idle boards were unloaded).
    async fn wait_until_no_board_is_open(&self) {
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
    async fn board_json(&self, id: &BoardId) -> serde_json::Value {
        reqwest::get(format!("{}/api/boards/{id}", self.http_url()))
            .await
            .expect("GET /api/boards/{id}")
            .json()
            .await
            .expect("JSON body")
    }
}
