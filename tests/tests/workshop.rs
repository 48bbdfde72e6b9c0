//! The facilitator's script: templates (listed, applied to a new board in the creator's
//! language, saved from a board for the whole server), phases and the countdown run by the
//! facilitator and followed live by everyone, refused from anyone else's hand-made client, and
//! the server's clock the countdown is read by. On SQLite and PostgreSQL, through the router in
//! this process (real websockets, real databases).

use app::{
    ephemeral::{Presence, View},
    model::{Board, ModelError, NewNote, Phase, Timer, TIMER_STEP_MS},
    protocol::Message,
};
use ardoise_tests::{database_tests, Serves, SyncClient, TestApp};

type Edit = Result<(), ModelError>;
/// An edit a hand-made client tries.
type Attempt = Box<dyn FnOnce(&mut Board) -> Edit>;

/// Sends an edit of the model's own, then reads until the server closes the connection;
/// returns the protocol error it said.
async fn refused(client: &mut SyncClient, edit: impl FnOnce(&mut Board) -> Edit) -> String {
    client.try_edit(edit).await;
    let mut error = None;
    while let Some(message) = client.next_message().await {
        if let Message::Error { message } = message {
            error = Some(message);
        }
    }
    error.expect("the server said why it refused before closing the connection")
}

/// A request with a language and, if given, a link's secret; its status and JSON body.
async fn call(
    server: &TestApp,
    method: &str,
    path: &str,
    lang: &str,
    secret: Option<&str>,
    json: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let bearer = secret.map(|secret| format!("Bearer {secret}"));
    let mut headers = vec![("accept-language", lang)];
    headers.extend(bearer.as_deref().map(|bearer| ("authorization", bearer)));
    server.call(method, path, &headers, json).await
}

fn headings(board: &serde_json::Value) -> Vec<&str> {
    board["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| c["heading"].as_str().expect("a heading"))
        .collect()
}

/// Milliseconds since the Unix epoch by this machine's clock (the server's too).
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64
}

#[tokio::test]
async fn templates_are_listed_in_the_asking_language() {
    let server = TestApp::start().await;
    for (lang, sample) in [("fr", "Commencer"), ("en", "Start")] {
        let (status, list) = call(&server, "GET", "/api/templates", lang, None, None).await;
        assert_eq!(status, 200);
        let list = list.as_array().expect("a list").clone();
        let ids: Vec<&str> = list.iter().map(|t| t["id"].as_str().unwrap()).collect();
        for id in [
            "blank",
            "bilan-formation",
            "start-stop-continue",
            "mad-sad-glad",
            "4l",
            "meteo",
            "vision-2030",
            "consentement",
            "accords",
        ] {
            assert!(ids.contains(&id), "{id} in {ids:?}");
        }
        let ssc = list
            .iter()
            .find(|t| t["id"] == "start-stop-continue")
            .unwrap();
        assert_eq!(ssc["columns"][0], sample);
        assert_eq!(ssc["columns"].as_array().unwrap().len(), 3);
        assert_eq!(ssc["built_in"], true);
        let four = list.iter().find(|t| t["id"] == "4l").unwrap();
        assert_eq!(four["columns"].as_array().unwrap().len(), 4);
        assert_eq!(four["phases"][0], "writing");
    }
}

