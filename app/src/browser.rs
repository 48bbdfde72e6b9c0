//! The browser side of a sync session: a `WebSocket` to the server's `/sync`, reconnecting with
//! backoff and jitter, around the sans-IO [`Session`]. Local edits are applied and shown at once;
//! they are sent when the socket is open and, after an outage, on the next connection.

use std::{cell::RefCell, rc::Rc, rc::Weak};

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

use crate::{
    ids::{BoardId, PeerId},
    model::{Board, BoardView, ModelError},
    protocol::Message,
    session::{Phase, Session},
    ui::Connection,
};

/// First wait before reconnecting; doubles at each failed attempt.
const RECONNECT_BASE_DELAY_MS: f64 = 500.0;
/// Longest wait between two reconnection attempts.
const RECONNECT_MAX_DELAY_MS: f64 = 15_000.0;

pub struct BrowserSession(Rc<RefCell<Inner>>);

struct Inner {
    session: Session,
    socket: Option<Socket>,
    closed_socket: Option<Socket>,
    view: RwSignal<BoardView>,
    status: RwSignal<Connection>,
    failed_attempts: u32,
}

/// An open socket and the callbacks it holds.
struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl BrowserSession {
    pub fn start(
        id: BoardId,
        board: Board,
        view: RwSignal<BoardView>,
        status: RwSignal<Connection>,
    ) -> Self {
        let inner = Rc::new(RefCell::new(Inner {
            session: Session::new(PeerId::random(), id, board),
            socket: None,
            closed_socket: None,
            view,
            status,
            failed_attempts: 0,
        }));
        connect(&inner);
        Self(inner)
    }

    /// Applies an edit locally, shows it, and sends it if connected.
    pub fn edit<R>(
        &self,
        edit: impl FnOnce(&mut Board) -> Result<R, ModelError>,
    ) -> Result<R, ModelError> {
        let (result, view) = {
            let mut inner = self.0.borrow_mut();
            let (result, outgoing) = inner.session.edit(edit);
            inner.send(&outgoing);
            (result, inner.view)
        };
        if result.is_ok() {
            let board_view = self.0.borrow().session.board().view();
            view.set(board_view);
        }
        result
    }
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
}

fn sync_url() -> Option<String> {
    let location = window().location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    Some(format!("{scheme}://{}/sync", location.host().ok()?))
}

fn connect(inner: &Rc<RefCell<Inner>>) {
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
            state.status
        };
        if status.get_untracked() != Connection::Unavailable {
            status.set(Connection::Reconnecting);
            schedule_reconnect(&inner);
        }
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
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
    let (changed_view, status, new_status) = {
        let mut state = inner.borrow_mut();
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
        state.send(&received.outgoing);
        let new_status = match state.session.phase() {
            Phase::Syncing => {
                state.failed_attempts = 0;
                Connection::Connected
            }
            Phase::Unavailable => Connection::Unavailable,
            Phase::Joining | Phase::Offline => Connection::Connecting,
        };
        let changed_view = received.changed.then(|| state.session.board().view());
        (changed_view, state.status, new_status)
    };
    if status.get_untracked() != new_status {
        status.set(new_status);
    }
    if let Some(view) = changed_view {
        let signal = inner.borrow().view;
        signal.set(view);
    }
}

fn schedule_reconnect(inner: &Rc<RefCell<Inner>>) {
    let delay = {
        let mut state = inner.borrow_mut();
        let exponent = state.failed_attempts.min(10) as i32;
        state.failed_attempts += 1;
        let ceiling = (RECONNECT_BASE_DELAY_MS * 2f64.powi(exponent)).min(RECONNECT_MAX_DELAY_MS);
        // Jitter keeps thirty laptops on the same wifi from reconnecting in lockstep.
        ceiling * (0.5 + js_sys::Math::random() / 2.0)
    };
    let weak: Weak<RefCell<Inner>> = Rc::downgrade(inner);
    let retry = Closure::once_into_js(move || {
        if let Some(inner) = weak.upgrade() {
            connect(&inner);
        }
    });
    let _ = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(retry.unchecked_ref(), delay as i32);
}
