//! Silent writing in the page. While the facilitator has writing set to private, a new post-it
//! on this page is a private one: shown here only, kept in this browser (`localStorage`) and on
//! the server for this browser's seat (`/api/boards/<id>/drafts`), never in the board document.
//! The others see how many each person has. Once revealed, the server writes them into the
//! board and they show there as any post-it.

use leptos::{html, prelude::*};

use super::{
    handle::BoardHandle,
    icons::{icon, Icon},
    language::texts,
};
use crate::{
    client::drafts::DraftBook,
    ids::{BoardId, NoteId},
    model::{Colour, NOTE_SIZE},
};

/// The page's private post-its on this board.
#[derive(Clone, Copy)]
pub struct Drafts {
    /// Read by the browser's requests only.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    board: StoredValue<BoardId>,
    pub book: RwSignal<DraftBook>,
    /// The private post-it that just got added, whose text takes the focus.
    focus: RwSignal<Option<String>>,
    /// The server refused to keep one (too many, or revealed meanwhile).
    pub refused: RwSignal<bool>,
    /// Requests on their way: one sending round at a time; `again` asks for one more after it.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    sending: StoredValue<(bool, bool)>,
}

impl Drafts {
    pub fn new(board: BoardId) -> Self {
        Drafts {
            board: StoredValue::new(board),
            book: RwSignal::new(DraftBook::default()),
            focus: RwSignal::new(None),
            refused: RwSignal::new(false),
            sending: StoredValue::new((false, false)),
        }
    }
}

impl BoardHandle {
    /// Whether a new post-it on this page is a private one now.
    pub fn writes_privately(&self) -> bool {
        self.doc.role.edits()
            && self
                .doc
                .view
                .with_untracked(|v| v.facilitation.writing.private)
    }

    /// Adds a private post-it at a place on the canvas and gives its text the focus.
    pub fn add_draft(&self, x: f64, y: f64) {
        let id = NoteId::random().to_string();
        let drafts = self.drafts;
        drafts
            .book
            .update(|book| book.add(id.clone(), x, y, Colour::default().as_str()));
        drafts.focus.set(Some(id));
        self.send_drafts();
    }

    /// Tells the server what it does not have yet of this page's private post-its.
    pub fn send_drafts(&self) {
        #[cfg(feature = "hydrate")]
        browser::send(*self);
    }
}

/// Keeps this page's private post-its: read back from the browser, completed by the server's
/// once the seat is known, saved in the browser at each change, sent when the connection comes
/// back, and dropped once the board holds them (revealed).
pub fn keep_drafts(handle: BoardHandle) {
    #[cfg(feature = "hydrate")]
    browser::keep(handle);
    #[cfg(not(feature = "hydrate"))]
    let _ = handle;
}

/// This page's private post-its, on the canvas where they were added.
pub fn drafts_layer() -> impl IntoView {
    let handle = expect_context::<BoardHandle>();
    let ids = move || {
        handle.drafts.book.with(|book| {
            book.shown()
                .map(|d| (d.id.clone(), d.x, d.y))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <For each=ids key=|d| d.0.clone() let:draft>
            {draft_note(handle, draft.0, draft.1, draft.2)}
        </For>
    }
}

fn draft_note(handle: BoardHandle, id: String, x: f64, y: f64) -> impl IntoView {
    let t = texts();
    let drafts = handle.drafts;
    let textarea = NodeRef::<html::Textarea>::new();
    let text = Memo::new({
        let id = id.clone();
        move |_| {
            drafts.book.with(|book| {
                book.shown()
                    .find(|d| d.id == id)
                    .map(|d| d.text.clone())
                    .unwrap_or_default()
            })
        }
    });
    Effect::new({
        let id = id.clone();
        move |_| {
            if drafts.focus.get().as_ref() == Some(&id) {
                if let Some(textarea) = textarea.get() {
                    let _ = textarea.focus();
                    drafts.focus.set(None);
                }
            }
        }
    });
    let on_input = {
        let id = id.clone();
        move |ev| {
            let value = event_target_value(&ev);
            drafts.book.update(|book| book.set_text(&id, &value));
            handle.send_drafts();
        }
    };
    let on_delete = {
        let id = id.clone();
        move |_| {
            drafts.book.update(|book| book.delete(&id));
            handle.send_drafts();
        }
    };
    let style =
        format!("left: {x:.0}px; top: {y:.0}px; width: {NOTE_SIZE:.0}px; height: {NOTE_SIZE:.0}px");
    view! {
        <div class="draft" style=style data-draft=id.clone()>
            <span class="draft-badge">{t.only_you_see_it}</span>
            <textarea
                node_ref=textarea
                aria-label=t.private_note
                prop:value=text
                on:input=on_input
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        super::dom::blur_active();
                    }
                }
            ></textarea>
            <button type="button" class="delete-draft" aria-label=t.delete_private_note on:click=on_delete>
                {icon(Icon::Close)}
            </button>
        </div>
    }
}