database_tests! {
    async fn a_board_starts_from_a_template_in_its_creators_language_and_can_be_saved_as_one(db) {
        let server = TestApp::start_on(db).await;
        let (status, created) = call(
            &server, "POST", "/api/boards", "en-GB,en;q=0.9", None,
            Some(serde_json::json!({ "title": "Sprint 12", "template": "start-stop-continue" })),
        ).await;
        assert_eq!(status, 201);
        let id = created["id"].as_str().unwrap().to_owned();
        let link = created["links"]["facilitator"].as_str().unwrap().to_owned();
        let facilitator = link.rsplit_once("k=").unwrap().1.to_owned();
        let participant = created["links"]["participant"].as_str().unwrap().rsplit_once("k=").unwrap().1.to_owned();
        let board_path = format!("/api/boards/{id}");
        let (_, board) = call(&server, "GET", &board_path, "fr", Some(&participant), None).await;
        // The creator's language, whoever reads it later.
        assert_eq!(headings(&board), ["Start", "Stop", "Continue"]);
        let script = &board["facilitation"];
        assert_eq!(script["template"], "start-stop-continue");
        assert_eq!(script["phase"], "writing");
        assert_eq!(script["phases"], serde_json::json!(["writing", "reveal", "grouping", "voting", "discussion"]));
        assert!(script["instructions"].as_str().unwrap().contains("start doing"));

        // An unknown template is a 400, and creates nothing.
        let boards = "SELECT COUNT(*) FROM boards";
        let before = server.database.count(boards).await;
        let (status, answer) = call(
            &server, "POST", "/api/boards", "fr", None,
            Some(serde_json::json!({ "title": "x", "template": "retro-du-futur" })),
        ).await;
        assert_eq!(status, 400);
        assert!(answer["error"].as_str().unwrap().contains("retro-du-futur"));
        assert_eq!(server.database.count(boards).await, before);

        // The facilitator saves it as a template of this server; nobody else may.
        let save = format!("/api/boards/{id}/template");
        let name = serde_json::json!({ "name": "Rétro de l'équipe" });
        let (status, _) = call(&server, "POST", &save, "fr", Some(&participant), Some(name.clone())).await;
        assert_eq!(status, 403);
        let (status, _) = call(&server, "POST", &save, "fr", Some(&facilitator), Some(serde_json::json!({ "name": " " }))).await;
        assert_eq!(status, 400);
        let (status, saved) = call(&server, "POST", &save, "fr", Some(&facilitator), Some(name.clone())).await;
        assert_eq!(status, 201);
        assert_eq!(saved["id"], "retro-de-l-equipe");
        assert_eq!(saved["built_in"], false);
        // The same name again gets an id of its own.
        let (_, again) = call(&server, "POST", &save, "fr", Some(&facilitator), Some(name)).await;
        assert_eq!(again["id"], "retro-de-l-equipe-2");

        let (_, list) = call(&server, "GET", "/api/templates", "fr", None, None).await;
        let mine = list.as_array().unwrap().iter().find(|t| t["id"] == "retro-de-l-equipe").expect("listed");
        assert_eq!(mine["name"], "Rétro de l'équipe");
        assert_eq!(mine["columns"], serde_json::json!(["Start", "Stop", "Continue"]));
        // The home page offers it.
        let home = server.get("/", &[("accept-language", "fr")]).await.text();
        assert!(home.contains(r#"value="retro-de-l-equipe""#), "{home}");

        // A board made from it has its columns and script.
        let (status, from_saved) = call(
            &server, "POST", "/api/boards", "fr", None,
            Some(serde_json::json!({ "title": "Sprint 13", "template": "retro-de-l-equipe" })),
        ).await;
        assert_eq!(status, 201);
        let secret = from_saved["links"]["observer"].as_str().unwrap().rsplit_once("k=").unwrap().1.to_owned();
        let path = format!("/api/boards/{}", from_saved["id"].as_str().unwrap());
        let (_, board) = call(&server, "GET", &path, "fr", Some(&secret), None).await;
        assert_eq!(headings(&board), ["Start", "Stop", "Continue"]);
        assert_eq!(board["facilitation"]["phases"][3], "voting");

        // Without a template, a board is as before templates: no columns, no script.
        let (_, plain) = call(&server, "POST", "/api/boards", "fr", None, Some(serde_json::json!({ "title": "Libre" }))).await;
        let secret = plain["links"]["observer"].as_str().unwrap().rsplit_once("k=").unwrap().1.to_owned();
        let path = format!("/api/boards/{}", plain["id"].as_str().unwrap());
        let (_, board) = call(&server, "GET", &path, "fr", Some(&secret), None).await;
        assert_eq!(board["columns"], serde_json::json!([]));
        assert_eq!(board["facilitation"]["phases"], serde_json::json!([]));
    }

    async fn the_facilitator_runs_phases_and_the_countdown_and_nobody_else_can(db) {
        let server = TestApp::start_on(db).await;
        let board = server.create_workshop("Bilan", "bilan-formation", "fr").await;
        let mut facilitator = SyncClient::open_with_link(&server, &board.id, &board.facilitator).await;
        let mut participant = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
        let mut observer = SyncClient::open_with_link(&server, &board.id, &board.observer).await;
        assert_eq!(participant.view().columns.len(), 4);
        assert_eq!(participant.view().facilitation.phase, Some(Phase::Writing));

        // The facilitator's countdown, by the server's clock, and the next phase: live for all.
        let server_now = facilitator.server_clock().expect("the server told its clock");
        facilitator.edit(|b| b.start_timer(server_now, 5 * 60_000)).await;
        facilitator.edit(|b| b.set_phase(Phase::Reveal)).await;
        let running = Timer::Running { ends_at: server_now + 300_000, remaining: 300_000 };
        for client in [&mut participant, &mut observer] {
            let seen = client
                .wait_until("the phase and countdown arrive", |v| {
                    v.facilitation.phase == Some(Phase::Reveal) && v.facilitation.timer == Some(running)
                })
                .await;
            assert_eq!(seen.facilitation.timer, Some(running));
        }

        // A participant's hand-made client tries to run the workshop itself: each attempt is
        // refused, the connection closed, nothing stored or relayed.
        let attempts: Vec<Attempt> = vec![
            Box::new(|b| b.set_phase(Phase::Voting)),
            Box::new(move |b| b.pause_timer(server_now + 1_000)),
            Box::new(move |b| b.add_to_timer(server_now, TIMER_STEP_MS)),
            Box::new(|b| b.stop_timer()),
            Box::new(|b| b.set_instructions("Votez pour moi")),
            Box::new(move |b| b.start_timer(server_now, 1_000)),
        ];
        for attempt in attempts {
            let mut rogue = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
            let error = refused(&mut rogue, attempt).await;
            assert!(error.contains("facilitator"), "{error}");
        }
        // The participant still writes post-its, and the others see the script unchanged.
        let note = participant.edit(|b| b.add_note(NewNote::with_text("Très concret").at(10.0, 10.0))).await;
        let seen = observer.wait_until("the post-it arrives", |v| v.note(&note).is_some()).await;
        assert_eq!(seen.facilitation.phase, Some(Phase::Reveal));
        assert_eq!(seen.facilitation.timer, Some(running));
        assert!(seen.facilitation.instructions.starts_with("Une idée par post-it"));

        // Paused, then stopped by the facilitator; a newcomer reads what is stored.
        facilitator.edit(|b| b.pause_timer(server_now + 60_000)).await;
        participant
            .wait_until("the pause arrives", |v| v.facilitation.timer == Some(Timer::Paused { remaining: 240_000 }))
            .await;
        let fresh = SyncClient::open_with_link(&server, &board.id, &board.observer).await;
        assert_eq!(fresh.view().facilitation.timer, Some(Timer::Paused { remaining: 240_000 }));
        assert_eq!(fresh.view().facilitation.phase, Some(Phase::Reveal));
        facilitator.edit(|b| b.stop_timer()).await;
        participant.wait_until("the countdown goes", |v| v.facilitation.timer.is_none()).await;
    }
}

database_tests! {
    async fn on_an_anonymous_board_no_name_is_written_nor_sent(db) {
        let server = TestApp::start_on(db).await;
        let (status, created) = call(
            &server, "POST", "/api/boards", "fr", None,
            Some(serde_json::json!({ "title": "Anonyme", "anonymous": true })),
        ).await;
        assert_eq!(status, 201);
        let id = app::ids::BoardId::parse(created["id"].as_str().unwrap()).unwrap();
        let secret = |role: &str| created["links"][role].as_str().unwrap().rsplit_once("k=").unwrap().1.to_owned();
        let (participant, facilitator) = (secret("participant"), secret("facilitator"));
        let mut alice = SyncClient::open_with_link(&server, &id, &participant).await;
        let mut bob = SyncClient::open_with_link(&server, &id, &participant).await;
        assert!(alice.view().facilitation.anonymous);

        // A post-it without a name is taken; one with its author's name is refused, from any
        // link, the facilitator's too, and nothing of it stored or relayed.
        let kept = alice.edit(|b| b.add_note(NewNote::with_text("Sans nom").at(0.0, 0.0))).await;
        for secret in [&participant, &facilitator] {
            let mut named = SyncClient::open_with_link(&server, &id, secret).await;
            let note = NewNote { author: Some("Alice".into()), ..NewNote::with_text("Signé") };
            let error = refused(&mut named, move |b| b.add_note(note).map(|_| ())).await;
            assert!(error.contains("anonymous"), "{error}");
        }
        let mut typist = SyncClient::open_with_link(&server, &id, &participant).await;
        let error = refused(&mut typist, |b| {
            let note = b.add_note(NewNote::with_text("x").at(0.0, 0.0))?;
            b.set_action_owner(&note, "personne")?;
            b.add_note(NewNote { author: Some("Bruno".into()), ..NewNote::with_text("y") }).map(|_| ())
        })
        .await;
        assert!(error.contains("anonymous"), "{error}");
        let seen = bob.wait_until("the nameless post-it arrives", |v| v.note(&kept).is_some()).await;
        assert_eq!(seen.notes.len(), 1);
        assert!(seen.notes.iter().all(|n| n.author.is_none()));

        // Alice's presence reaches Bob without her name, nor the post-it she types in.
        alice
            .send_presence(&Presence {
                name: "Alice".into(),
                colour: "#1d5fbf".into(),
                editing: Some(kept.clone()),
                ..Presence::default()
            })
            .await;
        let heard = bob.wait_for_presences("Alice's presence", |p| !p.is_empty()).await;
        let presence = heard.values().next().unwrap();
        assert_eq!((presence.name.as_str(), presence.editing.as_ref()), ("", None));
        assert_eq!(presence.colour, "#1d5fbf");

        // Nothing with a name is stored.
        let (_, stored) = call(&server, "GET", &format!("/api/boards/{id}"), "fr", Some(&participant), None).await;
        let notes = stored["notes"].as_array().unwrap();
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0]["author"], serde_json::Value::Null);
        let saved = stored.to_string();
        assert!(!saved.contains("Alice") && !saved.contains("Bruno"), "{saved}");
    }
}

