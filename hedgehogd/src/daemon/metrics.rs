//! `/metrics`: pass durations (histogram), pass results, drift counts by state, watch readiness
//! and lag, HTTP requests. Encoded by `prometheus-client` (types, label escaping): OpenMetrics
//! text when the scraper asks for it (`Accept: application/openmetrics-text`, as Prometheus
//! does), the Prometheus text format 0.0.4 otherwise.

use prometheus_client::encoding::{EncodeLabelSet, prometheus_text, text};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};
use std::sync::atomic::AtomicU64;

use hedgehog_sync::drift::State;

use super::state::{Daemon, FabricState, lock, now_ms};

/// Upper bounds (seconds) of the pass-duration histogram.
const BUCKETS: [f64; 10] = [0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0];

/// The `Content-Type` of OpenMetrics text.
pub const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The `Content-Type` of the Prometheus text format 0.0.4.
pub const PROMETHEUS_TEXT: &str = prometheus_text::CONTENT_TYPE;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FabricLabels {
    fabric: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PassLabels {
    fabric: String,
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DriftLabels {
    fabric: String,
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FailureLabels {
    fabric: String,
    code: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    fabric: String,
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    status: u16,
}

/// A gauge of seconds (fractions kept).
type Seconds = Gauge<f64, AtomicU64>;

fn pass_histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

/// Counters the daemon updates as it goes; gauges are read from its state when scraped.
#[derive(Debug)]
pub struct Metrics {
    pass_duration: Family<FabricLabels, Histogram>,
    passes: Family<PassLabels, Counter>,
    failures: Family<FailureLabels, Counter>,
    requests: Family<RequestLabels, Counter>,
    /// Lease renewals that succeeded (fabrics' and this replica's membership Lease).
    pub lease_renewals: Counter,
    /// Lease renewals that failed (the API server refused or did not answer).
    pub lease_renewal_failures: Counter,
    /// Fabrics this replica took over (acquired a Lease another replica held or left).
    pub takeovers: Counter,
    /// Fabrics whose Lease this replica lost or gave up (their work was fenced).
    pub leases_lost: Counter,
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics {
            pass_duration: Family::new_with_constructor(pass_histogram),
            passes: Family::default(),
            failures: Family::default(),
            requests: Family::default(),
            lease_renewals: Counter::default(),
            lease_renewal_failures: Counter::default(),
            takeovers: Counter::default(),
            leases_lost: Counter::default(),
        }
    }
}

impl Metrics {
    /// Records a finished pass.
    pub fn pass_finished(&self, fabric: &str, duration_ms: u64, ok: bool) {
        let labels = FabricLabels {
            fabric: fabric.to_owned(),
        };
        #[allow(clippy::cast_precision_loss)] // milliseconds of a pass fit an f64 exactly
        let seconds = duration_ms as f64 / 1000.0;
        self.pass_duration.get_or_create(&labels).observe(seconds);
        // Both results are shown from the first pass on, so a rate over either is defined.
        for result in ["success", "error"] {
            let counter = self.passes.get_or_create(&PassLabels {
                fabric: fabric.to_owned(),
                result,
            });
            if (result == "success") == ok {
                counter.inc();
            }
        }
    }

    /// Records a failed pass by its stable code.
    pub fn pass_failed(&self, fabric: &str, code: &'static str) {
        self.failures
            .get_or_create(&FailureLabels {
                fabric: fabric.to_owned(),
                code,
            })
            .inc();
    }

    /// Records an answered request by route template and status.
    pub fn request(&self, route: &str, status: u16) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                status,
            })
            .inc();
    }
}

/// The exposition: OpenMetrics text when `openmetrics`, else the Prometheus text format.
pub fn render(daemon: &Daemon, openmetrics: bool) -> String {
    let registry = registry(daemon);
    let mut out = String::new();
    let encoded = if openmetrics {
        text::encode(&mut out, &registry)
    } else {
        prometheus_text::encode(&mut out, &registry)
    };
    // Writing to a String cannot fail; label and metric encoders here return no errors.
    debug_assert!(encoded.is_ok(), "encoding metrics into a String failed");
    out
}

