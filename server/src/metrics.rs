//! Counters for `/metrics`, in the Prometheus text format: open boards, connected peers, changes
//! applied, messages relayed, and histograms of storage write and relay latency. Plain atomics:
//! recording costs a few nanoseconds on the hot path.

use std::{
    fmt::Write,
    sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed},
    time::Duration,
};

/// Upper bounds of the histogram buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// A latency histogram with fixed buckets.
#[derive(Default)]
pub struct Histogram {
    counts: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Histogram {
    pub fn record(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        if let Some(bucket) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            self.counts[bucket].fetch_add(1, Relaxed);
        }
        self.count.fetch_add(1, Relaxed);
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        self.sum_micros.fetch_add(micros, Relaxed);
    }

    fn render(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        let mut cumulative = 0;
        for (bound, count) in BUCKETS.iter().zip(&self.counts) {
            cumulative += count.load(Relaxed);
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {cumulative}");
        }
        let count = self.count.load(Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let sum = self.sum_micros.load(Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{name}_sum {sum}\n{name}_count {count}");
    }
}

/// Everything `/metrics` reports but the number of open boards, which the registry knows.
#[derive(Default)]
pub struct Metrics {
    pub connections: AtomicI64,
    pub changes_applied: AtomicU64,
    /// Sync messages refused because the peer's role does not allow what they change.
    pub changes_refused: AtomicU64,
    pub messages_relayed: AtomicU64,
    pub storage_writes: Histogram,
    /// From the first event of a batch to the moment its changes are queued for every peer.
    pub relay: Histogram,
}

impl Metrics {
    pub fn render(&self, open_boards: usize) -> String {
        let mut out = String::new();
        let mut gauge = |name: &str, kind: &str, help: &str, value: String| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
            );
        };
        gauge(
            "ardoise_open_boards",
            "gauge",
            "Boards loaded in memory.",
            open_boards.to_string(),
        );
        gauge(
            "ardoise_connected_peers",
            "gauge",
            "Open sync websockets.",
            self.connections.load(Relaxed).to_string(),
        );
        gauge(
            "ardoise_changes_applied_total",
            "counter",
            "Sync messages from peers that changed a board.",
            self.changes_applied.load(Relaxed).to_string(),
        );
        gauge(
            "ardoise_changes_refused_total",
            "counter",
            "Sync messages refused: their changes were beyond the rights of the peer's link.",
            self.changes_refused.load(Relaxed).to_string(),
        );
        gauge(
            "ardoise_messages_relayed_total",
            "counter",
            "Messages queued for peers.",
            self.messages_relayed.load(Relaxed).to_string(),
        );
        self.storage_writes.render(
            &mut out,
            "ardoise_storage_write_seconds",
            "Time to append a batch of changes to the database.",
        );
        self.relay.render(
            &mut out,
            "ardoise_relay_seconds",
            "Time from a peer's change reaching its board to its relay to the other peers.",
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative_and_counters_are_rendered() {
        let metrics = Metrics::default();
        metrics.changes_applied.fetch_add(3, Relaxed);
        metrics.relay.record(Duration::from_micros(300));
        metrics.relay.record(Duration::from_millis(20));
        metrics.relay.record(Duration::from_secs(10));
        let text = metrics.render(2);
        assert!(text.contains("ardoise_open_boards 2\n"));
        assert!(text.contains("ardoise_changes_applied_total 3\n"));
        assert!(text.contains("ardoise_relay_seconds_bucket{le=\"0.0005\"} 1\n"));
        assert!(text.contains("ardoise_relay_seconds_bucket{le=\"0.025\"} 2\n"));
        assert!(text.contains("ardoise_relay_seconds_bucket{le=\"+Inf\"} 3\n"));
        assert!(text.contains("ardoise_relay_seconds_count 3\n"));
    }
}
