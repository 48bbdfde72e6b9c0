//! Tests of the board model: edits, columns, dots, tolerant reads of what other clients write,
//! schema repair, concurrent edits merged, and undo that never takes back another person's work.

use automerge::{transaction::Transactable, ObjType, ReadDoc, ROOT};

use super::*;
use crate::ids::{ColumnId, NoteId};

fn note_at(x: f64, y: f64) -> NewNote {
    NewNote {
        text: String::new(),
        x,
        y,
        colour: Colour::Yellow,
        author: Some("Alice".into()),
        created_at: 1_700_000_000_000,
    }
}

#[test]
fn a_new_board_has_its_title_and_no_notes() {
    let board = Board::new("Bilan de formation").unwrap();
    let view = board.view();
    assert_eq!(view.title, "Bilan de formation");
    assert!(view.notes.is_empty());
    assert!(board.is_initialised());
    assert!(!Board::empty().is_initialised());
}

#[test]
fn notes_are_added_edited_moved_recoloured_and_deleted() {
    let mut board = Board::new("Retro").unwrap();
    let id = board.add_note(note_at(10.0, 20.0)).unwrap();
    board.set_note_text(&id, "Ce qui a bien marché").unwrap();
    board.move_note(&id, 300.5, -40.0).unwrap();
    board.set_note_colour(&id, Colour::Pink).unwrap();
    let note = board.view().note(&id).cloned().unwrap();
    assert_eq!(note.text, "Ce qui a bien marché");
    assert_eq!((note.x, note.y), (300.5, -40.0));
    assert_eq!(note.colour, Colour::Pink);
    assert_eq!(note.author.as_deref(), Some("Alice"));

    board.delete_note(&id).unwrap();
    assert!(board.view().notes.is_empty());
    assert!(matches!(
        board.delete_note(&id),
        Err(ModelError::NoSuchNote(_))
    ));
}

#[test]
fn two_people_typing_in_the_same_note_both_keep_their_words() {
    let mut alice = Board::new("Retro").unwrap();
    let id = alice.add_note(note_at(0.0, 0.0)).unwrap();
    alice.set_note_text(&id, "hello world").unwrap();
    let mut bob = Board::load(&alice.save()).unwrap();
    bob.doc.set_actor(automerge::ActorId::random());

    alice.set_note_text(&id, "hello brave world").unwrap();
    bob.set_note_text(&id, "hello world, again").unwrap();
    alice.doc.merge(&mut bob.doc).unwrap();
    bob.doc.merge(&mut alice.doc).unwrap();

    let merged = alice.view().note(&id).unwrap().text.clone();
    assert_eq!(merged, "hello brave world, again");
    assert_eq!(bob.view().note(&id).unwrap().text, merged);
}

#[test]
fn saved_boards_load_with_everything() {
    let mut board = Board::new("Météo du jour").unwrap();
    let id = board.add_note(note_at(1.0, 2.0)).unwrap();
    board.set_note_text(&id, "☀️ ensoleillé").unwrap();
    let loaded = Board::load(&board.save()).unwrap();
    assert_eq!(loaded.view(), board.view());
}

#[test]
fn coordinates_and_texts_are_kept_within_limits() {
    let mut board = Board::new(&"t".repeat(MAX_TITLE_CHARS + 50)).unwrap();
    assert_eq!(board.view().title.chars().count(), MAX_TITLE_CHARS);
    let id = board.add_note(note_at(f64::NAN, 1e12)).unwrap();
    board
        .set_note_text(&id, &"é".repeat(MAX_NOTE_TEXT_CHARS + 1))
        .unwrap();
    let note = board.view().note(&id).cloned().unwrap();
    assert_eq!((note.x, note.y), (0.0, BOARD_EXTENT));
    assert_eq!(note.text.chars().count(), MAX_NOTE_TEXT_CHARS);
}

#[test]
fn fields_written_by_other_clients_in_other_shapes_are_read_or_ignored() {
    let mut board = Board::new("Retro").unwrap();
    let notes = board.doc.get(ROOT, "notes").unwrap().unwrap().1;
    let doc = &mut board.doc;
    // A note as JavaScript writes it: integers and Text strings.
    let js = doc.put_object(&notes, "fromjs", ObjType::Map).unwrap();
    doc.put(&js, "x", 12_i64).unwrap();
    doc.put(&js, "y", 34_u64).unwrap();
    let colour = doc.put_object(&js, "colour", ObjType::Text).unwrap();
    doc.splice_text(&colour, 0, 0, "green").unwrap();
    doc.put(&js, "text", "plain string").unwrap();
    // Nonsense: wrong types, a bad key, a scalar where a note should be.
    let junk = doc.put_object(&notes, "junk", ObjType::Map).unwrap();
    doc.put(&junk, "x", "far away").unwrap();
    doc.put(&junk, "colour", "ultraviolet").unwrap();
    doc.put_object(&junk, "text", ObjType::List).unwrap();
    doc.put(&notes, "scalar", 3_i64).unwrap();
    doc.put_object(&notes, "bad/key", ObjType::Map).unwrap();

    let view = board.view();
    assert_eq!(view.notes.len(), 2);
    let js = view.note(&NoteId::parse("fromjs").unwrap()).unwrap();
    assert_eq!((js.x, js.y, js.colour), (12.0, 34.0, Colour::Green));
    assert_eq!(js.text, "plain string");
    let junk = view.note(&NoteId::parse("junk").unwrap()).unwrap();
    assert_eq!(
        (junk.x, junk.colour, junk.text.as_str()),
        (0.0, Colour::Yellow, "")
    );

    // Editing the scalar-string note turns its text into a Text object.
    let id = NoteId::parse("fromjs").unwrap();
    board.set_note_text(&id, "now text").unwrap();
    assert_eq!(board.view().note(&id).unwrap().text, "now text");
}

