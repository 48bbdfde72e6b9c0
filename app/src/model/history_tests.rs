//! Tests of the board's history: signatures, the board at every point, bursts, a post-it's own
//! history, and restores.

use super::*;
use crate::ids::NoteId;

const T0: i64 = 1_764_000_000_000;
const MINUTE: i64 = 60_000;

fn by(name: &str, at_ms: i64) -> Signature {
    Signature::person(Some(name.to_owned()), at_ms)
}

fn new_note(board: &mut Board, text: &str, x: f64) -> NoteId {
    board
        .add_note(NewNote {
            text: text.to_owned(),
            x,
            y: 0.0,
            colour: Colour::Yellow,
            author: None,
            created_at: 0,
        })
        .unwrap()
}

/// Each replica's board after each of its edits: what the slider must show again.
struct Recorded {
    heads: Vec<automerge::ChangeHash>,
    view: BoardView,
}

fn record(board: &mut Board, moments: &mut Vec<Recorded>) {
    moments.push(Recorded {
        heads: board.heads(),
        view: board.view(),
    });
}

#[test]
fn the_board_at_every_point_of_its_history_is_the_board_as_it_was_then() {
    let mut moments = Vec::new();
    let mut alice = Board::new("Rétro").unwrap();
    alice.sign(&by("Alice", T0));
    record(&mut alice, &mut moments);
    let first = new_note(&mut alice, "Café", 0.0);
    alice.sign(&by("Alice", T0 + MINUTE));
    record(&mut alice, &mut moments);

    // Bob and Carole work at the same time from Alice's version, unaware of each other.
    let mut bob = alice.fork();
    let mut carole = alice.fork();
    bob.set_note_text(&first, "Café chaud").unwrap();
    bob.sign(&by("Bob", T0 + 2 * MINUTE));
    record(&mut bob, &mut moments);
    let bobs = new_note(&mut bob, "Pause", 200.0);
    bob.sign(&by("Bob", T0 + 3 * MINUTE));
    record(&mut bob, &mut moments);
    carole.set_note_colour(&first, Colour::Blue).unwrap();
    carole.sign(&by("Carole", T0 + 2 * MINUTE));
    record(&mut carole, &mut moments);
    carole.delete_note(&first).unwrap();
    carole.sign(&by("Carole", T0 + 4 * MINUTE));
    record(&mut carole, &mut moments);

    // Alice merges both, then writes on.
    alice.merge(&mut bob).unwrap();
    alice.merge(&mut carole).unwrap();
    record(&mut alice, &mut moments);
    alice.set_note_text(&bobs, "Pause longue").unwrap();
    alice.sign(&by("Alice", T0 + 5 * MINUTE));
    record(&mut alice, &mut moments);

    let history = alice.history();
    assert_eq!(history.len(), 7, "every change once");
    let authors: Vec<&Author> = history.versions.iter().map(|v| &v.author).collect();
    for name in ["Alice", "Bob", "Carole"] {
        assert!(authors.contains(&&Author::Person(name.into())));
    }
    // Every point is a version some peer could hold: the changes before it, and only those,
    // loaded into a new document give the board the slider shows.
    let changes: std::collections::HashMap<String, automerge::Change> = alice
        .doc
        .get_changes(&[])
        .into_iter()
        .map(|c| (c.hash().to_string(), c))
        .collect();
    for (i, version) in history.versions.iter().enumerate() {
        let mut rebuilt = Board::empty();
        for earlier in &history.versions[..=i] {
            rebuilt
                .load_incremental(changes[&earlier.hash].raw_bytes())
                .unwrap();
        }
        assert!(
            rebuilt.missing_deps(&[]).is_empty(),
            "point {i} lacks a change it depends on"
        );
        assert_eq!(alice.view_at(history.heads(i)), rebuilt.view(), "point {i}");
        let mut heads = rebuilt.heads();
        heads.sort();
        let mut shown = version.heads.clone();
        shown.sort();
        assert_eq!(heads, shown, "point {i}'s heads");
    }
    // Each moment a replica recorded is shown again as it was, from the merged document.
    for (i, moment) in moments.iter().enumerate() {
        assert_eq!(alice.view_at(&moment.heads), moment.view, "moment {i}");
    }
    assert_eq!(
        alice.view_at(history.heads(history.len() - 1)),
        alice.view()
    );
}

