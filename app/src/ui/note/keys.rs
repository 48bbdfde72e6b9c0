//! A post-it's keys, while it holds the focus itself: arrows move it (Shift: further), Alt +
//! arrows resize it, Enter goes into its text, Space adds it to the selection or takes it out
//! (to select several from the keyboard), Delete deletes it, Ctrl+D duplicates it, Escape
//! leaves it. In its text, Escape comes back to the post-it.

use leptos::{html, prelude::*};

use crate::{
    ids::NoteId,
    ui::{dom, handle::BoardHandle},
};

/// One press of an arrow key moves a post-it this far; with Shift, [`BIG_STEP`].
const STEP: f64 = 10.0;
const BIG_STEP: f64 = 50.0;

/// What a key pressed on the post-it (or in it) does.
pub fn on_key(
    handle: BoardHandle,
    id: &NoteId,
    article: NodeRef<html::Article>,
    textarea: NodeRef<html::Textarea>,
    ev: &leptos::ev::KeyboardEvent,
) {
    let on_itself = ev.target() == ev.current_target();
    let key = ev.key();
    if !on_itself {
        if key == "Escape" && dom::in_text_field(ev) {
            ev.stop_propagation();
            if let Some(article) = article.get_untracked() {
                let _ = article.focus();
            }
        }
        return;
    }
    let step = if ev.shift_key() { BIG_STEP } else { STEP };
    let command = ev.ctrl_key() || ev.meta_key();
    let targets = handle.selection.targets(id);
    let arrow = match key.as_str() {
        "ArrowLeft" => Some((-step, 0.0)),
        "ArrowRight" => Some((step, 0.0)),
        "ArrowUp" => Some((0.0, -step)),
        "ArrowDown" => Some((0.0, step)),
        _ => None,
    };
    let handled = match (arrow, key.as_str()) {
        (Some((dw, dh)), _) if ev.alt_key() => {
            handle.resize_note_by(id, dw, dh);
            true
        }
        (Some((dx, dy)), _) => {
            handle.move_notes_by(&targets, dx, dy);
            true
        }
        (None, "Enter") => {
            if let Some(textarea) = textarea.get_untracked() {
                let _ = textarea.focus();
            }
            true
        }
        (None, " ") => {
            handle.selection.toggle(id);
            true
        }
        (None, "Delete" | "Backspace") => {
            handle.delete_notes(&targets);
            true
        }
        (None, "Escape") => {
            handle.selection.clear();
            if let Some(article) = article.get_untracked() {
                let _ = article.blur();
            }
            true
        }
        (None, "d" | "D") if command => {
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
