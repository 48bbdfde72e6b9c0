//! Server-rendered pages: the home page and `/b/{id}`. Each renders the Leptos app with a
//! [`PageContext`] so that the first view needs no WebAssembly.

use app::{i18n::Lang, ids::BoardId, shell, ui::Page, PageContext};
use axum::{
    body::Body,
    extract::{Path, State},
    http::{header, HeaderMap, Request, StatusCode},
    response::{IntoResponse, Response},
};
use leptos::prelude::provide_context;

use crate::state::AppState;

/// The language chosen with the page's switch (a cookie), else the browser's preference.
fn lang(headers: &HeaderMap) -> Lang {
    let header_text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(Lang::from_cookie)
        .or_else(|| header_text(header::ACCEPT_LANGUAGE).map(Lang::negotiate))
        .unwrap_or_default()
}

async fn render(state: &AppState, context: PageContext, request: Request<Body>) -> Response {
    let options = state.leptos.clone();
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || provide_context(context.clone()),
        move || shell(options.clone()),
    );
    let mut response = handler(request).await.into_response();
    // The language comes from these two headers: a cache must not give one person's page to
    // someone who asked for another language.
    response.headers_mut().append(
        header::VARY,
        header::HeaderValue::from_static("accept-language, cookie"),
    );
    response
}

/// `GET /`.
pub async fn home(State(state): State<AppState>, request: Request<Body>) -> Response {
    let context = PageContext::simple(lang(request.headers()), Page::Home);
    render(&state, context, request).await
}

/// `GET /b/{id}`.
pub async fn board(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request<Body>,
) -> Response {
    let lang = lang(request.headers());
    let board = match BoardId::parse(&id) {
        Ok(id) => state
            .registry
            .storage()
            .load_document(&id)
            .await
            .map(|loaded| loaded.map(|loaded| (id, loaded))),
        Err(_) => Ok(None),
    };
    let (context, status) = match board {
        Ok(Some((id, loaded))) => {
            let title = loaded.board.title();
            // The stored snapshot and log are a valid document already: no need to save the
            // loaded one again (unless some bytes were damaged, which the page must not carry).
            let document = if loaded.damaged {
                let mut board = loaded.board;
                board.save()
            } else {
                loaded.stored.document_bytes()
            };
            (
                PageContext::board(lang, id, document, &title),
                StatusCode::OK,
            )
        }
        Ok(None) => (
            PageContext::simple(lang, Page::NotFound),
            StatusCode::NOT_FOUND,
        ),
        Err(error) => {
            tracing::error!(%error, "cannot load a board page");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "The board cannot be loaded right now.",
            )
                .into_response();
        }
    };
    let mut response = render(&state, context, request).await;
    *response.status_mut() = status;
    response
}

/// Any other path.
pub async fn not_found(State(state): State<AppState>, request: Request<Body>) -> Response {
    let context = PageContext::simple(lang(request.headers()), Page::NotFound);
    let mut response = render(&state, context, request).await;
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}
