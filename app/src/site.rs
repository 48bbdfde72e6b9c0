//! Where the app lives on its server: the path every address starts with (`--base-path`, empty at
//! the root) and the version of the browser app's files, which their addresses carry so that
//! browsers may keep them for ever.
//!
//! The server renders both into every page (two `<meta>`); the browser reads them back from
//! there, so that its requests, its websocket and its service worker go where the page came from.

/// `<meta name=…>` of the base path.
pub const BASE_META: &str = "ardoise-base";
/// `<meta name=…>` of the app's version.
pub const VERSION_META: &str = "ardoise-version";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Site {
    base: String,
    version: String,
}

impl Site {
    /// `base` is empty or starts with `/` and does not end with one (`/ardoise`).
    pub fn new(base: &str, version: &str) -> Self {
        Self {
            base: base.to_owned(),
            version: version.to_owned(),
        }
    }

    /// The path prefix: empty, or `/ardoise`.
    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    /// `path` (from the server's root, such as `/api/boards`) under the base.
    pub fn path(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The address of one of the app's files, with its version.
    pub fn asset(&self, file: &str) -> String {
        format!("{}/pkg/{}/{file}", self.base, self.version)
    }

    /// The site of the page being rendered (server) or shown (browser).
    pub fn current() -> Site {
        #[cfg(feature = "hydrate")]
        {
            thread_local! {
                static SITE: Site = Site::from_document();
            }
            SITE.with(Site::clone)
        }
        #[cfg(not(feature = "hydrate"))]
        {
            leptos::prelude::use_context::<Site>().unwrap_or_default()
        }
    }

    #[cfg(feature = "hydrate")]
    fn from_document() -> Site {
        let meta = |name: &str| {
            leptos::prelude::document()
                .query_selector(&format!("meta[name=\"{name}\"]"))
                .ok()
                .flatten()
                .and_then(|m| m.get_attribute("content"))
                .unwrap_or_default()
        };
        Site::new(&meta(BASE_META), &meta(VERSION_META))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_start_with_the_base() {
        let root = Site::new("", "abc");
        assert_eq!(root.path("/api/boards"), "/api/boards");
        assert_eq!(root.asset("ardoise.css"), "/pkg/abc/ardoise.css");
        let under = Site::new("/ardoise", "abc");
        assert_eq!(under.path("/"), "/ardoise/");
        assert_eq!(under.path("/sync"), "/ardoise/sync");
        assert_eq!(under.asset("ardoise.js"), "/ardoise/pkg/abc/ardoise.js");
    }
}
