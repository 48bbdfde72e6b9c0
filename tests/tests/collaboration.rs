//! Two people on one board, through the server's router in this process (real websockets, a
//! real SQLite file); the restart test runs the real binary.

use std::{sync::Arc, time::Duration};

use app::{
    ephemeral::Presence,
    model::{Colour, Dot, NewNote},
    protocol::MAX_EPHEMERAL_PER_SECOND,
};
use ardoise_tests::{Db, Serves, SyncClient, TestApp, TestDatabase, TestServer};

#[tokio::test]
async fn each_client_sees_the_other_s_post_its_added_edited_moved_recoloured_and_deleted() {
    let server = TestApp::start().await;
    let board = server.create_board("Rétrospective").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let mut bob = SyncClient::open(&server, &board).await;
    assert_eq!(bob.view().title, "Rétrospective");

    let id = alice
        .edit(|b| b.add_note(NewNote::with_text("Ce qui a bien marché").at(40.0, 60.0)))
        .await;
    let seen = bob
        .wait_until("bob sees alice's note", |v| v.note(&id).is_some())
        .await;
    assert_eq!(seen.note(&id).unwrap().text, "Ce qui a bien marché");

    bob.edit(|b| b.set_note_text(&id, "Ce qui a très bien marché"))
        .await;
    bob.edit(|b| b.move_note(&id, 300.0, 120.0)).await;
    bob.edit(|b| b.set_note_colour(&id, Colour::Blue)).await;
    let seen = alice
        .wait_until("alice sees bob's edits", |v| {
            v.note(&id).is_some_and(|n| n.colour == Colour::Blue)
        })
        .await;
    let n = seen.note(&id).unwrap();
    assert_eq!(
        (n.text.as_str(), n.x, n.y),
        ("Ce qui a très bien marché", 300.0, 120.0)
    );

    alice.edit(|b| b.delete_note(&id)).await;
    bob.wait_until("bob sees the deletion", |v| v.notes.is_empty())
        .await;
}

#[tokio::test]
async fn two_people_typing_in_the_same_post_it_both_keep_their_words() {
    let server = TestApp::start().await;
    let board = server.create_board("Météo").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let mut bob = SyncClient::open(&server, &board).await;
    let id = alice
        .edit(|b| b.add_note(NewNote::with_text("soleil").at(0.0, 0.0)))
        .await;
    bob.wait_until("bob sees the note", |v| v.note(&id).is_some())
        .await;

    // Both type before seeing each other's words.
    alice.edit(|b| b.set_note_text(&id, "grand soleil")).await;
    bob.edit(|b| b.set_note_text(&id, "soleil et nuages")).await;

    let expected = "grand soleil et nuages";
    let has_both = |v: &app::model::BoardView| v.note(&id).is_some_and(|n| n.text == expected);
    alice.wait_until("alice has both words", has_both).await;
    bob.wait_until("bob has both words", has_both).await;
}

#[tokio::test]
async fn concurrent_moves_of_the_same_post_it_converge() {
    let server = TestApp::start().await;
    let board = server.create_board("Atelier").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let mut bob = SyncClient::open(&server, &board).await;
    let id = alice
        .edit(|b| b.add_note(NewNote::with_text("").at(0.0, 0.0)))
        .await;
    bob.wait_until("bob sees the note", |v| v.note(&id).is_some())
        .await;

    alice.edit(|b| b.move_note(&id, 100.0, 100.0)).await;
    bob.edit(|b| b.move_note(&id, 500.0, 500.0)).await;
    // A last edit that both must see, so that each has received everything before comparing.
    alice.edit(|b| b.set_note_text(&id, "done")).await;
    let bob_view = bob
        .wait_until("bob sees the last edit", |v| {
            v.note(&id).is_some_and(|n| n.text == "done")
        })
        .await;
    let alice_view = alice
        .wait_until("alice sees bob's move", |v| v == &bob_view)
        .await;
    assert_eq!(alice_view, bob_view);
}

