//! Exports through `GET /api/boards/<id>/export`: each format read back by code other than the
//! code that wrote it (a CSV parser, calamine's ODS reader, poppler's `pdftotext`, a PNG decoder,
//! an XML parser), a board as it was at a moment of its history, and who may export. Through
//! the router in this process, on a real database, the board written by a real sync client.

use std::io::Cursor;

use app::model::{Colour, Dot, NewNote, Signature};
use ardoise_tests::{CreatedBoard, Serves, SyncClient, TestApp};
use calamine::Reader;

const ACCENTS: &str = "Café crème à volonté, «génial» — œuvre";
const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"clic\")";
const HOSTILE: &str = "</text><script>alert(1)</script> & \"quotes\" <b>";
const LONG: &str =
    "Une réunion trop longue, sans ordre du jour ni pause : personne ne savait qui décidait";

async fn export(server: &TestApp, board: &CreatedBoard, query: &str) -> (u16, String, Vec<u8>) {
    let response = server
        .get(
            &format!("/api/boards/{}/export?{query}", board.id),
            &[("authorization", &format!("Bearer {}", board.observer))],
        )
        .await;
    (
        response.status.as_u16(),
        response.header("content-type"),
        response.body.to_vec(),
    )
}

/// A board with a column, four post-its (accents, a formula, hostile markup, a long text), dots,
/// each change signed by its author.
async fn written_board(server: &TestApp) -> (CreatedBoard, SyncClient) {
    let board = server.create_closed_board("Rétrospective d'équipe").await;
    let mut alice = SyncClient::open_with_link(server, &board.id, &board.participant).await;
    let signed = |name: &str| Signature::person(Some(name.to_owned()), 1_764_000_000_000);
    alice
        .edit(|b| {
            let column = b.add_column("À garder");
            b.sign(&signed("Alice"));
            column
        })
        .await;
    for (text, x, y, colour) in [
        (ACCENTS, 20.0, 80.0, Colour::Yellow),
        (FORMULA, 700.0, 80.0, Colour::Pink),
        (HOSTILE, 700.0, 300.0, Colour::Blue),
        (LONG, 20.0, 300.0, Colour::Green),
    ] {
        alice
            .edit(|b| {
                let id = b.add_note(NewNote {
                    colour,
                    author: Some("Alice".into()),
                    ..NewNote::with_text(text)
                })?;
                // Moved there: into the column under it, if any.
                b.move_note(&id, x, y)?;
                b.sign(&signed("Alice"));
                Ok(id)
            })
            .await;
    }
    let first = accents_note(&alice);
    alice
        .edit(|b| {
            b.add_dots(&first, Dot::Red, 2)?;
            b.sign(&signed("Bob"));
            Ok(())
        })
        .await;
    (board, alice)
}

fn accents_note(client: &SyncClient) -> app::ids::NoteId {
    let view = client.view();
    let note = view
        .notes
        .iter()
        .find(|n| n.text == ACCENTS)
        .expect("the post-it");
    note.id.clone()
}

/// A text without its spaces and line breaks: what wrapping into lines leaves unchanged.
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect()
}

