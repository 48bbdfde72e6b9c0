//! Who may do what, played by hand-made clients: each link's rights over `/sync`, the REST API
//! and the page, on SQLite and PostgreSQL, through the server's router in this process (real
//! websockets, real databases). `ardoise links` runs the real binary.

use std::sync::Arc;

use app::{
    model::{Colour, NewNote},
    protocol::Message,
};
use ardoise_tests::{
    database_tests, stored_board, CreatedBoard, Db, Serves, SyncClient, TestApp, TestDatabase,
};
use automerge::{transaction::Transactable, ObjType, ReadDoc, ROOT};

/// Sends a change as a hand-made client can, then reads until the server closes the
/// connection; returns the protocol error it said.
async fn refused(client: &mut SyncClient, edit: impl FnOnce(&mut automerge::AutoCommit)) -> String {
    client.push_raw(edit).await;
    let mut error = None;
    while let Some(message) = client.next_message().await {
        if let Message::Error { message } = message {
            error = Some(message);
        }
    }
    error.expect("the server said why it refused before closing the connection")
}

/// The object at a path of map keys from the root of a raw document.
fn object_at(doc: &automerge::AutoCommit, path: &[&str]) -> automerge::ObjId {
    path.iter().fold(ROOT, |obj, key| {
        doc.get(&obj, *key)
            .unwrap()
            .unwrap_or_else(|| panic!("no {key}"))
            .1
    })
}

/// Writes `settings.phase` as a hand-made client can.
fn write_settings(doc: &mut automerge::AutoCommit) {
    let settings = doc
        .put_object(ROOT, "settings", ObjType::Map)
        .expect("a settings map");
    doc.put(&settings, "phase", "vote").expect("a phase");
}

/// `settings.phase` in a client's copy of the board.
fn phase(client: SyncClient) -> Option<String> {
    let mut board = client.into_board();
    let doc = automerge::AutoCommit::load(&board.save()).expect("a document");
    let (_, settings) = doc.get(ROOT, "settings").ok()??;
    let (value, _) = doc.get(&settings, "phase").ok()??;
    value.into_string().ok()
}

async fn unavailable(server: &TestApp, board: &CreatedBoard, secret: Option<&str>) -> bool {
    let result = match secret {
        Some(secret) => SyncClient::try_open_with_link(server, &board.id, secret).await,
        None => SyncClient::try_open(server, &board.id).await,
    };
    matches!(result, Err(Message::DocUnavailable { .. }))
}

/// `method path` with the secret as a bearer token.
async fn call(
    server: &TestApp,
    method: &str,
    path: &str,
    secret: Option<&str>,
    json: Option<serde_json::Value>,
) -> u16 {
    let bearer = secret.map(|secret| format!("Bearer {secret}"));
    let headers: Vec<(&str, &str)> = bearer
        .as_deref()
        .map(|b| ("authorization", b))
        .into_iter()
        .collect();
    server.call(method, path, &headers, json).await.0
}

