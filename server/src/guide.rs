//! `GET /guide`: the facilitator's guide (`docs/guide.md` and `docs/guide.fr.md`, built into
//! the binary), as a page in the reader's language; `?lang=fr` or `?lang=en` asks for one.
//! It is plain HTML with the app's stylesheet and no script, reached from the board's help and
//! the home page, so that a facilitator finds it on the server that runs the workshop.

use std::sync::OnceLock;

use app::i18n::Lang;
use axum::{
    extract::{Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::{etag, pages, state::AppState};

const GUIDE_FR: &str = include_str!("../../docs/guide.fr.md");
const GUIDE_EN: &str = include_str!("../../docs/guide.md");

#[derive(Debug, serde::Deserialize)]
pub struct GuideQuery {
    lang: Option<String>,
}

/// The guide's title (its first heading) and body, as HTML.
struct Rendered {
    title: String,
    body: String,
}

/// Markdown to HTML, once per language. The guides' links to each other become this page in
/// the other language.
fn rendered(lang: Lang) -> &'static Rendered {
    static FR: OnceLock<Rendered> = OnceLock::new();
    static EN: OnceLock<Rendered> = OnceLock::new();
    let (cell, markdown) = match lang {
        Lang::Fr => (&FR, GUIDE_FR),
        Lang::En => (&EN, GUIDE_EN),
    };
    cell.get_or_init(|| {
        let mut title = String::new();
        let mut in_first_heading = false;
        let events = Parser::new(markdown).map(|event| match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match &*dest_url {
                    "guide.md" => "?lang=en".into(),
                    "guide.fr.md" => "?lang=fr".into(),
                    _ => dest_url,
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        });
        let events: Vec<Event> = events
            .inspect(|event| match event {
                Event::Start(Tag::Heading { .. }) if title.is_empty() => in_first_heading = true,
                Event::End(TagEnd::Heading(_)) => in_first_heading = false,
                Event::Text(text) if in_first_heading => title.push_str(text),
                _ => {}
            })
            .collect();
        let mut body = String::new();
        pulldown_cmark::html::push_html(&mut body, events.into_iter());
        Rendered { title, body }
    })
}

/// What the guide may load: the stylesheet, nothing else.
fn policy(frame_ancestors: &str) -> String {
    format!(
        "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; \
         form-action 'none'; frame-ancestors {frame_ancestors}"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET /guide`.
pub async fn guide(
    State(state): State<AppState>,
    Query(query): Query<GuideQuery>,
    request: HeaderMap,
) -> Response {
    let lang = query
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or_else(|| pages::lang(&request));
    let guide = rendered(lang);
    let site = &state.site;
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · Ardoise</title>\n\
         <link rel=\"stylesheet\" href=\"{css}\">\n<link rel=\"icon\" href=\"{icon}\">\n</head>\n\
         <body>\n<main class=\"guide\">\n<nav class=\"guide-nav\"><a href=\"{home}\">Ardoise</a></nav>\n\
         {body}</main>\n</body>\n</html>\n",
        lang = lang.code(),
        title = escape(&guide.title),
        css = escape(&site.asset("ardoise.css")),
        icon = escape(&site.asset("favicon.svg")),
        home = escape(&site.path("/")),
        body = guide.body,
    );
    let policy = policy(&state.frame_ancestors);
    let mut headers = HeaderMap::new();
    headers.insert(
        header::VARY,
        HeaderValue::from_static("accept-language, cookie"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // The page and its policy are its version (a new guide, base path or framing is another).
    if etag::tag_and_check(
        &request,
        &mut headers,
        &[page.as_bytes(), policy.as_bytes()],
    ) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    (StatusCode::OK, headers, page).into_response()
}
