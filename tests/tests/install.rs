//! What an administrator does with the binary, on the real process: copy it anywhere and start
//! it there, read its version, keep `/metrics` off the public address, back the database up
//! while it serves and restore the copy on a fresh server.

use std::{
    path::Path,
    process::{Command, Stdio},
    time::Duration,
};

use app::model::NewNote;
use ardoise_tests::{
    binary, free_port, site_root, Db, Serves, SyncClient, TestDatabase, TestServer, WAIT_LIMIT,
};

/// Waits until `url` answers 200.
async fn wait_for(url: &str, child: &mut std::process::Child) {
    let started = tokio::time::Instant::now();
    loop {
        if let Ok(response) = reqwest::get(url).await {
            if response.status().is_success() {
                return;
            }
        }
        if let Some(status) = child.try_wait().expect("the child's status") {
            panic!("ardoise exited at start: {status}");
        }
        assert!(started.elapsed() < WAIT_LIMIT, "ardoise did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Kills the child when the test ends, whatever happens.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_copied_to_an_empty_directory_serves_its_own_app() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("ardoise");
    std::fs::copy(binary(), &copy).expect("copy the binary");
    let port = free_port();
    let child = Command::new(&copy)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .args(["--database-url", "sqlite://boards.db"])
        .current_dir(dir.path())
        .env_remove("ARDOISE_SITE_ROOT")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the copy");
    let mut running = Running(child);
    let base = format!("http://127.0.0.1:{port}");
    wait_for(&format!("{base}/health"), &mut running.0).await;
    // Nothing in that directory but the binary and its database.
    let page = reqwest::get(format!("{base}/")).await.unwrap();
    let html = page.text().await.unwrap();
    let version = html
        .split("name=\"ardoise-version\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page names the app's version")
        .to_owned();
    let client = reqwest::Client::new();
    for (file, content_type) in [
        ("ardoise.js", "text/javascript; charset=utf-8"),
        ("ardoise_bg.wasm", "application/wasm"),
        ("ardoise.css", "text/css; charset=utf-8"),
    ] {
        let response = client
            .get(format!("{base}/pkg/{version}/{file}"))
            .header("accept-encoding", "br")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{file}");
        assert_eq!(response.headers()["content-encoding"], "br", "{file}");
        assert_eq!(response.headers()["content-type"], content_type);
        let body = response.bytes().await.unwrap();
        let built = std::fs::read(site_root().join(format!("pkg/{file}.br"))).unwrap();
        assert!(
            body[..] == built[..],
            "{file} is the one scripts/build.sh made"
        );
    }
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("boards.db"))
        .collect();
    names.sort();
    assert_eq!(names, ["ardoise"], "it wrote nothing else there");
}

#[tokio::test]
async fn without_its_app_it_refuses_to_start_and_says_why() {
    let empty = tempfile::tempdir().unwrap();
    let out = tokio::time::timeout(
        WAIT_LIMIT,
        tokio::process::Command::new(binary())
            .args(["--addr", &format!("127.0.0.1:{}", free_port())])
            .args(["--database-url", "sqlite::memory:"])
            .arg("--site-root")
            .arg(empty.path())
            .output(),
    )
    .await
    .expect("ardoise gave up in time")
    .unwrap();
    assert!(!out.status.success(), "started without its app");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("pkg/ardoise.js") && stderr.contains("--site-root"),
        "{stderr}"
    );
}

#[test]
fn its_version_names_the_commit_it_was_built_from() {
    let out = Command::new(binary()).arg("--version").output().unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(ardoise_tests::workspace_root())
        .output()
        .unwrap();
    let head = String::from_utf8_lossy(&head.stdout).trim().to_owned();
    assert_eq!(
        said.trim(),
        format!("ardoise {} (commit {head})", env!("CARGO_PKG_VERSION"))
    );
}

