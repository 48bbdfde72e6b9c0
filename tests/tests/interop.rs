//! The published JavaScript automerge-repo client syncs with Ardoise over `/sync`.

use std::{path::PathBuf, process::Command};

use app::model::{Colour, NewNote};
use ardoise_tests::{Serves, SyncClient, TestServer};

#[tokio::test]
async fn automerge_repo_reads_ardoise_post_its_and_writes_its_own() {
    let end2end = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../end2end");
    assert!(
        end2end
            .join("node_modules/@automerge/automerge-repo")
            .exists(),
        "end2end/node_modules is missing: run scripts/setup.sh --test"
    );
    let server = TestServer::start().await;
    let board = server.create_board("Interopérabilité").await;
    let mut alice = SyncClient::open(&server, &board).await;
    let text = "Écrit dans Ardoise";
    alice
        .edit(|b| {
            b.add_note(NewNote {
                text: text.into(),
                x: 10.0,
                y: 10.0,
                colour: Colour::Blue,
                author: None,
                created_at: 1,
            })
        })
        .await;
    // Stored once another peer has it.
    SyncClient::open(&server, &board)
        .await
        .wait_until("the note is stored", |v| v.notes.len() == 1)
        .await;

    let sync_url = server.sync_url();
    let automerge_url = board.automerge_url();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .current_dir(&end2end)
            .args(["interop.mjs", &sync_url, &automerge_url, text])
            .output()
            .expect("run node")
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "automerge-repo client failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );

    let view = alice
        .wait_until("alice sees the automerge-repo post-it", |v| {
            v.notes.len() == 2
        })
        .await;
    let written = view
        .notes
        .iter()
        .find(|n| n.id.as_str() == "fromAutomergeRepo")
        .expect("the post-it written by automerge-repo");
    assert_eq!(written.text, "Écrit par automerge-repo");
    assert_eq!(
        (written.x, written.y, written.colour),
        (400.0, 200.0, Colour::Green)
    );
}
