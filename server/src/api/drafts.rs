//! Private post-its (silent writing) over HTTP, each request with the browser's seat: its page
//! keeps them here, never in the board document, so that no other peer gets a byte of them
//! before the reveal. The board shows only how many each person has, which the server rewrites
//! after every post-it kept or dropped. The reveal (the facilitator's of everyone's, or a
//! participant's of their own) writes them into the board as one change of the server's.

use app::{
    ephemeral::MAX_NAME_CHARS,
    ids::{BoardId, NoteId},
    model::{Colour, Hidden, Revealed, MAX_NOTE_TEXT_CHARS},
};
use axum::{
    extract::{Path, State},
    http::{request::Parts, StatusCode},
    Json,
};
use serde::{Deserialize, Serialize};

use super::{authorize_facilitator, votes::seated, ApiError};
use crate::{
    state::AppState,
    storage::{now_ms, DraftCount, DraftRefused, StoredDraft},
};

/// A private post-it as a page writes it and reads it back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Draft {
    #[serde(default)]
    pub id: String,
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub colour: String,
}

/// What a page sends to keep a private post-it: the post-it, and its author's name as shown
/// in the counts ("Alice: 3 post-its").
#[derive(Debug, Deserialize)]
pub struct PutDraft {
    #[serde(flatten)]
    pub draft: Draft,
    #[serde(default)]
    pub author: String,
}

#[derive(Debug, Serialize)]
pub struct Drafts {
    pub drafts: Vec<Draft>,
}

/// `GET /api/boards/{id}/drafts` (with a seat): this seat's private post-its.
pub async fn list_drafts(
    State(state): State<AppState>,
    Path(id): Path<String>,
    parts: Parts,
) -> Result<Json<Drafts>, ApiError> {
    let (id, seat) = seated(&state, &id, &parts, WRITES).await?;
    let stored = state.registry.storage().drafts_of(&id, &seat).await?;
    let drafts = stored
        .iter()
        .filter_map(|stored| {
            let mut draft: Draft = serde_json::from_str(&stored.body).ok()?;
            draft.id = stored.id.clone();
            Some(draft)
        })
        .collect();
    Ok(Json(Drafts { drafts }))
}

/// `PUT /api/boards/{id}/drafts/{note}` with `{text, x, y, colour, author}` (with a seat): keeps
/// this private post-it (the same request again changes nothing); `409` when it is another
/// seat's, or already revealed.
pub async fn put_draft(
    State(state): State<AppState>,
    Path((id, note)): Path<(String, String)>,
    parts: Parts,
    Json(put): Json<PutDraft>,
) -> Result<Json<Draft>, ApiError> {
    let (id, seat) = seated(&state, &id, &parts, WRITES).await?;
    let note = note_id(&note)?;
    let draft = valid(put.draft, &note)?;
    let author = put.author.trim();
    if author.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::BadRequest(format!(
            "author is at most {MAX_NAME_CHARS} characters"
        )));
    }
    let stored = StoredDraft {
        id: note.to_string(),
        author: author.to_owned(),
        body: serde_json::to_string(&draft)
            .map_err(|_| ApiError::BadRequest("this post-it cannot be kept".into()))?,
    };
    let storage = state.registry.storage();
    match storage.put_draft(&id, &seat, &stored).await? {
        Ok(true) => show_counts(&state, &id).await?,
        Ok(false) => {}
        Err(DraftRefused::NoSeat) => return Err(no_seat()),
        Err(DraftRefused::NotYours) => {
            return Err(ApiError::Conflict("another person's post-it has this id"))
        }
        Err(DraftRefused::Revealed) => {
            return Err(ApiError::Conflict(
                "this post-it is revealed: it is on the board",
            ))
        }
        Err(DraftRefused::TooMany) => {
            return Err(ApiError::Conflict(
                "no more private post-its can be kept: reveal some first",
            ))
        }
    }
    Ok(Json(draft))
}