#[test]
fn signatures_survive_a_save_and_a_load_and_unsigned_changes_have_an_unknown_author() {
    let mut board = Board::new("Atelier").unwrap();
    // Made before signatures existed: committed without time or message.
    board.heads();
    new_note(&mut board, "premier", 0.0);
    board.sign(&by("Élodie", T0 + 1_500));
    board.set_title("Atelier du 3").unwrap();
    board.sign(&Signature::server(T0 + 2_000));

    let mut loaded = Board::load(&board.save()).unwrap();
    let history = loaded.history();
    let summary: Vec<(Author, i64)> = history
        .versions
        .iter()
        .map(|v| (v.author.clone(), v.time))
        .collect();
    assert_eq!(
        summary,
        vec![
            (Author::Unknown, 0),
            (Author::Person("Élodie".into()), (T0 + 1_500) / 1000),
            (Author::Server, (T0 + 2_000) / 1000),
        ]
    );
    assert_eq!(history, board.history());
}

#[test]
fn a_signature_without_a_name_says_nothing_of_the_person_and_an_empty_edit_makes_no_change() {
    let mut board = Board::new("Anonyme").unwrap();
    board.heads();
    new_note(&mut board, "sans nom", 0.0);
    assert!(board
        .sign(&Signature::person(Some("  ".into()), T0))
        .is_some());
    assert_eq!(board.sign(&by("Alice", T0)), None, "nothing to sign");
    let history = board.history();
    assert_eq!(history.len(), 2);
    assert_eq!(history.versions[1].author, Author::Unknown);
}

#[test]
fn a_change_signed_with_a_name_counts_as_writing_an_author_and_a_long_message_is_refused() {
    let mut board = Board::new("Anonyme").unwrap();
    let before = board.heads();
    board.set_title("Titre").unwrap();
    board.sign(&by("Alice", T0));
    assert!(board.written_since(&before).author);

    let before = board.heads();
    board.set_title("Titre 2").unwrap();
    board.sign(&Signature::person(None, T0));
    assert_eq!(board.written_since(&before), Written::default());

    let before = board.heads();
    board.set_title("Titre 3").unwrap();
    // Ardoise clips names; another client may write any message.
    let long = format!("{{\"author\":\"{}\"}}", "x".repeat(MAX_MESSAGE_BYTES));
    board
        .doc
        .commit_with(automerge::transaction::CommitOptions::default().with_message(long));
    assert!(board.written_since(&before).text_too_long);
}

#[test]
fn changes_group_by_person_and_by_burst_of_activity() {
    let mut board = Board::new("Rétro").unwrap();
    board.sign(&by("Alice", T0));
    let id = new_note(&mut board, "a", 0.0);
    board.sign(&by("Alice", T0 + 2 * MINUTE));
    board.set_note_text(&id, "ab").unwrap();
    board.sign(&by("Alice", T0 + 6 * MINUTE));
    board.set_note_text(&id, "abc").unwrap();
    board.sign(&by("Bob", T0 + 7 * MINUTE));
    board.set_note_text(&id, "abcd").unwrap();
    board.sign(&by("Alice", T0 + 8 * MINUTE));
    board.set_note_text(&id, "abcde").unwrap();
    board.sign(&by("Alice", T0 + 20 * MINUTE));

    let bursts = board.history().bursts();
    let shape: Vec<(Author, usize, usize)> = bursts
        .iter()
        .map(|b| (b.author.clone(), b.first, b.last))
        .collect();
    let alice = Author::Person("Alice".into());
    assert_eq!(
        shape,
        vec![
            (alice.clone(), 0, 2),
            (Author::Person("Bob".into()), 3, 3),
            (alice.clone(), 4, 4),
            (alice, 5, 5),
        ]
    );
    assert_eq!(
        (bursts[0].from, bursts[0].to),
        (T0 / 1000, (T0 + 6 * MINUTE) / 1000)
    );
}

#[test]
fn a_post_it_has_its_own_history_with_who_wrote_each_version() {
    let mut board = Board::new("Rétro").unwrap();
    board.sign(&by("Alice", T0));
    let id = new_note(&mut board, "Idée", 0.0);
    board.sign(&by("Alice", T0 + MINUTE));
    let other = new_note(&mut board, "Autre", 400.0);
    board.sign(&by("Bob", T0 + 2 * MINUTE));
    board.set_note_text(&id, "Idée précisée").unwrap();
    board.sign(&by("Carole", T0 + 3 * MINUTE));
    board.set_note_text(&other, "Autre chose").unwrap();
    board.sign(&by("Bob", T0 + 4 * MINUTE));
    board.delete_note(&id).unwrap();
    board.sign(&by("Bob", T0 + 5 * MINUTE));

    let history = board.history();
    let versions = board.note_history(&history, &id);
    let told: Vec<(Author, Option<String>)> = versions
        .iter()
        .map(|v| {
            (
                history.versions[v.index].author.clone(),
                v.note.as_ref().map(|n| n.text.clone()),
            )
        })
        .collect();
    assert_eq!(
        told,
        vec![
            (Author::Person("Alice".into()), Some("Idée".into())),
            (
                Author::Person("Carole".into()),
                Some("Idée précisée".into())
            ),
            (Author::Person("Bob".into()), None),
        ]
    );
}

