//! One loop per fabric: a pass at its interval (with jitter, so fabrics do not run in
//! lockstep), never two at once (passes share `Daemon::start_pass`'s single flight with API
//! requests), and exponential backoff after failures that retrying can mend (a timeout, an
//! unreachable remote). A failure that needs a person (a bad token, a refused plan: its code
//! says `retry: false`, see `hedgehog_sync::codes`) waits for the next interval instead of
//! hammering the remote or the log.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;

use super::state::{Daemon, FabricEntry, lock};

/// First retry after a failure; doubled per further failure, capped at the interval.
const FIRST_RETRY: Duration = Duration::from_secs(5);

/// Runs passes of `entry` until `shutdown` turns true. The first pass starts at once.
pub async fn run(
    daemon: Arc<Daemon>,
    entry: Arc<FabricEntry>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut delay = Duration::ZERO;
    loop {
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
        if daemon.start_pass(&entry, "scheduled").is_none() {
            // The fabric's Lease is lost; the coordinator stops this loop too.
            return;
        }
        if !finished(&entry, &mut shutdown).await {
            return;
        }
        let failures = {
            let status = lock(&entry.status);
            backoff_failures(
                status.last_error.as_ref().map(|e| e.code.as_str()),
                status.failures,
            )
        };
        delay = next_delay(entry.spec.interval, failures, jitter_fraction());
        tracing::debug!(fabric = %entry.fabric.name(), ?delay, failures, "next scheduled pass");
    }
}

/// The failures to back off for: none when the last error's code says retrying cannot help
/// (it is waited out like a success); an unknown code is taken as retryable.
fn backoff_failures(last_code: Option<&str>, failures: u32) -> u32 {
    let retryable = last_code
        .is_some_and(|code| hedgehog_sync::codes::ErrorCode::lookup(code).is_none_or(|c| c.retry));
    if retryable { failures } else { 0 }
}

/// Waits until no pass of `entry` runs; `false` on shutdown.
async fn finished(entry: &FabricEntry, shutdown: &mut watch::Receiver<bool>) -> bool {
    loop {
        let notified = entry.wake.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if lock(&entry.status).running.is_none() {
            return true;
        }
        tokio::select! {
            () = notified => {}
            _ = shutdown.changed() => return false,
        }
    }
}

/// The wait before the next pass: the interval ±10 % after a success, exponential backoff
/// (5 s, 10 s, 20 s, …, at most the interval) after failures.
/// Never panics, whatever the interval (integer arithmetic on milliseconds, saturating).
fn next_delay(interval: Duration, failures: u32, jitter: f64) -> Duration {
    if failures == 0 {
        // 900‰ to 1100‰ of the interval.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // in [900, 1100]
        let per_mille = (900.0 + 200.0 * jitter.clamp(0.0, 1.0)).round() as u128;
        let ms = interval.as_millis().saturating_mul(per_mille) / 1000;
        Duration::from_millis(u64::try_from(ms).unwrap_or(u64::MAX))
    } else {
        let factor = 2u32.saturating_pow(failures.saturating_sub(1).min(16));
        FIRST_RETRY.saturating_mul(factor).min(interval)
    }
}

/// A number in [0, 1) that differs between calls and processes (no need for a random
/// number generator: it only spreads passes out).
fn jitter_fraction() -> f64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    f64::from(nanos % 1000) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_failures_retrying_can_mend_back_off() {
        assert_eq!(backoff_failures(Some("git.timeout"), 3), 3);
        assert_eq!(backoff_failures(Some("kube.connect"), 2), 2);
        assert_eq!(backoff_failures(Some("git.auth"), 3), 0);
        assert_eq!(backoff_failures(Some("plan.mass-deletion"), 3), 0);
        assert_eq!(backoff_failures(Some("something.new"), 1), 1);
        assert_eq!(backoff_failures(None, 0), 0);
        let interval = Duration::from_secs(300);
        assert_eq!(
            next_delay(interval, backoff_failures(Some("git.auth"), 4), 0.5),
            interval
        );
    }

    #[test]
    fn delays_jitter_around_the_interval_and_back_off_after_failures() {
        let interval = Duration::from_secs(300);
        assert_eq!(next_delay(interval, 0, 0.0), Duration::from_secs(270));
        assert_eq!(next_delay(interval, 0, 1.0), Duration::from_secs(330));
        let backoff: Vec<u64> = (1..=8)
            .map(|n| next_delay(interval, n, 0.5).as_secs())
            .collect();
        assert_eq!(backoff, [5, 10, 20, 40, 80, 160, 300, 300]);
        assert_eq!(next_delay(interval, u32::MAX, 0.5), interval);
    }

    /// A huge interval (as a configuration could once give) panicked the scheduler task.
    #[test]
    fn no_interval_makes_the_delay_panic() {
        for interval in [
            Duration::MAX,
            Duration::from_secs(u64::MAX / 2),
            Duration::ZERO,
        ] {
            for jitter in [0.0, 0.5, 1.0] {
                assert!(next_delay(interval, 0, jitter) <= interval.saturating_mul(2));
                assert!(next_delay(interval, 3, jitter) <= interval);
            }
        }
    }
}
