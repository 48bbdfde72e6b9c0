//! The board's canvas as a drawing: SVG written here, the PNG rendered from it by resvg and
//! the PDF converted from it by svg2pdf (both through usvg, with one font: DejaVu Sans,
//! compiled into the binary, so that accents render wherever Ardoise runs; resvg draws no
//! text with a font it was not given).
//!
//! SVG has no line wrapping, so the text of each post-it is wrapped here with the font's own
//! advances, inside the post-it, and cut with "…" where it no longer fits.

use std::sync::{Arc, OnceLock};

use app::model::{BoardView, Colour, Dot, NoteView, COLUMN_MIN_HEIGHT, COLUMN_WIDTH};
use resvg::{tiny_skia, usvg};

use super::{dot_total, ods::escape, words::Words, ExportError};

/// The font every drawing's text is set in.
const FONT: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
/// Its family name, as drawings name it.
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// Space around the board, and above it for the title.
const MARGIN: f64 = 40.0;
const TITLE_SIZE: f64 = 28.0;
const HEADING_SIZE: f64 = 18.0;
const TEXT_SIZE: f64 = 15.0;
const LINE_HEIGHT: f64 = 19.0;
/// Space between a post-it's edge and its text.
const PADDING: f64 = 10.0;
/// Room at the bottom of a post-it for its author and dots.
const FOOTER: f64 = 22.0;
const FOOTER_SIZE: f64 = 11.0;
/// The PNG's longest side, in pixels, and how much a small board is enlarged.
const MAX_PNG_SIDE: f64 = 6_000.0;
const PNG_SCALE: f64 = 2.0;
/// The PDF's longest side, in points (PDF viewers take pages up to 200 inches).
const MAX_PDF_SIDE: f64 = 14_400.0;
/// What an empty board's drawing measures (without margins).
const EMPTY_SIZE: (f64, f64) = (480.0, 120.0);

/// The canvas's colours: post-its as the page shows them (`style/ardoise.css`).
fn fill(colour: Colour) -> &'static str {
    match colour {
        Colour::Yellow => "#fff176",
        Colour::Pink => "#f8bbd0",
        Colour::Blue => "#b3e5fc",
        Colour::Green => "#c5e1a5",
        Colour::Orange => "#ffcc80",
        Colour::Purple => "#d1c4e9",
    }
}

fn dot_fill(dot: Dot) -> &'static str {
    match dot {
        Dot::Red => "#d32f2f",
        Dot::Blue => "#1976d2",
        Dot::Green => "#388e3c",
        Dot::Black => "#212121",
    }
}

/// The font's glyph advances, to wrap text.
struct Metrics {
    face: ttf_parser::Face<'static>,
    fallback: u16,
}

fn metrics() -> Option<&'static Metrics> {
    static METRICS: OnceLock<Option<Metrics>> = OnceLock::new();
    METRICS
        .get_or_init(|| {
            let face = ttf_parser::Face::parse(FONT, 0).ok()?;
            let fallback = face
                .glyph_index('?')
                .and_then(|g| face.glyph_hor_advance(g))
                .unwrap_or(0);
            Some(Metrics { face, fallback })
        })
        .as_ref()
}

/// How wide a text is set at `size`.
fn width(text: &str, size: f64) -> f64 {
    let Some(m) = metrics() else {
        // Never without the font it is compiled with: a generous guess.
        return text.chars().count() as f64 * size * 0.6;
    };
    let units: f64 = text
        .chars()
        .map(|c| {
            let advance = m
                .face
                .glyph_index(c)
                .and_then(|g| m.face.glyph_hor_advance(g))
                .unwrap_or(m.fallback);
            f64::from(advance)
        })
        .sum();
    units * size / f64::from(m.face.units_per_em())
}

