//! Actions in the page: the mark on a post-it that is one (who, by when, done), and the
//! "Actions" panel that lists them all, where anyone who edits fills them in and ticks them done.

use leptos::prelude::*;

use super::{
    handle::BoardHandle,
    icons::{icon, Icon},
    language::texts,
};
use crate::{
    ids::NoteId,
    model::{ActionView, MAX_OWNER_CHARS},
};

/// Longest part of a post-it's text in the panel.
const PANEL_TEXT_CHARS: usize = 120;

/// The mark on a post-it that is an action.
pub fn action_mark(
    action: impl Fn() -> Option<ActionView> + Send + Sync + 'static,
) -> impl IntoView {
    let t = texts();
    move || {
        let action = action()?;
        let who = if action.owner.is_empty() {
            t.nobody_yet.to_owned()
        } else {
            action.owner.clone()
        };
        let due = (!action.due.is_empty()).then(|| format!(" · {}", action.due));
        Some(view! {
            <p class="note-action" class:done=action.done>
                {icon(if action.done { Icon::Check } else { Icon::Flag })}
                {t.action}
                {t.colon}
                " "
                {who}
                {due}
            </p>
        })
    }
}

/// The "Actions" panel: every action of the board, in the order of the post-its.
pub fn actions_panel(handle: BoardHandle) -> impl IntoView {
    let t = texts();
    let doc = handle.doc;
    let edits = doc.role.edits();
    let actions = Memo::new(move |_| {
        doc.view.with(|v| {
            v.notes
                .iter()
                .filter_map(|n| {
                    let action = n.action.clone()?;
                    let text: String = n.text.chars().take(PANEL_TEXT_CHARS).collect();
                    Some((n.id.clone(), text, action))
                })
                .collect::<Vec<_>>()
        })
    });
    let count = move || actions.with(Vec::len);
    let rows = move || {
        actions
            .get()
            .into_iter()
            .map(|(id, text, action)| action_row(handle, id, text, action, edits))
            .collect_view()
    };
    view! {
        <details class="actions-panel" hidden=move || count() == 0>
            <summary>{t.actions} " (" {count} ")"</summary>
            <table>
                <thead>
                    <tr>
                        <th scope="col">{t.done}</th>
                        <th scope="col">{t.note}</th>
                        <th scope="col">{t.owner}</th>
                        <th scope="col">{t.due}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </details>
    }
}

fn action_row(
    handle: BoardHandle,
    id: NoteId,
    text: String,
    action: ActionView,
    edits: bool,
) -> impl IntoView {
    let t = texts();
    let (done_id, owner_id, due_id) = (id.clone(), id.clone(), id);
    let on_done = move |ev: leptos::ev::Event| {
        let done = event_target_checked(&ev);
        handle.edit(|board| board.set_action_done(&done_id, done));
    };
    let on_owner = move |ev: leptos::ev::Event| {
        let owner = event_target_value(&ev);
        handle.edit(|board| board.set_action_owner(&owner_id, &owner));
    };
    let on_due = move |ev: leptos::ev::Event| {
        let due = event_target_value(&ev);
        handle.edit(|board| board.set_action_due(&due_id, &due));
    };
    let label = text.clone();
    view! {
        <tr class:done=action.done>
            <td>
                <input
                    type="checkbox"
                    class="action-done"
                    aria-label=format!("{} : {label}", t.done)
                    checked=action.done
                    disabled=!edits
                    on:change=on_done
                />
            </td>
            <td class="action-text">{text}</td>
            <td>
                <input
                    type="text"
                    class="action-owner"
                    aria-label=t.owner
                    placeholder=t.nobody_yet
                    maxlength=MAX_OWNER_CHARS
                    value=action.owner
                    readonly=!edits
                    on:change=on_owner
                />
            </td>
            <td>
                <input
                    type="date"
                    class="action-due"
                    aria-label=t.due
                    value=action.due
                    readonly=!edits
                    on:change=on_due
                />
            </td>
        </tr>
    }
}