/// Whether an `Accept` header asks for OpenMetrics text.
pub fn wants_openmetrics(accept: &str) -> bool {
    accept.split(',').any(|range| {
        range.split(';').next().is_some_and(|t| {
            t.trim()
                .eq_ignore_ascii_case("application/openmetrics-text")
        })
    })
}

/// A registry for one scrape: the daemon's counters and the gauges read from its state now.
fn registry(daemon: &Daemon) -> Registry {
    let m = &daemon.metrics;
    let drift = Family::<DriftLabels, Gauge>::default();
    let watch_ready = Family::<FabricLabels, Gauge>::default();
    let watch_lag = Family::<FabricLabels, Seconds>::default();
    let relists = Family::<FabricLabels, Counter>::default();
    let last_sync = Family::<FabricLabels, Seconds>::default();
    let fabric_state = Family::<StateLabels, Gauge>::default();
    let unread = Family::<FabricLabels, Gauge>::default();
    let owned = Gauge::<i64>::default();
    for (name, entry) in &daemon.fabrics {
        if entry.gate.coordinated() && entry.gate.permits() {
            owned.inc();
        }
        let current = lock(&entry.status).state();
        for state in FabricState::ALL {
            let labels = StateLabels {
                fabric: name.clone(),
                state: state.as_str(),
            };
            fabric_state
                .get_or_create(&labels)
                .set(i64::from(state == current));
        }
        let fabric = FabricLabels {
            fabric: name.clone(),
        };
        if let Some(summary) = entry.fabric.drift_summary() {
            unread
                .get_or_create(&fabric)
                .set(i64::try_from(summary.unread_kinds.len()).unwrap_or(i64::MAX));
            for state in State::ALL {
                let labels = DriftLabels {
                    fabric: name.clone(),
                    state: state.as_str(),
                };
                let n = summary.counts.get(state);
                drift
                    .get_or_create(&labels)
                    .set(i64::try_from(n).unwrap_or(i64::MAX));
            }
        }
        if let Some(w) = entry.fabric.watch_status() {
            watch_ready.get_or_create(&fabric).set(i64::from(w.ready));
            if let Some(last) = w.last_event_unix_ms {
                #[allow(clippy::cast_precision_loss)] // a lag in milliseconds fits an f64
                let lag = now_ms().saturating_sub(last) as f64 / 1000.0;
                watch_lag.get_or_create(&fabric).set(lag);
            }
            relists.get_or_create(&fabric).inc_by(w.relists);
        }
        if let Some(s) = &lock(&entry.status).last_sync {
            #[allow(clippy::cast_precision_loss)] // Unix seconds fit an f64
            let at = s.finished_unix_ms as f64 / 1000.0;
            last_sync.get_or_create(&fabric).set(at);
        }
    }

    let mut r = Registry::default();
    r.register_with_unit(
        "hedgehogd_sync_pass_duration",
        "Duration of sync passes",
        Unit::Seconds,
        m.pass_duration.clone(),
    );
    r.register(
        "hedgehogd_sync_passes",
        "Finished sync passes by result",
        m.passes.clone(),
    );
    r.register(
        "hedgehogd_sync_pass_failures",
        "Failed sync passes by stable error code",
        m.failures.clone(),
    );
    r.register(
        "hedgehogd_fabric_state",
        "How each fabric stands after its last pass (1 for the current state)",
        fabric_state,
    );
    r.register(
        "hedgehogd_drift_objects",
        "Objects by drift state (current drift)",
        drift,
    );
    r.register(
        "hedgehogd_drift_unread_kinds",
        "Kinds the cluster could not be read for (their objects are unknown)",
        unread,
    );
    r.register(
        "hedgehogd_watch_ready",
        "Whether the cluster watch has listed every kind",
        watch_ready,
    );
    r.register(
        "hedgehogd_watch_seconds_since_last_event",
        "Watch lag: time since the last watch event",
        watch_lag,
    );
    r.register(
        "hedgehogd_watch_relists",
        "Relists after the first (410 Gone, reconnects)",
        relists,
    );
    r.register_with_unit(
        "hedgehogd_last_successful_sync_timestamp",
        "When the last pass succeeded (Unix time)",
        Unit::Seconds,
        last_sync,
    );
    register_coordination(&mut r, m, owned);
    r.register(
        "hedgehogd_http_requests",
        "Answered HTTP requests by route and status",
        m.requests.clone(),
    );
    r
}

