//! The real `ardoise` binary as a test runs it: its own database, a free port, `kill -9` and
//! restart, the command line. For what only a process can show; the rest runs in-process
//! ([`crate::TestApp`]).

use std::{
    net::SocketAddr,
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::Duration,
};

use crate::{
    common::{binary, free_port, site_override, Serves, WAIT_LIMIT},
    database::{Db, TestDatabase},
};

/// A running `ardoise` process with its own database.
pub struct TestServer {
    pub addr: SocketAddr,
    pub database: Arc<TestDatabase>,
    extra_args: Vec<String>,
    child: Option<Child>,
}

impl TestServer {
    /// Starts a server on a fresh SQLite database.
    pub async fn start() -> TestServer {
        Self::start_on(Db::Sqlite).await
    }

    /// Starts a server on a fresh database of the given kind.
    pub async fn start_on(db: Db) -> TestServer {
        Self::start_with(Arc::new(TestDatabase::new(db)), &[]).await
    }

    /// Starts a second server process sharing this one's database, as several instances
    /// behind a load balancer do.
    pub async fn another_instance(&self) -> TestServer {
        Self::start_with(self.database.clone(), &[]).await
    }

    /// Starts a server on a given database with extra command line arguments.
    pub async fn start_with(database: Arc<TestDatabase>, extra_args: &[&str]) -> TestServer {
        let port = free_port();
        let mut server = TestServer {
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            database,
            extra_args: extra_args.iter().map(|a| a.to_string()).collect(),
            child: None,
        };
        server.spawn().await;
        server
    }

    async fn spawn(&mut self) {
        let binary = binary();
        assert!(
            binary.exists(),
            "{} is missing: build it with scripts/build.sh (or run scripts/test.sh)",
            binary.display()
        );
        let mut command = Command::new(&binary);
        if let Some(site) = site_override() {
            command.arg("--site-root").arg(site);
        }
        let child = command
            .arg("--addr")
            .arg(self.addr.to_string())
            .arg("--database-url")
            .arg(&self.database.url)
            .args(&self.extra_args)
            // Every client of the harness and of the load generator comes from the loopback
            // address: the limits per address are tested in process (`access.rs`). Through the
            // environment, which a baseline build without these options ignores.
            .env("ARDOISE_MAX_CONNECTIONS_PER_ADDRESS", "1000000")
            .env("ARDOISE_MAX_BOARDS_PER_HOUR", "1000000")
            // `ARDOISE_TEST_LOG=debug` for more detail in the servers' logs.
            .env(
                "RUST_LOG",
                std::env::var("ARDOISE_TEST_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdout(Stdio::null())
            .stderr(self.log_file())
            .spawn()
            .expect("start ardoise");
        self.child = Some(child);
        let url = format!("{}/health", self.http_url());
        let started = tokio::time::Instant::now();
        loop {
            if let Ok(response) = reqwest::get(&url).await {
                if response.status().is_success() {
                    return;
                }
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!("ardoise exited at start: {status}");
            }
            assert!(started.elapsed() < WAIT_LIMIT, "ardoise did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Where this server's log (its standard error) goes.
    fn log_path(&self) -> PathBuf {
        self.database
            .dir
            .path()
            .join(format!("ardoise-{}.log", self.addr.port()))
    }

    fn log_file(&self) -> std::fs::File {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .expect("open the server's log file")
    }

    /// What the server has logged so far (warnings and errors).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// Runs `ardoise <args> --database-url <this server's database>`, as an administrator would.
    pub fn run_cli(&self, args: &[&str]) -> std::process::Output {
        Command::new(binary())
            .args(args)
            .arg("--database-url")
            .arg(&self.database.url)
            .env("RUST_LOG", "warn")
            .output()
            .expect("run ardoise")
    }

    /// Kills the server (SIGKILL: no chance to save anything) and starts it again on the same
    /// database and port.
    pub async fn kill_and_restart(&mut self) {
        self.kill();
        self.spawn().await;
    }

    /// Kills the process, as `kill -9` would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The server process's id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(None)))
    }
}

impl Serves for TestServer {
    fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.kill();
        // A failing test shows what the server logged.
        if std::thread::panicking() {
            eprintln!(
                "--- log of ardoise on port {} ---\n{}",
                self.addr.port(),
                self.log()
            );
        }
    }
}
