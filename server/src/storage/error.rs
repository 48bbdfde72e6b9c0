//! What storage can fail with, and which database it runs on.

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
    #[error("ardoise backup copies SQLite databases; back PostgreSQL up with pg_dump")]
    NotSqlite,
    /// Inside a compaction: the log holds changes the snapshot lacks (the transaction is
    /// rolled back, and [`crate::storage::Compaction::Behind`] is answered).
    #[error("another server appended to the board's log meanwhile")]
    LogAhead,
}