#[tokio::test]
async fn every_format_holds_every_post_it_and_reads_back_with_another_tool() {
    let server = TestApp::start().await;
    let (board, alice) = written_board(&server).await;
    let view = alice.view();
    assert_eq!(view.notes.len(), 4);

    // Markdown: the column as a heading, its post-it under it, then those outside.
    let (status, kind, md) = export(&server, &board, "format=md&lang=fr").await;
    assert_eq!(
        (status, kind.as_str()),
        (200, "text/markdown; charset=utf-8")
    );
    let md = String::from_utf8(md).unwrap();
    let column = md.find("## À garder").expect("the column's heading");
    let outside = md
        .find("## Hors des colonnes")
        .expect("the outside's heading");
    let accents = md.find(ACCENTS).expect("the post-it's text");
    assert!(column < accents && accents < outside, "{md}");
    assert!(md.contains("Ajouté par Alice · 2 pastilles"), "{md}");
    assert!(md.starts_with("# Rétrospective d'équipe\n"));

    // CSV: a byte order mark, one row per post-it, the formula neutralised.
    let (status, kind, csv) = export(&server, &board, "format=csv").await;
    assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
    assert!(csv.starts_with("\u{feff}".as_bytes()), "a byte order mark");
    let mut reader = csv::Reader::from_reader(&csv[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..4], ["column", "text", "colour", "author"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    let texts: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
    assert!(texts.contains(&ACCENTS) && texts.contains(&HOSTILE) && texts.contains(&LONG));
    assert!(texts.contains(&format!("'{FORMULA}").as_str()), "{texts:?}");
    let first = rows.iter().find(|r| &r[1] == ACCENTS).unwrap();
    assert_eq!(
        (&first[0], &first[2], &first[3], &first[5]),
        ("À garder", "yellow", "Alice", "2")
    );

    // ODS: a spreadsheet reader finds the same rows on the post-its' sheet.
    let (status, kind, ods) = export(&server, &board, "format=ods").await;
    assert_eq!(
        (status, kind.as_str()),
        (200, "application/vnd.oasis.opendocument.spreadsheet")
    );
    assert_eq!(&ods[30..38], b"mimetype", "the mimetype entry first");
    let mut workbook: calamine::Ods<_> = calamine::open_workbook_from_rs(Cursor::new(ods)).unwrap();
    assert_eq!(workbook.sheet_names(), vec!["Post-its".to_owned()]);
    let sheet = workbook.worksheet_range("Post-its").unwrap();
    let cells: Vec<Vec<String>> = sheet
        .rows()
        .map(|row| row.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(cells.len(), 5, "a header and four post-its");
    assert!(
        cells.iter().any(|r| r[1] == ACCENTS && r[5] == "2"),
        "{cells:?}"
    );
    assert!(cells.iter().any(|r| r[1] == HOSTILE));
    assert!(cells.iter().any(|r| r[1] == format!("'{FORMULA}")));

    // JSON: the board as the API answers it.
    let (status, kind, json) = export(&server, &board, "format=json").await;
    assert_eq!((status, kind.as_str()), (200, "application/json"));
    let api = server
        .api(
            "GET",
            &format!("/api/boards/{}", board.id),
            &board.observer,
            None,
            None,
        )
        .await
        .1;
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&json).unwrap(),
        api
    );

    // SVG: one shape per post-it, the hostile text as text, no element of its own.
    let (status, kind, svg) = export(&server, &board, "format=svg").await;
    assert_eq!((status, kind.as_str()), (200, "image/svg+xml"));
    let svg = String::from_utf8(svg).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let notes: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("note"))
        .collect();
    assert_eq!(notes.len(), 4);
    assert!(doc
        .descendants()
        .all(|n| !matches!(n.tag_name().name(), "script" | "b")));
    let text_of = |note: &roxmltree::Node| -> String {
        note.descendants()
            .filter(|n| n.tag_name().name() == "tspan")
            .filter_map(|n| n.text())
            .collect()
    };
    let hostile_text = notes
        .iter()
        .map(text_of)
        .find(|t| t.contains("alert"))
        .expect("the hostile post-it");
    assert_eq!(squeezed(&hostile_text), squeezed(HOSTILE));
    // The long text wraps inside its post-it: several lines, each one starting at its left.
    let long = notes
        .iter()
        .find(|n| {
            n.descendants()
                .any(|t| t.text().is_some_and(|t| t.contains("réunion")))
        })
        .unwrap();
    assert!(
        long.descendants()
            .filter(|n| n.tag_name().name() == "tspan")
            .count()
            >= 4
    );

    // PNG: twice the drawing's size, a post-it's colour inside it, its text drawn.
    let (status, kind, png) = export(&server, &board, "format=png").await;
    assert_eq!((status, kind.as_str()), (200, "image/png"));
    let decoder = png::Decoder::new(Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let root = doc.root_element();
    let width: f64 = root.attribute("width").unwrap().parse().unwrap();
    let height: f64 = root.attribute("height").unwrap().parse().unwrap();
    assert_eq!(
        (frame.width, frame.height),
        ((width * 2.0) as u32, (height * 2.0) as u32)
    );
    let view_box: Vec<f64> = root
        .attribute("viewBox")
        .unwrap()
        .split_whitespace()
        .map(|v| v.parse().unwrap())
        .collect();
    let channels = frame.color_type.samples();
    let pixel = |x: f64, y: f64| {
        let (px, py) = (
            ((x - view_box[0]) * 2.0) as usize,
            ((y - view_box[1]) * 2.0) as usize,
        );
        let i = (py * frame.width as usize + px) * channels;
        (pixels[i], pixels[i + 1], pixels[i + 2])
    };
    for note in &notes {
        let rect = note
            .children()
            .find(|n| n.tag_name().name() == "rect")
            .unwrap();
        let [x, y, w, h] = ["x", "y", "width", "height"]
            .map(|a| rect.attribute(a).unwrap().parse::<f64>().unwrap());
        let fill = rect.attribute("fill").unwrap();
        let expected = (
            u8::from_str_radix(&fill[1..3], 16).unwrap(),
            u8::from_str_radix(&fill[3..5], 16).unwrap(),
            u8::from_str_radix(&fill[5..7], 16).unwrap(),
        );
        assert_eq!(
            pixel(x + w - 4.0, y + h / 2.0),
            expected,
            "the post-it's colour"
        );
        // Text: dark pixels in the post-it's first line (none if no font were loaded).
        let dark = (0..(w as usize - 20))
            .flat_map(|dx| (0..15).map(move |dy| (x + 10.0 + dx as f64, y + 12.0 + dy as f64)))
            .filter(|(px, py)| {
                let (r, g, b) = pixel(*px, *py);
                u32::from(r) + u32::from(g) + u32::from(b) < 300
            })
            .count();
        assert!(
            dark > 20,
            "the post-it's text is drawn ({dark} dark pixels)"
        );
    }

    // PDF: poppler reads every post-it's words, accents included.
    let (status, kind, pdf) = export(&server, &board, "format=pdf").await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("board.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/setup.sh --test)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        ACCENTS,
        FORMULA,
        HOSTILE,
        LONG,
        "Rétrospective d'équipe",
        "À garder",
    ] {
        assert!(
            squeezed(&text).contains(&squeezed(expected)),
            "{expected:?} is not in the PDF's text: {text}"
        );
    }
}

#[tokio::test]
async fn a_board_exports_as_it_was_at_a_moment_and_bad_requests_say_why() {
    let server = TestApp::start().await;
    let (board, mut alice) = written_board(&server).await;
    let (_, _, json) = export(&server, &board, "format=json").await;
    let before: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let moment = alice.history().versions.last().unwrap().hash.clone();
    let first = accents_note(&alice);
    alice
        .edit(|b| b.set_note_text(&first, "Texte changé après"))
        .await;

    let (status, _, md) = export(&server, &board, "format=md").await;
    assert_eq!(status, 200);
    assert!(String::from_utf8(md)
        .unwrap()
        .contains("Texte changé après"));
    let (status, _, md) = export(&server, &board, &format!("format=md&at={moment}")).await;
    assert_eq!(status, 200);
    let md = String::from_utf8(md).unwrap();
    assert!(
        md.contains(ACCENTS) && !md.contains("Texte changé après"),
        "{md}"
    );
    let (_, _, json) = export(&server, &board, &format!("format=json&at={moment}")).await;
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&json).unwrap(),
        before
    );
    // A moment by time: the changes signed at that second or before.
    let (status, _, md) = export(&server, &board, "format=md&at=1764000000").await;
    assert_eq!(status, 200);
    assert!(String::from_utf8(md).unwrap().contains(ACCENTS));

    for (query, said) in [
        ("format=docx", "unknown export format"),
        ("format=md&at=hier", "neither a change's hash"),
        ("format=md&at=1000", "no change made before that time"),
        (&format!("format=md&at={}", "0".repeat(64)), "has no change"),
    ] {
        let (status, _, body) = export(&server, &board, query).await;
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(status, 400, "{query}");
        assert!(
            body["error"].as_str().unwrap().contains(said),
            "{query}: {body}"
        );
    }
    // Without a link, the board does not exist; the observer's link was enough above.
    let anonymous = server
        .get(&format!("/api/boards/{}/export?format=md", board.id), &[])
        .await;
    assert_eq!(anonymous.status, 404);
}
