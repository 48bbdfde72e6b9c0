//! The JSON API under `/api`, and the home page's form. Every request about a board presents
//! one of its link secrets (`?k=` or `Authorization: Bearer`), or none; what that gives decides
//! what it may do, and a board it gives nothing on answers `404` like a board that does not
//! exist.
//!
//! Layout: this file holds boards, their access and links; `templates.rs` the templates (listed,
//! applied to a new board, saved from one); `votes.rs` seats and voting sessions; `drafts.rs`
//! private post-its (silent writing) and their reveal; `consent.rs` consent rounds.

mod consent;
mod drafts;
mod templates;
mod votes;

pub use consent::{answer_consent, close_consent, my_answer, start_consent};
pub use drafts::{delete_draft, list_drafts, put_draft, reveal};
pub use templates::{list_templates, save_template};
pub use votes::{
    add_seat, cast_vote, close_vote, get_ballot, get_seats, set_seats, start_vote, take_back_vote,
    SEAT_HEADER,
};

use app::{
    access::Role,
    i18n::Lang,
    ids::BoardId,
    model::{Board, Signature, MAX_TITLE_CHARS},
    templates::Template,
};
use axum::{
    extract::{Path, Query, State},
    http::{header, request::Parts, HeaderMap, StatusCode, Uri},
    response::{IntoResponse, Redirect, Response},
    Form, Json,
};
use serde::{Deserialize, Serialize};

use crate::{
    access::{presented_secret, NewLinks},
    export,
    state::AppState,
    storage::StorageError,
};

/// Errors of the HTTP API, answered as `{"error": "..."}`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no board with this id")]
    BoardNotFound,
    #[error("no such API endpoint")]
    NoSuchEndpoint,
    #[error("{0}")]
    BadRequest(String),
    /// The link can see the board but not do this.
    #[error("{0}")]
    Forbidden(&'static str),
    /// Not now: the board's state does not allow it (a vote that is closed, no vote left).
    #[error("{0}")]
    Conflict(&'static str),
    #[error("too many boards created from this address in the last hour: try again later")]
    TooManyBoards,
    #[error("this server keeps as many templates as it can: no more can be saved")]
    TooManyTemplates,
    #[error("internal error")]
    Storage(#[from] StorageError),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiError::BoardNotFound | ApiError::NoSuchEndpoint => StatusCode::NOT_FOUND,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::TooManyBoards => StatusCode::TOO_MANY_REQUESTS,
            ApiError::TooManyTemplates => StatusCode::INSUFFICIENT_STORAGE,
            ApiError::Storage(error) => {
                tracing::error!(%error, "storage error in the API");
                StatusCode::SERVICE_UNAVAILABLE
            }
        };
        (
            status,
            Json(serde_json::json!({ "error": self.to_string() })),
        )
            .into_response()
    }
}

#[derive(Debug, Deserialize)]
pub struct NewBoard {
    pub title: String,
    /// The template to start from (`GET /api/templates`); none: a board without columns or
    /// phases, as before templates.
    #[serde(default)]
    pub template: Option<String>,
    /// An anonymous board from the start: no author's name is ever written into it.
    #[serde(default, deserialize_with = "flag")]
    pub anonymous: bool,
}

/// A yes or no, from JSON (`true`) or from a form's checkbox (`on`).
fn flag<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
    }
    Ok(match Flag::deserialize(deserializer)? {
        Flag::Bool(flag) => flag,
        Flag::Text(text) => matches!(text.as_str(), "on" | "true" | "1"),
    })
}

#[derive(Debug, Serialize)]
pub struct CreatedBoard {
    pub id: String,
    pub url: String,
    pub document_id: String,
    pub automerge_url: String,
    pub title: String,
    /// The board page's path with each role's secret: the only time they are given.
    pub links: Links,
}

#[derive(Debug, Serialize)]
pub struct Links {
    pub facilitator: String,
    pub participant: String,
    pub observer: String,
}

/// `POST /api/boards`: a new board, closed, and its three links.
pub async fn create_board(
    State(state): State<AppState>,
    parts: Parts,
    Json(new): Json<NewBoard>,
) -> Result<(StatusCode, Json<CreatedBoard>), ApiError> {
    let title = valid_title(&new.title)?;
    let template = templates::chosen(&state, new.template.as_deref(), &parts.headers).await?;
    let (id, links) = create(&state, &parts, &title, template.as_ref(), new.anonymous).await?;
    let link = |role| state.site.path(&links.secret(role).link(&id));
    let created = CreatedBoard {
        url: state.site.path(&format!("/b/{id}")),
        document_id: id.to_string(),
        automerge_url: id.automerge_url(),
        id: id.to_string(),
        title,
        links: Links {
            facilitator: link(Role::Facilitator),
            participant: link(Role::Participant),
            observer: link(Role::Observer),
        },
    };
    Ok((StatusCode::CREATED, Json(created)))
}

