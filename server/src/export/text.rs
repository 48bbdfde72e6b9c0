//! The board as text: Markdown to read and paste into minutes, CSV for spreadsheets and
//! scripts, JSON as the API answers it.

use app::model::{BoardView, NoteView};

use super::{dot_total, votes, words::Words, BoardJson};

/// Markdown: the title, each column as a heading with its post-its as items in reading order,
/// then those outside the columns, then the groups and the actions when there are any. Each
/// item says who wrote it, its dots and its votes.
pub fn markdown(view: &BoardView, words: &Words) -> String {
    let ui = words.ui();
    let votes = votes(view);
    let mut out = format!("# {}\n", one_line(title(view, words)));
    for (column, notes) in view.by_column() {
        let heading = match column {
            Some(column) if column.heading.trim().is_empty() => ui.outside_columns.to_owned(),
            Some(column) => column.heading.clone(),
            None => ui.outside_columns.to_owned(),
        };
        out.push_str(&format!("\n## {}\n\n", one_line(&heading)));
        for note in notes {
            out.push_str(&item(note, votes.get(&note.id).copied(), words));
        }
    }
    if !view.groups.is_empty() {
        out.push_str(&format!("\n## {}\n", words.groups));
        for group in &view.groups {
            let title = match group.title.trim() {
                "" => ui.untitled_group,
                title => title,
            };
            out.push_str(&format!("\n### {}\n\n", one_line(title)));
            for note in group.notes.iter().filter_map(|id| view.note(id)) {
                out.push_str(&format!("- {}\n", indented(&note.text)));
            }
        }
    }
    let actions: Vec<&NoteView> = view.notes.iter().filter(|n| n.action.is_some()).collect();
    if !actions.is_empty() {
        out.push_str(&format!("\n## {}\n\n", ui.actions));
        for note in actions {
            let Some(action) = &note.action else { continue };
            let mut line = format!(
                "- [{}] {}",
                if action.done { "x" } else { " " },
                indented(&note.text)
            );
            if !action.owner.trim().is_empty() {
                line.push_str(&format!(" — {} : {}", ui.owner, one_line(&action.owner)));
            }
            if !action.due.is_empty() {
                line.push_str(&format!(" — {} : {}", ui.due, action.due));
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

fn title<'a>(view: &'a BoardView, words: &'a Words) -> &'a str {
    match view.title.trim() {
        "" => words.untitled,
        title => title,
    }
}

/// One post-it as a list item: its text (further lines indented under it), then who wrote it,
/// its dots and its votes in italics.
fn item(note: &NoteView, votes: Option<i64>, words: &Words) -> String {
    let ui = words.ui();
    let mut about = Vec::new();
    if let Some(author) = note.author.as_deref().filter(|a| !a.trim().is_empty()) {
        about.push(format!("{} {}", ui.added_by, one_line(author)));
    }
    let dots = dot_total(note);
    if dots > 0 {
        about.push(format!("{dots} {}", ui.dots_word));
    }
    if let Some(votes) = votes {
        about.push(format!("{votes} {}", words.votes));
    }
    let text = match note.text.trim() {
        "" => "…".to_owned(),
        text => indented(text),
    };
    let mut line = format!("- {text}");
    if !about.is_empty() {
        line.push_str(&format!("  \n  *{}*", about.join(" · ")));
    }
    line.push('\n');
    line
}

/// A text on one line (headings).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A text whose further lines stay inside its list item.
fn indented(text: &str) -> String {
    text.trim().lines().collect::<Vec<_>>().join("  \n  ")
}

/// The CSV columns, in order: stable names (scripts and `ardoise import` read them).
pub const CSV_HEADER: [&str; 14] = [
    "column",
    "text",
    "colour",
    "author",
    "created_at",
    "dots",
    "votes",
    "group",
    "action",
    "owner",
    "due",
    "done",
    "x",
    "y",
];

/// One row per post-it in reading order, UTF-8 with a byte order mark (so that spreadsheets
/// read accents right), cells people wrote neutralised against formulas.
pub fn csv(view: &BoardView, words: &Words) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = ::csv::Writer::from_writer(&mut out);
        // Writing into memory cannot fail.
        let _ = writer.write_record(CSV_HEADER);
        for row in rows(view, words) {
            let _ = writer.write_record(&row);
        }
        let _ = writer.flush();
    }
    out
}

/// The post-its as rows of [`CSV_HEADER`]'s cells (the spreadsheet writes the same), in
/// reading order.
pub fn rows(view: &BoardView, words: &Words) -> Vec<Vec<String>> {
    let votes = votes(view);
    let ui = words.ui();
    let mut rows = Vec::new();
    for (column, notes) in view.by_column() {
        let column = column.map(|c| c.heading.as_str()).unwrap_or("");
        for note in notes {
            let (x, y) = view.position(note);
            let group = note
                .group
                .as_ref()
                .and_then(|g| view.group(g))
                .map(|g| match g.title.trim() {
                    "" => ui.untitled_group.to_owned(),
                    title => title.to_owned(),
                })
                .unwrap_or_default();
            let action = note.action.as_ref();
            rows.push(vec![
                safe_cell(column),
                safe_cell(&note.text),
                note.colour.as_str().to_owned(),
                safe_cell(note.author.as_deref().unwrap_or("")),
                created(note.created_at),
                dot_total(note).to_string(),
                votes
                    .get(&note.id)
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
                safe_cell(&group),
                if action.is_some() { "yes" } else { "" }.to_owned(),
                safe_cell(action.map(|a| a.owner.as_str()).unwrap_or("")),
                action.map(|a| a.due.clone()).unwrap_or_default(),
                match action {
                    Some(a) if a.done => "yes",
                    _ => "",
                }
                .to_owned(),
                number(x),
                number(y),
            ]);
        }
    }
    rows
}

/// A cell of text someone wrote: one that a spreadsheet would take for a formula (starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, which spreadsheets show as
/// text.
pub fn safe_cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// A creation time as ISO 8601 in UTC (empty when unknown).
pub fn created(ms: i64) -> String {
    if ms <= 0 {
        return String::new();
    }
    let secs = ms.div_euclid(1000);
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn number(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    format!("{rounded}")
}

/// The board as the API answers it, indented.
pub fn json(board: &BoardJson) -> Vec<u8> {
    // A view always serializes.
    serde_json::to_vec_pretty(board).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_would_be_formulas_are_neutralised_and_others_are_kept() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("+33 6"), "'+33 6");
        assert_eq!(safe_cell("-1"), "'-1");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("café = bon"), "café = bon");
        assert_eq!(safe_cell(""), "");
    }

    #[test]
    fn creation_times_are_written_in_utc() {
        assert_eq!(created(0), "");
        assert_eq!(created(1_764_633_600_000), "2025-12-02T00:00:00Z");
        assert_eq!(created(951_825_600_000 + 3_723_000), "2000-02-29T13:02:03Z");
    }
}
