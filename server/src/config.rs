//! Command line and environment configuration of the `ardoise` binary.
//!
//! `ardoise` with no command serves (the same as `ardoise serve`); `ardoise export` and
//! `ardoise import` move boards between servers; `ardoise links` prints a board's links;
//! `ardoise backup` copies the whole database while it serves.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand};

/// Ardoise: a free, self-hosted, real-time collaborative sticky-note board.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "ardoise",
    version = VERSION,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub serve: ServeArgs,
}

/// `ardoise --version`: the release and the commit the binary was built from.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("ARDOISE_COMMIT"),
    ")"
);

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve Ardoise (what `ardoise` does without a command).
    Serve(ServeArgs),
    /// Write a board to a file: with its whole history in Automerge's binary format (the
    /// default), or as Markdown, CSV, JSON, ODS, SVG, PNG or PDF.
    Export {
        /// The board's id (the last part of its `/b/<id>` link).
        board: String,
        /// The file to write; `-` for standard output. Default: `<id>.<format>`.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// automerge, md, csv, json, ods, svg, png or pdf.
        #[arg(long, short, default_value = "automerge")]
        format: String,
        /// The board as it was at this moment: a change's hash (from its history) or a time
        /// in seconds since 1970.
        #[arg(long)]
        at: Option<String>,
        /// The language of the words an export adds (headings, labels): fr or en.
        #[arg(long, default_value = "fr")]
        lang: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Store a board written by `ardoise export` (or any Automerge board document). An existing
    /// board with the same id gets the imported history merged in: nothing of either is lost.
    Import {
        /// The file to read; `-` for standard input.
        file: PathBuf,
        /// The board's id. Default: the file's name, if it is `<id>.automerge`, else a new id.
        #[arg(long)]
        id: Option<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Print a board's facilitator, participant and observer links, making those it lacks
    /// (boards from before links have none). Existing links cannot be shown again (only their
    /// hashes are kept): `--renew` replaces all three, and the old ones stop working.
    Links {
        /// The board's id (the part of its address after `/b/`).
        board: String,
        /// Make new links of every kind, even those that exist.
        #[arg(long)]
        renew: bool,
        /// The server's address as people reach it, to print whole links (else paths).
        #[arg(long, env = "ARDOISE_PUBLIC_URL")]
        public_url: Option<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Write a consistent copy of the whole SQLite database to a file, while Ardoise serves
    /// (PostgreSQL: use pg_dump). To restore, stop Ardoise and put the copy in the database's
    /// place.
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long, short)]
        output: PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Where boards are stored: `sqlite://PATH` (the file and its directory are created if missing)
    /// or `postgres://USER@HOST/DATABASE`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/ardoise.db")]
    pub database_url: String,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "ARDOISE_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    #[command(flatten)]
    pub database: DatabaseArgs,

    /// Serve the browser app from this directory (`pkg/ardoise.js`, `pkg/ardoise_bg.wasm`, ... as
    /// `scripts/build.sh` writes them) instead of the copy inside the binary: for development.
    #[arg(long, env = "ARDOISE_SITE_ROOT")]
    pub site_root: Option<PathBuf>,

    /// The path Ardoise is reached under behind a reverse proxy that keeps it in the address,
    /// such as `/ardoise` for `https://tools.example.org/ardoise/`. Default: the root.
    #[arg(long, env = "ARDOISE_BASE_PATH", default_value = "", value_parser = base_path)]
    pub base_path: String,

    /// Serve `/metrics` on this address (such as `127.0.0.1:9100`) instead of the public one,
    /// or `off` for nowhere. Default: on the public address.
    #[arg(long, env = "ARDOISE_METRICS_ADDR", value_parser = metrics_addr)]
    pub metrics_addr: Option<MetricsAddr>,

    /// Delete boards (with their whole history) that nobody has changed for this many days.
    /// Checked at start and every hour. Default: keep boards forever.
    #[arg(long, env = "ARDOISE_RETENTION_DAYS", value_parser = clap::value_parser!(u32).range(1..))]
    pub retention_days: Option<u32>,

    /// Seconds a board with nobody connected stays in memory before it is unloaded (it is
    /// loaded again, transparently, when someone opens it).
    #[arg(long, env = "ARDOISE_IDLE_UNLOAD_SECS", default_value_t = DEFAULT_IDLE_UNLOAD_SECS,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_unload_secs: u64,

    /// Sites allowed to show Ardoise's pages in a frame, as Content-Security-Policy
    /// `frame-ancestors` sources (`https://intranet.example https://*.example.org`). Default:
    /// none may.
    #[arg(long, env = "ARDOISE_FRAME_ANCESTORS", default_value = crate::DEFAULT_FRAME_ANCESTORS,
          value_parser = csp_sources)]
    pub frame_ancestors: String,

    /// Post-its one board may hold: a change that adds more is refused (and not stored).
    #[arg(long, env = "ARDOISE_MAX_NOTES", default_value_t = app::model::MAX_NOTES,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_notes: usize,

    /// Bytes one board's stored document (snapshot and change log) may reach: a change beyond
    /// is refused (and not stored).
    #[arg(long, env = "ARDOISE_MAX_BOARD_BYTES",
          default_value_t = crate::sync::board::DEFAULT_MAX_DOCUMENT_BYTES,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1024..))]
    pub max_board_bytes: usize,

    /// Behind a reverse proxy: take the client's address from the last `X-Forwarded-For` entry
    /// (the one the proxy added), for the limits per address. Without a proxy, leave it off: a
    /// client could write any address there.
    #[arg(long, env = "ARDOISE_TRUST_PROXY")]
    pub trust_proxy: bool,

    /// Open websockets one client address may have at once.
    #[arg(long, env = "ARDOISE_MAX_CONNECTIONS_PER_ADDRESS",
          default_value_t = crate::addresses::DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_connections_per_address: usize,

    /// Boards one client address may create per hour.
    #[arg(long, env = "ARDOISE_MAX_BOARDS_PER_HOUR",
          default_value_t = crate::addresses::DEFAULT_MAX_BOARDS_PER_HOUR,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_boards_per_hour: usize,
}

