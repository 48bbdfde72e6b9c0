//! `ardoise-load`: a load generator that speaks Ardoise's sync protocol to the real `ardoise`
//! binary on loopback (started on a fresh database, like the integration tests) and measures:
//!
//! - `propagation`: N clients on one board (N = 10, 50, 200), one writer moving a post-it at
//!   20 changes/s for 10 s after a 2 s warm-up; latency from the writer's change to each other
//!   client's receipt, the share of changes delivered, the server's CPU time and RSS, and its
//!   mean database write time and writes per change (from `/metrics`). The receivers join as
//!   full clients, then only note what arrives and acknowledge it (see [`receive`]);
//! - `boards`: 100 boards with 10 clients each, one writer per board at 2 changes/s;
//! - `instances`: propagation to 50 clients through one server on PostgreSQL, then with the
//!   writer on one server and the receivers on another sharing the database (needs
//!   `ARDOISE_TEST_POSTGRES`, as the tests do); CPU and memory are the two servers' sums;
//! - `join`: a new client joining a board of 1,000 post-its, warm (board in memory) and after a
//!   server restart: time until the board's document arrived, time until the client's copy
//!   holds every post-it (Automerge loading it in the client), and bytes received;
//! - `idle`: the server's memory per open board (50 post-its, one idle client each);
//! - `render`: the browser bundle's gzip size, and a 1,000-post-it board opened in headless
//!   Chromium (`end2end/bench/first-render.mjs`): first paint, every post-it shown, app live;
//! - `canvas`: a 500-post-it board in headless Chromium (`end2end/bench/canvas.mjs`): the time
//!   between frames while panning, zooming with the wheel and dragging a post-it.
//!
//! `cargo run --release -p ardoise-tests --bin ardoise-load [SCENARIO]...` (all by default;
//! `scripts/build.sh` first; `propagation:N` for N clients only). Prints a table and writes `bench/load.json` under cargo's target
//! directory. The clients run in this process, on the same machine as the server: on 2 cores
//! they compete with it for CPU, which inflates latency.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use app::{
    ids::{BoardId, NoteId, PeerId},
    model::{Board, Colour, NewNote},
    protocol::Message,
    session::Session,
};
use ardoise_server::storage::integrity;
use ardoise_tests::{bench, Db, RawSocket, Serves, SyncClient, TestDatabase, TestServer};
use automerge::{
    sync::{self, BloomFilter, ChunkList, Have, MessageFlags, MessageVersion},
    ChangeHash,
};

/// Pause before the measured window, with the writers already writing.
const WARM_UP: Duration = Duration::from_secs(2);
/// Length of the measured window.
const MEASURED: Duration = Duration::from_secs(10);
/// How long receivers may take to catch up after the writers stop.
const DRAIN: Duration = Duration::from_secs(10);
/// Post-its on the board of the join scenario.
const JOIN_NOTES: usize = 1_000;
const JOIN_SAMPLES_WARM: usize = 11;
const JOIN_SAMPLES_COLD: usize = 5;
/// Boards held open in the memory scenario, and post-its on each.
const IDLE_BOARDS: usize = 200;
const IDLE_NOTES: usize = 50;
/// Page loads in the browser scenario.
const RENDER_SAMPLES: usize = 5;
/// Post-its on the board of the `canvas` scenario.
const CANVAS_NOTES: usize = 500;
/// Page loads of the `canvas` scenario (each pans, zooms and drags once).
const CANVAS_SAMPLES: usize = 3;
/// One frame at 60 frames per second.
const FRAME_BUDGET_MS: f64 = 1000.0 / 60.0;

fn note(i: usize) -> NewNote {
    NewNote {
        text: format!("Idée numéro {i} pour le prochain atelier"),
        x: (i % 40) as f64 * 180.0,
        y: (i / 40) as f64 * 180.0,
        colour: Colour::ALL[i % Colour::ALL.len()],
        author: Some("Camille".into()),
        created_at: 1_764_000_000_000 + i as i64,
    }
}

