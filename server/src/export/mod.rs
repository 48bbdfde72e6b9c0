//! Exports of a board, now or as it was at a moment of its history, in the formats people open:
//! one code path for the page's export menu and `GET /api/boards/<id>/export?format=...` (both
//! in `api`) and `ardoise export --format ...` (`backup.rs`).
//!
//! Layout: this file picks the format and the moment; `text.rs` writes Markdown, CSV and JSON;
//! `ods.rs` the OpenDocument spreadsheet; `drawing.rs` the canvas as SVG, and from that SVG the
//! PNG (resvg) and the PDF (svg2pdf), with the font compiled into the binary; `words.rs` the
//! words exports write, in French and English.

mod drawing;
mod ods;
mod text;
mod words;

use std::collections::HashMap;

use app::{
    i18n::Lang,
    ids::{BoardId, NoteId},
    model::{Board, BoardView},
};
use serde::Serialize;

pub use drawing::FONT_FAMILY;

/// A format a board can be exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The document with its whole history (Automerge's own `save()`); `ardoise export`'s default.
    Automerge,
    Markdown,
    Csv,
    Json,
    Ods,
    Svg,
    Png,
    Pdf,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Automerge,
        Format::Markdown,
        Format::Csv,
        Format::Json,
        Format::Ods,
        Format::Svg,
        Format::Png,
        Format::Pdf,
    ];

    /// Its name in `?format=` and `--format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Automerge => "automerge",
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Ods => "ods",
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Pdf => "pdf",
        }
    }

    pub fn parse(name: &str) -> Result<Format, ExportError> {
        let name = name.trim().to_ascii_lowercase();
        let name = if name == "markdown" { "md" } else { &name };
        Format::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| ExportError::UnknownFormat(name.to_owned()))
    }

    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        self.name()
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Automerge => "application/octet-stream",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Json => "application/json",
            Format::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            Format::Svg => "image/svg+xml",
            Format::Png => "image/png",
            Format::Pdf => "application/pdf",
        }
    }
}

/// A moment of the board's history to export the board as it was then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// Once this change was made (its hash, as the history lists it).
    Change(String),
    /// The last change made at or before this time, seconds since the Unix epoch.
    Time(i64),
}

impl At {
    /// A change's hash (64 hexadecimal digits) or a time in seconds since the Unix epoch.
    pub fn parse(at: &str) -> Result<At, ExportError> {
        let at = at.trim();
        if at.len() == 64 && at.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(At::Change(at.to_ascii_lowercase()));
        }
        at.parse::<i64>()
            .ok()
            .filter(|t| *t >= 0)
            .map(At::Time)
            .ok_or_else(|| ExportError::BadMoment(at.chars().take(80).collect()))
    }
}

/// Why a board could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "unknown export format {0:?}: use one of automerge, md, csv, json, ods, svg, png, pdf"
    )]
    UnknownFormat(String),
    #[error(
        "{0:?} is neither a change's hash (64 hexadecimal digits) nor a time in seconds since 1970"
    )]
    BadMoment(String),
    #[error("this board's history has no change {0}")]
    NoSuchChange(String),
    #[error("this board's history has no change made before that time")]
    TooEarly,
    #[error("the export could not be drawn: {0}")]
    Draw(String),
}

/// What is exported: the board and its id, the words' language.
pub struct Request {
    pub id: BoardId,
    pub format: Format,
    pub at: Option<At>,
    pub lang: Lang,
}

/// A board exported: the file's bytes and its suggested name.
pub struct Exported {
    pub bytes: Vec<u8>,
    pub file_name: String,
}

/// The board as `GET /api/boards/<id>` answers it (and the JSON export writes it).
#[derive(Debug, Serialize)]
pub struct BoardJson {
    pub id: String,
    pub document_id: String,
    #[serde(flatten)]
    pub board: BoardView,
}

/// Exports `board` as `request` asks.
pub fn export(board: &mut Board, request: &Request) -> Result<Exported, ExportError> {
    let heads = match &request.at {
        None => None,
        Some(at) => Some(heads_at(board, at)?),
    };
    let view = match &heads {
        Some(heads) => board.view_at(heads),
        None => board.view(),
    };
    let words = words::of(request.lang);
    let bytes = match request.format {
        Format::Automerge => match &heads {
            Some(heads) => board
                .fork_at(heads)
                .map_err(|e| ExportError::Draw(e.to_string()))?
                .save(),
            None => board.save(),
        },
        Format::Markdown => text::markdown(&view, words).into_bytes(),
        Format::Csv => text::csv(&view, words),
        Format::Json => text::json(&BoardJson {
            id: request.id.to_string(),
            document_id: request.id.to_string(),
            board: view,
        }),
        Format::Ods => ods::spreadsheet(&view, words)?,
        Format::Svg => drawing::svg(&view, words).into_bytes(),
        Format::Png => drawing::png(&view, words)?,
        Format::Pdf => drawing::pdf(&view, words)?,
    };
    Ok(Exported {
        bytes,
        file_name: format!("{}.{}", request.id, request.format.extension()),
    })
}

/// The heads of the board at a moment of its history.
fn heads_at(board: &mut Board, at: &At) -> Result<Vec<automerge::ChangeHash>, ExportError> {
    let history = board.history();
    let index = match at {
        At::Change(hash) => history
            .versions
            .iter()
            .position(|v| &v.hash == hash)
            .ok_or_else(|| ExportError::NoSuchChange(hash.clone()))?,
        At::Time(time) => history.at_time(*time).ok_or(ExportError::TooEarly)?,
    };
    Ok(history.heads(index).to_vec())
}

/// Votes of the last closed voting session, by post-it.
fn votes(view: &BoardView) -> HashMap<&NoteId, i64> {
    match &view.facilitation.vote {
        Some(vote) if !vote.open => vote.results.iter().map(|(id, n)| (id, *n)).collect(),
        _ => HashMap::new(),
    }
}

/// A post-it's dots in all.
fn dot_total(note: &app::model::NoteView) -> i64 {
    note.dots.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_moments_are_read_from_their_names_and_bad_ones_say_why() {
        for format in Format::ALL {
            assert_eq!(Format::parse(format.name()).unwrap(), format);
        }
        assert_eq!(Format::parse("Markdown").unwrap(), Format::Markdown);
        assert!(Format::parse("docx")
            .unwrap_err()
            .to_string()
            .contains("docx"));
        assert_eq!(At::parse("1764000000").unwrap(), At::Time(1_764_000_000));
        let hash = "AB".repeat(32);
        assert_eq!(At::parse(&hash).unwrap(), At::Change("ab".repeat(32)));
        assert!(At::parse("yesterday").is_err());
        assert!(At::parse("-5").is_err());
    }
}
