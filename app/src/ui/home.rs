//! The home page: create a board, and find again the boards this browser created or joined
//! ("My boards", kept by the browser alone). The form posts to the server, so it works before
//! (and without) the WebAssembly.

use leptos::prelude::*;

use super::language::{texts, LanguageSwitch};
use crate::{
    access::Role,
    client::boards::KnownBoard,
    i18n::Lang,
    model::MAX_TITLE_CHARS,
    templates::{self, BLANK},
};

/// Marks the home page in the HTML, for the browser to know which page it hydrates.
pub const HOME_ELEMENT_ID: &str = "home";

/// The saved templates as the page carries them for the browser to read back: one
/// `id<TAB>name` per line (neither holds a tab or a line break).
fn write_templates(saved: &[(String, String)]) -> String {
    saved
        .iter()
        .map(|(id, name)| format!("{id}\t{}", name.replace(['\t', '\n'], " ")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What [`write_templates`] wrote.
#[cfg(any(feature = "hydrate", test))]
pub fn read_templates(written: &str) -> Vec<(String, String)> {
    written
        .lines()
        .filter_map(|line| {
            let (id, name) = line.split_once('\t')?;
            Some((id.to_owned(), name.to_owned()))
        })
        .collect()
}

#[component]
pub fn Home(saved_templates: Vec<(String, String)>) -> impl IntoView {
    let t = texts();
    let lang = use_context::<Lang>().unwrap_or_default();
    let own = templates::built_in(lang)
        .into_iter()
        .map(|template| {
            let selected = template.id == BLANK;
            view! { <option value=template.id selected=selected>{template.name}</option> }
        })
        .collect_view();
    let written = write_templates(&saved_templates);
    let saved = (!saved_templates.is_empty()).then(|| {
        let options = saved_templates
            .into_iter()
            .map(|(id, name)| view! { <option value=id>{name}</option> })
            .collect_view();
        view! { <optgroup label=t.saved_templates>{options}</optgroup> }
    });
    view! {
        <main id=HOME_ELEMENT_ID class="home" data-templates=written>
            <nav class="home-nav">
                <a class="guide-link" href=crate::site::Site::current().path("/guide")>{t.guide}</a>
                <LanguageSwitch />
            </nav>
            <h1 class="brand">"Ardoise"</h1>
            <p class="tagline">{t.tagline}</p>
            <form class="new-board" method="post" action=crate::site::Site::current().path("/new")>
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
                <label for="board-template">{t.template}</label>
                <select id="board-template" name="template">
                    <optgroup label="Ardoise">{own}</optgroup>
                    {saved}
                </select>
                <label class="anonymous">
                    <input type="checkbox" name="anonymous" />
                    {t.anonymous_board}
                </label>
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
                        <a href=crate::site::Site::current().path(&board.path())>{title}</a>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_templates_read_back_as_written() {
        let saved = vec![
            ("retro".to_owned(), "Rétro\td'équipe".to_owned()),
            ("bilan-2".to_owned(), "Bilan\nde fin".to_owned()),
        ];
        let read = read_templates(&write_templates(&saved));
        assert_eq!(
            read,
            [
                ("retro".to_owned(), "Rétro d'équipe".to_owned()),
                ("bilan-2".to_owned(), "Bilan de fin".to_owned()),
            ]
        );
        assert!(read_templates("").is_empty());
    }
}
