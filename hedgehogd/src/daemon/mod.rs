//! `hedgehogd serve`: the HTTP API, one scheduler per fabric, graceful shutdown.

pub mod api;
mod auth;
pub mod config;
pub mod coordination;
mod cpu;
pub mod demo;
mod metrics;
mod openapi;
mod reject;
mod scheduler;
pub mod state;
mod tasks;
mod ui;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use hedgehog_sync::fabric::Fabric;
use tokio::net::TcpListener;
use tokio::sync::watch;

use config::Config;
use state::{Daemon, lock};

/// How long shutdown waits for running passes.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// The daemon's fabrics, made from the configuration (no network access yet).
pub async fn daemon(config: &Config) -> anyhow::Result<Arc<Daemon>> {
    let mut fabrics = Vec::new();
    for spec in &config.fabrics {
        let fabric = Fabric::new(spec.settings.clone())
            .await
            .with_context(|| format!("fabric {}", spec.settings.name))?;
        fabrics.push((fabric, spec.clone()));
    }
    Ok(Arc::new(Daemon::new(fabrics, config.data_dir.as_deref())))
}

/// Serves the API on `listener` and schedules passes until `shutdown` resolves; then stops
/// accepting requests, lets running passes finish (up to 30 s) and returns.
pub async fn serve(
    config: &Config,
    daemon: Arc<Daemon>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (stop, stopped) = watch::channel(false);
    let coordinator = match &config.coordination {
        Some(c) => Some(
            coordination::Coordinator::new(
                c,
                listener.local_addr()?,
                daemon.clone(),
                stopped.clone(),
            )
            .await?,
        ),
        None => None,
    };
    let mut tasks = Vec::new();
    match &coordinator {
        // Schedulers start and stop with the fabrics' Leases.
        Some(c) => {
            for (name, work) in [
                ("coordination", tokio::spawn(c.clone().run())),
                ("lease deadlines", tokio::spawn(c.clone().watch_deadlines())),
            ] {
                tasks.push(tasks::supervise(
                    &daemon,
                    name.to_owned(),
                    stopped.clone(),
                    async move {
                        let _ = work.await;
                    },
                ));
            }
        }
        None => {
            for (name, entry) in &daemon.fabrics {
                tasks.push(tasks::supervise(
                    &daemon,
                    format!("scheduler of fabric {name}"),
                    stopped.clone(),
                    scheduler::run(daemon.clone(), entry.clone(), stopped.clone()),
                ));
            }
        }
    }
    tasks.push(tasks::supervise(
        &daemon,
        "watch check".to_owned(),
        stopped.clone(),
        tasks::check_watches(daemon.clone(), stopped.clone()),
    ));
    let app = api::router_with(daemon.clone(), config, coordinator.clone());
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .context("the HTTP server failed")?;
    tracing::info!("shutting down: waiting for running sync passes");
    let _ = stop.send(true);
    for task in tasks {
        let _ = task.await;
    }
    if !daemon.wait_idle(SHUTDOWN_GRACE).await {
        tracing::warn!("sync passes still running after {SHUTDOWN_GRACE:?}; stopping anyway");
    }
    if let Some(c) = coordinator {
        c.release_all().await;
    }
    Ok(())
}

/// Runs one pass of every fabric and returns the fabrics' outcomes as JSON and whether all
/// were in sync (`Some(true)`), some drifted (`Some(false)`) or any failed (`None`).
pub async fn once(daemon: &Arc<Daemon>) -> (serde_json::Value, Option<bool>) {
    for entry in daemon.fabrics.values() {
        let _ = daemon.start_pass(entry, "once");
    }
    daemon.wait_idle(Duration::MAX).await;
    let mut all_in_sync = Some(true);
    let mut out = serde_json::Map::new();
    for (name, entry) in &daemon.fabrics {
        let status = lock(&entry.status);
        let value = match (&status.last_error, entry.fabric.drift()) {
            (Some(error), _) => {
                all_in_sync = None;
                serde_json::json!({"error": error})
            }
            (None, Some(drift)) => {
                if drift.summary.status != hedgehog_sync::drift::Status::InSync {
                    all_in_sync = all_in_sync.map(|_| false);
                }
                serde_json::json!({"last_sync": status.last_sync, "drift": drift})
            }
            (None, None) => serde_json::Value::Null,
        };
        out.insert(name.clone(), value);
    }
    (serde_json::Value::Object(out), all_in_sync)
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
