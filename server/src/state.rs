//! What every request handler shares: the registry of boards (and through it, storage and
//! metrics) and the settings of the pages.

use std::{path::Path, time::Duration};

use leptos::config::LeptosOptions;

use crate::{storage, sync};

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    pub registry: sync::Registry,
    pub leptos: LeptosOptions,
}

impl AppState {
    /// `idle_unload`: how long a board with nobody connected stays in memory.
    pub fn new(storage: storage::Storage, site_root: &Path, idle_unload: Duration) -> Self {
        let leptos = LeptosOptions::builder()
            .output_name("ardoise")
            .site_root(site_root.display().to_string())
            .site_pkg_dir("pkg")
            .build();
        // Leptos renders pages on tokio; the error means it was set already, which is fine.
        let _ = any_spawner::Executor::init_tokio();
        Self {
            registry: sync::Registry::new(storage, idle_unload),
            leptos,
        }
    }
}
