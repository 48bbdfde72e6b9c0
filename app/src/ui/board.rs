//! The board page: a toolbar and a canvas of post-its, every edit applied locally at once and
//! synced in the background.

use leptos::{html, prelude::*};

use super::texts;
use crate::{
    ids::{BoardId, NoteId},
    model::{Board, BoardView, Colour, ModelError, NewNote, NOTE_SIZE},
};

/// Marks the board in the HTML; it carries the board id and document for the browser app.
pub const BOARD_ELEMENT_ID: &str = "board";
/// Where the toolbar button places new post-its: a grid of this many columns from the top left.
const NEW_NOTE_GRID_COLUMNS: usize = 6;
/// How long a post-it's buttons stay after a finger left it, for the tap's click to land.
const TOUCH_TOOLS_GRACE: std::time::Duration = std::time::Duration::from_millis(500);
/// Gap between post-its placed by the toolbar button.
const NEW_NOTE_SPACING: f64 = NOTE_SIZE + 24.0;

/// The state of the link with the server, as shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Connected,
    Reconnecting,
    /// The browser has no network: edits are kept in the browser and sent when it comes back.
    Offline,
    /// Connected, but the server cannot store changes right now (it retries): edits are kept in
    /// the browser, and the server relays nothing it has not stored.
    NotSaving,
    /// The board does not exist (any more).
    Unavailable,
}

/// What components use to read the board and edit it.
#[derive(Clone, Copy)]
pub struct BoardHandle {
    pub view: RwSignal<BoardView>,
    pub status: RwSignal<Connection>,
    /// The browser's own copy (IndexedDB) holds every edit made on this page.
    pub saved_locally: RwSignal<bool>,
    /// A post-it whose text field should take the focus (a newly added one).
    pub focus: RwSignal<Option<NoteId>>,
    #[cfg(feature = "hydrate")]
    session: StoredValue<crate::browser::BrowserSession, LocalStorage>,
}

impl BoardHandle {
    fn start(id: BoardId, board: Board) -> Self {
        let view = RwSignal::new(board.view());
        let status = RwSignal::new(Connection::Connecting);
        let saved_locally = RwSignal::new(false);
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, board);
        Self {
            view,
            status,
            saved_locally,
            focus: RwSignal::new(None),
            #[cfg(feature = "hydrate")]
            session: StoredValue::new_local(crate::browser::BrowserSession::start(
                id,
                board,
                crate::browser::Signals {
                    view,
                    status,
                    saved_locally,
                },
            )),
        }
    }

    /// Applies an edit to the local document at once and sends it to the server. Only the browser
    /// edits: a server-rendered page is never interacted with before it is hydrated.
    pub fn edit<R>(&self, edit: impl FnOnce(&mut Board) -> Result<R, ModelError>) -> Option<R> {
        #[cfg(feature = "hydrate")]
        {
            self.session.with_value(|session| session.edit(edit)).ok()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = edit;
            None
        }
    }

    /// Adds a post-it at a place on the canvas and gives it the focus.
    pub fn add_note(&self, x: f64, y: f64) {
        let note = NewNote {
            text: String::new(),
            x,
            y,
            colour: Colour::default(),
            author: None,
            created_at: now_ms(),
        };
        if let Some(id) = self.edit(|board| board.add_note(note)) {
            self.focus.set(Some(id));
        }
    }
}

fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0
    }
}

