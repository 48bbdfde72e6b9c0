//! `ardoise-load`: a load generator that speaks Ardoise's sync protocol to the real `ardoise`
//! binary on loopback (started on a fresh SQLite file, like the integration tests) and measures:
//!
//! - `propagation`: N clients on one board (N = 10, 50, 200), one writer moving a post-it at
//!   20 changes/s for 10 s after a 2 s warm-up; latency from the writer's change to each other
//!   client's receipt, the share of changes delivered, the server's CPU time and peak RSS;
//! - `boards`: 100 boards with 10 clients each, one writer per board at 2 changes/s;
//! - `join`: a new client joining a board of 1,000 post-its, warm (board in memory) and after a
//!   server restart: time until it holds the whole board, and bytes received.
//!
//! `cargo run --release -p ardoise-tests --bin ardoise-load [propagation|boards|join]...`
//! (all three by default; `scripts/build.sh` first). Prints a table and writes
//! `bench/load.json` under cargo's target directory. The clients run in this process, on the
//! same machine as the server: on 2 cores they compete with it for CPU, which inflates latency.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use app::{
    ids::NoteId,
    model::{Colour, NewNote},
};
use ardoise_tests::{bench, SyncClient, TestServer};

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

/// When each change of one writer was made: index = the post-it's x coordinate it set.
type SendTimes = Arc<Mutex<Vec<Option<Instant>>>>;

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
}

/// `boards` boards with `clients` clients each; on each, one writer moves a post-it `rate` times
/// a second; every other client records when it sees each move.
async fn load(name: &str, boards: usize, clients: usize, rate: f64) -> LoadResult {
    let server = TestServer::start().await;
    let pid = server.pid().expect("a running server");
    let period = Duration::from_secs_f64(1.0 / rate);
    let warm_up_changes = (WARM_UP.as_secs_f64() * rate) as usize;
    let total_changes = warm_up_changes + (MEASURED.as_secs_f64() * rate) as usize;

    let mut listeners = Vec::new();
    let mut writers = Vec::new();
    for _ in 0..boards {
        let board = server.create_board("Charge").await;
        let mut writer = SyncClient::open(&server, &board).await;
        let note_id: NoteId = writer.edit(|b| b.add_note(note(0))).await;
        let sent: SendTimes = Arc::new(Mutex::new(vec![None; total_changes + 1]));
        for _ in 1..clients {
            let mut client = SyncClient::open(&server, &board).await;
            client
                .wait_until("the receiver has the post-it", |v| {
                    v.note(&note_id).is_some()
                })
                .await;
            listeners.push((client, note_id.clone(), sent.clone()));
        }
        writers.push((writer, note_id, sent));
    }

    // Everyone is connected: start listening, then writing.
    let receivers: Vec<_> = listeners
        .into_iter()
        .map(|(client, note_id, sent)| {
            tokio::spawn(receive(
                client,
                note_id,
                sent,
                warm_up_changes,
                total_changes,
            ))
        })
        .collect();
    let start = tokio::time::Instant::now() + Duration::from_millis(100);
    let measuring_from = start + WARM_UP;
    let mut writing = Vec::new();
    for (i, (mut writer, note_id, sent)) in writers.into_iter().enumerate() {
        // Spread the writers over one period so that boards do not all write at once.
        let offset = period.mul_f64(i as f64 / boards as f64);
        writing.push(tokio::spawn(async move {
            let mut ticks = tokio::time::interval_at(start + offset, period);
            for k in 1..=total_changes {
                ticks.tick().await;
                sent.lock().unwrap()[k] = Some(Instant::now());
                // The server's answers wait in the socket's buffers: a few KiB in all.
                writer.edit(|b| b.move_note(&note_id, k as f64, 40.0)).await;
            }
            writer
        }));
    }
    tokio::time::sleep_until(measuring_from).await;
    let before = sample(pid);
    let measured_started = Instant::now();
    let mut kept_writers = Vec::new();
    for writer in writing {
        kept_writers.push(writer.await.unwrap());
    }
    let measured = measured_started.elapsed();
    let after = sample(pid);

    let mut latencies = Vec::new();
    let mut received = 0usize;
    for receiver in receivers {
        let (seen, got) = receiver.await.unwrap();
        latencies.extend(seen);
        received += got;
    }
    latencies.sort();
    let expected = boards * (clients - 1) * (total_changes - warm_up_changes);
    drop(kept_writers);
    LoadResult {
        name: name.to_owned(),
        boards,
        clients,
        rate,
        latencies,
        delivered: received as f64 / expected as f64,
        cpu_percent: (after.cpu - before.cpu).as_secs_f64() / measured.as_secs_f64() * 100.0,
        peak_rss_mib: after.peak_rss_kib as f64 / 1024.0,
        rss_mib: after.rss_kib as f64 / 1024.0,
    }
}

