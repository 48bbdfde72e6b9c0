//! Durable storage of boards with sqlx: an SQLite file by default, PostgreSQL when the database URL
//! says `postgres://`. One `Storage` type over sqlx's `Any` driver, the same SQL for both
//! (portable types, `$n` parameters), and one migration directory per database, run before serving.
//!
//! Layout: `boards.rs` holds the board queries, `integrity.rs` checks stored bytes, `feed.rs`
//! tells the servers sharing a PostgreSQL database what the others store.

mod boards;
mod feed;
pub mod integrity;

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    any::{AnyConnectOptions, AnyPoolOptions},
    AnyPool, Executor,
};

pub(crate) use boards::load_all;
pub use boards::{CatchUp, Compaction, Imported, LoadedBoard, StoredBoard, StoredChange};
pub use feed::{ChangeFeed, FeedEvent, CHANGES_CHANNEL};

/// How long to wait for a database connection before reporting the database as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections kept open to the database.
const MAX_DB_CONNECTIONS: u32 = 8;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database the URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://USER@HOST/DATABASE")]
    UnsupportedUrl(String),
    #[error("cannot create the database directory {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the database {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
    #[error("no such board")]
    NoSuchBoard,
}

/// The board store. Cheap to clone: it is a connection pool.
#[derive(Clone)]
pub struct Storage {
    pool: AnyPool,
    kind: DbKind,
    /// PostgreSQL's URL, for the [`ChangeFeed`]'s own connection.
    postgres_url: Option<std::sync::Arc<str>>,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the URL: it may hold a password.
        f.debug_struct("Storage").field("kind", &self.kind).finish()
    }
}

impl Storage {
    /// Opens the database (creating an SQLite file and its directory if missing) and migrates it.
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        sqlx::any::install_default_drivers();
        let kind = if url.starts_with("sqlite:") {
            DbKind::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            DbKind::Postgres
        } else {
            return Err(StorageError::UnsupportedUrl(redact_password(url)));
        };
        let url = match kind {
            DbKind::Sqlite => prepare_sqlite_url(url)?,
            DbKind::Postgres => url.to_owned(),
        };
        let connect_error = |source| StorageError::Connect {
            url: redact_password(&url),
            source,
        };
        let options = AnyConnectOptions::from_str(&url).map_err(connect_error)?;
        let pool = AnyPoolOptions::new()
            .max_connections(MAX_DB_CONNECTIONS)
            .acquire_timeout(CONNECT_TIMEOUT)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if kind == DbKind::Sqlite {
                        // WAL lets pages read while the sync loop writes; FULL syncs each commit.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(connect_error)?;
        match kind {
            DbKind::Sqlite => SQLITE_MIGRATIONS.run(&pool).await?,
            DbKind::Postgres => POSTGRES_MIGRATIONS.run(&pool).await?,
        }
        let postgres_url = (kind == DbKind::Postgres).then(|| url.as_str().into());
        Ok(Self {
            pool,
            kind,
            postgres_url,
        })
    }

    pub fn kind(&self) -> DbKind {
        self.kind
    }

    /// A live feed of what every server sharing this database stores: `None` on SQLite, which
    /// one process serves alone.
    pub async fn change_feed(&self) -> Result<Option<ChangeFeed>, StorageError> {
        match &self.postgres_url {
            Some(url) => ChangeFeed::connect(url).await.map(Some),
            None => Ok(None),
        }
    }
}

/// Creates the SQLite file's directory, and asks sqlx to create the file if missing.
fn prepare_sqlite_url(url: &str) -> Result<String, StorageError> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or_default();
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        return Ok(url.to_owned());
    }
    if let Some(dir) = Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|source| StorageError::CreateDir {
            path: dir.display().to_string(),
            source,
        })?;
    }
    Ok(if query.contains("mode=") {
        url.to_owned()
    } else if query.is_empty() {
        format!("{url}?mode=rwc")
    } else {
        format!("{url}&mode=rwc")
    })
}

/// The URL without its password, to be shown in messages.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::redact_password;

    #[test]
    fn messages_never_show_a_database_password() {
        assert_eq!(
            redact_password("postgres://ardoise:s3cret@db.example/boards"),
            "postgres://ardoise:***@db.example/boards"
        );
        assert_eq!(
            redact_password("postgres://ardoise@db/boards"),
            "postgres://ardoise@db/boards"
        );
        assert_eq!(
            redact_password("sqlite://data/ardoise.db"),
            "sqlite://data/ardoise.db"
        );
    }
}
