//! What the benchmarks (`benches/storage.rs`, the `ardoise-load` binary) share.

use std::{path::PathBuf, time::Duration};

/// The `p` quantile (0 to 1) of sorted samples, in milliseconds; NaN when there are none.
pub fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

/// The median of samples, in milliseconds.
pub fn median_ms(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    percentile_ms(&samples, 0.5)
}

/// Writes a benchmark's results as `bench/<name>.json` under cargo's target directory and
/// says where.
pub fn write_json(name: &str, results: &serde_json::Value) -> PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    let dir = PathBuf::from(target).join("bench");
    std::fs::create_dir_all(&dir).expect("create the bench directory");
    let path = dir.join(format!("{name}.json"));
    let bytes = serde_json::to_vec_pretty(results).expect("JSON");
    std::fs::write(&path, bytes).expect("write the results");
    println!("written to {}", path.display());
    path
}
