//! Consent rounds in the page: the facilitator opens one on the selected post-it (its menu) and
//! closes it; each person answers once, with this browser's seat: consent, a reservation or an
//! objection with its reason. The server keeps the answers; the page shows how many there are
//! while the round is open, and the result (consent reached, or the objections to work on) once
//! it is closed.

use leptos::prelude::*;

use super::{handle::BoardHandle, language::texts};
use crate::model::{Answer, Consent, Reason, MAX_REASON_CHARS};

/// Longest part of the proposal's text the bar shows.
const PROPOSAL_CHARS: usize = 120;

/// The workshop bar's part in a consent round.
pub fn consent_panel(handle: BoardHandle) -> impl IntoView {
    let t = texts();
    let doc = handle.doc;
    let consent = Memo::new(move |_| doc.view.with(|v| v.facilitation.consent.clone()));
    let is_open = move || consent.with(|c| c.as_ref().is_some_and(|c| c.open));
    let proposal = move || {
        let note = consent.with(|c| c.as_ref().and_then(|c| c.note.clone()))?;
        let text = doc.view.with(|v| v.note(&note).map(|n| n.text.clone()))?;
        Some(text.chars().take(PROPOSAL_CHARS).collect::<String>())
    };
    let answered = move || {
        consent.with(|c| {
            c.as_ref()
                .filter(|c| c.open)
                .map(|c| format!("{} {}", c.answered, t.answers_word))
        })
    };
    // This seat's answer in the open round, as the server says.
    let mine = RwSignal::new(None::<String>);
    let refused = RwSignal::new(false);
    let round =
        Memo::new(move |_| consent.with(|c| c.as_ref().filter(|c| c.open).map(|c| c.round)));
    #[cfg(feature = "hydrate")]
    {
        let seat = handle.voting.seat;
        Effect::new(move |_| {
            let (Some(round), Some(_)) = (round.get(), seat.get()) else {
                mine.set(None);
                return;
            };
            browser::read_mine(handle, round, mine);
        });
    }
    let answers = (doc.role.edits()).then(|| answer_form(handle, round, mine, refused));
    let close = doc.role.facilitates().then(|| {
        let on_close = move |_| {
            let Some(round) = round.get_untracked() else {
                return;
            };
            #[cfg(feature = "hydrate")]
            browser::close(handle, round);
            #[cfg(not(feature = "hydrate"))]
            let _ = round;
        };
        view! {
            <button type="button" class="close-consent" hidden=move || !is_open() on:click=on_close>
                {t.close_consent}
            </button>
        }
    });
    view! {
        <div class="consent" hidden=move || consent.with(Option::is_none)>
            <span class="label">{t.consent_round}</span>
            <q class="proposal">{proposal}</q>
            <span class="consent-answered" aria-live="polite">{answered}</span>
            {answers}
            {close}
            {move || consent.with(|c| c.as_ref().map(result))}
        </div>
    }
}

/// A participant's answer: the three choices and the reason, sent once; then what was sent.
fn answer_form(
    handle: BoardHandle,
    round: Memo<Option<i64>>,
    mine: RwSignal<Option<String>>,
    refused: RwSignal<bool>,
) -> impl IntoView {
    let t = texts();
    let choice = RwSignal::new(Answer::Consent);
    let reason = RwSignal::new(String::new());
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(round) = round.get_untracked() else {
            return;
        };
        let (answer, reason) = (choice.get_untracked(), reason.get_untracked());
        if answer.needs_a_reason() && reason.trim().is_empty() {
            refused.set(true);
            return;
        }
        #[cfg(feature = "hydrate")]
        browser::answer(handle, round, answer, reason, mine, refused);
        #[cfg(not(feature = "hydrate"))]
        let _ = (handle, round, answer, reason, mine);
    };
    let options = Answer::ALL
        .into_iter()
        .map(|answer| {
            let label = match answer {
                Answer::Consent => t.consent_answer,
                Answer::Reservation => t.reservation_answer,
                Answer::Objection => t.objection_answer,
            };
            view! {
                <label>
                    <input
                        type="radio"
                        name="consent-answer"
                        value=answer.as_str()
                        prop:checked=move || choice.get() == answer
                        on:change=move |_| choice.set(answer)
                    />
                    {label}
                </label>
            }
        })
        .collect_view();
    let sent = move || {
        mine.get().map(|answer| {
            let word = match Answer::parse(&answer) {
                Some(Answer::Reservation) => t.reservation_answer,
                Some(Answer::Objection) => t.objection_answer,
                _ => t.consent_answer,
            };
            format!("{}{word}", t.your_answer)
        })
    };
    view! {
        <form
            class="consent-answer"
            hidden=move || round.get().is_none() || mine.with(Option::is_some)
            on:submit=send
        >
            <fieldset>
                <legend>{t.your_answer}</legend>
                {options}
            </fieldset>
            <label>
                {t.reason}
                <input
                    type="text"
                    class="consent-reason"
                    maxlength=MAX_REASON_CHARS
                    prop:value=reason
                    on:input=move |ev| reason.set(event_target_value(&ev))
                />
            </label>
            <button type="submit">{t.send_answer}</button>
            <span class="consent-refused" role="status">
                {move || refused.get().then_some(t.answer_refused)}
            </span>
        </form>
        <span class="consent-mine" hidden=move || round.get().is_none()>{sent}</span>
    }
}

