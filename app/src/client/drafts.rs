//! This browser's private post-its on a board (silent writing): what it wrote, and what the
//! server has not been told yet. The page keeps the book in `localStorage`, so that private
//! post-its written offline survive a reload, and sends what is unsent when it can; the server
//! keeps them for this browser's seat only (`/api/boards/<id>/drafts`).

use serde::{Deserialize, Serialize};

use crate::model::MAX_NOTE_TEXT_CHARS;

/// A private post-it, as the page keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// The id it will have on the board once revealed.
    pub id: String,
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub colour: String,
    /// The server has it as it is here.
    #[serde(default)]
    pub sent: bool,
    /// Deleted here; the server is still to be told.
    #[serde(default)]
    pub deleted: bool,
}

/// What the page must tell the server.
#[derive(Debug, Clone, PartialEq)]
pub enum Unsent {
    Put(Draft),
    Delete(String),
}

/// The private post-its of one board in this browser.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DraftBook {
    drafts: Vec<Draft>,
}

impl DraftBook {
    /// The book as `localStorage` holds it (CBOR in base64); an unreadable one is empty.
    pub fn from_stored(stored: &str) -> Self {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(stored)
            .ok()
            .and_then(|bytes| ciborium::from_reader(bytes.as_slice()).ok())
            .unwrap_or_default()
    }

    pub fn to_stored(&self) -> String {
        use base64::Engine;
        let mut bytes = Vec::new();
        match ciborium::into_writer(self, &mut bytes) {
            Ok(()) => base64::engine::general_purpose::STANDARD.encode(bytes),
            Err(_) => String::new(),
        }
    }

    /// The private post-its shown (the deleted ones left out).
    pub fn shown(&self) -> impl Iterator<Item = &Draft> {
        self.drafts.iter().filter(|d| !d.deleted)
    }

    pub fn is_empty(&self) -> bool {
        self.shown().next().is_none()
    }

    /// A new, empty private post-it at a place on the canvas.
    pub fn add(&mut self, id: String, x: f64, y: f64, colour: &str) {
        self.drafts.push(Draft {
            id,
            text: String::new(),
            x,
            y,
            colour: colour.to_owned(),
            sent: false,
            deleted: false,
        });
    }

    /// Rewrites a private post-it's text (kept within the board's limit).
    pub fn set_text(&mut self, id: &str, text: &str) {
        if let Some(draft) = self.drafts.iter_mut().find(|d| d.id == id && !d.deleted) {
            let text: String = text.chars().take(MAX_NOTE_TEXT_CHARS).collect();
            if draft.text != text {
                draft.text = text;
                draft.sent = false;
            }
        }
    }

    /// Deletes a private post-it; the server is told next.
    pub fn delete(&mut self, id: &str) {
        if let Some(draft) = self.drafts.iter_mut().find(|d| d.id == id) {
            draft.deleted = true;
            draft.sent = false;
        }
    }

    /// What the server is still to be told, in the order it happened.
    pub fn unsent(&self) -> Vec<Unsent> {
        self.drafts
            .iter()
            .filter(|d| !d.sent)
            .map(|d| match d.deleted {
                true => Unsent::Delete(d.id.clone()),
                false => Unsent::Put(d.clone()),
            })
            .collect()
    }

    /// The server has what was sent: `draft` as it was sent, or the deletion of `id`.
    pub fn confirmed(&mut self, sent: &Unsent) {
        match sent {
            Unsent::Put(draft) => {
                if let Some(kept) = self.drafts.iter_mut().find(|d| d.id == draft.id) {
                    // Unless it changed again meanwhile.
                    if kept.text == draft.text && !kept.deleted {
                        kept.sent = true;
                    }
                }
            }
            Unsent::Delete(id) => self.drafts.retain(|d| !(d.id == *id && d.deleted)),
        }
    }

    /// Adds the private post-its the server has and this book lacks (another tab's, or a
    /// cleared `localStorage`'s).
    pub fn merge_server(&mut self, server: Vec<Draft>) {
        for mut draft in server {
            if self.drafts.iter().all(|d| d.id != draft.id) {
                draft.sent = true;
                draft.deleted = false;
                self.drafts.push(draft);
            }
        }
    }

    /// Drops the private post-its that are on the board now (revealed); returns whether any were.
    pub fn drop_revealed(&mut self, on_board: impl Fn(&str) -> bool) -> bool {
        let before = self.drafts.len();
        self.drafts.retain(|d| !on_board(&d.id));
        self.drafts.len() != before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book_with(ids: &[&str]) -> DraftBook {
        let mut book = DraftBook::default();
        for id in ids {
            book.add((*id).to_owned(), 10.0, 20.0, "yellow");
        }
        book
    }

    #[test]
    fn what_is_written_is_unsent_until_the_server_has_that_version() {
        let mut book = book_with(&["a"]);
        book.set_text("a", "idée");
        let sent = book.unsent();
        assert_eq!(sent.len(), 1);
        // Written again while the request was on its way: still unsent after the answer.
        book.set_text("a", "idée deux");
        book.confirmed(&sent[0]);
        assert!(matches!(&book.unsent()[..], [Unsent::Put(d)] if d.text == "idée deux"));
        let sent = book.unsent();
        book.confirmed(&sent[0]);
        assert!(book.unsent().is_empty());
    }

    #[test]
    fn a_deletion_is_kept_until_the_server_has_it_and_survives_a_reload() {
        let mut book = book_with(&["a", "b"]);
        for sent in book.unsent() {
            book.confirmed(&sent);
        }
        book.delete("a");
        let book = DraftBook::from_stored(&book.to_stored());
        assert_eq!(
            book.shown().map(|d| d.id.as_str()).collect::<Vec<_>>(),
            ["b"]
        );
        assert_eq!(book.unsent(), [Unsent::Delete("a".into())]);
        let mut book = book;
        book.confirmed(&Unsent::Delete("a".into()));
        assert!(book.unsent().is_empty());
        assert_eq!(DraftBook::from_stored("not a book"), DraftBook::default());
    }

    #[test]
    fn the_servers_drafts_join_and_revealed_ones_go() {
        let mut book = book_with(&["a"]);
        let theirs = Draft {
            id: "b".into(),
            text: "from the other tab".into(),
            x: 0.0,
            y: 0.0,
            colour: "blue".into(),
            sent: false,
            deleted: false,
        };
        book.merge_server(vec![
            theirs.clone(),
            Draft {
                text: "old".into(),
                ..theirs
            },
        ]);
        assert_eq!(book.shown().count(), 2);
        assert!(book
            .unsent()
            .iter()
            .all(|u| matches!(u, Unsent::Put(d) if d.id == "a")));
        assert!(book.drop_revealed(|id| id == "a"));
        assert!(!book.drop_revealed(|id| id == "a"));
        assert_eq!(
            book.shown().map(|d| d.text.as_str()).collect::<Vec<_>>(),
            ["from the other tab"]
        );
    }
}