database_tests! {
    async fn each_link_syncs_with_exactly_its_rights_and_a_refused_client_leaves_the_others_going(db) {
        let server = TestApp::start_on(db).await;
        let board = server.create_closed_board("Atelier partenaires").await;
        assert!(unavailable(&server, &board, None).await, "a closed board's plain address opens nothing");
        assert!(unavailable(&server, &board, Some("not-a-secret")).await);

        let mut facilitator = SyncClient::open_with_link(&server, &board.id, &board.facilitator).await;
        let mut participant = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
        let mut observer = SyncClient::open_with_link(&server, &board.id, &board.observer).await;

        let note = participant
            .edit(|b| b.add_note(NewNote::with_text("Idée du partenaire").at(10.0, 10.0)))
            .await;
        facilitator.wait_until("the facilitator sees the participant's post-it", |v| v.note(&note).is_some()).await;
        observer.wait_until("the observer follows live", |v| v.note(&note).is_some()).await;

        // The observer writes anyway, as a hand-made client can.
        let error = refused(&mut observer, |doc| {
            let notes = object_at(doc, &["notes"]);
            doc.put(&notes, "intrus", "observer's").unwrap();
        })
        .await;
        assert!(error.contains("observer"), "{error}");

        // The others go on, and never see the observer's change.
        facilitator.edit(|b| b.set_note_colour(&note, Colour::Blue)).await;
        participant
            .wait_until("the participant goes on", |v| v.note(&note).is_some_and(|n| n.colour == Colour::Blue))
            .await;
        let stored = server.get(&format!("/api/boards/{}?k={}", board.id, board.observer), &[]).await.json();
        assert_eq!(stored["notes"].as_array().unwrap().len(), 1, "nothing of the observer's is stored: {stored}");
        let again = SyncClient::open_with_link(&server, &board.id, &board.facilitator).await;
        assert_eq!(again.view().notes.len(), 1, "nor relayed");
    }

    async fn only_the_facilitator_writes_the_settings_and_a_participant_who_tries_is_refused(db) {
        let server = TestApp::start_on(db).await;
        let board = server.create_closed_board("Réglages").await;
        let mut participant = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
        let mut other = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
        let error = refused(&mut participant, write_settings).await;
        assert!(error.contains("facilitator"), "{error}");
        // Still a participant's rights otherwise: the other participant writes on.
        let note = other.edit(|b| b.add_note(NewNote::with_text("toujours là").at(0.0, 0.0))).await;
        let fresh = SyncClient::open_with_link(&server, &board.id, &board.facilitator).await;
        assert!(fresh.view().note(&note).is_some());
        assert_eq!(phase(fresh), None, "the participant's settings were neither stored nor relayed");

        let mut facilitator = SyncClient::open_with_link(&server, &board.id, &board.facilitator).await;
        facilitator.edit_raw(|doc| { write_settings(doc); Ok(()) }).await;
        let fresh = SyncClient::open_with_link(&server, &board.id, &board.observer).await;
        assert_eq!(phase(fresh).as_deref(), Some("vote"), "the facilitator's settings are stored");
    }

    async fn a_renewed_link_locks_out_the_old_one_even_an_open_websocket(db) {
        let server = TestApp::start_on(db).await;
        let board = server.create_closed_board("Rotation").await;
        let mut observer = SyncClient::open_with_link(&server, &board.id, &board.observer).await;
        let mut participant = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
        let renewed = server
            .post(&format!("/api/boards/{}/links/observer?k={}", board.id, board.facilitator), "application/json", "")
            .await;
        assert_eq!(renewed.status, 200);
        let link = renewed.json()["link"].as_str().unwrap().to_owned();
        let secret = link.rsplit_once("k=").unwrap().1.to_owned();

        let mut error = None;
        while let Some(message) = observer.next_message().await {
            if let Message::Error { message } = message {
                error = Some(message);
            }
        }
        assert!(error.is_some_and(|e| e.contains("no longer")), "the open observer socket was told and closed");
        assert!(unavailable(&server, &board, Some(&board.observer)).await, "the old link opens nothing");
        let mut observer = SyncClient::open_with_link(&server, &board.id, &secret).await;
        let note = participant.edit(|b| b.add_note(NewNote::with_text("après").at(0.0, 0.0))).await;
        observer.wait_until("the new link follows the board", |v| v.note(&note).is_some()).await;
    }

    async fn closing_an_open_board_ends_the_connections_its_plain_address_let_in(db) {
        let server = TestApp::start_on(db).await;
        let board = server.create_closed_board("Ouvert puis fermé").await;
        let access = format!("/api/boards/{}/access", board.id);
        let open = serde_json::json!({ "open": true });
        assert_eq!(call(&server, "PUT", &access, Some(&board.participant), Some(open.clone())).await, 403);
        assert_eq!(call(&server, "PUT", &access, Some(&board.facilitator), Some(open)).await, 200);
        let mut passer_by = SyncClient::open(&server, &board.id).await;
        let mut participant = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
        let closed = serde_json::json!({ "open": false });
        assert_eq!(call(&server, "PUT", &access, Some(&board.facilitator), Some(closed)).await, 200);
        while passer_by.next_message().await.is_some() {}
        assert!(unavailable(&server, &board, None).await);
        let note = participant.edit(|b| b.add_note(NewNote::with_text("reste").at(0.0, 0.0))).await;
        let check = SyncClient::open_with_link(&server, &board.id, &board.facilitator).await;
        assert!(check.view().note(&note).is_some(), "a link's holder stays");
    }

    async fn the_api_answers_each_link_with_its_rights_and_a_stranger_as_if_there_were_no_board(db) {
        let server = TestApp::start_on(db).await;
        let board = server.create_closed_board("API").await;
        let path = format!("/api/boards/{}", board.id);
        let unknown = format!("/api/boards/{}", app::ids::BoardId::random());
        assert_eq!(call(&server, "GET", &path, None, None).await, 404);
        assert_eq!(call(&server, "GET", &path, Some("wrong"), None).await, 404);
        assert_eq!(call(&server, "GET", &unknown, Some(&board.facilitator), None).await, 404);
        for secret in [&board.observer, &board.participant, &board.facilitator] {
            assert_eq!(call(&server, "GET", &path, Some(secret), None).await, 200);
            let by_query = server.get(&format!("{path}?k={secret}"), &[]).await;
            assert_eq!(by_query.status, 200);
        }
        let access = server.get(&format!("{path}/access?k={}", board.observer), &[]).await.json();
        assert_eq!(access, serde_json::json!({ "role": "observer", "open": false }));
        for secret in [&board.observer, &board.participant] {
            assert_eq!(call(&server, "DELETE", &path, Some(secret), None).await, 403);
            assert_eq!(call(&server, "POST", &format!("{path}/links/participant"), Some(secret), None).await, 403);
        }
        assert_eq!(call(&server, "POST", &format!("{path}/links/admin"), Some(&board.facilitator), None).await, 400);
        assert_eq!(call(&server, "DELETE", &path, Some(&board.facilitator), None).await, 204);
        assert_eq!(call(&server, "GET", &path, Some(&board.facilitator), None).await, 404);
    }
}

