//! The router in the test's own process, on a real database: requests go straight to it
//! (`tower::ServiceExt::oneshot`, no socket), and it also listens on a free port so that sync
//! clients connect to it over real websockets. Starts in milliseconds, needs no binary.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use ardoise_server::{router, storage::Storage, AppState};
use axum::{
    body::{Body, Bytes},
    http::{header, HeaderMap, Request, StatusCode},
    Router,
};
use tower::ServiceExt;

use crate::{
    common::{assets, Serves},
    database::{Db, TestDatabase},
};

/// How long a board with nobody connected stays in memory, by default (the binary's default).
const IDLE_UNLOAD: Duration = Duration::from_secs(60);
/// Largest response body a test reads.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Ardoise's router served by this process.
pub struct TestApp {
    pub addr: SocketAddr,
    pub database: Arc<TestDatabase>,
    pub state: AppState,
    router: Router,
    serving: tokio::task::JoinHandle<()>,
}

/// A response read whole.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl TestResponse {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// Every value of a header, joined by commas.
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl TestApp {
    /// On a fresh SQLite database.
    pub async fn start() -> TestApp {
        Self::start_on(Db::Sqlite).await
    }

    /// On a fresh database of the given kind.
    pub async fn start_on(db: Db) -> TestApp {
        Self::start_with(Arc::new(TestDatabase::new(db)), IDLE_UNLOAD).await
    }

    /// On a given database, unloading idle boards after `idle_unload`.
    pub async fn start_with(database: Arc<TestDatabase>, idle_unload: Duration) -> TestApp {
        Self::start_configured(database, idle_unload, |state| state).await
    }

    /// On a given database, with settings changed by `configure`.
    pub async fn start_configured(
        database: Arc<TestDatabase>,
        idle_unload: Duration,
        configure: impl FnOnce(AppState) -> AppState,
    ) -> TestApp {
        let storage = Storage::connect(&database.url)
            .await
            .expect("connect to the test database");
        let state = configure(AppState::new(storage, assets(), idle_unload));
        let router = router(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let addr = listener.local_addr().expect("the port");
        let serving = tokio::spawn({
            let router = router.clone();
            let state = state.clone();
            async move {
                tokio::spawn(state.registry.clone().follow_other_servers());
                let service = router.into_make_service_with_connect_info::<SocketAddr>();
                let _ = axum::serve(listener, service).await;
            }
        });
        TestApp {
            addr,
            database,
            state,
            router,
            serving,
        }
    }

    /// Sends one request to the router, without a socket.
    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers every request");
        let (parts, body) = response.into_parts();
        let body = axum::body::to_bytes(body, MAX_BODY_BYTES)
            .await
            .expect("a readable body");
        TestResponse {
            status: parts.status,
            headers: parts.headers,
            body,
        }
    }

    /// `GET path` with these headers.
    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> TestResponse {
        let mut request = Request::get(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.request(request.body(Body::empty()).expect("a request"))
            .await
    }

    /// `POST path` with a body of the given content type.
    pub async fn post(
        &self,
        path: &str,
        content_type: &str,
        body: impl Into<Body>,
    ) -> TestResponse {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, content_type)
            .body(body.into())
            .expect("a request");
        self.request(request).await
    }

    /// A request with these headers and, if given, a JSON body: its status and JSON answer
    /// (`null` for a body that is not JSON).
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        json: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut request = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let body = match json {
            Some(json) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        let response = self.request(request.body(body).expect("a request")).await;
        let json = serde_json::from_slice(&response.body).unwrap_or_default();
        (response.status.as_u16(), json)
    }

    /// `POST path` with a JSON body.
    pub async fn post_json(&self, path: &str, json: &serde_json::Value) -> TestResponse {
        self.post(path, "application/json", json.to_string()).await
    }
}

impl Serves for TestApp {
    fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.serving.abort();
    }
}