/// CPU time and memory of a process, from `/proc`.
struct ProcSample {
    cpu: Duration,
    rss_kib: u64,
    peak_rss_kib: u64,
}

fn clock_ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

fn sample(pid: u32) -> ProcSample {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("read /proc/PID/stat");
    // Fields after the command name (which may hold spaces) start at the state, field 3.
    let fields: Vec<&str> = stat[stat.rfind(')').expect("a stat line") + 2..]
        .split(' ')
        .collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("read status");
    let kib = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    ProcSample {
        cpu: Duration::from_secs_f64(ticks as f64 / clock_ticks_per_second()),
        rss_kib: kib("VmRSS:"),
        peak_rss_kib: kib("VmHWM:"),
    }
}

/// The sum of [`sample`] over several processes.
fn sample_all(pids: &[u32]) -> ProcSample {
    let samples: Vec<ProcSample> = pids.iter().map(|&pid| sample(pid)).collect();
    ProcSample {
        cpu: samples.iter().map(|s| s.cpu).sum(),
        rss_kib: samples.iter().map(|s| s.rss_kib).sum(),
        peak_rss_kib: samples.iter().map(|s| s.peak_rss_kib).sum(),
    }
}

/// What one board's writer sent: when it made each change (by hash: its number and the time),
/// and, once done, its last change.
#[derive(Default)]
struct Sent {
    changes: HashMap<ChangeHash, (usize, Instant)>,
    last: Option<ChangeHash>,
}

type SentChanges = Arc<Mutex<Sent>>;

struct LoadResult {
    name: String,
    boards: usize,
    clients: usize,
    rate: f64,
    latencies: Vec<Duration>,
    delivered: f64,
    cpu_percent: f64,
    peak_rss_mib: f64,
    rss_mib: f64,
    /// Mean time of a write to the database (the writers' server), from `/metrics`.
    storage_write_ms: f64,
    /// Database writes per change applied (below 1 when group commit gathers changes).
    writes_per_change: f64,
}

/// Where the clients of a load scenario connect.
#[derive(Clone, Copy)]
enum Servers {
    /// One server; its database.
    One(Db),
    /// Two servers on one PostgreSQL database: the writers on the first, the receivers on the
    /// second, so that every change goes through PostgreSQL's notifications.
    Two,
}