#[tokio::test]
async fn a_closed_board_s_plain_address_shows_the_unknown_board_page_and_a_link_shows_its_role() {
    let server = TestApp::start().await;
    let board = server.create_closed_board("Confidentiel").await;
    let lang = [("accept-language", "en")];
    let closed = server.get(&format!("/b/{}", board.id), &lang).await;
    let unknown = server
        .get(&format!("/b/{}", app::ids::BoardId::random()), &lang)
        .await;
    assert_eq!(
        (closed.status.as_u16(), unknown.status.as_u16()),
        (404, 404)
    );
    // The same page but for the nonce drawn for each response.
    let without_nonce = |page: &ardoise_tests::TestResponse| {
        let policy = page.header("content-security-policy");
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .unwrap()
            .split('\'')
            .next()
            .unwrap();
        page.text().replace(nonce, "NONCE")
    };
    assert_eq!(without_nonce(&closed), without_nonce(&unknown));
    assert!(!closed.text().contains("Confidentiel"));
    assert!(closed.text().contains("ask the board"), "{}", closed.text());

    for (secret, role) in [
        (&board.facilitator, "facilitator"),
        (&board.participant, "participant"),
        (&board.observer, "observer"),
    ] {
        let page = server
            .get(&format!("/b/{}?k={secret}", board.id), &lang)
            .await;
        assert_eq!(page.status, 200);
        assert!(page.text().contains(&format!("data-role=\"{role}\"")));
        assert!(page.text().contains("Confidentiel"));
        assert_eq!(page.header("referrer-policy"), "no-referrer");
        assert_eq!(page.header("x-content-type-options"), "nosniff");
        let policy = page.header("content-security-policy");
        assert!(policy.contains("script-src 'self' 'nonce-"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(!policy.contains("unsafe-eval'") || policy.contains("'wasm-unsafe-eval'"));
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .unwrap()
            .split('\'')
            .next()
            .unwrap();
        assert!(
            page.text().contains(&format!("nonce=\"{nonce}\"")),
            "the inline script carries the response's nonce"
        );
        let has_delete = page.text().contains("delete-board");
        assert_eq!(
            has_delete,
            role == "facilitator",
            "{role}: the delete button"
        );
        let has_tools = page.text().contains("add-note");
        assert_eq!(has_tools, role != "observer", "{role}: the editing tools");
    }
}

#[tokio::test]
async fn boards_from_before_links_stay_open_and_ardoise_links_hands_out_their_links() {
    let database = Arc::new(TestDatabase::new(Db::Sqlite));
    let storage = ardoise_server::storage::Storage::connect(&database.url)
        .await
        .unwrap();
    let (old, _) = stored_board(&storage, "Tableau d'avant").await;
    // What the migration leaves a board from before links: the columns' defaults.
    let legacy = app::ids::BoardId::random();
    let snapshot = app::model::Board::new("Plus ancien").unwrap().save();
    database
        .execute(
            &format!(
                "INSERT INTO boards (id, title, created_at, updated_at, snapshot, snapshot_seq, last_seq) \
                 VALUES ('{legacy}', 'Plus ancien', 0, 0, $1, 0, 0)"
            ),
            Some(snapshot),
        )
        .await;
    let server = TestApp::start_with(database.clone(), std::time::Duration::from_secs(60)).await;
    for id in [&old, &legacy] {
        SyncClient::open(&server, id).await;
        let page = server.get(&format!("/b/{id}"), &[]).await;
        assert_eq!(
            page.status, 200,
            "the old address works for everyone who has it"
        );
    }

    let links = |extra: &[&str]| {
        let output = std::process::Command::new(ardoise_tests::binary())
            .args(["links", legacy.as_str(), "--database-url", &database.url])
            .args(extra)
            .output()
            .expect("run ardoise links");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let secret_of = |printed: &str, role: &str| {
        printed
            .lines()
            .find(|line| line.starts_with(role))
            .and_then(|line| line.rsplit_once("?k="))
            .map(|(_, secret)| secret.to_owned())
    };
    let first = links(&[]);
    let observer = secret_of(&first, "observer").expect("an observer link is made");
    assert!(secret_of(&first, "facilitator").is_some(), "{first}");
    let mut watching = SyncClient::open_with_link(&server, &legacy, &observer).await;
    let again = links(&[]);
    assert_eq!(
        secret_of(&again, "observer"),
        None,
        "existing links are not shown again: {again}"
    );
    let renewed = links(&["--renew"]);
    let new_observer = secret_of(&renewed, "observer").expect("--renew makes new links");
    assert_ne!(new_observer, observer);
    let facilitator = secret_of(&renewed, "facilitator").unwrap();
    // The command line wrote to the database; the server reads access at each connection, and
    // checks open connections again at the next change of access (the board closed here).
    let created = CreatedBoard {
        id: legacy.clone(),
        facilitator: facilitator.clone(),
        participant: String::new(),
        observer: observer.clone(),
    };
    let closed = serde_json::json!({ "open": false });
    assert_eq!(
        call(
            &server,
            "PUT",
            &format!("/api/boards/{legacy}/access"),
            Some(&facilitator),
            Some(closed)
        )
        .await,
        200
    );
    assert!(unavailable(&server, &created, Some(&observer)).await);
    while watching.next_message().await.is_some() {}
    SyncClient::open_with_link(&server, &legacy, &new_observer).await;
}

/// Whether one more websocket with this link is accepted.
async fn third_socket(server: &TestApp, secret: &str) -> bool {
    let url = format!("{}?k={secret}", server.sync_url());
    tokio_tungstenite::connect_async(url).await.is_ok()
}

#[tokio::test]
async fn an_address_over_its_limits_gets_a_clear_error_and_changes_nothing() {
    let limits = ardoise_server::addresses::AddressLimits {
        max_connections: 2,
        max_boards_per_hour: 2,
        trust_proxy: true,
    };
    let server = TestApp::start_configured(
        Arc::new(TestDatabase::new(Db::Sqlite)),
        std::time::Duration::from_secs(60),
        |state| state.with_address_limits(limits),
    )
    .await;
    let create = |from: &'static str| {
        let url = format!("{}/api/boards", server.http_url());
        async move {
            reqwest::Client::new()
                .post(url)
                .header("x-forwarded-for", from)
                .json(&serde_json::json!({ "title": "Limité" }))
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(create("192.0.2.1").await.status(), 201);
    assert_eq!(create("192.0.2.1").await.status(), 201);
    let refused = create("192.0.2.1").await;
    assert_eq!(refused.status(), 429);
    let said: serde_json::Value = refused.json().await.unwrap();
    assert!(
        said["error"].as_str().unwrap().contains("too many boards"),
        "{said}"
    );
    assert_eq!(
        create("192.0.2.2").await.status(),
        201,
        "another address has its own allowance"
    );

    // Websockets: the loopback address (no proxy header) may hold two.
    let board = server.create_closed_board("Sockets").await;
    let first = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
    let _second = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
    let third =
        tokio_tungstenite::connect_async(format!("{}?k={}", server.sync_url(), board.participant))
            .await;
    match third {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 429)
        }
        other => panic!("a third websocket from one address: {other:?}"),
    }
    first.close().await;
    let deadline = tokio::time::Instant::now() + ardoise_tests::WAIT_LIMIT;
    while !third_socket(&server, &board.participant).await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "a closed websocket gives its place back"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_board_at_its_limits_refuses_the_change_beyond_and_stores_nothing_of_it() {
    let limits = ardoise_server::sync::board::BoardLimits {
        max_notes: 3,
        max_document_bytes: 4096,
    };
    let server = TestApp::start_configured(
        Arc::new(TestDatabase::new(Db::Sqlite)),
        std::time::Duration::from_secs(60),
        |state| state.with_board_limits(limits),
    )
    .await;
    let board = server.create_closed_board("Petit mur").await;
    let mut alice = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
    for text in ["un", "deux", "trois"] {
        alice
            .edit(|b| b.add_note(NewNote::with_text(text).at(0.0, 0.0)))
            .await;
    }
    let error = refused(&mut alice, |doc| {
        let note = doc
            .put_object(object_at(doc, &["notes"]), "quatre", ObjType::Map)
            .unwrap();
        doc.put(&note, "x", 0.0).unwrap();
    })
    .await;
    assert!(error.contains("limit of 3 post-its"), "{error}");
    let mut bob = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
    assert_eq!(bob.view().notes.len(), 3, "the fourth was not stored");

    // A text longer than a post-it holds, as a string or typed in its text, is refused.
    let first = bob.view().notes[0].id.clone();
    bob.edit(|b| b.set_note_text(&first, "court")).await;
    let error = refused(&mut bob, |doc| {
        let note = object_at(doc, &["notes", first.as_str()]);
        doc.put(&note, "text", "x".repeat(5001)).unwrap();
    })
    .await;
    assert!(error.contains("5000 characters"), "{error}");
    let mut bob = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
    let error = refused(&mut bob, |doc| {
        let note = object_at(doc, &["notes", first.as_str()]);
        let text = doc.get(&note, "text").unwrap().unwrap().1;
        doc.splice_text(&text, 0, 0, &"y".repeat(5000)).unwrap();
    })
    .await;
    assert!(error.contains("5000 characters"), "{error}");
    // Within the texts' limits, a change that takes the board over its size is refused too.
    let mut bob = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
    let error = refused(&mut bob, |doc| {
        let note = object_at(doc, &["notes", first.as_str()]);
        doc.put(&note, "text", "x".repeat(4500)).unwrap();
    })
    .await;
    assert!(error.contains("size limit"), "{error}");
    let carol = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
    assert_eq!(carol.view().note(&first).unwrap().text, "court");
}
