//! Voting sessions, decided by the server and played by hand-made clients: seats, the vote
//! limit (twenty votes at once through two servers store exactly what the limit allows), votes
//! outside a session or twice on a post-it refused, only the facilitator opening and closing,
//! nobody's votes in the board (nor one byte of them in an observer's whole stream) until the
//! close, then the counts live for everyone and kept. On SQLite and PostgreSQL: the limits
//! against two processes of the real binary on one database, the race with the close through
//! the router in this process.

use std::time::Duration;

use app::{
    ids::NoteId,
    model::{NewNote, Vote},
};
use ardoise_tests::{database_tests, CreatedBoard, Serves, SyncClient, TestApp, TestServer};

async fn vote(
    server: &impl Serves,
    board: &CreatedBoard,
    seat: &str,
    round: i64,
    note: &NoteId,
) -> (u16, serde_json::Value) {
    let path = format!("/api/boards/{}/votes/{round}/ballot", board.id);
    let note = serde_json::json!({ "note": note.as_str() });
    server
        .api("POST", &path, &board.participant, Some(seat), Some(note))
        .await
}

async fn start(server: &impl Serves, board: &CreatedBoard, per_person: i64, several: bool) -> i64 {
    let path = format!("/api/boards/{}/votes", board.id);
    let rules = serde_json::json!({ "per_person": per_person, "several": several });
    let (status, answer) = server
        .api("POST", &path, &board.facilitator, None, Some(rules))
        .await;
    assert_eq!(status, 201, "{answer}");
    answer["round"].as_i64().expect("a round")
}

async fn close(server: &impl Serves, board: &CreatedBoard, round: i64) -> serde_json::Value {
    let path = format!("/api/boards/{}/votes/{round}/close", board.id);
    let (status, answer) = server
        .api("POST", &path, &board.facilitator, None, None)
        .await;
    assert_eq!(status, 200, "{answer}");
    answer
}

fn votes_stored() -> &'static str {
    "SELECT COUNT(*) FROM votes"
}