/// `boards` boards with `clients` clients each; on each, one writer moves a post-it `rate` times
/// a second; every other client records when it sees each move.
async fn load(
    name: &str,
    servers: Servers,
    boards: usize,
    clients: usize,
    rate: f64,
) -> LoadResult {
    let (server, receiving) = match servers {
        Servers::One(db) => (TestServer::start_on(db).await, None),
        Servers::Two => {
            let first = TestServer::start_on(Db::Postgres).await;
            let second = first.another_instance().await;
            (first, Some(second))
        }
    };
    let pids: Vec<u32> = [Some(&server), receiving.as_ref()]
        .into_iter()
        .flatten()
        .map(|s| s.pid().expect("a running server"))
        .collect();
    let receiving_server = receiving.as_ref().unwrap_or(&server);
    let period = Duration::from_secs_f64(1.0 / rate);
    let warm_up_changes = (WARM_UP.as_secs_f64() * rate) as usize;
    let total_changes = warm_up_changes + (MEASURED.as_secs_f64() * rate) as usize;

    let mut listeners = Vec::new();
    let mut writers = Vec::new();
    for _ in 0..boards {
        let board = server.create_board("Charge").await;
        let mut writer = SyncClient::open(&server, &board).await;
        let note_id: NoteId = writer.edit(|b| b.add_note(note(0))).await;
        let sent = SentChanges::default();
        for _ in 1..clients {
            let mut client = SyncClient::open(receiving_server, &board).await;
            client
                .wait_until("the receiver has the post-it", |v| {
                    v.note(&note_id).is_some()
                })
                .await;
            let peer = client.peer_id().clone();
            listeners.push((client.into_socket(), peer, board.clone(), sent.clone()));
        }
        writers.push((writer, note_id, sent));
    }

    // Everyone is connected: start listening, then writing.
    let stop_at = tokio::time::Instant::now() + WARM_UP + MEASURED + DRAIN;
    let receivers: Vec<_> = listeners
        .into_iter()
        .map(|(socket, peer, board, sent)| {
            tokio::spawn(receive(socket, peer, board, sent, stop_at))
        })
        .collect();
    let start = tokio::time::Instant::now() + Duration::from_millis(100);
    let measuring_from = start + WARM_UP;
    let mut writing = Vec::new();
    let mut all_sent = Vec::new();
    for (i, (mut writer, note_id, sent)) in writers.into_iter().enumerate() {
        all_sent.push(sent.clone());
        // Spread the writers over one period so that boards do not all write at once.
        let offset = period.mul_f64(i as f64 / boards as f64);
        writing.push(tokio::spawn(async move {
            let mut ticks = tokio::time::interval_at(start + offset, period);
            for k in 1..=total_changes {
                ticks.tick().await;
                let at = Instant::now();
                // The server's answers wait in the socket's buffers: a few KiB in all.
                writer.edit(|b| b.move_note(&note_id, k as f64, 40.0)).await;
                let hash = writer.heads()[0];
                let mut sent = sent.lock().unwrap();
                sent.changes.insert(hash, (k, at));
                if k == total_changes {
                    sent.last = Some(hash);
                }
            }
            writer
        }));
    }
    tokio::time::sleep_until(measuring_from).await;
    let before = sample_all(&pids);
    let measured_started = Instant::now();
    let mut kept_writers = Vec::new();
    for writer in writing {
        kept_writers.push(writer.await.unwrap());
    }
    let measured = measured_started.elapsed();
    let after = sample_all(&pids);
    let writes = server.metric("ardoise_storage_write_seconds_count").await;
    let storage_write_ms =
        server.metric("ardoise_storage_write_seconds_sum").await * 1000.0 / writes;
    let writes_per_change = writes / server.metric("ardoise_changes_applied_total").await;

    let mut latencies = Vec::new();
    for (receiver, sent) in receivers.into_iter().zip(
        all_sent
            .iter()
            .flat_map(|sent| std::iter::repeat_n(sent, clients - 1)),
    ) {
        let seen = receiver.await.unwrap();
        let sent = sent.lock().unwrap();
        for (hash, at) in seen {
            if let Some(&(k, sent_at)) = sent.changes.get(&hash) {
                if k > warm_up_changes {
                    latencies.push(at - sent_at);
                }
            }
        }
    }
    latencies.sort();
    let expected = boards * (clients - 1) * (total_changes - warm_up_changes);
    drop(kept_writers);
    LoadResult {
        name: name.to_owned(),
        boards,
        clients,
        rate,
        delivered: latencies.len() as f64 / expected as f64,
        latencies,
        cpu_percent: (after.cpu - before.cpu).as_secs_f64() / measured.as_secs_f64() * 100.0,
        peak_rss_mib: after.peak_rss_kib as f64 / 1024.0,
        rss_mib: after.rss_kib as f64 / 1024.0,
        storage_write_ms,
        writes_per_change,
    }
}