/// Any other path under `/api`.
pub async fn no_such_endpoint() -> ApiError {
    ApiError::NoSuchEndpoint
}

/// `POST /new`: the home page's form; redirects to the new board's facilitator link. The
/// other two links ride in the address's fragment (which browsers never send to a server),
/// for the page to keep in "My boards" and show in its links panel.
pub async fn create_board_from_form(
    State(state): State<AppState>,
    parts: Parts,
    Form(new): Form<NewBoard>,
) -> Result<Redirect, ApiError> {
    let Ok(title) = valid_title(&new.title) else {
        return Ok(Redirect::to(&state.site.path("/")));
    };
    let template = match templates::chosen(&state, new.template.as_deref(), &parts.headers).await {
        Ok(template) => template,
        Err(ApiError::BadRequest(_)) => return Ok(Redirect::to(&state.site.path("/"))),
        Err(error) => return Err(error),
    };
    let (id, links) = create(&state, &parts, &title, template.as_ref(), new.anonymous).await?;
    let secret = |role| links.secret(role).as_str().to_owned();
    Ok(Redirect::to(&format!(
        "{}#{}={}&{}={}",
        state.site.path(&links.secret(Role::Facilitator).link(&id)),
        Role::Participant.as_str(),
        secret(Role::Participant),
        Role::Observer.as_str(),
        secret(Role::Observer),
    )))
}

fn valid_title(title: &str) -> Result<String, ApiError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(ApiError::BadRequest("title must not be empty".into()));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(ApiError::BadRequest(format!(
            "title must be at most {MAX_TITLE_CHARS} characters"
        )));
    }
    Ok(title.to_owned())
}

async fn create(
    state: &AppState,
    parts: &Parts,
    title: &str,
    template: Option<&Template>,
    anonymous: bool,
) -> Result<(BoardId, NewLinks), ApiError> {
    if !state.addresses.may_create_board(state.addresses.of(parts)) {
        return Err(ApiError::TooManyBoards);
    }
    let id = BoardId::random();
    let board = match template {
        Some(template) => template.board(title),
        None => Board::new(title),
    };
    let mut board = board.map_err(|e| ApiError::BadRequest(e.to_string()))?;
    if anonymous {
        board
            .set_anonymous(true)
            .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    }
    board.sign(&Signature::server(crate::storage::now_ms()));
    let links = NewLinks::random();
    state
        .registry
        .storage()
        .create_board(&id, title, &board.save(), &links.access)
        .await?;
    tracing::info!(board = %id, "board created");
    Ok((id, links))
}

/// A board a request may see: its id, the role the request's secret gives there, and whether
/// the board is open.
struct Authorized {
    id: BoardId,
    role: Role,
    open: bool,
}

/// The board a request is about and what its secret gives there; `404` for no such board and
/// for a board the secret gives nothing on, alike.
async fn authorize(
    state: &AppState,
    id: &str,
    uri: &Uri,
    headers: &HeaderMap,
) -> Result<Authorized, ApiError> {
    let id = BoardId::parse(id).map_err(|_| ApiError::BoardNotFound)?;
    let key = presented_secret(uri.query(), headers).map(|secret| secret.hash());
    let access = state.registry.storage().access(&id).await?;
    match access.and_then(|access| Some((access.role(key.as_ref())?, access.open))) {
        Some((role, open)) => Ok(Authorized { id, role, open }),
        None => Err(ApiError::BoardNotFound),
    }
}

/// [`authorize`], for what only the facilitator may do.
async fn authorize_facilitator(
    state: &AppState,
    id: &str,
    uri: &Uri,
    headers: &HeaderMap,
    what: &'static str,
) -> Result<BoardId, ApiError> {
    let board = authorize(state, id, uri, headers).await?;
    if board.role.facilitates() {
        Ok(board.id)
    } else {
        Err(ApiError::Forbidden(what))
    }
}

/// `GET /api/boards/{id}`: the board as stored (every change a peer has seen is stored), for
/// any of its links.
pub async fn get_board(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Json<export::BoardJson>, ApiError> {
    let id = authorize(&state, &id, &uri, &headers).await?.id;
    let loaded = state
        .registry
        .storage()
        .load_document(&id)
        .await?
        .ok_or(ApiError::BoardNotFound)?;
    Ok(Json(export::BoardJson {
        id: id.to_string(),
        document_id: id.to_string(),
        board: loaded.board.view(),
    }))
}

/// What `GET /api/boards/{id}/export` takes: the format, the moment, the words' language.
#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub lang: Option<String>,
}

