//! CPU work of the HTTP API (validation, rendering), bounded: at most one job per core runs
//! at a time, in arrival order; a bounded number of requests wait; beyond that the answer is
//! `503` with `Retry-After` — before the body is even read. A job whose request went away
//! (the client closed the connection, or the request timeout fired) is not started, and a
//! running one stops at its next checkpoint (between loading and validating).
//!
//! Why: every request used to start its own blocking task, so 64 concurrent validations on 2
//! cores shared them 64 ways and all finished late (p99 near 1 s, timeouts). Run one per
//! core, the rest waiting in order, each finishes in its own share of time.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::tasks::panic_message;

/// Requests that may wait per core, by default.
pub const DEFAULT_QUEUE_PER_CORE: usize = 32;

/// Why a job did not produce a result.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// The queue is full: answer 503 and let the client retry.
    Busy,
    /// The job was cancelled at a checkpoint (only seen by a caller that went away).
    Cancelled,
    /// The job panicked.
    Failed(String),
}

/// The limit, shared by all requests.
#[derive(Clone, Debug)]
pub struct CpuLimit {
    run: Arc<Semaphore>,
    admit: Arc<Semaphore>,
}

/// A place in the queue, held from before the body is read until the answer is made.
pub struct Admission(#[allow(dead_code)] OwnedSemaphorePermit);

/// Tells a running job whether its request is still wanted.
#[derive(Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// Whether the request went away; a job checks it between its steps.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Cancels the job when the request's future is dropped.
struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        (self.0).0.store(true, Ordering::Relaxed);
    }
}

impl CpuLimit {
    /// `workers` jobs at once, `queue` more waiting.
    pub fn new(workers: usize, queue: usize) -> CpuLimit {
        let workers = workers.max(1);
        CpuLimit {
            run: Arc::new(Semaphore::new(workers)),
            admit: Arc::new(Semaphore::new(workers.saturating_add(queue))),
        }
    }

    /// A place in the queue, or [`Refused::Busy`].
    pub fn admit(&self) -> Result<Admission, Refused> {
        self.admit
            .clone()
            .try_acquire_owned()
            .map(Admission)
            .map_err(|_| Refused::Busy)
    }

    /// Runs `job` on rayon's pool once a worker is free. Dropping the returned future
    /// before then means the job never starts; dropping it later cancels `job`'s [`Cancel`].
    ///
    /// Rayon's pool rather than tokio's blocking pool: validation splits its work with rayon,
    /// and called from a thread outside the pool every split is handed over to the pool and
    /// waited for — for a small fabric that hand-over cost more than the work (about a fifth
    /// of the daemon's CPU time went to switching threads). From a pool thread the splits run
    /// in place unless another thread is idle and steals them.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Cancel) -> Option<T> + Send + 'static,
    ) -> Result<T, Refused> {
        let permit = self
            .run
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| Refused::Failed(e.to_string()))?;
        let cancel = Cancel::default();
        let _cancel_on_drop = CancelOnDrop(cancel.clone());
        let (answer, answered) = tokio::sync::oneshot::channel();
        rayon::spawn(move || {
            // The worker stays taken until the job really ends, cancelled or not.
            let _permit = permit;
            let outcome = if cancel.is_cancelled() {
                Ok(None)
            } else {
                // A panic must not reach rayon, which would abort the process.
                std::panic::catch_unwind(AssertUnwindSafe(|| job(&cancel)))
            };
            let _ = answer.send(outcome);
        });
        match answered.await {
            Ok(Ok(Some(value))) => Ok(value),
            Ok(Ok(None)) => Err(Refused::Cancelled),
            Ok(Err(panic)) => Err(Refused::Failed(panic_message(panic))),
            Err(_) => Err(Refused::Failed("the job ended without an answer".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    /// One worker, one waiting place: the third request is refused; a waiting job whose
    /// request goes away never starts; a running one sees the cancellation.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn jobs_are_bounded_queued_and_cancelled() {
        let limit = CpuLimit::new(1, 1);
        let (release, released) = mpsc::channel::<()>();
        let (saw_cancel, cancel_seen) = mpsc::channel::<bool>();
        let first_admission = limit.admit().unwrap();
        let first = tokio::spawn({
            let limit = limit.clone();
            async move {
                let _a = first_admission;
                limit
                    .run(move |cancel| {
                        released.recv().unwrap();
                        std::thread::sleep(Duration::from_millis(50));
                        saw_cancel.send(cancel.is_cancelled()).unwrap();
                        Some(())
                    })
                    .await
            }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let started = Arc::new(AtomicBool::new(false));
        let second_admission = limit.admit().unwrap();
        assert_eq!(limit.admit().err(), Some(Refused::Busy));
        let second = tokio::spawn({
            let (limit, started) = (limit.clone(), started.clone());
            async move {
                let _a = second_admission;
                limit
                    .run(move |_| {
                        started.store(true, Ordering::Relaxed);
                        Some(())
                    })
                    .await
            }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        // Both requests go away: the waiting job must never start, the running one is told.
        second.abort();
        first.abort();
        tokio::time::sleep(Duration::from_millis(50)).await;
        release.send(()).unwrap();
        assert!(cancel_seen.recv_timeout(Duration::from_secs(5)).unwrap());
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(!started.load(Ordering::Relaxed));
        // Everything is free again.
        let admission = limit.admit().unwrap();
        assert_eq!(limit.run(|_| Some(7)).await, Ok(7));
        drop(admission);
    }

    /// A job that panics is a failed request; the process lives on (rayon aborts on a panic
    /// that reaches it) and the worker is free again.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_panicking_job_is_a_failure() {
        let limit = CpuLimit::new(1, 0);
        let failed = limit
            .run(|_| -> Option<()> { panic!("validation bug") })
            .await;
        assert_eq!(failed, Err(Refused::Failed("validation bug".into())));
        assert_eq!(limit.run(|_| Some(7)).await, Ok(7));
    }
}