#[test]
fn a_document_without_notes_reads_as_empty_and_refuses_new_notes() {
    let mut doc = automerge::AutoCommit::new();
    doc.put(ROOT, "notes", "not a map").unwrap();
    let mut board = Board { doc };
    assert!(board.view().notes.is_empty());
    assert!(matches!(
        board.add_note(note_at(0.0, 0.0)),
        Err(ModelError::NoNotes)
    ));
}

#[test]
fn a_change_that_breaks_the_schema_is_repaired_and_reads_stay_tolerant() {
    let mut board = Board::new("Rétro").unwrap();
    board.add_note(note_at(1.0, 2.0)).unwrap();
    assert!(board.repair_schema().unwrap().is_empty());

    // What a hostile or buggy client could write.
    board.doc.put(ROOT, "notes", "plus de post-its").unwrap();
    board.doc.put(ROOT, "title", 42).unwrap();
    assert!(!board.is_initialised());
    assert!(board.view().notes.is_empty());

    assert_eq!(board.repair_schema().unwrap(), ["notes", "title"]);
    assert!(board.is_initialised());
    let id = board.add_note(note_at(3.0, 4.0)).unwrap();
    assert_eq!(board.view().note(&id).unwrap().x, 3.0);
    assert_eq!(board.view().title, "");
}

/// Two copies of one board, as two people hold it after a sync.
fn two_copies(board: &mut Board) -> (Board, Board) {
    let mut alice = Board::load(&board.save()).unwrap();
    alice.doc.set_actor(automerge::ActorId::random());
    let mut bob = Board::load(&board.save()).unwrap();
    bob.doc.set_actor(automerge::ActorId::random());
    (alice, bob)
}

fn sync_both(alice: &mut Board, bob: &mut Board) {
    alice.doc.merge(&mut bob.doc).unwrap();
    bob.doc.merge(&mut alice.doc).unwrap();
    assert_eq!(alice.view(), bob.view());
}

/// A local edit recorded for undo, as the board page records it.
fn recorded<R>(board: &mut Board, edit: impl FnOnce(&mut Board) -> R) -> (R, Change) {
    let before = board.view();
    let result = edit(board);
    (result, Change::between(&before, &board.view()))
}

#[test]
fn post_its_in_a_column_move_with_it_and_stay_put_when_it_is_removed() {
    let mut board = Board::new("Rétro").unwrap();
    let good = board.add_column("Ce qui a marché").unwrap();
    let bad = board.add_column("À améliorer").unwrap();
    let free = board.add_note(note_at(2_000.0, 100.0)).unwrap();
    // Dropped in the second column: its x is counted from that column.
    let id = board.add_note(note_at(COLUMN_WIDTH + 40.0, 200.0)).unwrap();
    let view = board.view();
    let note = view.note(&id).unwrap();
    assert_eq!(note.column.as_ref(), Some(&bad));
    assert_eq!(
        (note.x, view.position(note)),
        (40.0, (COLUMN_WIDTH + 40.0, 200.0))
    );
    assert_eq!(view.note(&free).unwrap().column, None);

    // The column goes to the left: its post-it goes with it.
    board.move_column(&bad, -1).unwrap();
    let view = board.view();
    assert_eq!(view.columns[0].id, bad);
    assert_eq!(view.position(view.note(&id).unwrap()), (40.0, 200.0));
    board.set_column_heading(&good, "Bravo").unwrap();
    assert_eq!(board.view().column(&good).unwrap().heading, "Bravo");

    // Moved out of any column, then back into the other one.
    board.move_note(&id, 2_500.0, 10.0).unwrap();
    assert_eq!(board.view().note(&id).unwrap().column, None);
    board.move_note(&id, COLUMN_WIDTH + 10.0, 10.0).unwrap();
    assert_eq!(board.view().note(&id).unwrap().column.as_ref(), Some(&good));

    // Removing a column: the ones at its right move left with their post-its; its own post-its
    // stay where they were, on the open canvas.
    board.remove_column(&bad).unwrap();
    let view = board.view();
    assert_eq!(view.position(view.note(&id).unwrap()), (10.0, 10.0));
    board.remove_column(&good).unwrap();
    let view = board.view();
    assert!(view.columns.is_empty());
    let note = view.note(&id).unwrap();
    assert_eq!((note.column.clone(), note.x, note.y), (None, 10.0, 10.0));
    assert!(matches!(
        board.remove_column(&good),
        Err(ModelError::NoSuchColumn(_))
    ));
}

