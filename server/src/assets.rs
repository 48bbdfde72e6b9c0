//! The browser app's files (WebAssembly, JavaScript, CSS, icon, service worker), served from
//! memory: embedded in the binary when it is built (`build.rs`), or read from `--site-root` at
//! start, a development override.
//!
//! Each file is kept as it is and compressed ahead of time (gzip and brotli, by
//! `scripts/build.sh`); a request gets the smallest its `Accept-Encoding` takes. Pages address
//! the files under `/pkg/<version>/`, the version being a digest of their contents: browsers may
//! keep them for ever (`immutable`), and another build has other addresses. `/pkg/<file>` and
//! `/sw.js` keep plain addresses, sent with `no-cache` and an `ETag`.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use axum::{
    body::{Body, Bytes},
    http::{
        header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, VARY},
        HeaderMap, HeaderValue, StatusCode,
    },
    response::{IntoResponse, Response},
};

use crate::etag::{self, Digest};

/// One file as `build.rs` embeds it.
pub struct EmbeddedFile {
    name: &'static str,
    identity: &'static [u8],
    gzip: Option<&'static [u8]>,
    brotli: Option<&'static [u8]>,
}

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The files every page needs (those `build.rs` embeds).
pub const FILES: [&str; 5] = include!("asset_files.in");

/// How long a browser may keep a file under its versioned address: a year, the longest
/// `max-age` caches honour.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

#[derive(Debug, thiserror::Error)]
pub enum AssetsError {
    #[error(
        "this ardoise was built without its browser app (build it with scripts/build.sh), \
         or give one with --site-root"
    )]
    NotEmbedded,
    #[error("{}: {source} (--site-root must hold pkg/ as scripts/build.sh writes it)", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The browser app's files, shared by every request.
#[derive(Clone)]
pub struct Assets(Arc<Inner>);

struct Inner {
    version: String,
    files: Vec<File>,
}

struct File {
    name: String,
    content_type: &'static str,
    identity: Bytes,
    gzip: Option<Bytes>,
    brotli: Option<Bytes>,
}

/// A content coding a file is sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    fn token(self) -> Option<&'static str> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some("gzip"),
            Encoding::Brotli => Some("br"),
        }
    }
}

/// How a response may be kept by the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caching {
    /// Under `/pkg/<version>/`: for ever.
    Immutable,
    /// Under a plain address: asked again each time, answered `304` when unchanged.
    Revalidate,
}

impl Assets {
    /// The files in `site_root/pkg` if given (the development override), else those embedded.
    pub fn load(site_root: Option<&Path>) -> Result<Self, AssetsError> {
        match site_root {
            Some(root) => Self::from_site_root(root),
            None => Self::embedded().ok_or(AssetsError::NotEmbedded),
        }
    }

    /// The files embedded at build time, if the build had them.
    pub fn embedded() -> Option<Self> {
        let files = EMBEDDED?
            .iter()
            .map(|f| File {
                name: f.name.to_owned(),
                content_type: content_type(f.name),
                identity: Bytes::from_static(f.identity),
                gzip: f.gzip.map(Bytes::from_static),
                brotli: f.brotli.map(Bytes::from_static),
            })
            .collect();
        Some(Self::new(files))
    }

    /// The files in `site_root/pkg`, each with its `.gz` and `.br` where they exist.
    pub fn from_site_root(site_root: &Path) -> Result<Self, AssetsError> {
        let pkg = site_root.join("pkg");
        let read = |path: PathBuf| match std::fs::read(&path) {
            Ok(bytes) => Ok(Bytes::from(bytes)),
            Err(source) => Err(AssetsError::Unreadable { path, source }),
        };
        let files = FILES
            .iter()
            .map(|name| {
                Ok(File {
                    name: (*name).to_owned(),
                    content_type: content_type(name),
                    identity: read(pkg.join(name))?,
                    gzip: read(pkg.join(format!("{name}.gz"))).ok(),
                    brotli: read(pkg.join(format!("{name}.br"))).ok(),
                })
            })
            .collect::<Result<_, AssetsError>>()?;
        Ok(Self::new(files))
    }

    fn new(files: Vec<File>) -> Self {
        let version = version(files.iter().map(|f| (f.name.as_str(), &f.identity[..])));
        Self(Arc::new(Inner { version, files }))
    }

    /// A digest of every file's contents: what `/pkg/<version>/` addresses carry.
    pub fn version(&self) -> &str {
        &self.0.version
    }

    fn file(&self, name: &str) -> Option<&File> {
        self.0.files.iter().find(|f| f.name == name)
    }

    /// `GET /pkg/<version>/<name>`: another build's version is not found, so that a page never
    /// gets a file of another build under an address it keeps for ever.
    pub fn versioned(&self, version: &str, name: &str, request: &HeaderMap) -> Response {
        match self.file(name) {
            Some(file) if version == self.version() => self.send(file, request, Caching::Immutable),
            _ => not_found(),
        }
    }

    /// `GET /pkg/<name>` and `GET /sw.js`.
    pub fn plain(&self, name: &str, request: &HeaderMap) -> Response {
        match self.file(name) {
            Some(file) => self.send(file, request, Caching::Revalidate),
            None => not_found(),
        }
    }

