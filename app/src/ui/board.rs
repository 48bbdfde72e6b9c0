//! The board page: a toolbar, and a canvas of columns and post-its that pans and zooms. Every
//! edit is applied locally at once and synced in the background.

use leptos::{html, prelude::*};

use super::{
    columns::Columns,
    dom,
    handle::{now_ms, BoardHandle, Connection, PERSON_COLOURS},
    note::Note,
    people::{Cursors, People},
    texts,
    viewport::{Viewport, ZOOM_STEP},
    LanguageSwitch,
};
use crate::{
    ids::BoardId,
    model::{Board, NOTE_SIZE},
};

/// Marks the board in the HTML; it carries the board id and document for the browser app.
pub const BOARD_ELEMENT_ID: &str = "board";
/// How much one pixel of wheel turns the zoom (as a power of e).
const WHEEL_ZOOM_SPEED: f64 = 0.0015;
/// A press on empty space that moves less than this (in pixels) is a click: it clears the
/// selection.
const CLICK_SLOP: f64 = 4.0;
/// Where the browser keeps the person's name and colour.
const NAME_KEY: &str = "ardoise.name";
const COLOUR_KEY: &str = "ardoise.colour";

/// What a pointer pressed on empty space is doing.
#[derive(Debug, Clone, PartialEq)]
enum Gesture {
    Pan {
        pointer: i32,
        from_client: (f64, f64),
        from: Viewport,
        moved: bool,
    },
    /// Shift + drag: a rubber band, from a board point to another.
    Select {
        pointer: i32,
        from: (f64, f64),
        to: (f64, f64),
    },
    /// Two fingers: pinch to zoom, move to pan.
    Pinch {
        start: [(f64, f64); 2],
        from: Viewport,
    },
}