#[test]
fn a_board_reads_column_by_column_from_top_to_bottom_then_outside() {
    let mut board = Board::new("Rétro").unwrap();
    let good = board.add_column("Bravo").unwrap();
    let bad = board.add_column("À revoir").unwrap();
    let empty = board.add_column("Idées").unwrap();
    let mut text = |x, y, text: &str| {
        let id = board.add_note(note_at(x, y)).unwrap();
        board.set_note_text(&id, text).unwrap();
    };
    text(COLUMN_WIDTH + 10.0, 300.0, "lent");
    text(30.0, 400.0, "accueil");
    text(3_000.0, 50.0, "loin à droite");
    text(COLUMN_WIDTH + 10.0, 100.0, "bruit");
    text(10.0, 100.0, "café");
    text(2_900.0, 50.0, "loin");
    let view = board.view();
    let read: Vec<(Option<ColumnId>, Vec<&str>)> = view
        .by_column()
        .into_iter()
        .map(|(column, notes)| {
            let texts = notes.iter().map(|n| n.text.as_str()).collect();
            (column.map(|c| c.id.clone()), texts)
        })
        .collect();
    assert_eq!(
        read,
        vec![
            (Some(good), vec!["café", "accueil"]),
            (Some(bad), vec!["bruit", "lent"]),
            (Some(empty), vec![]),
            (None, vec!["loin", "loin à droite"]),
        ]
    );
}

#[test]
fn a_board_has_at_most_max_columns_and_reorders_them_at_the_ends() {
    let mut board = Board::new("Rétro").unwrap();
    let ids: Vec<ColumnId> = (0..MAX_COLUMNS)
        .map(|i| board.add_column(&format!("{i}")).unwrap())
        .collect();
    assert!(matches!(
        board.add_column("de trop"),
        Err(ModelError::TooManyColumns)
    ));
    board.move_column(&ids[0], 100).unwrap();
    board.move_column(&ids[5], -100).unwrap();
    board.move_column(&ids[5], -1).unwrap();
    let order: Vec<String> = board
        .view()
        .columns
        .into_iter()
        .map(|c| c.heading)
        .collect();
    let mut expected: Vec<String> = (1..MAX_COLUMNS).map(|i| i.to_string()).collect();
    expected.retain(|h| h != "5");
    expected.insert(0, "5".into());
    expected.push("0".into());
    assert_eq!(order, expected);
}

#[test]
fn a_column_moved_by_one_while_the_other_moves_its_post_it_converges() {
    let mut board = Board::new("Rétro").unwrap();
    let a = board.add_column("A").unwrap();
    board.add_column("B").unwrap();
    let id = board.add_note(note_at(20.0, 300.0)).unwrap();
    let (mut alice, mut bob) = two_copies(&mut board);
    alice.move_column(&a, 1).unwrap();
    bob.move_note(&id, 60.0, 400.0).unwrap();
    sync_both(&mut alice, &mut bob);
    let view = alice.view();
    // Bob's move within column A holds, wherever A went.
    assert_eq!(
        view.position(view.note(&id).unwrap()),
        (COLUMN_WIDTH + 60.0, 400.0)
    );
}

#[test]
fn post_its_resize_within_limits_come_to_the_front_and_duplicate() {
    let mut board = Board::new("Rétro").unwrap();
    let first = board.add_note(note_at(0.0, 0.0)).unwrap();
    let second = board.add_note(note_at(10.0, 10.0)).unwrap();
    board.resize_note(&first, 10.0, 5_000.0).unwrap();
    let view = board.view();
    let note = view.note(&first).unwrap();
    assert_eq!((note.w, note.h), (MIN_NOTE_SIZE, MAX_NOTE_SIZE));
    assert!(
        view.note(&second).unwrap().z > note.z,
        "a new post-it lands on top"
    );

    board.bring_to_front(&first).unwrap();
    let view = board.view();
    assert!(view.note(&first).unwrap().z > view.note(&second).unwrap().z);
    let z = view.note(&first).unwrap().z;
    board.bring_to_front(&first).unwrap();
    assert_eq!(board.view().note(&first).unwrap().z, z, "already in front");

    board.set_note_text(&first, "copie").unwrap();
    board.set_note_colour(&first, Colour::Blue).unwrap();
    board.add_dots(&first, Dot::Red, 2).unwrap();
    let copy = board.duplicate_note(&first, Some("Bob".into()), 7).unwrap();
    let view = board.view();
    let (original, copy) = (view.note(&first).unwrap(), view.note(&copy).unwrap());
    assert_eq!(
        (copy.text.as_str(), copy.colour, copy.w, copy.h),
        ("copie", Colour::Blue, original.w, original.h)
    );
    assert_eq!((copy.x, copy.y), (original.x + 24.0, original.y + 24.0));
    assert_eq!(
        (copy.dots(Dot::Red), copy.author.as_deref()),
        (0, Some("Bob"))
    );
    assert!(copy.z > original.z);
}

