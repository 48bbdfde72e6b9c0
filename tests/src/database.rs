//! A database of its own for each test, SQLite or PostgreSQL, and the macro that runs a test
//! on both.

use std::{
    process::{Command, Stdio},
    time::Duration,
};

use app::{
    ids::{BoardId, PeerId},
    model::Board,
};
use ardoise_server::storage::Storage;

use crate::common::WAIT_LIMIT;

/// The databases Ardoise runs on. Tests that store boards run on both (see [`database_tests!`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// PostgreSQL server the tests create their databases on: `$ARDOISE_TEST_POSTGRES`, by default
/// the local one (`scripts/test.sh` starts it).
fn postgres_admin_url() -> String {
    std::env::var("ARDOISE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// Prefix of the databases the tests create (and `scripts/test.sh` drops if a run left some).
pub const TEST_DATABASE_PREFIX: &str = "ardoise_test_";

/// A database of its own for one test: an SQLite file in a temporary directory, or a new
/// PostgreSQL database dropped at the end.
pub struct TestDatabase {
    pub kind: Db,
    pub url: String,
    postgres_name: Option<String>,
    /// While the SQLite database is made unavailable: a connection holding its write lock.
    sqlite_lock: tokio::sync::Mutex<Option<sqlx::AnyConnection>>,
    pub(crate) dir: tempfile::TempDir,
}

impl TestDatabase {
    pub fn new(kind: Db) -> TestDatabase {
        let dir = tempfile::tempdir().expect("temporary directory");
        match kind {
            Db::Sqlite => TestDatabase {
                kind,
                url: format!("sqlite://{}", dir.path().join("data/ardoise.db").display()),
                postgres_name: None,
                sqlite_lock: Default::default(),
                dir,
            },
            Db::Postgres => {
                let name = format!(
                    "{TEST_DATABASE_PREFIX}{}",
                    PeerId::random()
                        .as_str()
                        .to_lowercase()
                        .replace(['-', '.', ':'], "_")
                );
                psql(&format!("CREATE DATABASE {name}"));
                let admin = postgres_admin_url();
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
                TestDatabase {
                    kind,
                    url: format!("{base}/{name}"),
                    postgres_name: Some(name),
                    sqlite_lock: Default::default(),
                    dir,
                }
            }
        }
    }

    /// Runs SQL on this database (`sqlite3`-free: through sqlx), for tests that damage or age
    /// what is stored.
    pub async fn execute(&self, sql: &str, bytes: Option<Vec<u8>>) {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&self.url)
            .await
            .expect("connect to the test database");
        match bytes {
            Some(bytes) => sqlx::query(sql).bind(bytes).execute(&pool).await,
            // Without parameters: PostgreSQL's simple protocol, which VACUUM needs.
            None => sqlx::Executor::execute(&pool, sql).await,
        }
        .unwrap_or_else(|e| panic!("test SQL {sql}: {e}"));
        pool.close().await;
    }

    /// Makes the database refuse the server's writes: PostgreSQL refuses connections to it (and
    /// drops the open ones); the SQLite file is locked by another writer.
    pub async fn make_unavailable(&self) {
        match &self.postgres_name {
            Some(name) => {
                psql(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"));
                psql(&format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
                ));
            }
            None => {
                sqlx::any::install_default_drivers();
                let mut connection = <sqlx::AnyConnection as sqlx::Connection>::connect(&self.url)
                    .await
                    .expect("connect to the test database");
                sqlx::query("BEGIN EXCLUSIVE")
                    .execute(&mut connection)
                    .await
                    .expect("lock the SQLite database");
                *self.sqlite_lock.lock().await = Some(connection);
            }
        }
    }

    /// Waits until `servers` connections listen for notifications (PostgreSQL's `LISTEN`), then
    /// cuts them, as a network failure or a restarted connection pooler would.
    pub async fn cut_listening_connections(&self, servers: i64) {
        let name = self
            .postgres_name
            .as_deref()
            .expect("only PostgreSQL databases have listening connections");
        let listening = format!("datname = '{name}' AND query LIKE 'LISTEN%'");
        let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
        while self
            .count(&format!(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE {listening}"
            ))
            .await
            < servers
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the servers never listened"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let cut = self
            .count(&format!(
                "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE {listening}) AS cut"
            ))
            .await;
        assert_eq!(cut, servers);
    }

    /// Undoes [`TestDatabase::make_unavailable`].
    pub async fn make_available(&self) {
        match &self.postgres_name {
            Some(name) => psql(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true")),
            None => {
                if let Some(mut connection) = self.sqlite_lock.lock().await.take() {
                    sqlx::query("COMMIT")
                        .execute(&mut connection)
                        .await
                        .expect("unlock the SQLite database");
                }
            }
        }
    }

    /// The number a `SELECT COUNT(*) ...` returns.
    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&self.url)
            .await
            .expect("connect to the test database");
        let count: i64 = sqlx::query_scalar(sql)
            .fetch_one(&pool)
            .await
            .expect("test SQL");
        pool.close().await;
        count
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(name) = &self.postgres_name {
            psql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// Runs one SQL statement on the PostgreSQL server with `psql`.
fn psql(sql: &str) {
    let status = Command::new("psql")
        .arg(postgres_admin_url())
        .args(["-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .stdout(Stdio::null())
        .status()
        .expect("run psql (scripts/setup.sh --test installs PostgreSQL)");
    assert!(status.success(), "psql failed: {sql}");
}

/// Declares each test twice, as `<name>::sqlite` and `<name>::postgres`, with the same body:
///
/// ```ignore
/// database_tests! {
///     async fn boards_survive_a_restart(db) {
///         let server = TestServer::start_on(db).await;
///     }
/// }
/// ```
#[macro_export]
macro_rules! database_tests {
    ($($(#[$meta:meta])* async fn $name:ident($db:ident) $body:block)*) => {$(
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($db: $crate::database::Db) $body

            #[tokio::test]
            async fn sqlite() {
                body($crate::database::Db::Sqlite).await
            }

            #[tokio::test]
            async fn postgres() {
                body($crate::database::Db::Postgres).await
            }
        }
    )*};
}

/// The access of a board from before links: open, without links.
pub const OPEN_WITHOUT_LINKS: ardoise_server::access::Access = ardoise_server::access::Access {
    open: true,
    keys: [None; 3],
};

/// A new board titled `title` stored in `storage`, and its document, ready for incremental saves
/// of what is changed next.
pub async fn stored_board(storage: &Storage, title: &str) -> (BoardId, Board) {
    let id = BoardId::random();
    let mut board = Board::new(title).expect("a valid title");
    storage
        .create_board(&id, title, &board.save(), &OPEN_WITHOUT_LINKS)
        .await
        .expect("store a new board");
    board.save_incremental();
    (id, board)
}