#[component]
pub fn BoardPage(id: BoardId, doc: Vec<u8>) -> impl IntoView {
    use base64::Engine;
    let t = texts();
    let encoded_doc = base64::engine::general_purpose::STANDARD.encode(&doc);
    let board = Board::load(&doc).unwrap_or_else(|_| Board::empty());
    let handle = BoardHandle::start(id.clone(), board);
    provide_context(handle);
    let area = NodeRef::<html::Main>::new();
    remember_who_i_am(handle);
    listen_to_the_keyboard(handle, area);

    let title = move || handle.view.with(|v| v.title.clone());
    let status_text = move || match handle.status.get() {
        Connection::Connecting => t.connecting,
        Connection::Connected => t.connected,
        Connection::Reconnecting => t.reconnecting,
        Connection::Offline => t.offline,
        Connection::NotSaving => t.server_not_saving,
        Connection::Unavailable => t.unavailable,
    };
    let status_class = move || match handle.status.get() {
        Connection::Connected => "status status-ok",
        Connection::Unavailable | Connection::NotSaving => "status status-error",
        Connection::Connecting | Connection::Reconnecting | Connection::Offline => {
            "status status-waiting"
        }
    };
    let saved_locally = move || handle.saved_locally.get().to_string();
    let board_id = id.clone();
    let on_delete = move |_| delete_board(&board_id, t.confirm_delete_board);
    let add_from_toolbar = move |_| handle.add_note_in_view(dom::size(area));
    let add_column = move |_| {
        handle.edit(|board| board.add_column(""));
    };
    let zoom_by = move |factor: f64| zoom_around_centre(handle, area, factor);
    let fit_all = move |_| fit(handle, area);
    let zoom_text = move || format!("{:.0}{}", handle.viewport.get().zoom * 100.0, t.percent);
    // Post-its someone else deleted leave the selection.
    Effect::new(move |_| {
        let gone = handle.view.with(|board| {
            handle
                .selection
                .with_untracked(|s| s.iter().any(|id| board.note(id).is_none()))
        });
        if gone {
            handle.selection.update(|s| {
                handle
                    .view
                    .with_untracked(|b| s.retain(|id| b.note(id).is_some()))
            });
        }
    });
    let selected = move || handle.selection.with(Vec::len);
    let note_ids = move || {
        handle
            .view
            .with(|v| v.notes.iter().map(|n| n.id.clone()).collect::<Vec<_>>())
    };
    let on_title = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        handle.edit(|board| board.set_title(&value));
    };

    let gesture = RwSignal::new(None::<Gesture>);
    let touches = StoredValue::new(Vec::<(i32, (f64, f64))>::new());
    let press = move |ev: leptos::ev::PointerEvent| {
        let client = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        if ev.pointer_type() == "touch" {
            touches.update_value(|t| t.push((ev.pointer_id(), client)));
            if let Some(start) = touches.with_value(|t| two_touches(t)) {
                if let Some(pointer) = handle
                    .drag
                    .with_untracked(|d| d.as_ref().map(|d| d.pointer))
                {
                    handle.end_drag(pointer, false);
                }
                gesture.set(Some(Gesture::Pinch {
                    start,
                    from: handle.viewport.get_untracked(),
                }));
                return;
            }
        }
        if ev.button() != 0 || !(dom::on_empty_space(&ev) || handle.space_held.get_untracked()) {
            return;
        }
        ev.prevent_default();
        dom::blur_active();
        dom::capture_pointer(&ev);
        let viewport = handle.viewport.get_untracked();
        gesture.set(Some(if handle.adds_to_selection(&ev) {
            let at = viewport.to_board(dom::local(area, client));
            Gesture::Select {
                pointer: ev.pointer_id(),
                from: at,
                to: at,
            }
        } else {
            Gesture::Pan {
                pointer: ev.pointer_id(),
                from_client: client,
                from: viewport,
                moved: false,
            }
        }));
    };
    let pointer_moves = move |ev: leptos::ev::PointerEvent| {
        let client = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        let at = handle
            .viewport
            .get_untracked()
            .to_board(dom::local(area, client));
        handle.set_presence(|p| p.cursor = Some(at));
        touches.update_value(|t| {
            if let Some(touch) = t.iter_mut().find(|(p, _)| *p == ev.pointer_id()) {
                touch.1 = client;
            }
        });
        match gesture.get_untracked() {
            Some(Gesture::Pan {
                pointer,
                from_client,
                from,
                ..
            }) if pointer == ev.pointer_id() => {
                let (dx, dy) = (client.0 - from_client.0, client.1 - from_client.1);
                handle.viewport.set(from.panned(dx, dy));
                if dx.abs().max(dy.abs()) > CLICK_SLOP {
                    gesture.update(|g| {
                        if let Some(Gesture::Pan { moved, .. }) = g {
                            *moved = true;
                        }
                    });
                }
            }
            Some(Gesture::Select { pointer, from, .. }) if pointer == ev.pointer_id() => {
                gesture.set(Some(Gesture::Select {
                    pointer,
                    from,
                    to: at,
                }));
            }
            Some(Gesture::Pinch { start, from }) => {
                let Some(now) = touches.with_value(|t| two_touches(t)) else {
                    return;
                };
                let (d0, d1) = (distance(start), distance(now));
                let (m0, m1) = (
                    dom::local(area, midpoint(start)),
                    dom::local(area, midpoint(now)),
                );
                if d0 > 0.0 {
                    handle
                        .viewport
                        .set(from.zoomed_at(d1 / d0, m0).panned(m1.0 - m0.0, m1.1 - m0.1));
                }
            }
            _ => {}
        }
    };
    let release = move |ev: leptos::ev::PointerEvent| {
        touches.update_value(|t| t.retain(|(p, _)| *p != ev.pointer_id()));
        match gesture.get_untracked() {
            Some(Gesture::Pan { pointer, moved, .. }) if pointer == ev.pointer_id() => {
                if !moved && !handle.adds_to_selection(&ev) {
                    handle.selection.set(Vec::new());
                }
                gesture.set(None);
            }
            Some(Gesture::Select { pointer, from, to }) if pointer == ev.pointer_id() => {
                select_in_rectangle(handle, from, to);
                gesture.set(None);
            }
            Some(Gesture::Pinch { .. }) => gesture.set(None),
            _ => {}
        }
    };
    let wheel = move |ev: leptos::ev::WheelEvent| {
        ev.prevent_default();
        // Lines or pages (Firefox with a mouse) count as a typical line of pixels.
        let pixels = match ev.delta_mode() {
            0 => ev.delta_y(),
            _ => ev.delta_y() * 16.0,
        };
        let at = dom::local(area, (f64::from(ev.client_x()), f64::from(ev.client_y())));
        handle
            .viewport
            .update(|v| *v = v.zoomed_at((-pixels * WHEEL_ZOOM_SPEED).exp(), at));
    };
    let add_on_empty_space = move |ev: leptos::ev::MouseEvent| {
        if !dom::on_empty_space(&ev) {
            return;
        }
        let client = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        let (x, y) = handle
            .viewport
            .get_untracked()
            .to_board(dom::local(area, client));
        handle.add_note(x - NOTE_SIZE / 2.0, y - NOTE_SIZE / 4.0);
    };
    let rubber_band = move || match gesture.get() {
        Some(Gesture::Select { from, to, .. }) => {
            let v = handle.viewport.get();
            let (a, b) = (
                (from.0 * v.zoom + v.x, from.1 * v.zoom + v.y),
                (to.0 * v.zoom + v.x, to.1 * v.zoom + v.y),
            );
            let style = format!(
                "left: {:.0}px; top: {:.0}px; width: {:.0}px; height: {:.0}px",
                a.0.min(b.0),
                a.1.min(b.1),
                (a.0 - b.0).abs(),
                (a.1 - b.1).abs()
            );
            Some(view! { <div class="rubber-band" style=style></div> })
        }
        _ => None,
    };
    let panning = move || {
        matches!(
            gesture.get(),
            Some(Gesture::Pan { .. } | Gesture::Pinch { .. })
        ) || handle.space_held.get()
    };
    let dots_style = move || {
        let v = handle.viewport.get();
        let step = 24.0 * v.zoom;
        format!(
            "background-size: {step:.2}px {step:.2}px; background-position: {:.1}px {:.1}px",
            v.x, v.y
        )
    };

    view! {
        <header class="toolbar">
            <a class="brand" href="/">
                "Ardoise"
            </a>
            <h1 class="board-title">
                <input
                    type="text"
                    aria-label=t.board_title
                    prop:value=title
                    value=untrack(title)
                    on:input=on_title
                    maxlength=crate::model::MAX_TITLE_CHARS
                    autocomplete="off"
                />
            </h1>
            <People />
            <LanguageSwitch />
            <span
                class=status_class
                role="status"
                aria-live="polite"
                data-saved-locally=saved_locally
            >
                {status_text}
            </span>
            <button class="delete-board" type="button" on:click=on_delete>
                {t.delete_board}
            </button>
        </header>
        <nav class="tools" role="toolbar" aria-label=t.tools>
            <button class="add-note" type="button" aria-keyshortcuts="N" on:click=add_from_toolbar>
                {t.add_note}
            </button>
            <button class="add-column" type="button" on:click=add_column>
                {t.add_column}
            </button>
            <button
                type="button"
                class="select-mode"
                aria-pressed=move || handle.selecting.get().to_string()
                on:click=move |_| handle.selecting.update(|on| *on = !*on)
            >
                {t.select_mode}
            </button>
            <span class="tool-group">
                <button
                    type="button"
                    aria-keyshortcuts="Control+Z"
                    prop:disabled=move || !handle.can_undo.get()
                    on:click=move |_| handle.undo()
                >
                    "↶ "
                    {t.undo}
                </button>
                <button
                    type="button"
                    aria-keyshortcuts="Control+Shift+Z"
                    prop:disabled=move || !handle.can_redo.get()
                    on:click=move |_| handle.redo()
                >
                    "↷ "
                    {t.redo}
                </button>
            </span>
            <span class="tool-group">
                <button type="button" aria-label=t.zoom_out title=t.zoom_out on:click=move |_| zoom_by(1.0 / ZOOM_STEP)>
                    "−"
                </button>
                <button
                    type="button"
                    class="zoom-level"
                    title=t.zoom_reset
                    aria-label=t.zoom_reset
                    on:click=move |_| zoom_by(1.0 / handle.viewport.get_untracked().zoom)
                >
                    {zoom_text}
                </button>
                <button type="button" aria-label=t.zoom_in title=t.zoom_in on:click=move |_| zoom_by(ZOOM_STEP)>
                    "+"
                </button>
                <button type="button" class="fit-all" on:click=fit_all>
                    {t.fit_all}
                </button>
            </span>
            <Show when=move || { selected() > 1 }>
                <span class="tool-group selection-tools">
                    <span class="selection-count">{move || format!("{} {}", selected(), t.selected)}</span>
                    <button type="button" on:click=move |_| handle.duplicate_notes(&handle.selection.get_untracked())>
                        {t.duplicate}
                    </button>
                    <button type="button" on:click=move |_| handle.delete_notes(&handle.selection.get_untracked())>
                        {t.delete_selection}
                    </button>
                </span>
            </Show>
            <details class="help">
                <summary aria-label=t.help title=t.help>"?"</summary>
                <p>{t.add_note_hint} " " {t.keyboard_help} " " {t.share_hint}</p>
            </details>
        </nav>
        <main
            id=BOARD_ELEMENT_ID
            class=move || if panning() { "board panning" } else { "board" }
            style=dots_style
            data-board-id=id.to_string()
            data-doc=encoded_doc
            aria-label=t.board_region
            node_ref=area
            on:pointerdown=press
            on:pointermove=pointer_moves
            on:pointerup=release
            on:pointercancel=release
            on:pointerleave=move |_| handle.set_presence(|p| p.cursor = None)
            on:wheel=wheel
            on:dblclick=add_on_empty_space
        >
            <div class="canvas" style:transform=move || handle.viewport.get().transform()>
                <Columns />
                <For each=note_ids key=|id| id.clone() let:id>
                    <Note id />
                </For>
                <Cursors />
            </div>
            {rubber_band}
        </main>
    }
}

