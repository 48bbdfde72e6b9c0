//! Who is on the board: this person's name (remembered in the browser) and colour, the others
//! now here, and their cursors on the canvas.

use leptos::prelude::*;

use super::{
    document::{BoardDoc, PERSON_COLOURS},
    dom,
    follow::follow_button,
    handle::{now_ms, BoardHandle},
    language::texts,
};
use crate::{
    ephemeral::{Presence, MAX_NAME_CHARS},
    i18n::Texts,
};

/// Where the browser keeps the person's name and colour.
const NAME_KEY: &str = "ardoise.name";
const COLOUR_KEY: &str = "ardoise.colour";

/// A person's name, or "Guest" if they gave none.
pub fn display_name(presence: &Presence, t: &Texts) -> String {
    if presence.name.trim().is_empty() {
        t.guest.to_owned()
    } else {
        presence.name.clone()
    }
}

#[component]
pub fn People() -> impl IntoView {
    let t = texts();
    let handle = expect_context::<BoardHandle>();
    let doc = handle.doc;
    let my_colour = move || doc.me.with(|(_, colour)| colour.clone());
    let my_name = move || doc.me.with(|(name, _)| name.clone());
    let others = move || {
        doc.people.with(|people| {
            people
                .iter()
                .map(|person| {
                    let p = &person.presence;
                    let name = display_name(p, t);
                    let initial = name.chars().next().unwrap_or('?').to_uppercase().to_string();
                    let title = name.clone();
                    view! {
                        <li class="person" title=title>
                            <span class="avatar" style:background-color=p.colour.clone() aria-hidden="true">
                                {initial}
                            </span>
                            <span class="person-name">{name.clone()}</span>
                            {follow_button(handle, person.peer.clone(), &name)}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="people">
            <span class="avatar me" style:background-color=my_colour aria-hidden="true"></span>
            <input
                type="text"
                class="my-name"
                aria-label=t.your_name
                placeholder=t.your_name
                maxlength=MAX_NAME_CHARS
                prop:value=my_name
                on:input=move |ev| rename_me(doc, &event_target_value(&ev))
                autocomplete="name"
            />
            <ul class="people-list" aria-label=t.people>
                {others}
            </ul>
        </div>
    }
}

/// The others' pointers on the canvas, with their names: one element per person, moved as
/// their cursor moves.
#[component]
pub fn Cursors() -> impl IntoView {
    let doc = expect_context::<BoardHandle>().doc;
    let peers = move || {
        doc.cursors.with(|people| {
            people
                .iter()
                .filter(|p| p.presence.cursor.is_some())
                .map(|p| p.peer.clone())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="cursors">
            <For each=peers key=|peer| peer.clone() let:peer>
                <Cursor peer />
            </For>
        </div>
    }
}

#[component]
fn Cursor(peer: crate::ids::PeerId) -> impl IntoView {
    let t = texts();
    let handle = expect_context::<BoardHandle>();
    let (doc, interaction) = (handle.doc, handle.interaction);
    let person = Memo::new(move |_| {
        doc.cursors.with(|people| {
            people.iter().find(|p| p.peer == peer).map(|p| {
                let (x, y) = p.presence.cursor.unwrap_or_default();
                (
                    x,
                    y,
                    display_name(&p.presence, t),
                    p.presence.colour.clone(),
                )
            })
        })
    });
    let colour = move || person.with(|p| p.as_ref().map(|p| p.3.clone()).unwrap_or_default());
    view! {
        <div
            class="cursor"
            aria-hidden="true"
            style:left=move || person.with(|p| format!("{}px", p.as_ref().map_or(0.0, |p| p.0)))
            style:top=move || person.with(|p| format!("{}px", p.as_ref().map_or(0.0, |p| p.1)))
            style:transform=move || format!("scale({:.4})", 1.0 / interaction.viewport.get().zoom)
            style:color=colour
        >
            <span class="cursor-name" style:background-color=colour>
                {move || person.with(|p| p.as_ref().map(|p| p.2.clone()).unwrap_or_default())}
            </span>
        </div>
    }
}

/// Reads the person's name and colour from the browser (picking a colour on a first visit).
pub fn remember_who_i_am(doc: BoardDoc) {
    Effect::new(move |_| {
        let name = dom::stored(NAME_KEY).unwrap_or_default();
        let colour = dom::stored(COLOUR_KEY)
            .filter(|c| PERSON_COLOURS.contains(&c.as_str()))
            .unwrap_or_else(|| {
                let colour = PERSON_COLOURS[(now_ms() as usize) % PERSON_COLOURS.len()].to_owned();
                dom::store(COLOUR_KEY, &colour);
                colour
            });
        doc.set_me(&name, &colour);
    });
}

/// Stores a new name for this person.
pub fn rename_me(doc: BoardDoc, name: &str) {
    dom::store(NAME_KEY, name);
    let colour = doc.me.with_untracked(|(_, colour)| colour.clone());
    doc.set_me(name, &colour);
}
