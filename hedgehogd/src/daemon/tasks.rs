//! The daemon's long-running tasks (a scheduler per fabric, the watch check) and what happens
//! when one dies: a task that ends before shutdown — by a panic or otherwise — is logged as an
//! error and recorded, and `/readyz` fails from then on. Nothing restarts it: a task that died
//! once would likely die again, and a failing readiness probe makes the orchestrator restart
//! the whole daemon, which rebuilds every task from the configuration.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::state::{Daemon, lock};

/// How often the fabrics' cluster watches are checked for dead parts.
const WATCH_CHECK: Duration = Duration::from_secs(5);

/// Tasks that died, by name, with why.
#[derive(Debug, Default)]
pub struct TaskHealth {
    dead: Mutex<BTreeMap<String, String>>,
}

impl TaskHealth {
    /// Records (and logs, the first time) that `task` died.
    pub fn died(&self, task: &str, reason: &str) {
        let mut dead = lock(&self.dead);
        if !dead.contains_key(task) {
            tracing::error!(
                task,
                reason,
                "a daemon task died; the daemon is no longer ready"
            );
            dead.insert(task.to_owned(), reason.to_owned());
        }
    }

    /// Every dead task as `"<task>: <reason>"`.
    pub fn dead(&self) -> Vec<String> {
        lock(&self.dead)
            .iter()
            .map(|(task, reason)| format!("{task}: {reason}"))
            .collect()
    }
}

/// Runs `work` as the task `name`; if it ends while `stopping` is still false, the death is
/// recorded in `daemon.tasks`. The returned handle ends when the task has ended.
pub fn supervise(
    daemon: &Arc<Daemon>,
    name: String,
    stopping: watch::Receiver<bool>,
    work: impl Future<Output = ()> + Send + 'static,
) -> JoinHandle<()> {
    let task = tokio::spawn(work);
    let daemon = daemon.clone();
    tokio::spawn(async move {
        let reason = match task.await {
            Ok(()) => "it returned".to_owned(),
            Err(e) if e.is_panic() => format!("it panicked: {}", panic_message(e.into_panic())),
            Err(e) => format!("it was stopped: {e}"),
        };
        if !*stopping.borrow() {
            daemon.tasks.died(&name, &reason);
        }
    })
}

/// Checks every fabric's cluster watch until shutdown; a watch with a dead part is recorded
/// as a dead task.
pub async fn check_watches(daemon: Arc<Daemon>, mut stopping: watch::Receiver<bool>) {
    loop {
        for (name, entry) in &daemon.fabrics {
            if let Some(reason) = entry.fabric.watch_failure() {
                daemon
                    .tasks
                    .died(&format!("cluster watch of fabric {name}"), &reason);
            }
        }
        tokio::select! {
            () = tokio::time::sleep(WATCH_CHECK) => {}
            _ = stopping.changed() => return,
        }
    }
}

/// What a panic said, as `std` prints it.
pub(crate) fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_owned())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// Log lines written while a test runs, for assertions.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            lock(&self.0).extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A task killed by an injected panic (a fault no real part shows once the configuration
    /// is checked) is logged and makes `/readyz` answer 503 over real TCP; a task that ends
    /// during shutdown is not a death.
    #[tokio::test]
    async fn a_dead_task_is_logged_and_fails_readiness() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let _log = tracing::subscriber::set_default(subscriber);
        let daemon = Arc::new(Daemon::new(Vec::new(), None));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app =
            super::super::api::router(daemon.clone(), &super::super::config::Config::empty(addr));
        tokio::spawn(async move { axum::serve(listener, app).await });
        let mut client = hedgehog_benches::daemon::Client::connect(addr)
            .await
            .unwrap();
        assert_eq!(client.get("/readyz", None).await.unwrap().status, 200);

        let (stop, stopping) = watch::channel(false);
        supervise(
            &daemon,
            "scheduler of fabric lab".into(),
            stopping.clone(),
            async {
                panic!("injected fault");
            },
        )
        .await
        .unwrap();
        let ready = client.get("/readyz", None).await.unwrap();
        assert_eq!(ready.status, 503, "{}", ready.text());
        let body = ready.json();
        assert_eq!(body["status"], "failed");
        assert_eq!(
            body["dead_tasks"][0],
            "scheduler of fabric lab: it panicked: injected fault"
        );
        let log = String::from_utf8(lock(&captured.0).clone()).unwrap();
        assert!(
            log.contains("ERROR")
                && log.contains("a daemon task died")
                && log.contains("injected fault"),
            "{log}"
        );

        stop.send(true).unwrap();
        supervise(&daemon, "shut down".into(), stopping, async {})
            .await
            .unwrap();
        assert_eq!(daemon.tasks.dead().len(), 1);
    }
}
