//! The page's language: the words of the language in use, and the button that switches to the
//! other one (remembered by a cookie). The button is a form's: before the WebAssembly has
//! arrived (or without JavaScript) it posts the language to the page's own address, and the
//! server sets the cookie and sends the page back; once hydrated, the page sets the cookie and
//! reloads itself (keeping what the address bar holds now).

use leptos::prelude::*;

use super::dom;
use crate::i18n::{Lang, Texts};

/// A button that shows the page in the other language, and remembers the choice.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_context::<Lang>().unwrap_or_default();
    let other = lang.other();
    let t = lang.texts();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        dom::switch_language(other.code());
    };
    view! {
        <form method="post" class="language-form" on:submit=on_submit>
            <input type="hidden" name=crate::i18n::LANG_FIELD value=other.code() />
            <button
                type="submit"
                class="language"
                lang=other.code()
                title=t.switch_language
                aria-label=t.switch_language
            >
                {t.other_language}
            </button>
        </form>
    }
}

/// The words of the language in use.
pub fn texts() -> &'static Texts {
    use_context::<Lang>().unwrap_or_default().texts()
}