#[test]
fn a_deleted_post_it_is_restored_by_one_new_change_that_another_peer_receives_and_undo_takes_back()
{
    let mut alice = Board::new("Rétro").unwrap();
    alice.sign(&by("Alice", T0));
    let id = new_note(&mut alice, "À garder", 120.0);
    alice.set_note_colour(&id, Colour::Green).unwrap();
    alice.sign(&by("Alice", T0 + MINUTE));
    let kept = alice.view().note(&id).cloned().unwrap();
    alice.delete_note(&id).unwrap();
    alice.sign(&by("Bob", T0 + 2 * MINUTE));
    let mut bob = alice.fork();

    let history = alice.history();
    let before = history.len();
    let past = alice.note_at(history.heads(1), &id).unwrap();
    let board_before = alice.view();
    assert!(alice.restore_note(&past).unwrap());
    alice.sign(&by("Alice", T0 + 3 * MINUTE).restoring((T0 + MINUTE) / 1000));
    let history = alice.history();
    assert_eq!(history.len(), before + 1, "exactly one new change");
    assert_eq!(
        history.versions[before].restored,
        Some((T0 + MINUTE) / 1000)
    );
    assert_eq!(
        alice.view().note(&id),
        Some(&kept),
        "text, place and colour back"
    );
    assert!(
        alice.view_at(history.heads(before - 1)).note(&id).is_none(),
        "the deletion stays in the history"
    );

    bob.merge(&mut alice).unwrap();
    assert_eq!(bob.view(), alice.view(), "the other peer converges");

    let restored = Change::between(&board_before, &alice.view());
    assert!(alice.apply(&restored.inverse()).unwrap());
    assert!(alice.view().note(&id).is_none(), "undo takes it back");
}

#[test]
fn a_post_it_restored_to_an_earlier_version_gets_its_text_place_and_colour_back_not_its_dots() {
    let mut board = Board::new("Rétro").unwrap();
    let id = new_note(&mut board, "Première version", 10.0);
    board.sign(&by("Alice", T0));
    let then = board.history();
    board.set_note_text(&id, "Deuxième").unwrap();
    board.move_note(&id, 500.0, 300.0).unwrap();
    board.set_note_colour(&id, Colour::Pink).unwrap();
    board.add_dots(&id, Dot::ALL[0], 2).unwrap();
    board.sign(&by("Bob", T0 + MINUTE));

    let past = board.note_at(then.heads(then.len() - 1), &id).unwrap();
    assert!(board.restore_note(&past).unwrap());
    let note = board.view().note(&id).cloned().unwrap();
    assert_eq!(
        (note.text.as_str(), note.x, note.y, note.colour),
        ("Première version", 10.0, 0.0, Colour::Yellow)
    );
    assert_eq!(note.dots(Dot::ALL[0]), 2, "votes are not taken back");
}

#[test]
fn the_whole_board_is_restored_to_a_moment_as_one_change() {
    let mut alice = Board::new("Rétro").unwrap();
    let kept = new_note(&mut alice, "Gardé", 0.0);
    alice.sign(&by("Alice", T0));
    let moment = alice.heads();
    let then = alice.view();
    alice.set_title("Autre titre").unwrap();
    alice.delete_note(&kept).unwrap();
    new_note(&mut alice, "Ajouté après", 300.0);
    alice.add_column("Après").unwrap();
    alice.sign(&by("Bob", T0 + MINUTE));
    let mut bob = alice.fork();

    let before = alice.history().len();
    assert!(alice.restore_board(&moment).unwrap());
    alice.sign(&by("Alice", T0 + 2 * MINUTE).restoring(T0 / 1000));
    assert_eq!(alice.history().len(), before + 1);
    let now = alice.view();
    assert_eq!(now.title, then.title);
    assert_eq!(now.notes, then.notes);
    assert_eq!(now.columns, then.columns);
    bob.merge(&mut alice).unwrap();
    assert_eq!(bob.view(), now);
}
