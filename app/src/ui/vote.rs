//! Voting sessions in the page. The server keeps the votes and decides: this browser asks it
//! for a seat once (kept in the browser), sends each vote with it, and shows what the server
//! answers (its votes, how many are left). Nobody's votes are in the board while a session is
//! open; once the facilitator closes it, the board holds each post-it's count, shown on the
//! post-its and ranked in the workshop bar.

use leptos::prelude::*;

use super::{handle::BoardHandle, language::texts};
use crate::{
    ids::{BoardId, NoteId},
    model::{Ranked, Vote, MAX_VOTES_PER_PERSON},
};

/// Votes each person gets unless the facilitator types another number.
const DEFAULT_VOTES: i64 = 3;
/// How many of the best-voted post-its the results list.
const RESULTS_SHOWN: usize = 10;
/// Longest part of a post-it's text in the results.
const RESULT_CHARS: usize = 80;

/// What this seat has cast in the open session, as the server last said.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MyBallot {
    pub round: i64,
    /// The post-its voted for, once per vote.
    pub votes: Vec<String>,
    pub left: i64,
}

/// The page's side of voting.
#[derive(Clone, Copy)]
pub struct Voting {
    /// Read by the browser's requests only.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    board: StoredValue<BoardId>,
    /// This browser's seat on the board (its secret), once the server gave one.
    pub seat: RwSignal<Option<String>>,
    pub ballot: RwSignal<Option<MyBallot>>,
    /// The server refused the last vote.
    pub refused: RwSignal<bool>,
    /// The server gave this browser no seat (the facilitator lets no new participant in).
    pub no_seat: RwSignal<bool>,
}

impl Voting {
    pub fn new(board: BoardId) -> Self {
        Voting {
            board: StoredValue::new(board),
            seat: RwSignal::new(None),
            ballot: RwSignal::new(None),
            refused: RwSignal::new(false),
            no_seat: RwSignal::new(false),
        }
    }

    /// The board's id.
    pub fn board(&self) -> BoardId {
        self.board.get_value()
    }

    /// This seat's votes for a post-it in the open session.
    pub fn mine(&self, note: &NoteId) -> usize {
        self.ballot.with(|b| {
            b.as_ref().map_or(0, |b| {
                b.votes.iter().filter(|v| *v == note.as_str()).count()
            })
        })
    }
}