/// The series of a replica among several: fabrics owned now, Lease renewals and failures,
/// takeovers and losses.
fn register_coordination(r: &mut Registry, m: &Metrics, owned: Gauge) {
    r.register(
        "hedgehogd_fabrics_owned",
        "Fabrics whose Lease this replica holds (0 without coordination)",
        owned,
    );
    r.register(
        "hedgehogd_lease_renewals",
        "Lease renewals that succeeded",
        m.lease_renewals.clone(),
    );
    r.register(
        "hedgehogd_lease_renewal_failures",
        "Lease renewals that failed",
        m.lease_renewal_failures.clone(),
    );
    r.register(
        "hedgehogd_lease_takeovers",
        "Fabrics this replica acquired",
        m.takeovers.clone(),
    );
    r.register(
        "hedgehogd_leases_lost",
        "Fabrics whose Lease this replica lost or released (their work was stopped)",
        m.leases_lost.clone(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Label values are escaped (`\`, `"`, newline) in both formats, so a hostile name cannot
    /// break a line or forge a series; types and units are declared.
    #[test]
    fn label_values_are_escaped_and_types_declared() {
        let daemon = Daemon::new(Vec::new(), None);
        let hostile = "lab\"} 1\nforged_total{x=\"\\";
        daemon.metrics.pass_finished(hostile, 1500, true);
        daemon.metrics.request("/v1/x\"\\", 200);
        let escaped = r#"fabric="lab\"} 1\nforged_total{x=\"\\""#;
        for openmetrics in [false, true] {
            let text = render(&daemon, openmetrics);
            assert!(!text.contains("\nforged_total"), "{text}");
            assert!(
                text.contains(&format!(
                    "hedgehogd_sync_passes_total{{{escaped},result=\"success\"}} 1\n"
                )),
                "{text}"
            );
            // The label order of histogram buckets differs between the formats.
            let bucket = text.lines().find(|l| {
                l.starts_with("hedgehogd_sync_pass_duration_seconds_bucket{")
                    && l.contains(escaped)
                    && l.contains("le=\"2.5\"")
            });
            assert!(bucket.is_some_and(|l| l.ends_with("} 1")), "{text}");
            assert!(
                text.contains(
                    "hedgehogd_http_requests_total{route=\"/v1/x\\\"\\\\\",status=\"200\"} 1\n"
                ),
                "{text}"
            );
            assert!(
                text.contains("# TYPE hedgehogd_sync_pass_duration_seconds histogram\n"),
                "{text}"
            );
            assert_eq!(text.ends_with("# EOF\n"), openmetrics, "{text}");
        }
        let openmetrics = render(&daemon, true);
        assert!(openmetrics.contains("# TYPE hedgehogd_sync_passes counter\n"));
        assert!(openmetrics.contains("# UNIT hedgehogd_sync_pass_duration_seconds seconds\n"));
    }

    #[test]
    fn openmetrics_is_served_to_scrapers_that_ask_for_it() {
        let prometheus = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
        assert!(wants_openmetrics(prometheus));
        assert!(wants_openmetrics("Application/OpenMetrics-Text"));
        assert!(!wants_openmetrics("text/plain"));
        assert!(!wants_openmetrics("*/*"));
    }
}
