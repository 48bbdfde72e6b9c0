//! Who is on the board: this person's name (remembered in the browser) and colour, the others
//! now here, and their cursors on the canvas.

use leptos::prelude::*;

use super::{board::rename_me, handle::BoardHandle, texts};
use crate::protocol::MAX_NAME_CHARS;

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
                    let name = if p.name.is_empty() { t.guest.to_owned() } else { p.name.clone() };
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
            <ul class="people-list" aria-label=t.people aria-live="polite">
                {others}
            </ul>
        </div>
    }
}

/// The others' pointers on the canvas, with their names.
#[component]
pub fn Cursors() -> impl IntoView {
    let t = texts();
    let handle = expect_context::<BoardHandle>();
    let cursors = move || {
        let zoom = handle.viewport.get().zoom;
        handle.cursors.with(|people| {
            people
                .iter()
                .filter_map(|person| {
                    let p = &person.presence;
                    let (x, y) = p.cursor?;
                    let name = if p.name.is_empty() { t.guest.to_owned() } else { p.name.clone() };
                    Some(view! {
                        <div
                            class="cursor"
                            aria-hidden="true"
                            style:left=format!("{x}px")
                            style:top=format!("{y}px")
                            style:transform=format!("scale({:.4})", 1.0 / zoom)
                            style:color=p.colour.clone()
                        >
                            <span class="cursor-name" style:background-color=p.colour.clone()>{name}</span>
                        </div>
                    })
                })
                .collect_view()
        })
    };
    view! { <div class="cursors">{cursors}</div> }
}
