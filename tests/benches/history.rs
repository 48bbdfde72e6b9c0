//! History benchmark: what opening the History panel and moving its slider cost on a board of
//! 1,000 post-its and 10,000 changes by three people, and what signing every change costs in
//! bytes. Native code, on the document the browser holds (the browser runs the same Rust as
//! WebAssembly, typically 1.5 to 3 times slower).
//!
//! `cargo bench -p ardoise-tests --bench history`. Prints a table and writes
//! `target/bench/history.json` (under `$CARGO_TARGET_DIR` when set).

use std::time::{Duration, Instant};

use app::model::{Board, NewNote, Signature};
use ardoise_tests::bench;

const NOTES: usize = 1_000;
const CHANGES: usize = 10_000;
const SAMPLES: usize = 11;
const PEOPLE: [&str; 3] = ["Alice", "Bob", "Chloé"];

/// A board of [`NOTES`] post-its reached through [`CHANGES`] changes, each signed (or not).
fn board(signed: bool) -> Board {
    let mut board = Board::new("Vision 2030").unwrap();
    let mut ids = Vec::new();
    let start = 1_764_000_000_000_i64;
    for i in 0..CHANGES {
        if i < NOTES {
            ids.push(
                board
                    .add_note(NewNote::with_text("Une idée").at(i as f64 * 7.0, 0.0))
                    .unwrap(),
            );
        } else {
            let id = &ids[i % NOTES];
            board
                .set_note_text(id, &format!("Une idée, version {i}"))
                .unwrap();
        }
        let who = PEOPLE[(i / 50) % PEOPLE.len()];
        let time = start + i as i64 * 20_000;
        if signed {
            board.sign(&Signature::person(Some(who.to_owned()), time));
        } else {
            board.heads();
        }
    }
    board
}

fn median(mut run: impl FnMut()) -> f64 {
    let samples: Vec<Duration> = (0..SAMPLES)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .collect();
    bench::median_ms(samples)
}

fn main() {
    let mut signed = board(true);
    let mut unsigned = board(false);
    let signed_bytes = signed.save().len();
    let unsigned_bytes = unsigned.save().len();
    let history_ms = median(|| {
        signed.history();
    });
    let history = signed.history();
    let bursts_ms = median(|| {
        history.bursts();
    });
    let heads = history.heads(CHANGES / 2).to_vec();
    let view_at_ms = median(|| {
        signed.view_at(&heads);
    });
    let view_ms = median(|| {
        signed.view();
    });
    let note = signed.view().notes[0].id.clone();
    let note_history_ms = median(|| {
        signed.note_history(&history, &note);
    });
    println!(
        "{NOTES} post-its, {CHANGES} changes by {} people; medians of {SAMPLES}",
        PEOPLE.len()
    );
    println!("read the history (open the panel)      {history_ms:>8.1} ms");
    println!("group it in bursts                     {bursts_ms:>8.1} ms");
    println!("the board at the middle (move slider)  {view_at_ms:>8.1} ms (the board now: {view_ms:.1} ms)");
    println!("one post-it's versions                 {note_history_ms:>8.1} ms");
    println!(
        "saved document: {signed_bytes} B signed, {unsigned_bytes} B unsigned (+{:.1}%, {:.1} B per change)",
        (signed_bytes as f64 / unsigned_bytes as f64 - 1.0) * 100.0,
        (signed_bytes as f64 - unsigned_bytes as f64) / CHANGES as f64
    );
    bench::write_json(
        "history",
        &serde_json::json!({
            "notes": NOTES,
            "changes": CHANGES,
            "history_ms": history_ms,
            "bursts_ms": bursts_ms,
            "view_at_middle_ms": view_at_ms,
            "view_now_ms": view_ms,
            "note_history_ms": note_history_ms,
            "saved_bytes_signed": signed_bytes,
            "saved_bytes_unsigned": unsigned_bytes,
        }),
    );
}
