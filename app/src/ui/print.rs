//! The board as the browser prints it: its title, then each column's heading with its post-its
//! from top to bottom, then those outside the columns; no toolbars (see `@media print` in the
//! stylesheet). The screen never shows it, so a screen reader does not read the board twice.

use leptos::prelude::*;

use super::{handle::BoardHandle, language::texts};
use crate::{i18n::Texts, ids::ColumnId, model::BoardView};

/// One post-it as printed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Printed {
    text: String,
    colour: &'static str,
    /// Who wrote it, the dots, the action: one line under the text.
    about: String,
}

/// One column (or the outside) as printed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Section {
    /// The column's id (or none, outside the columns): two columns may have the same heading.
    column: Option<ColumnId>,
    heading: String,
    notes: Vec<Printed>,
}

fn sections(board: &BoardView, t: &Texts) -> Vec<Section> {
    board
        .by_column()
        .into_iter()
        .enumerate()
        .map(|(i, (column, notes))| Section {
            column: column.map(|c| c.id.clone()),
            heading: match column {
                Some(c) if !c.heading.trim().is_empty() => c.heading.clone(),
                Some(_) => format!("{} {}", t.column_word, i + 1),
                None => t.outside_columns.to_owned(),
            },
            notes: notes
                .into_iter()
                .map(|n| {
                    let dots: i64 = n.dots.iter().sum();
                    let about: Vec<String> = [
                        n.author.as_ref().map(|a| format!("{} {a}", t.added_by)),
                        (dots > 0).then(|| {
                            let word = if dots == 1 { t.dot_word } else { t.dots_word };
                            format!("{dots} {word}")
                        }),
                        n.action.as_ref().map(|a| {
                            let who = if a.owner.is_empty() {
                                t.nobody_yet
                            } else {
                                &a.owner
                            };
                            format!("{}{} {who} {}", t.action, t.colon, a.due)
                                .trim_end()
                                .to_owned()
                        }),
                    ]
                    .into_iter()
                    .flatten()
                    .collect();
                    Printed {
                        text: n.text.clone(),
                        colour: n.colour.as_str(),
                        about: about.join(" · "),
                    }
                })
                .collect(),
        })
        .collect()
}

/// The printed board, kept up to date with the board (a section is only drawn again when what
/// it prints changed).
pub fn print_view() -> AnyView {
    let t = texts();
    let handle = expect_context::<BoardHandle>();
    let view = handle.doc.view;
    let title = move || view.with(|v| v.title.clone());
    let all = Memo::new(move |_| view.with(|v| sections(v, t)));
    view! {
        <section class="print-board">
            <h1>{title}</h1>
            <For each=move || all.get() key=|section| section.clone() let:section>
                <h2>{section.heading}</h2>
                <ul>
                    {section
                        .notes
                        .into_iter()
                        .map(|note| {
                            view! {
                                <li class=format!("note-{}", note.colour)>
                                    <p class="print-text">{note.text}</p>
                                    {(!note.about.is_empty())
                                        .then(|| view! { <p class="print-about">{note.about}</p> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </For>
        </section>
    }
    .into_any()
}
