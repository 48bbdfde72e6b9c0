//! The history panel: a slider over the board's changes and a list of who changed it in bursts
//! (newest first); the board as it was at the chosen point, read-only, each post-it with its own
//! versions on demand; restoring a post-it or the whole board to that point (those who edit).
//! Everything is read from the browser's own copy of the board, so it works offline.
//!
//! The export menu is here too: the board, now or at the chosen point, in each format the
//! server writes (`GET /api/boards/<id>/export`).

use leptos::prelude::*;

use super::{handle::BoardHandle, language::texts};
use crate::{
    i18n::Texts,
    ids::{BoardId, NoteId},
    model::{Author, BoardView, History, NoteView},
};

/// Bursts listed at most (the slider reaches every change).
const MAX_BURSTS_SHOWN: usize = 60;
/// Longest part of a post-it's text in the panel's lists.
const SNIPPET_CHARS: usize = 140;

/// The formats of the export menu, with their names in `?format=`.
const EXPORT_FORMATS: [(&str, &str); 8] = [
    ("md", "Markdown"),
    ("csv", "CSV"),
    ("ods", "ODS"),
    ("pdf", "PDF"),
    ("png", "PNG"),
    ("svg", "SVG"),
    ("json", "JSON"),
    ("automerge", "Automerge"),
];

fn author_name(author: &Author, t: &Texts) -> String {
    match author {
        Author::Person(name) => name.clone(),
        Author::Server => "Ardoise".to_owned(),
        Author::Unknown => t.unknown_author.to_owned(),
    }
}

/// A time (seconds since the Unix epoch) in the reader's words, or "time unknown".
fn when(secs: i64, t: &Texts) -> String {
    if secs <= 0 {
        return t.time_unknown.to_owned();
    }
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(secs as f64 * 1000.0));
        String::from(date.to_locale_string(t.locale, &wasm_bindgen::JsValue::UNDEFINED))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        secs.to_string()
    }
}

fn snippet(text: &str) -> String {
    let mut snippet: String = text.chars().take(SNIPPET_CHARS).collect();
    if text.chars().count() > SNIPPET_CHARS {
        snippet.push('…');
    }
    snippet
}

/// What the panel shows of the history, refreshed when it opens and when the board changes.
#[derive(Clone, Default)]
struct Shown {
    history: History,
}

