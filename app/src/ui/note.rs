//! One post-it: its text, its dots, the grip to drag it, the corner to resize it, and its tools
//! (colours, dots, bring to front, duplicate, delete) while it is pointed at or focused.
//!
//! Keyboard: Tab reaches the post-it; arrows move it (Shift: further), Alt + arrows resize it,
//! Enter goes into its text, Escape comes back out, Delete deletes it, Ctrl+D duplicates it.

use leptos::{html, prelude::*};

use super::{dom, handle::BoardHandle, people::display_name, texts};
use crate::{
    ids::NoteId,
    model::{Colour, Dot},
};

/// How long a post-it's buttons stay after a finger left it, for the tap's click to land.
const TOUCH_TOOLS_GRACE: std::time::Duration = std::time::Duration::from_millis(500);
/// One press of an arrow key moves a post-it this far; with Shift, [`BIG_STEP`].
const STEP: f64 = 10.0;
const BIG_STEP: f64 = 50.0;
/// Longest part of a post-it's text in its accessible name.
const LABEL_CHARS: usize = 60;

/// The initial content of a `<textarea>`. Leptos writes a textarea's children unescaped on the
/// server (as it does for `<script>`), so the server escapes the text itself: a post-it reading
/// `</textarea><script>` must stay text. In the browser the text goes into the DOM as it is.
fn textarea_content(text: String) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        text
    }
}

/// A resize in progress: the pointer, where it started, and the size now.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Resize {
    pointer: i32,
    from_client: (f64, f64),
    from_size: (f64, f64),
    size: (f64, f64),
}

