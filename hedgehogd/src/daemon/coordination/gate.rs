//! The gate of one fabric: whether this replica may work on it now.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::daemon::state::lock;

/// Open for a single daemon; under coordination open only until the deadline of the
/// fabric's Lease (the last successful renewal plus the renew deadline). Checked before
/// every pass and, through the fabric's write fence, before every commit, push and apply.
/// The monotonic clock keeps running while a process is paused, so a replica woken after a
/// pause finds its gates closed before it does anything.
#[derive(Debug, Default)]
pub struct Gate {
    coordinated: AtomicBool,
    deadline: Mutex<Option<Instant>>,
}

impl Gate {
    /// From now on the gate is closed unless a Lease holds it open.
    pub fn coordinate(&self) {
        self.coordinated.store(true, Ordering::SeqCst);
    }

    /// Whether the fabric is run by Leases.
    pub fn coordinated(&self) -> bool {
        self.coordinated.load(Ordering::SeqCst)
    }

    /// Whether this replica may work on the fabric now.
    pub fn permits(&self) -> bool {
        !self.coordinated() || lock(&self.deadline).is_some_and(|d| Instant::now() < d)
    }

    /// Keeps the gate open until `deadline`.
    pub fn open_until(&self, deadline: Instant) {
        *lock(&self.deadline) = Some(deadline);
    }

    /// Closes the gate.
    pub fn close(&self) {
        *lock(&self.deadline) = None;
    }

    /// When the gate closes by itself (`None`: closed, or not coordinated).
    pub fn deadline(&self) -> Option<Instant> {
        *lock(&self.deadline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_coordinated_gate_is_open_only_until_its_deadline() {
        let gate = Gate::default();
        assert!(gate.permits(), "a single daemon runs every fabric");
        gate.coordinate();
        assert!(!gate.permits());
        gate.open_until(Instant::now() + Duration::from_secs(60));
        assert!(gate.permits());
        gate.open_until(Instant::now() - Duration::from_millis(1));
        assert!(
            !gate.permits(),
            "a passed deadline closes the gate by itself"
        );
        gate.open_until(Instant::now() + Duration::from_secs(60));
        gate.close();
        assert!(!gate.permits());
    }
}