/// The two fingers on the screen, if there are exactly two.
fn two_touches(touches: &[(i32, (f64, f64))]) -> Option<[(f64, f64); 2]> {
    match touches {
        [(_, a), (_, b)] => Some([*a, *b]),
        _ => None,
    }
}

/// Zooms by a factor around the middle of the board area.
fn zoom_around_centre(handle: BoardHandle, area: NodeRef<html::Main>, factor: f64) {
    let (w, h) = dom::size(area);
    handle
        .viewport
        .update(|v| *v = v.zoomed_at(factor, (w / 2.0, h / 2.0)));
}

fn distance(points: [(f64, f64); 2]) -> f64 {
    (points[0].0 - points[1].0).hypot(points[0].1 - points[1].1)
}

fn midpoint(points: [(f64, f64); 2]) -> (f64, f64) {
    (
        (points[0].0 + points[1].0) / 2.0,
        (points[0].1 + points[1].1) / 2.0,
    )
}

/// Selects the post-its that a rectangle of the board touches.
fn select_in_rectangle(handle: BoardHandle, a: (f64, f64), b: (f64, f64)) {
    let (left, right) = (a.0.min(b.0), a.0.max(b.0));
    let (top, bottom) = (a.1.min(b.1), a.1.max(b.1));
    let inside: Vec<_> = handle.view.with_untracked(|board| {
        board
            .notes
            .iter()
            .filter(|n| {
                let (x, y) = board.position(n);
                x < right && x + n.w > left && y < bottom && y + n.h > top
            })
            .map(|n| n.id.clone())
            .collect()
    });
    handle.selection.update(|selection| {
        for id in inside {
            if !selection.contains(&id) {
                selection.push(id);
            }
        }
    });
}

