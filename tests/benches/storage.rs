//! Storage benchmark: bytes stored per post-it and per move, and the time to load a board of
//! 1,000 post-its, on SQLite and on PostgreSQL, through the same `Storage` the server uses.
//!
//! `cargo bench -p ardoise-tests --bench storage` (PostgreSQL from `$ARDOISE_TEST_POSTGRES`, by
//! default the local one). Prints a table and writes `target/bench/storage.json` (under
//! `$CARGO_TARGET_DIR` when set).
//!
//! A post-it is written the way the browser writes it: one change to create it, then its text
//! typed in bursts of a few characters (each burst one sync message, one stored change), then
//! moved once. Each change is one entry of the log, as the server stores one entry per write.

use std::time::Instant;

use app::{
    ids::BoardId,
    model::{Board, Colour, NewNote},
};
use ardoise_server::storage::{Compaction, Storage};
use ardoise_tests::{bench, stored_board, Db, TestDatabase};

const NOTES: usize = 1_000;
/// What each post-it says: 48 characters, typed in bursts of [`TYPING_BURST`].
const TEXT: &str = "Plus de pauses entre les ateliers de l'après-midi";
const TYPING_BURST: usize = 6;
/// Load-time samples per case; the median is reported.
const LOAD_SAMPLES: usize = 21;

struct Figures {
    database: &'static str,
    /// Automerge bytes of the changes that create and type one post-it.
    change_bytes_per_note: f64,
    /// Growth of the database (rows, indexes, page overhead) per post-it, as a change log.
    disk_bytes_per_note: f64,
    change_bytes_per_move: f64,
    disk_bytes_per_move: f64,
    /// Bytes of the compacted snapshot per post-it.
    snapshot_bytes_per_note: f64,
    load_log_ms: f64,
    load_compacted_ms: f64,
}

/// Bytes the database uses (pages in use for SQLite, relation sizes for PostgreSQL).
async fn database_bytes(db: &TestDatabase) -> f64 {
    let sql = match db.kind {
        Db::Sqlite => {
            // Fold the write-ahead log into the file first.
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)", None).await;
            "SELECT (c.page_count - f.freelist_count) * s.page_size \
             FROM pragma_page_count() c, pragma_freelist_count() f, pragma_page_size() s"
        }
        Db::Postgres => {
            db.execute("VACUUM", None).await;
            "SELECT (pg_total_relation_size('boards') + pg_total_relation_size('board_changes'))::BIGINT"
        }
    };
    db.count(sql).await as f64
}

async fn load_time(storage: &Storage, id: &BoardId) -> f64 {
    let mut samples = Vec::with_capacity(LOAD_SAMPLES);
    for _ in 0..LOAD_SAMPLES {
        let started = Instant::now();
        let loaded = storage
            .load_document(id)
            .await
            .expect("load")
            .expect("a board");
        samples.push(started.elapsed());
        assert_eq!(loaded.board.view().notes.len(), NOTES);
    }
    bench::median_ms(samples)
}

/// Stores each change the way the server does (one log entry per write) and counts its bytes.
struct Writer<'a> {
    storage: &'a Storage,
    id: BoardId,
    bytes: usize,
    seq: i64,
}

impl Writer<'_> {
    async fn store(&mut self, board: &mut Board) {
        let change = board.save_incremental();
        self.bytes += change.len();
        self.seq = self.storage.append_change(&self.id, &change).await.unwrap();
    }
}

async fn measure(kind: Db, name: &'static str) -> Figures {
    let db = TestDatabase::new(kind);
    let storage = Storage::connect(&db.url).await.expect("connect");
    let (id, mut board) = stored_board(&storage, "Banc d'essai").await;
    let mut writer = Writer {
        storage: &storage,
        id: id.clone(),
        bytes: 0,
        seq: 0,
    };
    let empty = database_bytes(&db).await;

    let chars: Vec<char> = TEXT.chars().collect();
    let mut ids = Vec::with_capacity(NOTES);
    for i in 0..NOTES {
        let note = NewNote {
            text: String::new(),
            x: (i % 40) as f64 * 180.0,
            y: (i / 40) as f64 * 180.0,
            colour: Colour::ALL[i % Colour::ALL.len()],
            author: Some("Camille".into()),
            created_at: 1_764_000_000_000 + i as i64,
        };
        let note_id = board.add_note(note).unwrap();
        writer.store(&mut board).await;
        let mut typed = 0;
        while typed < chars.len() {
            typed = (typed + TYPING_BURST).min(chars.len());
            let text: String = chars[..typed].iter().collect();
            board.set_note_text(&note_id, &text).unwrap();
            writer.store(&mut board).await;
        }
        ids.push(note_id);
    }
    let note_bytes = std::mem::take(&mut writer.bytes);
    let with_notes = database_bytes(&db).await;
    for (i, note_id) in ids.iter().enumerate() {
        board.move_note(note_id, 20.0 + i as f64, 40.0).unwrap();
        writer.store(&mut board).await;
    }
    let move_bytes = writer.bytes;
    let with_moves = database_bytes(&db).await;
    let load_log_ms = load_time(&storage, &id).await;

    let snapshot = board.save();
    let compaction = storage.compact(&id, &snapshot, writer.seq).await.unwrap();
    assert_eq!(compaction, Compaction::Done);
    let load_compacted_ms = load_time(&storage, &id).await;

    let n = NOTES as f64;
    Figures {
        database: name,
        change_bytes_per_note: note_bytes as f64 / n,
        disk_bytes_per_note: (with_notes - empty) / n,
        change_bytes_per_move: move_bytes as f64 / n,
        disk_bytes_per_move: (with_moves - with_notes) / n,
        snapshot_bytes_per_note: snapshot.len() as f64 / n,
        load_log_ms,
        load_compacted_ms,
    }
}

#[tokio::main]
async fn main() {
    let figures = [
        measure(Db::Sqlite, "SQLite").await,
        measure(Db::Postgres, "PostgreSQL").await,
    ];
    println!(
        "{NOTES} post-its of {} characters typed in bursts of {TYPING_BURST}, each moved once; \
         load of the board from its log and once compacted: median of {LOAD_SAMPLES}",
        TEXT.chars().count()
    );
    println!(
        "{:<11} {:>12} {:>12} {:>12} {:>12} {:>14} {:>13} {:>15}",
        "database",
        "change/note",
        "disk/note",
        "change/move",
        "disk/move",
        "snapshot/note",
        "load log ms",
        "load snap. ms"
    );
    let mut json = Vec::new();
    for f in &figures {
        println!(
            "{:<11} {:>10.0} B {:>10.0} B {:>10.0} B {:>10.0} B {:>12.0} B {:>13.1} {:>15.1}",
            f.database,
            f.change_bytes_per_note,
            f.disk_bytes_per_note,
            f.change_bytes_per_move,
            f.disk_bytes_per_move,
            f.snapshot_bytes_per_note,
            f.load_log_ms,
            f.load_compacted_ms
        );
        json.push(serde_json::json!({
            "database": f.database,
            "notes": NOTES,
            "change_bytes_per_note": f.change_bytes_per_note,
            "disk_bytes_per_note": f.disk_bytes_per_note,
            "change_bytes_per_move": f.change_bytes_per_move,
            "disk_bytes_per_move": f.disk_bytes_per_move,
            "snapshot_bytes_per_note": f.snapshot_bytes_per_note,
            "load_ms_from_log": f.load_log_ms,
            "load_ms_compacted": f.load_compacted_ms,
        }));
    }
    bench::write_json("storage", &json.into());
}
