//! One post-it: its text, its dots, the grip to drag it, the corner to resize it, and its tools
//! (colours, dots, bring to front, duplicate, delete) while it is pointed at or focused.
//!
//! Its grip, text and corner are plain functions rather than components: a component's props
//! builder would only add to the bundle.
//!
//! Layout: this file holds the post-it itself (where it is, what it says, who is working on
//! it); `grip.rs` the drag, `resize.rs` the corner, `tools.rs` the buttons, `keys.rs` the
//! keyboard (Tab reaches the post-it; arrows move it, Shift further, Alt + arrows resize it,
//! Enter goes into its text, Escape comes back out, Delete deletes it, Ctrl+D duplicates it).

mod grip;
mod keys;
mod resize;
mod tools;

use leptos::{html, prelude::*};

use self::{grip::note_grip, resize::note_resize, resize::Resize, tools::NoteTools};
use super::{
    actions::action_mark, document::BoardDoc, dom, handle::BoardHandle, interaction::Interaction,
    language::texts, people::display_name, vote::note_votes,
};
use crate::{
    i18n::Texts,
    ids::NoteId,
    model::{Colour, NoteView},
};

/// How long a post-it's buttons stay after a finger left it, for the tap's click to land.
const TOUCH_TOOLS_GRACE: std::time::Duration = std::time::Duration::from_millis(500);
/// Longest part of a post-it's text in its accessible name.
const LABEL_CHARS: usize = 60;

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

#[component]
pub fn Note(id: NoteId) -> impl IntoView {
    let t = texts();
    let handle = expect_context::<BoardHandle>();
    let (doc, interaction) = (handle.doc, handle.interaction);
    let note = read_note(doc, id.clone());
    let text = move || note.with(|n| n.as_ref().map(|(n, _)| n.text.clone()).unwrap_or_default());
    let colour = move || note.with(|n| n.as_ref().map(|(n, _)| n.colour).unwrap_or_default());
    let dots = move || note.with(|n| n.as_ref().map(|(n, _)| n.dots).unwrap_or_default());
    let dragged_from = dragged_from(interaction, id.clone());
    let position = move || match dragged_from.get() {
        Some((x, y)) => {
            let (dx, dy) = interaction.drag_delta.get();
            (x + dx, y + dy)
        }
        None => note.with(|n| n.as_ref().map(|(_, p)| *p).unwrap_or_default()),
    };
    let stored_size =
        move || note.with(|n| n.as_ref().map(|(n, _)| (n.w, n.h)).unwrap_or_default());
    let resize = RwSignal::new(None::<Resize>);
    let size = move || resize.get().map(|r| r.size).unwrap_or_else(stored_size);
    let selected = Memo::new({
        let id = id.clone();
        move |_| handle.selection.ids.with(|s| s.contains(&id))
    });
    let activity = activity(doc, id.clone());
    let author = move || note.with(|n| n.as_ref().and_then(|(n, _)| n.author.clone()));
    let label = move || accessible_name(&text(), author().as_deref(), t);

    let article = NodeRef::<html::Article>::new();
    let textarea = NodeRef::<html::Textarea>::new();
    take_the_focus_when_asked(handle, id.clone(), textarea);
    let on_key = {
        let id = id.clone();
        move |ev: leptos::ev::KeyboardEvent| keys::on_key(handle, &id, article, textarea, &ev)
    };
    // A press anywhere on it with Shift (or in multi-select mode) selects it.
    let pressed = {
        let id = id.clone();
        move |ev: leptos::ev::PointerEvent| {
            if ev.button() == 0 && handle.adds_to_selection(&ev) {
                ev.prevent_default();
                handle.selection.toggle(&id);
            }
        }
    };

    let shows = ToolsShown {
        pointed: RwSignal::new(false),
        focused: RwSignal::new(false),
    };
    let focus_came = {
        let id = id.clone();
        move |ev: leptos::ev::FocusEvent| shows.focus_came(doc, &id, &ev)
    };
    let focus_left = move |ev: leptos::ev::FocusEvent| shows.focus_left(doc, article, &ev);
    let tools = {
        let id = id.clone();
        move || view! { <NoteTools id=id.clone() colour=Signal::derive(colour) author=Signal::derive(author) /> }
    };

    view! {
        <article
            class=move || {
                note_class(
                    colour(),
                    dragged_from.with(Option::is_some),
                    selected.get(),
                    activity.with(Option::is_some),
                )
            }
            data-note-id=id.to_string()
            tabindex="0"
            aria-label=label
            aria-roledescription=t.note
            title=move || author().map(|a| format!("{} {a}", t.added_by))
            style:left=move || format!("{}px", position().0)
            style:top=move || format!("{}px", position().1)
            style:width=move || format!("{}px", size().0)
            style:height=move || format!("{}px", size().1)
            style:z-index=move || note.with(|n| n.as_ref().map(|(n, _)| n.z).unwrap_or(0)).to_string()
            style:outline-color=move || activity.with(|a| a.as_ref().map(|(_, colour)| colour.clone()))
            node_ref=article
            on:keydown=on_key
            on:pointerdown=pressed
            on:pointerenter=move |_| shows.pointed.set(true)
            on:pointerleave=move |ev: leptos::ev::PointerEvent| shows.pointer_left(&ev)
            on:focusin=focus_came
            on:focusout=focus_left
        >
            {note_grip(id.clone(), dots)}
            {note_text(id.clone(), text, textarea)}
            {move || activity.get().map(|(what, colour)| view! {
                <span class="note-activity" style:background-color=colour>{what}</span>
            })}
            {action_mark(move || note.with(|n| n.as_ref().and_then(|(n, _)| n.action.clone())))}
            {note_votes(id.clone())}
            {note_resize(id.clone(), size, resize)}
            {move || shows.get().then(tools.clone())}
        </article>
    }
    // One type for every post-it, so that the board's view type stays small enough to compile.
    .into_any()
}