/// A receiving peer that does not hold a copy of the board, so that 200 of them cost the machine
/// little next to the server they measure: it notes when each change arrives (by hash, read from
/// the chunks of the sync message) and acknowledges every message as a peer that applied it
/// would (it now has the sender's heads). Runs until it has seen the writer's last change, or
/// until `stop_at`.
async fn receive(
    mut socket: RawSocket,
    peer: PeerId,
    board: BoardId,
    sent: SentChanges,
    stop_at: tokio::time::Instant,
) -> Vec<(ChangeHash, Instant)> {
    let mut seen = Vec::new();
    let mut seen_last = false;
    while !seen_last {
        let Ok(Some(message)) = tokio::time::timeout_at(stop_at, socket.next()).await else {
            break;
        };
        let Message::Sync {
            sender_id, data, ..
        } = message
        else {
            continue;
        };
        let now = Instant::now();
        let message = sync::Message::decode(&data).expect("a valid sync message");
        if message.changes.is_empty() {
            continue;
        }
        let last = sent.lock().unwrap().last;
        for chunk in message.changes.iter() {
            let chunks = integrity::check(chunk).expect("whole changes");
            for hash in chunks.changes {
                seen_last |= Some(hash) == last;
                seen.push((hash, now));
            }
        }
        let mut flags = MessageFlags::new();
        flags.set(MessageFlags::SUPPORTS_SYNC_RESET);
        let ack = sync::Message {
            need: Vec::new(),
            have: vec![Have {
                last_sync: message.heads.clone(),
                bloom: BloomFilter::default(),
            }],
            heads: message.heads,
            changes: ChunkList::empty(),
            flags: Some(flags),
            version: MessageVersion::V1,
        };
        socket
            .send(&Message::Sync {
                sender_id: peer.clone(),
                target_id: sender_id,
                document_id: board.clone(),
                data: ack.encode(),
            })
            .await;
    }
    seen
}

/// Creates a board of `notes` post-its, written in batches of 50 by one client.
async fn board_of(server: &TestServer, title: &str, notes: usize) -> BoardId {
    let board = server.create_board(title).await;
    let mut author = SyncClient::open(server, &board).await;
    for batch in 0..notes.div_ceil(50) {
        author
            .edit(|b| {
                for i in batch * 50..((batch + 1) * 50).min(notes) {
                    b.add_note(note(i))?;
                }
                Ok(())
            })
            .await;
    }
    let mut check = SyncClient::open(server, &board).await;
    check
        .wait_until("the board holds every post-it", |v| v.notes.len() == notes)
        .await;
    board
}

struct JoinResult {
    /// Until the message holding the whole board arrived.
    warm_received: Vec<Duration>,
    /// Until the client's copy of the board holds every post-it.
    warm_held: Vec<Duration>,
    cold_received: Vec<Duration>,
    cold_held: Vec<Duration>,
    bytes: usize,
}

/// One new client joins: connects, joins, asks for the board; returns when the document arrived,
/// when the client held every post-it, and the bytes received.
async fn join_once(server: &TestServer, board: &BoardId) -> (Duration, Duration, usize) {
    let started = Instant::now();
    let mut socket = RawSocket::connect(server).await;
    let mut session = Session::new(PeerId::random(), board.clone(), Board::empty());
    socket.send(&session.connected()).await;
    let mut received = None;
    loop {
        let message = socket.next().await.expect("the server answers");
        if received.is_none() && message.kind() == "sync" {
            received = Some(started.elapsed());
        }
        let answer = session.receive(message).expect("a valid message");
        for message in &answer.outgoing {
            socket.send(message).await;
        }
        if answer.changed && session.board().view().notes.len() == JOIN_NOTES {
            let held = started.elapsed();
            let bytes = socket.received_bytes();
            socket.close().await;
            return (received.unwrap_or(held), held, bytes);
        }
    }
}

/// A client joins a board of [`JOIN_NOTES`] post-its, in memory and after a restart.
async fn join() -> JoinResult {
    let mut server = TestServer::start().await;
    let board = board_of(&server, "Mille post-its", JOIN_NOTES).await;
    // Someone stays on the board, so that it stays in memory between the warm joins.
    let keeper = SyncClient::open(&server, &board).await;
    let mut result = JoinResult {
        warm_received: Vec::new(),
        warm_held: Vec::new(),
        cold_received: Vec::new(),
        cold_held: Vec::new(),
        bytes: 0,
    };
    for _ in 0..JOIN_SAMPLES_WARM {
        let (received, held, bytes) = join_once(&server, &board).await;
        result.warm_received.push(received);
        result.warm_held.push(held);
        result.bytes = bytes;
    }
    drop(keeper);
    for _ in 0..JOIN_SAMPLES_COLD {
        server.kill_and_restart().await;
        let (received, held, _) = join_once(&server, &board).await;
        result.cold_received.push(received);
        result.cold_held.push(held);
    }
    result
}