#[tokio::test]
async fn a_text_longer_than_the_page_writes_is_refused_from_a_hand_made_client() {
    let server = TestApp::start().await;
    let board = server.create_workshop("Actions", "blank", "fr").await;
    let mut participant = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
    let note = participant
        .edit(|b| b.add_note(NewNote::with_text("Action").at(0.0, 0.0)))
        .await;
    participant.edit(|b| b.set_action(&note, true)).await;
    let mut rogue = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
    let id = note.to_string();
    let error = rogue
        .refused_raw(move |doc| {
            use automerge::{transaction::Transactable, ObjType, ReadDoc, ROOT};
            let (_, notes) = doc.get(ROOT, "notes").unwrap().unwrap();
            let (_, obj) = doc.get(&notes, id.as_str()).unwrap().unwrap();
            let owner = doc.put_object(&obj, "owner", ObjType::Text).unwrap();
            doc.splice_text(&owner, 0, 0, &"x".repeat(app::model::MAX_OWNER_CHARS + 1))
                .unwrap();
        })
        .await;
    assert!(error.contains("longer"), "{error}");
    // Within the limit, the same is taken.
    participant
        .edit(|b| b.set_action_owner(&note, &"x".repeat(app::model::MAX_OWNER_CHARS)))
        .await;
    let fresh = SyncClient::open_with_link(&server, &board.id, &board.observer).await;
    let owner = fresh
        .view()
        .note(&note)
        .unwrap()
        .action
        .clone()
        .unwrap()
        .owner;
    assert_eq!(owner.chars().count(), app::model::MAX_OWNER_CHARS);

    // A group's title longer than the page writes is refused too; the board's title, longer,
    // is still taken.
    let other = participant
        .edit(|b| b.add_note(NewNote::with_text("Autre").at(400.0, 0.0)))
        .await;
    let group = participant.edit(|b| b.group_with(&other, &note)).await;
    let mut rogue = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
    let id = group.to_string();
    let error = rogue
        .refused_raw(move |doc| {
            use automerge::{transaction::Transactable, ObjType, ReadDoc, ROOT};
            let (_, groups) = doc.get(ROOT, "groups").unwrap().unwrap();
            let (_, obj) = doc.get(&groups, id.as_str()).unwrap().unwrap();
            let title = doc.put_object(&obj, "title", ObjType::Text).unwrap();
            doc.splice_text(&title, 0, 0, &"x".repeat(app::model::MAX_HEADING_CHARS + 1))
                .unwrap();
        })
        .await;
    assert!(error.contains("longer"), "{error}");
    participant
        .edit(|b| b.set_title(&"t".repeat(app::model::MAX_TITLE_CHARS)))
        .await;
}

