//! Silent writing, decided by the server: a private post-it is kept for its author's seat and
//! never sent to another peer (not one byte in a third participant's or an observer's whole
//! websocket stream, nor in the stored board) until it is revealed; then everyone has it. Only
//! the facilitator reveals everyone's; a participant reveals their own; nobody writes another's
//! or the counts. Against the real binary: on SQLite with a `kill -9` in the middle, and on
//! SQLite and PostgreSQL for the rules.

use app::{ids::NoteId, model::Hidden};
use ardoise_tests::{database_tests, CreatedBoard, Serves, SyncClient, TestServer};

/// Keeps a private post-it; the status.
async fn put_draft(
    server: &impl Serves,
    board: &CreatedBoard,
    seat: &str,
    id: &NoteId,
    text: &str,
    author: &str,
) -> u16 {
    let path = format!("/api/boards/{}/drafts/{id}", board.id);
    let body = serde_json::json!({ "text": text, "x": 40.0, "y": 120.0, "colour": "blue", "author": author });
    server
        .api("PUT", &path, &board.participant, Some(seat), Some(body))
        .await
        .0
}

async fn reveal(
    server: &impl Serves,
    board: &CreatedBoard,
    secret: &str,
    seat: Option<&str>,
    all: bool,
) -> (u16, serde_json::Value) {
    let path = format!("/api/boards/{}/drafts/reveal", board.id);
    server
        .api(
            "POST",
            &path,
            secret,
            seat,
            Some(serde_json::json!({ "all": all })),
        )
        .await
}

async fn drafts_of(server: &impl Serves, board: &CreatedBoard, seat: &str) -> Vec<String> {
    let path = format!("/api/boards/{}/drafts", board.id);
    let (status, answer) = server
        .api("GET", &path, &board.participant, Some(seat), None)
        .await;
    assert_eq!(status, 200, "{answer}");
    answer["drafts"]
        .as_array()
        .expect("drafts")
        .iter()
        .map(|d| d["text"].as_str().unwrap().to_owned())
        .collect()
}

fn hidden(client: &SyncClient) -> Vec<Hidden> {
    client.view().facilitation.writing.hidden
}

