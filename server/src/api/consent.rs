//! Consent rounds over HTTP. The facilitator opens a round on a proposal (a post-it) and closes
//! it; each browser answers once with its seat (`X-Ardoise-Seat`): consent, a reservation or an
//! objection (which needs its reason). The server keeps the answers, writes only how many there
//! are into the board while the round is open, and the result once closed.

use app::{
    ephemeral::MAX_NAME_CHARS,
    ids::NoteId,
    model::{Answer, ConsentResult, Reason, MAX_REASON_CHARS},
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
    storage::{AnswerRefused, StoredAnswer},
};

/// Why an observer's link is refused.
const ANSWERS: &str = "an observer's link does not answer";

#[derive(Debug, Deserialize)]
pub struct NewRound {
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct RoundJson {
    pub round: i64,
    pub note: String,
    pub open: bool,
}

/// `POST /api/boards/{id}/consent` with `{"note": <post-it id>}` (facilitator): opens a consent
/// round on that proposal (an open one closes unanswered); `201` and the round.
pub async fn start_consent(
    State(state): State<AppState>,
    Path(id): Path<String>,
    parts: Parts,
    Json(new): Json<NewRound>,
) -> Result<(StatusCode, Json<RoundJson>), ApiError> {
    let what = "only the facilitator opens a consent round";
    let id = authorize_facilitator(&state, &id, &parts.uri, &parts.headers, what).await?;
    let note = NoteId::parse(&new.note)
        .map_err(|_| ApiError::BadRequest("note is a post-it's id".into()))?;
    let round = state.registry.storage().start_consent(&id, &note).await?;
    let proposal = note.clone();
    let written = state
        .registry
        .edit(
            &id,
            Box::new(move |board| {
                if board.view().note(&proposal).is_none() {
                    return Err(app::model::ModelError::NoSuchNote(proposal));
                }
                board.open_consent(round, &proposal)
            }),
        )
        .await?;
    if !written {
        // Not shown on the board: nobody answers it.
        state.registry.storage().close_consent(&id, round).await?;
        return Err(ApiError::BadRequest("the board has no such post-it".into()));
    }
    tracing::info!(board = %id, round, "consent round opened");
    Ok((
        StatusCode::CREATED,
        Json(RoundJson {
            round,
            note: note.to_string(),
            open: true,
        }),
    ))
}

#[derive(Debug, Deserialize)]
pub struct GivenAnswer {
    pub answer: String,
    #[serde(default)]
    pub reason: String,
    /// The name shown with a reservation or an objection (none on an anonymous board).
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct AnswerJson {
    pub round: i64,
    /// `null` before this seat answered.
    pub answer: Option<String>,
    pub reason: String,
}

/// `POST /api/boards/{id}/consent/{round}/answer` with `{"answer": "consent" | "reservation" |
/// "objection", "reason", "name"}` (with a seat): this seat's answer, once; `409` when the round
/// is closed or the seat has answered, `400` for an objection without its reason.
pub async fn answer_consent(
    State(state): State<AppState>,
    Path((id, round)): Path<(String, i64)>,
    parts: Parts,
    Json(given): Json<GivenAnswer>,
) -> Result<Json<AnswerJson>, ApiError> {
    let (id, seat) = seated(&state, &id, &parts, ANSWERS).await?;
    let answer = Answer::parse(&given.answer).ok_or_else(|| {
        ApiError::BadRequest("answer is \"consent\", \"reservation\" or \"objection\"".into())
    })?;
    let reason = given.reason.trim();
    if answer.needs_a_reason() && reason.is_empty() {
        return Err(ApiError::BadRequest("an objection says why".into()));
    }
    if reason.chars().count() > MAX_REASON_CHARS || given.name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::BadRequest(format!(
            "a reason is at most {MAX_REASON_CHARS} characters, a name {MAX_NAME_CHARS}"
        )));
    }
    // A consent needs no reason: none is kept.
    let stored = StoredAnswer {
        answer: answer.as_str().to_owned(),
        reason: if answer == Answer::Consent {
            String::new()
        } else {
            reason.to_owned()
        },
        name: given.name.trim().to_owned(),
    };
    let storage = state.registry.storage();
    let answered = match storage.answer_consent(&id, round, &seat, &stored).await? {
        Ok(answered) => answered,
        Err(AnswerRefused::NoSeat) => {
            return Err(ApiError::Forbidden(
                "this browser has no seat on the board: ask for one first",
            ))
        }
        Err(AnswerRefused::NotOpen) => return Err(ApiError::Conflict("this round is not open")),
        Err(AnswerRefused::AlreadyAnswered) => {
            return Err(ApiError::Conflict("this round has your answer already"))
        }
    };
    state
        .registry
        .edit(
            &id,
            Box::new(move |board| board.set_consent_answered(round, answered)),
        )
        .await?;
    Ok(Json(AnswerJson {
        round,
        answer: Some(stored.answer),
        reason: stored.reason,
    }))
}

/// `GET /api/boards/{id}/consent/{round}/answer` (with a seat): what this seat answered.
pub async fn my_answer(
    State(state): State<AppState>,
    Path((id, round)): Path<(String, i64)>,
    parts: Parts,
) -> Result<Json<AnswerJson>, ApiError> {
    let (id, seat) = seated(&state, &id, &parts, ANSWERS).await?;
    let mine = state
        .registry
        .storage()
        .my_answer(&id, round, &seat)
        .await?;
    Ok(Json(AnswerJson {
        round,
        reason: mine.as_ref().map(|m| m.reason.clone()).unwrap_or_default(),
        answer: mine.map(|m| m.answer),
    }))
}

/// `POST /api/boards/{id}/consent/{round}/close` (facilitator): closes the round and writes its
/// result into the board; `200` and the result.
pub async fn close_consent(
    State(state): State<AppState>,
    Path((id, round)): Path<(String, i64)>,
    parts: Parts,
) -> Result<Json<ConsentResult>, ApiError> {
    let what = "only the facilitator closes a consent round";
    let id = authorize_facilitator(&state, &id, &parts.uri, &parts.headers, what).await?;
    let answers = state
        .registry
        .storage()
        .close_consent(&id, round)
        .await?
        .ok_or_else(|| ApiError::BadRequest(format!("this board has no consent round {round}")))?;
    let result = std::sync::Arc::new(std::sync::Mutex::new(ConsentResult::default()));
    let shown = result.clone();
    let written = state
        .registry
        .edit(
            &id,
            Box::new(move |board| {
                let found = tally(&answers, board.is_anonymous());
                board.close_consent(round, &found)?;
                if let Ok(mut shown) = shown.lock() {
                    *shown = found;
                }
                Ok(())
            }),
        )
        .await?;
    if !written {
        return Err(ApiError::BoardNotFound);
    }
    tracing::info!(board = %id, round, "consent round closed");
    let result = result.lock().map(|r| r.clone()).unwrap_or_default();
    Ok(Json(result))
}

/// The round's result from its answers: names only on a board that is not anonymous.
fn tally(answers: &[StoredAnswer], anonymous: bool) -> ConsentResult {
    let mut result = ConsentResult::default();
    for stored in answers {
        let reason = Reason {
            reason: stored.reason.clone(),
            name: (!anonymous && !stored.name.is_empty()).then(|| stored.name.clone()),
        };
        match Answer::parse(&stored.answer) {
            Some(Answer::Consent) => result.consents += 1,
            Some(Answer::Reservation) => result.reservations.push(reason),
            Some(Answer::Objection) => result.objections.push(reason),
            None => {}
        }
    }
    result
}
