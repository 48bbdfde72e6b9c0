//! The board's links as the page shows them: the facilitator's panel (each link with a copy
//! button, a new link of any kind, the board open or closed), and this board's line in "My
//! boards". The server decides what each link gives; this only shows and asks.

use leptos::prelude::*;

use super::language::texts;
use crate::{access::Role, ids::BoardId, ui::handle::BoardHandle};

/// The facilitator's panel of the board's links.
pub fn links_panel(id: BoardId) -> impl IntoView {
    let t = texts();
    // Each role's secret, where this browser knows it (read once the page is hydrated).
    let secrets = RwSignal::new([None::<String>, None, None]);
    let open = RwSignal::new(false);
    let copied = RwSignal::new(None::<Role>);
    #[cfg(feature = "hydrate")]
    {
        let id = id.clone();
        Effect::new(move |_| {
            if let Some(known) = crate::client::boards::load()
                .into_iter()
                .find(|b| b.id == id.as_str())
            {
                secrets.set(known.secrets);
            }
            browser::read_access(&id, open);
        });
    }
    let rows = Role::ALL
        .into_iter()
        .enumerate()
        .map(|(i, role)| {
            let id = id.clone();
            let id_for_renew = id.clone();
            let link = move || {
                secrets.with(|s| s[i].clone()).map(|secret| {
                    let path = crate::client::boards::link_path(id.as_str(), Some(&secret));
                    format!("{}{}", origin(), crate::site::Site::current().path(&path))
                })
            };
            let shown = move || match link() {
                Some(url) => {
                    let for_copy = url.clone();
                    view! {
                        <input type="text" readonly value=url.clone() prop:value=url aria-label=t.roles[i] />
                        <button type="button" class="copy-link" on:click=move |_| copy(&for_copy, role, copied)>
                            {move || if copied.get() == Some(role) { t.copied } else { t.copy }}
                        </button>
                    }
                    .into_any()
                }
                None => view! { <span class="hint">{t.link_unknown}</span> }.into_any(),
            };
            view! {
                <dt>{t.roles[i]}</dt>
                <dd class="hint">{t.role_hints[i]}</dd>
                <dd data-link=role.as_str()>
                    {shown}
                    <button type="button" class="new-link" on:click=move |_| renew(&id_for_renew, role, secrets, t.confirm_new_link)>
                        {t.new_link}
                    </button>
                </dd>
            }
        })
        .collect_view();
    let id_for_open = id.clone();
    view! {
        <details class="links">
            <summary>{t.links}</summary>
            <div class="links-panel">
                <dl>{rows}</dl>
                <label>
                    <input
                        type="checkbox"
                        class="open-board"
                        prop:checked=open
                        on:change=move |ev| set_open(&id_for_open, event_target_checked(&ev), open)
                    />
                    " "
                    {t.open_board}
                </label>
            </div>
        </details>
    }
    .into_any()
}