/// The workshop bar's part in silent writing: that writing is private, how many private
/// post-its each person has, and the reveals (everyone's, the facilitator; one's own).
pub fn writing_panel(handle: BoardHandle) -> impl IntoView {
    let t = texts();
    let doc = handle.doc;
    let drafts = handle.drafts;
    let writing = Memo::new(move |_| doc.view.with(|v| v.facilitation.writing.clone()));
    let counts = move || {
        writing.with(|w| {
            w.hidden
                .iter()
                .map(|hidden| {
                    let word = if hidden.count == 1 {
                        t.private_note_word
                    } else {
                        t.private_notes_word
                    };
                    let name = hidden.name.clone().unwrap_or_else(|| t.someone.to_owned());
                    view! { <li>{name}{t.colon}{hidden.count} " " {word}</li> }
                })
                .collect_view()
        })
    };
    let reveal = move |all: bool| {
        #[cfg(feature = "hydrate")]
        browser::reveal(handle, all);
        #[cfg(not(feature = "hydrate"))]
        let _ = all;
    };
    let reveal_all = doc.role.facilitates().then(|| {
        view! {
            <button
                type="button"
                class="reveal-all"
                hidden=move || writing.with(|w| !w.private && w.hidden.is_empty())
                on:click=move |_| reveal(true)
            >
                {t.reveal_all}
            </button>
        }
    });
    let has_mine = move || drafts.book.with(|b| !b.is_empty());
    view! {
        <div class="writing" hidden=move || writing.with(|w| !w.private && w.hidden.is_empty())>
            <span class="label">{t.silent_writing}</span>
            <span class="writing-private" hidden=move || writing.with(|w| !w.private)>
                {t.writing_is_private}
            </span>
            <ul class="hidden-counts" aria-live="polite">{counts}</ul>
            <button type="button" class="reveal-mine" hidden=move || !has_mine() on:click=move |_| reveal(false)>
                {t.reveal_mine}
            </button>
            {reveal_all}
            <span class="draft-refused" role="status">
                {move || drafts.refused.get().then_some(t.draft_refused)}
            </span>
        </div>
    }
}

