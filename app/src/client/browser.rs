//! The JavaScript glue of a board's client: a `WebSocket` to the server's `/sync`, timers and
//! network events around the sans-IO [`Session`] and the plain-Rust parts of this module
//! (backoff, presence book, local save scheduling, status). Local edits are applied and shown at
//! once, kept in the browser's IndexedDB, and sent when the socket is open and, after an outage,
//! on the next connection.

use std::{cell::RefCell, rc::Rc, rc::Weak};

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

use super::{
    backoff::Backoff,
    offline::LocalStore,
    presence::{MyPresence, Person, PresenceBook, SendPresence},
    saves::{LocalSaves, SaveNow},
    status::Connection,
};
use crate::{
    access::LINK_PARAMETER,
    ephemeral::{Presence, PRESENCE_HEARTBEAT_MS},
    ids::{BoardId, PeerId},
    model::{Board, BoardView, Change, ModelError},
    protocol::Message,
    session::{Heard, Phase, Session},
};

/// A connection attempt that has neither opened nor failed after this long (a captive portal, a
/// dead access point) is abandoned and retried.
const CONNECT_TIMEOUT_MS: i32 = 10_000;

pub struct BrowserSession(Rc<RefCell<Inner>>);

/// The signals the page shows.
#[derive(Clone, Copy)]
pub struct Signals {
    pub view: RwSignal<BoardView>,
    pub status: RwSignal<Connection>,
    /// The browser's copy holds every edit made on this page.
    pub saved_locally: RwSignal<bool>,
    /// The other people on the board now (without their cursors, which move all the time).
    pub people: RwSignal<Vec<Person>>,
    /// The other people whose pointer is on the canvas.
    pub cursors: RwSignal<Vec<Person>>,
    /// How far the server's clock is ahead of this browser's, in milliseconds, once it told.
    pub clock_offset: RwSignal<Option<f64>>,
}

struct Inner {
    session: Session,
    socket: Option<Socket>,
    closed_socket: Option<Socket>,
    signals: Signals,
    backoff: Backoff,
    /// Connection attempts so far: tells a timer whether its attempt is still the current one.
    attempts: u64,
    /// What the server last said about storing changes.
    server_saving: bool,
    /// The browser's copy of the board, once IndexedDB is open.
    store: Option<LocalStore>,
    saves: LocalSaves,
    mine: MyPresence,
    others: PresenceBook,
    _network_listeners: Vec<Closure<dyn FnMut()>>,
}

/// An open socket and the callbacks it holds.
struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

fn online() -> bool {
    window().navigator().on_line()
}

impl BrowserSession {
    pub fn start(id: BoardId, board: Board, signals: Signals) -> Self {
        let inner = Rc::new(RefCell::new(Inner {
            session: Session::new(PeerId::random(), id, board),
            socket: None,
            closed_socket: None,
            signals,
            backoff: Backoff::default(),
            attempts: 0,
            server_saving: true,
            store: None,
            saves: LocalSaves::default(),
            mine: MyPresence::default(),
            others: PresenceBook::default(),
            _network_listeners: Vec::new(),
        }));
        listen_to_the_network(&inner);
        keep_presence_alive(&inner);
        super::offline::register_service_worker();
        let weak = Rc::downgrade(&inner);
        // Once the page is hydrated: a status set during hydration would not reach the page.
        leptos::task::spawn_local(async move {
            let Some(inner) = weak.upgrade() else { return };
            connect(&inner);
            let weak = Rc::downgrade(&inner);
            drop(inner);
            let Some(store) = LocalStore::open().await else {
                return;
            };
            let Some(inner) = weak.upgrade() else { return };
            let id = inner.borrow().session.board_id().clone();
            let saved = store.load(&id).await;
            inner.borrow_mut().store = Some(store);
            if let Some(saved) = saved {
                merge_local_copy(&inner, &saved);
            }
            // The copy now includes what the server sent with the page.
            save_locally(&inner);
        });
        Self(inner)
    }

    /// Applies an edit locally, shows it, keeps it in the browser, and sends it if connected.
    /// Returns the edit's result and what it changed, for undo.
    pub fn edit<R>(
        &self,
        edit: impl FnOnce(&mut Board) -> Result<R, ModelError>,
    ) -> (Result<R, ModelError>, Change) {
        let (result, signals) = {
            let mut inner = self.0.borrow_mut();
            let (result, outgoing) = inner.session.edit(edit);
            inner.send(&outgoing);
            (result, inner.signals)
        };
        // Shown and kept even if the edit failed halfway: what it did before failing was sent.
        let after = self.0.borrow().session.board().view();
        // Undo's change covers what undo takes back (post-its' places, texts and looks,
        // columns, the title); the view is shown whenever anything changed.
        let (change, changed) = signals
            .view
            .with_untracked(|before| (Change::between(before, &after), *before != after));
        if changed {
            signals.view.set(after);
        }
        board_changed(&self.0);
        (result, change)
    }

