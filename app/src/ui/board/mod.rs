//! The board page: a header and a bar of tools above a canvas of columns and post-its that
//! pans and zooms. Every edit is applied locally at once and synced in the background.
//!
//! Layout: this file puts the page together; `toolbar.rs` holds the two bars, `canvas.rs` the
//! canvas and its gestures, `keyboard.rs` the page's keys, `actions.rs` what several of them
//! do to the view (zoom, fit, select in a rectangle).

mod actions;
mod canvas;
mod keyboard;
mod toolbar;

use leptos::{html, prelude::*};

#[cfg(feature = "hydrate")]
pub use self::canvas::BOARD_ELEMENT_ID;
use self::{
    canvas::canvas,
    keyboard::listen_to_the_keyboard,
    toolbar::{header, tools},
};
use super::{
    drafts::keep_drafts, follow::share_and_follow_views, handle::BoardHandle,
    links::remember_this_board, people::remember_who_i_am, print::print_view, vote::take_a_seat,
    workshop::workshop_bar,
};
use crate::{access::Role, ids::BoardId, model::Board};

#[component]
pub fn BoardPage(id: BoardId, doc: Vec<u8>, role: Role) -> impl IntoView {
    use base64::Engine;
    let encoded_doc = base64::engine::general_purpose::STANDARD.encode(&doc);
    let board = Board::load(&doc).unwrap_or_else(|_| Board::empty());
    let handle = BoardHandle::provide(id.clone(), board, role);
    let area = NodeRef::<html::Main>::new();
    remember_who_i_am(handle.doc);
    remember_this_board(&id, handle);
    take_a_seat(handle);
    keep_drafts(handle);
    listen_to_the_keyboard(handle, area);
    share_and_follow_views(handle, area);
    actions::open_where_i_left(handle, area, id.as_str());
    // Post-its someone else deleted leave the selection.
    Effect::new(move |_| {
        handle
            .doc
            .view
            .with(|board| handle.selection.keep_existing(board))
    });
    view! {
        {header(id.clone())}
        {tools(area)}
        {workshop_bar()}
        {canvas(area, id.to_string(), encoded_doc)}
        {print_view()}
    }
}
