//! What every request handler shares: the registry of boards (and through it, storage and
//! metrics) and the settings of the pages.

use std::{path::Path, time::Duration};

use leptos::config::LeptosOptions;

use crate::{
    addresses::{AddressLimits, Addresses},
    storage, sync,
};

/// By default no site may frame Ardoise's pages.
pub const DEFAULT_FRAME_ANCESTORS: &str = "'none'";

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    pub registry: sync::Registry,
    pub leptos: LeptosOptions,
    /// Who may show Ardoise's pages in a frame: the CSP's `frame-ancestors` sources.
    pub frame_ancestors: std::sync::Arc<str>,
    /// What each client address uses, against its limits.
    pub addresses: Addresses,
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
            frame_ancestors: DEFAULT_FRAME_ANCESTORS.into(),
            addresses: Addresses::default(),
        }
    }

    /// Limits on boards' size other than the defaults.
    pub fn with_board_limits(mut self, limits: sync::board::BoardLimits) -> Self {
        self.registry = self.registry.with_limits(limits);
        self
    }

    /// Limits per client address other than the defaults.
    pub fn with_address_limits(mut self, limits: AddressLimits) -> Self {
        self.addresses = Addresses::new(limits);
        self
    }

    /// Lets the sites `sources` (CSP sources, such as `https://intranet.example`) show
    /// Ardoise's pages in a frame.
    pub fn with_frame_ancestors(mut self, sources: &str) -> Self {
        self.frame_ancestors = sources.into();
        self
    }
}
