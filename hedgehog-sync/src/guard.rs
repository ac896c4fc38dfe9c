//! The deletion guard: plans whose deletions look like an accident are refused unless the
//! caller allows them for that plan, in words.
//!
//! * An empty desired state is always refused. It is what a mis-mounted or mistyped
//!   desired-state directory, or an export that failed half-way, hands over; committing it
//!   would delete every managed file, and Argo CD or Flux would then prune the whole fabric.
//! * A plan that deletes every object Git holds of some kind, or more than
//!   [`DeletionGuard::max_percent`] (default 10 %) of all managed objects, is refused unless
//!   [`DeletionGuard::allow`] is set.
//!
//! Objects are counted by key, so an object that only moves to another file is not deleted.
//! `force` (which overrides change-safety rules and merge conflicts) does not override the
//! guard: it has its own allowance.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::snapshot::Snapshot;

/// Code of the refusal of an empty desired state.
pub const EMPTY_DESIRED_STATE: &str = crate::codes::PLAN_EMPTY_DESIRED_STATE.code;
/// Code of the refusal of a plan that deletes a whole kind or too large a share.
pub const MASS_DELETION: &str = crate::codes::PLAN_MASS_DELETION.code;

/// The default of [`DeletionGuard::max_percent`].
pub const DEFAULT_MAX_PERCENT: u8 = 10;

/// How much a plan may delete.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletionGuard {
    /// The largest share of the managed objects, in percent, that a plan may delete
    /// (values above 100 count as 100).
    pub max_percent: u8,
    /// This plan may delete whole kinds and more than `max_percent` (never everything: an
    /// empty desired state is refused regardless).
    pub allow: bool,
}

impl Default for DeletionGuard {
    fn default() -> Self {
        DeletionGuard {
            max_percent: DEFAULT_MAX_PERCENT,
            allow: false,
        }
    }
}

/// What a plan deletes, and what the guard says about it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Deletions {
    /// Managed objects in Git before the plan.
    pub managed: usize,
    /// How many of them the plan deletes.
    pub deleted: usize,
    /// Kinds the plan deletes every object of.
    pub whole_kinds: Vec<String>,
    /// Why the guard refuses the plan; `None` when it does not.
    pub refusal: Option<DeletionRefusal>,
}

/// A plan the deletion guard refuses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct DeletionRefusal {
    /// [`EMPTY_DESIRED_STATE`] or [`MASS_DELETION`].
    pub code: &'static str,
    /// What would be deleted and how to allow it.
    pub message: String,
}

/// What replacing `current` (Git's managed objects) with `desired` deletes, judged by
/// `guard`.
pub fn check(current: &Snapshot, desired: &Snapshot, guard: DeletionGuard) -> Deletions {
    let mut by_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for key in current.objects.keys() {
        let (total, deleted) = by_kind.entry(key.kind.as_str()).or_default();
        *total += 1;
        if !desired.objects.contains_key(key) {
            *deleted += 1;
        }
    }
    let deleted = by_kind.values().map(|(_, d)| d).sum();
    let whole_kinds: Vec<String> = by_kind
        .iter()
        .filter(|(_, (total, deleted))| total == deleted)
        .map(|(kind, _)| (*kind).to_owned())
        .collect();
    let mut deletions = Deletions {
        managed: current.len(),
        deleted,
        whole_kinds,
        refusal: None,
    };
    deletions.refusal = refusal(&deletions, desired.is_empty(), guard);
    deletions
}

fn refusal(d: &Deletions, empty: bool, guard: DeletionGuard) -> Option<DeletionRefusal> {
    if empty {
        return Some(DeletionRefusal {
            code: EMPTY_DESIRED_STATE,
            message: format!(
                "the desired state holds no objects: committing it would delete all {} managed \
                 objects; an empty desired state is always refused (is its directory mounted, \
                 is the path right?)",
                d.managed
            ),
        });
    }
    let max = usize::from(guard.max_percent.min(100));
    let too_many = d.deleted * 100 > d.managed * max;
    if guard.allow || (!too_many && d.whole_kinds.is_empty()) {
        return None;
    }
    let mut why = Vec::new();
    if too_many {
        why.push(format!("more than {max} %"));
    }
    if !d.whole_kinds.is_empty() {
        why.push(format!("every {}", d.whole_kinds.join(", every ")));
    }
    Some(DeletionRefusal {
        code: MASS_DELETION,
        message: format!(
            "the plan deletes {} of {} managed objects ({}); refused as a likely accident \
             unless deletions are allowed for this pass",
            d.deleted,
            d.managed,
            why.join(", ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hedgehog_model::{Kind, ObjectKey};
    use serde_json::json;

    fn snapshot(keys: &[(Kind, &str)]) -> Snapshot {
        let values = keys
            .iter()
            .map(|(kind, name)| {
                let key = ObjectKey::new(*kind, "default", *name);
                json!({"apiVersion": format!("{}/v1beta1", key.api_group), "kind": key.kind,
                       "metadata": {"name": name, "namespace": "default"}, "spec": {}})
            })
            .collect();
        Snapshot::from_values(values, |_| crate::snapshot::Provenance::Desired {
            id: "t".into(),
        })
    }

    #[test]
    fn refuses_empty_states_whole_kinds_and_large_shares_unless_allowed() {
        let vpcs: Vec<(Kind, String)> = (0..20).map(|i| (Kind::Vpc, format!("v{i}"))).collect();
        let mut keys: Vec<(Kind, &str)> = vpcs.iter().map(|(k, n)| (*k, n.as_str())).collect();
        keys.push((Kind::External, "ext"));
        let current = snapshot(&keys);
        let strict = DeletionGuard::default();
        let allowed = DeletionGuard {
            allow: true,
            ..strict
        };
        let code = |desired: &[(Kind, &str)], guard| {
            check(&current, &snapshot(desired), guard)
                .refusal
                .map(|r| r.code)
        };
        assert_eq!(code(&[], strict), Some(EMPTY_DESIRED_STATE));
        assert_eq!(code(&[], allowed), Some(EMPTY_DESIRED_STATE));
        // Two of 21 (9.5 %) is fine; three (14 %) is not.
        assert_eq!(code(&keys[2..], strict), None);
        assert_eq!(code(&keys[3..], strict), Some(MASS_DELETION));
        assert_eq!(code(&keys[3..], allowed), None);
        // The only External is a whole kind.
        let d = check(&current, &snapshot(&keys[..20]), strict);
        assert_eq!(d.whole_kinds, ["External"]);
        assert_eq!((d.deleted, d.managed), (1, 21));
        assert_eq!(d.refusal.map(|r| r.code), Some(MASS_DELETION));
        // Nothing deleted: nothing to say, however small the fabric.
        assert_eq!(code(&keys, strict), None);
    }
}
