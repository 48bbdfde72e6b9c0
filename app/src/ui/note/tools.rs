//! A post-it's buttons, shown while it is pointed at or holds the focus: colours, dots, bring to
//! front, duplicate, make it an action, delete; and who added it.

use leptos::prelude::*;

use crate::{
    ids::NoteId,
    model::{Colour, Dot},
    ui::{
        handle::BoardHandle,
        icons::{icon, Icon},
        language::texts,
    },
};

/// A dot's button: adds `by` dots of its colour to a post-it (removes them when negative).
pub fn dot_button(
    handle: BoardHandle,
    id: NoteId,
    dot: Dot,
    by: i64,
    label: String,
    count: Option<String>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class=format!("dot dot-{}", dot.as_str())
            aria-label=label.clone()
            title=label
            on:click=move |_| {
                handle.edit(|board| board.add_dots(&id, dot, by));
            }
        >
            {count}
        </button>
    }
}

#[component]
pub fn NoteTools(
    id: NoteId,
    colour: Signal<Colour>,
    author: Signal<Option<String>>,
) -> impl IntoView {
    let t = texts();
    let handle = expect_context::<BoardHandle>();
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
                    aria-pressed=move || (colour.get() == c).to_string()
                    on:click=move |_| {
                        handle.edit(|board| board.set_note_colour(&id, c));
                    }
                ></button>
            }
        })
        .collect_view();
    let dots = Dot::ALL
        .into_iter()
        .zip(t.dots)
        .map(|(dot, name)| {
            let label = format!("{} {name}", t.add_dot);
            dot_button(handle, id.clone(), dot, 1, label, None)
        })
        .collect_view();
    let front = {
        let id = id.clone();
        move |_| {
            handle.edit(|board| board.bring_to_front(&id));
        }
    };
    let duplicate = {
        let id = id.clone();
        move |_| handle.duplicate_notes(std::slice::from_ref(&id))
    };
    let action = {
        let id = id.clone();
        move |_| {
            let is_action = handle
                .doc
                .view
                .with_untracked(|v| v.note(&id).is_some_and(|n| n.action.is_some()));
            handle.edit(|board| board.set_action(&id, !is_action));
        }
    };
    let is_action = {
        let id = id.clone();
        move || {
            let is = handle
                .doc
                .view
                .with(|v| v.note(&id).is_some_and(|n| n.action.is_some()));
            is.to_string()
        }
    };
    let in_group = {
        let id = id.clone();
        move || {
            handle
                .doc
                .view
                .with(|v| v.note(&id).is_some_and(|n| n.group.is_some()))
        }
    };
    let leave_group = {
        let id = id.clone();
        move |_| {
            handle.edit(|board| board.leave_group(&id));
        }
    };
    let delete = move |_| handle.delete_notes(std::slice::from_ref(&id));
    view! {
        <div class="note-tools">
            <div class="swatches" role="group" aria-label=t.colour>
                {swatches}
            </div>
            <div class="dot-buttons" role="group" aria-label=t.add_dot>
                {dots}
            </div>
            <div class="note-actions">
                <button type="button" aria-label=t.bring_to_front title=t.bring_to_front on:click=front>
                    {icon(Icon::Front)}
                </button>
                <button type="button" aria-label=t.duplicate title=t.duplicate on:click=duplicate>
                    {icon(Icon::Copy)}
                </button>
                <button
                    type="button"
                    class="make-action"
                    aria-label=t.make_action
                    title=t.make_action
                    aria-pressed=is_action
                    on:click=action
                >
                    {icon(Icon::Flag)}
                </button>
                <button
                    type="button"
                    class="leave-group"
                    aria-label=t.leave_group
                    title=t.leave_group
                    hidden=move || !in_group()
                    on:click=leave_group
                >
                    {icon(Icon::LeaveGroup)}
                </button>
                <button type="button" class="note-delete" aria-label=t.delete_note title=t.delete_note on:click=delete>
                    {icon(Icon::Close)}
                </button>
            </div>
            {move || author.get().map(|a| view! { <p class="note-author">{format!("{} {a}", t.added_by)}</p> })}
        </div>
    }
}