#[tokio::test]
async fn a_private_post_it_reaches_no_other_peer_before_the_reveal_and_everyone_after() {
    let mut server = TestServer::start().await;
    let board = server
        .create_workshop("Rétro", "start-stop-continue", "fr")
        .await;
    let mut facilitator = SyncClient::open_with_link(&server, &board.id, &board.facilitator).await;
    facilitator.edit(|b| b.set_private_writing(true)).await;
    // Bob, another participant, and an observer: their whole streams are kept.
    let mut bob = SyncClient::open_recorded(&server, &board.id, &board.participant).await;
    let mut observer = SyncClient::open_recorded(&server, &board.id, &board.observer).await;
    bob.wait_until("private writing starts", |v| v.facilitation.writing.private)
        .await;

    let alice = server.take_seat(&board.id, &board.participant).await;
    let bob_seat = server.take_seat(&board.id, &board.participant).await;
    let (first, second) = (NoteId::random(), NoteId::random());
    const SECRET: &str = "Tarte-aux-pommes-secrete";
    assert_eq!(
        put_draft(&server, &board, &alice, &first, SECRET, "Alice").await,
        200
    );
    assert_eq!(
        put_draft(&server, &board, &alice, &second, "Deuxième idée", "Alice").await,
        200
    );
    // Written again (a page sends its whole post-it at each change): still two.
    assert_eq!(
        put_draft(&server, &board, &alice, &first, SECRET, "Alice").await,
        200
    );
    let two = vec![Hidden {
        name: Some("Alice".into()),
        count: 2,
    }];
    for client in [&mut bob, &mut observer] {
        client
            .wait_until("Alice: 2 post-its", |v| {
                v.facilitation.writing.hidden == two
            })
            .await;
        assert!(client.view().notes.is_empty());
    }

    // Nobody else reads, writes or reveals them.
    assert!(drafts_of(&server, &board, &bob_seat).await.is_empty());
    assert_eq!(
        put_draft(&server, &board, &bob_seat, &first, "Pris !", "Bob").await,
        409
    );
    assert_eq!(
        reveal(&server, &board, &board.participant, Some(&bob_seat), true)
            .await
            .0,
        403
    );
    let observer_put = format!("/api/boards/{}/drafts/{}", board.id, NoteId::random());
    let body = serde_json::json!({ "text": "x", "x": 0, "y": 0, "colour": "yellow" });
    assert_eq!(
        server
            .api("PUT", &observer_put, &board.observer, None, Some(body))
            .await
            .0,
        403
    );
    let stored = server.board_as(&board.id, &board.observer).await;
    assert!(!stored.to_string().contains(SECRET));
    for (who, client) in [("Bob", &bob), ("the observer", &observer)] {
        assert!(!client.stream_contains(SECRET), "{who} got the hidden text");
        assert!(
            !client.stream_contains("Deuxième idée"),
            "{who} got the hidden text"
        );
    }

    // They survive a kill -9.
    server.kill_and_restart().await;
    assert_eq!(
        drafts_of(&server, &board, &alice).await,
        [SECRET, "Deuxième idée"]
    );
    let mut bob = SyncClient::open_recorded(&server, &board.id, &board.participant).await;
    let mut observer = SyncClient::open_recorded(&server, &board.id, &board.observer).await;
    assert_eq!(hidden(&bob), two);
    for client in [&bob, &observer] {
        assert!(
            !client.stream_contains(SECRET),
            "a peer joining later got it"
        );
    }

    // The facilitator reveals everyone's: on the board for all, under the ids Alice's page
    // gave, by her name; private writing ends.
    let (status, answer) = reveal(&server, &board, &board.facilitator, None, true).await;
    assert_eq!(
        (status, answer["revealed"].as_i64()),
        (200, Some(2)),
        "{answer}"
    );
    for client in [&mut bob, &mut observer] {
        let seen = client
            .wait_until("the reveal", |v| v.notes.len() == 2)
            .await;
        let note = seen.note(&first).expect("the post-it under its id");
        assert_eq!(
            (note.text.as_str(), note.author.as_deref()),
            (SECRET, Some("Alice"))
        );
        assert!(client.stream_contains(SECRET));
        assert!(!seen.facilitation.writing.private);
        assert!(seen.facilitation.writing.hidden.is_empty());
    }
    assert!(drafts_of(&server, &board, &alice).await.is_empty());
    // A reveal again writes nothing twice.
    assert_eq!(
        reveal(&server, &board, &board.facilitator, None, true)
            .await
            .1["revealed"],
        0
    );
    let stored = server.board_as(&board.id, &board.observer).await;
    assert_eq!(stored["notes"].as_array().map(Vec::len), Some(2));
}