#[test]
fn dots_added_at_once_by_two_people_add_up_and_never_go_below_zero() {
    let mut board = Board::new("Vote").unwrap();
    let id = board.add_note(note_at(0.0, 0.0)).unwrap();
    let (mut alice, mut bob) = two_copies(&mut board);
    alice.add_dots(&id, Dot::Green, 1).unwrap();
    bob.add_dots(&id, Dot::Green, 1).unwrap();
    bob.add_dots(&id, Dot::Red, 1).unwrap();
    sync_both(&mut alice, &mut bob);
    let note = alice.view().note(&id).cloned().unwrap();
    assert_eq!(
        (
            note.dots(Dot::Green),
            note.dots(Dot::Red),
            note.dots(Dot::Blue)
        ),
        (2, 1, 0)
    );
    alice.add_dots(&id, Dot::Red, -5).unwrap();
    assert_eq!(alice.view().note(&id).unwrap().dots(Dot::Red), 0);
    alice.add_dots(&id, Dot::Blue, 1_000).unwrap();
    assert_eq!(alice.view().note(&id).unwrap().dots(Dot::Blue), MAX_DOTS);
}

#[test]
fn undo_takes_back_only_the_fields_this_person_changed() {
    let mut board = Board::new("Rétro").unwrap();
    let id = board.add_note(note_at(0.0, 0.0)).unwrap();
    board.set_note_text(&id, "avant").unwrap();
    let (mut alice, mut bob) = two_copies(&mut board);

    let ((), moved) = recorded(&mut alice, |b| b.move_note(&id, 300.0, 40.0).unwrap());
    bob.set_note_text(&id, "Bob a écrit ça").unwrap();
    sync_both(&mut alice, &mut bob);

    assert!(alice.apply(&moved.inverse()).unwrap());
    sync_both(&mut alice, &mut bob);
    let note = bob.view().note(&id).cloned().unwrap();
    assert_eq!((note.x, note.y), (0.0, 0.0), "Alice's move is undone");
    assert_eq!(note.text, "Bob a écrit ça", "Bob's text stays");

    // Redo puts the move back.
    assert!(alice.apply(&moved).unwrap());
    assert_eq!(alice.view().note(&id).unwrap().x, 300.0);
}

#[test]
fn undo_leaves_a_field_someone_else_changed_since() {
    let mut board = Board::new("Rétro").unwrap();
    let id = board.add_note(note_at(0.0, 0.0)).unwrap();
    let (mut alice, mut bob) = two_copies(&mut board);
    let ((), recoloured) = recorded(&mut alice, |b| {
        b.set_note_colour(&id, Colour::Pink).unwrap()
    });
    sync_both(&mut alice, &mut bob);
    bob.set_note_colour(&id, Colour::Green).unwrap();
    sync_both(&mut alice, &mut bob);
    assert!(!alice.apply(&recoloured.inverse()).unwrap());
    assert_eq!(alice.view().note(&id).unwrap().colour, Colour::Green);

    // A post-it Alice created and Bob wrote in is not removed by Alice's undo.
    let (new, created) = recorded(&mut alice, |b| b.add_note(note_at(5.0, 5.0)).unwrap());
    sync_both(&mut alice, &mut bob);
    bob.set_note_text(&new, "à moi").unwrap();
    sync_both(&mut alice, &mut bob);
    assert!(!alice.apply(&created.inverse()).unwrap());
    assert!(alice.view().note(&new).is_some());
}

#[test]
fn undo_puts_back_a_deleted_post_it_a_removed_column_and_the_title() {
    let mut board = Board::new("Rétro").unwrap();
    let column = board.add_column("Idées").unwrap();
    let id = board.add_note(note_at(50.0, 100.0)).unwrap();
    board.add_dots(&id, Dot::Blue, 3).unwrap();
    board.set_note_text(&id, "gardé").unwrap();
    let before = board.view();

    let ((), removed) = recorded(&mut board, |b| {
        b.delete_note(&id).unwrap();
        b.remove_column(&column).unwrap();
        b.set_title("Autre").unwrap();
    });
    assert!(board.apply(&removed.inverse()).unwrap());
    assert_eq!(board.view(), before);
    assert!(board.apply(&removed).unwrap());
    assert!(board.view().notes.is_empty() && board.view().columns.is_empty());
}

