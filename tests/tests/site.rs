//! The browser app's files as the binary carries them, and Ardoise under a base path, asked of
//! the router in this process. (That the binary runs from any directory, with its files, is
//! in `install.rs`; that a page hydrates and syncs under a base path, in the browser tests.)

use ardoise_tests::{site_root, TestApp};

/// Every file the server sends, as `scripts/build.sh` wrote it.
fn built(file: &str) -> Vec<u8> {
    let path = site_root().join("pkg").join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[tokio::test]
async fn the_app_is_sent_compressed_as_the_browser_accepts_and_kept_for_ever() {
    let server = TestApp::start().await;
    let version = server.state.assets.version().to_owned();
    let page = server.get("/", &[]).await.text();
    for file in [
        "ardoise.js",
        "ardoise_bg.wasm",
        "ardoise.css",
        "favicon.svg",
    ] {
        assert!(
            page.contains(&format!("/pkg/{version}/{file}")),
            "the page asks for {file} under its version"
        );
    }
    let path = format!("/pkg/{version}/ardoise_bg.wasm");
    let brotli = server
        .get(&path, &[("accept-encoding", "gzip, deflate, br, zstd")])
        .await;
    assert_eq!(brotli.status, 200);
    assert_eq!(brotli.header("content-encoding"), "br");
    assert_eq!(brotli.header("content-type"), "application/wasm");
    assert_eq!(
        brotli.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(brotli.header("vary"), "accept-encoding");
    assert_eq!(&brotli.body[..], &built("ardoise_bg.wasm.br")[..]);
    let gzip = server.get(&path, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gzip.header("content-encoding"), "gzip");
    assert_eq!(&gzip.body[..], &built("ardoise_bg.wasm.gz")[..]);
    let plain = server.get(&path, &[]).await;
    assert!(plain.headers.get("content-encoding").is_none());
    assert_eq!(&plain.body[..], &built("ardoise_bg.wasm")[..]);
    assert!(
        brotli.body.len() < gzip.body.len(),
        "brotli is the smaller: {} vs {} bytes",
        brotli.body.len(),
        gzip.body.len()
    );

    // Another build's files are not these: never kept under an address of this one.
    let stale = server.get("/pkg/0000000000000000/ardoise.js", &[]).await;
    assert_eq!(stale.status, 404);
    assert_eq!(server.get("/pkg/../Cargo.toml", &[]).await.status, 404);
    assert_eq!(
        server
            .get(&format!("/pkg/{version}/sw.js.br"), &[])
            .await
            .status,
        404
    );

    // The plain addresses are asked again each time, and answered 304 while unchanged.
    let worker = server.get("/sw.js", &[("accept-encoding", "br")]).await;
    assert_eq!(worker.status, 200);
    assert_eq!(worker.header("cache-control"), "no-cache");
    assert_eq!(
        worker.header("content-type"),
        "text/javascript; charset=utf-8"
    );
    let tag = worker.header("etag");
    let again = server
        .get(
            "/sw.js",
            &[("accept-encoding", "br"), ("if-none-match", &tag)],
        )
        .await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let old = server.get("/pkg/ardoise.js", &[]).await;
    assert_eq!(old.status, 200);
    assert_eq!(&old.body[..], &built("ardoise.js")[..]);
}

#[tokio::test]
async fn under_a_base_path_every_address_starts_with_it() {
    let server = TestApp::start_configured(
        std::sync::Arc::new(ardoise_tests::TestDatabase::new(ardoise_tests::Db::Sqlite)),
        std::time::Duration::from_secs(60),
        |state| state.with_base_path("/outils/ardoise"),
    )
    .await;
    let version = server.state.assets.version().to_owned();
    let home = server.get("/outils/ardoise/", &[]).await;
    assert_eq!(home.status, 200);
    let page = home.text();
    assert!(page.contains(&format!("/outils/ardoise/pkg/{version}/ardoise.js")));
    assert!(page.contains(&format!("/outils/ardoise/pkg/{version}/ardoise.css")));
    assert!(page.contains(r#"<meta name="ardoise-base" content="/outils/ardoise""#));
    assert!(page.contains(r#"action="/outils/ardoise/new""#));
    // As people type it, without the last slash.
    let typed = server.get("/outils/ardoise", &[]).await;
    assert_eq!(typed.status, 308);
    assert_eq!(typed.header("location"), "/outils/ardoise/");
    // Nothing at the root any more.
    assert_eq!(server.get("/", &[]).await.status, 404);
    assert_eq!(server.get("/health", &[]).await.status, 404);
    assert_eq!(server.get("/outils/ardoise/health", &[]).await.text(), "ok");
    let app = server
        .get(&format!("/outils/ardoise/pkg/{version}/ardoise.js"), &[])
        .await;
    assert_eq!(app.status, 200);
    assert_eq!(server.get("/outils/ardoise/sw.js", &[]).await.status, 200);

    // The API's links, and the form's redirection, lead back under the base.
    let created = server
        .post_json(
            "/outils/ardoise/api/boards",
            &serde_json::json!({ "title": "Sous-chemin" }),
        )
        .await;
    assert_eq!(created.status, 201);
    let body = created.json();
    let id = body["id"].as_str().unwrap();
    assert_eq!(body["url"], format!("/outils/ardoise/b/{id}"));
    let link = body["links"]["facilitator"].as_str().unwrap();
    assert!(
        link.starts_with(&format!("/outils/ardoise/b/{id}?k=")),
        "{link}"
    );
    let board = server.get(link, &[]).await;
    assert_eq!(board.status, 200);
    assert!(board.text().contains("Sous-chemin"));
    let form = server
        .post(
            "/outils/ardoise/new",
            "application/x-www-form-urlencoded",
            "title=Atelier",
        )
        .await;
    assert_eq!(form.status, 303);
    assert!(form.header("location").starts_with("/outils/ardoise/b/"));
    let refused = server
        .post(
            "/outils/ardoise/new",
            "application/x-www-form-urlencoded",
            "title=",
        )
        .await;
    assert_eq!(refused.header("location"), "/outils/ardoise/");
}

#[tokio::test]
async fn metrics_can_leave_the_public_address() {
    let public = TestApp::start().await;
    assert_eq!(public.get("/metrics", &[]).await.status, 200);
    let private = TestApp::start_configured(
        std::sync::Arc::new(ardoise_tests::TestDatabase::new(ardoise_tests::Db::Sqlite)),
        std::time::Duration::from_secs(60),
        |state| state.without_public_metrics(),
    )
    .await;
    let response = private.get("/metrics", &[]).await;
    assert_eq!(response.status, 404);
    assert!(!response.text().contains("ardoise_open_boards"));
}
