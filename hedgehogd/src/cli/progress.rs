//! A spinner on standard error while a long command works, only when standard error is a
//! terminal (nothing when piped or redirected), and only after a short delay, so quick runs
//! print nothing extra.

use std::io::{IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const DELAY: Duration = Duration::from_millis(400);
const FRAME: Duration = Duration::from_millis(120);
const FRAMES: [char; 4] = ['|', '/', '-', '\\'];

/// Shows `<what>… <seconds>` with a turning bar until dropped, then erases its line.
pub struct Spinner {
    stop: Option<(Sender<()>, JoinHandle<()>)>,
}

impl Spinner {
    /// Starts a spinner for `what` (e.g. `validating`) if standard error is a terminal.
    pub fn start(what: &'static str) -> Spinner {
        if !std::io::stderr().is_terminal() {
            return Spinner { stop: None };
        }
        let (tx, rx) = mpsc::channel::<()>();
        let handle = std::thread::spawn(move || {
            let started = Instant::now();
            if !matches!(rx.recv_timeout(DELAY), Err(RecvTimeoutError::Timeout)) {
                return;
            }
            let mut drawn = false;
            for frame in FRAMES.iter().cycle() {
                let secs = started.elapsed().as_secs_f32();
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[K{frame} {what}… {secs:.1}s");
                let _ = err.flush();
                drop(err);
                drawn = true;
                if !matches!(rx.recv_timeout(FRAME), Err(RecvTimeoutError::Timeout)) {
                    break;
                }
            }
            if drawn {
                let _ = write!(std::io::stderr().lock(), "\r\x1b[K");
            }
        });
        Spinner {
            stop: Some((tx, handle)),
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some((tx, handle)) = self.stop.take() {
            let _ = tx.send(());
            let _ = handle.join();
        }
    }
}