/// The facilitator's menu's part in silent writing: private writing on or off.
pub fn writing_setup(handle: BoardHandle) -> impl IntoView {
    let t = texts();
    let doc = handle.doc;
    let private = Memo::new(move |_| doc.view.with(|v| v.facilitation.writing.private));
    view! {
        <p>
            <label>
                <input
                    type="checkbox"
                    class="private-writing"
                    prop:checked=private
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        let _ = doc.edit(|board| board.set_private_writing(on));
                    }
                />
                {t.private_writing}
            </label>
        </p>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;

    use crate::{
        client::{
            drafts::{Draft, DraftBook, Unsent},
            Connection,
        },
        ui::{
            handle::BoardHandle,
            links::browser::{call_seated, field},
        },
    };

    /// `{text, x, y, colour, author}`, as `PUT /api/boards/<id>/drafts/<note>` takes it.
    fn put_body(draft: &Draft, author: &str) -> Option<String> {
        use wasm_bindgen::JsValue;
        let body = js_sys::Object::new();
        for (key, value) in [
            ("text", JsValue::from_str(&draft.text)),
            ("x", JsValue::from_f64(draft.x)),
            ("y", JsValue::from_f64(draft.y)),
            ("colour", JsValue::from_str(&draft.colour)),
            ("author", JsValue::from_str(author)),
        ] {
            js_sys::Reflect::set(&body, &JsValue::from_str(key), &value).ok()?;
        }
        js_sys::JSON::stringify(&body).ok()?.as_string()
    }

    fn key(handle: &BoardHandle) -> String {
        format!("ardoise_drafts_{}", handle.drafts.board.get_value())
    }

    pub fn keep(handle: BoardHandle) {
        if !handle.doc.role.edits() {
            return;
        }
        let drafts = handle.drafts;
        let key = key(&handle);
        // After the page is hydrated: the server rendered it without them.
        Effect::new({
            let key = key.clone();
            move |_| {
                if let Some(json) = crate::ui::dom::stored(&key) {
                    drafts.book.set(DraftBook::from_stored(&json));
                }
            }
        });
        Effect::new(move |_| {
            let json = drafts.book.with(DraftBook::to_stored);
            crate::ui::dom::store(&key, &json);
        });
        // Once the seat is known: what the server holds for it, then what it lacks.
        let seat = handle.voting.seat;
        Effect::new(move |_| {
            if seat.with(Option::is_some) {
                fetch(handle);
            }
        });
        Effect::new(move |_| {
            if handle.doc.status.get() == Connection::Connected {
                handle.send_drafts();
            }
        });
        Effect::new(move |_| {
            let on_board = handle.doc.view.with(|view| {
                drafts.book.with_untracked(|book| {
                    book.shown()
                        .filter(|d| view.notes.iter().any(|n| n.id.as_str() == d.id))
                        .map(|d| d.id.clone())
                        .collect::<Vec<_>>()
                })
            });
            if !on_board.is_empty() {
                drafts.book.update(|book| {
                    book.drop_revealed(|id| on_board.iter().any(|o| o == id));
                });
            }
        });
    }

    fn fetch(handle: BoardHandle) {
        let Some(seat) = handle.voting.seat.get_untracked() else {
            return;
        };
        let path = format!("/api/boards/{}/drafts", handle.drafts.board.get_value());
        leptos::task::spawn_local(async move {
            let Some(json) = call_seated("GET", &path, None, Some(&seat)).await else {
                return;
            };
            let list = field(&json, "drafts").map(|list| js_sys::Array::from(&list));
            let server: Vec<Draft> = list
                .iter()
                .flat_map(|list| list.iter())
                .filter_map(|item| {
                    let text = |name| field(&item, name).and_then(|v| v.as_string());
                    let number = |name| field(&item, name).and_then(|v| v.as_f64());
                    Some(Draft {
                        id: text("id")?,
                        text: text("text")?,
                        x: number("x")?,
                        y: number("y")?,
                        colour: text("colour")?,
                        sent: true,
                        deleted: false,
                    })
                })
                .collect();
            handle.drafts.book.update(|book| book.merge_server(server));
            handle.send_drafts();
        });
    }

    /// Sends what the server lacks, one round at a time (a call during a round asks for one
    /// more after it).
    pub fn send(handle: BoardHandle) {
        let drafts = handle.drafts;
        if drafts.sending.with_value(|(busy, _)| *busy) {
            drafts.sending.update_value(|s| s.1 = true);
            return;
        }
        drafts.sending.set_value((true, false));
        leptos::task::spawn_local(async move {
            flush(handle).await;
            let again = drafts.sending.with_value(|(_, again)| *again);
            drafts.sending.set_value((false, false));
            if again {
                send(handle);
            }
        });
    }

    /// Tells the server each change it lacks, in order; stops at the first that fails (offline,
    /// or refused: kept here, sent again with the next change or when the connection comes
    /// back). Returns whether the server has them all.
    async fn flush(handle: BoardHandle) -> bool {
        let drafts = handle.drafts;
        let Some(seat) = handle.voting.seat.get_untracked() else {
            return false;
        };
        let board = drafts.board.get_value();
        let author = handle.doc.author_name().unwrap_or_default();
        for unsent in drafts.book.with_untracked(DraftBook::unsent) {
            let (method, id, body) = match &unsent {
                Unsent::Put(draft) => ("PUT", draft.id.clone(), put_body(draft, &author)),
                Unsent::Delete(id) => ("DELETE", id.clone(), None),
            };
            let path = format!("/api/boards/{board}/drafts/{id}");
            if call_seated(method, &path, body, Some(&seat))
                .await
                .is_none()
            {
                let connected = handle.doc.status.get_untracked() == Connection::Connected;
                drafts.refused.set(connected);
                return false;
            }
            drafts.refused.set(false);
            drafts.book.update(|book| book.confirmed(&unsent));
        }
        true
    }

    /// Reveals everyone's private post-its (`all`, the facilitator) or this page's, once the
    /// server has this page's as they are here.
    pub fn reveal(handle: BoardHandle, all: bool) {
        let seat = handle.voting.seat.get_untracked();
        let path = format!(
            "/api/boards/{}/drafts/reveal",
            handle.drafts.board.get_value()
        );
        let body = format!("{{\"all\":{all}}}");
        leptos::task::spawn_local(async move {
            if flush(handle).await || all {
                let _ = call_seated("POST", &path, Some(body), seat.as_deref()).await;
            }
        });
    }
}
