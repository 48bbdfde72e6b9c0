//! Test harness for Ardoise's integration tests. Two ways to run a server: [`TestApp`] serves the
//! router inside the test process (for what needs no process of its own: the API, the pages,
//! sync between clients), [`TestServer`] runs the real `ardoise` binary (for what only a process
//! can show: `kill -9`, restarts, several servers, the command line). Either is something a
//! [`SyncClient`] connects to over a real websocket, the way a browser tab does.
//!
//! Layout:
//! - `common.rs`: where the binary and the app are, how long to wait, [`Serves`].
//! - `database.rs`: [`TestDatabase`], SQLite or PostgreSQL, and [`database_tests!`].
//! - `in_process.rs`: [`TestApp`], the router in-process, and its requests without a socket.
//! - `server.rs`: [`TestServer`], the binary.
//! - `socket.rs`: [`RawSocket`], raw protocol messages for hand-made clients.
//! - `client.rs`: [`SyncClient`], a client holding its own copy of a board.
//! - `bench.rs`: what the benchmarks share.
//!
//! The binary is `$ARDOISE_BIN` (default `target/release/ardoise`), with the browser app built
//! into it (and into the server crate the in-process tests link); `$ARDOISE_SITE_ROOT`, if set,
//! serves another copy instead. `scripts/test.sh` builds both first.

pub mod bench;
mod client;
mod common;
pub mod database;
mod in_process;
mod server;
mod socket;

pub use client::SyncClient;
pub use common::{
    assets, binary, free_port, metric_value, site_override, site_root, workspace_root,
    CreatedBoard, Serves, SETTLE_LIMIT, WAIT_LIMIT,
};
pub use database::{stored_board, Db, TestDatabase, OPEN_WITHOUT_LINKS, TEST_DATABASE_PREFIX};
pub use in_process::{TestApp, TestResponse};
pub use server::TestServer;
pub use socket::RawSocket;
