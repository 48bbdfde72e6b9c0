use automerge::{transaction::Transactable, ObjType, ReadDoc, ROOT};

use super::*;

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
    bob.doc_mut().set_actor(automerge::ActorId::random());

    alice.set_note_text(&id, "hello brave world").unwrap();
    bob.set_note_text(&id, "hello world, again").unwrap();
    alice.doc_mut().merge(bob.doc_mut()).unwrap();
    bob.doc_mut().merge(alice.doc_mut()).unwrap();

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
    let notes = board.doc().get(ROOT, "notes").unwrap().unwrap().1;
    let doc = board.doc_mut();
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
    let mut board = Board::from_doc(doc);
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
    board
        .doc_mut()
        .put(ROOT, "notes", "plus de post-its")
        .unwrap();
    board.doc_mut().put(ROOT, "title", 42).unwrap();
    assert!(!board.is_initialised());
    assert!(board.view().notes.is_empty());

    assert_eq!(board.repair_schema().unwrap(), ["notes", "title"]);
    assert!(board.is_initialised());
    let id = board.add_note(note_at(3.0, 4.0)).unwrap();
    assert_eq!(board.view().note(&id).unwrap().x, 3.0);
    assert_eq!(board.view().title, "");
}
