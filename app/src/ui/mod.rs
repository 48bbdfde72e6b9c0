//! Leptos components. The server renders them to HTML (feature `ssr`) and the browser hydrates that
//! HTML (feature `hydrate`): both must build the same tree from the same [`PageContext`], which the
//! server provides as context and the browser reads back from the page.
//!
//! Layout:
//! - `home.rs`, `board/` (header, tools, canvas, keys), `note/` (grip, corner, tools, keys),
//!   `columns.rs`, `people.rs`: the components.
//! - The board page's contexts: `document.rs` (the board, the connection, the people),
//!   `selection.rs`, `interaction.rs` (viewport, drag, space bar), `undo.rs`; `handle.rs`
//!   bundles them with the actions that touch several ([`BoardHandle`]).
//! - Plain code, unit-tested: `gesture.rs` (pan, rubber band, pinch), `viewport.rs`.
//! - `language.rs`: the words of the page's language, and the switch to the other.
//! - `links.rs`: the facilitator's links panel, and this board's place in "My boards".
//! - `workshop.rs`: the workshop bar (phases, instructions, countdown) and its controls;
//!   `vote.rs`: voting sessions (this browser's seat, its votes, the results); `actions.rs`:
//!   post-its made actions, and the panel that lists them; `groups.rs`: groups' frames;
//!   `drafts.rs`: silent writing (this page's private post-its, the counts, the reveals);
//!   `consent.rs`: consent rounds (the answer, the result).
//! - `follow.rs`: views shared, followed, and the facilitator's "Bring everyone here".
//! - `icons.rs`: the inline SVG icons; `overflow.rs`: a bar's rarer tools behind one button on
//!   a phone; `print.rs`: the board as the browser prints it (post-its by column).
//! - `dom.rs`: the few DOM calls components make.

mod actions;
mod board;
mod columns;
mod consent;
mod document;
mod dom;
mod drafts;
mod follow;
mod gesture;
mod groups;
mod handle;
mod history;
mod home;
mod icons;
mod interaction;
mod language;
mod links;
mod note;
mod overflow;
mod people;
mod print;
mod selection;
mod undo;
mod viewport;
mod vote;
mod workshop;

use leptos::prelude::*;

use self::language::texts;
use crate::{access::Role, i18n::Lang, ids::BoardId, site::Site};

pub use handle::BoardHandle;
pub use viewport::Viewport;

/// Which page to render, and what it needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    Home {
        /// The templates saved on this server, `(id, name)`, offered beside Ardoise's own.
        saved_templates: Vec<(String, String)>,
    },
    /// A board with its saved document (Automerge bytes), so that post-its are readable before the
    /// WebAssembly arrives and the app need not wait for a sync round trip.
    Board {
        id: BoardId,
        doc: Vec<u8>,
        /// What the page's link gives (the server decides; the page only mirrors it).
        role: Role,
    },
    NotFound,
}

/// What the server knows when rendering a page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageContext {
    pub lang: Lang,
    pub page: Page,
    /// The browser tab's title.
    pub title: String,
}

impl PageContext {
    /// A page for a board, titled after it, for someone with `role` on it.
    pub fn board(lang: Lang, id: BoardId, doc: Vec<u8>, board_title: &str, role: Role) -> Self {
        let title = if board_title.is_empty() {
            "Ardoise".to_owned()
        } else {
            format!("{board_title} · Ardoise")
        };
        PageContext {
            lang,
            page: Page::Board { id, doc, role },
            title,
        }
    }

    /// A page without a board.
    pub fn simple(lang: Lang, page: Page) -> Self {
        PageContext {
            lang,
            page,
            title: "Ardoise".to_owned(),
        }
    }

    fn not_found() -> Self {
        Self::simple(Lang::default(), Page::NotFound)
    }

    /// In the browser: the same context, read back from what the server wrote in the page.
    #[cfg(feature = "hydrate")]
    fn from_document() -> PageContext {
        use base64::Engine;
        let document = leptos::prelude::document();
        let lang = document
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|code| Lang::from_code(&code))
            .unwrap_or_default();
        let page = match document.get_element_by_id(board::BOARD_ELEMENT_ID) {
            Some(element) => {
                let id = element
                    .get_attribute("data-board-id")
                    .and_then(|id| BoardId::parse(&id).ok());
                let doc = element
                    .get_attribute("data-doc")
                    .and_then(|doc| base64::engine::general_purpose::STANDARD.decode(doc).ok());
                let role = element
                    .get_attribute("data-role")
                    .and_then(|role| Role::parse(&role));
                match (id, doc, role) {
                    (Some(id), Some(doc), Some(role)) => Page::Board { id, doc, role },
                    _ => Page::NotFound,
                }
            }
            None => match document.get_element_by_id(home::HOME_ELEMENT_ID) {
                Some(home) => Page::Home {
                    saved_templates: home::read_templates(
                        &home.get_attribute("data-templates").unwrap_or_default(),
                    ),
                },
                None => Page::NotFound,
            },
        };
        PageContext {
            lang,
            page,
            title: document.title(),
        }
    }
}

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let context = use_context::<PageContext>().unwrap_or_else(PageContext::not_found);
    let title = context.title.clone();
    let site = Site::current();
    view! {
        <!DOCTYPE html>
        <html lang=context.lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name=crate::site::BASE_META content=site.base().to_owned() />
                <meta name=crate::site::VERSION_META content=site.version().to_owned() />
                <title>{title}</title>
                <link rel="stylesheet" href=site.asset("ardoise.css") />
                <link rel="icon" href=site.asset("favicon.svg") type="image/svg+xml" />
                <HydrationScripts options root=site.base().to_owned() />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The whole app: one page, chosen by the server.
#[component]
pub fn App() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    let context = use_context::<PageContext>().unwrap_or_else(PageContext::from_document);
    #[cfg(not(feature = "hydrate"))]
    let context = use_context::<PageContext>().unwrap_or_else(PageContext::not_found);
    provide_context(context.lang);
    match context.page {
        Page::Home { saved_templates } => view! { <home::Home saved_templates /> }.into_any(),
        Page::Board { id, doc, role } => view! { <board::BoardPage id doc role /> }.into_any(),
        Page::NotFound => view! { <NotFound /> }.into_any(),
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let t = texts();
    view! {
        <main class="notice">
            <h1>"Ardoise"</h1>
            <p>{t.unavailable}</p>
            <p>
                <a href=Site::current().path("/")>{t.back_home}</a>
            </p>
        </main>
    }
}