    /// Reads this page's copy of the board.
    pub fn with_board<R>(&self, read: impl FnOnce(&mut Board) -> R) -> R {
        read(self.0.borrow_mut().session.board_mut())
    }

    /// Changes what this page shows the others; sent at once, or for a cursor that moved, at
    /// most every [`CURSOR_INTERVAL_MS`].
    pub fn set_presence(&self, update: impl FnOnce(&mut Presence)) {
        let send = self.0.borrow_mut().mine.update(update, js_sys::Date::now());
        match send {
            SendPresence::No => {}
            SendPresence::Now => send_presence(&self.0),
            SendPresence::After(wait) => after(&self.0, wait as i32, send_presence),
        }
    }
}

/// Sends this page's presence to the board's other peers (if joined).
fn send_presence(inner: &Rc<RefCell<Inner>>) {
    let mut state = inner.borrow_mut();
    let data = state.mine.send(js_sys::Date::now());
    if let Some(message) = state.session.ephemeral(data) {
        state.send(&[message]);
    }
}

/// Sends this page's presence again every [`PRESENCE_HEARTBEAT_MS`], and forgets the peers not
/// heard of for a while (see [`PresenceBook::expire`]).
fn keep_presence_alive(inner: &Rc<RefCell<Inner>>) {
    let weak = Rc::downgrade(inner);
    let beat = Closure::<dyn FnMut()>::new(move || {
        let Some(inner) = weak.upgrade() else { return };
        send_presence(&inner);
        let expired = inner.borrow_mut().others.expire(js_sys::Date::now());
        if expired {
            show_people(&inner);
        }
    });
    let _ = window().set_interval_with_callback_and_timeout_and_arguments_0(
        beat.as_ref().unchecked_ref(),
        PRESENCE_HEARTBEAT_MS,
    );
    beat.forget();
}

/// Shows the people heard of, and their cursors.
fn show_people(inner: &Rc<RefCell<Inner>>) {
    let (people, cursors, signals): (Vec<Person>, Vec<Person>, Signals) = {
        let state = inner.borrow();
        let (people, cursors) = state.others.people_and_cursors();
        (people, cursors, state.signals)
    };
    if signals.people.with_untracked(|current| *current != people) {
        signals.people.set(people);
    }
    if signals
        .cursors
        .with_untracked(|current| *current != cursors)
    {
        signals.cursors.set(cursors);
    }
}

/// Another peer's presence arrived; a newcomer is told ours at once.
fn heard_presence(inner: &Rc<RefCell<Inner>>, peer: PeerId, presence: Presence) {
    let newcomer = inner
        .borrow_mut()
        .others
        .hear(peer, presence, js_sys::Date::now());
    if newcomer {
        send_presence(inner);
    }
    show_people(inner);
}

fn forget_presence(inner: &Rc<RefCell<Inner>>, peer: Option<&PeerId>) {
    {
        let mut state = inner.borrow_mut();
        match peer {
            Some(peer) => {
                state.others.forget(peer);
            }
            None => state.others.clear(),
        }
    }
    show_people(inner);
}

impl Inner {
    fn send(&self, messages: &[Message]) {
        let Some(socket) = &self.socket else { return };
        if socket.ws.ready_state() != WebSocket::OPEN {
            return;
        }
        for message in messages {
            // A failed send means the socket is closing: its close handler resends after reconnecting.
            let _ = socket.ws.send_with_u8_array(&message.encode());
        }
    }

    /// Whether the server stores what this page sends right now.
    fn server_stores(&self) -> bool {
        self.session.phase() == Phase::Syncing && self.server_saving
    }
}

/// Merges the copy IndexedDB kept (edits possibly never sent) into the board, and sends what the
/// server lacks.
fn merge_local_copy(inner: &Rc<RefCell<Inner>>, saved: &[u8]) {
    let (view, signals) = {
        let mut state = inner.borrow_mut();
        if let Err(error) = state.session.board_mut().load_incremental(saved) {
            leptos::logging::warn!("ignoring this browser's damaged copy of the board: {error}");
            return;
        }
        let ((), outgoing) = state.session.edit(|_| ());
        state.send(&outgoing);
        (state.session.board().view(), state.signals)
    };
    signals.view.set(view);
}

