//! The published JavaScript automerge-repo client syncs with Ardoise over `/sync?k=`, with
//! exactly the rights of its link.

use std::{path::PathBuf, process::Command};

use app::ids::BoardId;
use app::model::{Colour, NewNote};
use ardoise_tests::{Serves, SyncClient, TestServer};

/// Runs `interop.mjs` with a link's secret; whether it succeeded, and what it said.
async fn automerge_repo(
    server: &TestServer,
    board: &BoardId,
    secret: &str,
    text: &str,
    role: &str,
) -> (bool, String) {
    let end2end = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../end2end");
    let args = [
        "interop.mjs".to_owned(),
        format!("{}?k={secret}", server.sync_url()),
        board.automerge_url(),
        text.to_owned(),
        role.to_owned(),
    ];
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .current_dir(&end2end)
            .args(args)
            .output()
            .expect("run node")
    })
    .await
    .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), said)
}

#[tokio::test]
async fn automerge_repo_writes_with_a_participant_link_and_cannot_with_an_observer_link() {
    let end2end = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../end2end");
    assert!(
        end2end
            .join("node_modules/@automerge/automerge-repo")
            .exists(),
        "end2end/node_modules is missing: run scripts/setup.sh --test"
    );
    let server = TestServer::start().await;
    let created = server.create_closed_board("Interopérabilité").await;
    let board = created.id.clone();
    let mut alice = SyncClient::open_with_link(&server, &board, &created.facilitator).await;
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
    SyncClient::open_with_link(&server, &board, &created.observer)
        .await
        .wait_until("the note is stored", |v| v.notes.len() == 1)
        .await;

    let (ok, said) = automerge_repo(&server, &board, &created.observer, text, "observer").await;
    assert!(ok, "automerge-repo with an observer link:\n{said}");
    let (ok, said) =
        automerge_repo(&server, &board, &created.participant, text, "participant").await;
    assert!(ok, "automerge-repo with a participant link:\n{said}");

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
