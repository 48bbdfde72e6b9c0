//! Groups on the canvas: a frame around each group's post-its, with its title (editable by
//! whoever edits) and a button that undoes the group. A post-it dropped onto another joins it
//! (see [`BoardHandle::end_drag`]); a group moves as one when one of its post-its is dragged.

use leptos::prelude::*;

use super::{
    handle::BoardHandle,
    icons::{icon, Icon},
    language::texts,
};
use crate::{ids::GroupId, model::MAX_HEADING_CHARS};

/// Room around a group's post-its, and above them for its title.
const GROUP_PADDING: f64 = 12.0;
const GROUP_TITLE_HEIGHT: f64 = 34.0;

/// Every group's frame, behind the post-its.
pub fn groups_layer() -> impl IntoView {
    let handle = expect_context::<BoardHandle>();
    let ids = move || {
        handle
            .doc
            .view
            .with(|v| v.groups.iter().map(|g| g.id.clone()).collect::<Vec<_>>())
    };
    view! {
        <For each=ids key=|id| id.clone() let:id>
            {group_frame(handle, id)}
        </For>
    }
}

fn group_frame(handle: BoardHandle, id: GroupId) -> impl IntoView {
    let t = texts();
    let doc = handle.doc;
    let frame = Memo::new({
        let id = id.clone();
        move |_| {
            doc.view.with(|board| {
                let group = board.group(&id)?;
                let bounds = group
                    .notes
                    .iter()
                    .filter_map(|n| board.note(n))
                    .map(|n| {
                        let (x, y) = board.position(n);
                        (x, y, x + n.w, y + n.h)
                    })
                    .reduce(|a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)))?;
                Some((group.title.clone(), bounds))
            })
        }
    });
    let style = move || {
        frame.with(|f| {
            f.as_ref().map(|(_, (left, top, right, bottom))| {
                format!(
                    "left: {:.0}px; top: {:.0}px; width: {:.0}px; height: {:.0}px",
                    left - GROUP_PADDING,
                    top - GROUP_PADDING - GROUP_TITLE_HEIGHT,
                    right - left + 2.0 * GROUP_PADDING,
                    bottom - top + 2.0 * GROUP_PADDING + GROUP_TITLE_HEIGHT
                )
            })
        })
    };
    let title = move || frame.with(|f| f.as_ref().map(|(t, _)| t.clone()).unwrap_or_default());
    let edits = doc.role.edits();
    let on_title = {
        let id = id.clone();
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            handle.edit(|board| board.set_group_title(&id, &value));
        }
    };
    let ungroup = {
        let id = id.clone();
        edits.then(|| {
            let on_click = move |_| {
                handle.edit(|board| board.ungroup(&id));
            };
            view! {
                <button type="button" class="ungroup" aria-label=t.ungroup title=t.ungroup on:click=on_click>
                    {icon(Icon::LeaveGroup)}
                </button>
            }
        })
    };
    view! {
        <div class="group" style=style data-group-id=id.to_string()>
            <input
                class="group-title"
                type="text"
                aria-label=t.group_title
                placeholder=t.group_title
                maxlength=MAX_HEADING_CHARS
                prop:value=title
                value=untrack(title)
                readonly=!edits
                on:input=on_title
            />
            {ungroup}
        </div>
    }
    .into_any()
}