/// `DELETE /api/boards/{id}/drafts/{note}` (with a seat): drops this seat's private post-it;
/// `204` whether it had it or not (a page that lost the answer sends it again), `409` when it
/// is being revealed.
pub async fn delete_draft(
    State(state): State<AppState>,
    Path((id, note)): Path<(String, String)>,
    parts: Parts,
) -> Result<StatusCode, ApiError> {
    let (id, seat) = seated(&state, &id, &parts, WRITES).await?;
    let note = note_id(&note)?;
    match state
        .registry
        .storage()
        .delete_draft(&id, &seat, &note)
        .await?
    {
        Ok(true) => show_counts(&state, &id).await?,
        Ok(false) => {}
        Err(_) => {
            return Err(ApiError::Conflict(
                "this post-it is revealed: it is on the board",
            ))
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize)]
pub struct Reveal {
    /// Everyone's (the facilitator only; it also ends private writing), or this seat's own.
    #[serde(default)]
    pub all: bool,
}

#[derive(Debug, Serialize)]
pub struct RevealedCount {
    pub revealed: usize,
}

/// `POST /api/boards/{id}/drafts/reveal` with `{"all": true}` (facilitator): writes everyone's
/// private post-its into the board and ends private writing; with `{}` (with a seat): this
/// seat's own. Answers how many post-its the board got.
pub async fn reveal(
    State(state): State<AppState>,
    Path(id): Path<String>,
    parts: Parts,
    Json(reveal): Json<Reveal>,
) -> Result<Json<RevealedCount>, ApiError> {
    let (id, seat) = if reveal.all {
        let what = "only the facilitator reveals everyone's post-its";
        let id = authorize_facilitator(&state, &id, &parts.uri, &parts.headers, what).await?;
        (id, None)
    } else {
        let (id, seat) = seated(&state, &id, &parts, WRITES).await?;
        (id, Some(seat))
    };
    let storage = state.registry.storage();
    let (taken, version, counts) = storage.take_drafts(&id, seat.as_ref()).await?;
    let notes: Vec<(String, String, Draft)> = taken
        .into_iter()
        .filter_map(|stored| {
            let draft = serde_json::from_str(&stored.body).ok()?;
            Some((stored.id, stored.author, draft))
        })
        .collect();
    let ids: Vec<String> = notes.iter().map(|(id, _, _)| id.clone()).collect();
    let revealed = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let written = revealed.clone();
    let now = now_ms();
    let stored = state
        .registry
        .edit(
            &id,
            Box::new(move |board| {
                let anonymous = board.is_anonymous();
                let notes: Vec<Revealed> = notes
                    .into_iter()
                    .filter_map(|(id, author, draft)| {
                        Some(Revealed {
                            id: NoteId::parse(&id).ok()?,
                            text: draft.text,
                            x: draft.x,
                            y: draft.y,
                            colour: Colour::parse(&draft.colour).unwrap_or_default(),
                            author: (!anonymous && !author.is_empty()).then_some(author),
                        })
                    })
                    .collect();
                let count = board.reveal(&notes, now)?;
                written.store(count, std::sync::atomic::Ordering::Relaxed);
                board.set_hidden(version, &hidden(&counts, anonymous))?;
                if reveal.all {
                    board.set_private_writing(false)?;
                }
                Ok(())
            }),
        )
        .await?;
    if !stored {
        storage.unmark_revealing(&id, &ids).await?;
        show_counts(&state, &id).await?;
        return Err(ApiError::Conflict(
            "the post-its could not be written into the board (is it full?): they are kept",
        ));
    }
    storage.drop_revealed(&id, &ids).await?;
    tracing::info!(board = %id, all = reveal.all, "private post-its revealed");
    Ok(Json(RevealedCount {
        revealed: revealed.load(std::sync::atomic::Ordering::Relaxed),
    }))
}

/// Writes how many private post-its each person has into the board, as storage counts them now.
async fn show_counts(state: &AppState, id: &BoardId) -> Result<(), ApiError> {
    let (version, counts) = state.registry.storage().draft_counts(id).await?;
    state
        .registry
        .edit(
            id,
            Box::new(move |board| {
                let anonymous = board.is_anonymous();
                board.set_hidden(version, &hidden(&counts, anonymous))
            }),
        )
        .await?;
    Ok(())
}

/// The counts the board shows: one per name, or only the total on an anonymous board.
fn hidden(counts: &[DraftCount], anonymous: bool) -> Vec<Hidden> {
    if anonymous {
        let count: i64 = counts.iter().map(|c| c.count).sum();
        return (count > 0)
            .then_some(Hidden { name: None, count })
            .into_iter()
            .collect();
    }
    counts
        .iter()
        .map(|c| Hidden {
            name: (!c.author.is_empty()).then(|| c.author.clone()),
            count: c.count,
        })
        .collect()
}

fn note_id(note: &str) -> Result<NoteId, ApiError> {
    NoteId::parse(note).map_err(|_| ApiError::BadRequest("a post-it's id is expected".into()))
}

/// The post-it as it will be kept, or why not.
fn valid(draft: Draft, id: &NoteId) -> Result<Draft, ApiError> {
    if draft.text.chars().count() > MAX_NOTE_TEXT_CHARS {
        return Err(ApiError::BadRequest(format!(
            "text is at most {MAX_NOTE_TEXT_CHARS} characters"
        )));
    }
    if Colour::parse(&draft.colour).is_none() {
        return Err(ApiError::BadRequest(format!(
            "no colour is called {:?}",
            draft.colour
        )));
    }
    if !(draft.x.is_finite() && draft.y.is_finite()) {
        return Err(ApiError::BadRequest("x and y are numbers".into()));
    }
    Ok(Draft {
        id: id.to_string(),
        ..draft
    })
}

/// Why an observer's link is refused.
const WRITES: &str = "an observer's link writes no post-it";

fn no_seat() -> ApiError {
    ApiError::Forbidden("this browser has no seat on the board: ask for one first")
}
