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
//! - `state.rs`: [`AppState`], what every request handler shares.
//!
//! [`router`] builds the whole HTTP service from an [`AppState`]; `main.rs` only wires.

pub mod access;
pub mod addresses;
pub mod api;
pub mod backup;
pub mod config;
pub mod metrics;
pub mod pages;
mod state;
pub mod storage;
pub mod sync;

pub use state::{AppState, DEFAULT_FRAME_ANCESTORS};

use std::path::Path;

use axum::http::{
    header::{CACHE_CONTROL, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS},
    request::Parts,
    HeaderValue, StatusCode,
};
use axum::{
    extract::{State, WebSocketUpgrade},
    response::{IntoResponse, Response},
    routing::{any, get, post, put},
    Router,
};
use tower::Layer;
use tower_http::{
    compression::CompressionLayer,
    services::{ServeDir, ServeFile},
    set_header::{SetResponseHeader, SetResponseHeaderLayer},
};

/// The whole HTTP service.
pub fn router(state: AppState) -> Router {
    let pkg = Path::new(state.leptos.site_root.as_ref()).join(state.leptos.site_pkg_dir.as_ref());
    // Pages and board JSON grow with the board (a 1,000-post-it page is about 0.5 MB, a tenth of
    // that compressed): compressed for slow networks. Not the websocket upgrade.
    Router::new()
        .route(
            "/",
            get(pages::home)
                .post(pages::choose_language)
                .layer(CompressionLayer::new()),
        )
        .route("/new", post(api::create_board_from_form))
        .route(
            "/b/{id}",
            get(pages::board)
                .post(pages::choose_language)
                .layer(CompressionLayer::new()),
        )
        .route("/api/boards", post(api::create_board))
        .route(
            "/api/boards/{id}",
            get(api::get_board)
                .layer(CompressionLayer::new())
                .delete(api::delete_board),
        )
        .route(
            "/api/boards/{id}/access",
            get(api::get_access).put(api::set_access),
        )
        .route("/api/boards/{id}/links/{role}", post(api::renew_link))
        .route("/api/boards/{id}/template", post(api::save_template))
        .route("/api/templates", get(api::list_templates))
        .route(
            "/api/boards/{id}/seats",
            post(api::add_seat).get(api::get_seats).put(api::set_seats),
        )
        .route("/api/boards/{id}/votes", post(api::start_vote))
        .route(
            "/api/boards/{id}/votes/{round}/close",
            post(api::close_vote),
        )
        .route(
            "/api/boards/{id}/votes/{round}/ballot",
            get(api::get_ballot).post(api::cast_vote),
        )
        .route(
            "/api/boards/{id}/votes/{round}/take-back",
            post(api::take_back_vote),
        )
        .route("/api/boards/{id}/consent", post(api::start_consent))
        .route(
            "/api/boards/{id}/consent/{round}/answer",
            get(api::my_answer).post(api::answer_consent),
        )
        .route(
            "/api/boards/{id}/consent/{round}/close",
            post(api::close_consent),
        )
        .route("/api/boards/{id}/drafts", get(api::list_drafts))
        .route("/api/boards/{id}/drafts/reveal", post(api::reveal))
        .route(
            "/api/boards/{id}/drafts/{note}",
            put(api::put_draft).delete(api::delete_draft),
        )
        .route("/api/{*path}", any(api::no_such_endpoint))
        .route("/sync", get(sync_socket))
        .route("/health", get(|| async { "ok" }))
        .route("/metrics", get(metrics))
        .route_service("/sw.js", service_worker(&pkg))
        .nest_service("/pkg", ServeDir::new(pkg).precompressed_gzip())
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

/// `GET /sw.js`: the service worker, served from the root so that it may serve every page, and
/// never cached by the browser's HTTP cache so that a new version is picked up at once.
fn service_worker(pkg: &Path) -> SetResponseHeader<ServeFile, HeaderValue> {
    SetResponseHeaderLayer::overriding(CACHE_CONTROL, HeaderValue::from_static("no-cache"))
        .layer(ServeFile::new(pkg.join("sw.js")))
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
