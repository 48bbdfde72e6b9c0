//! Consent rounds, decided by the server and played by hand-made clients: only the facilitator
//! opens and closes a round; each seat answers once; an objection says why; nobody's answer
//! reaches another peer (not one byte of a reason in a participant's or an observer's whole
//! websocket stream) until the close, then the result is on everyone's board, without names on
//! an anonymous board. Against the real binary, on SQLite and PostgreSQL.

use app::{
    ids::NoteId,
    model::{NewNote, Reason},
};
use ardoise_tests::{database_tests, CreatedBoard, Serves, SyncClient, TestServer};

async fn answer(
    server: &TestServer,
    board: &CreatedBoard,
    seat: &str,
    round: i64,
    answer: &str,
    reason: &str,
    name: &str,
) -> u16 {
    let path = format!("/api/boards/{}/consent/{round}/answer", board.id);
    let body = serde_json::json!({ "answer": answer, "reason": reason, "name": name });
    server
        .api("POST", &path, &board.participant, Some(seat), Some(body))
        .await
        .0
}

/// A board made through the API (anonymous or not) with a proposal on it.
async fn board_with_a_proposal(
    server: &TestServer,
    anonymous: bool,
) -> (CreatedBoard, NoteId, SyncClient) {
    let board = match anonymous {
        true => server.create_anonymous_board("Accords").await,
        false => server.create_closed_board("Accords").await,
    };
    let mut facilitator = SyncClient::open_with_link(server, &board.id, &board.facilitator).await;
    let proposal = facilitator
        .edit(|b| b.add_note(NewNote::with_text("Réunion le lundi à 9 h").at(0.0, 0.0)))
        .await;
    (board, proposal, facilitator)
}

database_tests! {
    async fn answers_stay_hidden_until_the_close_and_each_seat_answers_once(db) {
        let server = TestServer::start_on(db).await;
        let (board, proposal, mut facilitator) = board_with_a_proposal(&server, false).await;
        let mut carol = SyncClient::open_recorded(&server, &board.id, &board.participant).await;
        let mut observer = SyncClient::open_recorded(&server, &board.id, &board.observer).await;
        let (alice, bob) = (server.take_seat(&board.id, &board.participant).await, server.take_seat(&board.id, &board.participant).await);
        let start = format!("/api/boards/{}/consent", board.id);
        let on = serde_json::json!({ "note": proposal.as_str() });
        // Only the facilitator opens a round; nobody answers before one is open.
        assert_eq!(server.api("POST", &start, &board.participant, None, Some(on.clone())).await.0, 403);
        assert_eq!(answer(&server, &board, &alice, 1, "consent", "", "Alice").await, 409);
        let (status, round) = server.api("POST", &start, &board.facilitator, None, Some(on)).await;
        assert_eq!(status, 201, "{round}");
        let round = round["round"].as_i64().unwrap();
        carol.wait_until("the round opens", |v| v.facilitation.consent.as_ref().is_some_and(|c| c.open)).await;

        const WHY: &str = "Le-lundi-je-garde-les-enfants";
        assert_eq!(answer(&server, &board, &alice, round, "consent", "", "Alice").await, 200);
        // Once per seat, whatever the answer; an objection says why; bad input changes nothing.
        assert_eq!(answer(&server, &board, &alice, round, "objection", "Non", "Alice").await, 409);
        assert_eq!(answer(&server, &board, &bob, round, "objection", " ", "Bob").await, 400);
        assert_eq!(answer(&server, &board, &bob, round, "peut-être", "", "Bob").await, 400);
        assert_eq!(answer(&server, &board, &bob, round, "objection", &"x".repeat(501), "Bob").await, 400);
        assert_eq!(answer(&server, &board, "made-up-seat", round, "consent", "", "Eve").await, 403);
        let path = format!("/api/boards/{}/consent/{round}/answer", board.id);
        let body = serde_json::json!({ "answer": "consent" });
        assert_eq!(server.api("POST", &path, &board.observer, None, Some(body)).await.0, 403);
        assert_eq!(answer(&server, &board, &bob, round, "objection", WHY, "Bob").await, 200);
        let (_, mine) = server.api("GET", &path, &board.participant, Some(&bob), None).await;
        assert_eq!(mine["answer"], "objection");
        carol.wait_until("two answers", |v| v.facilitation.consent.as_ref().is_some_and(|c| c.answered == 2)).await;
        observer.wait_until("two answers", |v| v.facilitation.consent.as_ref().is_some_and(|c| c.answered == 2)).await;
        for (who, client) in [("Carol", &carol), ("the observer", &observer)] {
            assert!(!client.stream_contains(WHY), "{who} got an answer before the close");
            assert!(!client.stream_contains("objection"), "{who} got an answer before the close");
        }
        // A participant's hand-made client writes no result.
        let mut forger = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
        let error = forger.refused(|b| b.close_consent(round, &Default::default())).await;
        assert!(error.contains("facilitator"), "{error}");

        let close = format!("/api/boards/{}/consent/{round}/close", board.id);
        assert_eq!(server.api("POST", &close, &board.participant, None, None).await.0, 403);
        let (status, result) = server.api("POST", &close, &board.facilitator, None, None).await;
        assert_eq!(status, 200, "{result}");
        let closed = carol
            .wait_until("the result", |v| v.facilitation.consent.as_ref().is_some_and(|c| !c.open))
            .await;
        let found = closed.facilitation.consent.unwrap().result.unwrap();
        assert_eq!(found.consents, 1);
        assert_eq!(found.objections, [Reason { reason: WHY.into(), name: Some("Bob".into()) }]);
        assert!(!found.reached());
        assert!(carol.stream_contains(WHY));
        assert_eq!(answer(&server, &board, &alice, round, "consent", "", "Alice").await, 409);
        // The facilitator's own board has it too, and it is kept.
        facilitator.wait_until("the result", |v| v.facilitation.consent.as_ref().is_some_and(|c| !c.open)).await;
        let stored = server.board_as(&board.id, &board.observer).await;
        assert_eq!(stored["facilitation"]["consent"]["result"]["objections"][0]["reason"], WHY);
    }

    async fn on_an_anonymous_board_the_result_carries_no_name(db) {
        let server = TestServer::start_on(db).await;
        let (board, proposal, mut facilitator) = board_with_a_proposal(&server, true).await;
        let start = format!("/api/boards/{}/consent", board.id);
        let (_, round) = server.api("POST", &start, &board.facilitator, None, Some(serde_json::json!({ "note": proposal.as_str() }))).await;
        let round = round["round"].as_i64().unwrap();
        for (name, given, why) in [("Alice", "reservation", "Pas trop tôt"), ("Bruno", "objection", "Trop tôt")] {
            let seat = server.take_seat(&board.id, &board.participant).await;
            assert_eq!(answer(&server, &board, &seat, round, given, why, name).await, 200);
        }
        let close = format!("/api/boards/{}/consent/{round}/close", board.id);
        assert_eq!(server.api("POST", &close, &board.facilitator, None, None).await.0, 200);
        let seen = facilitator.wait_until("the result", |v| v.facilitation.consent.as_ref().is_some_and(|c| !c.open)).await;
        let found = seen.facilitation.consent.unwrap().result.unwrap();
        assert_eq!(found.reservations, [Reason { reason: "Pas trop tôt".into(), name: None }]);
        assert_eq!(found.objections, [Reason { reason: "Trop tôt".into(), name: None }]);
        let stored = server.board_as(&board.id, &board.observer).await;
        let stored = stored.to_string();
        assert!(!stored.contains("Alice") && !stored.contains("Bruno"), "{stored}");
    }
}
