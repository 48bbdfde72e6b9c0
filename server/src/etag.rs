//! Entity tags: a response's version, so that a browser asking again with `If-None-Match` gets
//! `304 Not Modified` and keeps its copy when nothing changed.

use axum::http::{
    header::{ETAG, IF_NONE_MATCH},
    HeaderMap, HeaderValue,
};

/// Whether `If-None-Match` names `tag` (or `*`). Compared weakly, as RFC 9110 §13.1.2 asks:
/// `W/"x"` and `"x"` are the same version.
pub fn unchanged(request: &HeaderMap, tag: &str) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let wanted = opaque(tag);
    request
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || opaque(t) == wanted)
}

/// A weak tag (`W/"<digest>"`) over `parts`, written into `headers`; whether the request's
/// `If-None-Match` already names it (the caller then answers `304` without a body).
pub fn tag_and_check(request: &HeaderMap, headers: &mut HeaderMap, parts: &[&[u8]]) -> bool {
    let mut digest = Digest::new();
    for part in parts {
        digest.feed(part).feed(b"\0");
    }
    let tag = format!("W/\"{}\"", digest.hex());
    if let Ok(value) = HeaderValue::from_str(&tag) {
        headers.insert(ETAG, value);
    }
    unchanged(request, &tag)
}

/// A 64-bit FNV-1a digest, in hexadecimal once finished: enough to tell versions of one
/// response apart (not a security check), and the same on every machine and every run.
pub struct Digest(u64);

impl Digest {
    pub fn new() -> Self {
        Digest(0xcbf2_9ce4_8422_2325)
    }

    pub fn feed(&mut self, bytes: &[u8]) -> &mut Self {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self
    }

    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn asking(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn a_tag_matches_itself_weak_or_strong_among_others_and_the_star() {
        assert!(unchanged(&asking("\"a\""), "\"a\""));
        assert!(unchanged(&asking("W/\"a\""), "\"a\""));
        assert!(unchanged(&asking("\"b\", W/\"a\""), "W/\"a\""));
        assert!(unchanged(&asking("*"), "\"a\""));
        assert!(!unchanged(&asking("\"ab\""), "\"a\""));
        assert!(!unchanged(&HeaderMap::new(), "\"a\""));
    }

    #[test]
    fn the_digest_changes_with_any_byte_and_not_with_how_it_is_cut() {
        let whole = Digest::new().feed(b"abc").hex();
        assert_eq!(Digest::new().feed(b"ab").feed(b"c").hex(), whole);
        assert_ne!(Digest::new().feed(b"abd").hex(), whole);
        assert_eq!(Digest::new().hex(), "cbf29ce484222325");
    }
}