#[tokio::test]
async fn a_tab_that_reconnects_before_its_old_connection_closes_keeps_receiving() {
    let server = TestApp::start().await;
    let board = server.create_board("Wifi d'hôtel").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let bob = app::ids::PeerId::random();
    let old_connection = SyncClient::open_as(&server, &board, &bob).await;
    let mut new_connection = SyncClient::open_as(&server, &board, &bob).await;
    // The server learns only now that the old connection is gone.
    old_connection.close().await;

    let id = alice
        .edit(|b| b.add_note(NewNote::with_text("toujours là ?").at(0.0, 0.0)))
        .await;
    new_connection
        .wait_until("the reconnected tab sees alice's note", |v| {
            v.note(&id).is_some()
        })
        .await;
}

#[tokio::test]
async fn boards_survive_a_server_kill_and_restart() {
    let mut server = TestServer::start().await;
    let board = server.create_board("Bilan 2030").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let mut bob = SyncClient::open(&server, &board).await;
    let first = alice
        .edit(|b| b.add_note(NewNote::with_text("Où serons-nous en 2030 ?").at(10.0, 20.0)))
        .await;
    let second = alice
        .edit(|b| b.add_note(NewNote::with_text("Des tiers-lieux partout").at(200.0, 20.0)))
        .await;
    alice
        .edit(|b| b.set_note_colour(&second, Colour::Green))
        .await;
    // Once bob has seen it, the server has stored it.
    let seen = bob
        .wait_until("bob sees both notes", |v| {
            v.note(&second).is_some_and(|n| n.colour == Colour::Green) && v.note(&first).is_some()
        })
        .await;
    drop((alice, bob));

    server.kill_and_restart().await;

    let carol = SyncClient::open(&server, &board).await;
    assert_eq!(carol.view(), seen);
    let json = server.board_json(&board).await;
    assert_eq!(json["title"], "Bilan 2030");
    assert_eq!(json["notes"].as_array().map(Vec::len), Some(2));
    let stored = json["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == second.as_str());
    assert_eq!(stored.unwrap()["colour"], "green");
}

#[tokio::test]
async fn a_board_nobody_has_open_leaves_memory_and_comes_back_when_opened() {
    let database = Arc::new(TestDatabase::new(Db::Sqlite));
    let server = TestApp::start_with(database, Duration::from_secs(1)).await;
    let board = server.create_board("Pause déjeuner").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let id = alice
        .edit(|b| b.add_note(NewNote::with_text("avant la pause").at(10.0, 10.0)))
        .await;
    assert_eq!(server.metric("ardoise_open_boards").await, 1.0);
    alice.close().await;

    server.wait_until_no_board_is_open().await;
    let mut bob = SyncClient::open(&server, &board).await;
    bob.wait_until("bob finds the post-it after the board was unloaded", |v| {
        v.note(&id).is_some_and(|n| n.text == "avant la pause")
    })
    .await;
    assert_eq!(server.metric("ardoise_open_boards").await, 1.0);
    bob.edit(|b| b.set_note_text(&id, "après la pause")).await;
    assert_eq!(
        server.board_json(&board).await["notes"][0]["text"],
        "après la pause"
    );
}

#[tokio::test]
async fn presence_reaches_the_others_and_goes_when_a_person_leaves_without_touching_the_board() {
    let server = TestApp::start().await;
    let board = server.create_board("Atelier").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let mut bob = SyncClient::open(&server, &board).await;
    let mut carol = SyncClient::open(&server, &board).await;
    let before = alice.view();

    let id = app::ids::NoteId::random();
    let presence = Presence {
        name: "Bob".into(),
        colour: "#1d5fbf".into(),
        cursor: Some((120.0, 80.0)),
        editing: Some(id.clone()),
        dragging: None,
        ..Presence::default()
    };
    bob.send_presence(&presence).await;
    let bob_id = bob.peer_id().clone();
    for client in [&mut alice, &mut carol] {
        let seen = client
            .wait_for_presences("bob's presence arrives", |p| p.contains_key(&bob_id))
            .await;
        assert_eq!(seen[&bob_id], presence);
    }

    // Bob closes his tab: the server tells the others at once.
    drop(bob);
    for client in [&mut alice, &mut carol] {
        client
            .wait_for_presences("bob's presence goes", |p| !p.contains_key(&bob_id))
            .await;
    }
    // Presence is not part of the board: nothing was written.
    assert_eq!(alice.view(), before);
    let response: serde_json::Value =
        reqwest::get(format!("{}/api/boards/{board}", server.http_url()))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(response["notes"], serde_json::json!([]));
}

#[tokio::test]
async fn concurrent_moves_edits_resizes_and_dots_on_the_same_post_its_converge() {
    let server = TestApp::start().await;
    let board = server.create_board("Atelier").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let mut bob = SyncClient::open(&server, &board).await;
    let column = alice.edit(|b| b.add_column("Idées")).await;
    let ids: Vec<_> = {
        let mut ids = Vec::new();
        for i in 0..4 {
            ids.push(
                alice
                    .edit(|b| b.add_note(NewNote::with_text("").at(40.0 * f64::from(i), 100.0)))
                    .await,
            );
        }
        ids
    };
    bob.wait_until("bob sees the post-its", |v| v.notes.len() == 4)
        .await;

    // Both work on the same post-its at once, without waiting for each other.
    for round in 0..10 {
        let f = f64::from(round);
        for (i, id) in ids.iter().enumerate() {
            let (a, b) = (id.clone(), id.clone());
            let text = format!("alice {round} ");
            alice
                .try_edit(move |board| {
                    board.move_note(&a, 400.0 + f * 10.0, 50.0 * i as f64)?;
                    let old = board
                        .view()
                        .note(&a)
                        .map(|n| n.text.clone())
                        .unwrap_or_default();
                    board.set_note_text(&a, &format!("{old}{text}"))?;
                    board.add_dots(&a, Dot::Red, 1)
                })
                .await;
            let text = format!("bob {round} ");
            bob.try_edit(move |board| {
                board.move_note(&b, 10.0 + f, 500.0 + f)?;
                board.resize_note(&b, 200.0 + f, 180.0)?;
                let old = board
                    .view()
                    .note(&b)
                    .map(|n| n.text.clone())
                    .unwrap_or_default();
                board.set_note_text(&b, &format!("{text}{old}"))?;
                board.add_dots(&b, Dot::Red, 1)
            })
            .await;
        }
        if round == 5 {
            bob.try_edit(|board| board.move_column(&column, 1).map(|_| ()))
                .await;
        }
    }
    // A last edit each, that the other must see: then each has received everything.
    alice.edit(|b| b.set_title("fin alice")).await;
    bob.wait_until("bob sees alice's last edit", |v| v.title == "fin alice")
        .await;
    bob.edit(|b| b.set_note_colour(&ids[0], Colour::Green))
        .await;
    let alice_view = alice
        .wait_until("alice sees bob's last edit", |v| {
            v.note(&ids[0]).is_some_and(|n| n.colour == Colour::Green)
        })
        .await;
    let bob_view = bob
        .wait_until("bob holds the same board", |v| v == &alice_view)
        .await;
    assert_eq!(alice_view, bob_view);
    for id in &ids {
        let note = alice_view.note(id).unwrap();
        // Every dot counted, both people's words kept, one of the two moves won.
        assert_eq!(note.dots(Dot::Red), 20);
        assert_eq!(note.text.matches("alice").count(), 10, "{}", note.text);
        assert_eq!(note.text.matches("bob").count(), 10, "{}", note.text);
        assert_eq!((note.w, note.h), (209.0, 180.0));
    }
    // A newcomer gets exactly the same board.
    let carol = SyncClient::open(&server, &board).await;
    assert_eq!(carol.view(), alice_view);
}

#[tokio::test]
async fn a_flood_of_ephemeral_messages_is_limited_and_disconnects_no_one() {
    let server = TestApp::start().await;
    let board = server.create_board("Atelier").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let mut bob = SyncClient::open(&server, &board).await;
    // 12 MB of the largest ephemeral messages while Bob reads nothing: the server relays at most
    // MAX_EPHEMERAL_PER_SECOND of them a second.
    let started = std::time::Instant::now();
    for _ in 0..3_000 {
        alice
            .send_ephemeral(vec![7; app::protocol::MAX_EPHEMERAL_BYTES])
            .await;
    }
    let seconds = started.elapsed().as_secs() as usize + 1;
    let id = alice
        .edit(|b| b.add_note(NewNote::with_text("après").at(0.0, 0.0)))
        .await;
    bob.wait_until("bob, still connected, sees the post-it", |v| {
        v.note(&id).is_some()
    })
    .await;
    let relayed = bob.ephemeral_received();
    assert!(
        relayed > 0 && relayed <= MAX_EPHEMERAL_PER_SECOND * (seconds + 1),
        "{relayed} relayed in {seconds} s"
    );
}