/// Default of `--idle-unload-secs`.
pub const DEFAULT_IDLE_UNLOAD_SECS: u64 = 60;

/// CSP sources: printable ASCII, separated by spaces, and no `;` or `,` (which would end the
/// directive, or the policy).
fn csp_sources(text: &str) -> Result<String, String> {
    let valid = !text.trim().is_empty()
        && text
            .chars()
            .all(|c| c == ' ' || (c.is_ascii_graphic() && c != ';' && c != ','));
    if valid {
        Ok(text.trim().to_owned())
    } else {
        Err(
            "expected CSP sources separated by spaces, such as 'self' https://intranet.example"
                .into(),
        )
    }
}

/// Where `/metrics` is served, other than the public address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricsAddr {
    At(SocketAddr),
    Off,
}

fn metrics_addr(text: &str) -> Result<MetricsAddr, String> {
    if text == "off" {
        return Ok(MetricsAddr::Off);
    }
    text.parse()
        .map(MetricsAddr::At)
        .map_err(|_| "expected an address and port, such as 127.0.0.1:9100, or off".into())
}

/// Longest `--base-path`.
pub const MAX_BASE_PATH_CHARS: usize = 200;

/// `--base-path`: empty (or `/`) for the root, else `/` and segments of letters, digits, `-`,
/// `_`, `.` and `~`, without a trailing `/` (`/ardoise/` is taken as `/ardoise`).
pub fn base_path(text: &str) -> Result<String, String> {
    let trimmed = text.trim_end_matches('/');
    let valid = trimmed.is_empty()
        || (trimmed.len() <= MAX_BASE_PATH_CHARS
            && trimmed.starts_with('/')
            && trimmed[1..].split('/').all(|segment| {
                !segment.is_empty()
                    && segment != "."
                    && segment != ".."
                    && segment
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c))
            }));
    if valid {
        Ok(trimmed.to_owned())
    } else {
        Err("expected a path such as /ardoise or /tools/ardoise".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_are_plain_segments() {
        assert_eq!(base_path(""), Ok(String::new()));
        assert_eq!(base_path("/"), Ok(String::new()));
        assert_eq!(base_path("/ardoise"), Ok("/ardoise".into()));
        assert_eq!(base_path("/ardoise/"), Ok("/ardoise".into()));
        assert_eq!(
            base_path("/outils/ardoise-2"),
            Ok("/outils/ardoise-2".into())
        );
        for bad in [
            "ardoise", "/a//b", "/a/../b", "/a b", "/a?b", "/a#b", "/é", "/a/./b",
        ] {
            assert!(base_path(bad).is_err(), "{bad}");
        }
        assert!(base_path(&format!("/{}", "a".repeat(MAX_BASE_PATH_CHARS))).is_err());
    }

    #[test]
    fn metrics_go_to_an_address_or_nowhere() {
        assert_eq!(metrics_addr("off"), Ok(MetricsAddr::Off));
        assert_eq!(
            metrics_addr("127.0.0.1:9100"),
            Ok(MetricsAddr::At(([127, 0, 0, 1], 9100).into()))
        );
        assert!(metrics_addr("localhost").is_err());
    }
}
