//! Server-rendered pages: the home page and `/b/{id}`. Each renders the Leptos app with a
//! [`PageContext`] so that the first view needs no WebAssembly.
//!
//! Every page is sent with a Content-Security-Policy that lets it run only Ardoise's own
//! scripts (the one inline script, which loads the app, carries a nonce drawn for that
//! response), WebAssembly, styles and websocket, and with `Referrer-Policy: no-referrer`, so
//! that a board's link never reaches another site.

use app::{i18n::Lang, ids::BoardId, shell, ui::Page, PageContext};
use axum::{
    body::Body,
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue, Request, StatusCode, Uri},
    response::{IntoResponse, Response},
    Form,
};
use leptos::{nonce::Nonce, prelude::provide_context};

use crate::{
    access::{presented_secret, Secret},
    etag,
    state::AppState,
};

/// The language chosen with the page's switch (a cookie), else the browser's preference.
pub(crate) fn lang(headers: &HeaderMap) -> Lang {
    let header_text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(Lang::from_cookie)
        .or_else(|| header_text(header::ACCEPT_LANGUAGE).map(Lang::negotiate))
        .unwrap_or_default()
}

/// The most a rendered page may hold before it is sent: a bound no board reaches, not a limit
/// (a board's document is bounded by `--max-board-bytes`, 64 MiB by default, and its page
/// carries it in base64 and its texts twice, on the canvas and in the print view).
const MAX_PAGE_BYTES: usize = 1024 * 1024 * 1024;

/// Renders a page with `status`. A `200` page carries a weak `ETag` (a digest of the page but its
/// nonce, which differs on every response), and a browser that already holds that page gets
/// `304` without the body nor a new policy: it keeps the page and the policy it has, whose nonces
/// match.
async fn render(
    state: &AppState,
    context: PageContext,
    status: StatusCode,
    request: Request<Body>,
) -> Response {
    let options = state.leptos.clone();
    let asked = request.headers().clone();
    // Leptos puts it on the inline script that starts the app.
    let nonce = Secret::random();
    let policy = content_security_policy(nonce.as_str(), &state.frame_ancestors);
    let site = state.site.clone();
    let drawn = nonce.as_str().to_owned();
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || {
            provide_context(context.clone());
            provide_context(site.clone());
            provide_context(Nonce::from_value(drawn.as_str()));
        },
        move || shell(options.clone()),
    );
    let (mut parts, body) = handler(request).await.into_response().into_parts();
    let page = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(page) => page,
        Err(error) => {
            tracing::error!(%error, "a page could not be rendered");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The page cannot be shown.\n",
            )
                .into_response();
        }
    };
    parts.status = status;
    let headers = &mut parts.headers;
    // The language comes from these two headers: a cache must not give one person's page to
    // someone who asked for another language.
    headers.append(
        header::VARY,
        HeaderValue::from_static("accept-language, cookie, authorization"),
    );
    // Asked again each time (a board changes), and kept by no shared cache (it is the board).
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, private"),
    );
    if status == StatusCode::OK {
        // The policy is part of the version: a page kept under an older one is sent again; the
        // nonce is not (it differs on every response). A page that is not UTF-8 (never) would
        // be one piece.
        let policy_without_nonce = content_security_policy("", &state.frame_ancestors);
        let mut pieces: Vec<&[u8]> = vec![policy_without_nonce.as_bytes()];
        match std::str::from_utf8(&page) {
            Ok(text) => pieces.extend(text.split(nonce.as_str()).map(str::as_bytes)),
            Err(_) => pieces.push(&page),
        }
        if etag::tag_and_check(&asked, headers, &pieces) {
            parts.status = StatusCode::NOT_MODIFIED;
            parts.headers.remove(header::CONTENT_TYPE);
            return Response::from_parts(parts, Body::empty());
        }
    }
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    Response::from_parts(parts, Body::from(page))
}

/// `GET /`.
pub async fn home(State(state): State<AppState>, request: Request<Body>) -> Response {
    // Without its saved templates the page still works: Ardoise's own are in the app.
    let saved_templates = match state.registry.storage().templates().await {
        Ok(saved) => saved.into_iter().map(|t| (t.id, t.name)).collect(),
        Err(error) => {
            tracing::warn!(%error, "the saved templates cannot be read");
            Vec::new()
        }
    };
    let context = PageContext::simple(lang(request.headers()), Page::Home { saved_templates });
    render(&state, context, StatusCode::OK, request).await
}

/// What a page may load and run: Ardoise's own scripts (the inline one by its `nonce`),
/// WebAssembly, styles (and style attributes, which the board sets on post-its) and
/// websocket; by whom it may be framed: `frame_ancestors`.
pub fn content_security_policy(nonce: &str, frame_ancestors: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors {frame_ancestors}"
    )
}

#[derive(Debug, serde::Deserialize)]
pub struct LanguageChoice {
    lang: String,
}

/// `POST /` and `POST /b/{id}` with `lang=en` (or `fr`): the language switch's form, before
/// the page's WebAssembly has arrived or without JavaScript. Remembers the language (the same
/// cookie the hydrated page sets) and sends the same address back (`303`); an unknown language
/// is a `400` and changes nothing.
pub async fn choose_language(uri: Uri, Form(choice): Form<LanguageChoice>) -> Response {
    let Some(lang) = Lang::from_code(&choice.lang).filter(|l| l.code() == choice.lang) else {
        return (StatusCode::BAD_REQUEST, "lang is fr or en\n").into_response();
    };
    let back = uri.path_and_query().map_or("/", |p| p.as_str());
    let (Ok(location), Ok(cookie)) = (
        HeaderValue::from_str(back),
        HeaderValue::from_str(&lang.cookie()),
    ) else {
        return (
            StatusCode::BAD_REQUEST,
            "this address cannot be sent back\n",
        )
            .into_response();
    };
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, location), (header::SET_COOKIE, cookie)],
    )
        .into_response()
}

/// `GET /b/{id}`, with the rights of the link secret it presents (`?k=`): a board the secret
/// gives nothing on is the page of an unknown board, so that it tells nothing of the board.
pub async fn board(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request<Body>,
) -> Response {
    let lang = lang(request.headers());
    let key = presented_secret(request.uri().query(), request.headers()).map(|s| s.hash());
    let board = match BoardId::parse(&id) {
        Ok(id) => match state.registry.role(&id, key.as_ref()).await {
            Ok(Some(role)) => state
                .registry
                .storage()
                .load_document(&id)
                .await
                .map(|loaded| loaded.map(|loaded| (id, role, loaded))),
            Ok(None) => Ok(None),
            Err(error) => Err(error),
        },
        Err(_) => Ok(None),
    };
    let (context, status) = match board {
        Ok(Some((id, role, loaded))) => {
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
                PageContext::board(lang, id, document, &title, role),
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
    render(&state, context, status, request).await
}

/// Any other path.
pub async fn not_found(State(state): State<AppState>, request: Request<Body>) -> Response {
    let context = PageContext::simple(lang(request.headers()), Page::NotFound);
    render(&state, context, StatusCode::NOT_FOUND, request).await
}