/// The board changed (a local edit or one from the server): keep the browser's copy current.
fn board_changed(inner: &Rc<RefCell<Inner>>) {
    let (signals, save) = {
        let mut state = inner.borrow_mut();
        let server_stores = state.server_stores();
        (state.signals, state.saves.changed(server_stores))
    };
    if signals.saved_locally.get_untracked() {
        signals.saved_locally.set(false);
    }
    match save {
        SaveNow::Now => save_locally(inner),
        SaveNow::Later(delay) => after(inner, delay, |inner| {
            inner.borrow_mut().saves.due();
            save_locally(inner);
        }),
        SaveNow::Nothing => {}
    }
}

/// Writes the board to IndexedDB, unless a write is already under way (it writes again when it
/// ends if the board changed meanwhile).
fn save_locally(inner: &Rc<RefCell<Inner>>) {
    let (store, id, bytes) = {
        let mut state = inner.borrow_mut();
        let Some(store) = state.store.clone() else {
            return;
        };
        if !state.saves.start() {
            return;
        }
        let id = state.session.board_id().clone();
        (store, id, state.session.board_mut().save())
    };
    let weak = Rc::downgrade(inner);
    leptos::task::spawn_local(async move {
        let written = store.save(&id, &bytes).await;
        let Some(inner) = weak.upgrade() else { return };
        let (again, signals) = {
            let mut state = inner.borrow_mut();
            (state.saves.finished(), state.signals)
        };
        if again {
            save_locally(&inner);
        } else if written {
            signals.saved_locally.set(true);
        }
    });
}

/// Goes offline at once when the browser says the network is gone (a socket can take minutes to
/// notice), and reconnects at once when it is back.
fn listen_to_the_network(inner: &Rc<RefCell<Inner>>) {
    let weak = Rc::downgrade(inner);
    let on_offline = Closure::<dyn FnMut()>::new({
        let weak = weak.clone();
        move || {
            let Some(inner) = weak.upgrade() else { return };
            let (socket, status) = {
                let state = inner.borrow();
                (
                    state.socket.as_ref().map(|s| s.ws.clone()),
                    state.signals.status,
                )
            };
            status.set(Connection::Offline);
            if let Some(ws) = socket {
                let _ = ws.close();
            }
        }
    });
    let on_online = Closure::<dyn FnMut()>::new(move || {
        let Some(inner) = weak.upgrade() else { return };
        let idle = {
            let mut state = inner.borrow_mut();
            state.backoff.reset();
            state.socket.is_none()
        };
        if idle {
            connect(&inner);
        }
    });
    let window = window();
    let _ = window.add_event_listener_with_callback("offline", on_offline.as_ref().unchecked_ref());
    let _ = window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    inner.borrow_mut()._network_listeners = vec![on_offline, on_online];
}

/// The secret of the link this page was opened with (its `k` parameter), if any.
pub fn link_secret() -> Option<String> {
    let search = window().location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix(LINK_PARAMETER)?.strip_prefix('='))
        .filter(|secret| !secret.is_empty())
        .map(str::to_owned)
}

/// The websocket's address, with the page's link secret: the server gives the socket the
/// rights of that link.
fn sync_url() -> Option<String> {
    let location = window().location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    let host = location.host().ok()?;
    let path = crate::site::Site::current().path("/sync");
    Some(match link_secret() {
        Some(secret) => format!("{scheme}://{host}{path}?{LINK_PARAMETER}={secret}"),
        None => format!("{scheme}://{host}{path}"),
    })
}

