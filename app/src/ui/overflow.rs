//! A bar's rarer tools behind one button on a phone. On a wide screen the button is not shown
//! and the tools sit in the bar as if the menu were not there (`display: contents`); on a
//! narrow one (see `.overflow` in the stylesheet) they open under the button, and close again
//! with it, with Escape, or when the focus goes elsewhere.

use leptos::prelude::*;

use super::{
    dom,
    icons::{icon, Icon},
};

/// `items` behind a button named `label` drawn as `drawing`.
pub fn overflow(label: &'static str, drawing: Icon, items: impl IntoView + 'static) -> AnyView {
    let open = RwSignal::new(false);
    let toggle = NodeRef::<leptos::html::Button>::new();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
            if let Some(button) = toggle.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    let on_focus_out = move |ev: leptos::ev::FocusEvent| {
        if dom::focus_leaves(&ev) {
            open.set(false);
        }
    };
    view! {
        <div class="overflow" on:keydown=on_key on:focusout=on_focus_out>
            <button
                type="button"
                class="overflow-toggle"
                node_ref=toggle
                aria-label=label
                title=label
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {icon(drawing)}
            </button>
            <div class="overflow-items" class:open=open>
                {items}
            </div>
        </div>
    }
    .into_any()
}