#[component]
pub fn Note(id: NoteId) -> impl IntoView {
    let t = texts();
    let handle = expect_context::<BoardHandle>();
    let note = Memo::new({
        let id = id.clone();
        move |_| {
            handle.view.with(|v| {
                v.note(&id).map(|n| {
                    let place = v.position(n);
                    (n.clone(), place)
                })
            })
        }
    });
    let text = move || note.with(|n| n.as_ref().map(|(n, _)| n.text.clone()).unwrap_or_default());
    let colour = move || note.with(|n| n.as_ref().map(|(n, _)| n.colour).unwrap_or_default());
    // Where this post-it started, while it is dragged (changes when a drag starts or ends
    // only): the post-its not dragged never read the pointer's moves.
    let dragged_from = Memo::new({
        let id = id.clone();
        move |_| {
            handle
                .drag
                .with(|d| d.as_ref().and_then(|d| d.origins.get(&id).copied()))
        }
    });
    let position = move || match dragged_from.get() {
        Some((x, y)) => {
            let (dx, dy) = handle.drag_delta.get();
            (x + dx, y + dy)
        }
        None => note.with(|n| n.as_ref().map(|(_, p)| *p).unwrap_or_default()),
    };
    let resize = RwSignal::new(None::<Resize>);
    // This post-it's grip holds the pointer of the drag under way.
    let grabbed = StoredValue::new(None::<i32>);
    // Deleted (by someone else) while it was being dragged: the drag ends with it.
    on_cleanup(move || {
        if let Some(Some(pointer)) = grabbed.try_get_value() {
            handle.end_drag(pointer, true);
        }
    });
    let size = move || {
        resize.get().map(|r| r.size).unwrap_or_else(|| {
            note.with(|n| n.as_ref().map(|(n, _)| (n.w, n.h)).unwrap_or_default())
        })
    };
    let selected = Memo::new({
        let id = id.clone();
        move |_| handle.selection.with(|s| s.contains(&id))
    });
    // Someone else typing in or dragging this post-it.
    let activity = Memo::new({
        let id = id.clone();
        move |_| {
            handle.people.with(|people| {
                people.iter().find_map(|person| {
                    let p = &person.presence;
                    let verb = if p.dragging.as_ref() == Some(&id) {
                        t.is_moving
                    } else if p.editing.as_ref() == Some(&id) {
                        t.is_typing
                    } else {
                        return None;
                    };
                    Some((format!("{} {verb}", display_name(p, t)), p.colour.clone()))
                })
            })
        }
    });
    let author = move || note.with(|n| n.as_ref().and_then(|(n, _)| n.author.clone()));
    let label = move || {
        let text: String = text().chars().take(LABEL_CHARS).collect();
        let text = if text.trim().is_empty() {
            t.empty_note.to_owned()
        } else {
            text
        };
        match author() {
            Some(author) => format!("{}{}{text} ({} {author})", t.note, t.colon, t.added_by),
            None => format!("{}{}{text}", t.note, t.colon),
        }
    };

    let article = NodeRef::<html::Article>::new();
    let textarea = NodeRef::<html::Textarea>::new();
    Effect::new({
        let id = id.clone();
        move |_| {
            if handle.focus.get().as_ref() == Some(&id) {
                if let Some(textarea) = textarea.get() {
                    let _ = textarea.focus();
                    handle.focus.set(None);
                }
            }
        }
    });

    let on_input = {
        let id = id.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            handle.edit(|board| board.set_note_text(&id, &value));
        }
    };
    let start_drag = {
        let id = id.clone();
        move |ev: leptos::ev::PointerEvent| {
            // The dots in the grip are buttons: their clicks are theirs.
            // One drag at a time (a second finger on another post-it does not take it over).
            if ev.button() != 0
                || handle.space_held.get_untracked()
                || dom::on_button(&ev)
                || handle.drag.with_untracked(Option::is_some)
            {
                return;
            }
            ev.prevent_default();
            ev.stop_propagation();
            dom::blur_active();
            if handle.adds_to_selection(&ev) {
                toggle_selection(handle, &id);
                return;
            }
            if !handle.selection.with_untracked(|s| s.contains(&id)) {
                handle.selection.set(vec![id.clone()]);
            }
            dom::capture_pointer(&ev);
            handle.start_drag(&ev, &handle.targets(&id));
            grabbed.set_value(Some(ev.pointer_id()));
            let dragging = id.clone();
            handle.set_presence(move |p| p.dragging = Some(dragging));
        }
    };
    let continue_drag = move |ev: leptos::ev::PointerEvent| {
        let zoom = handle.viewport.get_untracked().zoom;
        let from = handle.drag.with_untracked(|d| {
            d.as_ref()
                .filter(|d| d.pointer == ev.pointer_id())
                .map(|d| d.from_client)
        });
        if let Some(from) = from {
            handle.drag_delta.set((
                (f64::from(ev.client_x()) - from.0) / zoom,
                (f64::from(ev.client_y()) - from.1) / zoom,
            ));
        }
    };
    let end_drag = move |keep: bool| {
        if let Some(pointer) = grabbed.get_value() {
            grabbed.set_value(None);
            handle.end_drag(pointer, keep);
        }
    };
    let start_resize = move |ev: leptos::ev::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        ev.stop_propagation();
        dom::capture_pointer(&ev);
        let from_size = size();
        resize.set(Some(Resize {
            pointer: ev.pointer_id(),
            from_client: (f64::from(ev.client_x()), f64::from(ev.client_y())),
            from_size,
            size: from_size,
        }));
    };
    let continue_resize = move |ev: leptos::ev::PointerEvent| {
        let zoom = handle.viewport.get_untracked().zoom;
        resize.update(|r| {
            if let Some(r) = r.as_mut().filter(|r| r.pointer == ev.pointer_id()) {
                r.size = (
                    crate::model::clamp_size(
                        r.from_size.0 + (f64::from(ev.client_x()) - r.from_client.0) / zoom,
                    ),
                    crate::model::clamp_size(
                        r.from_size.1 + (f64::from(ev.client_y()) - r.from_client.1) / zoom,
                    ),
                );
            }
        });
    };
    let end_resize = {
        let id = id.clone();
        move |_: leptos::ev::PointerEvent| {
            if let Some(r) = resize.get_untracked() {
                if r.size != r.from_size {
                    handle.edit(|board| board.resize_note(&id, r.size.0, r.size.1));
                }
                resize.set(None);
            }
        }
    };
    let keys = {
        let id = id.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            let on_itself = ev.target() == ev.current_target();
            let key = ev.key();
            if !on_itself {
                // In the text: Escape comes back to the post-it.
                if key == "Escape" && dom::in_text_field(&ev) {
                    ev.stop_propagation();
                    if let Some(article) = article.get_untracked() {
                        let _ = article.focus();
                    }
                }
                return;
            }
            let step = if ev.shift_key() { BIG_STEP } else { STEP };
            let command = ev.ctrl_key() || ev.meta_key();
            let targets = handle.targets(&id);
            // Alt + arrows resize.
            let resize_by = match (ev.alt_key(), key.as_str()) {
                (true, "ArrowLeft") => Some((-step, 0.0)),
                (true, "ArrowRight") => Some((step, 0.0)),
                (true, "ArrowUp") => Some((0.0, -step)),
                (true, "ArrowDown") => Some((0.0, step)),
                _ => None,
            };
            if let Some((dw, dh)) = resize_by {
                ev.prevent_default();
                ev.stop_propagation();
                handle.resize_note_by(&id, dw, dh);
                return;
            }
            let handled = match key.as_str() {
                "ArrowLeft" => {
                    handle.move_notes_by(&targets, -step, 0.0);
                    true
                }
                "ArrowRight" => {
                    handle.move_notes_by(&targets, step, 0.0);
                    true
                }
                "ArrowUp" => {
                    handle.move_notes_by(&targets, 0.0, -step);
                    true
                }
                "ArrowDown" => {
                    handle.move_notes_by(&targets, 0.0, step);
                    true
                }
                "Enter" => {
                    if let Some(textarea) = textarea.get_untracked() {
                        let _ = textarea.focus();
                    }
                    true
                }
                "Delete" | "Backspace" => {
                    handle.delete_notes(&targets);
                    true
                }
                "Escape" => {
                    handle.selection.set(Vec::new());
                    if let Some(article) = article.get_untracked() {
                        let _ = article.blur();
                    }
                    true
                }
                "d" | "D" if command => {
                    handle.duplicate_notes(&targets);
                    true
                }
                _ => false,
            };
            if handled {
                ev.prevent_default();
                ev.stop_propagation();
            }
        }
    };
    let pressed = {
        let id = id.clone();
        move |ev: leptos::ev::PointerEvent| {
            if ev.button() == 0 && handle.adds_to_selection(&ev) {
                ev.prevent_default();
                toggle_selection(handle, &id);
            }
        }
    };

    // The tools exist only while the post-it is pointed at or holds the focus: on a board of
    // 1,000 post-its they would be 15,000 more elements to render, send, parse and hydrate.
    let pointed = RwSignal::new(false);
    let focused = RwSignal::new(false);
    let editing = {
        let id = id.clone();
        move |on: bool| {
            let id = id.clone();
            handle.set_presence(move |p| p.editing = on.then_some(id));
        }
    };
    let focus_left = {
        let editing = editing.clone();
        move |ev: leptos::ev::FocusEvent| {
            if dom::in_text_field(&ev) {
                editing(false);
            }
            #[cfg(feature = "hydrate")]
            {
                use wasm_bindgen::JsCast;
                // Moving between the post-it's own fields keeps the tools.
                let stays_inside = ev
                    .related_target()
                    .and_then(|to| to.dyn_into::<web_sys::Node>().ok())
                    .zip(article.get_untracked())
                    .is_some_and(|(to, article)| article.contains(Some(&to)));
                if stays_inside {
                    return;
                }
            }
            focused.set(false);
        }
    };
    let focus_came = move |ev: leptos::ev::FocusEvent| {
        // The post-it itself (or one of its dots) holding the focus shows no buttons, so that
        // Tab goes on to the next post-it; its text (Enter) and, from there, Tab show them.
        focused.set(ev.target() != ev.current_target() && !dom::on_dot(&ev));
        if dom::in_text_field(&ev) {
            editing(true);
        }
    };
    let tools = {
        let id = id.clone();
        move || view! { <NoteTools id=id.clone() colour=Signal::derive(colour) author=Signal::derive(author) /> }
    };
    let dots = {
        let id = id.clone();
        move || {
            let counts = note.with(|n| n.as_ref().map(|(n, _)| n.dots).unwrap_or_default());
            Dot::ALL
                .into_iter()
                .zip(counts)
                .zip(t.dots)
                .filter(|((_, count), _)| *count > 0)
                .map(|((dot, count), name)| {
                    let label = format!("{} {name} ({count})", t.remove_dot);
                    dot_button(
                        handle,
                        id.clone(),
                        dot,
                        -1,
                        label,
                        (count > 1).then(|| count.to_string()),
                    )
                })
                .collect_view()
        }
    };

    view! {
        <article
            class=move || {
                let mut class = format!("note note-{}", colour().as_str());
                if dragged_from.with(Option::is_some) {
                    class.push_str(" dragging");
                }
                if selected.get() {
                    class.push_str(" selected");
                }
                if activity.with(Option::is_some) {
                    class.push_str(" remote-active");
                }
                class
            }
            data-note-id=id.to_string()
            tabindex="0"
            aria-label=label
            aria-roledescription=t.note
            title=move || author().map(|a| format!("{} {a}", t.added_by))
            style:left=move || format!("{}px", position().0)
            style:top=move || format!("{}px", position().1)
            style:width=move || format!("{}px", size().0)
            style:height=move || format!("{}px", size().1)
            style:z-index=move || note.with(|n| n.as_ref().map(|(n, _)| n.z).unwrap_or(0)).to_string()
            style:outline-color=move || activity.with(|a| a.as_ref().map(|(_, colour)| colour.clone()))
            node_ref=article
            on:keydown=keys
            on:pointerdown=pressed
            on:pointerenter=move |_| pointed.set(true)
            on:pointerleave=move |ev: leptos::ev::PointerEvent| {
                if ev.pointer_type() == "touch" {
                    // A finger leaves before its tap's click: keep the buttons for that click.
                    set_timeout(move || pointed.set(false), TOUCH_TOOLS_GRACE);
                } else {
                    pointed.set(false);
                }
            }
            on:focusin=focus_came
            on:focusout=focus_left
        >
            <div
                class="note-grip"
                title=t.move_note
                on:pointerdown=start_drag
                on:pointermove=continue_drag
                on:pointerup=move |_| end_drag(true)
                on:pointercancel=move |_| end_drag(false)
                on:lostpointercapture=move |_| end_drag(true)
            >
                <span class="dots">{dots}</span>
            </div>
            <textarea
                node_ref=textarea
                class="note-text"
                tabindex="-1"
                aria-label=t.note_text
                prop:value=text
                on:input=on_input
            >
                {untrack(move || textarea_content(text()))}
            </textarea>
            {move || activity.get().map(|(what, colour)| view! {
                <span class="note-activity" style:background-color=colour>{what}</span>
            })}
            <div
                class="note-resize"
                title=t.resize_note
                on:pointerdown=start_resize
                on:pointermove=continue_resize
                on:pointerup=end_resize
                on:pointercancel=move |_| resize.set(None)
            ></div>
            {move || (pointed.get() || focused.get()).then(tools.clone())}
        </article>
    }
    // One type for every post-it, so that the board's view type stays small enough to compile.
    .into_any()
}

