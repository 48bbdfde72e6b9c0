//! The storage layer on a real SQLite file and a real PostgreSQL database, with the same test
//! bodies on both: the change log, compaction, several servers writing to one board, deletion,
//! import, and damaged bytes.

use app::{
    ids::BoardId,
    model::{Board, NewNote},
};
use ardoise_server::storage::{Compaction, Imported, Storage};
use ardoise_tests::{database_tests, stored_board, Db, TestDatabase, OPEN_WITHOUT_LINKS};

fn texts(board: &Board) -> Vec<String> {
    let mut texts: Vec<String> = board.view().notes.into_iter().map(|n| n.text).collect();
    texts.sort();
    texts
}

/// Another replica of the board, with its own actor, as another server or client holds.
fn replica(board: &mut Board) -> Board {
    let mut replica = board.fork();
    replica.save_incremental();
    replica
}

/// A new board stored in `storage`, and its document.
async fn new_board(storage: &Storage) -> (BoardId, Board) {
    stored_board(storage, "Atelier").await
}

/// Adds a post-it to `board` and appends the change; returns its number.
async fn append_note(storage: &Storage, id: &BoardId, board: &mut Board, text: &str) -> i64 {
    board.add_note(NewNote::with_text(text)).unwrap();
    let change = board.save_incremental();
    storage.append_change(id, &change).await.unwrap()
}

/// Rows of `table` that belong to board `id`.
async fn count(db: &TestDatabase, table: &str, id: &BoardId) -> i64 {
    let column = if table == "boards" { "id" } else { "board_id" };
    db.count(&format!(
        "SELECT COUNT(*) FROM {table} WHERE {column} = '{id}'"
    ))
    .await
}

