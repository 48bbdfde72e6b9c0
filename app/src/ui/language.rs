//! The page's language: the words of the language in use, and the button that switches to the
//! other one (remembered by a cookie).

use leptos::prelude::*;

use super::dom;
use crate::i18n::{Lang, Texts};

/// A button that shows the page in the other language, and remembers the choice.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let other = lang.other();
    let t = lang.texts();
    view! {
        <button
            type="button"
            class="language"
            lang=other.code()
            title=t.switch_language
            aria-label=t.switch_language
            on:click=move |_| dom::switch_language(other.code())
        >
            {t.other_language}
        </button>
    }
}

/// The words of the language in use.
pub fn texts() -> &'static Texts {
    use_context::<Lang>().unwrap_or_default().texts()
}
