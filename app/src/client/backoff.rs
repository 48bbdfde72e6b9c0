//! When to try connecting again after a connection failed: exponential backoff with jitter.

/// First wait before reconnecting; doubles at each failed attempt.
pub const RECONNECT_BASE_DELAY_MS: f64 = 500.0;
/// Longest wait between two reconnection attempts.
pub const RECONNECT_MAX_DELAY_MS: f64 = 15_000.0;
/// Doublings at most (beyond, the wait stays at its ceiling).
const MAX_DOUBLINGS: u32 = 10;

/// Failed connection attempts since the last success.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Backoff {
    failed_attempts: u32,
}

impl Backoff {
    /// An attempt failed: how long to wait before the next, given a random number in `[0, 1)`.
    /// Between half and all of `base × 2^failures`, at most [`RECONNECT_MAX_DELAY_MS`]: the jitter
    /// keeps thirty laptops on the same wifi from reconnecting in lockstep.
    pub fn failed(&mut self, random: f64) -> f64 {
        let exponent = self.failed_attempts.min(MAX_DOUBLINGS) as i32;
        self.failed_attempts = self.failed_attempts.saturating_add(1);
        let ceiling = (RECONNECT_BASE_DELAY_MS * 2f64.powi(exponent)).min(RECONNECT_MAX_DELAY_MS);
        ceiling * (0.5 + random.clamp(0.0, 1.0) / 2.0)
    }

    /// The connection works (or the network came back): the next failure waits the least.
    pub fn reset(&mut self) {
        self.failed_attempts = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_a_ceiling_with_jitter_and_reset_on_success() {
        let mut backoff = Backoff::default();
        let waits: Vec<f64> = (0..8).map(|_| backoff.failed(1.0)).collect();
        assert_eq!(
            waits,
            [500.0, 1_000.0, 2_000.0, 4_000.0, 8_000.0, 15_000.0, 15_000.0, 15_000.0]
        );
        assert_eq!(backoff.failed(0.0), RECONNECT_MAX_DELAY_MS / 2.0);
        for _ in 0..100 {
            backoff.failed(0.5);
        }
        assert_eq!(backoff.failed(1.0), RECONNECT_MAX_DELAY_MS, "no overflow");
        backoff.reset();
        assert_eq!(backoff.failed(0.0), RECONNECT_BASE_DELAY_MS / 2.0);
    }
}
