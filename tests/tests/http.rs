//! The HTTP side: the API's answers and the server-rendered pages, asked of the router in this
//! process (no socket, no binary); sync clients reach it over real websockets.

use app::model::{Colour, NewNote};
use ardoise_tests::{metric_value, Serves, SyncClient, TestApp};
use base64::Engine;

#[tokio::test]
async fn creating_a_board_returns_its_links() {
    let server = TestApp::start().await;
    let response = server
        .post_json(
            "/api/boards",
            &serde_json::json!({ "title": "  Bilan de la formation  " }),
        )
        .await;
    assert_eq!(response.status, 201);
    let body = response.json();
    let id = body["id"].as_str().unwrap();
    assert_eq!(body["url"], format!("/b/{id}"));
    assert_eq!(body["document_id"], id);
    assert_eq!(body["automerge_url"], format!("automerge:{id}"));
    assert_eq!(body["title"], "Bilan de la formation");
    let links = &body["links"];
    let mut secrets = Vec::new();
    for role in ["facilitator", "participant", "observer"] {
        let link = links[role].as_str().expect("a link of each kind");
        let secret = link
            .strip_prefix(&format!("/b/{id}?k="))
            .expect("the board page's path with the secret as k");
        assert!(secret.len() >= 22, "at least 128 random bits: {secret}");
        secrets.push(secret.to_owned());
    }
    secrets.dedup();
    assert_eq!(secrets.len(), 3, "three different secrets");
    // Closed until its facilitator opens it.
    assert_eq!(
        server.get(&format!("/api/boards/{id}"), &[]).await.status,
        404
    );

    let board = server
        .get(&format!("/api/boards/{id}?k={}", secrets[2]), &[])
        .await
        .json();
    assert_eq!(board["title"], "Bilan de la formation");
    assert_eq!(board["notes"], serde_json::json!([]));
    assert_eq!(board["columns"], serde_json::json!([]));
    assert_eq!(board["id"], id);
}

#[tokio::test]
async fn bad_requests_get_json_errors_and_create_nothing() {
    let server = TestApp::start().await;
    for body in [
        serde_json::json!({ "title": "   " }),
        serde_json::json!({ "title": "x".repeat(201) }),
    ] {
        let response = server.post_json("/api/boards", &body).await;
        assert_eq!(response.status, 400);
        assert!(response.json()["error"].as_str().unwrap().contains("title"));
    }
    let response = server
        .post("/api/boards", "application/json", "{not json")
        .await;
    assert_eq!(response.status, 400);
    let boards = "SELECT COUNT(*) FROM boards";
    assert_eq!(server.database.count(boards).await, 0, "nothing created");

    let response = server.get("/api/nothing/here", &[]).await;
    assert_eq!(response.status, 404);
    assert_eq!(response.json()["error"], "no such API endpoint");

    for id in [
        "nope",
        "0OIl-not-base58",
        &app::ids::BoardId::random().to_string(),
    ] {
        let response = server.get(&format!("/api/boards/{id}"), &[]).await;
        assert_eq!(response.status, 404, "{id}");
        assert_eq!(response.json()["error"], "no board with this id");
    }
}