#[component]
pub fn BoardPage(id: BoardId, doc: Vec<u8>) -> impl IntoView {
    use base64::Engine;
    let t = texts();
    let encoded_doc = base64::engine::general_purpose::STANDARD.encode(&doc);
    let board = Board::load(&doc).unwrap_or_else(|_| Board::empty());
    let handle = BoardHandle::start(id.clone(), board);
    provide_context(handle);

    let title = move || handle.view.with(|v| v.title.clone());
    let status_text = move || match handle.status.get() {
        Connection::Connecting => t.connecting,
        Connection::Connected => t.connected,
        Connection::Reconnecting => t.reconnecting,
        Connection::Offline => t.offline,
        Connection::NotSaving => t.server_not_saving,
        Connection::Unavailable => t.unavailable,
    };
    let status_class = move || match handle.status.get() {
        Connection::Connected => "status status-ok",
        Connection::Unavailable | Connection::NotSaving => "status status-error",
        Connection::Connecting | Connection::Reconnecting | Connection::Offline => {
            "status status-waiting"
        }
    };
    let saved_locally = move || handle.saved_locally.get().to_string();
    let board_id = id.clone();
    let on_delete = move |_| delete_board(&board_id, t.confirm_delete_board);
    let add_from_toolbar = move |_| {
        let count = handle.view.with(|v| v.notes.len());
        let column = (count % NEW_NOTE_GRID_COLUMNS) as f64;
        let row = ((count / NEW_NOTE_GRID_COLUMNS) % 4) as f64;
        handle.add_note(
            32.0 + column * NEW_NOTE_SPACING,
            32.0 + row * NEW_NOTE_SPACING,
        );
    };
    let add_on_empty_space = move |ev: leptos::ev::MouseEvent| {
        if ev.target() != ev.current_target() {
            return;
        }
        let x = f64::from(ev.offset_x()) - NOTE_SIZE / 2.0;
        let y = f64::from(ev.offset_y()) - NOTE_SIZE / 4.0;
        handle.add_note(x.max(0.0), y.max(0.0));
    };
    let note_ids = move || {
        handle
            .view
            .with(|v| v.notes.iter().map(|n| n.id.clone()).collect::<Vec<_>>())
    };

    view! {
        <header class="toolbar">
            <a class="brand" href="/">
                "Ardoise"
            </a>
            <h1 class="board-title">{title}</h1>
            <button class="add-note" type="button" on:click=add_from_toolbar>
                {t.add_note}
            </button>
            <span
                class=status_class
                role="status"
                aria-live="polite"
                data-saved-locally=saved_locally
            >
                {status_text}
            </span>
            <button class="delete-board" type="button" on:click=on_delete>
                {t.delete_board}
            </button>
        </header>
        <p class="hint">{t.add_note_hint} " " {t.share_hint}</p>
        <main
            id=BOARD_ELEMENT_ID
            class="board"
            data-board-id=id.to_string()
            data-doc=encoded_doc
            aria-label=t.board_region
        >
            <div class="canvas" on:dblclick=add_on_empty_space>
                <For each=note_ids key=|id| id.clone() let:id>
                    <Note id />
                </For>
            </div>
        </main>
    }
}

/// Asks for confirmation, deletes the board for everyone, and goes to the home page.
fn delete_board(id: &BoardId, question: &str) {
    #[cfg(feature = "hydrate")]
    {
        let window = window();
        if !window.confirm_with_message(question).unwrap_or(false) {
            return;
        }
        let init = web_sys::RequestInit::new();
        init.set_method("DELETE");
        let request = window.fetch_with_str_and_init(&format!("/api/boards/{id}"), &init);
        leptos::task::spawn_local(async move {
            let deleted = wasm_bindgen_futures::JsFuture::from(request).await;
            if deleted.is_ok() {
                let _ = leptos::prelude::window().location().set_href("/");
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, question);
}

/// The initial content of a `<textarea>`. Leptos writes a textarea's children unescaped on the
/// server (as it does for `<script>`), so the server escapes the text itself: a post-it reading
/// `</textarea><script>` must stay text. In the browser the text goes into the DOM as it is.
fn textarea_content(text: String) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        text
    }
}

/// Where a post-it being dragged started, and where it is now.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Drag {
    pointer: i32,
    from_client: (f64, f64),
    from_position: (f64, f64),
    position: (f64, f64),
}

