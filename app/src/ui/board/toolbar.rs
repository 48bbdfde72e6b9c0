//! The board page's two bars: the header (title, people, language, connection, links and
//! deletion) and the tools (add, columns, multi-select, undo and redo, zoom, the selection's
//! actions, help).
//! Plain functions rather than components: each is built once per page, and a component's props
//! builder would only add to the bundle.

use leptos::{html, prelude::*};

use super::actions::{fit, zoom_around_centre};
use crate::{
    client::Connection,
    ids::BoardId,
    ui::{
        dom,
        handle::BoardHandle,
        history::history_panel,
        icons::{icon, Icon},
        language::{texts, LanguageSwitch},
        links::links_panel,
        overflow::overflow,
        people::People,
        viewport::ZOOM_STEP,
        workshop::facilitate_menu,
    },
};

/// The header: the board's title and the connection, then who is here, the language and for the
/// facilitator the menu, the links and deletion (behind the board's menu on a phone); an
/// observer is told it only follows the board.
pub fn header(id: BoardId) -> AnyView {
    let t = texts();
    let handle = expect_context::<BoardHandle>();
    let doc = handle.doc;
    let role = doc.role;
    let title = move || doc.view.with(|v| v.title.clone());
    let status_text = move || match doc.status.get() {
        Connection::Connecting => t.connecting,
        Connection::Connected => t.connected,
        Connection::Reconnecting => t.reconnecting,
        Connection::Offline => t.offline,
        Connection::NotSaving => t.server_not_saving,
        Connection::Unavailable => t.unavailable,
    };
    let status_class = move || match doc.status.get() {
        Connection::Connected => "status status-ok",
        Connection::Unavailable | Connection::NotSaving => "status status-error",
        Connection::Connecting | Connection::Reconnecting | Connection::Offline => {
            "status status-waiting"
        }
    };
    let saved_locally = move || doc.saved_locally.get().to_string();
    let id_for_history = id.clone();
    let facilitator = role.facilitates().then(|| {
        let links = links_panel(id.clone());
        let facilitate = facilitate_menu(id.clone());
        let on_delete = move |_| delete_board(&id, t.confirm_delete_board);
        view! {
            {facilitate}
            {links}
            <button class="delete-board" type="button" on:click=on_delete>
                {t.delete_board}
            </button>
        }
        .into_any()
    });
    let observing =
        (!role.edits()).then(|| view! { <p class="observing" role="note">{t.observing}</p> });
    let on_title = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        handle.edit(|board| board.set_title(&value));
    };
    // On a phone the people, the language and the facilitator's menus go behind one button.
    let history = history_panel(handle, id_for_history);
    let menu = overflow(
        t.board_menu,
        Icon::Menu,
        view! {
            <People />
            <LanguageSwitch />
            {history}
            {facilitator}
        },
    );
    view! {
        <header class="toolbar">
            <a class="brand" href=crate::site::Site::current().path("/")>
                "Ardoise"
            </a>
            <h1 class="board-title">
                <input
                    type="text"
                    aria-label=t.board_title
                    prop:value=title
                    value=untrack(title)
                    on:input=on_title
                    readonly=!role.edits()
                    maxlength=crate::model::MAX_TITLE_CHARS
                    autocomplete="off"
                />
            </h1>
            <span
                class=status_class
                role="status"
                aria-live="polite"
                data-saved-locally=saved_locally
            >
                <span class="status-text">{status_text}</span>
            </span>
            {observing}
            {menu}
        </header>
    }
    .into_any()
}

