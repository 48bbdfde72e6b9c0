//! The home page: create a board. The form posts to the server, so it works before (and without)
//! the WebAssembly.

use leptos::prelude::*;

use super::language::{texts, LanguageSwitch};
use crate::model::MAX_TITLE_CHARS;

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
        </main>
    }
}