#[test]
fn typing_in_one_post_it_undoes_as_one_step() {
    let mut board = Board::new("Rétro").unwrap();
    let (id, created) = recorded(&mut board, |b| b.add_note(note_at(0.0, 0.0)).unwrap());
    let ((), h) = recorded(&mut board, |b| b.set_note_text(&id, "B").unwrap());
    let ((), hi) = recorded(&mut board, |b| b.set_note_text(&id, "Bo").unwrap());
    let ((), moved) = recorded(&mut board, |b| b.move_note(&id, 9.0, 9.0).unwrap());
    assert!(!created.continues_typing(&h));
    assert!(h.continues_typing(&hi));
    assert!(!hi.continues_typing(&moved));
    // Typing a column heading or the title goes on the same way.
    let mut other = Board::new("").unwrap();
    let (column, _) = recorded(&mut other, |b| b.add_column("").unwrap());
    let ((), a) = recorded(&mut other, |b| b.set_column_heading(&column, "A").unwrap());
    let ((), ab) = recorded(&mut other, |b| b.set_column_heading(&column, "Ab").unwrap());
    let ((), t) = recorded(&mut other, |b| b.set_title("R").unwrap());
    let ((), tr) = recorded(&mut other, |b| b.set_title("Ré").unwrap());
    assert!(a.continues_typing(&ab) && t.continues_typing(&tr));
    assert!(!ab.continues_typing(&t) && !hi.continues_typing(&ab));
    let typed = h.then(hi);
    board.apply(&moved.inverse()).unwrap();
    board.apply(&typed.inverse()).unwrap();
    assert_eq!(board.view().note(&id).unwrap().text, "");
    board.apply(&created.inverse()).unwrap();
    assert!(board.view().notes.is_empty());
}

#[test]
fn a_post_it_moved_in_a_column_someone_removes_at_once_stays_where_it_was_put() {
    let mut board = Board::new("Rétro").unwrap();
    board.add_column("A").unwrap();
    let b = board.add_column("B").unwrap();
    let inside = board.add_note(note_at(COLUMN_WIDTH + 20.0, 100.0)).unwrap();
    let outside = board.add_note(note_at(2_000.0, 100.0)).unwrap();
    let (mut alice, mut bob) = two_copies(&mut board);
    alice.remove_column(&b).unwrap();
    // Bob nudges the one inside, and drops the other one into the column.
    bob.move_note(&inside, COLUMN_WIDTH + 60.0, 120.0).unwrap();
    bob.move_note(&outside, COLUMN_WIDTH + 100.0, 300.0)
        .unwrap();
    sync_both(&mut alice, &mut bob);
    let view = alice.view();
    assert_eq!(view.columns.len(), 1);
    for (id, place) in [
        (&inside, (COLUMN_WIDTH + 60.0, 120.0)),
        (&outside, (COLUMN_WIDTH + 100.0, 300.0)),
    ] {
        let note = view.note(id).unwrap();
        assert_eq!((note.column.clone(), view.position(note)), (None, place));
    }
}

#[test]
fn a_dot_added_after_two_people_removed_the_last_one_at_once_counts() {
    let mut board = Board::new("Vote").unwrap();
    let id = board.add_note(note_at(0.0, 0.0)).unwrap();
    board.add_dots(&id, Dot::Red, 1).unwrap();
    let (mut alice, mut bob) = two_copies(&mut board);
    alice.add_dots(&id, Dot::Red, -1).unwrap();
    bob.add_dots(&id, Dot::Red, -1).unwrap();
    sync_both(&mut alice, &mut bob);
    assert_eq!(alice.view().note(&id).unwrap().dots(Dot::Red), 0);
    alice.add_dots(&id, Dot::Red, 1).unwrap();
    assert_eq!(alice.view().note(&id).unwrap().dots(Dot::Red), 1);
}

#[test]
fn columns_added_at_once_by_two_people_can_still_be_reordered() {
    let mut board = Board::new("Rétro").unwrap();
    let first = board.add_column("premier").unwrap();
    let (mut alice, mut bob) = two_copies(&mut board);
    alice.add_column("d'Alice").unwrap();
    bob.add_column("de Bob").unwrap();
    sync_both(&mut alice, &mut bob);
    // Alice's and Bob's columns share one order; the first moves between them.
    alice.move_column(&first, 1).unwrap();
    let headings: Vec<String> = alice
        .view()
        .columns
        .into_iter()
        .map(|c| c.heading)
        .collect();
    assert_eq!(headings[1], "premier", "{headings:?}");
    alice.move_column(&first, 1).unwrap();
    let headings: Vec<String> = alice
        .view()
        .columns
        .into_iter()
        .map(|c| c.heading)
        .collect();
    assert_eq!(headings[2], "premier", "{headings:?}");
}