database_tests! {
    async fn each_reveals_their_own_the_counts_follow_and_nobody_forges_them(db) {
        let server = TestServer::start_on(db).await;
        let board = server.create_workshop("Rétro", "mad-sad-glad", "en").await;
        let mut facilitator = SyncClient::open_with_link(&server, &board.id, &board.facilitator).await;
        facilitator.edit(|b| b.set_private_writing(true)).await;
        let (alice, bob) = (server.take_seat(&board.id, &board.participant).await, server.take_seat(&board.id, &board.participant).await);
        let mine = NoteId::random();
        assert_eq!(put_draft(&server, &board, &alice, &mine, "Mine", "Alice").await, 200);
        let theirs = NoteId::random();
        assert_eq!(put_draft(&server, &board, &bob, &theirs, "Bob's", "Bob").await, 200);
        // Bad input changes nothing.
        assert_eq!(put_draft(&server, &board, &alice, &NoteId::random(), &"x".repeat(5_001), "Alice").await, 400);
        let path = format!("/api/boards/{}/drafts/not%20an%20id", board.id);
        let body = serde_json::json!({ "text": "x", "x": 0, "y": 0, "colour": "yellow" });
        assert_eq!(server.api("PUT", &path, &board.participant, Some(&alice), Some(body)).await.0, 400);
        let path = format!("/api/boards/{}/drafts/{}", board.id, NoteId::random());
        let body = serde_json::json!({ "text": "x", "x": 0, "y": 0, "colour": "gold" });
        assert_eq!(server.api("PUT", &path, &board.participant, Some(&alice), Some(body)).await.0, 400);
        assert_eq!(server.api("PUT", &path, &board.participant, Some("made-up"), Some(serde_json::json!({ "text": "x", "x": 0, "y": 0, "colour": "yellow" }))).await.0, 403);
        let mut carol = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
        let both = vec![Hidden { name: Some("Alice".into()), count: 1 }, Hidden { name: Some("Bob".into()), count: 1 }];
        carol.wait_until("the counts", |v| v.facilitation.writing.hidden == both).await;

        // A participant's hand-made client writes neither the counts nor private writing.
        let error = carol.refused(|b| b.set_hidden(i64::MAX, &[])).await;
        assert!(error.contains("facilitator"), "{error}");
        let mut dave = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
        let error = dave.refused(|b| b.set_private_writing(false)).await;
        assert!(error.contains("facilitator"), "{error}");

        // Alice reveals her own; Bob's stays hidden. Deleting one drops it from the count.
        assert_eq!(reveal(&server, &board, &board.participant, Some(&alice), false).await.0, 200);
        let mut erin = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
        let seen = erin
            .wait_until("Alice's post-it", |v| v.note(&mine).is_some())
            .await;
        assert_eq!(seen.notes.len(), 1);
        assert!(seen.facilitation.writing.private);
        assert_eq!(seen.facilitation.writing.hidden, [Hidden { name: Some("Bob".into()), count: 1 }]);
        let path = format!("/api/boards/{}/drafts/{theirs}", board.id);
        assert_eq!(server.api("DELETE", &path, &board.participant, Some(&alice), None).await.0, 204);
        assert_eq!(drafts_of(&server, &board, &bob).await, ["Bob's"]);
        assert_eq!(server.api("DELETE", &path, &board.participant, Some(&bob), None).await.0, 204);
        erin.wait_until("no private post-it left", |v| v.facilitation.writing.hidden.is_empty()).await;
    }

    async fn on_an_anonymous_board_the_counts_and_the_revealed_post_its_carry_no_name(db) {
        let server = TestServer::start_on(db).await;
        let board = server.create_anonymous_board("Anonyme").await;
        let mut facilitator = SyncClient::open_with_link(&server, &board.id, &board.facilitator).await;
        facilitator.edit(|b| b.set_private_writing(true)).await;
        for (name, text) in [("Alice", "Idée A"), ("Bruno", "Idée B"), ("Alice", "Idée C")] {
            let seat = server.take_seat(&board.id, &board.participant).await;
            assert_eq!(put_draft(&server, &board, &seat, &NoteId::random(), text, name).await, 200);
        }
        let counted = facilitator
            .wait_until("three hidden", |v| v.facilitation.writing.hidden_total() == 3)
            .await;
        assert_eq!(counted.facilitation.writing.hidden, [Hidden { name: None, count: 3 }]);
        assert_eq!(reveal(&server, &board, &board.facilitator, None, true).await.0, 200);
        let seen = facilitator.wait_until("the reveal", |v| v.notes.len() == 3).await;
        assert!(seen.notes.iter().all(|n| n.author.is_none()));
        // One time for all: not when each was written.
        assert!(seen.notes.iter().all(|n| n.created_at == seen.notes[0].created_at));
        let stored = server.board_as(&board.id, &board.observer).await;
        let stored = stored.to_string();
        assert!(!stored.contains("Alice") && !stored.contains("Bruno"), "{stored}");
    }
}
