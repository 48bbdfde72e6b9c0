//! Seats and voting sessions over HTTP. A browser joining with a participant's (or the
//! facilitator's) link asks for a seat once and keeps its secret; it presents it in the
//! `X-Ardoise-Seat` header to vote. The facilitator opens a session (votes per person, whether
//! several may go to one post-it) and closes it; the server keeps the votes meanwhile, refuses
//! any beyond the rules from any client, and writes only each post-it's count into the board
//! when the session closes.

use app::{
    ids::{BoardId, NoteId},
    model::MAX_VOTES_PER_PERSON,
};
use axum::{
    extract::{Path, State},
    http::{request::Parts, HeaderMap, StatusCode},
    Json,
};
use serde::{Deserialize, Serialize};

use super::{authorize, authorize_facilitator, ApiError};
use crate::{
    access::{KeyHash, Secret},
    state::AppState,
    storage::{Ballot, SeatRefused, VoteRefused},
};

/// The header that carries a browser's seat secret.
pub const SEAT_HEADER: &str = "x-ardoise-seat";

#[derive(Debug, Serialize)]
pub struct NewSeat {
    pub seat: String,
}

/// `POST /api/boards/{id}/seats` (a link that edits): a new seat, `201` and `{"seat": secret}`,
/// given once; `403` when the facilitator stopped new seats.
pub async fn add_seat(
    State(state): State<AppState>,
    Path(id): Path<String>,
    parts: Parts,
) -> Result<(StatusCode, Json<NewSeat>), ApiError> {
    let board = authorize(&state, &id, &parts.uri, &parts.headers).await?;
    if !board.role.edits() {
        return Err(ApiError::Forbidden("an observer's link takes no seat"));
    }
    let seat = Secret::random();
    match state
        .registry
        .storage()
        .add_seat(&board.id, &seat.hash())
        .await?
    {
        Ok(()) => Ok((
            StatusCode::CREATED,
            Json(NewSeat {
                seat: seat.as_str().to_owned(),
            }),
        )),
        Err(SeatRefused::Closed) => Err(ApiError::Forbidden(
            "the facilitator takes no new participants on this board",
        )),
        Err(SeatRefused::Full) => Err(ApiError::Forbidden(
            "this board has all the seats it may have",
        )),
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Seats {
    #[serde(default)]
    pub seats: i64,
    pub open: bool,
}

/// `GET /api/boards/{id}/seats` (facilitator): how many seats, and whether new ones are given.
pub async fn get_seats(
    State(state): State<AppState>,
    Path(id): Path<String>,
    parts: Parts,
) -> Result<Json<Seats>, ApiError> {
    let id = facilitator(&state, &id, &parts, "only the facilitator counts the seats").await?;
    let (seats, open) = state
        .registry
        .storage()
        .seats(&id)
        .await?
        .ok_or(ApiError::BoardNotFound)?;
    Ok(Json(Seats { seats, open }))
}

/// `PUT /api/boards/{id}/seats` with `{"open": bool}` (facilitator): gives new seats, or not.
pub async fn set_seats(
    State(state): State<AppState>,
    Path(id): Path<String>,
    parts: Parts,
    Json(set): Json<Seats>,
) -> Result<Json<Seats>, ApiError> {
    let id = facilitator(
        &state,
        &id,
        &parts,
        "only the facilitator opens or closes the seats",
    )
    .await?;
    let storage = state.registry.storage();
    if !storage.set_seats_open(&id, set.open).await? {
        return Err(ApiError::BoardNotFound);
    }
    let (seats, open) = storage.seats(&id).await?.ok_or(ApiError::BoardNotFound)?;
    Ok(Json(Seats { seats, open }))
}

#[derive(Debug, Deserialize)]
pub struct NewVote {
    pub per_person: i64,
    #[serde(default)]
    pub several: bool,
}

/// A voting session as the API answers it.
#[derive(Debug, Serialize)]
pub struct VoteJson {
    pub round: i64,
    pub per_person: i64,
    pub several: bool,
    pub open: bool,
}

/// `POST /api/boards/{id}/votes` with `{"per_person": n, "several": bool}` (facilitator): opens
/// a voting session (an open one closes, its votes dropped); `201` and the session.
pub async fn start_vote(
    State(state): State<AppState>,
    Path(id): Path<String>,
    parts: Parts,
    Json(new): Json<NewVote>,
) -> Result<(StatusCode, Json<VoteJson>), ApiError> {
    let id = facilitator(&state, &id, &parts, "only the facilitator opens a vote").await?;
    if !(1..=MAX_VOTES_PER_PERSON).contains(&new.per_person) {
        return Err(ApiError::BadRequest(format!(
            "per_person is from 1 to {MAX_VOTES_PER_PERSON}"
        )));
    }
    let round = state
        .registry
        .storage()
        .start_vote(&id, new.per_person, new.several)
        .await?;
    let written = state
        .registry
        .edit(
            &id,
            Box::new(move |board| board.open_vote(round.round, round.per_person, round.several)),
        )
        .await?;
    if !written {
        return Err(ApiError::BoardNotFound);
    }
    tracing::info!(board = %id, round = round.round, "vote opened");
    Ok((
        StatusCode::CREATED,
        Json(VoteJson {
            round: round.round,
            per_person: round.per_person,
            several: round.several,
            open: true,
        }),
    ))
}

#[derive(Debug, Serialize)]
pub struct Count {
    pub note: String,
    pub votes: i64,
}

#[derive(Debug, Serialize)]
pub struct Results {
    pub round: i64,
    /// Most votes first.
    pub results: Vec<Count>,
}

/// `POST /api/boards/{id}/votes/{round}/close` (facilitator): closes the session and writes its
/// results into the board (counts per post-it, no names); `200` and the results.
pub async fn close_vote(
    State(state): State<AppState>,
    Path((id, round)): Path<(String, i64)>,
    parts: Parts,
) -> Result<Json<Results>, ApiError> {
    let id = facilitator(&state, &id, &parts, "only the facilitator closes a vote").await?;
    let counts = state
        .registry
        .storage()
        .close_vote(&id, round)
        .await?
        .ok_or_else(|| ApiError::BadRequest(format!("this board has no vote {round}")))?;
    let results: Vec<(NoteId, i64)> = counts
        .iter()
        .filter_map(|(note, votes)| Some((NoteId::parse(note).ok()?, *votes)))
        .collect();
    let written = state
        .registry
        .edit(
            &id,
            Box::new(move |board| board.close_vote(round, &results)),
        )
        .await?;
    if !written {
        return Err(ApiError::BoardNotFound);
    }
    tracing::info!(board = %id, round, "vote closed");
    Ok(Json(Results {
        round,
        results: counts
            .into_iter()
            .map(|(note, votes)| Count { note, votes })
            .collect(),
    }))
}

#[derive(Debug, Deserialize)]
pub struct CastVote {
    pub note: String,
}

impl CastVote {
    fn note(&self) -> Result<NoteId, ApiError> {
        NoteId::parse(&self.note).map_err(|_| ApiError::BadRequest("note is a post-it's id".into()))
    }
}

/// What a seat has cast in a session.
#[derive(Debug, Serialize)]
pub struct BallotJson {
    pub round: i64,
    pub per_person: i64,
    pub several: bool,
    pub open: bool,
    /// The post-its voted for, once per vote.
    pub votes: Vec<String>,
    pub left: i64,
}

impl From<Ballot> for BallotJson {
    fn from(ballot: Ballot) -> Self {
        BallotJson {
            left: ballot.left(),
            round: ballot.round.round,
            per_person: ballot.round.per_person,
            several: ballot.round.several,
            open: ballot.round.open,
            votes: ballot.votes,
        }
    }
}

/// `GET /api/boards/{id}/votes/{round}/ballot` (with a seat): what this seat has cast.
pub async fn get_ballot(
    State(state): State<AppState>,
    Path((id, round)): Path<(String, i64)>,
    parts: Parts,
) -> Result<Json<BallotJson>, ApiError> {
    let (id, seat) = seated(&state, &id, &parts, VOTES).await?;
    answer(state.registry.storage().ballot(&id, round, &seat).await?)
}

/// `POST /api/boards/{id}/votes/{round}/ballot` with `{"note": id}` (with a seat): one vote for
/// that post-it; `409` when the session is closed, no vote is left, or the post-it already has
/// this seat's vote and the session gives one per post-it.
pub async fn cast_vote(
    State(state): State<AppState>,
    Path((id, round)): Path<(String, i64)>,
    parts: Parts,
    Json(cast): Json<CastVote>,
) -> Result<Json<BallotJson>, ApiError> {
    let (id, seat) = seated(&state, &id, &parts, VOTES).await?;
    let note = cast.note()?;
    answer(
        state
            .registry
            .storage()
            .cast_vote(&id, round, &seat, &note)
            .await?,
    )
}

/// `POST /api/boards/{id}/votes/{round}/take-back` with `{"note": id}` (with a seat): takes
/// back one of this seat's votes for that post-it while the session is open.
pub async fn take_back_vote(
    State(state): State<AppState>,
    Path((id, round)): Path<(String, i64)>,
    parts: Parts,
    Json(cast): Json<CastVote>,
) -> Result<Json<BallotJson>, ApiError> {
    let (id, seat) = seated(&state, &id, &parts, VOTES).await?;
    let note = cast.note()?;
    answer(
        state
            .registry
            .storage()
            .take_back_vote(&id, round, &seat, &note)
            .await?,
    )
}

fn answer(ballot: Result<Ballot, VoteRefused>) -> Result<Json<BallotJson>, ApiError> {
    match ballot {
        Ok(ballot) => Ok(Json(ballot.into())),
        Err(VoteRefused::NoSeat) => Err(ApiError::Forbidden(
            "this browser has no seat on the board: ask for one first",
        )),
        Err(VoteRefused::NotOpen) => Err(ApiError::Conflict("this vote is not open")),
        Err(VoteRefused::NoneLeft) => Err(ApiError::Conflict("no vote left in this session")),
        Err(VoteRefused::AlreadyVoted) => Err(ApiError::Conflict(
            "this vote gives one vote per post-it, and this one has yours",
        )),
        Err(VoteRefused::NothingToTakeBack) => {
            Err(ApiError::Conflict("this post-it has no vote of yours"))
        }
    }
}

/// Why an observer's link is refused a vote.
const VOTES: &str = "an observer's link does not vote";

/// The board and the seat presented, for a link that edits (an observer's gets `observer`).
pub(super) async fn seated(
    state: &AppState,
    id: &str,
    parts: &Parts,
    observer: &'static str,
) -> Result<(BoardId, KeyHash), ApiError> {
    let board = authorize(state, id, &parts.uri, &parts.headers).await?;
    if !board.role.edits() {
        return Err(ApiError::Forbidden(observer));
    }
    let seat = seat_of(&parts.headers).ok_or(ApiError::Forbidden(
        "this needs this browser's seat (the X-Ardoise-Seat header)",
    ))?;
    Ok((board.id, seat))
}

fn seat_of(headers: &HeaderMap) -> Option<KeyHash> {
    let seat = headers.get(SEAT_HEADER)?.to_str().ok()?;
    Some(Secret::presented(seat)?.hash())
}

async fn facilitator(
    state: &AppState,
    id: &str,
    parts: &Parts,
    what: &'static str,
) -> Result<BoardId, ApiError> {
    authorize_facilitator(state, id, &parts.uri, &parts.headers, what).await
}
