//! Bad input over the websocket gets a protocol error or `doc-unavailable`, changes nothing, and
//! never disturbs the server or other clients.

use app::{
    ids::{BoardId, PeerId},
    model::{Colour, NewNote},
    protocol::{Message, MAX_EPHEMERAL_BYTES, MAX_MESSAGE_BYTES},
};
use ardoise_tests::{RawSocket, Serves, SyncClient, TestApp, TestServer};

fn is_error(messages: &[Message], contains: &str) -> bool {
    messages
        .iter()
        .any(|m| matches!(m, Message::Error { message } if message.contains(contains)))
}

#[tokio::test]
async fn unknown_boards_are_doc_unavailable() {
    let server = TestApp::start().await;
    let unknown = BoardId::random();
    match SyncClient::try_open(&server, &unknown).await {
        Err(Message::DocUnavailable { document_id, .. }) => assert_eq!(document_id, unknown),
        Err(other) => panic!("expected doc-unavailable, got {other:?}"),
        Ok(_) => panic!("a board that was never created was served"),
    }
    // Asking created nothing.
    let response = reqwest::get(format!("{}/api/boards/{unknown}", server.http_url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn malformed_and_hostile_frames_get_an_error_and_harm_no_one() {
    let mut server = TestServer::start().await;
    let board = server.create_board("Robustesse").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let id = alice
        .edit(|b| {
            b.add_note(NewNote {
                text: "intact".into(),
                x: 1.0,
                y: 2.0,
                colour: Colour::Pink,
                author: None,
                created_at: 1,
            })
        })
        .await;

    // Not CBOR at all.
    let mut socket = RawSocket::connect(&server).await;
    socket.send_bytes(vec![0xff, 0xfe, 0x00, 0x42]).await;
    assert!(is_error(&socket.until_closed().await, "malformed message"));

    // A text frame.
    let mut socket = RawSocket::connect(&server).await;
    socket.send_text("{\"type\":\"join\"}").await;
    assert!(is_error(&socket.until_closed().await, "binary"));

    // Oversized.
    let mut socket = RawSocket::connect(&server).await;
    socket.send_bytes(vec![0u8; MAX_MESSAGE_BYTES + 1]).await;
    assert!(is_error(&socket.until_closed().await, "too large"));

    // Sync before join.
    let mut socket = RawSocket::connect(&server).await;
    let me = PeerId::random();
    let sync = Message::Sync {
        sender_id: me.clone(),
        target_id: PeerId::random(),
        document_id: board.clone(),
        data: vec![],
    };
    socket.send(&sync).await;
    assert!(is_error(&socket.until_closed().await, "join"));

    // Garbage where an Automerge sync message should be.
    let mut socket = RawSocket::connect(&server).await;
    let server_peer = socket.join(&me).await;
    socket
        .send(&Message::Sync {
            sender_id: me.clone(),
            target_id: server_peer.clone(),
            document_id: board.clone(),
            data: vec![0x42, 0x13, 0x37],
        })
        .await;
    assert!(is_error(&socket.until_closed().await, "sync message"));

    // Pretending to be someone else.
    let mut socket = RawSocket::connect(&server).await;
    socket.join(&me).await;
    socket
        .send(&Message::Sync {
            sender_id: PeerId::random(),
            target_id: server_peer.clone(),
            document_id: board.clone(),
            data: vec![],
        })
        .await;
    assert!(is_error(&socket.until_closed().await, "senderId"));

    // Ephemeral data too big to relay to everyone.
    let mut socket = RawSocket::connect(&server).await;
    let server_peer = socket.join(&me).await;
    socket
        .send(&Message::Ephemeral {
            sender_id: me.clone(),
            target_id: server_peer,
            count: 1,
            session_id: "s".into(),
            document_id: board.clone(),
            data: vec![0; MAX_EPHEMERAL_BYTES + 1],
        })
        .await;
    assert!(is_error(
        &socket.until_closed().await,
        "ephemeral data larger"
    ));

    // A protocol version we do not speak.
    let mut socket = RawSocket::connect(&server).await;
    socket
        .send(&Message::Join {
            sender_id: me,
            supported_protocol_versions: vec!["99".into()],
            peer_metadata: Default::default(),
        })
        .await;
    assert!(is_error(&socket.until_closed().await, "version"));

    // The server is still up, alice still syncs, the board is unchanged.
    assert!(server.is_running());
    alice
        .edit(|b| b.set_note_text(&id, "toujours intact"))
        .await;
    let mut bob = SyncClient::open(&server, &board).await;
    let view = bob
        .wait_until("bob sees alice's last edit", |v| {
            v.note(&id).is_some_and(|n| n.text == "toujours intact")
        })
        .await;
    assert_eq!(view.notes.len(), 1);
    assert_eq!(view.note(&id).unwrap().colour, Colour::Pink);
}