#[test]
fn a_huge_stacking_order_written_by_another_client_is_kept_in_bounds() {
    let mut board = Board::new("Rétro").unwrap();
    let id = board.add_note(note_at(0.0, 0.0)).unwrap();
    let obj = read::note_obj(board.reader(), &id).unwrap();
    board.doc.put(&obj, "z", 1e300).unwrap();
    assert_eq!(board.view().note(&id).unwrap().z, MAX_Z);
    let other = board.add_note(note_at(0.0, 0.0)).unwrap();
    assert_eq!(board.view().note(&other).unwrap().z, MAX_Z);
    // At the top of the range, bringing to front numbers the stack again, and works.
    board.bring_to_front(&id).unwrap();
    let view = board.view();
    assert!(view.note(&id).unwrap().z > view.note(&other).unwrap().z);
    board.bring_to_front(&other).unwrap();
    let view = board.view();
    assert!(view.note(&other).unwrap().z > view.note(&id).unwrap().z);
    assert!(view.top_z() < 10);
}

#[test]
fn a_view_at_earlier_heads_shows_the_board_as_it_was_then() {
    let mut board = Board::new("Rétro").unwrap();
    let id = board.add_note(note_at(10.0, 20.0)).unwrap();
    board.set_note_text(&id, "première idée").unwrap();
    let then = board.heads();
    let before = board.view();
    board.set_note_text(&id, "idée revue").unwrap();
    board.move_note(&id, 500.0, 20.0).unwrap();
    let other = board.add_note(note_at(0.0, 0.0)).unwrap();
    board.set_title("Rétro de juin").unwrap();

    assert_eq!(board.view_at(&then), before);
    let now = board.heads();
    assert_eq!(board.view_at(&now), board.view());
    assert!(board.view_at(&then).note(&other).is_none());

    // Two replicas' concurrent edits: the view at both heads holds both.
    let mut bob = board.fork();
    bob.set_note_text(&id, "texte de Bob").unwrap();
    board.set_note_colour(&id, Colour::Green).unwrap();
    board.merge(&mut bob).unwrap();
    let merged = board.heads();
    assert_eq!(merged.len(), 2, "two concurrent heads");
    let note = board.view_at(&merged).note(&id).cloned().unwrap();
    assert_eq!(
        (note.text.as_str(), note.colour),
        ("texte de Bob", Colour::Green)
    );
}

#[test]
fn a_serialized_board_places_post_its_on_the_canvas_and_names_dots_and_colours() {
    let mut board = Board::new("Rétro").unwrap();
    board.add_column("Bien").unwrap();
    let second = board.add_column("À changer").unwrap();
    let id = board.add_note(note_at(COLUMN_WIDTH + 40.0, 100.0)).unwrap();
    board.add_dots(&id, Dot::Blue, 2).unwrap();
    let view = board.view();
    assert_eq!(
        view.note(&id).unwrap().x,
        40.0,
        "stored from the column's edge"
    );
    let json = serde_json::to_value(&view).unwrap();
    let note = &json["notes"][0];
    assert_eq!(note["x"], COLUMN_WIDTH + 40.0, "serialized on the canvas");
    assert_eq!(note["column"], second.as_str());
    assert_eq!(note["colour"], "yellow");
    assert_eq!(note["dots"]["blue"], 2);
    assert_eq!(note["author"], "Alice");
    assert_eq!(json["columns"][1]["heading"], "À changer");
    assert!(json["columns"][1].get("order").is_none());
    assert_eq!(json["title"], "Rétro");
}

fn workshop() -> Board {
    let mut board = Board::new("Rétro").unwrap();
    board
        .set_script(&Script {
            template: "start-stop-continue",
            instructions: "Une idée par post-it",
            phases: &[Phase::Writing, Phase::Reveal, Phase::Voting],
        })
        .unwrap();
    board
}

#[test]
fn phases_follow_the_script_and_a_phase_outside_it_is_refused() {
    let mut board = workshop();
    let script = board.facilitation();
    assert_eq!(script.phase, Some(Phase::Writing));
    assert_eq!(script.previous_phase(), None);
    assert_eq!(script.next_phase(), Some(Phase::Reveal));
    board.set_phase(Phase::Voting).unwrap();
    let script = board.facilitation();
    assert_eq!(script.phase, Some(Phase::Voting));
    assert_eq!(script.next_phase(), None);
    assert_eq!(script.previous_phase(), Some(Phase::Reveal));
    assert!(matches!(
        board.set_phase(Phase::Grouping),
        Err(ModelError::NoSuchPhase("grouping"))
    ));
    assert_eq!(board.facilitation().phase, Some(Phase::Voting));
    // A board without a script has no phase.
    assert_eq!(
        Board::new("x").unwrap().facilitation(),
        Facilitation::default()
    );
}

