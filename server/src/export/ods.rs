//! The board as an OpenDocument spreadsheet (ODS, what the French administration's
//! interoperability framework recommends): one sheet of post-its (the CSV's columns), and one of
//! actions when there are any. Written directly as the format's XML in a zip: the `mimetype`
//! entry first and uncompressed, then the manifest and the content.

use std::io::{Cursor, Write};

use app::model::BoardView;
use zip::{write::SimpleFileOptions, CompressionMethod, ZipWriter};

use super::{
    text::{rows, safe_cell, CSV_HEADER},
    words::Words,
    ExportError,
};

const MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"#;

/// The CSV columns that hold numbers (written as numbers, so that a spreadsheet sums them).
const NUMERIC: [&str; 4] = ["dots", "votes", "x", "y"];

pub fn spreadsheet(view: &BoardView, words: &Words) -> Result<Vec<u8>, ExportError> {
    let mut content = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        "\n",
        r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
        r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
        r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">"#,
        "<office:body><office:spreadsheet>"
    ));
    let numeric: Vec<bool> = CSV_HEADER.iter().map(|h| NUMERIC.contains(h)).collect();
    let post_its = rows(view, words);
    sheet(
        &mut content,
        words.post_its,
        &CSV_HEADER,
        &post_its,
        &numeric,
    );
    let ui = words.ui();
    let actions: Vec<Vec<String>> = view
        .notes
        .iter()
        .filter_map(|note| {
            let action = note.action.as_ref()?;
            Some(vec![
                safe_cell(&note.text),
                safe_cell(&action.owner),
                action.due.clone(),
                if action.done { ui.done } else { "" }.to_owned(),
            ])
        })
        .collect();
    if !actions.is_empty() {
        let header = [ui.action, ui.owner, ui.due, ui.done];
        sheet(&mut content, ui.actions, &header, &actions, &[false; 4]);
    }
    content.push_str("</office:spreadsheet></office:body></office:document-content>\n");
    zipped(&content).map_err(|e| ExportError::Draw(format!("spreadsheet: {e}")))
}

fn sheet(out: &mut String, name: &str, header: &[&str], rows: &[Vec<String>], numeric: &[bool]) {
    out.push_str(&format!(r#"<table:table table:name="{}">"#, escape(name)));
    out.push_str("<table:table-row>");
    for cell in header {
        string_cell(out, cell);
    }
    out.push_str("</table:table-row>");
    for row in rows {
        out.push_str("<table:table-row>");
        for (i, cell) in row.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(n) if numeric.get(i).copied().unwrap_or(false) => out.push_str(&format!(
                    r#"<table:table-cell office:value-type="float" office:value="{n}"><text:p>{n}</text:p></table:table-cell>"#
                )),
                _ => string_cell(out, cell),
            }
        }
        out.push_str("</table:table-row>");
    }
    out.push_str("</table:table>");
}

/// A text cell, one paragraph per line.
fn string_cell(out: &mut String, text: &str) {
    out.push_str(r#"<table:table-cell office:value-type="string">"#);
    for line in text.split('\n') {
        out.push_str(&format!("<text:p>{}</text:p>", escape(line)));
    }
    out.push_str("</table:table-cell>");
}

/// Text as XML character data or attribute value; characters XML cannot hold are left out.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

fn zipped(content: &str) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    zip.start_file("mimetype", stored)?;
    zip.write_all(MIMETYPE.as_bytes())?;
    zip.start_file("META-INF/manifest.xml", deflated)?;
    zip.write_all(MANIFEST.as_bytes())?;
    zip.start_file("content.xml", deflated)?;
    zip.write_all(content.as_bytes())?;
    Ok(zip.finish()?.into_inner())
}