#[tokio::test]
async fn metrics_on_their_own_address_are_not_on_the_public_one() {
    let port = free_port();
    let metrics_addr = format!("127.0.0.1:{port}");
    let server = TestServer::start_with(
        std::sync::Arc::new(TestDatabase::new(Db::Sqlite)),
        &["--metrics-addr", &metrics_addr],
    )
    .await;
    let public = reqwest::get(format!("{}/metrics", server.http_url()))
        .await
        .unwrap();
    assert_eq!(public.status(), 404);
    let private = reqwest::get(format!("http://{metrics_addr}/metrics"))
        .await
        .unwrap();
    assert_eq!(private.status(), 200);
    assert!(private
        .text()
        .await
        .unwrap()
        .contains("ardoise_open_boards"));
    // Only /metrics there: no page, no API.
    let page = reqwest::get(format!("http://{metrics_addr}/"))
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_on_a_fresh_server() {
    let server = TestServer::start().await;
    let board = server.create_board("Sauvegardé").await;
    let mut alice = SyncClient::open(&server, &board).await;
    // What the server relays it has stored: carol seeing a change means it is in the database.
    let mut carol = SyncClient::open(&server, &board).await;
    let first = alice
        .edit(|b| b.add_note(NewNote::with_text("avant la sauvegarde")))
        .await;
    carol
        .wait_until("the first post-it is stored", |v| v.note(&first).is_some())
        .await;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("ardoise-backup.db");
    let copy_arg = copy.to_str().unwrap();

    // While alice goes on writing.
    let writing = tokio::spawn(async move {
        for i in 0..20 {
            alice
                .edit(|b| b.add_note(NewNote::with_text(&format!("pendant {i}"))))
                .await;
        }
        alice
    });
    let out = server.run_cli(&["backup", "--output", copy_arg]);
    assert!(
        out.status.success(),
        "backup: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _alice = writing.await.unwrap();
    carol
        .wait_until("every post-it is stored", |v| v.notes.len() == 21)
        .await;
    let size = std::fs::metadata(&copy).unwrap().len();

    // Never over an existing file.
    let again = server.run_cli(&["backup", "--output", copy_arg]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    assert_eq!(std::fs::metadata(&copy).unwrap().len(), size);

    // Restored: the copy in the place of a fresh server's database.
    let fresh = TestDatabase::new(Db::Sqlite);
    let path = fresh.url.strip_prefix("sqlite://").unwrap();
    std::fs::create_dir_all(Path::new(path).parent().unwrap()).unwrap();
    std::fs::copy(&copy, path).unwrap();
    let restored = TestServer::start_with(std::sync::Arc::new(fresh), &[]).await;
    let mut bob = SyncClient::open(&restored, &board).await;
    let view = bob.view();
    assert_eq!(view.title, "Sauvegardé");
    assert!(
        view.note(&first).is_some(),
        "what was there before is restored"
    );
    // What was written during the copy is there or not, each change whole: the copy is one
    // consistent moment of the database.
    let during = view
        .notes
        .iter()
        .filter(|n| n.text.starts_with("pendant"))
        .count();
    let expected: Vec<String> = (0..during).map(|i| format!("pendant {i}")).collect();
    let mut seen: Vec<String> = view
        .notes
        .iter()
        .filter(|n| n.text.starts_with("pendant"))
        .map(|n| n.text.clone())
        .collect();
    seen.sort_by_key(|t| t[8..].parse::<u32>().unwrap());
    assert_eq!(seen, expected, "a prefix of alice's changes, in order");
    // And the restored server goes on.
    let later = bob
        .edit(|b| b.add_note(NewNote::with_text("après la restauration")))
        .await;
    let mut dave = SyncClient::open(&restored, &board).await;
    dave.wait_until("the restored server stores", |v| v.note(&later).is_some())
        .await;
    assert!(restored.board_json(&board).await["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["id"] == later.as_str()));

    // PostgreSQL is backed up with its own tools.
    let postgres = TestServer::start_on(Db::Postgres).await;
    let out = postgres.run_cli(&[
        "backup",
        "--output",
        dir.path().join("pg.db").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));
}
