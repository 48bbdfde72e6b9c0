//! What every request handler shares: the registry of boards (and through it, storage and
//! metrics), the browser app's files and the settings of the pages.

use std::time::Duration;

use app::site::Site;
use leptos::config::LeptosOptions;

use crate::{
    addresses::{AddressLimits, Addresses},
    assets::Assets,
    storage, sync,
};

/// By default no site may frame Ardoise's pages.
pub const DEFAULT_FRAME_ANCESTORS: &str = "'none'";

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    pub registry: sync::Registry,
    pub leptos: LeptosOptions,
    /// The browser app's files.
    pub assets: Assets,
    /// The base path (`--base-path`) and the app's version, which every address carries.
    pub site: Site,
    /// Who may show Ardoise's pages in a frame: the CSP's `frame-ancestors` sources.
    pub frame_ancestors: std::sync::Arc<str>,
    /// What each client address uses, against its limits.
    pub addresses: Addresses,
    /// Whether `/metrics` is on the public address (else on `--metrics-addr`, or nowhere).
    pub public_metrics: bool,
}

impl AppState {
    /// `idle_unload`: how long a board with nobody connected stays in memory.
    pub fn new(storage: storage::Storage, assets: Assets, idle_unload: Duration) -> Self {
        let site = Site::new("", assets.version());
        Self {
            registry: sync::Registry::new(storage, idle_unload),
            leptos: leptos_options(&site),
            assets,
            site,
            frame_ancestors: DEFAULT_FRAME_ANCESTORS.into(),
            addresses: Addresses::default(),
            public_metrics: true,
        }
    }

    /// Takes `/metrics` off the public address.
    pub fn without_public_metrics(mut self) -> Self {
        self.public_metrics = false;
        self
    }

    /// Serves every page and file under `base` (`/ardoise`: see [`crate::config::base_path`]).
    pub fn with_base_path(mut self, base: &str) -> Self {
        self.site = Site::new(base, self.assets.version());
        self.leptos = leptos_options(&self.site);
        self
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

/// What Leptos needs to write the script that starts the app: the files' names and their
/// directory, `pkg/<version>` (the base path goes in front, from [`Site`]). Nothing is read from
/// its `site_root`: the files are in [`Assets`].
fn leptos_options(site: &Site) -> LeptosOptions {
    // Leptos renders pages on tokio; the error means it was set already, which is fine.
    let _ = any_spawner::Executor::init_tokio();
    LeptosOptions::builder()
        .output_name("ardoise")
        .site_root("")
        .site_pkg_dir(format!("pkg/{}", site.version()))
        .build()
}