/// A closed round's result.
fn result(consent: &Consent) -> Option<impl IntoView> {
    let t = texts();
    let result = consent.result.clone()?;
    let list = |reasons: Vec<Reason>| {
        reasons
            .into_iter()
            .map(|r| {
                let by = r.name.map(|name| format!(" ({name})"));
                view! { <li>{r.reason}{by}</li> }
            })
            .collect_view()
    };
    let reached = result.reached();
    let no_reservations = result.reservations.is_empty();
    let verdict = if reached {
        t.consent_reached
    } else {
        t.objections_to_work_on
    };
    Some(view! {
        <div class="consent-result" class:reached=reached>
            <strong>{verdict}</strong>
            " "
            <span>{format!("{} {}", result.consents, t.consents_word)}</span>
            <ul class="objections">{list(result.objections)}</ul>
            <span class="label" hidden=no_reservations>{t.reservations_word}</span>
            <ul class="reservations">{list(result.reservations)}</ul>
        </div>
    })
}

/// The facilitator's menu's part in consent rounds: one on the selected post-it.
pub fn consent_setup(handle: BoardHandle, started: impl Fn() + 'static) -> impl IntoView {
    let t = texts();
    let one = move || {
        handle
            .selection
            .ids
            .with(|ids| (ids.len() == 1).then(|| ids[0].clone()))
    };
    let start = move |_| {
        let Some(note) = one() else { return };
        #[cfg(feature = "hydrate")]
        browser::start(handle, note);
        #[cfg(not(feature = "hydrate"))]
        let _ = note;
        started();
    };
    view! {
        <p class="consent-setup">
            <button type="button" class="start-consent" prop:disabled=move || one().is_none() on:click=start>
                {t.start_consent}
            </button>
            <span class="hint">{t.start_consent_hint}</span>
        </p>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;

    use crate::{
        ids::NoteId,
        model::Answer,
        ui::{
            handle::BoardHandle,
            links::browser::{call, call_seated, field},
        },
    };

    fn board(handle: BoardHandle) -> String {
        handle.voting.board().to_string()
    }

    pub fn read_mine(handle: BoardHandle, round: i64, mine: RwSignal<Option<String>>) {
        let Some(seat) = handle.voting.seat.get_untracked() else {
            return;
        };
        let path = format!("/api/boards/{}/consent/{round}/answer", board(handle));
        leptos::task::spawn_local(async move {
            let json = call_seated("GET", &path, None, Some(&seat)).await;
            mine.set(json.and_then(|json| field(&json, "answer")?.as_string()));
        });
    }

    pub fn answer(
        handle: BoardHandle,
        round: i64,
        answer: Answer,
        reason: String,
        mine: RwSignal<Option<String>>,
        refused: RwSignal<bool>,
    ) {
        let Some(seat) = handle.voting.seat.get_untracked() else {
            refused.set(true);
            return;
        };
        let path = format!("/api/boards/{}/consent/{round}/answer", board(handle));
        let name = handle.doc.author_name().unwrap_or_default();
        let body = js_sys::Object::new();
        for (key, value) in [
            ("answer", answer.as_str()),
            ("reason", &reason),
            ("name", &name),
        ] {
            let _ = js_sys::Reflect::set(&body, &key.into(), &value.into());
        }
        let Some(body) = js_sys::JSON::stringify(&body)
            .ok()
            .and_then(|b| b.as_string())
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            match call_seated("POST", &path, Some(body), Some(&seat)).await {
                Some(json) => {
                    refused.set(false);
                    mine.set(field(&json, "answer").and_then(|a| a.as_string()));
                }
                None => {
                    refused.set(true);
                    read_mine(handle, round, mine);
                }
            }
        });
    }

    pub fn start(handle: BoardHandle, note: NoteId) {
        let path = format!("/api/boards/{}/consent", board(handle));
        let body = format!("{{\"note\":\"{note}\"}}");
        leptos::task::spawn_local(async move {
            let _ = call("POST", &path, Some(body)).await;
        });
    }

    pub fn close(handle: BoardHandle, round: i64) {
        let path = format!("/api/boards/{}/consent/{round}/close", board(handle));
        leptos::task::spawn_local(async move {
            let _ = call("POST", &path, None).await;
        });
    }
}