database_tests! {
    async fn the_server_holds_the_votes_to_their_limit_and_shows_only_the_counts_once_closed(db) {
        let server = TestServer::start_on(db).await;
        // A second server on the same database, as behind a load balancer.
        let other = server.another_instance().await;
        let board = server.create_workshop("Priorités", "start-stop-continue", "fr").await;
        let mut participant = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
        let mut notes = Vec::new();
        for text in ["Moins de réunions", "Plus de tests", "Un wiki"] {
            notes.push(participant.edit(|b| b.add_note(NewNote::with_text(text).at(0.0, 0.0))).await);
        }
        let (a, b, c) = (&notes[0], &notes[1], &notes[2]);
        // (On SQLite, servers do not relay each other's changes live: the observer is on the
        // first one.)
        let mut observer = SyncClient::open_recorded(&server, &board.id, &board.observer).await;
        observer.wait_until("the post-its arrive", |v| v.notes.len() == 3).await;

        let alice = server.take_seat(&board.id, &board.participant).await;
        let bob = other.take_seat(&board.id, &board.participant).await;
        // An observer takes no seat; nobody votes without one, or with one of their making.
        let seats = format!("/api/boards/{}/seats", board.id);
        assert_eq!(server.api("POST", &seats, &board.observer, None, None).await.0, 403);
        assert_eq!(vote(&server, &board, "made-up-seat", 1, a).await.0, 403);
        let ballot = format!("/api/boards/{}/votes/1/ballot", board.id);
        let no_seat = server.api("POST", &ballot, &board.participant, None, Some(serde_json::json!({ "note": a.as_str() }))).await;
        assert_eq!(no_seat.0, 403);
        // No vote before a session is open; only the facilitator opens one.
        assert_eq!(vote(&server, &board, &alice, 1, a).await.0, 409);
        let votes = format!("/api/boards/{}/votes", board.id);
        let rules = serde_json::json!({ "per_person": 3, "several": true });
        assert_eq!(server.api("POST", &votes, &board.participant, None, Some(rules.clone())).await.0, 403);
        assert_eq!(server.api("POST", &votes, &board.facilitator, None, Some(serde_json::json!({ "per_person": 0 }))).await.0, 400);
        assert_eq!(server.database.count(votes_stored()).await, 0);

        let round = start(&server, &board, 3, true).await;
        let open = observer
            .wait_until("the session opens for everyone", |v| v.facilitation.vote.as_ref().is_some_and(|v| v.open))
            .await;
        assert_eq!(open.facilitation.vote.unwrap().per_person, 3);

        // Twenty votes of Alice's at once, through both servers: exactly three are taken.
        let attempts = (0..20).map(|i| {
            let via = if i % 2 == 0 { &server } else { &other };
            vote(via, &board, &alice, round, a)
        });
        let answers = futures::future::join_all(attempts).await;
        let taken = answers.iter().filter(|(status, _)| *status == 200).count();
        assert_eq!(taken, 3, "{answers:?}");
        assert!(answers.iter().all(|(status, _)| *status == 200 || *status == 409));
        assert_eq!(server.database.count(votes_stored()).await, 3);
        // One taken back, given to another post-it; then none is left.
        let take_back = format!("/api/boards/{}/votes/{round}/take-back", board.id);
        let (status, after) = server.api("POST", &take_back, &board.participant, Some(&alice), Some(serde_json::json!({ "note": a.as_str() }))).await;
        assert_eq!((status, after["left"].as_i64()), (200, Some(1)));
        assert_eq!(vote(&other, &board, &alice, round, b).await.0, 200);
        let (status, refused) = vote(&server, &board, &alice, round, c).await;
        assert_eq!(status, 409);
        assert!(refused["error"].as_str().unwrap().contains("no vote left"));
        assert_eq!(vote(&server, &board, &bob, round, b).await.0, 200);

        // Nobody's votes are in the board while the session is open.
        participant.pump(Duration::from_millis(100)).await;
        observer.pump(Duration::from_millis(100)).await;
        for view in [participant.view(), observer.view()] {
            assert_eq!(view.facilitation.vote.as_ref().map(|v| v.results.len()), Some(0));
        }
        // A participant's hand-made client writing results is refused and changes nothing.
        let mut rogue = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
        let fake = vec![(c.clone(), 99)];
        let error = rogue.refused(|board| board.close_vote(round, &fake)).await;
        assert!(error.contains("facilitator"), "{error}");

        // Not one byte of a vote reached the observer while the vote was open: no count, no
        // seat (the results key appears only with the close).
        observer.wait_until("the session is open", |v| v.facilitation.vote.as_ref().is_some_and(|v| v.open)).await;
        for hidden in [app::model::schema::RESULTS, alice.as_str(), bob.as_str()] {
            assert!(!observer.stream_contains(hidden), "the observer got {hidden}");
        }

        // Closed: the counts reach everyone live, ranked, without a name.
        let results = close(&server, &board, round).await;
        let ranked: Vec<(String, i64)> = results["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["note"].as_str().unwrap().to_owned(), r["votes"].as_i64().unwrap()))
            .collect();
        let mut expected = vec![(a.to_string(), 2), (b.to_string(), 2)];
        expected.sort();
        assert_eq!(ranked, expected, "most votes first, ties by id");
        let closed = observer
            .wait_until("the results arrive", |v| v.facilitation.vote.as_ref().is_some_and(|v| !v.open))
            .await;
        assert!(observer.stream_contains(app::model::schema::RESULTS));
        let vote_seen: Vote = closed.facilitation.vote.unwrap();
        assert_eq!(vote_seen.votes_for(a), 2);
        assert_eq!(vote_seen.votes_for(b), 2);
        assert_eq!(vote_seen.votes_for(c), 0);
        // After the close, no vote is taken; the ballot stays readable (from the other server).
        assert_eq!(vote(&server, &board, &bob, round, c).await.0, 409);
        let (status, kept) = other.api("GET", &ballot.replace("/1/", &format!("/{round}/")), &board.participant, Some(&alice), None).await;
        assert_eq!(status, 200);
        assert_eq!(kept["votes"].as_array().unwrap().len(), 3);
        assert_eq!(kept["open"], false);
        // The board keeps the results: a newcomer reads them, as does the API.
        let fresh = SyncClient::open_with_link(&other, &board.id, &board.observer).await;
        assert_eq!(fresh.view().facilitation.vote.unwrap().votes_for(a), 2);
        let stored = server.board_as(&board.id, &board.observer).await;
        assert_eq!(stored["facilitation"]["vote"]["results"][0]["votes"], 2);

        // One vote per post-it in the next session; its results replace the last ones.
        let next = start(&other, &board, 2, false).await;
        assert_eq!(next, round + 1);
        assert_eq!(vote(&server, &board, &alice, next, c).await.0, 200);
        let (status, twice) = vote(&server, &board, &alice, next, c).await;
        assert_eq!(status, 409);
        assert!(twice["error"].as_str().unwrap().contains("one vote per post-it"));
        // Voting in the closed session is refused too.
        assert_eq!(vote(&server, &board, &bob, round, c).await.0, 409);

        // The facilitator stops new seats: existing ones still vote.
        let (status, seats_now) = server.api("PUT", &seats, &board.facilitator, None, Some(serde_json::json!({ "open": false }))).await;
        assert_eq!(status, 200);
        assert_eq!(seats_now, serde_json::json!({ "seats": 2, "open": false }));
        assert_eq!(server.api("GET", &seats, &board.participant, None, None).await.0, 403);
        assert_eq!(server.api("POST", &seats, &board.participant, None, None).await.0, 403);
        assert_eq!(vote(&server, &board, &bob, next, c).await.0, 200);
        let results = close(&server, &board, next).await;
        assert_eq!(results["results"], serde_json::json!([{ "note": c.as_str(), "votes": 2 }]));
    }

    async fn a_vote_cast_while_the_facilitator_closes_the_session_is_counted_or_refused_never_lost(db) {
        let server = TestApp::start_on(db).await;
        let board = server.create_workshop("Course", "blank", "fr").await;
        let mut participant = SyncClient::open_with_link(&server, &board.id, &board.participant).await;
        let note = participant.edit(|b| b.add_note(NewNote::with_text("Idée").at(0.0, 0.0))).await;
        let mut seats = Vec::new();
        for _ in 0..12 {
            seats.push(server.take_seat(&board.id, &board.participant).await);
        }
        let round = start(&server, &board, 1, false).await;
        let votes = seats.iter().map(|seat| vote(&server, &board, seat, round, &note));
        let (answers, results) = futures::future::join(futures::future::join_all(votes), close(&server, &board, round)).await;
        let taken = answers.iter().filter(|(status, _)| *status == 200).count() as i64;
        assert!(answers.iter().all(|(status, _)| *status == 200 || *status == 409), "{answers:?}");
        let counted = results["results"].as_array().unwrap().first().map_or(0, |r| r["votes"].as_i64().unwrap());
        assert_eq!(counted, taken, "every vote taken is counted, and only those");
        let seen = participant
            .wait_until("the results arrive", |v| v.facilitation.vote.as_ref().is_some_and(|v| !v.open))
            .await;
        assert_eq!(seen.facilitation.vote.unwrap().votes_for(&note), taken);
    }
}
