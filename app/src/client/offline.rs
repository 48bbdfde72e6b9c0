//! The browser's own copy of each board, in IndexedDB: what lets people go on working while
//! offline, and reload the page while offline without losing what the server has not received.
//!
//! One object store, `boards`, maps a board id to its saved Automerge document (with the edits
//! not yet sent). A page merges its stored copy into the board when it starts; Automerge merges
//! are idempotent, so nothing is doubled. Also registers the service worker (`/sw.js`, under the
//! base path) that serves the page and the app when the network is gone.

use std::{cell::RefCell, rc::Rc};

use js_sys::{Function, Promise, Uint8Array};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode};

use crate::{ids::BoardId, model::Board};

const DATABASE: &str = "ardoise";
const DATABASE_VERSION: u32 = 1;
const STORE: &str = "boards";
/// Asks the browser to install the service worker; without one, the page still works online.
/// Its address names the app's version (which it keeps for offline use): a new build is a new
/// service worker.
pub fn register_service_worker() {
    let site = crate::site::Site::current();
    let script = format!("{}?v={}", site.path("/sw.js"), site.version());
    let navigator = leptos::prelude::window().navigator();
    // Absent on plain HTTP (but for localhost) and in some private modes.
    if !js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        return;
    }
    let registering = navigator.service_worker().register(&script);
    // Refused on insecure origins, in private modes, and when the certificate is one the browser
    // does not trust (an intranet's own): the page works on, online only. Awaited so that the
    // refusal is handled, not left to the console as an uncaught error.
    wasm_bindgen_futures::spawn_local(async move {
        let _ = JsFuture::from(registering).await;
    });
}

/// The browser's store of boards, if it has IndexedDB.
#[derive(Clone)]
pub struct LocalStore {
    db: IdbDatabase,
    /// What this page last wrote, if it was its own document alone: while the stored copy is
    /// still that, no other tab wrote since and no merge is needed.
    last_written: Rc<RefCell<Option<Vec<u8>>>>,
}

/// Resolves when `request` succeeds, with its result.
async fn complete(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let succeeded = request.clone();
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call1(
                &JsValue::NULL,
                &succeeded.result().unwrap_or(JsValue::UNDEFINED),
            );
        });
        let on_error = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await
}

/// Resolves once `transaction` has committed (`true`) or failed (`false`): a request's success
/// alone does not mean the data is on disk.
async fn committed(transaction: &IdbTransaction) -> bool {
    let promise = Promise::new(&mut |resolve: Function, _reject: Function| {
        let done = resolve.clone();
        let on_complete = Closure::once_into_js(move || {
            let _ = done.call1(&JsValue::NULL, &JsValue::TRUE);
        });
        let failed = resolve.clone();
        let on_failure = Closure::once_into_js(move || {
            let _ = failed.call1(&JsValue::NULL, &JsValue::FALSE);
        });
        transaction.set_oncomplete(Some(on_complete.unchecked_ref()));
        // A failed request aborts the transaction: `abort` fires once either way.
        transaction.set_onabort(Some(on_failure.unchecked_ref()));
    });
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|value| value.as_bool())
        .unwrap_or(false)
}

/// The stored copy with this page's document merged in; this page's alone if the stored copy
/// cannot be read.
fn merge(stored: &[u8], ours: &[u8]) -> Vec<u8> {
    let Ok(mut board) = Board::load(stored) else {
        return ours.to_vec();
    };
    if board.load_incremental(ours).is_err() {
        return ours.to_vec();
    }
    board.save()
}

impl LocalStore {
    /// Opens (creating if needed) the database; `None` where the browser refuses IndexedDB.
    pub async fn open() -> Option<LocalStore> {
        let factory = leptos::prelude::window().indexed_db().ok()??;
        let request = factory.open_with_u32(DATABASE, DATABASE_VERSION).ok()?;
        let upgrading = request.clone();
        let on_upgrade = Closure::once_into_js(move || {
            if let Some(db) = upgrading
                .result()
                .ok()
                .and_then(|db| db.dyn_into::<IdbDatabase>().ok())
            {
                let _ = db.create_object_store(STORE);
            }
        });
        request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
        let db = complete(&request)
            .await
            .ok()?
            .dyn_into::<IdbDatabase>()
            .ok()?;
        Some(LocalStore {
            db,
            last_written: Rc::default(),
        })
    }

    fn store(&self, mode: IdbTransactionMode) -> Result<IdbObjectStore, JsValue> {
        self.db
            .transaction_with_str_and_mode(STORE, mode)?
            .object_store(STORE)
    }

    /// The saved copy of a board, if this browser has one.
    pub async fn load(&self, id: &BoardId) -> Option<Vec<u8>> {
        let request = self
            .store(IdbTransactionMode::Readonly)
            .and_then(|store| store.get(&JsValue::from_str(id.as_str())))
            .ok()?;
        let value = complete(&request).await.ok()?;
        value
            .dyn_into::<Uint8Array>()
            .ok()
            .map(|bytes| bytes.to_vec())
    }

    /// Saves a board: merged with the stored copy if another tab of the same board wrote it
    /// meanwhile (so that neither tab's edits are lost), in one transaction. Returns whether the
    /// transaction committed.
    pub async fn save(&self, id: &BoardId, document: &[u8]) -> bool {
        let Ok(transaction) = self
            .db
            .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        else {
            return false;
        };
        let Ok(store) = transaction.object_store(STORE) else {
            return false;
        };
        let key = JsValue::from_str(id.as_str());
        let Ok(read) = store.get(&key) else {
            return false;
        };
        let reading = read.clone();
        let ours = document.to_vec();
        let last_written = self.last_written.clone();
        // Runs while the transaction is active: the read, the merge and the write are atomic.
        let on_read = Closure::once_into_js(move || {
            let stored = reading
                .result()
                .ok()
                .and_then(|value| value.dyn_into::<Uint8Array>().ok())
                .map(|bytes| bytes.to_vec());
            let written = match stored {
                Some(stored) if last_written.borrow().as_ref() != Some(&stored) => {
                    // This page's document lacks what the other tab wrote: merge at every
                    // save from now on (`last_written` stays empty).
                    *last_written.borrow_mut() = None;
                    merge(&stored, &ours)
                }
                _ => {
                    *last_written.borrow_mut() = Some(ours.clone());
                    ours
                }
            };
            let _ = store.put_with_key(&Uint8Array::from(written.as_slice()), &key);
        });
        read.set_onsuccess(Some(on_read.unchecked_ref()));
        committed(&transaction).await
    }

    /// Forgets a board (it was deleted).
    pub async fn remove(&self, id: &BoardId) {
        let request = self
            .store(IdbTransactionMode::Readwrite)
            .and_then(|store| store.delete(&JsValue::from_str(id.as_str())));
        if let Ok(request) = request {
            let _ = complete(&request).await;
        }
    }
}