#[tokio::test]
async fn the_server_tells_each_peer_its_clock_on_joining() {
    let server = TestApp::start().await;
    let board = server.create_workshop("Horloge", "meteo", "fr").await;
    let before = now_ms();
    let client = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
    let after = now_ms();
    let clock = client.server_clock().expect("an ardoise/clock notice");
    assert!(
        (before..=after).contains(&clock),
        "the server's clock ({clock}) read between {before} and {after}"
    );
}

#[tokio::test]
async fn only_the_facilitators_presence_brings_everyone_to_its_view() {
    let server = TestApp::start().await;
    let board = server.create_closed_board("Suivre").await;
    let mut facilitator = SyncClient::open_with_link(&server, &board.id, &board.facilitator).await;
    let mut alice = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
    let mut bob = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
    let view = View {
        x: 500.0,
        y: 300.0,
        zoom: 0.5,
    };
    // A participant's hand-made presence that says it brings everyone: relayed with its view,
    // which anyone may follow, but bringing no one.
    alice
        .send_presence(&Presence {
            name: "Alice".into(),
            view: Some(view),
            summon: 4,
            ..Presence::default()
        })
        .await;
    let heard = bob
        .wait_for_presences("Alice's presence", |p| {
            p.values().any(|p| p.name == "Alice")
        })
        .await;
    let seen = heard.values().find(|p| p.name == "Alice").unwrap();
    assert_eq!((seen.view, seen.summon), (Some(view), 0));
    facilitator
        .send_presence(&Presence {
            name: "Camille".into(),
            view: Some(view),
            summon: 1,
            ..Presence::default()
        })
        .await;
    let heard = bob
        .wait_for_presences("the facilitator's presence", |p| {
            p.values().any(|p| p.name == "Camille")
        })
        .await;
    assert_eq!(
        heard.values().find(|p| p.name == "Camille").unwrap().summon,
        1
    );
}
