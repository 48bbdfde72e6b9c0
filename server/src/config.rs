//! Command line and environment configuration of the `ardoise` binary.

use std::{net::SocketAddr, path::PathBuf};

use clap::Parser;

/// Ardoise: a free, self-hosted, real-time collaborative sticky-note board.
#[derive(Debug, Clone, Parser)]
#[command(name = "ardoise", version, about)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "ARDOISE_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Where boards are stored: `sqlite://PATH` (the file and its directory are created if missing)
    /// or `postgres://USER@HOST/DATABASE`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/ardoise.db")]
    pub database_url: String,

    /// Directory holding the browser app (`pkg/ardoise.js`, `pkg/ardoise_bg.wasm`, `pkg/ardoise.css`),
    /// as written by `scripts/build.sh`.
    #[arg(long, env = "ARDOISE_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
}
