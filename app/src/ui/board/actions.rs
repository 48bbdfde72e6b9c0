//! What several parts of the board page do to the view: zoom around the middle, fit everything,
//! select what a rectangle touches.

use leptos::{html, prelude::*};

use crate::ui::{dom, handle::BoardHandle, viewport::Viewport};

/// Zooms by a factor around the middle of the board area.
pub fn zoom_around_centre(handle: BoardHandle, area: NodeRef<html::Main>, factor: f64) {
    let (w, h) = dom::size(area);
    handle
        .interaction
        .viewport
        .update(|v| *v = v.zoomed_at(factor, (w / 2.0, h / 2.0)));
}

/// Selects the post-its that a rectangle of the board touches.
pub fn select_in_rectangle(handle: BoardHandle, a: (f64, f64), b: (f64, f64)) {
    let (left, right) = (a.0.min(b.0), a.0.max(b.0));
    let (top, bottom) = (a.1.min(b.1), a.1.max(b.1));
    let inside = handle.doc.view.with_untracked(|board| {
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
    handle.selection.extend(inside);
}

/// Where this browser keeps its view of each board.
fn kept_view_key(board: &str) -> String {
    format!("ardoise-view:{board}")
}

/// Opens the board where this person left it (the view this browser keeps of each board); on a
/// first visit, fits the board in the screen if a post-it would be out of sight, so that a
/// board never opens looking empty (on a phone, or a board written far from the origin).
pub fn open_where_i_left(handle: BoardHandle, area: NodeRef<html::Main>, board: &str) {
    let key = kept_view_key(board);
    Effect::new(move |opened: Option<()>| {
        let viewport = handle.interaction.viewport.get();
        if opened.is_some() {
            dom::store(&key, &viewport.to_stored());
            return;
        }
        if let Some(kept) = dom::stored(&key).and_then(|t| Viewport::from_stored(&t)) {
            handle.interaction.viewport.set(kept);
            return;
        }
        let size = dom::size(area);
        let hidden = handle.doc.view.with_untracked(|board| {
            board.notes.iter().any(|n| {
                let (x, y) = board.position(n);
                !viewport.shows_whole(size, (x, y, x + n.w, y + n.h))
            })
        });
        if hidden {
            fit(handle, area);
        }
    });
}

/// Shows every post-it and column.
pub fn fit(handle: BoardHandle, area: NodeRef<html::Main>) {
    let (w, h) = dom::size(area);
    if let Some(bounds) = handle.doc.view.with_untracked(|board| board.bounds()) {
        handle
            .interaction
            .viewport
            .set(Viewport::fitting(bounds, w, h));
    }
}
