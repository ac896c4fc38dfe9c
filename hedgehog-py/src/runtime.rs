//! The one Tokio runtime behind the synchronous API: Django views and NetBox jobs are
//! synchronous, so network calls block the caller — without holding the GIL, and without
//! ignoring Ctrl-C.

use hedgehog_sync::codes;
use std::future::Future;
use std::sync::OnceLock;
use std::sync::mpsc::{RecvTimeoutError, sync_channel};
use std::time::Duration;

use pyo3::prelude::*;
use tokio::runtime::Runtime;

use crate::errors::{HedgehogError, error};

/// How often a waiting call checks for signals (Ctrl-C raises `KeyboardInterrupt`).
const SIGNAL_CHECK: Duration = Duration::from_millis(100);

fn runtime() -> PyResult<&'static Runtime> {
    static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("hedgehog-fabric")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| {
            error::<HedgehogError>(
                codes::INTERNAL_RUNTIME.code,
                format!("cannot start the async runtime: {e}"),
            )
        })
}

/// Runs `future` on the runtime and waits for it with the GIL released. A pending signal
/// (Ctrl-C) cancels the future and raises.
pub fn block_on<F, T>(py: Python<'_>, future: F) -> PyResult<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let rt = runtime()?;
    let (tx, mut rx) = sync_channel(1);
    let task = rt.spawn(async move {
        let _ = tx.send(future.await);
    });
    loop {
        // `Receiver` is not `Sync`; moving it in and out keeps the closure `Send`.
        let (received, back) = py.detach(move || (rx.recv_timeout(SIGNAL_CHECK), rx));
        rx = back;
        match received {
            Ok(value) => return Ok(value),
            Err(RecvTimeoutError::Timeout) => {
                if let Err(e) = py.check_signals() {
                    task.abort();
                    return Err(e);
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Err(error::<HedgehogError>(
                    codes::INTERNAL_TASK.code,
                    "the operation's task ended without a result",
                ));
            }
        }
    }
}

/// Runs blocking work (Git, large validations) on the runtime's blocking pool, waiting as
/// [`block_on`] does.
pub fn blocking<F, T>(py: Python<'_>, work: F) -> PyResult<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let result = block_on(py, async move { tokio::task::spawn_blocking(work).await })?;
    result.map_err(|e| error::<HedgehogError>(codes::INTERNAL_TASK.code, e.to_string()))
}
