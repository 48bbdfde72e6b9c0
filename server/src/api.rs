//! The JSON API under `/api`, and the home page's form.

use app::{
    ids::BoardId,
    model::{Board, BoardView, MAX_TITLE_CHARS},
};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    Form, Json,
};
use serde::{Deserialize, Serialize};

use crate::{state::AppState, storage::StorageError};

/// Errors of the HTTP API, answered as `{"error": "..."}`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no board with this id")]
    BoardNotFound,
    #[error("no such API endpoint")]
    NoSuchEndpoint,
    #[error("{0}")]
    BadRequest(String),
    #[error("internal error")]
    Storage(#[from] StorageError),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiError::BoardNotFound | ApiError::NoSuchEndpoint => StatusCode::NOT_FOUND,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
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
}

#[derive(Debug, Serialize)]
pub struct CreatedBoard {
    pub id: String,
    pub url: String,
    pub document_id: String,
    pub automerge_url: String,
    pub title: String,
}

/// `POST /api/boards`.
pub async fn create_board(
    State(state): State<AppState>,
    Json(new): Json<NewBoard>,
) -> Result<(StatusCode, Json<CreatedBoard>), ApiError> {
    let title = valid_title(&new.title)?;
    let id = create(&state, &title).await?;
    let created = CreatedBoard {
        url: format!("/b/{id}"),
        document_id: id.to_string(),
        automerge_url: id.automerge_url(),
        id: id.to_string(),
        title,
    };
    Ok((StatusCode::CREATED, Json(created)))
}

/// Any other path under `/api`.
pub async fn no_such_endpoint() -> ApiError {
    ApiError::NoSuchEndpoint
}

/// `POST /new`: the home page's form; redirects to the new board.
pub async fn create_board_from_form(
    State(state): State<AppState>,
    Form(new): Form<NewBoard>,
) -> Result<Redirect, ApiError> {
    let Ok(title) = valid_title(&new.title) else {
        return Ok(Redirect::to("/"));
    };
    let id = create(&state, &title).await?;
    Ok(Redirect::to(&format!("/b/{id}")))
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

async fn create(state: &AppState, title: &str) -> Result<BoardId, ApiError> {
    let id = BoardId::random();
    let mut board = Board::new(title).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    state
        .registry
        .storage()
        .create_board(&id, title, &board.save())
        .await?;
    tracing::info!(board = %id, "board created");
    Ok(id)
}

/// `GET /api/boards/{id}`: the board as the model serializes it (post-its at their place on
/// the canvas, columns from left to right), with its ids.
#[derive(Serialize)]
pub struct BoardJson {
    pub id: String,
    pub document_id: String,
    #[serde(flatten)]
    pub board: BoardView,
}

/// `GET /api/boards/{id}`: the board as stored (every change a peer has seen is stored).
pub async fn get_board(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<BoardJson>, ApiError> {
    let id = BoardId::parse(&id).map_err(|_| ApiError::BoardNotFound)?;
    let loaded = state
        .registry
        .storage()
        .load_document(&id)
        .await?
        .ok_or(ApiError::BoardNotFound)?;
    Ok(Json(BoardJson {
        id: id.to_string(),
        document_id: id.to_string(),
        board: loaded.board.view(),
    }))
}

/// `DELETE /api/boards/{id}`: deletes the board and its whole history from the database (for now
/// whoever holds the board's link may); its open pages are told it is gone. `204`, or `404`.
pub async fn delete_board(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = BoardId::parse(&id).map_err(|_| ApiError::BoardNotFound)?;
    if state.registry.delete(&id).await? {
        tracing::info!(board = %id, "board deleted");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::BoardNotFound)
    }
}
