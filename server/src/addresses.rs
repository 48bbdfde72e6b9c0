//! Limits per client address: open websockets, and boards created per hour. The address is the
//! socket's peer, or behind a reverse proxy (`--trust-proxy`) the last one in
//! `X-Forwarded-For`, the one the proxy added (earlier ones are the client's to write).

use std::{
    collections::{HashMap, VecDeque},
    net::{IpAddr, SocketAddr},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    extract::ConnectInfo,
    http::{request::Parts, HeaderMap},
};

/// Default of `--max-connections-per-address`: a school's or an office's whole room behind one
/// address, with a few tabs each.
pub const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS: usize = 200;
/// Default of `--max-boards-per-hour`.
pub const DEFAULT_MAX_BOARDS_PER_HOUR: usize = 60;
/// The window of `--max-boards-per-hour`.
const CREATION_WINDOW: Duration = Duration::from_secs(3600);

/// The limits per address, as configured.
#[derive(Debug, Clone, Copy)]
pub struct AddressLimits {
    pub max_connections: usize,
    pub max_boards_per_hour: usize,
    /// Read the client's address from `X-Forwarded-For`.
    pub trust_proxy: bool,
}

impl Default for AddressLimits {
    fn default() -> Self {
        Self {
            max_connections: DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
            max_boards_per_hour: DEFAULT_MAX_BOARDS_PER_HOUR,
            trust_proxy: false,
        }
    }
}

/// What each address is using now. Cheap to clone.
#[derive(Clone, Default)]
pub struct Addresses {
    pub limits: AddressLimits,
    inner: Arc<Mutex<Book>>,
}

#[derive(Default)]
struct Book {
    connections: HashMap<IpAddr, usize>,
    creations: HashMap<IpAddr, VecDeque<Instant>>,
}

/// One open websocket of an address, given back when dropped.
pub struct ConnectionSlot {
    address: Option<IpAddr>,
    inner: Arc<Mutex<Book>>,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let Some(address) = self.address else { return };
        let mut book = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = book.connections.get_mut(&address) {
            *count -= 1;
            if *count == 0 {
                book.connections.remove(&address);
            }
        }
    }
}

impl Addresses {
    pub fn new(limits: AddressLimits) -> Self {
        Self {
            limits,
            inner: Arc::default(),
        }
    }

    /// The client's address, if known (a request not from a socket, as in tests, has none:
    /// it is not limited).
    pub fn of(&self, parts: &Parts) -> Option<IpAddr> {
        if self.limits.trust_proxy {
            if let Some(address) = forwarded_for(&parts.headers) {
                return Some(address);
            }
        }
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
    }

    /// A slot for one more websocket of `address`; `None` when it has as many as allowed.
    pub fn connect(&self, address: Option<IpAddr>) -> Option<ConnectionSlot> {
        if let Some(address) = address {
            let mut book = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            let count = book.connections.entry(address).or_default();
            if *count >= self.limits.max_connections {
                return None;
            }
            *count += 1;
        }
        Some(ConnectionSlot {
            address,
            inner: self.inner.clone(),
        })
    }

    /// Records a board creation by `address`, unless it made as many in the last hour as allowed.
    pub fn may_create_board(&self, address: Option<IpAddr>) -> bool {
        let Some(address) = address else { return true };
        let now = Instant::now();
        let mut book = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        // Forget addresses whose window is over, so that the book does not grow forever.
        book.creations.retain(|_, times| {
            while times
                .front()
                .is_some_and(|t| now.duration_since(*t) >= CREATION_WINDOW)
            {
                times.pop_front();
            }
            !times.is_empty()
        });
        let times = book.creations.entry(address).or_default();
        if times.len() >= self.limits.max_boards_per_hour {
            return false;
        }
        times.push_back(now);
        true
    }
}

/// The last address of `X-Forwarded-For`.
fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let header = headers.get_all("x-forwarded-for").iter().next_back()?;
    header
        .to_str()
        .ok()?
        .rsplit(',')
        .next()?
        .trim()
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_allowance_and_gives_slots_back() {
        let addresses = Addresses::new(AddressLimits {
            max_connections: 2,
            max_boards_per_hour: 1,
            trust_proxy: false,
        });
        let here: Option<IpAddr> = Some("192.0.2.1".parse().unwrap());
        let there: Option<IpAddr> = Some("192.0.2.2".parse().unwrap());
        let first = addresses.connect(here).unwrap();
        let _second = addresses.connect(here).unwrap();
        assert!(addresses.connect(here).is_none());
        assert!(addresses.connect(there).is_some());
        drop(first);
        assert!(addresses.connect(here).is_some());
        assert!(addresses.may_create_board(here));
        assert!(!addresses.may_create_board(here));
        assert!(addresses.may_create_board(there));
        assert!(addresses.may_create_board(None), "no address, no limit");
    }

    #[test]
    fn behind_a_proxy_the_address_is_the_last_forwarded_one() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        assert_eq!(forwarded_for(&headers), "198.51.100.7".parse().ok());
        headers.insert("x-forwarded-for", "garbage".parse().unwrap());
        assert_eq!(forwarded_for(&headers), None);
    }
}