#[test]
fn the_countdown_starts_pauses_resumes_gains_a_minute_and_stops() {
    let mut board = workshop();
    let t0 = 1_800_000_000_000;
    board.start_timer(t0, 5 * 60_000).unwrap();
    let timer = board.facilitation().timer.unwrap();
    assert_eq!(
        timer,
        Timer::Running {
            ends_at: t0 + 300_000,
            remaining: 300_000
        }
    );
    assert_eq!(timer.remaining_at(t0 + 60_000), 240_000);
    // A page whose estimate of the server's clock lags shows no more than was set.
    assert_eq!(timer.remaining_at(t0 - 2_000), 300_000);
    // Paused two minutes in, it keeps three minutes however long it waits.
    board.pause_timer(t0 + 120_000).unwrap();
    let timer = board.facilitation().timer.unwrap();
    assert_eq!(timer, Timer::Paused { remaining: 180_000 });
    assert_eq!(timer.remaining_at(t0 + 999_000), 180_000);
    board.add_to_timer(t0 + 500_000, TIMER_STEP_MS).unwrap();
    board.resume_timer(t0 + 600_000).unwrap();
    let timer = board.facilitation().timer.unwrap();
    assert_eq!(
        timer,
        Timer::Running {
            ends_at: t0 + 840_000,
            remaining: 240_000
        }
    );
    board.add_to_timer(t0 + 700_000, TIMER_STEP_MS).unwrap();
    assert_eq!(
        board
            .facilitation()
            .timer
            .unwrap()
            .remaining_at(t0 + 700_000),
        200_000
    );
    assert!(board.facilitation().timer.unwrap().is_over_at(t0 + 900_000));
    // Reloaded, another page reads the same countdown.
    let reloaded = Board::load(&board.save()).unwrap();
    assert_eq!(reloaded.facilitation(), board.facilitation());
    board.stop_timer().unwrap();
    assert_eq!(board.facilitation().timer, None);
    // "+1 min" on no countdown starts one.
    board.add_to_timer(t0, TIMER_STEP_MS).unwrap();
    assert_eq!(
        board.facilitation().timer,
        Some(Timer::Running {
            ends_at: t0 + 60_000,
            remaining: 60_000
        })
    );
    // A countdown longer than a day is cut to one.
    board.start_timer(t0, i64::MAX).unwrap();
    assert_eq!(
        board.facilitation().timer.unwrap().remaining_at(t0),
        MAX_TIMER_MS
    );
}

#[test]
fn a_script_written_by_another_client_is_read_tolerantly() {
    let mut board = Board::new("x").unwrap();
    let doc = &mut board.doc;
    let settings = doc
        .put_object(ROOT, schema::SETTINGS, ObjType::Map)
        .unwrap();
    let phases = doc
        .put_object(&settings, schema::PHASES, ObjType::List)
        .unwrap();
    // JavaScript writes strings as Text; unknown and repeated phases are left out, and the
    // phases are read in the workshop's order.
    let voting = doc.insert_object(&phases, 0, ObjType::Text).unwrap();
    doc.splice_text(&voting, 0, 0, "voting").unwrap();
    doc.insert(&phases, 1, "writing").unwrap();
    doc.insert(&phases, 2, "dancing").unwrap();
    doc.insert(&phases, 3, "writing").unwrap();
    doc.insert(&phases, 4, 42).unwrap();
    doc.put(&settings, schema::PHASE, "grouping").unwrap();
    let timer = doc
        .put_object(&settings, schema::TIMER, ObjType::Map)
        .unwrap();
    doc.put(&timer, schema::REMAINING, -5).unwrap();
    let script = board.facilitation();
    assert_eq!(script.phases, [Phase::Writing, Phase::Voting]);
    // A phase outside the script reads as the first.
    assert_eq!(script.phase, Some(Phase::Writing));
    assert_eq!(script.timer, Some(Timer::Paused { remaining: 0 }));
    assert_eq!(script.instructions, "");
}