struct IdleResult {
    boards: usize,
    notes: usize,
    kib_per_board: f64,
}

/// Memory of boards held open by one idle client each: the server's RSS growth divided by the
/// number of boards.
async fn idle() -> IdleResult {
    let database = Arc::new(TestDatabase::new(Db::Sqlite));
    let server = TestServer::start_with(database, &["--idle-unload-secs", "1"]).await;
    let pid = server.pid().expect("a running server");
    // The runtime, the database pool and the first connection's buffers are not a board's.
    let first = board_of(&server, "Échauffement", IDLE_NOTES).await;
    drop(SyncClient::open(&server, &first).await);
    let mut boards = Vec::new();
    for i in 0..IDLE_BOARDS {
        boards.push(board_of(&server, &format!("Atelier {i}"), IDLE_NOTES).await);
    }
    // Boards are unloaded a second after their author left: wait, then measure from nothing.
    server.wait_until_no_board_is_open().await;
    let before = sample(pid).rss_kib;
    let mut clients = Vec::new();
    for board in &boards {
        clients.push(SyncClient::open(&server, board).await);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        server.metric("ardoise_open_boards").await,
        IDLE_BOARDS as f64
    );
    let after = sample(pid).rss_kib;
    drop(clients);
    IdleResult {
        boards: IDLE_BOARDS,
        notes: IDLE_NOTES,
        kib_per_board: after.saturating_sub(before) as f64 / IDLE_BOARDS as f64,
    }
}

struct RenderResult {
    wasm_gzip: u64,
    js_gzip: u64,
    first_paint_ms: f64,
    all_notes_ms: f64,
    live_ms: f64,
    /// Every page load's timings, as `first-render.mjs` printed them.
    runs: serde_json::Value,
    /// The server's answer to `GET /b/<id>`, whole.
    page_ms: f64,
}