/// Receives until it has seen the last change (or gives up after [`DRAIN`] past the window);
/// returns the latencies of the measured changes and how many of them it saw.
async fn receive(
    mut client: SyncClient,
    note_id: NoteId,
    sent: SendTimes,
    warm_up_changes: usize,
    total_changes: usize,
) -> (Vec<Duration>, usize) {
    let mut latencies = Vec::new();
    let mut last = 0usize;
    let deadline =
        tokio::time::Instant::now() + WARM_UP + MEASURED + DRAIN + Duration::from_secs(5);
    while last < total_changes {
        let Ok(Some(changed)) = tokio::time::timeout_at(deadline, client.receive()).await else {
            break;
        };
        if !changed {
            continue;
        }
        let now = Instant::now();
        let x = client.view().note(&note_id).map_or(0.0, |n| n.x) as usize;
        if x > last {
            let sent = sent.lock().unwrap();
            for k in (last + 1)..=x.min(total_changes) {
                if k > warm_up_changes {
                    if let Some(at) = sent[k] {
                        latencies.push(now - at);
                    }
                }
            }
            last = x;
        }
    }
    let seen = latencies.len();
    (latencies, seen)
}

struct JoinResult {
    warm_ms: f64,
    cold_ms: f64,
    bytes: usize,
}

/// A client joins a board of [`JOIN_NOTES`] post-its, in memory and after a restart.
async fn join() -> JoinResult {
    let mut server = TestServer::start().await;
    let board = server.create_board("Mille post-its").await;
    let mut author = SyncClient::open(&server, &board).await;
    for batch in 0..JOIN_NOTES / 50 {
        author
            .edit(|b| {
                for i in batch * 50..(batch + 1) * 50 {
                    b.add_note(note(i))?;
                }
                Ok(())
            })
            .await;
    }
    let holds_all = |v: &app::model::BoardView| v.notes.len() == JOIN_NOTES;
    let mut check = SyncClient::open(&server, &board).await;
    check
        .wait_until("the board holds every post-it", holds_all)
        .await;
    drop(check);

    let mut warm = Vec::new();
    let mut bytes = 0;
    for _ in 0..JOIN_SAMPLES_WARM {
        let started = Instant::now();
        let mut client = SyncClient::open(&server, &board).await;
        client
            .wait_until("the new client holds the board", holds_all)
            .await;
        warm.push(started.elapsed());
        bytes = client.received_bytes();
        client.close().await;
    }
    drop(author);
    let mut cold = Vec::new();
    for _ in 0..JOIN_SAMPLES_COLD {
        server.kill_and_restart().await;
        let started = Instant::now();
        let mut client = SyncClient::open(&server, &board).await;
        client
            .wait_until("the new client holds the board", holds_all)
            .await;
        cold.push(started.elapsed());
    }
    JoinResult {
        warm_ms: bench::median_ms(warm),
        cold_ms: bench::median_ms(cold),
        bytes,
    }
}

#[tokio::main]
async fn main() {
    let mut scenarios: Vec<String> = std::env::args().skip(1).collect();
    if scenarios.is_empty() {
        scenarios = vec!["propagation".into(), "boards".into(), "join".into()];
    }
    let mut results = Vec::new();
    let mut join_result = None;
    for scenario in &scenarios {
        match scenario.as_str() {
            "propagation" => {
                for clients in [10, 50, 200] {
                    results.push(load(&format!("propagation {clients}"), 1, clients, 20.0).await);
                }
            }
            "boards" => results.push(load("100 boards × 10", 100, 10, 2.0).await),
            "join" => join_result = Some(join().await),
            other => {
                eprintln!("unknown scenario {other:?}: propagation, boards or join");
                std::process::exit(2);
            }
        }
    }

    let mut json = serde_json::Map::new();
    if !results.is_empty() {
        println!(
            "{:<18} {:>8} {:>8} {:>8} {:>8} {:>9} {:>10} {:>9} {:>9}",
            "scenario",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "delivered",
            "CPU %core",
            "RSS MiB",
            "peak MiB"
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
                "{:<18} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.1}% {:>10.1} {:>9.1} {:>9.1}",
                r.name,
                p50,
                p95,
                p99,
                max,
                r.delivered * 100.0,
                r.cpu_percent,
                r.rss_mib,
                r.peak_rss_mib
            );
            rows.push(serde_json::json!({
                "scenario": r.name, "boards": r.boards, "clients_per_board": r.clients,
                "changes_per_second_per_board": r.rate, "p50_ms": p50, "p95_ms": p95, "p99_ms": p99,
                "max_ms": max, "delivered": r.delivered, "server_cpu_percent_of_one_core": r.cpu_percent,
                "server_rss_mib": r.rss_mib, "server_peak_rss_mib": r.peak_rss_mib,
            }));
        }
        json.insert("load".into(), rows.into());
    }
    if let Some(j) = join_result {
        println!(
            "join of a {JOIN_NOTES}-post-it board: {:.1} ms warm, {:.1} ms after a restart (medians of {JOIN_SAMPLES_WARM} and {JOIN_SAMPLES_COLD}), {} bytes received",
            j.warm_ms, j.cold_ms, j.bytes
        );
        json.insert(
            "join".into(),
            serde_json::json!({ "notes": JOIN_NOTES, "warm_ms": j.warm_ms, "after_restart_ms": j.cold_ms, "bytes": j.bytes }),
        );
    }
    bench::write_json("load", &json.into());
}
