//! The page's keys: undo and redo everywhere; outside text fields, N adds a post-it, + and −
//! zoom, 0 goes back to 100 %, Delete deletes the selection, Escape clears it, and the space bar
//! held turns drags into pans. A post-it's own keys are the post-it's (`note/keys.rs`).

use leptos::{html, prelude::*};

use crate::ui::handle::BoardHandle;

/// Listens to the window's keys for as long as the page lives.
pub fn listen_to_the_keyboard(handle: BoardHandle, area: NodeRef<html::Main>) {
    #[cfg(feature = "hydrate")]
    {
        use super::actions::zoom_around_centre;
        use crate::ui::{dom, viewport::ZOOM_STEP};

        let space_held = handle.interaction.space_held;
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
                    let zoom = handle.interaction.viewport.get_untracked().zoom;
                    zoom_around_centre(handle, area, 1.0 / zoom);
                }
                "Delete" | "Backspace" => {
                    let selection = handle.selection.ids.get_untracked();
                    if !selection.is_empty() {
                        ev.prevent_default();
                        handle.delete_notes(&selection);
                    }
                }
                "Escape" => {
                    handle.selection.clear();
                    handle.selection.mode.set(false);
                }
                " " if !dom::on_control(&ev) => {
                    ev.prevent_default();
                    space_held.set(true);
                }
                _ => {}
            }
        });
        let up = window_event_listener(leptos::ev::keyup, move |ev| {
            if ev.key() == " " {
                space_held.set(false);
            }
        });
        // A space bar released in another window never sends its keyup here.
        let away = window_event_listener(leptos::ev::blur, move |_| space_held.set(false));
        on_cleanup(move || {
            down.remove();
            up.remove();
            away.remove();
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (handle, area);
}
