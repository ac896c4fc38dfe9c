//! `/metrics` in the Prometheus text format: pass durations (histogram), pass results,
//! drift counts by state, watch readiness and lag, HTTP requests.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

use hedgehog_sync::drift::State;

use super::state::{Daemon, FabricState, lock, now_ms};

/// Upper bounds (seconds) of the pass-duration histogram.
const BUCKETS: [f64; 10] = [0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0];

#[derive(Debug, Default)]
struct PassStats {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum_seconds: f64,
    ok: u64,
    failed: u64,
}

/// Counters the daemon updates as it goes; gauges are read from its state when scraped.
#[derive(Debug, Default)]
pub struct Metrics {
    passes: Mutex<BTreeMap<String, PassStats>>,
    failures: Mutex<BTreeMap<(String, &'static str), u64>>,
    requests: Mutex<BTreeMap<(String, u16), u64>>,
}

impl Metrics {
    /// Records a finished pass.
    pub fn pass_finished(&self, fabric: &str, duration_ms: u64, ok: bool) {
        let mut passes = lock(&self.passes);
        let stats = passes.entry(fabric.to_owned()).or_default();
        #[allow(clippy::cast_precision_loss)] // milliseconds of a pass fit an f64 exactly
        let seconds = duration_ms as f64 / 1000.0;
        for (bound, n) in BUCKETS.iter().zip(stats.buckets.iter_mut()) {
            if seconds <= *bound {
                *n += 1;
            }
        }
        stats.count += 1;
        stats.sum_seconds += seconds;
        if ok {
            stats.ok += 1;
        } else {
            stats.failed += 1;
        }
    }

    /// Records a failed pass by its stable code.
    pub fn pass_failed(&self, fabric: &str, code: &'static str) {
        *lock(&self.failures)
            .entry((fabric.to_owned(), code))
            .or_default() += 1;
    }