#[tokio::test]
async fn the_board_page_is_rendered_by_the_server_with_its_post_its() {
    let server = TestApp::start().await;
    let board = server.create_board("Accords de groupe").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let id = alice
        .edit(|b| {
            b.add_note(NewNote {
                colour: Colour::Orange,
                ..NewNote::with_text("Bienveillance & <écoute></textarea><script>alert(1)</script>")
                    .at(120.0, 80.0)
            })
        })
        .await;
    let mut bob = SyncClient::open(&server, &board).await;
    bob.wait_until("the note is stored", |v| v.note(&id).is_some())
        .await;

    // The API's board: every field of the contract, the post-it at its place on the canvas.
    let json = server
        .get(&format!("/api/boards/{board}"), &[])
        .await
        .json();
    let note = &json["notes"][0];
    let mut keys: Vec<&str> = note
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "action",
            "author",
            "colour",
            "column",
            "created_at",
            "dots",
            "group",
            "h",
            "id",
            "text",
            "w",
            "x",
            "y",
            "z"
        ]
    );
    assert_eq!(
        (note["x"].as_f64(), note["y"].as_f64()),
        (Some(120.0), Some(80.0))
    );
    assert_eq!(note["colour"], "orange");
    assert_eq!(
        note["dots"],
        serde_json::json!({ "red": 0, "blue": 0, "green": 0, "black": 0 })
    );
    for field in ["column", "author", "group", "action"] {
        assert_eq!(note[field], serde_json::Value::Null, "{field}");
    }

    let page = format!("/b/{board}");
    let response = server
        .get(&page, &[("accept-language", "fr-FR,fr;q=0.9")])
        .await;
    assert_eq!(response.status, 200);
    let html = response.text();
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
    let app = format!("/pkg/{}/ardoise.js", server.state.assets.version());
    assert!(html.contains(&app), "the page loads the app");
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
    let compressed = server.get(&page, &[("accept-encoding", "gzip")]).await;
    assert_eq!(compressed.header("content-encoding"), "gzip");
    assert!(compressed.body.len() < html.len());

    let english = server
        .get(&page, &[("accept-language", "en-GB,en;q=0.9")])
        .await
        .text();
    assert!(english.contains("<html lang=\"en\"") && english.contains("Add a post-it"));

    // The language chosen with the page's switch (a cookie) wins over the browser's.
    let chosen = server
        .get(
            &page,
            &[
                ("accept-language", "en-GB,en;q=0.9"),
                ("cookie", "theme=dark; ardoise_lang=fr"),
            ],
        )
        .await;
    let vary = chosen.header("vary");
    assert!(
        vary.contains("cookie") && vary.contains("accept-language"),
        "{vary}"
    );
    let chosen = chosen.text();
    assert!(chosen.contains("<html lang=\"fr\"") && chosen.contains("Ajouter un post-it"));

    let missing = server
        .get(&format!("/b/{}", app::ids::BoardId::random()), &[])
        .await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn the_home_page_form_creates_a_board_and_redirects_to_it() {
    let server = TestApp::start().await;
    let home = server.get("/", &[]).await.text();
    assert!(home.contains("action=\"/new\""));
    let response = server
        .post(
            "/new",
            "application/x-www-form-urlencoded",
            "title=Check-in+m%C3%A9t%C3%A9o",
        )
        .await;
    assert_eq!(response.status, 303);
    // To the facilitator's link; the two others in the fragment, which no browser sends on.
    let location = response.header("location");
    let (address, fragment) = location.split_once('#').expect("a fragment");
    let (path, facilitator) = address.split_once("?k=").expect("the facilitator's secret");
    let id = path.strip_prefix("/b/").expect("redirects to the board");
    let access = server
        .get(&format!("/api/boards/{id}/access?k={facilitator}"), &[])
        .await
        .json();
    assert_eq!(access["role"], "facilitator");
    for (role, pair) in ["participant", "observer"]
        .into_iter()
        .zip(fragment.split('&'))
    {
        let secret = pair
            .strip_prefix(&format!("{role}="))
            .unwrap_or_else(|| panic!("{role} in {fragment}"));
        let access = server
            .get(&format!("/api/boards/{id}/access?k={secret}"), &[])
            .await
            .json();
        assert_eq!(access["role"], role);
    }
    let board = server
        .get(&format!("/api/boards/{id}?k={facilitator}"), &[])
        .await
        .json();
    assert_eq!(board["title"], "Check-in météo");
}

#[tokio::test]
async fn metrics_count_connections_changes_writes_and_relays() {
    let server = TestApp::start().await;
    let board = server.create_board("Mesures").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let mut bob = SyncClient::open(&server, &board).await;
    let id = alice
        .edit(|b| b.add_note(NewNote::with_text("compté")))
        .await;
    bob.wait_until("bob sees the post-it", |v| v.note(&id).is_some())
        .await;

    let response = server.get("/metrics", &[]).await;
    assert_eq!(response.status, 200);
    assert!(response.header("content-type").starts_with("text/plain"));
    let text = response.text();
    let value =
        |name: &str| metric_value(&text, name).unwrap_or_else(|| panic!("no {name} in {text}"));
    assert_eq!(value("ardoise_open_boards"), 1.0);
    assert_eq!(value("ardoise_connected_peers"), 2.0);
    assert!(value("ardoise_changes_applied_total") >= 1.0);
    assert!(value("ardoise_messages_relayed_total") >= 2.0);
    assert!(value("ardoise_storage_write_seconds_count") >= 1.0);
    assert!(value("ardoise_relay_seconds_count") >= 1.0);
}

#[tokio::test]
async fn the_language_switch_works_without_the_page_script() {
    let server = TestApp::start().await;
    let home = server
        .get("/", &[("accept-language", "fr-FR")])
        .await
        .text();
    assert!(home.contains("name=\"lang\" value=\"en\""), "{home}");
    // Posted to the page's own address: the cookie, and back to the same address.
    let board = server.create_closed_board("Langues").await;
    let path = format!("/b/{}?k={}", board.id, board.participant);
    let response = server
        .post(&path, "application/x-www-form-urlencoded", "lang=en")
        .await;
    assert_eq!(response.status, 303);
    assert_eq!(response.header("location"), path);
    let cookie = response.header("set-cookie");
    assert!(cookie.starts_with("ardoise_lang=en;"), "{cookie}");
    let page = server
        .get(&path, &[("cookie", "ardoise_lang=en")])
        .await
        .text();
    assert!(page.contains("<html lang=\"en\""), "the board in English");
    let back = server
        .post("/", "application/x-www-form-urlencoded", "lang=fr")
        .await;
    assert_eq!(
        (back.status.as_u16(), back.header("location")),
        (303, "/".to_owned())
    );
    // Another language changes nothing.
    let refused = server
        .post("/", "application/x-www-form-urlencoded", "lang=de")
        .await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.header("set-cookie"), "");
}