/// The history panel, behind its "History" button.
pub fn history_panel(handle: BoardHandle, id: BoardId) -> AnyView {
    let t = texts();
    let doc = handle.doc;
    let edits = doc.role.edits();
    let open = RwSignal::new(false);
    let shown = RwSignal::new(Shown::default());
    // The chosen point: an index in the history, or `None` for now (follows new changes).
    let point = RwSignal::new(None::<usize>);
    let refresh = move || {
        if let Some(history) = doc.with_board(|b| b.history()) {
            shown.set(Shown { history });
        }
    };
    let menu = NodeRef::<leptos::html::Details>::new();
    let on_toggle = move |_| {
        let is_open = menu
            .get_untracked()
            .is_some_and(|m| m.has_attribute("open"));
        open.set(is_open);
        if is_open {
            point.set(None);
            refresh();
        }
    };
    // While open, the history grows with the board.
    Effect::new(move |_| {
        doc.view.track();
        if open.get_untracked() {
            refresh();
        }
    });
    let len = move || shown.with(|s| s.history.len());
    let index = move || {
        let len = len();
        point
            .get()
            .map_or(len.saturating_sub(1), |p| p.min(len.saturating_sub(1)))
    };
    let at_latest = move || point.get().is_none_or(|p| p + 1 >= len());
    let past = Memo::new(move |_| {
        if !open.get() || at_latest() {
            return None;
        }
        let i = index();
        let heads = shown.with(|s| s.history.heads(i).to_vec());
        doc.with_board(|b| b.view_at(&heads))
    });
    let version_text = move || {
        let i = index();
        shown.with(|s| match s.history.versions.get(i) {
            Some(v) => format!(
                "{} {} / {} — {}, {}",
                t.version_word,
                i + 1,
                s.history.len(),
                author_name(&v.author, t),
                when(v.time, t)
            ),
            None => t.history_empty.to_owned(),
        })
    };
    let on_slide = move |ev: leptos::ev::Event| {
        if let Ok(value) = event_target_value(&ev).parse::<usize>() {
            point.set(Some(value));
        }
    };
    let bursts = move || {
        shown.with(|s| {
            let mut bursts = s.history.bursts();
            bursts.reverse();
            bursts.truncate(MAX_BURSTS_SHOWN);
            bursts
                .into_iter()
                .map(|b| {
                    let count = b.last - b.first + 1;
                    let label = format!(
                        "{} · {} · {count} {}",
                        author_name(&b.author, t),
                        when(b.to, t),
                        if count == 1 {
                            t.change_word
                        } else {
                            t.changes_word
                        }
                    );
                    let last = b.last;
                    let current = move || index() == last;
                    view! {
                        <li>
                            <button
                                type="button"
                                class="burst"
                                aria-pressed=move || current().to_string()
                                on:click=move |_| point.set(Some(last))
                            >
                                {label}
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let restore_time = move || {
        let i = index();
        shown.with(|s| s.history.versions.get(i).map(|v| v.time).unwrap_or(0))
    };
    let restore_board = move |_| {
        let i = index();
        let heads = shown.with(|s| s.history.heads(i).to_vec());
        handle.restore(restore_time(), |board| board.restore_board(&heads));
        point.set(None);
    };
    let board_then = move || {
        past.get().map(|then| {
            let now = doc.view.get_untracked();
            board_at(handle, shown, then, now, edits, restore_time).into_any()
        })
    };
    view! {
        <details class="history" node_ref=menu on:toggle=on_toggle>
            <summary>{t.history}</summary>
            <div class="history-panel" role="region" aria-label=t.history>
                <p class="hint">{t.history_hint}</p>
                <label class="history-slider">
                    <span>{version_text}</span>
                    <input
                        type="range"
                        min="0"
                        max=move || len().saturating_sub(1).to_string()
                        prop:value=move || index().to_string()
                        on:input=on_slide
                    />
                </label>
                <p class="history-now">
                    <button type="button" class="history-latest" on:click=move |_| point.set(None) disabled=at_latest>
                        {t.back_to_now}
                    </button>
                    {move || (edits && !at_latest()).then(|| view! {
                        <button type="button" class="restore-board" on:click=restore_board>
                            {t.restore_board}
                        </button>
                    })}
                </p>
                {board_then}
                <h3>{t.who_changed}</h3>
                <ul class="bursts">{bursts}</ul>
                {export_menu(id, move || (!at_latest()).then(|| {
                    let i = index();
                    shown.with(|s| s.history.versions.get(i).map(|v| v.hash.clone()))
                }).flatten())}
            </div>
        </details>
    }
    .into_any()
}

/// The board at the chosen point: each column (then the outside) with its post-its, those
/// changed or deleted since marked, each with its own versions on demand and, for those who
/// edit, a button that puts it back as it was then.
fn board_at(
    handle: BoardHandle,
    shown: RwSignal<Shown>,
    then: BoardView,
    now: BoardView,
    edits: bool,
    restore_time: impl Fn() -> i64 + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = texts();
    let sections = then
        .by_column()
        .into_iter()
        .map(|(column, notes)| {
            let heading = match column {
                Some(c) if !c.heading.trim().is_empty() => c.heading.clone(),
                Some(_) => t.column_word.to_owned(),
                None => t.outside_columns.to_owned(),
            };
            let items = notes
                .into_iter()
                .map(|note| {
                    let state = match now.note(&note.id) {
                        None => Some(t.deleted_since),
                        Some(current)
                            if current.text != note.text
                                || current.colour != note.colour
                                || current.x != note.x
                                || current.y != note.y =>
                        {
                            Some(t.changed_since)
                        }
                        Some(_) => None,
                    };
                    note_then(handle, shown, note.clone(), state, edits, restore_time)
                })
                .collect_view();
            view! {
                <li>
                    <h4>{heading}</h4>
                    <ul>{items}</ul>
                </li>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <section class="history-board" aria-label=t.board_then>
            <h3>{t.board_then}</h3>
            <ul class="history-sections">{sections}</ul>
        </section>
    }
}

fn note_then(
    handle: BoardHandle,
    shown: RwSignal<Shown>,
    note: NoteView,
    state: Option<&'static str>,
    edits: bool,
    restore_time: impl Fn() -> i64 + Copy + Send + Sync + 'static,
) -> AnyView {
    let t = texts();
    let versions_open = RwSignal::new(false);
    let id = note.id.clone();
    let restore = {
        let note = note.clone();
        move |_| {
            let note = note.clone();
            handle.restore(restore_time(), move |board| board.restore_note(&note));
        }
    };
    let versions = move || {
        versions_open
            .get()
            .then(|| note_versions(handle, shown, id.clone(), edits))
    };
    let colour = format!("history-note note-{}", note.colour.as_str());
    view! {
        <li class=colour>
            <p class="history-note-text">{snippet(&note.text)}</p>
            <p class="hint">
                {note.author.clone().map(|a| format!("{} {a}", t.added_by))}
                {state.map(|s| format!(" · {s}"))}
            </p>
            <p class="history-note-tools">
                {(edits && state.is_some()).then(|| view! {
                    <button type="button" class="restore-note" on:click=restore>{t.restore_note}</button>
                })}
                <button
                    type="button"
                    class="note-versions-toggle"
                    aria-expanded=move || versions_open.get().to_string()
                    on:click=move |_| versions_open.update(|o| *o = !*o)
                >
                    {t.note_versions}
                </button>
            </p>
            {versions}
        </li>
    }
    .into_any()
}

/// A post-it's own versions: who made each one and when, what it said, and a button that puts
/// it back so.
fn note_versions(handle: BoardHandle, shown: RwSignal<Shown>, id: NoteId, edits: bool) -> AnyView {
    let t = texts();
    let rows = shown.with_untracked(|s| {
        handle
            .doc
            .with_board(|b| b.note_history(&s.history, &id))
            .unwrap_or_default()
            .into_iter()
            .rev()
            .map(|version| {
                let v = &s.history.versions[version.index];
                let who = format!("{}, {}", author_name(&v.author, t), when(v.time, t));
                let time = v.time;
                match version.note {
                    Some(note) => {
                        let text = snippet(&note.text);
                        let restore = move |_| {
                            let note = note.clone();
                            handle.restore(time, move |board| board.restore_note(&note));
                        };
                        view! {
                            <li>
                                <span class="hint">{who}</span>
                                " "
                                <q>{text}</q>
                                {edits.then(|| view! {
                                    <button type="button" class="restore-version" on:click=restore>{t.restore_version}</button>
                                })}
                            </li>
                        }
                        .into_any()
                    }
                    None => view! {
                        <li><span class="hint">{who}</span> " " {t.deleted_word}</li>
                    }
                    .into_any(),
                }
            })
            .collect_view()
    });
    view! { <ol class="note-versions">{rows}</ol> }.into_any()
}

/// Links to download the board in each format, now or at the chosen point (`at`, a change's
/// hash), with the page's link secret and language.
fn export_menu(
    id: BoardId,
    at: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = texts();
    let buttons = EXPORT_FORMATS
        .into_iter()
        .map(|(format, name)| {
            let id = id.clone();
            let download = move |_| {
                #[cfg(feature = "hydrate")]
                {
                    let mut path = format!("/api/boards/{id}/export?format={format}&lang={}", t.lang_code);
                    if let Some(at) = at() {
                        path.push_str(&format!("&at={at}"));
                    }
                    if let Some(secret) = crate::client::link_secret() {
                        path.push_str(&format!("&k={secret}"));
                    }
                    let url = crate::site::Site::current().path(&path);
                    let _ = window().location().set_href(&url);
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = (&id, format, at);
            };
            view! {
                <li>
                    <button type="button" class="export-format" data-format=format on:click=download>
                        {name}
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="export" aria-label=t.export>
            <h3>{t.export}</h3>
            <p class="hint">{move || if at().is_some() { t.export_then } else { t.export_now }}</p>
            <ul class="export-formats">{buttons}</ul>
        </section>
    }
}