database_tests! {
    async fn a_board_is_its_snapshot_plus_its_change_log(db) {
        let database = TestDatabase::new(db);
        let storage = Storage::connect(&database.url).await.unwrap();
        let (id, mut board) = new_board(&storage).await;
        assert_eq!(append_note(&storage, &id, &mut board, "un").await, 1);
        assert_eq!(append_note(&storage, &id, &mut board, "deux").await, 2);

        // Reopening the database (a restart) runs the migrations again, harmlessly.
        let storage = Storage::connect(&database.url).await.unwrap();
        let loaded = storage.load_document(&id).await.unwrap().unwrap();
        assert!(!loaded.damaged);
        assert_eq!(loaded.stored.changes.len(), 2);
        assert_eq!(loaded.stored.last_seq, 2);
        assert_eq!(texts(&loaded.board), ["deux", "un"]);
        assert_eq!(loaded.board.view(), board.view());
        assert!(storage.load_document(&BoardId::random()).await.unwrap().is_none());
    }

    async fn compaction_folds_the_log_into_the_snapshot_and_loses_nothing(db) {
        let database = TestDatabase::new(db);
        let storage = Storage::connect(&database.url).await.unwrap();
        let (id, mut board) = new_board(&storage).await;
        for text in ["a", "b", "c"] {
            append_note(&storage, &id, &mut board, text).await;
        }
        let compaction = storage.compact(&id, &board.save(), 3).await.unwrap();
        assert_eq!(compaction, Compaction::Done);
        assert_eq!(count(&database, "board_changes", &id).await, 0);
        // Numbers go on after a compaction.
        assert_eq!(append_note(&storage, &id, &mut board, "d").await, 4);
        let loaded = storage.load_document(&id).await.unwrap().unwrap();
        assert_eq!(loaded.stored.changes.len(), 1);
        assert_eq!(texts(&loaded.board), ["a", "b", "c", "d"]);
    }

    async fn a_server_that_missed_changes_cannot_compact_them_away(db) {
        // Two servers with the same board in memory, one database.
        let database = TestDatabase::new(db);
        let first = Storage::connect(&database.url).await.unwrap();
        let second = Storage::connect(&database.url).await.unwrap();
        let (id, mut board_a) = new_board(&first).await;
        let mut board_b = replica(&mut board_a);
        assert_eq!(append_note(&first, &id, &mut board_a, "from A").await, 1);
        assert_eq!(append_note(&second, &id, &mut board_b, "from B").await, 2);

        // A only knows change 1: compacting now would drop B's change.
        let refused = first.compact(&id, &board_a.save(), 1).await.unwrap();
        assert_eq!(refused, Compaction::Behind);
        let catch_up = first.changes_since(&id, 1).await.unwrap().unwrap();
        assert_eq!(catch_up.last_seq, 2);
        assert!(catch_up.snapshot.is_none());
        for change in &catch_up.changes {
            board_a.load_incremental(&change.data).unwrap();
        }
        assert_eq!(first.compact(&id, &board_a.save(), 2).await.unwrap(), Compaction::Done);

        // B, behind a compaction now, catches up from the snapshot.
        let catch_up = second.changes_since(&id, 0).await.unwrap().unwrap();
        assert!(catch_up.snapshot.is_some());
        let loaded = second.load_document(&id).await.unwrap().unwrap();
        assert_eq!(texts(&loaded.board), ["from A", "from B"]);
    }

    async fn concurrent_writers_to_one_board_get_distinct_numbers_and_lose_nothing(db) {
        let database = TestDatabase::new(db);
        let first = Storage::connect(&database.url).await.unwrap();
        let second = Storage::connect(&database.url).await.unwrap();
        let (id, mut board) = new_board(&first).await;
        let writer = |storage: Storage, mut board: Board, name: &'static str| {
            let id = id.clone();
            tokio::spawn(async move {
                let mut seqs = Vec::new();
                for i in 0..40 {
                    board.add_note(NewNote::with_text(&format!("{name} {i}"))).unwrap();
                    let change = board.save_incremental();
                    seqs.push(storage.append_change(&id, &change).await.unwrap());
                }
                seqs
            })
        };
        let a = writer(first.clone(), replica(&mut board), "a");
        let b = writer(second.clone(), replica(&mut board), "b");
        let mut seqs = a.await.unwrap();
        seqs.extend(b.await.unwrap());
        seqs.sort();
        assert_eq!(seqs, (1..=80).collect::<Vec<i64>>());
        let loaded = first.load_document(&id).await.unwrap().unwrap();
        assert_eq!(loaded.board.view().notes.len(), 80);
    }

    async fn deleting_a_board_removes_it_and_its_history_from_the_database(db) {
        let database = TestDatabase::new(db);
        let storage = Storage::connect(&database.url).await.unwrap();
        let (id, mut board) = new_board(&storage).await;
        let (other, _) = new_board(&storage).await;
        append_note(&storage, &id, &mut board, "bientôt effacé").await;
        assert!(storage.delete_board(&id).await.unwrap());
        assert_eq!(count(&database, "boards", &id).await, 0);
        assert_eq!(count(&database, "board_changes", &id).await, 0);
        assert!(storage.load_board(&id).await.unwrap().is_none());
        assert!(!storage.delete_board(&id).await.unwrap());
        // Appending to a deleted board fails and stores nothing.
        assert!(storage.append_change(&id, b"x").await.is_err());
        assert_eq!(count(&database, "board_changes", &id).await, 0);
        assert!(storage.load_board(&other).await.unwrap().is_some());
    }

    async fn only_boards_idle_past_the_cutoff_are_deleted_by_retention(db) {
        let database = TestDatabase::new(db);
        let storage = Storage::connect(&database.url).await.unwrap();
        let (old, _) = new_board(&storage).await;
        let (recent, _) = new_board(&storage).await;
        database
            .execute(&format!("UPDATE boards SET updated_at = 1000 WHERE id = '{old}'"), None)
            .await;
        let idle = storage.boards_idle_since(5000).await.unwrap();
        assert_eq!(idle, std::slice::from_ref(&old));
        assert!(!storage.delete_board_if_idle(&recent, 5000).await.unwrap());
        assert!(storage.delete_board_if_idle(&old, 5000).await.unwrap());
        assert!(storage.load_board(&old).await.unwrap().is_none());
        assert!(storage.load_board(&recent).await.unwrap().is_some());
    }

    async fn an_import_creates_a_board_or_merges_into_it(db) {
        let database = TestDatabase::new(db);
        let storage = Storage::connect(&database.url).await.unwrap();
        let (id, mut board) = new_board(&storage).await;
        let mut exported = replica(&mut board);
        exported.add_note(NewNote::with_text("exporté")).unwrap();
        append_note(&storage, &id, &mut board, "resté sur place").await;

        let fresh = BoardId::random();
        let created = storage.import_board(&fresh, "Atelier", &exported.save(), &OPEN_WITHOUT_LINKS).await.unwrap();
        assert_eq!(created, Imported::Created);
        let merged = storage.import_board(&id, "Atelier", &exported.save(), &OPEN_WITHOUT_LINKS).await.unwrap();
        assert_eq!(merged, Imported::Merged);

        let loaded = storage.load_document(&fresh).await.unwrap().unwrap();
        assert_eq!(texts(&loaded.board), ["exporté"]);
        let loaded = storage.load_document(&id).await.unwrap().unwrap();
        assert_eq!(texts(&loaded.board), ["exporté", "resté sur place"]);
    }

    async fn damaged_bytes_in_the_database_do_not_make_a_board_unreadable(db) {
        let database = TestDatabase::new(db);
        let storage = Storage::connect(&database.url).await.unwrap();
        let (id, mut board) = new_board(&storage).await;
        let mut independent = replica(&mut board);
        append_note(&storage, &id, &mut board, "abîmé").await;
        append_note(&storage, &id, &mut independent, "intact").await;

        // A change cut in half (a torn write, a bad disk).
        let whole = storage.load_board(&id).await.unwrap().unwrap().changes[0].data.clone();
        database
            .execute(
                "UPDATE board_changes SET data = $1 WHERE seq = 1",
                Some(whole[..whole.len() / 2].to_vec()),
            )
            .await;
        let loaded = storage.load_document(&id).await.unwrap().unwrap();
        assert!(loaded.damaged);
        assert_eq!(loaded.board.view().title, "Atelier");
        assert_eq!(texts(&loaded.board), ["intact"]);

        // A truncated snapshot: the board still loads (with what can be read), flagged damaged.
        let snapshot = storage.load_board(&id).await.unwrap().unwrap().snapshot;
        database
            .execute(
                "UPDATE boards SET snapshot = $1",
                Some(snapshot[..snapshot.len() / 2].to_vec()),
            )
            .await;
        let loaded = storage.load_document(&id).await.unwrap().unwrap();
        assert!(loaded.damaged);
    }
}

#[tokio::test]
async fn the_postgres_tests_really_use_postgres() {
    let database = TestDatabase::new(Db::Postgres);
    assert!(database.url.starts_with("postgres://"));
    let storage = Storage::connect(&database.url).await.unwrap();
    assert_eq!(storage.kind(), ardoise_server::storage::DbKind::Postgres);
}