#[component]
fn Note(id: NoteId) -> impl IntoView {
    let t = texts();
    let handle = expect_context::<BoardHandle>();
    let note = Memo::new({
        let id = id.clone();
        move |_| handle.view.with(|v| v.note(&id).cloned())
    });
    let text = move || note.with(|n| n.as_ref().map(|n| n.text.clone()).unwrap_or_default());
    let colour = move || note.with(|n| n.as_ref().map(|n| n.colour).unwrap_or_default());
    let drag = RwSignal::new(None::<Drag>);
    let position = move || {
        drag.get()
            .map(|d| d.position)
            .unwrap_or_else(|| note.with(|n| n.as_ref().map(|n| (n.x, n.y)).unwrap_or_default()))
    };

    let textarea = NodeRef::<html::Textarea>::new();
    Effect::new({
        let id = id.clone();
        move |_| {
            if handle.focus.get().as_ref() == Some(&id) {
                if let Some(textarea) = textarea.get() {
                    let _ = textarea.focus();
                    handle.focus.set(None);
                }
            }
        }
    });

    let on_input = {
        let id = id.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            handle.edit(|board| board.set_note_text(&id, &value));
        }
    };
    let start_drag = move |ev: leptos::ev::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(target) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                let _ = target.set_pointer_capture(ev.pointer_id());
            }
        }
        let from_position = position();
        drag.set(Some(Drag {
            pointer: ev.pointer_id(),
            from_client: (f64::from(ev.client_x()), f64::from(ev.client_y())),
            from_position,
            position: from_position,
        }));
    };
    let continue_drag = move |ev: leptos::ev::PointerEvent| {
        drag.update(|d| {
            if let Some(d) = d.as_mut().filter(|d| d.pointer == ev.pointer_id()) {
                let dx = f64::from(ev.client_x()) - d.from_client.0;
                let dy = f64::from(ev.client_y()) - d.from_client.1;
                d.position = (
                    (d.from_position.0 + dx).max(0.0),
                    (d.from_position.1 + dy).max(0.0),
                );
            }
        });
    };
    let end_drag = {
        let id = id.clone();
        move |_: leptos::ev::PointerEvent| {
            if let Some(d) = drag.get_untracked() {
                if d.position != d.from_position {
                    let (x, y) = d.position;
                    handle.edit(|board| board.move_note(&id, x, y));
                }
                drag.set(None);
            }
        }
    };
    let cancel_drag = move |_: leptos::ev::PointerEvent| drag.set(None);
    // The colour and delete buttons exist only while the post-it is pointed at or holds the
    // focus: on a board of 1,000 post-its they would be 8,000 more elements to render, send,
    // parse and hydrate (the page was 1.2 MB with them).
    let pointed = RwSignal::new(false);
    let focused = RwSignal::new(false);
    let article = NodeRef::<html::Article>::new();
    let focus_left = move |ev: leptos::ev::FocusEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            // Moving between the post-it's own fields keeps the tools.
            let stays_inside = ev
                .related_target()
                .and_then(|to| to.dyn_into::<web_sys::Node>().ok())
                .zip(article.get_untracked())
                .is_some_and(|(to, article)| article.contains(Some(&to)));
            if stays_inside {
                return;
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
        focused.set(false);
    };
    let tools = {
        let id = id.clone();
        move || {
            let delete = {
                let id = id.clone();
                move |_| {
                    handle.edit(|board| board.delete_note(&id));
                }
            };
            let swatches = Colour::ALL
                .into_iter()
                .zip(t.colours)
                .map(|(c, name)| {
                    let id = id.clone();
                    view! {
                        <button
                            type="button"
                            class=format!("swatch swatch-{}", c.as_str())
                            aria-label=name
                            title=name
                            aria-pressed=move || (colour() == c).to_string()
                            on:click=move |_| {
                                handle.edit(|board| board.set_note_colour(&id, c));
                            }
                        ></button>
                    }
                })
                .collect_view();
            view! {
                <div class="note-tools">
                    <div class="swatches" role="group" aria-label=t.colour>
                        {swatches}
                    </div>
                    <button type="button" class="note-delete" aria-label=t.delete_note title=t.delete_note on:click=delete>
                        "×"
                    </button>
                </div>
            }
        }
    };

    view! {
        <article
            class=move || {
                let dragging = if drag.with(|d| d.is_some()) { " dragging" } else { "" };
                format!("note note-{}{dragging}", colour().as_str())
            }
            data-note-id=id.to_string()
            style:left=move || format!("{}px", position().0)
            style:top=move || format!("{}px", position().1)
            node_ref=article
            on:pointerenter=move |_| pointed.set(true)
            on:pointerleave=move |ev: leptos::ev::PointerEvent| {
                if ev.pointer_type() == "touch" {
                    // A finger leaves before its tap's click: keep the buttons for that click.
                    set_timeout(move || pointed.set(false), TOUCH_TOOLS_GRACE);
                } else {
                    pointed.set(false);
                }
            }
            on:focusin=move |_| focused.set(true)
            on:focusout=focus_left
        >
            <div
                class="note-grip"
                title=t.move_note
                on:pointerdown=start_drag
                on:pointermove=continue_drag
                on:pointerup=end_drag
                on:pointercancel=cancel_drag
            ></div>
            <textarea
                node_ref=textarea
                class="note-text"
                aria-label=t.note_text
                prop:value=text
                on:input=on_input
            >
                {untrack(move || textarea_content(text()))}
            </textarea>
            {move || (pointed.get() || focused.get()).then(tools.clone())}
        </article>
    }
    // One type for every post-it, so that the board's view type stays small enough to compile.
    .into_any()
}
