//! A bar's rarer tools behind one button on a phone. On a wide screen the button is not shown
//! and the tools sit in the bar as if the menu were not there (`display: contents`); on a
//! narrow one (see `.overflow` in the stylesheet) they open under the button, and close again
//! with it, with Escape, when the focus goes elsewhere, or on a press outside them.

use leptos::prelude::*;

use super::{
    dom,
    icons::{icon, Icon},
};

/// `items` behind a button named `label` drawn as `drawing`.
pub fn overflow(label: &'static str, drawing: Icon, items: impl IntoView + 'static) -> AnyView {
    let open = RwSignal::new(false);
    let toggle = NodeRef::<leptos::html::Button>::new();
    let menu = NodeRef::<leptos::html::Div>::new();
    close_on_a_press_outside(open, menu);
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            // Only the menu closes (the page's Escape would also clear the selection).
            ev.stop_propagation();
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
        <div class="overflow" node_ref=menu on:keydown=on_key on:focusout=on_focus_out>
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
            // Focusable by a press (not by Tab), so that a press on its text keeps the focus in
            // the menu and does not close it.
            <div class="overflow-items" class:open=open tabindex="-1">
                {items}
            </div>
        </div>
    }
    .into_any()
}

/// A press anywhere outside the open menu closes it (where a press moves no focus, as on a
/// phone's buttons in some browsers).
fn close_on_a_press_outside(open: RwSignal<bool>, menu: NodeRef<leptos::html::Div>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let listener = window_event_listener(leptos::ev::pointerdown, move |ev| {
            if !open.get_untracked() {
                return;
            }
            let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            let inside = menu
                .get_untracked()
                .is_some_and(|menu| menu.contains(target.as_ref()));
            if !inside {
                open.set(false);
            }
        });
        on_cleanup(move || listener.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (open, menu);
}
