//! Several `ardoise` processes on one PostgreSQL database serve the same board live: a client on
//! one server sees what a client on the other does without reloading, through PostgreSQL's
//! LISTEN/NOTIFY and the change log. Real processes, a real PostgreSQL, real websockets.

use std::{collections::BTreeSet, sync::Arc};

use app::model::NewNote;
use ardoise_tests::{Db, Serves, SyncClient, TestDatabase, TestServer};

fn texts(client: &SyncClient) -> BTreeSet<String> {
    client.view().notes.into_iter().map(|n| n.text).collect()
}

#[tokio::test]
async fn a_client_of_one_server_sees_the_changes_made_through_another_at_once() {
    let first = TestServer::start_on(Db::Postgres).await;
    let second = first.another_instance().await;
    let board = first.create_board("Deux salles").await;
    let mut alice = SyncClient::open(&first, &board).await;
    let mut bob = SyncClient::open(&second, &board).await;

    let id = alice
        .edit(|b| b.add_note(NewNote::with_text("depuis le premier")))
        .await;
    bob.wait_until("bob, on the other server, sees alice's post-it", |v| {
        v.note(&id).is_some()
    })
    .await;
    bob.edit(|b| b.set_note_text(&id, "depuis le premier, revu par bob"))
        .await;
    alice
        .wait_until("alice sees bob's edit", |v| {
            v.note(&id)
                .is_some_and(|n| n.text.ends_with("revu par bob"))
        })
        .await;

    // Both write at once, on both servers: both end up with everything, live.
    let mut written = BTreeSet::from(["depuis le premier, revu par bob".to_owned()]);
    for i in 0..20 {
        let (a, b) = (format!("alice {i}"), format!("bob {i}"));
        alice
            .edit(|board| board.add_note(NewNote::with_text(&a)))
            .await;
        bob.edit(|board| board.add_note(NewNote::with_text(&b)))
            .await;
        written.extend([a, b]);
    }
    alice
        .wait_until("alice has all 41 post-its", |v| v.notes.len() == 41)
        .await;
    bob.wait_until("bob has all 41 post-its", |v| v.notes.len() == 41)
        .await;
    assert_eq!(texts(&alice), written);
    assert_eq!(texts(&bob), written);
}

#[tokio::test]
async fn a_board_deleted_through_one_server_closes_for_the_clients_of_another() {
    let first = TestServer::start_on(Db::Postgres).await;
    let second = first.another_instance().await;
    let created = first.create_closed_board("Éphémère").await;
    let board = created.id.clone();
    let mut bob = SyncClient::open_with_link(&second, &board, &created.participant).await;

    let url = format!("{}/api/boards/{board}", first.http_url());
    let response = reqwest::Client::new()
        .delete(&url)
        .bearer_auth(&created.facilitator)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let kinds = bob.kinds_until_unavailable().await;
    assert_eq!(
        kinds.last().map(String::as_str),
        Some("doc-unavailable"),
        "bob, on the other server, got {kinds:?}"
    );
}

#[tokio::test]
async fn a_server_that_lost_its_listening_connection_catches_up_then_unloads_idle_boards() {
    let database = Arc::new(TestDatabase::new(Db::Postgres));
    let quick_unload = ["--idle-unload-secs", "1"];
    let first = TestServer::start_with(database.clone(), &quick_unload).await;
    let second = TestServer::start_with(database.clone(), &quick_unload).await;
    let board = first.create_board("Coupure").await;
    let mut alice = SyncClient::open(&first, &board).await;
    let mut bob = SyncClient::open(&second, &board).await;
    let id = alice
        .edit(|b| b.add_note(NewNote::with_text("avant")))
        .await;
    bob.wait_until("bob sees the first post-it", |v| v.note(&id).is_some())
        .await;

    // Both servers lose their LISTEN connection; alice writes before they are back.
    database.cut_listening_connections(2).await;
    let id = alice
        .edit(|b| b.add_note(NewNote::with_text("pendant la coupure")))
        .await;
    bob.wait_until("bob sees the post-it written while nobody listened", |v| {
        v.note(&id).is_some()
    })
    .await;
    let id = alice
        .edit(|b| b.add_note(NewNote::with_text("après")))
        .await;
    bob.wait_until("bob sees the post-it written after", |v| {
        v.note(&id).is_some()
    })
    .await;

    // Cut again, with nothing written after: once everyone has left, both servers still unload
    // the board (a catch-up that found nothing new must not leave it waiting for more, polling
    // the database and kept in memory forever).
    database.cut_listening_connections(2).await;
    drop((alice, bob));
    first.wait_until_no_board_is_open().await;
    second.wait_until_no_board_is_open().await;
}

#[tokio::test]
async fn presence_reaches_the_clients_of_another_server_and_goes_when_its_owner_leaves() {
    let first = TestServer::start_on(Db::Postgres).await;
    let second = first.another_instance().await;
    let board = first.create_board("Deux salles").await;
    let mut alice = SyncClient::open(&first, &board).await;
    let mut bob = SyncClient::open(&second, &board).await;
    // Both servers listen once each has relayed a change the other made.
    let id = alice
        .edit(|b| b.add_note(NewNote::with_text("présent")))
        .await;
    bob.wait_until("bob sees alice's post-it", |v| v.note(&id).is_some())
        .await;

    let presence = app::ephemeral::Presence {
        name: "Alice".into(),
        colour: "#1d5fbf".into(),
        cursor: Some((10.0, 20.0)),
        editing: Some(id),
        dragging: None,
        ..app::ephemeral::Presence::default()
    };
    alice.send_presence(&presence).await;
    let alice_id = alice.peer_id().clone();
    let seen = bob
        .wait_for_presences("alice's presence crosses servers", |p| {
            p.contains_key(&alice_id)
        })
        .await;
    assert_eq!(seen[&alice_id], presence);

    drop(alice);
    bob.wait_for_presences("alice's departure crosses servers", |p| {
        !p.contains_key(&alice_id)
    })
    .await;
}

#[tokio::test]
async fn a_link_renewed_through_one_server_locks_out_its_holders_on_another() {
    let first = TestServer::start_on(Db::Postgres).await;
    let second = first.another_instance().await;
    let created = first.create_closed_board("Deux portes").await;
    let board = created.id.clone();
    let mut observer = SyncClient::open_with_link(&second, &board, &created.observer).await;
    let mut participant = SyncClient::open_with_link(&second, &board, &created.participant).await;

    let url = format!("{}/api/boards/{board}/links/observer", first.http_url());
    let response = reqwest::Client::new()
        .post(&url)
        .bearer_auth(&created.facilitator)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut kinds = Vec::new();
    while let Some(message) = observer.next_message().await {
        kinds.push(message.kind().to_owned());
    }
    assert_eq!(
        kinds.last().map(String::as_str),
        Some("error"),
        "the observer, on the other server, got {kinds:?}"
    );
    assert!(
        SyncClient::try_open_with_link(&second, &board, &created.observer)
            .await
            .is_err()
    );
    // The participant's link was not renewed: it goes on, on both servers.
    let note = participant
        .edit(|b| b.add_note(NewNote::with_text("toujours là")))
        .await;
    SyncClient::open_with_link(&first, &board, &created.facilitator)
        .await
        .wait_until("the first server has it", |v| v.note(&note).is_some())
        .await;
}
