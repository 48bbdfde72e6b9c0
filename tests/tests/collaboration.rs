//! Two people on one board, through the real server.

use std::sync::Arc;

use app::model::{Colour, NewNote};
use ardoise_tests::{Db, SyncClient, TestDatabase, TestServer};

fn note(text: &str, x: f64, y: f64) -> NewNote {
    NewNote {
        text: text.into(),
        x,
        y,
        colour: Colour::Yellow,
        author: None,
        created_at: 1,
    }
}

#[tokio::test]
async fn each_client_sees_the_other_s_post_its_added_edited_moved_recoloured_and_deleted() {
    let server = TestServer::start().await;
    let board = server.create_board("Rétrospective").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let mut bob = SyncClient::open(&server, &board).await;
    assert_eq!(bob.view().title, "Rétrospective");

    let id = alice
        .edit(|b| b.add_note(note("Ce qui a bien marché", 40.0, 60.0)))
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
    let server = TestServer::start().await;
    let board = server.create_board("Météo").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let mut bob = SyncClient::open(&server, &board).await;
    let id = alice.edit(|b| b.add_note(note("soleil", 0.0, 0.0))).await;
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
    let server = TestServer::start().await;
    let board = server.create_board("Atelier").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let mut bob = SyncClient::open(&server, &board).await;
    let id = alice.edit(|b| b.add_note(note("", 0.0, 0.0))).await;
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
    let server = TestServer::start().await;
    let board = server.create_board("Wifi d'hôtel").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let bob = app::ids::PeerId::random();
    let old_connection = SyncClient::open_as(&server, &board, &bob).await;
    let mut new_connection = SyncClient::open_as(&server, &board, &bob).await;
    // The server learns only now that the old connection is gone.
    old_connection.close().await;

    let id = alice
        .edit(|b| b.add_note(note("toujours là ?", 0.0, 0.0)))
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
        .edit(|b| b.add_note(note("Où serons-nous en 2030 ?", 10.0, 20.0)))
        .await;
    let second = alice
        .edit(|b| b.add_note(note("Des tiers-lieux partout", 200.0, 20.0)))
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
    let server = TestServer::start_with(database, &["--idle-unload-secs", "1"]).await;
    let board = server.create_board("Pause déjeuner").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let id = alice
        .edit(|b| b.add_note(note("avant la pause", 10.0, 10.0)))
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