fn origin() -> String {
    #[cfg(feature = "hydrate")]
    {
        window().location().origin().unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    String::new()
}

fn copy(url: &str, role: Role, copied: RwSignal<Option<Role>>) {
    #[cfg(feature = "hydrate")]
    {
        let written = window().navigator().clipboard().write_text(url);
        leptos::task::spawn_local(async move {
            // Refused when the page lacks the focus or the permission: the link stays shown.
            if wasm_bindgen_futures::JsFuture::from(written).await.is_ok() {
                copied.set(Some(role));
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (url, role, copied);
}

fn renew(id: &BoardId, role: Role, secrets: RwSignal<[Option<String>; 3]>, question: &str) {
    #[cfg(feature = "hydrate")]
    browser::renew(id, role, secrets, question);
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, role, secrets, question);
}

fn set_open(id: &BoardId, open: bool, shown: RwSignal<bool>) {
    #[cfg(feature = "hydrate")]
    browser::set_open(id, open, shown);
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, open, shown);
}

/// Keeps this board in "My boards": with the link the page was opened with, the links the home
/// page's form left in the address's fragment (then taken out of the address), and its title
/// as it changes.
pub fn remember_this_board(id: &BoardId, handle: BoardHandle) {
    #[cfg(feature = "hydrate")]
    {
        let id = id.clone();
        let role = handle.doc.role;
        Effect::new(move |_| {
            let title = handle.doc.view.with(|v| v.title.clone());
            let mut seen = crate::client::boards::KnownBoard::new(id.as_str(), &title, role);
            if let Some(secret) = crate::client::link_secret() {
                seen.set_secret(role, &secret);
            }
            let location = window().location();
            let fragment = location.hash().unwrap_or_default();
            for (role, secret) in crate::client::boards::secrets_in_fragment(&fragment) {
                seen.set_secret(role, &secret);
            }
            crate::client::boards::update(|boards| crate::client::boards::remember(boards, seen));
            if !fragment.is_empty() {
                let address = format!(
                    "{}{}",
                    location.pathname().unwrap_or_default(),
                    location.search().unwrap_or_default()
                );
                if let Ok(history) = window().history() {
                    let _ = history.replace_state_with_url(
                        &wasm_bindgen::JsValue::NULL,
                        "",
                        Some(&address),
                    );
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, handle);
}

/// The board's API, with the page's link secret as a bearer token.
#[cfg(feature = "hydrate")]
pub mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    use crate::{access::Role, client::boards, ids::BoardId};

    /// Sends a request to the API; the answer's JSON body, if it succeeded.
    pub async fn call(method: &str, path: &str, body: Option<String>) -> Option<JsValue> {
        call_seated(method, path, body, None).await
    }

    /// [`call`], presenting this browser's seat on the board (the `X-Ardoise-Seat` header).
    pub async fn call_seated(
        method: &str,
        path: &str,
        body: Option<String>,
        seat: Option<&str>,
    ) -> Option<JsValue> {
        let init = web_sys::RequestInit::new();
        init.set_method(method);
        let headers = web_sys::Headers::new().ok()?;
        if let Some(secret) = crate::client::link_secret() {
            headers
                .set("Authorization", &format!("Bearer {secret}"))
                .ok()?;
        }
        if let Some(seat) = seat {
            headers.set("X-Ardoise-Seat", seat).ok()?;
        }
        if let Some(body) = &body {
            headers.set("Content-Type", "application/json").ok()?;
            init.set_body(&JsValue::from_str(body));
        }
        init.set_headers(&headers);
        let url = crate::site::Site::current().path(path);
        let response = JsFuture::from(window().fetch_with_str_and_init(&url, &init))
            .await
            .ok()?
            .dyn_into::<web_sys::Response>()
            .ok()?;
        if !response.ok() {
            return None;
        }
        if response.status() == 204 {
            return Some(JsValue::NULL);
        }
        JsFuture::from(response.json().ok()?).await.ok()
    }

    pub fn field(json: &JsValue, name: &str) -> Option<JsValue> {
        js_sys::Reflect::get(json, &JsValue::from_str(name)).ok()
    }

    pub fn read_access(id: &BoardId, open: RwSignal<bool>) {
        let path = format!("/api/boards/{id}/access");
        leptos::task::spawn_local(async move {
            if let Some(json) = call("GET", &path, None).await {
                open.set(
                    field(&json, "open")
                        .and_then(|v| v.as_bool())
                        .unwrap_or(false),
                );
            }
        });
    }

    pub fn set_open(id: &BoardId, want: bool, open: RwSignal<bool>) {
        let path = format!("/api/boards/{id}/access");
        let body = format!("{{\"open\":{want}}}");
        leptos::task::spawn_local(async move {
            let answer = call("PUT", &path, Some(body)).await;
            let now = answer.and_then(|json| field(&json, "open")?.as_bool());
            // What the server says; unchanged if it said nothing.
            open.set(now.unwrap_or(!want));
        });
    }

    pub fn renew(id: &BoardId, role: Role, secrets: RwSignal<[Option<String>; 3]>, question: &str) {
        if !window().confirm_with_message(question).unwrap_or(false) {
            return;
        }
        let id = id.clone();
        let path = format!("/api/boards/{id}/links/{}", role.as_str());
        leptos::task::spawn_local(async move {
            let Some(json) = call("POST", &path, None).await else {
                return;
            };
            let Some(link) = field(&json, "link").and_then(|v| v.as_string()) else {
                return;
            };
            let Some((_, secret)) = link.split_once("k=") else {
                return;
            };
            let i = Role::ALL.iter().position(|r| *r == role).unwrap_or(0);
            secrets.update(|s| s[i] = Some(secret.to_owned()));
            boards::update(|known| {
                if let Some(board) = known.iter_mut().find(|b| b.id == id.as_str()) {
                    board.set_secret(role, secret);
                }
            });
            if role == Role::Facilitator {
                // This page's own link stopped working: go on with the new one.
                let _ = window().location().replace(&link);
            }
        });
    }
}
