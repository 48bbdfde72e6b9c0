//! The few reads of the page the components need (sizes, event targets, the browser's storage).
//! On the server they answer neutral values: nothing is interacted with before hydration.

use leptos::{html, prelude::*};

/// What counts as a control: a press there is not on empty space.
const CONTROLS: &str =
    ".note, .draft, .column-head, button, input, textarea, a, summary, .rubber-band";

/// The width and height of the board area.
pub fn size(area: NodeRef<html::Main>) -> (f64, f64) {
    #[cfg(feature = "hydrate")]
    if let Some(area) = area.get_untracked() {
        return (
            f64::from(area.client_width()),
            f64::from(area.client_height()),
        );
    }
    let _ = area;
    (1024.0, 768.0)
}

/// A point of the window as a point of the board area.
pub fn local(area: NodeRef<html::Main>, client: (f64, f64)) -> (f64, f64) {
    #[cfg(feature = "hydrate")]
    if let Some(area) = area.get_untracked() {
        let rect = area.get_bounding_client_rect();
        return (client.0 - rect.left(), client.1 - rect.top());
    }
    let _ = area;
    client
}

/// Whether an event happened on the canvas itself, not on a post-it or a control.
pub fn on_empty_space(ev: &leptos::ev::Event) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| el.closest(CONTROLS).ok().flatten().is_none())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (ev, CONTROLS);
        false
    }
}

/// Whether a key was pressed in a text field (where letters are text, not shortcuts).
pub fn in_text_field(ev: &leptos::ev::Event) -> bool {
    target_matches(ev, "input, textarea, [contenteditable]")
}

/// Whether an event happened on a button (or inside one).
pub fn on_button(ev: &leptos::ev::Event) -> bool {
    target_matches(ev, "button, button *")
}

/// Whether an event happened on one of a post-it's dots.
pub fn on_dot(ev: &leptos::ev::Event) -> bool {
    target_matches(ev, ".dots button")
}

/// Whether a key was pressed on a control that the space bar activates.
#[cfg(feature = "hydrate")]
pub fn on_control(ev: &leptos::ev::Event) -> bool {
    target_matches(ev, "button, summary, a, input, textarea")
}

/// Whether a key was pressed in a field whose own undo the page leaves alone (the name).
#[cfg(feature = "hydrate")]
pub fn in_own_field(ev: &leptos::ev::Event) -> bool {
    target_matches(ev, ".my-name")
}

fn target_matches(ev: &leptos::ev::Event, selector: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| el.matches(selector).unwrap_or(false))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (ev, selector);
        false
    }
}

/// Whether the focus is going somewhere outside the element that listens (or nowhere).
pub fn focus_leaves(ev: &leptos::ev::FocusEvent) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let going = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let here = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        match (here, going) {
            (Some(here), Some(going)) => !here.contains(Some(&going)),
            _ => true,
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        false
    }
}

/// Takes the focus away from whatever field or button holds it (a press on the canvas that
/// prevents the browser's default would otherwise leave it there).
pub fn blur_active() {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(active) = document()
            .active_element()
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = active.blur();
        }
    }
}

/// Keeps the pointer's events coming to the element pressed, wherever the pointer goes.
pub fn capture_pointer(ev: &leptos::ev::PointerEvent) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(target) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let _ = target.set_pointer_capture(ev.pointer_id());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

/// A value kept in the browser's `localStorage`.
pub fn stored(key: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        window().local_storage().ok()??.get_item(key).ok()?
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        None
    }
}

pub fn store(key: &str, value: &str) {
    #[cfg(feature = "hydrate")]
    if let Ok(Some(storage)) = window().local_storage() {
        let _ = storage.set_item(key, value);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (key, value);
}

/// Remembers a language for this site (a cookie the server reads) and shows the page in it.
pub fn switch_language(code: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Ok(document) = document().dyn_into::<web_sys::HtmlDocument>() {
            let cookie = crate::i18n::Lang::from_code(code)
                .unwrap_or_default()
                .cookie();
            let _ = document.set_cookie(&cookie);
        }
        let _ = window().location().reload();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = code;
}