/// The browser bundle's size, and a 1,000-post-it board opened in headless Chromium.
async fn render() -> RenderResult {
    let pkg = ardoise_tests::site_root().join("pkg");
    let size = |file: &str| {
        std::fs::metadata(pkg.join(file))
            .unwrap_or_else(|e| panic!("{}: {e} (run scripts/build.sh)", pkg.join(file).display()))
            .len()
    };
    let server = TestServer::start().await;
    let board = board_of(&server, "Mille post-its", JOIN_NOTES).await;
    let page_url = format!("{}/b/{board}", server.http_url());
    let mut page = Vec::new();
    for _ in 0..RENDER_SAMPLES {
        let started = Instant::now();
        let body = reqwest::get(&page_url)
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        page.push(started.elapsed());
        assert!(body.len() > JOIN_NOTES * 100, "the page holds the post-its");
    }
    let output = std::process::Command::new("node")
        .current_dir(ardoise_tests::workspace_root().join("end2end"))
        .args([
            "bench/first-render.mjs",
            &page_url,
            &JOIN_NOTES.to_string(),
            &RENDER_SAMPLES.to_string(),
        ])
        .output()
        .expect("run node (scripts/setup.sh --test installs it)");
    assert!(
        output.status.success(),
        "first-render.mjs failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("first-render.mjs prints JSON");
    let median = |key: &str| {
        let runs = json["runs"].as_array().expect("runs");
        bench::median_ms(
            runs.iter()
                .map(|r| Duration::from_secs_f64(r[key].as_f64().unwrap_or(f64::NAN) / 1000.0))
                .collect(),
        )
    };
    RenderResult {
        wasm_gzip: size("ardoise_bg.wasm.gz"),
        js_gzip: size("ardoise.js.gz"),
        first_paint_ms: median("first_contentful_paint_ms"),
        all_notes_ms: median("all_notes_ms"),
        live_ms: median("live_ms"),
        runs: json["runs"].clone(),
        page_ms: bench::median_ms(page),
    }
}

/// Frame intervals of one gesture: median, 95th percentile, share over the 60 fps budget.
struct Frames {
    median_ms: f64,
    p95_ms: f64,
    late_share: f64,
    count: usize,
}

/// The time between frames on a 500-post-it board while panning, zooming and dragging.
async fn canvas() -> Vec<(&'static str, Frames)> {
    let server = TestServer::start().await;
    let board = board_of(&server, "Canevas", CANVAS_NOTES).await;
    let output = std::process::Command::new("node")
        .current_dir(ardoise_tests::workspace_root().join("end2end"))
        .args([
            "bench/canvas.mjs",
            &format!("{}/b/{board}", server.http_url()),
            &CANVAS_NOTES.to_string(),
            &CANVAS_SAMPLES.to_string(),
        ])
        .output()
        .expect("run node (scripts/setup.sh --test installs it)");
    assert!(
        output.status.success(),
        "canvas.mjs failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("canvas.mjs prints JSON");
    ["pan", "zoom", "drag"]
        .into_iter()
        .map(|gesture| {
            let mut frames: Vec<Duration> = json[gesture]
                .as_array()
                .expect("frame intervals")
                .iter()
                .filter_map(|f| f.as_f64())
                .map(|ms| Duration::from_secs_f64(ms / 1000.0))
                .collect();
            frames.sort();
            let late = frames
                .iter()
                .filter(|f| f.as_secs_f64() * 1000.0 > FRAME_BUDGET_MS * 1.5)
                .count();
            let result = Frames {
                median_ms: bench::percentile_ms(&frames, 0.5),
                p95_ms: bench::percentile_ms(&frames, 0.95),
                late_share: late as f64 / frames.len().max(1) as f64,
                count: frames.len(),
            };
            (gesture, result)
        })
        .collect()
}

#[tokio::main]
async fn main() {
    let mut scenarios: Vec<String> = std::env::args().skip(1).collect();
    if scenarios.is_empty() {
        scenarios = [
            "propagation",
            "boards",
            "instances",
            "join",
            "idle",
            "render",
            "canvas",
        ]
        .map(String::from)
        .to_vec();
    }
    let mut results = Vec::new();
    let mut json = serde_json::Map::new();
    for scenario in &scenarios {
        let (scenario, clients) = match scenario.split_once(':') {
            Some((name, n)) => (name, n.parse().ok().map(|n| vec![n])),
            None => (scenario.as_str(), None),
        };
        match scenario {
            "propagation" => {
                for clients in clients.unwrap_or(vec![10, 50, 200]) {
                    let name = format!("propagation {clients}");
                    results.push(load(&name, Servers::One(Db::Sqlite), 1, clients, 20.0).await);
                }
            }
            "boards" => {
                let servers = Servers::One(Db::Sqlite);
                results.push(load("100 boards × 10", servers, 100, 10, 2.0).await);
            }
            "instances" => {
                let one = Servers::One(Db::Postgres);
                results.push(load("PostgreSQL, 1 server", one, 1, 50, 20.0).await);
                results.push(load("PostgreSQL, 2 servers", Servers::Two, 1, 50, 20.0).await);
            }
            "join" => {
                let j = join().await;
                let [warm_received, warm_held, cold_received, cold_held] =
                    [j.warm_received, j.warm_held, j.cold_received, j.cold_held]
                        .map(bench::median_ms);
                println!(
                    "join of a {JOIN_NOTES}-post-it board (medians of {JOIN_SAMPLES_WARM} and {JOIN_SAMPLES_COLD}): \
                     board received {warm_received:.1} ms warm, {cold_received:.1} ms after a restart; \
                     held by the client {warm_held:.1} ms, {cold_held:.1} ms; {} bytes received",
                    j.bytes
                );
                json.insert(
                    "join".into(),
                    serde_json::json!({
                        "notes": JOIN_NOTES, "bytes": j.bytes,
                        "warm_received_ms": warm_received, "after_restart_received_ms": cold_received,
                        "warm_held_ms": warm_held, "after_restart_held_ms": cold_held,
                    }),
                );
            }
            "idle" => {
                let i = idle().await;
                println!(
                    "memory per open board ({} post-its, one idle client): {:.0} KiB ({} boards)",
                    i.notes, i.kib_per_board, i.boards
                );
                json.insert(
                    "idle".into(),
                    serde_json::json!({ "boards": i.boards, "notes_per_board": i.notes, "kib_per_board": i.kib_per_board }),
                );
            }
            "render" => {
                let r = render().await;
                println!(
                    "browser: bundle {} B wasm + {} B JS (gzip); {JOIN_NOTES}-post-it board (medians of {RENDER_SAMPLES}): page served in {:.0} ms, first paint {:.0} ms, every post-it {:.0} ms, live {:.0} ms",
                    r.wasm_gzip, r.js_gzip, r.page_ms, r.first_paint_ms, r.all_notes_ms, r.live_ms
                );
                json.insert(
                    "browser".into(),
                    serde_json::json!({
                        "wasm_gzip_bytes": r.wasm_gzip, "js_gzip_bytes": r.js_gzip, "notes": JOIN_NOTES, "page_ms": r.page_ms,
                        "first_contentful_paint_ms": r.first_paint_ms, "all_notes_ms": r.all_notes_ms, "live_ms": r.live_ms,
                        "runs": r.runs,
                    }),
                );
            }
            "canvas" => {
                let mut canvas_json = serde_json::Map::new();
                for (gesture, f) in canvas().await {
                    println!(
                        "canvas, {CANVAS_NOTES} post-its, {gesture}: frame interval median {:.1} ms, p95 {:.1} ms, {:.0}% of {} frames late (> 1.5 × 16.7 ms)",
                        f.median_ms, f.p95_ms, f.late_share * 100.0, f.count
                    );
                    canvas_json.insert(
                        gesture.into(),
                        serde_json::json!({
                            "median_ms": f.median_ms, "p95_ms": f.p95_ms,
                            "late_share": f.late_share, "frames": f.count,
                        }),
                    );
                }
                json.insert("canvas".into(), canvas_json.into());
            }
            other => {
                eprintln!(
                    "unknown scenario {other:?}: propagation, boards, instances, join, idle, render or canvas"
                );
                std::process::exit(2);
            }
        }
    }
    if !results.is_empty() {
        println!(
            "{:<22} {:>8} {:>8} {:>8} {:>8} {:>9} {:>10} {:>9} {:>9} {:>9} {:>8}",
            "scenario",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "delivered",
            "CPU %core",
            "RSS MiB",
            "peak MiB",
            "write ms",
            "writes/ch"
        );
        let mut rows = Vec::new();
        for r in &results {
            let (p50, p95, p99, max) = (
                bench::percentile_ms(&r.latencies, 0.5),
                bench::percentile_ms(&r.latencies, 0.95),
                bench::percentile_ms(&r.latencies, 0.99),
                bench::percentile_ms(&r.latencies, 1.0),
            );
            println!(
                "{:<22} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.1}% {:>10.1} {:>9.1} {:>9.1} {:>9.2} {:>8.2}",
                r.name,
                p50,
                p95,
                p99,
                max,
                r.delivered * 100.0,
                r.cpu_percent,
                r.rss_mib,
                r.peak_rss_mib,
                r.storage_write_ms,
                r.writes_per_change
            );
            rows.push(serde_json::json!({
                "scenario": r.name, "boards": r.boards, "clients_per_board": r.clients,
                "changes_per_second_per_board": r.rate, "p50_ms": p50, "p95_ms": p95, "p99_ms": p99,
                "max_ms": max, "delivered": r.delivered, "server_cpu_percent_of_one_core": r.cpu_percent,
                "server_rss_mib": r.rss_mib, "server_peak_rss_mib": r.peak_rss_mib,
                "storage_write_mean_ms": r.storage_write_ms, "writes_per_change": r.writes_per_change,
            }));
        }
        json.insert("load".into(), rows.into());
    }
    bench::write_json("load", &json.into());
}