/// Lines of `text` that fit `max_width` at `size`: words wrapped, a word too long for one line
/// broken, the text's own line breaks kept.
pub fn wrap(text: &str, size: f64, max_width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if width(&candidate, size) <= max_width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // The word alone, broken where it does not fit.
            for c in word.chars() {
                line.push(c);
                if width(&line, size) > max_width && line.chars().count() > 1 {
                    let last = line.pop().unwrap_or(c);
                    lines.push(std::mem::take(&mut line));
                    line.push(last);
                }
            }
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// The part of the canvas drawn: `(left, top, width, height)` in canvas units.
fn frame(view: &BoardView) -> (f64, f64, f64, f64) {
    let (left, top, right, bottom) =
        view.bounds()
            .unwrap_or((0.0, 0.0, EMPTY_SIZE.0, EMPTY_SIZE.1));
    let width = (right - left).max(EMPTY_SIZE.0) + 2.0 * MARGIN;
    let height = (bottom - top) + 2.0 * MARGIN + TITLE_SIZE + MARGIN / 2.0;
    (
        left - MARGIN,
        top - MARGIN - TITLE_SIZE - MARGIN / 2.0,
        width,
        height,
    )
}

/// The board as SVG, `scale` times its canvas size; one `<g class="note">` per post-it, in
/// stacking order.
fn svg_scaled(view: &BoardView, words: &Words, scale: f64) -> String {
    let (left, top, width, height) = frame(view);
    let family = format!("{FONT_FAMILY}, sans-serif");
    let mut out = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="{left} {top} {width} {height}" font-family="{family}">
<rect x="{left}" y="{top}" width="{width}" height="{height}" fill="#ffffff"/>
"##,
        w = width * scale,
        h = height * scale,
    );
    let title = match view.title.trim() {
        "" => words.untitled,
        title => title,
    };
    out.push_str(&format!(
        r##"<text x="{x}" y="{y}" font-size="{TITLE_SIZE}" fill="#212121">{}</text>
"##,
        escape(title),
        x = left + MARGIN,
        y = top + MARGIN + TITLE_SIZE * 0.8,
    ));
    let column_height = view
        .bounds()
        .map(|(_, _, _, bottom)| bottom.max(COLUMN_MIN_HEIGHT))
        .unwrap_or(COLUMN_MIN_HEIGHT);
    for (i, column) in view.columns.iter().enumerate() {
        let x = i as f64 * COLUMN_WIDTH;
        out.push_str(&format!(
            r##"<g class="column"><rect x="{x}" y="0" width="{COLUMN_WIDTH}" height="{column_height}" fill="#f5f5f5" stroke="#bdbdbd"/>"##
        ));
        let heading = wrap(&column.heading, HEADING_SIZE, COLUMN_WIDTH - 2.0 * PADDING);
        if let Some(first) = heading.first() {
            out.push_str(&format!(
                r##"<text x="{}" y="{}" font-size="{HEADING_SIZE}" fill="#424242">{}</text>"##,
                x + PADDING,
                HEADING_SIZE + PADDING,
                escape(first)
            ));
        }
        out.push_str("</g>\n");
    }
    let mut notes: Vec<&NoteView> = view.notes.iter().collect();
    notes.sort_by_key(|n| n.z);
    for note in notes {
        note_svg(&mut out, view, note);
    }
    out.push_str("</svg>\n");
    out
}