/// Takes a seat on the board (once per browser), and keeps this seat's ballot up to date with
/// the session the board says is open.
pub fn take_a_seat(handle: BoardHandle) {
    #[cfg(feature = "hydrate")]
    {
        let voting = handle.voting;
        if !handle.doc.role.edits() {
            return;
        }
        let id = voting.board.get_value();
        let key = format!("ardoise_seat_{id}");
        let stored = window()
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(&key).ok().flatten());
        // After the page is hydrated: the server rendered it without a seat.
        Effect::new(move |_| match stored.clone() {
            Some(seat) => voting.seat.set(Some(seat)),
            None => leptos::task::spawn_local({
                let key = key.clone();
                let id = id.clone();
                async move {
                    let path = format!("/api/boards/{id}/seats");
                    let answer = super::links::browser::call("POST", &path, None).await;
                    let seat = answer
                        .and_then(|json| super::links::browser::field(&json, "seat"))
                        .and_then(|seat| seat.as_string());
                    match seat {
                        Some(seat) => {
                            if let Some(storage) = window().local_storage().ok().flatten() {
                                let _ = storage.set_item(&key, &seat);
                            }
                            voting.seat.set(Some(seat));
                        }
                        None => voting.no_seat.set(true),
                    }
                }
            }),
        });
        let open_round = Memo::new(move |_| {
            handle.doc.view.with(|v| {
                v.facilitation
                    .vote
                    .as_ref()
                    .filter(|vote| vote.open)
                    .map(|vote| vote.round)
            })
        });
        Effect::new(move |_| {
            let (Some(round), Some(_)) = (open_round.get(), voting.seat.get()) else {
                voting.ballot.set(None);
                return;
            };
            send(voting, "GET", round, None);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = handle;
}

/// Sends a ballot request and shows what the server says of this seat's votes after it.
#[cfg(feature = "hydrate")]
fn send(voting: Voting, method: &'static str, round: i64, body: Option<(&'static str, NoteId)>) {
    use super::links::browser::{call_seated, field};
    let id = voting.board.get_value();
    let Some(seat) = voting.seat.get_untracked() else {
        return;
    };
    let (path, body) = match body {
        Some((action, note)) => (
            format!("/api/boards/{id}/votes/{round}/{action}"),
            Some(format!("{{\"note\":\"{note}\"}}")),
        ),
        None => (format!("/api/boards/{id}/votes/{round}/ballot"), None),
    };
    let asked = body.is_some();
    leptos::task::spawn_local(async move {
        let Some(json) = call_seated(method, &path, body, Some(&seat)).await else {
            if asked {
                // Refused: say so, and show what the server holds.
                voting.refused.set(true);
                send(voting, "GET", round, None);
            }
            return;
        };
        let votes = field(&json, "votes")
            .map(|votes| {
                js_sys::Array::from(&votes)
                    .iter()
                    .filter_map(|v| v.as_string())
                    .collect()
            })
            .unwrap_or_default();
        let left = field(&json, "left").and_then(|v| v.as_f64()).unwrap_or(0.0) as i64;
        if asked {
            voting.refused.set(false);
        }
        voting.ballot.set(Some(MyBallot { round, votes, left }));
    });
}

/// "1 vote", "3 votes".
fn votes_text(count: i64) -> String {
    let t = texts();
    let word = if count == 1 {
        t.vote_word
    } else {
        t.votes_word
    };
    format!("{count} {word}")
}

/// A post-it's part in a vote: while a session is open, the buttons to vote for it and take a
/// vote back (for a link that edits, with a seat); once closed, how many votes it got.
pub fn note_votes(id: NoteId) -> impl IntoView {
    let t = texts();
    let handle = expect_context::<BoardHandle>();
    let voting = handle.voting;
    let vote = Memo::new(move |_| handle.doc.view.with(|v| v.facilitation.vote.clone()));
    let votes = handle.doc.role.edits();
    move || {
        let vote = vote.get()?;
        if !vote.open {
            let count = vote.votes_for(&id);
            return (count > 0).then(|| {
                view! { <span class="vote-result">{votes_text(count)}</span> }.into_any()
            });
        }
        if !votes || voting.seat.with(Option::is_none) {
            return None;
        }
        let (cast, take) = (id.clone(), id.clone());
        let mine = {
            let id = id.clone();
            move || voting.mine(&id)
        };
        let round = vote.round;
        let on_cast = move |_| {
            #[cfg(feature = "hydrate")]
            send(voting, "POST", round, Some(("ballot", cast.clone())));
            #[cfg(not(feature = "hydrate"))]
            let _ = (&cast, round);
        };
        let on_take = move |_| {
            #[cfg(feature = "hydrate")]
            send(voting, "POST", round, Some(("take-back", take.clone())));
            #[cfg(not(feature = "hydrate"))]
            let _ = (&take, round);
        };
        Some(
            view! {
                <span class="note-vote">
                    // Named by its words and the count it shows (a name that hid the count would
                    // not be what a voice-control user reads on it).
                    <button type="button" class="cast-vote" on:click=on_cast>
                        "▲ "
                        {mine.clone()}
                        <span class="visually-hidden">" " {t.vote_for}</span>
                    </button>
                    <button
                        type="button"
                        class="take-back-vote"
                        aria-label=t.take_back_vote
                        prop:disabled=move || mine() == 0
                        on:click=on_take
                    >
                        "−"
                    </button>
                </span>
            }
            .into_any(),
        )
    }
}

/// The workshop bar's part in a vote: the facilitator opens and closes sessions; a participant
/// sees how many votes they have left; once closed, everyone sees the results, ranked.
pub fn vote_panel(handle: BoardHandle) -> impl IntoView {
    let t = texts();
    let voting = handle.voting;
    let doc = handle.doc;
    let vote = Memo::new(move |_| doc.view.with(|v| v.facilitation.vote.clone()));
    let is_open = move || vote.with(|v| v.as_ref().is_some_and(|v| v.open));
    let left = move || {
        voting.ballot.with(|b| {
            b.as_ref().map(|b| {
                format!(
                    "{} {} / {}",
                    t.votes_left,
                    b.left,
                    b.votes.len() as i64 + b.left
                )
            })
        })
    };
    let refused = move || voting.refused.get().then_some(t.vote_refused);
    let results = move || {
        vote.with(|vote| {
            let vote: &Vote = vote.as_ref().filter(|v| !v.open)?;
            let items = doc.view.with(|board| {
                vote.ranked(board)
                    .into_iter()
                    .filter_map(|ranked| {
                        let text = match &ranked {
                            Ranked::Note { id, .. } => board.note(id)?.text.clone(),
                            Ranked::Group { id, .. } => {
                                let group = board.group(id)?;
                                let title = if group.title.is_empty() {
                                    t.untitled_group
                                } else {
                                    &group.title
                                };
                                format!("{title} ({})", group.notes.len())
                            }
                        };
                        Some((text, ranked.votes()))
                    })
                    .take(RESULTS_SHOWN)
                    .map(|(text, count)| {
                        let text: String = text.chars().take(RESULT_CHARS).collect();
                        view! { <li>{text} " — " {votes_text(count)}</li> }
                    })
                    .collect_view()
            });
            Some(view! {
                <div class="vote-results">
                    <span class="label">{t.results}{t.colon}</span>
                    <ol>{items}</ol>
                </div>
            })
        })
    };
    let close = move |_| {
        let Some(round) = vote.with_untracked(|v| v.as_ref().map(|v| v.round)) else {
            return;
        };
        #[cfg(feature = "hydrate")]
        {
            let path = format!(
                "/api/boards/{}/votes/{round}/close",
                voting.board.get_value()
            );
            leptos::task::spawn_local(async move {
                let _ = super::links::browser::call("POST", &path, None).await;
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = round;
    };
    let close = doc.role.facilitates().then(|| {
        view! {
            <button type="button" class="close-vote" hidden=move || !is_open() on:click=close>
                {t.close_vote}
            </button>
        }
    });
    view! {
        <div class="voting" hidden=move || vote.with(Option::is_none)>
            <span class="label">{t.vote}</span>
            <span class="vote-open" hidden=move || !is_open()>{t.vote_is_open}</span>
            <span class="votes-left" aria-live="polite">{left}</span>
            <span class="vote-refused" role="status">{refused}</span>
            <span class="no-seat" hidden=move || !(is_open() && voting.no_seat.get())>
                {t.no_seat}
            </span>
            {close}
            {results}
        </div>
    }
}

/// The facilitator's menu's part in votes: votes per person, several on one post-it, and the
/// button that opens a vote.
pub fn vote_setup(handle: BoardHandle, started: impl Fn() + 'static) -> impl IntoView {
    let t = texts();
    let voting = handle.voting;
    let per_person = RwSignal::new(DEFAULT_VOTES.to_string());
    let several = RwSignal::new(false);
    let start = move |_| {
        let wanted = per_person
            .get_untracked()
            .trim()
            .parse::<i64>()
            .unwrap_or(DEFAULT_VOTES)
            .clamp(1, MAX_VOTES_PER_PERSON);
        #[cfg(feature = "hydrate")]
        {
            let path = format!("/api/boards/{}/votes", voting.board.get_value());
            let body = format!(
                "{{\"per_person\":{wanted},\"several\":{}}}",
                several.get_untracked()
            );
            leptos::task::spawn_local(async move {
                let _ = super::links::browser::call("POST", &path, Some(body)).await;
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (wanted, voting);
        started();
    };
    view! {
        <p class="vote-setup">
            <label for="votes-per-person">{t.votes_per_person}</label>
            <input
                id="votes-per-person"
                type="number"
                min="1"
                max=MAX_VOTES_PER_PERSON.to_string()
                prop:value=per_person
                value=DEFAULT_VOTES.to_string()
                on:input=move |ev| per_person.set(event_target_value(&ev))
            />
            <label>
                <input
                    type="checkbox"
                    prop:checked=several
                    on:change=move |ev| several.set(event_target_checked(&ev))
                />
                {t.several_per_note}
            </label>
            <button type="button" class="start-vote" on:click=start>
                {t.start_vote}
            </button>
        </p>
    }
}
