//! The HTTP side: the API's answers and the server-rendered pages.

use app::model::{Colour, NewNote};
use ardoise_tests::{metric_value, SyncClient, TestServer};
use base64::Engine;

#[tokio::test]
async fn creating_a_board_returns_its_links() {
    let server = TestServer::start().await;
    let response = reqwest::Client::new()
        .post(format!("{}/api/boards", server.http_url()))
        .json(&serde_json::json!({ "title": "  Bilan de la formation  " }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body: serde_json::Value = response.json().await.unwrap();
    let id = body["id"].as_str().unwrap();
    assert_eq!(body["url"], format!("/b/{id}"));
    assert_eq!(body["document_id"], id);
    assert_eq!(body["automerge_url"], format!("automerge:{id}"));
    assert_eq!(body["title"], "Bilan de la formation");

    let board = server
        .board_json(&app::ids::BoardId::parse(id).unwrap())
        .await;
    assert_eq!(board["title"], "Bilan de la formation");
    assert_eq!(board["notes"], serde_json::json!([]));
}

#[tokio::test]
async fn bad_requests_get_json_errors_and_create_nothing() {
    let server = TestServer::start().await;
    let client = reqwest::Client::new();
    for body in [
        serde_json::json!({ "title": "   " }),
        serde_json::json!({ "title": "x".repeat(201) }),
    ] {
        let response = client
            .post(format!("{}/api/boards", server.http_url()))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400);
        let error: serde_json::Value = response.json().await.unwrap();
        assert!(error["error"].as_str().unwrap().contains("title"));
    }
    let response = client
        .post(format!("{}/api/boards", server.http_url()))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);

    let response = reqwest::get(format!("{}/api/nothing/here", server.http_url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let error: serde_json::Value = response.json().await.unwrap();
    assert_eq!(error["error"], "no such API endpoint");

    for id in [
        "nope",
        "0OIl-not-base58",
        &app::ids::BoardId::random().to_string(),
    ] {
        let response = reqwest::get(format!("{}/api/boards/{id}", server.http_url()))
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{id}");
        let error: serde_json::Value = response.json().await.unwrap();
        assert_eq!(error["error"], "no board with this id");
    }
}

#[tokio::test]
async fn the_board_page_is_rendered_by_the_server_with_its_post_its() {
    let server = TestServer::start().await;
    let board = server.create_board("Accords de groupe").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let id = alice
        .edit(|b| {
            b.add_note(NewNote {
                text: "Bienveillance & <écoute></textarea><script>alert(1)</script>".into(),
                x: 120.0,
                y: 80.0,
                colour: Colour::Orange,
                author: None,
                created_at: 1,
            })
        })
        .await;
    let mut bob = SyncClient::open(&server, &board).await;
    bob.wait_until("the note is stored", |v| v.note(&id).is_some())
        .await;

    let response = reqwest::Client::new()
        .get(format!("{}/b/{board}", server.http_url()))
        .header("accept-language", "fr-FR,fr;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"fr\""), "French page");
    assert!(html.contains("Accords de groupe"));
    let at = html
        .find("Bienveillance")
        .expect("the note's text is in the page");
    let rendered = &html[at..];
    assert!(
        rendered.starts_with("Bienveillance &amp; &lt;écoute&gt;&lt;/textarea&gt;"),
        "escaped: {}",
        rendered.chars().take(60).collect::<String>()
    );
    assert!(
        !html.contains("<script>alert(1)"),
        "a post-it cannot inject markup"
    );
    assert!(html.contains("note-orange"));
    assert!(html.contains(&format!("data-note-id=\"{id}\"")));
    assert!(html.contains("Ajouter un post-it"));
    assert!(html.contains("/pkg/ardoise.js"), "the page loads the app");
    // The document the app starts from (the stored snapshot and log, as they are) holds the note.
    let embedded = html
        .split("data-doc=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page embeds the board's document");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(embedded)
        .expect("base64");
    let document = app::model::Board::load(&bytes).expect("a whole Automerge document");
    assert!(document
        .view()
        .note(&id)
        .is_some_and(|n| n.colour == Colour::Orange));

    // Compressed for browsers that accept it: a 1,000-post-it page is 0.3 MB uncompressed.
    let compressed = reqwest::Client::new()
        .get(format!("{}/b/{board}", server.http_url()))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.headers()["content-encoding"], "gzip");

    let english = reqwest::Client::new()
        .get(format!("{}/b/{board}", server.http_url()))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english.contains("<html lang=\"en\"") && english.contains("Add a post-it"));

    // The language chosen with the page's switch (a cookie) wins over the browser's.
    let chosen = reqwest::Client::new()
        .get(format!("{}/b/{board}", server.http_url()))
        .header("accept-language", "en-GB,en;q=0.9")
        .header("cookie", "theme=dark; ardoise_lang=fr")
        .send()
        .await
        .unwrap();
    let vary = chosen
        .headers()
        .get_all("vary")
        .iter()
        .fold(String::new(), |all, v| all + v.to_str().unwrap() + ",");
    assert!(
        vary.contains("cookie") && vary.contains("accept-language"),
        "{vary}"
    );
    let chosen = chosen.text().await.unwrap();
    assert!(chosen.contains("<html lang=\"fr\"") && chosen.contains("Ajouter un post-it"));

    let missing = reqwest::get(format!(
        "{}/b/{}",
        server.http_url(),
        app::ids::BoardId::random()
    ))
    .await
    .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn the_home_page_form_creates_a_board_and_redirects_to_it() {
    let server = TestServer::start().await;
    let home = reqwest::get(server.http_url())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("action=\"/new\""));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = client
        .post(format!("{}/new", server.http_url()))
        .form(&[("title", "Check-in météo")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let id = location
        .strip_prefix("/b/")
        .expect("redirects to the board");
    let board = server
        .board_json(&app::ids::BoardId::parse(id).unwrap())
        .await;
    assert_eq!(board["title"], "Check-in météo");
}

#[tokio::test]
async fn metrics_count_connections_changes_writes_and_relays() {
    let server = TestServer::start().await;
    let board = server.create_board("Mesures").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let mut bob = SyncClient::open(&server, &board).await;
    let id = alice
        .edit(|b| {
            b.add_note(NewNote {
                text: "compté".into(),
                x: 0.0,
                y: 0.0,
                colour: Colour::Blue,
                author: None,
                created_at: 1,
            })
        })
        .await;
    bob.wait_until("bob sees the post-it", |v| v.note(&id).is_some())
        .await;

    let response = reqwest::get(format!("{}/metrics", server.http_url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = response.text().await.unwrap();
    let value =
        |name: &str| metric_value(&text, name).unwrap_or_else(|| panic!("no {name} in {text}"));
    assert_eq!(value("ardoise_open_boards"), 1.0);
    assert_eq!(value("ardoise_connected_peers"), 2.0);
    assert!(value("ardoise_changes_applied_total") >= 1.0);
    assert!(value("ardoise_messages_relayed_total") >= 2.0);
    assert!(value("ardoise_storage_write_seconds_count") >= 1.0);
    assert!(value("ardoise_relay_seconds_count") >= 1.0);
}