fn note_svg(out: &mut String, view: &BoardView, note: &NoteView) {
    let (x, y) = view.position(note);
    out.push_str(&format!(
        r##"<g class="note" data-id="{id}"><rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" stroke="#9e9e9e" stroke-width="0.5"/>"##,
        id = escape(note.id.as_str()),
        w = note.w,
        h = note.h,
        fill = fill(note.colour),
    ));
    let inner = note.w - 2.0 * PADDING;
    let room = ((note.h - 2.0 * PADDING - FOOTER) / LINE_HEIGHT)
        .floor()
        .max(1.0) as usize;
    let mut lines = wrap(&note.text, TEXT_SIZE, inner);
    if lines.len() > room {
        lines.truncate(room);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && width(&format!("{last}…"), TEXT_SIZE) > inner {
                last.pop();
            }
            last.push('…');
        }
    }
    if !lines.is_empty() {
        out.push_str(&format!(
            r##"<text font-size="{TEXT_SIZE}" fill="#212121">"##
        ));
        for (i, line) in lines.iter().enumerate() {
            out.push_str(&format!(
                r#"<tspan x="{}" y="{}">{}</tspan>"#,
                x + PADDING,
                y + PADDING + TEXT_SIZE + i as f64 * LINE_HEIGHT,
                escape(line)
            ));
        }
        out.push_str("</text>");
    }
    let footer_y = y + note.h - PADDING;
    if let Some(author) = note.author.as_deref().filter(|a| !a.trim().is_empty()) {
        let author = wrap(author, FOOTER_SIZE, inner * 0.6);
        if let Some(first) = author.first() {
            out.push_str(&format!(
                r##"<text x="{}" y="{footer_y}" font-size="{FOOTER_SIZE}" fill="#616161">{}</text>"##,
                x + PADDING,
                escape(first)
            ));
        }
    }
    if dot_total(note) > 0 {
        let mut cx = x + note.w - PADDING - 6.0;
        for dot in Dot::ALL.iter().rev() {
            let count = note.dots(*dot);
            if count == 0 {
                continue;
            }
            out.push_str(&format!(
                r##"<circle cx="{cx}" cy="{cy}" r="7" fill="{fill}"/><text x="{cx}" y="{ty}" font-size="9" fill="#ffffff" text-anchor="middle">{count}</text>"##,
                cy = footer_y - 4.0,
                ty = footer_y - 1.0,
                fill = dot_fill(*dot),
            ));
            cx -= 18.0;
        }
    }
    out.push_str("</g>\n");
}

/// The board as SVG, at its canvas's size.
pub fn svg(view: &BoardView, words: &Words) -> String {
    svg_scaled(view, words, 1.0)
}

/// The drawing as usvg reads it, with the font loaded.
fn tree(svg: &str) -> Result<usvg::Tree, ExportError> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    let fonts = FONTS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(FONT.to_vec());
        db.set_sans_serif_family(FONT_FAMILY);
        Arc::new(db)
    });
    let options = usvg::Options {
        font_family: FONT_FAMILY.to_owned(),
        fontdb: fonts.clone(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).map_err(|e| ExportError::Draw(e.to_string()))
}

/// The board as a PNG image: twice its canvas's size, or smaller if that would exceed
/// [`MAX_PNG_SIDE`] pixels.
pub fn png(view: &BoardView, words: &Words) -> Result<Vec<u8>, ExportError> {
    let (_, _, width, height) = frame(view);
    let scale = PNG_SCALE.min(MAX_PNG_SIDE / width.max(height));
    let tree = tree(&svg_scaled(view, words, scale))?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| ExportError::Draw("the image would be empty".into()))?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| ExportError::Draw(e.to_string()))
}

/// The board as a one-page PDF, its text as text (with the font embedded), so that it can be
/// searched and copied.
pub fn pdf(view: &BoardView, words: &Words) -> Result<Vec<u8>, ExportError> {
    let (_, _, width, height) = frame(view);
    let scale = (MAX_PDF_SIDE / width.max(height)).min(1.0);
    let tree = tree(&svg_scaled(view, words, scale))?;
    svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions::default(),
    )
    .map_err(|e| ExportError::Draw(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_inside_its_width_and_keeps_its_line_breaks() {
        let lines = wrap(
            "Une réunion trop longue, sans ordre du jour\nÀ revoir",
            TEXT_SIZE,
            140.0,
        );
        assert!(lines.len() >= 3, "{lines:?}");
        assert_eq!(lines.last().map(String::as_str), Some("À revoir"));
        for line in &lines {
            assert!(width(line, TEXT_SIZE) <= 140.0, "{line:?} is too wide");
        }
        let long = wrap(&"x".repeat(200), TEXT_SIZE, 140.0);
        assert!(long.len() > 1 && long.iter().all(|l| width(l, TEXT_SIZE) <= 140.0));
    }
}