#[test]
fn a_post_it_made_an_action_by_two_people_at_once_keeps_what_each_filled_in() {
    let mut alice = Board::new("Actions").unwrap();
    let id = alice.add_note(note_at(0.0, 0.0)).unwrap();
    let mut bob = alice.fork();
    // Both make it an action at the same moment, Alice names the owner, Bob sets the date.
    alice.set_action(&id, true).unwrap();
    alice.set_action_owner(&id, "Aïcha").unwrap();
    bob.set_action(&id, true).unwrap();
    bob.set_action_due(&id, "2027-03-15").unwrap();
    alice.merge(&mut bob).unwrap();
    bob.merge(&mut alice).unwrap();
    let action = alice.view().note(&id).unwrap().action.clone().unwrap();
    assert_eq!(
        action,
        ActionView {
            owner: "Aïcha".into(),
            due: "2027-03-15".into(),
            done: false
        }
    );
    assert_eq!(bob.view().note(&id).unwrap().action, Some(action));
    // Ticked done by one while the other types in the owner: both kept.
    alice.set_action_done(&id, true).unwrap();
    bob.set_action_owner(&id, "Aïcha et Bruno").unwrap();
    alice.merge(&mut bob).unwrap();
    let action = alice.view().note(&id).unwrap().action.clone().unwrap();
    assert!(action.done);
    assert_eq!(action.owner, "Aïcha et Bruno");
    // A bad date is refused and changes nothing; a plain post-it again keeps no action.
    assert!(matches!(
        alice.set_action_due(&id, "demain"),
        Err(ModelError::BadDate(_))
    ));
    assert_eq!(
        alice.view().note(&id).unwrap().action.as_ref().unwrap().due,
        "2027-03-15"
    );
    alice.set_action(&id, false).unwrap();
    assert_eq!(alice.view().note(&id).unwrap().action, None);
    // A duplicate of an action is one too.
    alice.set_action(&id, true).unwrap();
    let copy = alice.duplicate_note(&id, None, 0).unwrap();
    assert_eq!(
        alice
            .view()
            .note(&copy)
            .unwrap()
            .action
            .as_ref()
            .unwrap()
            .owner,
        "Aïcha et Bruno"
    );
}

#[test]
fn post_its_dropped_onto_others_make_groups_that_are_titled_left_and_undone() {
    let mut board = Board::new("Regroupement").unwrap();
    let [a, b, c] = [0.0, 200.0, 400.0].map(|x| board.add_note(note_at(x, 0.0)).unwrap());
    let group = board.group_with(&a, &b).unwrap();
    // Dropped onto a member, a third post-it joins the same group.
    assert_eq!(board.group_with(&c, &a).unwrap(), group);
    board.set_group_title(&group, "Communication").unwrap();
    let view = board.view();
    assert_eq!(view.groups.len(), 1);
    assert_eq!(view.group(&group).unwrap().title, "Communication");
    assert_eq!(view.group(&group).unwrap().notes.len(), 3);
    assert!(view.notes.iter().all(|n| n.group.as_ref() == Some(&group)));
    // Two leave: a group of one is no group.
    board.leave_group(&c).unwrap();
    assert_eq!(board.view().group(&group).unwrap().notes.len(), 2);
    board.leave_group(&b).unwrap();
    let view = board.view();
    assert!(view.groups.is_empty());
    assert!(view.notes.iter().all(|n| n.group.is_none()));
    // Grouped again and ungrouped as a whole.
    let group = board
        .group_notes(&[a.clone(), b.clone(), c.clone()])
        .unwrap()
        .unwrap();
    assert_eq!(board.view().group(&group).unwrap().notes.len(), 3);
    board.ungroup(&group).unwrap();
    assert!(board.view().groups.is_empty());
    assert!(matches!(
        board.set_group_title(&group, "x"),
        Err(ModelError::NoSuchGroup(_))
    ));
}

#[test]
fn two_people_grouping_the_same_post_it_at_once_leave_it_in_one_group() {
    let mut alice = Board::new("Regroupement").unwrap();
    let [a, b, c] = [0.0, 200.0, 400.0].map(|x| alice.add_note(note_at(x, 0.0)).unwrap());
    let mut bob = alice.fork();
    alice.group_with(&a, &b).unwrap();
    bob.group_with(&a, &c).unwrap();
    alice.merge(&mut bob).unwrap();
    bob.merge(&mut alice).unwrap();
    let (mine, theirs) = (alice.view(), bob.view());
    assert_eq!(mine.groups, theirs.groups, "both see the same groups");
    // A is in one group with one of the others; the other is alone, in no group shown.
    assert_eq!(mine.groups.len(), 1);
    let group = &mine.groups[0];
    assert_eq!(group.notes.len(), 2);
    assert!(group.notes.contains(&a));
    let grouped = mine.notes.iter().filter(|n| n.group.is_some()).count();
    assert_eq!(grouped, 2);
}

#[test]
fn a_group_counts_its_votes_as_a_whole() {
    let mut board = Board::new("Vote").unwrap();
    let [a, b, c] = [0.0, 200.0, 400.0].map(|x| board.add_note(note_at(x, 0.0)).unwrap());
    let group = board.group_with(&a, &b).unwrap();
    board
        .close_vote(1, &[(c.clone(), 3), (a.clone(), 2), (b.clone(), 2)])
        .unwrap();
    let view = board.view();
    let vote = view.facilitation.vote.clone().unwrap();
    assert_eq!(
        vote.ranked(&view),
        [
            Ranked::Group {
                id: group,
                votes: 4
            },
            Ranked::Note { id: c, votes: 3 }
        ]
    );
}
