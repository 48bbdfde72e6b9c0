//! The home page: create a board, and find again the boards this browser created or joined
//! ("My boards", kept by the browser alone). The form posts to the server, so it works before
//! (and without) the WebAssembly.

use leptos::prelude::*;

use super::language::{texts, LanguageSwitch};
use crate::{access::Role, client::boards::KnownBoard, model::MAX_TITLE_CHARS};

/// Marks the home page in the HTML, for the browser to know which page it hydrates.
pub const HOME_ELEMENT_ID: &str = "home";

#[component]
pub fn Home() -> impl IntoView {
    let t = texts();
    view! {
        <main id=HOME_ELEMENT_ID class="home">
            <nav class="home-nav">
                <LanguageSwitch />
            </nav>
            <h1 class="brand">"Ardoise"</h1>
            <p class="tagline">{t.tagline}</p>
            <form class="new-board" method="post" action="/new">
                <h2>{t.new_board}</h2>
                <label for="board-title">{t.board_title}</label>
                <input
                    id="board-title"
                    name="title"
                    type="text"
                    required
                    maxlength=MAX_TITLE_CHARS
                    placeholder=t.board_title_placeholder
                    autocomplete="off"
                />
                <button type="submit">{t.create}</button>
                <p class="hint">{t.home_privacy}</p>
            </form>
            {my_boards()}
        </main>
    }
}

/// The boards this browser knows, each with the link it joined by. Empty on the server (the
/// list is the browser's own); filled once the page is hydrated.
fn my_boards() -> impl IntoView {
    let t = texts();
    let boards = RwSignal::new(Vec::<KnownBoard>::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| boards.set(crate::client::boards::load()));
    let items = move || {
        boards
            .get()
            .into_iter()
            .map(|board| {
                let role = Role::ALL.iter().position(|r| *r == board.role).unwrap_or(0);
                let title = if board.title.is_empty() {
                    board.id.clone()
                } else {
                    board.title.clone()
                };
                view! {
                    <li>
                        <a href=board.path()>{title}</a>
                        <span class="role">{t.roles[role]}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <Show when=move || boards.with(|b| !b.is_empty())>
            <section class="my-boards">
                <h2>{t.my_boards}</h2>
                <ul>{items}</ul>
            </section>
        </Show>
    }
}