/// Shows every post-it and column.
fn fit(handle: BoardHandle, area: NodeRef<html::Main>) {
    let (w, h) = dom::size(area);
    if let Some(bounds) = handle.view.with_untracked(|board| board.bounds()) {
        handle.viewport.set(Viewport::fitting(bounds, w, h));
    }
}

/// Reads the person's name and colour from the browser (picking a colour on a first visit).
fn remember_who_i_am(handle: BoardHandle) {
    Effect::new(move |_| {
        let name = dom::stored(NAME_KEY).unwrap_or_default();
        let colour = dom::stored(COLOUR_KEY)
            .filter(|c| PERSON_COLOURS.contains(&c.as_str()))
            .unwrap_or_else(|| {
                let colour = PERSON_COLOURS[(now_ms() as usize) % PERSON_COLOURS.len()].to_owned();
                dom::store(COLOUR_KEY, &colour);
                colour
            });
        handle.set_me(&name, &colour);
    });
}

/// Stores a new name for this person.
pub fn rename_me(handle: BoardHandle, name: &str) {
    dom::store(NAME_KEY, name);
    let colour = handle.me.with_untracked(|(_, colour)| colour.clone());
    handle.set_me(name, &colour);
}

/// The page's keys: undo and redo everywhere; outside text fields, N adds a post-it, + and −
/// zoom, 0 goes back to 100 %, Delete deletes the selection, Escape clears it, and the space bar
/// held turns drags into pans.
fn listen_to_the_keyboard(handle: BoardHandle, area: NodeRef<html::Main>) {
    #[cfg(feature = "hydrate")]
    {
        let down = window_event_listener(leptos::ev::keydown, move |ev| {
            let command = ev.ctrl_key() || ev.meta_key();
            let key = ev.key();
            if command && key.eq_ignore_ascii_case("z") && !dom::in_own_field(&ev) {
                ev.prevent_default();
                if ev.shift_key() {
                    handle.redo();
                } else {
                    handle.undo();
                }
                return;
            }
            if command && key.eq_ignore_ascii_case("y") && !dom::in_own_field(&ev) {
                ev.prevent_default();
                handle.redo();
                return;
            }
            if dom::in_text_field(&ev) || command || ev.alt_key() {
                return;
            }
            match key.as_str() {
                "n" | "N" => {
                    ev.prevent_default();
                    handle.add_note_in_view(dom::size(area));
                }
                "+" | "=" => zoom_around_centre(handle, area, ZOOM_STEP),
                "-" => zoom_around_centre(handle, area, 1.0 / ZOOM_STEP),
                "0" => {
                    let zoom = handle.viewport.get_untracked().zoom;
                    zoom_around_centre(handle, area, 1.0 / zoom);
                }
                "Delete" | "Backspace" => {
                    let selection = handle.selection.get_untracked();
                    if !selection.is_empty() {
                        ev.prevent_default();
                        handle.delete_notes(&selection);
                    }
                }
                "Escape" => {
                    handle.selection.set(Vec::new());
                    handle.selecting.set(false);
                }
                " " if !dom::on_control(&ev) => {
                    ev.prevent_default();
                    handle.space_held.set(true);
                }
                _ => {}
            }
        });
        let up = window_event_listener(leptos::ev::keyup, move |ev| {
            if ev.key() == " " {
                handle.space_held.set(false);
            }
        });
        // A space bar released in another window never sends its keyup here.
        let away = window_event_listener(leptos::ev::blur, move |_| handle.space_held.set(false));
        on_cleanup(move || {
            down.remove();
            up.remove();
            away.remove();
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (handle, area);
}

/// Asks for confirmation, deletes the board for everyone, and goes to the home page.
fn delete_board(id: &BoardId, question: &str) {
    #[cfg(feature = "hydrate")]
    {
        let window = window();
        if !window.confirm_with_message(question).unwrap_or(false) {
            return;
        }
        let init = web_sys::RequestInit::new();
        init.set_method("DELETE");
        let request = window.fetch_with_str_and_init(&format!("/api/boards/{id}"), &init);
        leptos::task::spawn_local(async move {
            let deleted = wasm_bindgen_futures::JsFuture::from(request).await;
            if deleted.is_ok() {
                let _ = leptos::prelude::window().location().set_href("/");
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, question);
}
