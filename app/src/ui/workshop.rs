//! The workshop bar: the facilitator's script as everyone sees it (the phases as a stepper, what
//! the current one asks, the instructions, the countdown), and for the facilitator the controls
//! that run it. Everything it shows is in the board's `settings`, which only the facilitator's
//! link may write (the server refuses anyone else's change there); the countdown is read by the
//! server's clock, so every page shows the same time left.

use leptos::prelude::*;

use super::{
    actions::actions_panel,
    consent::{consent_panel, consent_setup},
    drafts::{writing_panel, writing_setup},
    follow::bring_everyone,
    handle::BoardHandle,
    language::texts,
    vote::{vote_panel, vote_setup},
};
use crate::model::{Phase, Timer, TIMER_STEP_MS};

/// How often the countdown's display is brought up to date.
#[cfg(feature = "hydrate")]
const TICK_MS: u64 = 250;
/// The countdown a facilitator starts unless they type another, in minutes.
const DEFAULT_MINUTES: f64 = 5.0;

/// The bar, when the board has a script, a countdown, a vote, actions or is anonymous (the
/// facilitator starts them from the header's menu, [`facilitate_menu`]).
pub fn workshop_bar() -> impl IntoView {
    let handle = expect_context::<BoardHandle>();
    let doc = handle.doc;
    let script = Memo::new(move |_| doc.view.with(|v| v.facilitation.clone()));
    // Anyone sees it while there is something in it: phases, a countdown, a vote, an action.
    let shown = move || {
        script.with(|s| !s.phases.is_empty() || s.timer.is_some() || s.vote.is_some())
            || script.with(|s| {
                s.anonymous
                    || s.writing.private
                    || !s.writing.hidden.is_empty()
                    || s.consent.is_some()
            })
            || doc
                .view
                .with(|v| v.notes.iter().any(|n| n.action.is_some()))
    };
    view! {
        <Show when=shown>
            <section class="workshop" aria-label=texts().workshop>
                {stepper(handle, script).into_any()}
                {writing_panel(handle).into_any()}
                {vote_panel(handle).into_any()}
                {consent_panel(handle).into_any()}
                {actions_panel(handle).into_any()}
                {anonymity(handle).into_any()}
                {countdown(handle, script).into_any()}
            </section>
        </Show>
    }
    .into_any()
}

