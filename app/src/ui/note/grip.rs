//! A post-it's grip: dragging it moves the post-it (and the rest of the selection with it); the
//! post-it's dots sit in it, as buttons that take one away.

use leptos::prelude::*;

use super::tools::dot_button;
use crate::{
    ids::NoteId,
    model::Dot,
    ui::{dom, handle::BoardHandle, language::texts},
};

pub fn note_grip(
    id: NoteId,
    dots: impl Fn() -> [i64; 4] + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = texts();
    let handle = expect_context::<BoardHandle>();
    let interaction = handle.interaction;
    // This grip holds the pointer of the drag under way.
    let grabbed = StoredValue::new(None::<i32>);
    // Deleted (by someone else) while it was being dragged: the drag ends with it.
    on_cleanup(move || {
        if let Some(Some(pointer)) = grabbed.try_get_value() {
            handle.end_drag(pointer, true);
        }
    });
    let start_drag = {
        let id = id.clone();
        move |ev: leptos::ev::PointerEvent| {
            // The dots in the grip are buttons: their clicks are theirs.
            // One drag at a time (a second finger on another post-it does not take it over).
            if ev.button() != 0
                || interaction.space_held.get_untracked()
                || dom::on_button(&ev)
                || interaction.dragging_pointer().is_some()
            {
                return;
            }
            ev.prevent_default();
            ev.stop_propagation();
            dom::blur_active();
            if handle.adds_to_selection(&ev) {
                handle.selection.toggle(&id);
                return;
            }
            if !handle.selection.ids.with_untracked(|s| s.contains(&id)) {
                handle.selection.ids.set(vec![id.clone()]);
            }
            dom::capture_pointer(&ev);
            handle.start_drag(&ev, &handle.drag_targets(&id), &id);
            grabbed.set_value(Some(ev.pointer_id()));
        }
    };
    let continue_drag = move |ev: leptos::ev::PointerEvent| {
        let client = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        interaction.drag_moved(ev.pointer_id(), client);
    };
    let end_drag = move |keep: bool| {
        if let Some(pointer) = grabbed.get_value() {
            grabbed.set_value(None);
            handle.end_drag(pointer, keep);
        }
    };
    let dot_buttons = move || {
        Dot::ALL
            .into_iter()
            .zip(dots())
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
    };
    view! {
        <div
            class="note-grip"
            title=t.move_note
            on:pointerdown=start_drag
            on:pointermove=continue_drag
            on:pointerup=move |_| end_drag(true)
            on:pointercancel=move |_| end_drag(false)
            on:lostpointercapture=move |_| end_drag(true)
        >
            <span class="dots">{dot_buttons}</span>
        </div>
    }
}
