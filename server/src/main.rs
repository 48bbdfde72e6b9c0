//! `ardoise`: serve (configuration, database, router, until Ctrl-C or SIGTERM), or export,
//! import boards, print their links and back the database up.

use std::{process::ExitCode, time::Duration};

use app::access::Role;
use ardoise_server::{
    addresses::AddressLimits,
    assets::Assets,
    backup,
    config::{Cli, Command, MetricsAddr, ServeArgs},
    metrics_router, router,
    storage::{Imported, Storage},
    sync::board::BoardLimits,
    AppState,
};
use clap::Parser;
use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

/// After a shutdown signal, how long open connections (websockets never end by themselves) may
/// take before the server stops anyway. Every change is already stored when it is relayed.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);
/// How often boards past the retention are looked for.
const RETENTION_SWEEP_INTERVAL: Duration = Duration::from_secs(3600);
const SECONDS_PER_DAY: u64 = 24 * 3600;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Serve(args)) => serve(args).await,
        Some(Command::Export {
            board,
            output,
            format,
            at,
            lang,
            database,
        }) => {
            let options = backup::ExportOptions {
                format,
                at,
                lang,
                output,
            };
            export(&database.database_url, &board, options).await
        }
        Some(Command::Import { file, id, database }) => {
            import(&database.database_url, &file, id.as_deref()).await
        }
        Some(Command::Links {
            board,
            renew,
            public_url,
            database,
        }) => links(&database.database_url, &board, renew, public_url.as_deref()).await,
        Some(Command::Backup { output, database }) => {
            backup_database(&database.database_url, &output).await
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ardoise: {error}");
            ExitCode::FAILURE
        }
    }
}

type AnyError = Box<dyn std::error::Error>;

async fn export(
    database_url: &str,
    board: &str,
    options: backup::ExportOptions,
) -> Result<(), AnyError> {
    let storage = Storage::connect(database_url).await?;
    let path = backup::export(&storage, board, options).await?;
    if path != "-" {
        eprintln!("board {board} written to {path}");
    }
    Ok(())
}

async fn import(
    database_url: &str,
    file: &std::path::Path,
    id: Option<&str>,
) -> Result<(), AnyError> {
    let storage = Storage::connect(database_url).await?;
    let (id, imported, links) = backup::import(&storage, file, id).await?;
    println!("{id}");
    match imported {
        Imported::Created => {
            eprintln!(
                "{}: imported as a new board {id}, closed; its links:",
                file.display()
            );
            for role in Role::ALL {
                eprintln!("  {:<12} {}", role.as_str(), links.secret(role).link(&id));
            }
        }
        Imported::Merged => eprintln!(
            "{}: merged into the existing board {id} (its links are unchanged)",
            file.display()
        ),
    }
    Ok(())
}

async fn backup_database(database_url: &str, output: &std::path::Path) -> Result<(), AnyError> {
    let storage = Storage::connect(database_url).await?;
    backup::database(&storage, output).await?;
    eprintln!("database copied to {}", output.display());
    Ok(())
}

/// Prints one line per link, `<role> <link>`, on standard output.
async fn links(
    database_url: &str,
    board: &str,
    renew: bool,
    public_url: Option<&str>,
) -> Result<(), AnyError> {
    let storage = Storage::connect(database_url).await?;
    let links = backup::links(&storage, board, renew).await?;
    let base = public_url.unwrap_or_default().trim_end_matches('/');
    let id = app::ids::BoardId::parse(board)?;
    for (role, secret) in links {
        match secret {
            Some(secret) => println!("{:<12} {base}{}", role.as_str(), secret.link(&id)),
            None => println!(
                "{:<12} (exists, cannot be shown again: --renew makes a new one)",
                role.as_str()
            ),
        }
    }
    Ok(())
}

async fn serve(args: ServeArgs) -> Result<(), AnyError> {
    // Before anything else: without its app, every page would be dead in the browser.
    let assets = Assets::load(args.site_root.as_deref())?;
    let storage = Storage::connect(&args.database.database_url).await?;
    let idle_unload = Duration::from_secs(args.idle_unload_secs);
    let mut state = AppState::new(storage, assets, idle_unload)
        .with_base_path(&args.base_path)
        .with_frame_ancestors(&args.frame_ancestors)
        .with_board_limits(BoardLimits {
            max_notes: args.max_notes,
            max_document_bytes: args.max_board_bytes,
        })
        .with_address_limits(AddressLimits {
            max_connections: args.max_connections_per_address,
            max_boards_per_hour: args.max_boards_per_hour,
            trust_proxy: args.trust_proxy,
        });
    if args.metrics_addr.is_some() {
        state = state.without_public_metrics();
    }
    if let Some(MetricsAddr::At(addr)) = args.metrics_addr {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr} for /metrics: {e}"))?;
        tracing::info!("metrics on http://{}/metrics", listener.local_addr()?);
        let service = metrics_router(state.clone());
        tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, service).await {
                tracing::error!(%error, "the metrics address stopped");
            }
        });
    }
    tokio::spawn(state.registry.clone().follow_other_servers());
    if let Some(days) = args.retention_days {
        let retention = Duration::from_secs(u64::from(days) * SECONDS_PER_DAY);
        tokio::spawn(sweep_idle_boards(state.registry.clone(), retention));
    }
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
    tracing::info!(
        version = ardoise_server::config::VERSION,
        "Ardoise listening on http://{}{}/",
        listener.local_addr()?,
        state.site.base()
    );
    let stopping = CancellationToken::new();
    tokio::spawn({
        let stopping = stopping.clone();
        async move {
            shutdown_signal().await;
            tracing::info!("shutting down");
            stopping.cancel();
        }
    });
    let service = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let server =
        axum::serve(listener, service).with_graceful_shutdown(stopping.clone().cancelled_owned());
    tokio::select! {
        result = server => result?,
        _ = async { stopping.cancelled().await; tokio::time::sleep(SHUTDOWN_GRACE).await } => {}
    }
    Ok(())
}

/// Deletes boards idle for longer than `retention`, now and every [`RETENTION_SWEEP_INTERVAL`].
async fn sweep_idle_boards(registry: ardoise_server::sync::Registry, retention: Duration) {
    let mut interval = tokio::time::interval(RETENTION_SWEEP_INTERVAL);
    loop {
        interval.tick().await;
        match registry.delete_idle_boards(retention).await {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "retention: deleted idle boards"),
            Err(error) => tracing::warn!(%error, "retention: cannot look for idle boards"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
