//! The board as this page last saw it, the link with the server, and the people on it: what the
//! browser session keeps up to date, and the way edits and presence go out.

use leptos::prelude::*;

use crate::{
    access::Role,
    client::{Connection, Person},
    ephemeral::{Presence, MAX_NAME_CHARS},
    ids::BoardId,
    model::{Board, BoardView, Change, ModelError, Signature},
};

/// Colours given to people (one picked at random on a first visit and remembered).
pub const PERSON_COLOURS: [&str; 8] = [
    "#d32f2f", "#1976d2", "#388e3c", "#7b1fa2", "#f57c00", "#0097a7", "#c2185b", "#5d4037",
];

/// The document context.
#[derive(Clone, Copy)]
pub struct BoardDoc {
    pub view: RwSignal<BoardView>,
    pub status: RwSignal<Connection>,
    /// The browser's own copy (IndexedDB) holds every edit made on this page.
    pub saved_locally: RwSignal<bool>,
    /// The other people on the board now (without their cursors, which move all the time).
    pub people: RwSignal<Vec<Person>>,
    /// The other people whose pointer is on the canvas.
    pub cursors: RwSignal<Vec<Person>>,
    /// This person's name and colour.
    pub me: RwSignal<(String, String)>,
    /// How far the server's clock is ahead of this browser's (ms), once the server told.
    pub clock_offset: RwSignal<Option<f64>>,
    /// What the page's link gives: an observer's page makes no edit.
    pub role: Role,
    #[cfg(feature = "hydrate")]
    session: StoredValue<crate::client::BrowserSession, LocalStorage>,
}

impl BoardDoc {
    /// Starts the board's session (in the browser; the server only renders `board`).
    pub fn start(id: BoardId, board: Board, role: Role) -> Self {
        let view = RwSignal::new(board.view());
        let status = RwSignal::new(Connection::Connecting);
        let saved_locally = RwSignal::new(false);
        let people = RwSignal::new(Vec::new());
        let cursors = RwSignal::new(Vec::new());
        let clock_offset = RwSignal::new(None);
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, board);
        Self {
            view,
            status,
            saved_locally,
            people,
            cursors,
            me: RwSignal::new((String::new(), PERSON_COLOURS[0].to_owned())),
            clock_offset,
            role,
            #[cfg(feature = "hydrate")]
            session: StoredValue::new_local(crate::client::BrowserSession::start(
                id,
                board,
                crate::client::Signals {
                    view,
                    status,
                    saved_locally,
                    people,
                    cursors,
                    clock_offset,
                },
            )),
        }
    }

    /// Applies an edit to the local document at once and sends it; returns its result and what
    /// it changed. Only the browser edits: a server-rendered page is never interacted with
    /// before it is hydrated.
    pub fn edit<R>(
        &self,
        edit: impl FnOnce(&mut Board) -> Result<R, ModelError>,
    ) -> (Result<R, ModelError>, Change) {
        self.edit_signed(self.signature(), edit)
    }

    /// Like [`Self::edit`], with the change signed as given (a restore says what it restored).
    pub fn edit_signed<R>(
        &self,
        signature: Signature,
        edit: impl FnOnce(&mut Board) -> Result<R, ModelError>,
    ) -> (Result<R, ModelError>, Change) {
        if !self.role.edits() {
            return (Err(ModelError::ReadOnly), Change::default());
        }
        #[cfg(feature = "hydrate")]
        {
            self.session.with_value(|session| {
                session.edit(|board| {
                    let result = edit(board);
                    board.sign(&signature);
                    result
                })
            })
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (edit, signature);
            (Err(ModelError::NoNotes), Change::default())
        }
    }

    /// Reads (or signs and commits, which a read of the history does) the browser's own copy of
    /// the board; `None` on the server's render.
    pub fn with_board<R>(&self, read: impl FnOnce(&mut Board) -> R) -> Option<R> {
        #[cfg(feature = "hydrate")]
        {
            Some(self.session.with_value(|session| session.with_board(read)))
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = read;
            None
        }
    }

    /// Who makes an edit now: this person's name (none on an anonymous board) and the time by
    /// the server's clock when it is known (a browser's own clock may be wrong).
    pub fn signature(&self) -> Signature {
        let now = self.server_now().unwrap_or_else(super::handle::now_ms);
        Signature::person(self.author_name(), now)
    }

    /// The time now by the server's clock (ms since the Unix epoch), from this browser's clock
    /// and the offset the server gave; `None` until it did, and on the server's render.
    pub fn server_now(&self) -> Option<i64> {
        #[cfg(feature = "hydrate")]
        {
            let offset = self.clock_offset.get_untracked()?;
            Some((js_sys::Date::now() + offset) as i64)
        }
        #[cfg(not(feature = "hydrate"))]
        None
    }

    /// Changes what this page shows the others (cursor, post-it being typed in or dragged).
    pub fn set_presence(&self, update: impl FnOnce(&mut Presence)) {
        #[cfg(feature = "hydrate")]
        self.session
            .with_value(|session| session.set_presence(update));
        #[cfg(not(feature = "hydrate"))]
        let _ = update;
    }

    /// This person's name as others see it, or `None` if they gave none.
    pub fn my_name(&self) -> Option<String> {
        let name = self.me.with_untracked(|(name, _)| name.trim().to_owned());
        (!name.is_empty()).then_some(name)
    }

    /// The name to write as a new post-it's author: none on an anonymous board (the server
    /// would refuse the change).
    pub fn author_name(&self) -> Option<String> {
        if self.view.with_untracked(|v| v.facilitation.anonymous) {
            return None;
        }
        self.my_name()
    }

    /// Sets this person's name (remembered in the browser) and colour.
    pub fn set_me(&self, name: &str, colour: &str) {
        let name: String = name.chars().take(MAX_NAME_CHARS).collect();
        self.me.set((name.clone(), colour.to_owned()));
        let colour = colour.to_owned();
        self.set_presence(move |p| {
            p.name = name;
            p.colour = colour;
        });
    }
}
