//! The board store itself: a connection pool to SQLite or PostgreSQL, opened and migrated before
//! serving, and the one transaction helper every multi-statement query goes through.

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    any::{AnyConnectOptions, AnyPoolOptions},
    AnyConnection, AnyPool, Executor,
};

use super::error::{DbKind, StorageError};

/// How long to wait for a database connection before reporting the database as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections kept open to the database.
const MAX_DB_CONNECTIONS: u32 = 8;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The board store. Cheap to clone: it is a connection pool.
#[derive(Clone)]
pub struct Storage {
    pub(super) pool: AnyPool,
    pub(super) kind: DbKind,
    /// PostgreSQL's URL, for the listener's own connection.
    pub(super) postgres_url: Option<std::sync::Arc<str>>,
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

    /// Writes a consistent copy of the whole SQLite database to the new file `path`, while
    /// others go on reading and writing (`VACUUM INTO`: one read transaction, a compact file).
    pub async fn copy_database_to(&self, path: &Path) -> Result<(), StorageError> {
        if self.kind != DbKind::Sqlite {
            return Err(StorageError::NotSqlite);
        }
        sqlx::query("VACUUM INTO ?")
            .bind(path.display().to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Runs `body` in one transaction: committed if it returns `Ok`, rolled back if it fails.
    pub(super) async fn transaction<T>(
        &self,
        body: impl AsyncFnOnce(&mut AnyConnection) -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        let mut tx = self.pool.begin().await?;
        match body(&mut tx).await {
            Ok(value) => {
                tx.commit().await?;
                Ok(value)
            }
            Err(error) => {
                // Dropping the transaction rolls it back too; saying so keeps the connection
                // clean for the next user at once.
                let _ = tx.rollback().await;
                Err(error)
            }
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
