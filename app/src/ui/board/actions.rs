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
