//! Nothing is lost: `kill -9` in the middle of a burst of changes, several server processes on one
//! database, the database going away and coming back, damaged or hostile data, deletion,
//! retention, export and import. Each test runs on SQLite and on PostgreSQL.

use std::{collections::BTreeSet, sync::Arc, time::Duration};

use app::{
    ids::{BoardId, PeerId},
    model::{Author, Board, NewNote, Signature},
};
use ardoise_tests::{database_tests, Serves, SyncClient, TestServer, WAIT_LIMIT};
use automerge::{transaction::Transactable, ROOT};

fn texts(notes: &serde_json::Value) -> BTreeSet<String> {
    notes
        .as_array()
        .expect("a notes array")
        .iter()
        .map(|n| n["text"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Post-its in the burst; the server is killed once the observer has seen [`KILL_AFTER`].
const BURST: usize = 400;
const KILL_AFTER: usize = 60;

/// Polls `GET /api/boards/{id}` until `done` holds.
async fn wait_for_stored(
    server: &TestServer,
    board: &BoardId,
    what: &str,
    done: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
    loop {
        let json = server.board_json(board).await;
        if done(&json) {
            return json;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting until {what}; stored: {json:#}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Kill rounds of the burst test: each has a chance to land between a write and its relay.
const KILL_ROUNDS: usize = 3;

/// The writer adds post-its, paced a little, while the observer records what it receives; once
/// the observer has seen [`KILL_AFTER`] of them, the server is killed. Returns what the observer
/// saw and the writer's copy (with an edit made after the kill).
async fn burst_until_killed(
    server: &mut TestServer,
    mut writer: SyncClient,
    mut observer: SyncClient,
    round: usize,
) -> (BTreeSet<String>, app::model::Board) {
    let (killed_tx, mut killed_rx) = tokio::sync::oneshot::channel::<()>();
    let (reached_tx, reached_rx) = tokio::sync::oneshot::channel::<()>();
    let observing = tokio::spawn(async move {
        let mut seen = BTreeSet::new();
        let mut reached = Some(reached_tx);
        let before = observer.view().notes.len();
        observer
            .receive_until_closed(|view| {
                seen.extend(view.notes.iter().map(|n| n.text.clone()));
                if view.notes.len() >= before + KILL_AFTER {
                    if let Some(reached) = reached.take() {
                        let _ = reached.send(());
                    }
                }
            })
            .await;
        seen
    });
    let writing = tokio::spawn(async move {
        let mut sent = 0;
        for i in 0..BURST {
            let text = format!("rafale {round}.{i}");
            if !writer
                .try_edit(|b| b.add_note(NewNote::with_text(&text)).map(|_| ()))
                .await
            {
                break;
            }
            sent += 1;
            // Paced a little, so that the kill lands in the middle of the burst.
            tokio::time::sleep(Duration::from_millis(2)).await;
            if killed_rx.try_recv().is_ok() {
                break;
            }
        }
        // Made after the kill: it stays in the writer's copy until it reconnects.
        let text = format!("hors ligne {round}");
        let _ = writer
            .try_edit(|b| b.add_note(NewNote::with_text(&text)).map(|_| ()))
            .await;
        (sent, writer.into_board())
    });
    tokio::time::timeout(WAIT_LIMIT, reached_rx)
        .await
        .expect("the observer saw the burst start")
        .expect("the observer reported");
    server.kill();
    let _ = killed_tx.send(());
    let seen = observing.await.unwrap();
    let (sent, copy) = writing.await.unwrap();
    assert!(
        sent < BURST,
        "round {round}: the kill must land mid-burst: the writer sent all {BURST}"
    );
    (seen, copy)
}

database_tests! {
    /// The writer adds post-its as fast as it can; the server is killed (SIGKILL) while the
    /// burst goes on, in several rounds. Every post-it the observer received must be stored; the
    /// writer, coming back with its own copy, gets all of its post-its stored, each once.
    async fn a_kill_9_in_the_middle_of_a_burst_loses_nothing_another_peer_received(db) {
        let mut server = TestServer::start_on(db).await;
        let board = server.create_board("Rafale").await;
        let writer_id = PeerId::random();
        let mut writer = SyncClient::open_as(&server, &board, &writer_id).await;
        for round in 0..KILL_ROUNDS {
            let observer = SyncClient::open(&server, &board).await;
            let (seen, writer_copy) = burst_until_killed(&mut server, writer, observer, round).await;
            server.kill_and_restart().await;
            let stored = texts(&server.board_json(&board).await["notes"]);
            let lost: Vec<&String> = seen.difference(&stored).collect();
            assert!(lost.is_empty(), "round {round}: the observer saw post-its that were not stored: {lost:?}");

            // The writer comes back with its copy: everything it wrote ends up stored, once.
            writer = SyncClient::reopen(&server, &board, &writer_id, writer_copy.clone()).await;
            let expected = writer_copy.view().notes.len();
            let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
            let json = loop {
                // The writer answers the server while it syncs.
                writer.pump(Duration::from_millis(50)).await;
                let json = server.board_json(&board).await;
                if json["notes"].as_array().map(Vec::len) == Some(expected) {
                    break json;
                }
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "round {round}: the writer's post-its were not all stored: {json:#}"
                );
            };
            let notes = json["notes"].as_array().unwrap();
            let unique: BTreeSet<&str> = notes.iter().map(|n| n["id"].as_str().unwrap()).collect();
            assert_eq!(unique.len(), notes.len(), "no post-it stored twice");
            assert!(texts(&json["notes"]).contains(&format!("hors ligne {round}")));
        }
        assert!(!server.log().contains("panicked"), "log: {}", server.log());
    }

    /// Two server processes share one database and both take writes to the same board (enough
    /// to compact the log several times): a fresh process then finds every post-it.
    async fn two_server_processes_writing_to_one_board_lose_nothing(db) {
        let first = TestServer::start_on(db).await;
        let second = first.another_instance().await;
        let board = first.create_board("Deux serveurs").await;
        let mut alice = SyncClient::open(&first, &board).await;
        let mut bob = SyncClient::open(&second, &board).await;
        // 1 KiB post-its: 2 × 60 of them outgrow MIN_COMPACTION_BYTES, so both servers compact
        // while the other one writes.
        let filler = "x".repeat(1024);
        let mut written = BTreeSet::new();
        for i in 0..60 {
            let (from_alice, from_bob) = (format!("alice {i} {filler}"), format!("bob {i} {filler}"));
            alice.edit(|b| b.add_note(NewNote::with_text(&from_alice))).await;
            bob.edit(|b| b.add_note(NewNote::with_text(&from_bob))).await;
            written.extend([from_alice, from_bob]);
        }
        wait_for_stored(&first, &board, "all 120 post-its are stored", |json| {
            texts(&json["notes"]) == written
        })
        .await;
        // The log was folded into the snapshot along the way, while both servers wrote.
        let compacted = format!("SELECT COUNT(*) FROM boards WHERE id = '{board}' AND snapshot_seq > 0");
        assert_eq!(first.database.count(&compacted).await, 1, "no compaction happened");
        let database = Arc::clone(&first.database);
        drop((alice, bob, first, second));

        let fresh = TestServer::start_with(database, &[]).await;
        assert_eq!(texts(&fresh.board_json(&board).await["notes"]), written);
        let carol = SyncClient::open(&fresh, &board).await;
        assert_eq!(carol.view().notes.len(), 120);
    }

    /// The database goes away (PostgreSQL refuses connections; another process holds SQLite's
    /// write lock): the server relays nothing it could not store, tells the peers, keeps the
    /// change in memory, and stores and relays it once the database is back.
    async fn while_the_database_is_away_nothing_unstored_is_relayed_and_nothing_is_lost(db) {
        let mut server = TestServer::start_on(db).await;
        let board = server.create_board("Wifi d'hôtel").await;
        let mut alice = SyncClient::open(&server, &board).await;
        let mut bob = SyncClient::open(&server, &board).await;
        let before = alice.edit(|b| b.add_note(NewNote::with_text("avant la panne"))).await;
        bob.wait_until("bob sees the first post-it", |v| v.note(&before).is_some()).await;

        server.database.make_unavailable().await;
        let during = alice.edit(|b| b.add_note(NewNote::with_text("pendant la panne"))).await;
        let seen = bob.wait_for_storage_notice(false).await;
        assert!(seen.note(&during).is_none(), "bob received a change the server had not stored");
        alice.wait_for_storage_notice(false).await;

        server.database.make_available().await;
        let seen = bob.wait_for_storage_notice(true).await;
        assert!(seen.note(&during).is_none(), "bob received the change before it was stored");
        bob.wait_until("bob sees the post-it written during the outage", |v| v.note(&during).is_some())
            .await;
        drop((alice, bob));
        server.kill_and_restart().await;
        let stored = texts(&server.board_json(&board).await["notes"]);
        assert!(stored.contains("avant la panne") && stored.contains("pendant la panne"));
    }

    async fn damaged_stored_bytes_leave_the_board_readable_and_are_logged(db) {
        let mut server = TestServer::start_on(db).await;
        let board = server.create_board("Abîmé").await;
        let mut alice = SyncClient::open(&server, &board).await;
        let mut bob = SyncClient::open(&server, &board).await;
        // One stored change each: bob has seen the first before the second is written.
        let first = alice.edit(|b| b.add_note(NewNote::with_text("premier"))).await;
        bob.wait_until("bob sees the first", |v| v.note(&first).is_some()).await;
        let second = alice.edit(|b| b.add_note(NewNote::with_text("second"))).await;
        bob.wait_until("bob sees both", |v| v.note(&second).is_some()).await;
        drop((alice, bob));
        server.kill();
        let damaged_seq = server.database.count("SELECT MAX(seq) FROM board_changes").await;
        // Cut the last logged change in half.
        server
            .database
            .execute(
                "UPDATE board_changes SET data = substr(data, 1, 10)                  WHERE seq = (SELECT MAX(seq) FROM board_changes)",
                None,
            )
            .await;
        server.kill_and_restart().await;

        let json = server.board_json(&board).await;
        assert_eq!(json["title"], "Abîmé");
        assert!(texts(&json["notes"]).contains("premier"));
        let page = reqwest::get(format!("{}/b/{board}", server.http_url())).await.unwrap();
        assert_eq!(page.status(), 200);
        // People can go on working on it.
        let mut carol = SyncClient::open(&server, &board).await;
        let third = carol.edit(|b| b.add_note(NewNote::with_text("troisième"))).await;
        let mut dave = SyncClient::open(&server, &board).await;
        dave.wait_until("dave sees carol's post-it", |v| v.note(&third).is_some()).await;
        assert!(server.log().contains("damaged"), "log: {}", server.log());

        // Enough writing to compact: the damaged bytes must stay for an administrator.
        let filler = "x".repeat(1024);
        for i in 0..80 {
            carol.edit(|b| b.add_note(NewNote::with_text(&format!("{i} {filler}")))).await;
        }
        wait_for_stored(&server, &board, "carol's post-its are stored", |json| {
            json["notes"].as_array().map(Vec::len) == Some(82)
        })
        .await;
        assert!(server.log().contains("not compacting"), "log: {}", server.log());
        let kept = format!("SELECT COUNT(*) FROM board_changes WHERE seq = {damaged_seq}");
        assert_eq!(server.database.count(&kept).await, 1, "the damaged change was compacted away");
    }

    async fn a_change_that_breaks_the_board_s_structure_is_repaired_and_logged(db) {
        let server = TestServer::start_on(db).await;
        let board = server.create_board("Structure").await;
        let mut mallory = SyncClient::open(&server, &board).await;
        mallory.edit(|b| b.add_note(NewNote::with_text("avant"))).await;
        mallory
            .edit_raw(|doc| {
                doc.put(ROOT, "notes", "plus rien")?;
                doc.put(ROOT, "title", 42)
            })
            .await;
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        while !server.log().contains("broke the board's structure") {
            assert!(tokio::time::Instant::now() < deadline, "no repair logged: {}", server.log());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // Someone joining after the repair finds a board to work on, and mallory sees it too.
        let mut alice = SyncClient::open(&server, &board).await;
        let id = alice.edit(|b| b.add_note(NewNote::with_text("on continue"))).await;
        mallory.wait_until("mallory sees the repaired board", |v| v.note(&id).is_some()).await;
        let json = server.board_json(&board).await;
        assert!(texts(&json["notes"]).contains("on continue"));
        let page = reqwest::get(format!("{}/b/{board}", server.http_url())).await.unwrap();
        assert_eq!(page.status(), 200);
    }

    async fn a_deleted_board_is_gone_for_everyone_and_from_the_database(db) {
        let server = TestServer::start_on(db).await;
        let created = server.create_closed_board("Éphémère").await;
        server.open_board(&created).await;
        let board = created.id.clone();
        let kept = server.create_board("Gardé").await;
        let mut alice = SyncClient::open(&server, &board).await;
        alice.edit(|b| b.add_note(NewNote::with_text("à effacer"))).await;
        let mut bob = SyncClient::open(&server, &board).await;
        bob.wait_until("bob sees the post-it", |v| v.notes.len() == 1).await;

        let client = reqwest::Client::new();
        let url = format!("{}/api/boards/{board}", server.http_url());
        // Only the facilitator may delete it, even on an open board.
        assert_eq!(client.delete(&url).send().await.unwrap().status(), 403);
        let response = client.delete(&url).bearer_auth(&created.facilitator).send().await.unwrap();
        assert_eq!(response.status(), 204);
        let kinds = bob.kinds_until_unavailable().await;
        assert_eq!(kinds.last().map(String::as_str), Some("doc-unavailable"), "bob got {kinds:?}");
        assert_eq!(client.delete(&url).bearer_auth(&created.facilitator).send().await.unwrap().status(), 404);
        assert_eq!(client.get(&url).send().await.unwrap().status(), 404);
        let page = reqwest::get(format!("{}/b/{board}", server.http_url())).await.unwrap();
        assert_eq!(page.status(), 404);
        assert!(SyncClient::try_open(&server, &board).await.is_err());
        for (table, column) in [("boards", "id"), ("board_changes", "board_id")] {
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE {column} = '{board}'");
            assert_eq!(server.database.count(&sql).await, 0, "rows left in {table}");
        }
        assert_eq!(client.get(format!("{}/api/boards/{kept}", server.http_url())).send().await.unwrap().status(), 200);
    }

    async fn boards_idle_past_the_retention_are_deleted_at_start(db) {
        let mut server = TestServer::start_on(db).await;
        let old = server.create_board("Vieux").await;
        let recent = server.create_board("Récent").await;
        server.kill();
        // Forty days without a change.
        let forty_days_ago = ardoise_server::storage::now_ms() - 40 * 24 * 3600 * 1000;
        server
            .database
            .execute(&format!("UPDATE boards SET updated_at = {forty_days_ago} WHERE id = '{old}'"), None)
            .await;
        let server = TestServer::start_with(Arc::clone(&server.database), &["--retention-days", "30"]).await;
        let url = |id: &BoardId| format!("{}/api/boards/{id}", server.http_url());
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        while reqwest::get(url(&old)).await.unwrap().status() != 404 {
            assert!(tokio::time::Instant::now() < deadline, "the old board was not deleted");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(reqwest::get(url(&recent)).await.unwrap().status(), 200);
    }

    async fn a_board_exported_from_one_server_imports_into_another_with_its_history(db) {
        let server = TestServer::start_on(db).await;
        let board = server.create_board("Déménagement").await;
        let mut alice = SyncClient::open(&server, &board).await;
        let signed = |name: &str| Signature::person(Some(name.to_owned()), 1_764_000_000_000);
        let id = alice
            .edit(|b| {
                let id = b.add_note(NewNote::with_text("brouillon"));
                b.sign(&signed("Alice"));
                id
            })
            .await;
        alice
            .edit(|b| {
                let done = b.set_note_text(&id, "version finale");
                b.sign(&signed("Élodie"));
                done
            })
            .await;
        let mut bob = SyncClient::open(&server, &board).await;
        bob.wait_until("bob sees the final text", |v| {
            v.note(&id).is_some_and(|n| n.text == "version finale")
        })
        .await;

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(format!("{board}.automerge"));
        let out = server.run_cli(&["export", board.as_str(), "--output", file.to_str().unwrap()]);
        assert!(out.status.success(), "export: {}", String::from_utf8_lossy(&out.stderr));
        // The file is the whole history: the first version of the text is in it too.
        let mut doc = automerge::AutoCommit::load(&std::fs::read(&file).unwrap()).unwrap();
        assert!(doc.get_changes(&[]).len() >= 3);

        // Who wrote each change and when travel with the file.
        let authors: Vec<String> = Board::load(&std::fs::read(&file).unwrap())
            .unwrap()
            .history()
            .versions
            .into_iter()
            .filter_map(|v| match v.author {
                Author::Person(name) => Some(format!("{name} {}", v.time)),
                _ => None,
            })
            .collect();
        assert_eq!(authors, ["Alice 1764000000", "Élodie 1764000000"]);
        // The other formats from the same command: Markdown here, as of the first change.
        let markdown = dir.path().join("board.md");
        let out = server.run_cli(&["export", board.as_str(), "--format", "md", "--output", markdown.to_str().unwrap()]);
        assert!(out.status.success(), "export: {}", String::from_utf8_lossy(&out.stderr));
        assert!(std::fs::read_to_string(&markdown).unwrap().contains("- version finale"));
        let out = server.run_cli(&["export", board.as_str(), "--format", "csv", "--at", "1764000000", "--output", "-"]);
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("version finale"));

        let elsewhere = TestServer::start_on(db).await;
        let out = elsewhere.run_cli(&["import", file.to_str().unwrap()]);
        assert!(out.status.success(), "import: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), board.as_str());
        // A new board there, closed, with links of its own (an export carries no secret).
        assert!(SyncClient::try_open(&elsewhere, &board).await.is_err());
        let said = String::from_utf8_lossy(&out.stderr).into_owned();
        let participant = said
            .lines()
            .find_map(|line| line.trim().strip_prefix("participant")?.trim().rsplit_once("?k="))
            .map(|(_, secret)| secret.to_owned())
            .unwrap_or_else(|| panic!("import prints the new board's links: {said}"));
        let mut carol = SyncClient::open_with_link(&elsewhere, &board, &participant).await;
        assert_eq!(carol.view(), bob.view());
        assert_eq!(carol.history().versions.len(), alice.history().versions.len());
        assert!(carol
            .history()
            .versions
            .iter()
            .any(|v| v.author == Author::Person("Élodie".into())));

        // Both copies go on; importing one into the other merges: nothing of either is lost.
        carol.edit(|b| b.add_note(NewNote::with_text("ajouté ailleurs"))).await;
        let later = alice.edit(|b| b.add_note(NewNote::with_text("ajouté après l'export"))).await;
        bob.wait_until("bob sees the later post-it", |v| v.note(&later).is_some()).await;
        let mut dave = SyncClient::open_with_link(&elsewhere, &board, &participant).await;
        dave.wait_until("the other server stored carol's post-it", |v| v.notes.len() == 2).await;
        let back = dir.path().join("back.automerge");
        let out = elsewhere.run_cli(&["export", board.as_str(), "--output", back.to_str().unwrap()]);
        assert!(out.status.success());
        let out = server.run_cli(&["import", back.to_str().unwrap(), "--id", board.as_str()]);
        assert!(out.status.success(), "import: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains("merged"));
        let merged = texts(&server.board_json(&board).await["notes"]);
        let expected = ["ajouté ailleurs", "ajouté après l'export", "version finale"];
        assert_eq!(merged, expected.iter().map(|t| t.to_string()).collect::<BTreeSet<_>>());

        let unknown = BoardId::random();
        for (args, expected) in [
            (vec!["export", "not-a-board"], "is not a board id"),
            (vec!["export", unknown.as_str()], "no board"),
            (vec!["export", unknown.as_str(), "--format", "docx"], "unknown export format"),
            (vec!["export", unknown.as_str(), "--lang", "de"], "not a language"),
            (vec!["import", "/nonexistent/file.automerge"], "cannot read"),
            (vec!["import", "Cargo.toml"], "is not an Automerge document"),
        ] {
            let out = server.run_cli(&args);
            assert!(!out.status.success(), "{args:?} succeeded");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains(expected), "{args:?}: {stderr}");
        }
    }
}

#[tokio::test]
async fn a_bad_database_url_stops_the_server_with_a_message_that_names_the_problem() {
    let free_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let refused = format!("postgres://ardoise:secret@127.0.0.1:{free_port}/ardoise");
    for (url, expected) in [
        ("mysql://localhost/ardoise", "unsupported database URL"),
        (
            refused.as_str(),
            "cannot open the database postgres://ardoise:***@127.0.0.1",
        ),
        (
            "sqlite:///proc/ardoise/data.db",
            "cannot create the database directory /proc/ardoise",
        ),
    ] {
        let out = tokio::time::timeout(
            WAIT_LIMIT,
            tokio::process::Command::new(ardoise_tests::binary())
                .args(["--addr", "127.0.0.1:0", "--database-url", url])
                .output(),
        )
        .await
        .expect("ardoise gave up in time")
        .unwrap();
        assert!(!out.status.success(), "{url}: started anyway");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{url}: {stderr}");
        assert!(
            !stderr.contains("secret"),
            "the password was printed: {stderr}"
        );
    }
}