/// A dot's button: adds `by` dots of its colour to a post-it (removes them when negative).
fn dot_button(
    handle: BoardHandle,
    id: NoteId,
    dot: Dot,
    by: i64,
    label: String,
    count: Option<String>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class=format!("dot dot-{}", dot.as_str())
            aria-label=label.clone()
            title=label
            on:click=move |_| {
                handle.edit(|board| board.add_dots(&id, dot, by));
            }
        >
            {count}
        </button>
    }
}

fn toggle_selection(handle: BoardHandle, id: &NoteId) {
    handle.selection.update(|s| {
        if let Some(i) = s.iter().position(|n| n == id) {
            s.remove(i);
        } else {
            s.push(id.clone());
        }
    });
}

/// A post-it's buttons: colours, dots, bring to front, duplicate, delete; and who added it.
#[component]
fn NoteTools(id: NoteId, colour: Signal<Colour>, author: Signal<Option<String>>) -> impl IntoView {
    let t = texts();
    let handle = expect_context::<BoardHandle>();
    let swatches = Colour::ALL
        .into_iter()
        .zip(t.colours)
        .map(|(c, name)| {
            let id = id.clone();
            view! {
                <button
                    type="button"
                    class=format!("swatch swatch-{}", c.as_str())
                    aria-label=name
                    title=name
                    aria-pressed=move || (colour.get() == c).to_string()
                    on:click=move |_| {
                        handle.edit(|board| board.set_note_colour(&id, c));
                    }
                ></button>
            }
        })
        .collect_view();
    let dots = Dot::ALL
        .into_iter()
        .zip(t.dots)
        .map(|(dot, name)| {
            let label = format!("{} {name}", t.add_dot);
            dot_button(handle, id.clone(), dot, 1, label, None)
        })
        .collect_view();
    let front = {
        let id = id.clone();
        move |_| {
            handle.edit(|board| board.bring_to_front(&id));
        }
    };
    let duplicate = {
        let id = id.clone();
        move |_| handle.duplicate_notes(std::slice::from_ref(&id))
    };
    let delete = move |_| handle.delete_notes(std::slice::from_ref(&id));
    view! {
        <div class="note-tools">
            <div class="swatches" role="group" aria-label=t.colour>
                {swatches}
            </div>
            <div class="dot-buttons" role="group" aria-label=t.add_dot>
                {dots}
            </div>
            <div class="note-actions">
                <button type="button" aria-label=t.bring_to_front title=t.bring_to_front on:click=front>
                    "⤒"
                </button>
                <button type="button" aria-label=t.duplicate title=t.duplicate on:click=duplicate>
                    "❏"
                </button>
                <button type="button" class="note-delete" aria-label=t.delete_note title=t.delete_note on:click=delete>
                    "×"
                </button>
            </div>
            {move || author.get().map(|a| view! { <p class="note-author">{format!("{} {a}", t.added_by)}</p> })}
        </div>
    }
}