    fn send(&self, file: &File, request: &HeaderMap, caching: Caching) -> Response {
        let (encoding, body) = match (&file.brotli, &file.gzip) {
            (Some(br), _) if accepts(request, "br") => (Encoding::Brotli, br),
            (_, Some(gz)) if accepts(request, "gzip") => (Encoding::Gzip, gz),
            _ => (Encoding::Identity, &file.identity),
        };
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(file.content_type));
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(token) = encoding.token() {
            headers.insert(CONTENT_ENCODING, HeaderValue::from_static(token));
        }
        let status = match caching {
            Caching::Immutable => {
                headers.insert(CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
                StatusCode::OK
            }
            Caching::Revalidate => {
                let tag = format!(
                    "\"{}-{}\"",
                    self.version(),
                    encoding.token().unwrap_or("id")
                );
                let unchanged = etag::unchanged(request, &tag);
                headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                if let Ok(tag) = HeaderValue::from_str(&tag) {
                    headers.insert(ETAG, tag);
                }
                if unchanged {
                    return (StatusCode::NOT_MODIFIED, headers).into_response();
                }
                StatusCode::OK
            }
        };
        (status, headers, Body::from(body.clone())).into_response()
    }
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "no such file\n").into_response()
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// Whether `Accept-Encoding` takes `coding` (by name or `*`, with a weight above 0).
fn accepts(request: &HeaderMap, coding: &str) -> bool {
    request
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
            });
            (name.eq_ignore_ascii_case(coding) || name == "*") && !refused
        })
}

/// 64-bit FNV-1a over each file's name, length and bytes, in hexadecimal: the same files give
/// the same version on every machine and every run.
fn version<'a>(files: impl Iterator<Item = (&'a str, &'a [u8])>) -> String {
    let mut digest = Digest::new();
    for (name, bytes) in files {
        digest
            .feed(name.as_bytes())
            .feed(&(bytes.len() as u64).to_le_bytes())
            .feed(bytes);
    }
    digest.hex()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asking(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts(&asking("gzip, deflate, br, zstd"), "br"));
        assert!(accepts(&asking("gzip;q=1.0, br;q=0.5"), "br"));
        assert!(accepts(&asking("*"), "br"));
        assert!(!accepts(&asking("gzip, br;q=0"), "br"));
        assert!(!accepts(&asking("gzip"), "br"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
        assert!(accepts(&asking("GZIP"), "gzip"));
    }

    #[test]
    fn the_version_changes_with_any_byte_of_any_file() {
        let base = version([("a.js", &b"one"[..]), ("b.css", b"two")].into_iter());
        assert_eq!(base.len(), 16);
        assert_eq!(
            base,
            version([("a.js", &b"one"[..]), ("b.css", b"two")].into_iter())
        );
        assert_ne!(
            base,
            version([("a.js", &b"one"[..]), ("b.css", b"twp")].into_iter())
        );
        // Bytes moved from one file to the next are another build.
        assert_ne!(
            base,
            version([("a.js", &b"on"[..]), ("b.css", b"etwo")].into_iter())
        );
    }

    fn site(dir: &Path, with_brotli: bool) {
        let pkg = dir.join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        for name in FILES {
            std::fs::write(pkg.join(name), format!("{name} as is")).unwrap();
            std::fs::write(pkg.join(format!("{name}.gz")), format!("{name} in gzip")).unwrap();
            if with_brotli {
                std::fs::write(pkg.join(format!("{name}.br")), format!("{name} in br")).unwrap();
            }
        }
    }

    async fn body(response: Response) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn each_browser_gets_the_smallest_coding_it_takes() {
        let dir = std::env::temp_dir().join(format!("ardoise-assets-{}", std::process::id()));
        site(&dir, true);
        let assets = Assets::from_site_root(&dir).unwrap();
        let version = assets.version().to_owned();
        let response = assets.versioned(&version, "ardoise.js", &asking("gzip, br"));
        assert_eq!(response.headers()[CONTENT_ENCODING], "br");
        assert_eq!(response.headers()[CACHE_CONTROL], IMMUTABLE);
        assert_eq!(response.headers()[VARY], "accept-encoding");
        assert_eq!(
            response.headers()[CONTENT_TYPE],
            "text/javascript; charset=utf-8"
        );
        assert_eq!(body(response).await, "ardoise.js in br");
        let response = assets.versioned(&version, "ardoise_bg.wasm", &asking("gzip"));
        assert_eq!(response.headers()[CONTENT_ENCODING], "gzip");
        assert_eq!(response.headers()[CONTENT_TYPE], "application/wasm");
        assert_eq!(body(response).await, "ardoise_bg.wasm in gzip");
        let response = assets.versioned(&version, "ardoise.css", &HeaderMap::new());
        assert!(response.headers().get(CONTENT_ENCODING).is_none());
        assert_eq!(body(response).await, "ardoise.css as is");

        // Another build's version, or a file that is not the app's.
        let other = assets.versioned("0123456789abcdef", "ardoise.js", &HeaderMap::new());
        assert_eq!(other.status(), StatusCode::NOT_FOUND);
        let outside = assets.versioned(&version, "../Cargo.toml", &HeaderMap::new());
        assert_eq!(outside.status(), StatusCode::NOT_FOUND);

        // A plain address is checked again each time: 304 while it is the same.
        let response = assets.plain("sw.js", &asking("br"));
        assert_eq!(response.headers()[CACHE_CONTROL], "no-cache");
        let tag = response.headers()[ETAG].clone();
        let mut again = asking("br");
        again.insert(axum::http::header::IF_NONE_MATCH, tag);
        let response = assets.plain("sw.js", &again);
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(body(response).await, "");
        std::fs::remove_dir_all(&dir).unwrap();

        // Without a brotli copy, gzip; a missing compressed copy is never an error.
        site(&dir, false);
        let assets = Assets::from_site_root(&dir).unwrap();
        let response = assets.plain("ardoise.js", &asking("br, gzip"));
        assert_eq!(response.headers()[CONTENT_ENCODING], "gzip");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_site_root_without_the_app_is_a_clear_error() {
        let dir = std::env::temp_dir().join(format!("ardoise-no-app-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let error = Assets::from_site_root(&dir).err().expect("no pkg/");
        assert!(error.to_string().contains("pkg"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