/// The post-it's text, as one field.
fn note_text(
    id: NoteId,
    text: impl Fn() -> String + Copy + Send + Sync + 'static,
    textarea: NodeRef<html::Textarea>,
) -> impl IntoView {
    let t = texts();
    let handle = expect_context::<BoardHandle>();
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        handle.edit(|board| board.set_note_text(&id, &value));
    };
    view! {
        <textarea
            node_ref=textarea
            class="note-text"
            tabindex="-1"
            aria-label=t.note_text
            readonly=!handle.doc.role.edits()
            prop:value=text
            on:input=on_input
        >
            {untrack(move || textarea_content(text()))}
        </textarea>
    }
}

/// A post-it's classes: its colour, and whether it is dragged, selected, or worked on by
/// someone else.
fn note_class(colour: Colour, dragged: bool, selected: bool, active: bool) -> String {
    let mut class = format!("note note-{}", colour.as_str());
    for (on, name) in [
        (dragged, " dragging"),
        (selected, " selected"),
        (active, " remote-active"),
    ] {
        if on {
            class.push_str(name);
        }
    }
    class
}

/// The post-it as the document says, with its place on the canvas.
fn read_note(doc: BoardDoc, id: NoteId) -> Memo<Option<(NoteView, (f64, f64))>> {
    Memo::new(move |_| {
        doc.view.with(|v| {
            v.note(&id).map(|n| {
                let place = v.position(n);
                (n.clone(), place)
            })
        })
    })
}

/// Where this post-it started, while it is dragged (changes when a drag starts or ends only):
/// the post-its not dragged never read the pointer's moves.
fn dragged_from(interaction: Interaction, id: NoteId) -> Memo<Option<(f64, f64)>> {
    Memo::new(move |_| {
        interaction
            .drag
            .with(|d| d.as_ref().and_then(|d| d.origins.get(&id).copied()))
    })
}

/// Someone else typing in or dragging this post-it: what to say, in their colour.
fn activity(doc: BoardDoc, id: NoteId) -> Memo<Option<(String, String)>> {
    let t = texts();
    Memo::new(move |_| {
        doc.people.with(|people| {
            people.iter().find_map(|person| {
                let p = &person.presence;
                let verb = if p.dragging.as_ref() == Some(&id) {
                    t.is_moving
                } else if p.editing.as_ref() == Some(&id) {
                    t.is_typing
                } else {
                    return None;
                };
                Some((format!("{} {verb}", display_name(p, t)), p.colour.clone()))
            })
        })
    })
}

/// What a screen reader says of a post-it: the start of its text, and who added it.
fn accessible_name(text: &str, author: Option<&str>, t: &Texts) -> String {
    let text: String = text.chars().take(LABEL_CHARS).collect();
    let text = if text.trim().is_empty() {
        t.empty_note.to_owned()
    } else {
        text
    };
    match author {
        Some(author) => format!("{}{}{text} ({} {author})", t.note, t.colon, t.added_by),
        None => format!("{}{}{text}", t.note, t.colon),
    }
}

/// A newly added post-it's text takes the focus.
fn take_the_focus_when_asked(handle: BoardHandle, id: NoteId, textarea: NodeRef<html::Textarea>) {
    let focus = handle.selection.focus;
    Effect::new(move |_| {
        if focus.get().as_ref() == Some(&id) {
            if let Some(textarea) = textarea.get() {
                let _ = textarea.focus();
                focus.set(None);
            }
        }
    });
}

/// Whether a post-it's tools are shown. They exist only while the post-it is pointed at or
/// holds the focus: on a board of 1,000 post-its they would be 15,000 more elements to render,
/// send, parse and hydrate.
#[derive(Clone, Copy)]
struct ToolsShown {
    pointed: RwSignal<bool>,
    focused: RwSignal<bool>,
}

impl ToolsShown {
    fn get(&self) -> bool {
        self.pointed.get() || self.focused.get()
    }

    fn pointer_left(&self, ev: &leptos::ev::PointerEvent) {
        let pointed = self.pointed;
        if ev.pointer_type() == "touch" {
            // A finger leaves before its tap's click: keep the buttons for that click.
            set_timeout(move || pointed.set(false), TOUCH_TOOLS_GRACE);
        } else {
            pointed.set(false);
        }
    }

    fn focus_came(&self, doc: BoardDoc, id: &NoteId, ev: &leptos::ev::FocusEvent) {
        // The post-it itself (or one of its dots) holding the focus shows no buttons, so that
        // Tab goes on to the next post-it; its text (Enter) and, from there, Tab show them.
        self.focused
            .set(ev.target() != ev.current_target() && !dom::on_dot(ev));
        if dom::in_text_field(ev) {
            let id = id.clone();
            doc.set_presence(move |p| p.editing = Some(id));
        }
    }

    fn focus_left(
        &self,
        doc: BoardDoc,
        article: NodeRef<html::Article>,
        ev: &leptos::ev::FocusEvent,
    ) {
        if dom::in_text_field(ev) {
            doc.set_presence(|p| p.editing = None);
        }
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
        let _ = article;
        self.focused.set(false);
    }
}
