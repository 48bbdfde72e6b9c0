//! The board's columns: side by side from the canvas origin, each with an editable heading and
//! buttons to move it left or right and to remove it (its post-its stay where they are).

use leptos::prelude::*;

use super::{
    handle::BoardHandle,
    icons::{icon, Icon},
    language::texts,
};
use crate::{
    ids::ColumnId,
    model::{COLUMN_MIN_HEIGHT, COLUMN_WIDTH},
};

/// Room left under the lowest post-it of a column.
const COLUMN_FOOT: f64 = 120.0;

#[component]
pub fn Columns() -> impl IntoView {
    let handle = expect_context::<BoardHandle>();
    // One height for all: the columns read as one table.
    let height = Memo::new(move |_| {
        handle.doc.view.with(|board| {
            board
                .notes
                .iter()
                .filter(|n| n.column.is_some())
                .map(|n| n.y + n.h + COLUMN_FOOT)
                .fold(COLUMN_MIN_HEIGHT, f64::max)
        })
    });
    let ids = move || {
        handle
            .doc
            .view
            .with(|v| v.columns.iter().map(|c| c.id.clone()).collect::<Vec<_>>())
    };
    view! {
        <For each=ids key=|id| id.clone() let:id>
            <Column id height />
        </For>
    }
}

#[component]
fn Column(id: ColumnId, height: Memo<f64>) -> impl IntoView {
    let t = texts();
    let handle = expect_context::<BoardHandle>();
    let place = Memo::new({
        let id = id.clone();
        move |_| {
            handle.doc.view.with(|v| {
                let index = v.columns.iter().position(|c| c.id == id);
                let heading = index
                    .map(|i| v.columns[i].heading.clone())
                    .unwrap_or_default();
                (index.unwrap_or(0), v.columns.len(), heading)
            })
        }
    });
    let heading = move || place.with(|(_, _, h)| h.clone());
    let on_heading = {
        let id = id.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            handle.edit(|board| board.set_column_heading(&id, &value));
        }
    };
    let shift = {
        let id = id.clone();
        move |by: isize| {
            handle.edit(|board| board.move_column(&id, by));
        }
    };
    let shift_right = shift.clone();
    let remove = {
        let id = id.clone();
        move |_| {
            handle.edit(|board| board.remove_column(&id));
        }
    };
    view! {
        <section
            class="column"
            data-column-id=id.to_string()
            style:left=move || format!("{}px", place.with(|(i, _, _)| *i) as f64 * COLUMN_WIDTH)
            style:width=format!("{COLUMN_WIDTH}px")
            style:height=move || format!("{}px", height.get())
        >
            <div class="column-head">
                <input
                    type="text"
                    class="column-heading"
                    aria-label=t.column_heading
                    placeholder=t.column_placeholder
                    maxlength=crate::model::MAX_HEADING_CHARS
                    readonly=!handle.doc.role.edits()
                    prop:value=heading
                    value=untrack(heading)
                    on:input=on_heading
                    autocomplete="off"
                />
                <button
                    type="button"
                    aria-label=t.column_left
                    title=t.column_left
                    prop:disabled=move || place.with(|(i, _, _)| *i == 0)
                    on:click=move |_| shift(-1)
                >
                    {icon(Icon::Left)}
                </button>
                <button
                    type="button"
                    aria-label=t.column_right
                    title=t.column_right
                    prop:disabled=move || place.with(|(i, n, _)| i + 1 >= *n)
                    on:click=move |_| shift_right(1)
                >
                    {icon(Icon::Right)}
                </button>
                <button type="button" aria-label=t.remove_column title=t.remove_column on:click=remove>
                    {icon(Icon::Close)}
                </button>
            </div>
        </section>
    }
    .into_any()
}