/// The phases in order, the current one marked; the facilitator moves between them.
fn stepper(handle: BoardHandle, script: Memo<crate::model::Facilitation>) -> impl IntoView {
    let t = texts();
    let doc = handle.doc;
    let facilitates = doc.role.facilitates();
    let go_to = move |phase: Phase| {
        let _ = doc.edit(|board| board.set_phase(phase));
    };
    let steps = move || {
        script.with(|s| {
            s.phases
                .iter()
                .map(|&phase| {
                    let current = s.phase == Some(phase);
                    let name = t.phases[phase.index()];
                    let step = if facilitates {
                        view! {
                            <button
                                type="button"
                                data-phase=phase.as_str()
                                on:click=move |_| go_to(phase)
                            >
                                {name}
                            </button>
                        }
                        .into_any()
                    } else {
                        view! { <span data-phase=phase.as_str()>{name}</span> }.into_any()
                    };
                    view! {
                        <li class:current=current aria-current=current.then_some("step")>
                            {step}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let hint = move || {
        script.with(|s| {
            s.phase
                .map(|p| t.phase_hints[p.index()])
                .unwrap_or_default()
        })
    };
    let instructions = move || script.with(|s| s.instructions.clone());
    let moves = facilitates.then(|| {
        let previous = move |_| {
            if let Some(phase) = script.with_untracked(|s| s.previous_phase()) {
                go_to(phase);
            }
        };
        let next = move |_| {
            if let Some(phase) = script.with_untracked(|s| s.next_phase()) {
                go_to(phase);
            }
        };
        view! {
            <button
                type="button"
                class="previous-phase"
                prop:disabled=move || script.with(|s| s.previous_phase().is_none())
                on:click=previous
            >
                "← "
                {t.previous_phase}
            </button>
            <button
                type="button"
                class="next-phase"
                prop:disabled=move || script.with(|s| s.next_phase().is_none())
                on:click=next
            >
                {t.next_phase}
                " →"
            </button>
        }
    });
    view! {
        <div class="phases" hidden=move || script.with(|s| s.phases.is_empty())>
            <ol class="stepper">{steps}</ol>
            {moves}
            <p class="phase-hint" aria-live="polite">{hint}</p>
        </div>
        {instructions_shown(doc, script, instructions)}
    }
}

/// The instructions: read by everyone, rewritten by the facilitator in place.
fn instructions_shown(
    doc: super::document::BoardDoc,
    script: Memo<crate::model::Facilitation>,
    instructions: impl Fn() -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = texts();
    if doc.role.facilitates() {
        let on_change = move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            let _ = doc.edit(|board| board.set_instructions(&text));
        };
        view! {
            <p class="instructions" hidden=move || script.with(|s| s.phases.is_empty() && s.instructions.is_empty())>
                <label for="instructions" class="label">{t.instructions}{t.colon}</label>
                <input
                    id="instructions"
                    type="text"
                    maxlength=crate::model::MAX_INSTRUCTIONS_CHARS
                    prop:value=instructions
                    value=untrack(instructions)
                    on:change=on_change
                />
            </p>
        }
        .into_any()
    } else {
        view! {
            <p class="instructions" hidden=move || script.with(|s| s.instructions.is_empty())>
                <span class="label">{t.instructions}{t.colon}</span>
                {instructions}
            </p>
        }
        .into_any()
    }
}

/// The countdown: the time left by the server's clock, "time's up" when it reaches zero (with
/// a sound if this page asked for one); the facilitator's controls.
fn countdown(handle: BoardHandle, script: Memo<crate::model::Facilitation>) -> impl IntoView {
    let t = texts();
    let doc = handle.doc;
    let timer = Memo::new(move |_| script.with(|s| s.timer));
    // The server's time now, brought up to date by a ticker in the browser; unknown on the
    // server's render (which shows no time for a running countdown).
    let now = RwSignal::new(None::<i64>);
    #[cfg(feature = "hydrate")]
    {
        let tick = move || now.set(Some(doc.server_now().unwrap_or_else(local_now)));
        // From the first tick after hydration: the server rendered no time.
        let _ = set_interval_with_handle(tick, std::time::Duration::from_millis(TICK_MS));
    }
    let left = Memo::new(move |_| {
        let timer = timer.get()?;
        match timer {
            Timer::Paused { remaining } => Some(remaining),
            Timer::Running { .. } => now.get().map(|now| timer.remaining_at(now)),
        }
    });
    let over = Memo::new(move |_| left.get() == Some(0));
    let sound = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |was_over: Option<bool>| {
        let is_over = over.get();
        if is_over && was_over == Some(false) && sound.get_untracked() {
            chime();
        }
        is_over
    });
    let shown = move || {
        let paused = matches!(timer.get(), Some(Timer::Paused { .. }));
        match left.get() {
            Some(ms) if paused => format!("{} ({})", clock_text(ms), t.paused),
            Some(ms) => clock_text(ms),
            None => "--:--".to_owned(),
        }
    };
    let controls = doc.role.facilitates().then(|| {
        let server_now = move || doc.server_now().unwrap_or_else(local_now);
        let pause_or_resume = move |_| {
            let _ = doc.edit(|board| match board.facilitation().timer {
                Some(Timer::Paused { .. }) => board.resume_timer(server_now()),
                _ => board.pause_timer(server_now()),
            });
        };
        let add_minute = move |_| {
            let _ = doc.edit(|board| board.add_to_timer(server_now(), TIMER_STEP_MS));
        };
        let stop = move |_| {
            let _ = doc.edit(|board| board.stop_timer());
        };
        view! {
            <button type="button" class="pause-timer" on:click=pause_or_resume>
                {move || match timer.get() {
                    Some(Timer::Paused { .. }) => t.resume_timer,
                    _ => t.pause_timer,
                }}
            </button>
            <button type="button" class="add-minute" on:click=add_minute>
                {t.add_minute}
            </button>
            <button type="button" class="stop-timer" on:click=stop>
                {t.stop_timer}
            </button>
        }
    });
    view! {
        <div class="countdown" class:over=over hidden=move || timer.with(Option::is_none)>
            <span class="label">{t.timer}</span>
            <span class="time" role="timer">
                {shown}
            </span>
            <Show when=move || over.get()>
                <strong class="time-up" role="alert">{t.time_up}</strong>
            </Show>
            {controls}
            <label class="sound">
                <input
                    type="checkbox"
                    prop:checked=sound
                    on:change=move |ev| sound.set(event_target_checked(&ev))
                />
                {t.sound}
            </label>
        </div>
    }
}

/// Says that the board is anonymous, when it is.
fn anonymity(handle: BoardHandle) -> impl IntoView {
    let t = texts();
    let doc = handle.doc;
    view! {
        <span class="anonymous" hidden=move || !doc.view.with(|v| v.facilitation.anonymous)>
            {t.anonymous_hint}
        </span>
    }
}

/// The facilitator's menu in the header: a countdown to start, a vote to open, anonymity, and
/// "Save as template"; what is running then shows in the workshop bar.
pub fn facilitate_menu(id: crate::ids::BoardId) -> impl IntoView {
    let t = texts();
    let handle = expect_context::<BoardHandle>();
    let doc = handle.doc;
    let menu = NodeRef::<leptos::html::Details>::new();
    // What was started shows in the workshop bar, which the open menu would cover.
    let close_menu = move || {
        if let Some(menu) = menu.get_untracked() {
            let _ = menu.remove_attribute("open");
        }
    };
    let minutes = RwSignal::new(DEFAULT_MINUTES.to_string());
    let start = move |_| {
        let typed = minutes.get_untracked().replace(',', ".");
        let minutes = typed.trim().parse::<f64>().unwrap_or(DEFAULT_MINUTES);
        let duration = (minutes.max(0.0) * 60_000.0) as i64;
        let now = doc.server_now().unwrap_or_else(local_now);
        let _ = doc.edit(|board| board.start_timer(now, duration));
        close_menu();
    };
    let anonymous = Memo::new(move |_| doc.view.with(|v| v.facilitation.anonymous));
    // How many seats the board has given, and whether it gives more: read when the menu opens.
    let seats = RwSignal::new(None::<(i64, bool)>);
    let seats_path = format!("/api/boards/{id}/seats");
    let refresh_seats = {
        let path = seats_path.clone();
        move |_| {
            #[cfg(feature = "hydrate")]
            if menu
                .get_untracked()
                .is_some_and(|m| m.has_attribute("open"))
            {
                let path = path.clone();
                leptos::task::spawn_local(async move {
                    seats.set(read_seats(
                        super::links::browser::call("GET", &path, None).await,
                    ));
                });
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = &path;
        }
    };
    let on_seats = move |ev: leptos::ev::Event| {
        let open = event_target_checked(&ev);
        #[cfg(feature = "hydrate")]
        {
            let path = seats_path.clone();
            leptos::task::spawn_local(async move {
                let body = format!("{{\"open\":{open}}}");
                let answer = super::links::browser::call("PUT", &path, Some(body)).await;
                seats.set(read_seats(answer));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (open, &seats_path);
    };
    let seat_count = move || seats.get().map(|(n, _)| format!("{} {n}", t.seats_taken));
    let on_anonymous = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        let _ = doc.edit(|board| board.set_anonymous(on));
    };
    view! {
        <details class="facilitate" node_ref=menu on:toggle=refresh_seats>
            <summary>{t.facilitate}</summary>
            <div class="facilitate-panel">
                <p class="timer-setup">
                    <label for="timer-minutes">{t.timer_minutes}</label>
                    <input
                        id="timer-minutes"
                        type="number"
                        min="0.1"
                        max="1440"
                        step="any"
                        prop:value=minutes
                        value=DEFAULT_MINUTES.to_string()
                        on:input=move |ev| minutes.set(event_target_value(&ev))
                    />
                    <button type="button" class="start-timer" on:click=start>
                        {t.start_timer}
                    </button>
                </p>
                {writing_setup(handle)}
                {vote_setup(handle, close_menu)}
                {consent_setup(handle, close_menu)}
                {bring_everyone(handle, close_menu)}
                <p>
                    <label class="anonymous" title=t.anonymous_hint>
                        <input type="checkbox" prop:checked=anonymous on:change=on_anonymous />
                        {t.anonymous_board}
                    </label>
                </p>
                <p class="seats">
                    <span>{seat_count}</span>
                    <label>
                        <input
                            type="checkbox"
                            prop:checked=move || seats.get().is_none_or(|(_, open)| open)
                            on:change=on_seats
                        />
                        {t.seats_open}
                    </label>
                </p>
                <p>{save_as_template(id)}</p>
            </div>
        </details>
    }
    .into_any()
}

/// The facilitator's "Save as template": asks for a name, and says what the server answered.
fn save_as_template(id: crate::ids::BoardId) -> impl IntoView {
    let t = texts();
    let said = RwSignal::new(String::new());
    let on_click = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let Ok(Some(name)) = window().prompt_with_message(t.template_name) else {
                return;
            };
            if name.trim().is_empty() {
                return;
            }
            let path = format!("/api/boards/{id}/template");
            let name = js_sys::JSON::stringify(&name.into())
                .ok()
                .and_then(|json| json.as_string())
                .unwrap_or_default();
            leptos::task::spawn_local(async move {
                let answer = super::links::browser::call(
                    "POST",
                    &path,
                    Some(format!("{{\"name\":{name}}}")),
                )
                .await;
                let saved = answer
                    .and_then(|json| js_sys::Reflect::get(&json, &"name".into()).ok())
                    .and_then(|name| name.as_string());
                said.set(match saved {
                    Some(name) => format!("{} {name}", t.template_saved),
                    None => t.template_not_saved.to_owned(),
                });
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &id;
    };
    view! {
        <button class="save-template" type="button" on:click=on_click>
            {t.save_template}
        </button>
        <span class="template-saved" role="status">{said}</span>
    }
}

/// `{"seats", "open"}` as the API answers it.
#[cfg(feature = "hydrate")]
fn read_seats(json: Option<wasm_bindgen::JsValue>) -> Option<(i64, bool)> {
    use super::links::browser::field;
    let json = json?;
    let seats = field(&json, "seats")?.as_f64()? as i64;
    Some((seats, field(&json, "open")?.as_bool()?))
}

/// `m:ss`, or `h:mm:ss` from an hour, of milliseconds left (rounded up: "0:00" only at the end).
fn clock_text(ms: i64) -> String {
    let seconds = (ms.max(0) + 999) / 1000;
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// This browser's clock, for a page the server has not told its own yet (offline).
fn local_now() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    0
}

/// A short chime, made by the browser (no sound file to fetch).
#[cfg(feature = "hydrate")]
fn chime() {
    let Ok(audio) = web_sys::AudioContext::new() else {
        return;
    };
    let (Ok(tone), Ok(volume)) = (audio.create_oscillator(), audio.create_gain()) else {
        return;
    };
    let start = audio.current_time();
    tone.frequency().set_value(880.0);
    let _ = volume.gain().set_value_at_time(0.3, start);
    let _ = volume
        .gain()
        .exponential_ramp_to_value_at_time(0.001, start + 1.2);
    let _ = tone
        .connect_with_audio_node(&volume)
        .and_then(|_| volume.connect_with_audio_node(&audio.destination()));
    let _ = tone.start();
    let _ = tone.stop_with_when(start + 1.2);
}

#[cfg(test)]
mod tests {
    use super::clock_text;

    #[test]
    fn time_left_reads_as_a_clock_rounded_up() {
        assert_eq!(clock_text(300_000), "5:00");
        assert_eq!(clock_text(299_001), "5:00");
        assert_eq!(clock_text(61_000), "1:01");
        assert_eq!(clock_text(1), "0:01");
        assert_eq!(clock_text(0), "0:00");
        assert_eq!(clock_text(-5), "0:00");
        assert_eq!(clock_text(3_600_000 + 5_000), "1:00:05");
    }
}