fn connect(inner: &Rc<RefCell<Inner>>) {
    if !online() {
        // The `online` event reconnects.
        let status = inner.borrow().signals.status;
        status.set(Connection::Offline);
        return;
    }
    let Some(url) = sync_url() else { return };
    let ws = match WebSocket::new(&url) {
        Ok(ws) => ws,
        Err(_) => {
            schedule_reconnect(inner);
            return;
        }
    };
    ws.set_binary_type(BinaryType::Arraybuffer);
    let weak = Rc::downgrade(inner);

    let on_open = Closure::<dyn FnMut()>::new({
        let weak = weak.clone();
        move || {
            let Some(inner) = weak.upgrade() else { return };
            let mut inner = inner.borrow_mut();
            inner.server_saving = true;
            let join = inner.session.connected();
            inner.send(&[join]);
        }
    });
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new({
        let weak = weak.clone();
        move |event: MessageEvent| {
            if let Some(inner) = weak.upgrade() {
                receive(&inner, event);
            }
        }
    });
    let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |_: CloseEvent| {
        let Some(inner) = weak.upgrade() else { return };
        let status = {
            let mut state = inner.borrow_mut();
            // This callback belongs to the socket: keep it alive until the next socket closes.
            state.closed_socket = state.socket.take();
            state.session.disconnected();
            state.signals.status
        };
        // Whoever is still there says so again after the reconnection.
        forget_presence(&inner, None);
        let next = status.get_untracked().closed(online());
        if next == Connection::Unavailable {
            return;
        }
        status.set(next);
        if next == Connection::Reconnecting {
            schedule_reconnect(&inner);
        }
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let attempt = {
        let mut state = inner.borrow_mut();
        state.attempts += 1;
        state.attempts
    };
    let pending = ws.clone();
    after(inner, CONNECT_TIMEOUT_MS, move |inner| {
        if inner.borrow().attempts == attempt && pending.ready_state() == WebSocket::CONNECTING {
            // Its close handler reconnects.
            let _ = pending.close();
        }
    });
    inner.borrow_mut().socket = Some(Socket {
        ws,
        _on_open: on_open,
        _on_message: on_message,
        _on_close: on_close,
    });
}

fn receive(inner: &Rc<RefCell<Inner>>, event: MessageEvent) {
    let Ok(buffer) = event.data().dyn_into::<js_sys::ArrayBuffer>() else {
        return;
    };
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let Ok(message) = Message::decode(&bytes) else {
        leptos::logging::warn!("ignoring a malformed message from the server");
        return;
    };
    // Signals are set once the state is no longer borrowed: their effects may need it.
    let mut clock = None;
    let (changed_view, signals, new_status, presence, joined) = {
        let mut state = inner.borrow_mut();
        let joining = state.session.phase() == Phase::Joining;
        let received = match state.session.receive(message) {
            Ok(received) => received,
            Err(error) => {
                leptos::logging::warn!("{error}");
                return;
            }
        };
        if let Some(error) = &received.error {
            leptos::logging::warn!("server error: {error}");
        }
        let mut presence = None;
        match received.heard {
            Some(Heard::Storage { saved }) => state.server_saving = saved,
            Some(Heard::Clock { now }) => clock = Some(now as f64 - js_sys::Date::now()),
            Some(heard @ (Heard::Left(_) | Heard::Presence(..))) => presence = Some(heard),
            Some(Heard::Other(..)) | None => {}
        }
        let joined = joining && state.session.phase() == Phase::Syncing;
        state.send(&received.outgoing);
        if state.session.phase() == Phase::Syncing {
            state.backoff.reset();
        }
        let new_status = Connection::of(state.session.phase(), state.server_saving);
        let changed_view = received.changed.then(|| state.session.board().view());
        (changed_view, state.signals, new_status, presence, joined)
    };
    if let Some(offset) = clock {
        signals.clock_offset.set(Some(offset));
    }
    if joined {
        send_presence(inner);
    }
    match presence {
        Some(Heard::Left(peer)) => forget_presence(inner, Some(&peer)),
        Some(Heard::Presence(peer, presence)) => heard_presence(inner, peer, presence),
        _ => {}
    }
    if signals.status.get_untracked() != new_status {
        if new_status == Connection::Unavailable {
            forget_local_copy(inner);
        }
        if new_status == Connection::NotSaving {
            // Edits stay in the browser only: keep its copy current from now on.
            save_locally(inner);
        }
        signals.status.set(new_status);
    }
    if let Some(view) = changed_view {
        signals.view.set(view);
        board_changed(inner);
    }
}

/// The board was deleted: its copy in this browser goes too.
fn forget_local_copy(inner: &Rc<RefCell<Inner>>) {
    let (store, id) = {
        let mut state = inner.borrow_mut();
        (state.store.take(), state.session.board_id().clone())
    };
    if let Some(store) = store {
        leptos::task::spawn_local(async move { store.remove(&id).await });
    }
}

fn schedule_reconnect(inner: &Rc<RefCell<Inner>>) {
    let delay = inner.borrow_mut().backoff.failed(js_sys::Math::random());
    after(inner, delay as i32, |inner| {
        if inner.borrow().socket.is_none() {
            connect(inner);
        }
    });
}

/// Runs `then` in `delay_ms` milliseconds, if the session still exists then.
fn after(
    inner: &Rc<RefCell<Inner>>,
    delay_ms: i32,
    then: impl FnOnce(&Rc<RefCell<Inner>>) + 'static,
) {
    let weak: Weak<RefCell<Inner>> = Rc::downgrade(inner);
    let later = Closure::once_into_js(move || {
        if let Some(inner) = weak.upgrade() {
            then(&inner);
        }
    });
    let _ = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), delay_ms);
}