    /// Records an answered request by route template and status.
    pub fn request(&self, route: &str, status: u16) {
        *lock(&self.requests)
            .entry((route.to_owned(), status))
            .or_default() += 1;
    }
}

/// The exposition text.
pub fn render(daemon: &Daemon) -> String {
    let mut out = String::new();
    let passes = lock(&daemon.metrics.passes);
    out.push_str("# HELP hedgehogd_sync_pass_duration_seconds Duration of sync passes.\n");
    out.push_str("# TYPE hedgehogd_sync_pass_duration_seconds histogram\n");
    for (fabric, s) in passes.iter() {
        for (bound, n) in BUCKETS.iter().zip(s.buckets.iter()) {
            let _ = writeln!(
                out,
                "hedgehogd_sync_pass_duration_seconds_bucket{{fabric=\"{fabric}\",le=\"{bound}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "hedgehogd_sync_pass_duration_seconds_bucket{{fabric=\"{fabric}\",le=\"+Inf\"}} {}",
            s.count
        );
        let _ = writeln!(
            out,
            "hedgehogd_sync_pass_duration_seconds_sum{{fabric=\"{fabric}\"}} {}",
            s.sum_seconds
        );
        let _ = writeln!(
            out,
            "hedgehogd_sync_pass_duration_seconds_count{{fabric=\"{fabric}\"}} {}",
            s.count
        );
    }
    out.push_str("# HELP hedgehogd_sync_passes_total Finished sync passes by result.\n");
    out.push_str("# TYPE hedgehogd_sync_passes_total counter\n");
    for (fabric, s) in passes.iter() {
        let _ = writeln!(
            out,
            "hedgehogd_sync_passes_total{{fabric=\"{fabric}\",result=\"success\"}} {}",
            s.ok
        );
        let _ = writeln!(
            out,
            "hedgehogd_sync_passes_total{{fabric=\"{fabric}\",result=\"error\"}} {}",
            s.failed
        );
    }
    drop(passes);
    out.push_str(
        "# HELP hedgehogd_sync_pass_failures_total Failed sync passes by stable error code.\n",
    );
    out.push_str("# TYPE hedgehogd_sync_pass_failures_total counter\n");
    for ((fabric, code), n) in lock(&daemon.metrics.failures).iter() {
        let _ = writeln!(
            out,
            "hedgehogd_sync_pass_failures_total{{fabric=\"{fabric}\",code=\"{code}\"}} {n}"
        );
    }
    out.push_str("# HELP hedgehogd_fabric_state How each fabric stands after its last pass (1 for the current state).\n");
    out.push_str("# TYPE hedgehogd_fabric_state gauge\n");
    for (name, entry) in &daemon.fabrics {
        let current = lock(&entry.status).state();
        for state in FabricState::ALL {
            let _ = writeln!(
                out,
                "hedgehogd_fabric_state{{fabric=\"{name}\",state=\"{}\"}} {}",
                state.as_str(),
                u8::from(state == current)
            );
        }
    }

    out.push_str("# HELP hedgehogd_drift_objects Objects by drift state (current drift).\n");
    out.push_str("# TYPE hedgehogd_drift_objects gauge\n");
    let mut watch = String::new();
    let mut last_sync = String::new();
    let mut unread = String::new();
    for (name, entry) in &daemon.fabrics {
        if let Some(summary) = entry.fabric.drift_summary() {
            for state in State::ALL {
                let _ = writeln!(
                    out,
                    "hedgehogd_drift_objects{{fabric=\"{name}\",state=\"{}\"}} {}",
                    state.as_str(),
                    summary.counts.get(state)
                );
            }
            let _ = writeln!(
                unread,
                "hedgehogd_drift_unread_kinds{{fabric=\"{name}\"}} {}",
                summary.unread_kinds.len()
            );
        }
        if let Some(w) = entry.fabric.watch_status() {
            let _ = writeln!(
                watch,
                "hedgehogd_watch_ready{{fabric=\"{name}\"}} {}",
                u8::from(w.ready)
            );
            if let Some(last) = w.last_event_unix_ms {
                #[allow(clippy::cast_precision_loss)] // a lag in milliseconds fits an f64
                let lag = now_ms().saturating_sub(last) as f64 / 1000.0;
                let _ = writeln!(
                    watch,
                    "hedgehogd_watch_seconds_since_last_event{{fabric=\"{name}\"}} {lag}"
                );
            }
            let _ = writeln!(
                watch,
                "hedgehogd_watch_relists_total{{fabric=\"{name}\"}} {}",
                w.relists
            );
        }
        if let Some(s) = &lock(&entry.status).last_sync {
            #[allow(clippy::cast_precision_loss)] // Unix seconds fit an f64
            let at = s.finished_unix_ms as f64 / 1000.0;
            let _ = writeln!(
                last_sync,
                "hedgehogd_last_successful_sync_timestamp_seconds{{fabric=\"{name}\"}} {at}"
            );
        }
    }
    out.push_str("# HELP hedgehogd_drift_unread_kinds Kinds the cluster could not be read for (their objects are unknown).\n");
    out.push_str("# TYPE hedgehogd_drift_unread_kinds gauge\n");
    out.push_str(&unread);
    out.push_str("# HELP hedgehogd_watch_ready Whether the cluster watch has listed every kind.\n");
    out.push_str("# TYPE hedgehogd_watch_ready gauge\n");
    out.push_str("# HELP hedgehogd_watch_seconds_since_last_event Watch lag: time since the last watch event.\n");
    out.push_str("# TYPE hedgehogd_watch_seconds_since_last_event gauge\n");
    out.push_str(
        "# HELP hedgehogd_watch_relists_total Relists after the first (410 Gone, reconnects).\n",
    );
    out.push_str("# TYPE hedgehogd_watch_relists_total counter\n");
    out.push_str(&watch);
    out.push_str(
        "# HELP hedgehogd_last_successful_sync_timestamp_seconds When the last pass succeeded.\n",
    );
    out.push_str("# TYPE hedgehogd_last_successful_sync_timestamp_seconds gauge\n");
    out.push_str(&last_sync);

    out.push_str(
        "# HELP hedgehogd_http_requests_total Answered HTTP requests by route and status.\n",
    );
    out.push_str("# TYPE hedgehogd_http_requests_total counter\n");
    for ((route, status), n) in lock(&daemon.metrics.requests).iter() {
        let _ = writeln!(
            out,
            "hedgehogd_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
        );
    }
    out
}
