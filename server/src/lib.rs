//! The `ardoise` server: pages rendered with Leptos, a JSON API, websocket sync of board documents
//! and their durable storage.
//!
//! Layout:
//! - [`config`]: command line and environment.
//! - [`access`]: a board's links, their secrets, and what each gives.
//! - [`addresses`]: limits per client address (websockets, boards created per hour).
//! - [`storage`]: boards in SQLite or PostgreSQL through sqlx.
//! - [`sync`]: the automerge-repo websocket protocol at `/sync`, one task per open board.
//! - [`api`]: `/api/boards` and the home page's form.
//! - [`backup`]: `ardoise export` and `ardoise import`.
//! - [`pages`]: server-rendered pages.
//! - [`metrics`]: the counters behind `/metrics`.
//! - [`assets`]: the browser app's files, embedded in the binary.
//! - `state.rs`: [`AppState`], what every request handler shares.
//!
//! [`router`] builds the whole HTTP service from an [`AppState`], every path under its base
//! path; [`metrics_router`] serves `/metrics` alone, for another address. `main.rs` only wires.

pub mod access;
pub mod addresses;
pub mod api;
pub mod assets;
pub mod backup;
pub mod config;
mod etag;
pub mod export;
pub mod guide;
pub mod metrics;
pub mod pages;
mod state;
pub mod storage;
pub mod sync;

pub use state::{AppState, DEFAULT_FRAME_ANCESTORS};

use axum::http::{
    header::{CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS},
    request::Parts,
    HeaderMap, HeaderValue, StatusCode,
};
use axum::{
    extract::{Path, State, WebSocketUpgrade},
    response::{IntoResponse, Redirect, Response},
    routing::{any, get, post, put},
    Router,
};
use tower_http::{compression::CompressionLayer, set_header::SetResponseHeaderLayer};

/// The whole HTTP service, every path under the base path (`--base-path`).
pub fn router(state: AppState) -> Router {
    let base = state.site.base().to_owned();
    let at = |path: &str| format!("{base}{path}");
    // Pages and board JSON grow with the board (a 1,000-post-it page is about 0.5 MB, a tenth of
    // that compressed): compressed for slow networks. Not the websocket upgrade, nor the app's
    // files, compressed ahead of time.
    let mut routes = Router::new()
        .route(
            &at("/"),
            get(pages::home)
                .post(pages::choose_language)
                .layer(CompressionLayer::new()),
        )
        .route(&at("/new"), post(api::create_board_from_form))
        .route(
            &at("/b/{id}"),
            get(pages::board)
                .post(pages::choose_language)
                .layer(CompressionLayer::new()),
        )
        .route(&at("/api/boards"), post(api::create_board))
        .route(
            &at("/api/boards/{id}"),
            get(api::get_board)
                .layer(CompressionLayer::new())
                .delete(api::delete_board),
        )
        .route(
            &at("/api/boards/{id}/access"),
            get(api::get_access).put(api::set_access),
        )
        .route(&at("/api/boards/{id}/links/{role}"), post(api::renew_link))
        .route(&at("/api/boards/{id}/export"), get(api::export_board))
        .route(&at("/api/boards/{id}/template"), post(api::save_template))
        .route(&at("/api/templates"), get(api::list_templates))
        .route(
            &at("/api/boards/{id}/seats"),
            post(api::add_seat).get(api::get_seats).put(api::set_seats),
        )
        .route(&at("/api/boards/{id}/votes"), post(api::start_vote))
        .route(
            &at("/api/boards/{id}/votes/{round}/close"),
            post(api::close_vote),
        )
        .route(
            &at("/api/boards/{id}/votes/{round}/ballot"),
            get(api::get_ballot).post(api::cast_vote),
        )
        .route(
            &at("/api/boards/{id}/votes/{round}/take-back"),
            post(api::take_back_vote),
        )
        .route(&at("/api/boards/{id}/consent"), post(api::start_consent))
        .route(
            &at("/api/boards/{id}/consent/{round}/answer"),
            get(api::my_answer).post(api::answer_consent),
        )
        .route(
            &at("/api/boards/{id}/consent/{round}/close"),
            post(api::close_consent),
        )
        .route(&at("/api/boards/{id}/drafts"), get(api::list_drafts))
        .route(&at("/api/boards/{id}/drafts/reveal"), post(api::reveal))
        .route(
            &at("/api/boards/{id}/drafts/{note}"),
            put(api::put_draft).delete(api::delete_draft),
        )
        .route(&at("/api/{*path}"), any(api::no_such_endpoint))
        .route(&at("/sync"), get(sync_socket))
        .route(&at("/health"), get(|| async { "ok" }))
        .route(
            &at("/guide"),
            get(guide::guide).layer(CompressionLayer::new()),
        )
        .route(&at("/sw.js"), get(service_worker))
        .route(&at("/pkg/{version}/{file}"), get(versioned_asset))
        .route(&at("/pkg/{file}"), get(plain_asset));
    if state.public_metrics {
        routes = routes.route(&at("/metrics"), get(metrics));
    }
    if !base.is_empty() {
        // `https://example.org/ardoise` as people type it: the home page is `/ardoise/`.
        let home = at("/");
        routes = routes.route(
            &base,
            get(move || async move { Redirect::permanent(&home) }),
        );
    }
    routes
        .fallback(pages::not_found)
        .with_state(state)
        // On every response: a link in a page's address never goes to another site, and a
        // file is never read as another type than it is sent as.
        .layer(SetResponseHeaderLayer::overriding(
            REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}

/// `/metrics` alone, for the address of `--metrics-addr`.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(state)
}

/// `GET /metrics`: counters and latency histograms in the Prometheus text format.
async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let text = state
        .registry
        .metrics()
        .render(state.registry.open_boards());
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        text,
    )
}

/// `GET /sw.js`: the service worker, served from the base path so that it may serve every page,
/// and checked again each time so that a new version is picked up at once.
async fn service_worker(State(state): State<AppState>, headers: HeaderMap) -> Response {
    state.assets.plain("sw.js", &headers)
}

/// `GET /pkg/<version>/<file>`: one of the app's files, kept for ever by browsers.
async fn versioned_asset(
    State(state): State<AppState>,
    Path((version, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    state.assets.versioned(&version, &file, &headers)
}

/// `GET /pkg/<file>`: the same file under its plain address (scripts and tools that predate
/// versions), checked again each time.
async fn plain_asset(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    state.assets.plain(&file, &headers)
}

/// `GET /sync`: upgrades to a websocket speaking the automerge-repo protocol, with the rights
/// of the link secret it presents (`?k=` or `Authorization: Bearer`).
async fn sync_socket(
    State(state): State<AppState>,
    parts: Parts,
    upgrade: WebSocketUpgrade,
) -> Response {
    let Some(slot) = state.addresses.connect(state.addresses.of(&parts)) else {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            "too many open connections from this address",
        )
            .into_response();
    };
    let key = access::presented_secret(parts.uri.query(), &parts.headers).map(|s| s.hash());
    // Let frames somewhat over the protocol limit through, so that the connection can answer them
    // with a protocol error rather than a bare close.
    upgrade
        .read_buffer_size(sync::SOCKET_READ_BUFFER_BYTES)
        .max_message_size(sync::MAX_MESSAGE_BYTES * 2)
        .max_frame_size(sync::MAX_MESSAGE_BYTES * 2)
        .on_upgrade(move |socket| async move {
            sync::serve_socket(socket, state.registry, key).await;
            drop(slot);
        })
        .into_response()
}
