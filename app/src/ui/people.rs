//! Who is on the board: this person's name (remembered in the browser) and colour, the others
//! now here, and their cursors on the canvas.

use leptos::prelude::*;

use super::{board::rename_me, handle::BoardHandle, texts};
use crate::{
    i18n::Texts,
    protocol::{Presence, MAX_NAME_CHARS},
};

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
    let my_colour = move || handle.me.with(|(_, colour)| colour.clone());
    let my_name = move || handle.me.with(|(name, _)| name.clone());
    let others = move || {
        handle.people.with(|people| {
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
                            <span class="person-name">{name}</span>
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
                on:input=move |ev| rename_me(handle, &event_target_value(&ev))
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
    let handle = expect_context::<BoardHandle>();
    let peers = move || {
        handle
            .cursors
            .with(|people| people.iter().map(|p| p.peer.clone()).collect::<Vec<_>>())
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
    let person = Memo::new(move |_| {
        handle.cursors.with(|people| {
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
            style:transform=move || format!("scale({:.4})", 1.0 / handle.viewport.get().zoom)
            style:color=colour
        >
            <span class="cursor-name" style:background-color=colour>
                {move || person.with(|p| p.as_ref().map(|p| p.2.clone()).unwrap_or_default())}
            </span>
        </div>
    }
}