/// The tools: add a post-it, undo and redo, fit all; (behind "More tools" on a phone) add a
/// column, multi-select, zoom and the help; what to do with several selected post-its, last so
/// that nothing moves under the pointer when it appears (the stylesheet shows it before the help).
pub fn tools(area: NodeRef<html::Main>) -> AnyView {
    let t = texts();
    let handle = expect_context::<BoardHandle>();
    let (selection, history) = (handle.selection, handle.history);
    let viewport = handle.interaction.viewport;
    let add_from_toolbar = move |_| handle.add_note_in_view(dom::size(area));
    let add_column = move |_| {
        handle.edit(|board| board.add_column(""));
    };
    let zoom_by = move |factor: f64| zoom_around_centre(handle, area, factor);
    let fit_all = move |_| fit(handle, area);
    let zoom_text = move || format!("{:.0}{}", viewport.get().zoom * 100.0, t.percent);
    let selected = move || selection.ids.with(Vec::len);
    // An observer's page has no editing tools; the server refuses its changes anyway.
    let edits = handle.doc.role.edits();
    let editing = edits.then(|| {
        view! {
            <button class="add-note" type="button" aria-keyshortcuts="N" on:click=add_from_toolbar>
                {icon(Icon::Plus)}
                <span class="label">{t.add_note}</span>
            </button>
            <span class="tool-group">
                <button
                    type="button"
                    class="undo"
                    aria-keyshortcuts="Control+Z"
                    prop:disabled=move || !history.can_undo.get()
                    on:click=move |_| handle.undo()
                >
                    {icon(Icon::Undo)}
                    <span class="label">{t.undo}</span>
                </button>
                <button
                    type="button"
                    class="redo"
                    aria-keyshortcuts="Control+Shift+Z"
                    prop:disabled=move || !history.can_redo.get()
                    on:click=move |_| handle.redo()
                >
                    {icon(Icon::Redo)}
                    <span class="label">{t.redo}</span>
                </button>
            </span>
        }
        .into_any()
    });
    // Rarer on a phone, where fingers pinch to zoom: behind the "more" button there.
    let rarer_editing = edits.then(|| {
        view! {
            <button class="add-column" type="button" on:click=add_column>
                {icon(Icon::Column)}
                <span class="label">{t.add_column}</span>
            </button>
            <button
                type="button"
                class="select-mode"
                aria-pressed=move || selection.mode.get().to_string()
                on:click=move |_| selection.mode.update(|on| *on = !*on)
            >
                {icon(Icon::Select)}
                <span class="label">{t.select_mode}</span>
            </button>
        }
        .into_any()
    });
    let guide = crate::site::Site::current().path("/guide");
    let rarer = overflow(
        t.more_tools,
        Icon::More,
        view! {
            {rarer_editing}
            <span class="tool-group zoom">
                <button type="button" aria-label=t.zoom_out title=t.zoom_out on:click=move |_| zoom_by(1.0 / ZOOM_STEP)>
                    {icon(Icon::Minus)}
                </button>
                <button
                    type="button"
                    class="zoom-level"
                    title=t.zoom_reset
                    aria-label=t.zoom_reset
                    on:click=move |_| zoom_by(1.0 / viewport.get_untracked().zoom)
                >
                    {zoom_text}
                </button>
                <button type="button" aria-label=t.zoom_in title=t.zoom_in on:click=move |_| zoom_by(ZOOM_STEP)>
                    {icon(Icon::Plus)}
                </button>
            </span>
            <details class="help">
                <summary aria-label=t.help title=t.help>
                    {icon(Icon::Help)}
                </summary>
                <div class="help-panel">
                    <p>{t.add_note_hint} " " {t.keyboard_help} " " {t.share_hint}</p>
                    <p>
                        <a class="guide-link" href=guide target="_blank" rel="noopener">
                            {t.guide}
                            {t.new_tab}
                        </a>
                    </p>
                </div>
            </details>
        },
    );
    view! {
        <nav class="tools" role="toolbar" aria-label=t.tools>
            {editing}
            <button type="button" class="fit-all" on:click=fit_all>
                {icon(Icon::Fit)}
                <span class="label">{t.fit_all}</span>
            </button>
            {rarer}
            <Show when=move || { edits && selected() > 1 }>
                <span class="tool-group selection-tools">
                    <span class="selection-count">{move || format!("{} {}", selected(), t.selected)}</span>
                    <button
                        type="button"
                        class="group-selection"
                        on:click=move |_| {
                            let ids = selection.ids.get_untracked();
                            handle.edit(|board| board.group_notes(&ids));
                        }
                    >
                        {t.group}
                    </button>
                    <button type="button" on:click=move |_| handle.duplicate_notes(&selection.ids.get_untracked())>
                        {t.duplicate}
                    </button>
                    <button type="button" on:click=move |_| handle.delete_notes(&selection.ids.get_untracked())>
                        {t.delete_selection}
                    </button>
                </span>
            </Show>
        </nav>
    }
    .into_any()
}

/// Asks for confirmation, deletes the board for everyone, and goes to the home page.
fn delete_board(id: &BoardId, question: &str) {
    #[cfg(feature = "hydrate")]
    {
        let window = window();
        if !window.confirm_with_message(question).unwrap_or(false) {
            return;
        }
        let path = format!("/api/boards/{id}");
        let id = id.to_string();
        leptos::task::spawn_local(async move {
            if crate::ui::links::browser::call("DELETE", &path, None)
                .await
                .is_some()
            {
                crate::client::boards::update(|boards| crate::client::boards::forget(boards, &id));
                let _ = leptos::prelude::window()
                    .location()
                    .set_href(&crate::site::Site::current().path("/"));
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, question);
}
