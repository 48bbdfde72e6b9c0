//! The command line's board tools. `ardoise export` and `ardoise import`: a board with its whole
//! history as one file in Automerge's binary format, which any Automerge implementation can
//! load, to move boards between servers or keep them aside. `ardoise links`: a board's links,
//! for an administrator to hand to the person in charge of it. `ardoise backup`: the whole
//! database, copied while it serves.

use std::{
    io::{Read, Write},
    path::{Path, PathBuf},
};

use app::{access::Role, i18n::Lang, ids::BoardId, model::Board};

use crate::{
    access::{NewLinks, Secret},
    export,
    storage::{Imported, Storage, StorageError},
};

/// File name extension of exported boards.
pub const EXTENSION: &str = "automerge";
/// Largest file `ardoise import` reads.
pub const MAX_IMPORT_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0:?} is not a board id")]
    BadId(String),
    #[error("no board {0} in this database")]
    NoSuchBoard(BoardId),
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is larger than {} bytes", MAX_IMPORT_BYTES)]
    TooLarge { path: String },
    #[error("{path} exists already: a backup never replaces a file")]
    Exists { path: String },
    #[error("{path} is not an Automerge document: {reason}")]
    NotADocument { path: String, reason: String },
    #[error("{0:?} is not a language Ardoise speaks: fr or en")]
    BadLang(String),
    #[error(transparent)]
    Export(#[from] export::ExportError),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// `ardoise backup`: a consistent copy of the whole SQLite database in the new file `output`,
/// taken while the server serves. Restoring is putting the copy in the database's place.
pub async fn database(storage: &Storage, output: &Path) -> Result<(), BackupError> {
    let path = output.display().to_string();
    if output.exists() {
        return Err(BackupError::Exists { path });
    }
    storage.copy_database_to(output).await?;
    Ok(())
}

/// What `ardoise export` was asked for.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// A name of [`export::Format`].
    pub format: String,
    /// A moment, as [`export::At::parse`] reads it.
    pub at: Option<String>,
    pub lang: String,
    /// `-`: standard output; none: `<id>.<format>`.
    pub output: Option<PathBuf>,
}

/// Writes board `id` as `options` ask; returns where it went.
pub async fn export(
    storage: &Storage,
    id: &str,
    options: ExportOptions,
) -> Result<String, BackupError> {
    let id = BoardId::parse(id).map_err(|_| BackupError::BadId(id.to_owned()))?;
    let format = export::Format::parse(&options.format)?;
    let at = options.at.as_deref().map(export::At::parse).transpose()?;
    let lang = Lang::from_code(&options.lang).ok_or(BackupError::BadLang(options.lang))?;
    let mut loaded = storage
        .load_document(&id)
        .await?
        .ok_or_else(|| BackupError::NoSuchBoard(id.clone()))?;
    if loaded.damaged {
        tracing::warn!(board = %id, "exporting what could be read of a damaged board");
    }
    let request = export::Request {
        id,
        format,
        at,
        lang,
    };
    let exported = export::export(&mut loaded.board, &request)?;
    let output = options
        .output
        .unwrap_or_else(|| PathBuf::from(&exported.file_name));
    let written = if output == Path::new("-") {
        std::io::stdout().write_all(&exported.bytes)
    } else {
        std::fs::write(&output, &exported.bytes)
    };
    let path = output.display().to_string();
    written.map_err(|source| BackupError::Write {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// Stores the board in `file` (`-`: standard input) under `id`, or the id its file name gives,
/// or a new one; returns the board's id, whether it was merged into an existing board, and the
/// links a new board was given (closed, like any new board).
pub async fn import(
    storage: &Storage,
    file: &Path,
    id: Option<&str>,
) -> Result<(BoardId, Imported, NewLinks), BackupError> {
    let path = file.display().to_string();
    let bytes = read_limited(file).map_err(|source| BackupError::Read {
        path: path.clone(),
        source,
    })?;
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(BackupError::TooLarge { path });
    }
    let id = match id {
        Some(id) => BoardId::parse(id).map_err(|_| BackupError::BadId(id.to_owned()))?,
        None => id_from_file_name(file).unwrap_or_else(BoardId::random),
    };
    let board = Board::load(&bytes).map_err(|e| BackupError::NotADocument {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    if !board.is_initialised() {
        return Err(BackupError::NotADocument {
            path,
            reason: "it holds no board (no notes map)".into(),
        });
    }
    let links = NewLinks::random();
    let imported = storage
        .import_board(&id, &board.view().title, &bytes, &links.access)
        .await?;
    Ok((id, imported, links))
}

fn read_limited(file: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    // One byte over the limit tells a file that is too large.
    let limit = MAX_IMPORT_BYTES + 1;
    if file == Path::new("-") {
        std::io::stdin().take(limit).read_to_end(&mut bytes)?;
    } else {
        std::fs::File::open(file)?
            .take(limit)
            .read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

fn id_from_file_name(file: &Path) -> Option<BoardId> {
    if file.extension()? != EXTENSION {
        return None;
    }
    BoardId::parse(file.file_stem()?.to_str()?).ok()
}

/// `ardoise links`: makes the links `board` lacks (a board from before links has none), or with
/// `renew` new ones of every kind (the old ones stop working). Only hashes are stored, so a link
/// that already exists cannot be shown again: it is `None` here.
pub async fn links(
    storage: &Storage,
    board: &str,
    renew: bool,
) -> Result<Vec<(Role, Option<Secret>)>, BackupError> {
    let id = BoardId::parse(board).map_err(|_| BackupError::BadId(board.to_owned()))?;
    let access = storage
        .access(&id)
        .await?
        .ok_or_else(|| BackupError::NoSuchBoard(id.clone()))?;
    let mut links = Vec::new();
    for role in Role::ALL {
        if access.key(role).is_some() && !renew {
            links.push((role, None));
            continue;
        }
        let secret = Secret::random();
        if !storage.set_key(&id, role, &secret.hash()).await? {
            return Err(BackupError::NoSuchBoard(id));
        }
        links.push((role, Some(secret)));
    }
    Ok(links)
}