/// `GET /api/boards/{id}/export?format=md|csv|json|ods|svg|png|pdf|automerge[&at=<change hash
/// or time>][&lang=fr|en]`: the board (now, or as it was at that moment) as a file to download,
/// for any of its links (an observer may take it away too). JSON by default.
pub async fn export_board(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<ExportQuery>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = authorize(&state, &id, &uri, &headers).await?.id;
    let bad = |e: export::ExportError| ApiError::BadRequest(e.to_string());
    let format = export::Format::parse(query.format.as_deref().unwrap_or("json")).map_err(bad)?;
    let at = query
        .at
        .as_deref()
        .map(export::At::parse)
        .transpose()
        .map_err(bad)?;
    let lang = query
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or_else(|| crate::pages::lang(&headers));
    let mut loaded = state
        .registry
        .storage()
        .load_document(&id)
        .await?
        .ok_or(ApiError::BoardNotFound)?;
    let request = export::Request {
        id,
        format,
        at,
        lang,
    };
    // Drawing a large board takes a while: off the async threads.
    let exported = tokio::task::spawn_blocking(move || export::export(&mut loaded.board, &request))
        .await
        .map_err(|_| ApiError::BadRequest("the export failed".into()))?
        .map_err(bad)?;
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", exported.file_name),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        exported.bytes,
    )
        .into_response())
}

/// `DELETE /api/boards/{id}`: deletes the board and its whole history from the database (the
/// facilitator's link only); its open pages are told it is gone. `204`, `403` or `404`.
pub async fn delete_board(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let id = authorize_facilitator(
        &state,
        &id,
        &uri,
        &headers,
        "only the board's facilitator may delete it",
    )
    .await?;
    if state.registry.delete(&id).await? {
        tracing::info!(board = %id, "board deleted");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::BoardNotFound)
    }
}

/// What `GET /api/boards/{id}/access` answers: the caller's role, and whether the board is open.
#[derive(Debug, Serialize, Deserialize)]
pub struct AccessJson {
    pub role: Role,
    pub open: bool,
}

/// `GET /api/boards/{id}/access`: what the presented link gives, and whether the board's plain
/// address is open.
pub async fn get_access(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Json<AccessJson>, ApiError> {
    let Authorized { role, open, .. } = authorize(&state, &id, &uri, &headers).await?;
    Ok(Json(AccessJson { role, open }))
}

#[derive(Debug, Deserialize)]
pub struct SetAccess {
    pub open: bool,
}

/// `PUT /api/boards/{id}/access` with `{"open": bool}`: opens the board's plain address to anyone
/// as a participant, or closes it (the facilitator's link only; connections it let in end).
pub async fn set_access(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    Json(set): Json<SetAccess>,
) -> Result<Json<AccessJson>, ApiError> {
    let id = authorize_facilitator(
        &state,
        &id,
        &uri,
        &headers,
        "only the board's facilitator may open or close it",
    )
    .await?;
    if !state.registry.set_open(&id, set.open).await? {
        return Err(ApiError::BoardNotFound);
    }
    tracing::info!(board = %id, open = set.open, "board access changed");
    Ok(Json(AccessJson {
        role: Role::Facilitator,
        open: set.open,
    }))
}

#[derive(Debug, Serialize)]
pub struct NewLink {
    pub role: Role,
    pub link: String,
}

/// `POST /api/boards/{id}/links/{role}`: a new link of that kind (the facilitator's link only);
/// the old one stops working at once, for connections open with it too.
pub async fn renew_link(
    State(state): State<AppState>,
    Path((id, role)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Json<NewLink>, ApiError> {
    let id = authorize_facilitator(
        &state,
        &id,
        &uri,
        &headers,
        "only the board's facilitator may make its links",
    )
    .await?;
    let role = Role::parse(&role).ok_or_else(|| {
        ApiError::BadRequest("the kind of link is facilitator, participant or observer".into())
    })?;
    let secret = state
        .registry
        .renew_link(&id, role)
        .await?
        .ok_or(ApiError::BoardNotFound)?;
    tracing::info!(board = %id, role = role.as_str(), "a link was renewed");
    Ok(Json(NewLink {
        role,
        link: state.site.path(&secret.link(&id)),
    }))
}
