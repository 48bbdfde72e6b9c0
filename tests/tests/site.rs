//! The browser app's files as the binary carries them, and Ardoise under a base path, asked of
//! the router in this process. (That the binary runs from any directory, with its files, is
//! in `install.rs`; that a page hydrates and syncs under a base path, in the browser tests.)

use app::model::NewNote;
use ardoise_tests::{site_root, Serves, SyncClient, TestApp};

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

#[tokio::test]
async fn a_page_the_browser_holds_is_not_sent_again_until_the_board_changes() {
    let server = TestApp::start().await;
    let board = server.create_closed_board("Revue").await;
    let path = format!("/b/{}?k={}", board.id, board.participant);
    let first = server.get(&path, &[]).await;
    assert_eq!(first.status, 200);
    let tag = first.header("etag");
    assert!(tag.starts_with("W/\""), "a weak tag: {tag}");
    assert_eq!(first.header("cache-control"), "no-cache, private");
    assert!(first.header("content-security-policy").contains("'nonce-"));
    // Each response has its own nonce, yet the same version.
    let second = server.get(&path, &[]).await;
    assert_ne!(first.text(), second.text(), "a new nonce on each page");
    assert_eq!(second.header("etag"), tag);

    // Held by the browser: 304, no body, and no new policy (the one it holds matches its page).
    let held = server.get(&path, &[("if-none-match", &tag)]).await;
    assert_eq!(held.status, 304);
    assert!(held.body.is_empty());
    assert_eq!(held.header("content-security-policy"), "");
    assert_eq!(held.header("etag"), tag);

    // Another role is another page: the facilitator's tag is not the participant's.
    let facilitator = format!("/b/{}?k={}", board.id, board.facilitator);
    let other_role = server.get(&facilitator, &[("if-none-match", &tag)]).await;
    assert_eq!(other_role.status, 200);
    assert_ne!(other_role.header("etag"), tag);

    // Another language is another page.
    let english = server
        .get(&path, &[("if-none-match", &tag), ("accept-language", "en")])
        .await;
    assert_eq!(english.status, 200);
    assert_ne!(english.header("etag"), tag);

    // Someone writes: the page is sent again, with the post-it.
    let mut client = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
    client
        .edit(|b| b.add_note(NewNote::with_text("Nouvelle idée")))
        .await;
    let changed = server.get(&path, &[("if-none-match", &tag)]).await;
    assert_eq!(changed.status, 200);
    assert!(changed.text().contains("Nouvelle idée"));
    assert_ne!(changed.header("etag"), tag);

    // An unknown board's page is never "not modified".
    let unknown = server.get("/b/nope", &[("if-none-match", "*")]).await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.header("etag"), "");
}

#[tokio::test]
async fn the_facilitators_guide_is_a_page_in_the_readers_language() {
    let server = TestApp::start_configured(
        std::sync::Arc::new(ardoise_tests::TestDatabase::new(ardoise_tests::Db::Sqlite)),
        std::time::Duration::from_secs(60),
        |state| state.with_base_path("/ardoise"),
    )
    .await;
    let french = server
        .get("/ardoise/guide", &[("accept-language", "fr-FR,fr;q=0.9")])
        .await;
    assert_eq!(french.status, 200);
    assert_eq!(french.header("content-type"), "text/html; charset=utf-8");
    let page = french.text();
    assert!(page.contains("<html lang=\"fr\""));
    assert!(
        page.contains("<title>Animer une rétrospective avec Ardoise"),
        "{page}"
    );
    assert!(page.contains("<h2>Avant l'atelier"), "the Markdown as HTML");
    assert!(
        page.contains("href=\"?lang=en\""),
        "the English guide, here"
    );
    assert!(
        page.contains("href=\"/ardoise/\""),
        "back home, under the base"
    );
    let version = server.state.assets.version().to_owned();
    assert!(page.contains(&format!("/ardoise/pkg/{version}/ardoise.css")));
    assert!(!page.contains("<script"), "no script");
    assert!(french
        .header("content-security-policy")
        .starts_with("default-src 'none'"));

    // Asked in English, by the cookie or the address.
    for (path, headers) in [
        ("/ardoise/guide", vec![("cookie", "ardoise_lang=en")]),
        ("/ardoise/guide?lang=en", vec![("accept-language", "fr")]),
    ] {
        let english = server.get(path, &headers).await.text();
        assert!(english.contains("<html lang=\"en\""), "{path}");
        assert!(english.contains("<title>Running a retrospective with Ardoise"));
        assert!(english.contains("href=\"?lang=fr\""));
    }

    // The same build, the same guide: 304 for a browser that holds it.
    let tag = french.header("etag");
    let held = server
        .get(
            "/ardoise/guide",
            &[("accept-language", "fr"), ("if-none-match", &tag)],
        )
        .await;
    assert_eq!(held.status, 304);

    // The board's help and the home page lead to it.
    let board = server
        .post_json(
            "/ardoise/api/boards",
            &serde_json::json!({ "title": "Aide" }),
        )
        .await
        .json();
    let link = board["links"]["participant"].as_str().unwrap();
    let board_page = server.get(link, &[]).await.text();
    assert!(board_page.contains("href=\"/ardoise/guide\""));
    let home = server.get("/ardoise/", &[]).await.text();
    assert!(home.contains("href=\"/ardoise/guide\""));
}
