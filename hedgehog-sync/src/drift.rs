//! Drift across three states: desired (D), Git (G) and the cluster (C), any of which may
//! lack an object. All three are normalised snapshots ([`crate::snapshot`]), so what the
//! API server or upstream's webhook adds is never drift.
//!
//! # State machine
//!
//! Per object, "=" is equality of normalised objects (absent = absent). Without a desired
//! snapshot, D is taken to be G; without a cluster snapshot (a fabric with no cluster
//! connection), C is taken to be G, so only `pending_commit` can show. "C is an older Git version" means C equals a version of the
//! object's managed file in the first-parent history of the Git branch, other than the
//! newest (read in bulk, once, only for objects whose C and G differ).
//!
//! | D vs G | C vs G                          | C vs D | state                |
//! |--------|---------------------------------|--------|----------------------|
//! | =      | =                               |        | `in_sync`            |
//! | =      | G present, C absent             |        | `missing_in_cluster` |
//! | =      | G absent, C present             |        | `orphaned`           |
//! | =      | G absent, C a built-in profile  |        | `in_sync`            |
//! | =      | ≠, C is an older Git version    |        | `pending_apply`      |
//! | =      | ≠, C matches no Git version     |        | `drifted`            |
//! | ≠      | = or C is an older Git version  |        | `pending_commit`     |
//! | ≠      | ≠                               | =      | `pending_commit`     |
//! | ≠      | ≠, C matches no Git version     | ≠      | `conflict`           |
//!
//! A conflict is D and C both changed since G, their last common version; the report carries
//! the field-level three-way merge ([`crate::merge`]) with G as its base.
//!
//! Unknown is not absent: when the cluster snapshot could not read a kind (its listing
//! answered 403, 5xx or timed out, or its watch is failing; [`Snapshot::unread`]), every
//! object of that kind is `unknown` — never `missing_in_cluster`, `orphaned`, `drifted` or
//! `in_sync` — with its G → D changes when the desired state differs from Git. The report
//! names the unread kinds and why ([`Summary::unread_kinds`]).
//!
//! Each object lists field changes: G → D for `pending_commit`, G → C otherwise (none for
//! `missing_in_cluster` and `orphaned`). For G → C changes, `set_by` is the commit that last
//! set the field's Git value (the oldest commit of the newest run of versions that agree on
//! it), so a drifted field says which commit the cluster disagrees with.
//!
//! The fabric roll-up takes the most serious state present: `conflicts` (any conflict) >
//! `drift_detected` (drifted or missing in the cluster) > `incomplete` (a kind could not be
//! read: what is known is not the whole picture) > `cluster_ahead` (orphaned objects) >
//! `git_ahead` (pending commit or apply) > `in_sync`. So a fabric with an unread kind is
//! never `in_sync`.
//!
//! The report keeps every object that is not in sync; counts include those that are. After
//! the first computation, [`Drift::update_cluster`] and [`Drift::remove_cluster`] revise one
//! object (the cluster watch calls them) at a cost proportional to that object.

use std::collections::BTreeMap;
use std::collections::btree_map;
use std::iter::Peekable;

use hedgehog_model::profiles::builtin_profiles;
use hedgehog_model::{FieldPath, Kind, ObjectKey, WIRING_GROUP};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::diff::{Change, diff};
use crate::equal::{same, same_opt};
use crate::merge::{MergeConflict, merge3};
use crate::snapshot::{Entry, Provenance, Snapshot, UnreadKind, cluster_entry};

/// The state of one object; see the module docs.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// D = G = C.
    InSync,
    /// The desired state differs from Git.
    PendingCommit,
    /// The cluster holds an older Git version: the GitOps tool has not applied the newest.
    PendingApply,
    /// The cluster was changed out of band.
    Drifted,
    /// In Git, not in the cluster.
    MissingInCluster,
    /// In the cluster, not in Git.
    Orphaned,
    /// Desired state and cluster both changed since Git.
    Conflict,
    /// The cluster's copy could not be read (its kind's listing or watch failed).
    Unknown,
}

impl State {
    /// Every state, in report order.
    pub const ALL: [State; 8] = [
        State::InSync,
        State::PendingCommit,
        State::PendingApply,
        State::Drifted,
        State::MissingInCluster,
        State::Orphaned,
        State::Conflict,
        State::Unknown,
    ];

    /// The state's name in reports.
    pub const fn as_str(self) -> &'static str {
        match self {
            State::InSync => "in_sync",
            State::PendingCommit => "pending_commit",
            State::PendingApply => "pending_apply",
            State::Drifted => "drifted",
            State::MissingInCluster => "missing_in_cluster",
            State::Orphaned => "orphaned",
            State::Conflict => "conflict",
            State::Unknown => "unknown",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The fabric roll-up (the NetBox plugin's `drift_status` values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every object is in sync.
    InSync,
    /// Something changed out of band or is missing in the cluster.
    DriftDetected,
    /// Git (or the desired state) is ahead of the cluster.
    GitAhead,
    /// The cluster holds objects Git does not.
    ClusterAhead,
    /// Desired state and cluster changed the same objects.
    Conflicts,
    /// Some kinds could not be read from the cluster; nothing else is worse than `git_ahead`
    /// or `cluster_ahead` among what could be read.
    Incomplete,
}

impl Status {
    /// The roll-up's name in reports (the NetBox plugin's `drift_status` value).
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::InSync => "in_sync",
            Status::DriftDetected => "drift_detected",
            Status::GitAhead => "git_ahead",
            Status::ClusterAhead => "cluster_ahead",
            Status::Conflicts => "conflicts",
            Status::Incomplete => "incomplete",
        }
    }
}

/// One version of an object in Git history.
#[derive(Clone, Debug, PartialEq)]
pub struct GitVersion {
    /// The commit that produced this version (full hex).
    pub commit: String,
    /// The normalised object from that commit on; `None` when the file was deleted or could
    /// not be read.
    pub value: Option<Value>,
}

/// Versions of objects' managed files, newest first.
pub type History = BTreeMap<ObjectKey, Vec<GitVersion>>;

/// A field change, with the commit that last set the Git side of it.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FieldDrift {
    /// The change.
    #[serde(flatten)]
    pub change: Change,
    /// The commit that last set the field's Git value, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set_by: Option<String>,
}

/// The drift of one object.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ObjectDrift {
    /// Kind.
    pub kind: String,
    /// API group.
    pub api_group: String,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// The state.
    pub state: State,
    /// Field changes (see the module docs for which sides).
    pub changes: Vec<FieldDrift>,
    /// The managed file in Git, if the object is there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_path: Option<String>,
    /// The cluster's `resourceVersion`, if the object is there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
    /// For `pending_apply`: the commit whose version the cluster holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_at: Option<String>,
    /// For `conflict`: the fields desired state and cluster changed differently.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<MergeConflict>,
}

/// Object counts by state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts([usize; State::ALL.len()]);

impl Counts {
    /// The count of one state.
    pub fn get(&self, state: State) -> usize {
        self.0.get(state.index()).copied().unwrap_or(0)
    }

    fn add(&mut self, state: State) {
        if let Some(n) = self.0.get_mut(state.index()) {
            *n += 1;
        }
    }

    fn remove(&mut self, state: State) {
        if let Some(n) = self.0.get_mut(state.index()) {
            *n = n.saturating_sub(1);
        }
    }

    fn is_empty(&self) -> bool {
        self.0.iter().all(|n| *n == 0)
    }
}

/// An object with one count per state.
impl schemars::JsonSchema for Counts {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Counts".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let properties: serde_json::Map<String, Value> = State::ALL
            .iter()
            .map(|s| {
                (
                    s.as_str().to_owned(),
                    serde_json::json!({"type": "integer", "minimum": 0}),
                )
            })
            .collect();
        let required: Vec<&str> = State::ALL.iter().map(|s| s.as_str()).collect();
        schemars::json_schema!({"type": "object", "properties": properties, "required": required})
    }
}

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        for state in State::ALL {
            map.serialize_entry(state.as_str(), &self.get(state))?;
        }
        map.end()
    }
}

/// The fabric roll-up and counts.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Summary {
    /// The roll-up.
    pub status: Status,
    /// Objects by state (every state, zeros included).
    pub counts: Counts,
    /// Objects by kind, then state.
    pub by_kind: BTreeMap<String, Counts>,
    /// Kinds the cluster snapshot could not read, and why; their objects are `unknown`.
    pub unread_kinds: Vec<UnreadKind>,
}

/// The drift report: `{"summary": …, "objects": [...]}` (objects not in sync, in key order).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DriftReport {
    /// Roll-up and counts.
    pub summary: Summary,
    /// The objects that are not in sync.
    pub objects: Vec<ObjectDrift>,
}

/// The three snapshots, the Git history read so far and the drift computed from them.
#[derive(Debug)]
pub struct Drift {
    desired: Option<Snapshot>,
    git: Snapshot,
    cluster: Option<Snapshot>,
    history: History,
    states: BTreeMap<ObjectKey, ObjectDrift>,
    counts: Counts,
    by_kind: BTreeMap<String, Counts>,
    /// Kinds whose cluster copies are unknown (only with a cluster snapshot).
    unread: Vec<UnreadKind>,
}

impl Drift {
    /// Computes the drift of every object. `history` is called once with the objects whose
    /// cluster and Git versions differ, and returns their Git history (newest first).
    pub fn compute<E>(
        desired: Option<Snapshot>,
        git: Snapshot,
        cluster: Option<Snapshot>,
        history: impl FnOnce(&[ObjectKey]) -> Result<History, E>,
    ) -> Result<Drift, E> {
        let unread = cluster
            .as_ref()
            .map(|c| c.unread.clone())
            .unwrap_or_default();
        let joined = join(desired.as_ref(), &git, cluster.as_ref(), &unread);
        // Every object's copies are compared once; only objects out of sync are evaluated.
        let checked: Vec<(&ObjectKey, Sides<'_>, Check)> = joined
            .into_par_iter()
            .map(|(key, sides)| (key, sides, sides.check(key)))
            .collect();
        let wanted: Vec<ObjectKey> = checked
            .iter()
            .filter(|(_, _, check)| check.differ_in_cluster)
            .map(|(k, _, _)| (*k).clone())
            .collect();
        let history = history(&wanted)?;
        let computed: Vec<(&ObjectKey, Option<ObjectDrift>)> = checked
            .into_par_iter()
            .map(|(key, sides, check)| {
                let object = (!check.in_sync).then(|| evaluate(key, sides, &history));
                (key, object)
            })
            .collect();
        let mut counts = Counts::default();
        let mut by_kind = BTreeMap::new();
        let mut states = BTreeMap::new();
        for (key, object) in computed {
            let state = object.as_ref().map_or(State::InSync, |o| o.state);
            count(&mut counts, &mut by_kind, key, state, true);
            if let Some(object) = object {
                states.insert(key.clone(), object);
            }
        }
        Ok(Drift {
            desired,
            git,
            cluster,
            history,
            states,
            counts,
            by_kind,
            unread,
        })
    }

    /// Marks a kind unread (`reason`: why) or read again (`None`), as a cluster watch's health
    /// changes, and revises that kind's objects. `history` is called once, with the objects
    /// that then need their Git history. A drift computed without a cluster snapshot ignores
    /// it.
    pub fn set_unread<E>(
        &mut self,
        api_group: &str,
        kind: &str,
        reason: Option<String>,
        history: impl FnOnce(&[ObjectKey]) -> Result<History, E>,
    ) -> Result<(), E> {
        if self.cluster.is_none() {
            return Ok(());
        }
        let before = self.unread.len();
        self.unread
            .retain(|u| !(u.api_group == api_group && u.kind == kind));
        let was_unread = self.unread.len() < before;
        if let Some(reason) = reason {
            self.unread.push(UnreadKind {
                api_group: api_group.to_owned(),
                kind: kind.to_owned(),
                reason,
            });
            self.unread.sort();
        }
        if was_unread == self.is_unread_kind(api_group, kind) {
            return Ok(());
        }
        let mut keys: Vec<ObjectKey> = self
            .snapshots()
            .flat_map(|s| s.objects.keys())
            .filter(|k| k.kind == kind && k.api_group == api_group)
            .cloned()
            .collect();
        keys.sort();
        keys.dedup();
        for key in &keys {
            self.uncount(key);
        }
        let wanted: Vec<ObjectKey> = keys
            .iter()
            .filter(|k| self.needs_history(k))
            .cloned()
            .collect();
        let read = if wanted.is_empty() {
            Ok(())
        } else {
            history(&wanted).map(|h| self.history.extend(h))
        };
        // Whether or not the history could be read, every object is counted again.
        for key in keys {
            let object = evaluate(&key, self.sides(&key), &self.history);
            self.record(key, object);
        }
        read
    }

    /// Replaces the cluster's copy of one object (from a watch event) and revises its drift.
    /// `history` is called only if the object's Git history is needed and was not read yet.
    /// A drift computed without a cluster snapshot ignores cluster updates.
    pub fn update_cluster<E>(
        &mut self,
        value: Value,
        history: impl FnOnce(&[ObjectKey]) -> Result<History, E>,
    ) -> Result<ObjectDrift, E> {
        let (normalized, provenance) = cluster_entry(value);
        let key = normalized.key.clone();
        if self.cluster.is_none() {
            return Ok(self.object(&key));
        }
        self.uncount(&key);
        if let Some(cluster) = &mut self.cluster {
            cluster.insert(normalized, provenance);
        }
        self.revise(key, history)
    }

    /// Removes one object from the cluster's snapshot (a watch deletion) and revises its
    /// drift. A drift computed without a cluster snapshot ignores cluster updates.
    pub fn remove_cluster<E>(
        &mut self,
        key: &ObjectKey,
        history: impl FnOnce(&[ObjectKey]) -> Result<History, E>,
    ) -> Result<ObjectDrift, E> {
        if self.cluster.is_none() {
            return Ok(self.object(key));
        }
        self.uncount(key);
        if let Some(cluster) = &mut self.cluster {
            cluster.objects.remove(key);
        }
        self.revise(key.clone(), history)
    }

    /// Adds Git history read after the fact — for objects that [`Drift::update_cluster`] or
    /// [`Drift::remove_cluster`] evaluated without it because their `history` failed — and
    /// evaluates those objects again with their current copies.
    pub fn add_history(&mut self, read: History) {
        for (key, versions) in read {
            self.uncount(&key);
            self.history.insert(key.clone(), versions);
            if self.is_known(&key) {
                let object = evaluate(&key, self.sides(&key), &self.history);
                self.record(key, object);
            }
        }
    }

    /// The kinds whose cluster copies are unknown.
    pub fn unread(&self) -> &[UnreadKind] {
        &self.unread
    }

    /// The Git snapshot the drift was computed against.
    pub fn git(&self) -> &Snapshot {
        &self.git
    }

    /// The drift of one object (in sync if no snapshot has it).
    pub fn object(&self, key: &ObjectKey) -> ObjectDrift {
        self.states
            .get(key)
            .cloned()
            .unwrap_or_else(|| evaluate(key, self.sides(key), &self.history))
    }

    /// The roll-up and counts.
    pub fn summary(&self) -> Summary {
        let present = |s: State| self.counts.get(s) > 0;
        let status = if present(State::Conflict) {
            Status::Conflicts
        } else if present(State::Drifted) || present(State::MissingInCluster) {
            Status::DriftDetected
        } else if !self.unread.is_empty() || present(State::Unknown) {
            Status::Incomplete
        } else if present(State::Orphaned) {
            Status::ClusterAhead
        } else if present(State::PendingCommit) || present(State::PendingApply) {
            Status::GitAhead
        } else {
            Status::InSync
        };
        Summary {
            status,
            counts: self.counts.clone(),
            by_kind: self.by_kind.clone(),
            unread_kinds: self.unread.clone(),
        }
    }

    /// The report.
    pub fn report(&self) -> DriftReport {
        DriftReport {
            summary: self.summary(),
            objects: self.states.values().cloned().collect(),
        }
    }

    fn sides(&self, key: &ObjectKey) -> Sides<'_> {
        Sides {
            desired: self.desired.as_ref().map(|d| d.objects.get(key)),
            git: self.git.objects.get(key),
            cluster: self.cluster.as_ref().map(|c| c.objects.get(key)),
            unread: self.unread.iter().any(|u| u.holds(key)),
        }
    }

    fn is_unread_kind(&self, api_group: &str, kind: &str) -> bool {
        self.unread
            .iter()
            .any(|u| u.api_group == api_group && u.kind == kind)
    }

    /// The snapshots the drift holds.
    fn snapshots(&self) -> impl Iterator<Item = &Snapshot> {
        std::iter::once(&self.git)
            .chain(self.desired.as_ref())
            .chain(self.cluster.as_ref())
    }

    fn needs_history(&self, key: &ObjectKey) -> bool {
        self.sides(key).differ_in_cluster() && !self.history.contains_key(key)
    }

    /// Takes an object out of the counts and the report, before one of its snapshots
    /// changes.
    fn uncount(&mut self, key: &ObjectKey) {
        if self.is_known(key) {
            let old = self.states.remove(key).map_or(State::InSync, |o| o.state);
            self.count(key, old, false);
        }
    }

    /// Evaluates an object again after [`Drift::uncount`] and a change of a snapshot.
    fn revise<E>(
        &mut self,
        key: ObjectKey,
        history: impl FnOnce(&[ObjectKey]) -> Result<History, E>,
    ) -> Result<ObjectDrift, E> {
        if self.needs_history(&key) {
            let read = history(std::slice::from_ref(&key));
            // A failed read must not leave the object out of the counts.
            match read {
                Ok(read) => self.history.extend(read),
                Err(e) => {
                    let object = evaluate(&key, self.sides(&key), &self.history);
                    self.record(key, object);
                    return Err(e);
                }
            }
        }
        let object = evaluate(&key, self.sides(&key), &self.history);
        if self.is_known(&key) {
            self.record(key, object.clone());
        }
        Ok(object)
    }

    fn is_known(&self, key: &ObjectKey) -> bool {
        self.git.objects.contains_key(key)
            || self
                .cluster
                .as_ref()
                .is_some_and(|c| c.objects.contains_key(key))
            || self
                .desired
                .as_ref()
                .is_some_and(|d| d.objects.contains_key(key))
    }

    fn record(&mut self, key: ObjectKey, object: ObjectDrift) {
        self.count(&key, object.state, true);
        if object.state != State::InSync {
            self.states.insert(key, object);
        }
    }

    fn count(&mut self, key: &ObjectKey, state: State, add: bool) {
        count(&mut self.counts, &mut self.by_kind, key, state, add);
    }
}

/// Adds an object to (or removes it from) the counts.
fn count(
    counts: &mut Counts,
    by_kind: &mut BTreeMap<String, Counts>,
    key: &ObjectKey,
    state: State,
    add: bool,
) {
    if add {
        counts.add(state);
        match by_kind.get_mut(&key.kind) {
            Some(kind) => kind.add(state),
            None => {
                let mut kind = Counts::default();
                kind.add(state);
                by_kind.insert(key.kind.clone(), kind);
            }
        }
    } else {
        counts.remove(state);
        if let Some(kind) = by_kind.get_mut(&key.kind) {
            kind.remove(state);
            if kind.is_empty() {
                by_kind.remove(&key.kind);
            }
        }
    }
}

/// One object's copies in the three snapshots; `desired` (`cluster`) is `None` without a
/// desired (cluster) snapshot, and D (C) is then G. `unread`: the cluster snapshot could not
/// read the object's kind, so C is unknown.
#[derive(Clone, Copy, Debug)]
struct Sides<'a> {
    desired: Option<Option<&'a Entry>>,
    git: Option<&'a Entry>,
    cluster: Option<Option<&'a Entry>>,
    unread: bool,
}

impl<'a> Sides<'a> {
    /// The copies D, G and C (see the type's docs for absent snapshots).
    fn entries(&self) -> (Option<&'a Entry>, Option<&'a Entry>, Option<&'a Entry>) {
        let g = self.git;
        let d = self.desired.unwrap_or(g);
        let c = self.cluster.unwrap_or(g);
        (d, g, c)
    }

    /// The objects of [`Sides::entries`], as values (read only for objects out of sync).
    fn values(&self) -> (Option<Value>, Option<Value>, Option<Value>) {
        let (d, g, c) = self.entries();
        (
            d.map(Entry::value),
            g.map(Entry::value),
            c.map(Entry::value),
        )
    }

    /// [`Check`] of the object, comparing each pair of copies once.
    fn check(&self, key: &ObjectKey) -> Check {
        if self.unread {
            return Check::default();
        }
        let (d, g, c) = self.entries();
        let git_is_cluster = same_entry(g, c);
        Check {
            in_sync: (git_is_cluster || (g.is_none() && upstream_owned(key))) && same_entry(d, g),
            differ_in_cluster: g.is_some() && c.is_some() && !git_is_cluster,
        }
    }

    /// Whether the cluster and Git both have the object and disagree: only then does Git
    /// history tell states apart.
    fn differ_in_cluster(&self) -> bool {
        !self.unread && matches!(self.entries(), (_, Some(g), Some(c)) if !g.same_object(c))
    }
}

/// Whether two copies that may be absent hold the same object (absent equals absent only).
fn same_entry(a: Option<&Entry>, b: Option<&Entry>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.same_object(b),
        (None, None) => true,
        _ => false,
    }
}

/// What comparing an object's copies found.
#[derive(Clone, Copy, Debug, Default)]
struct Check {
    /// D = G = C (or G and C absent where C is upstream's own): nothing to report.
    in_sync: bool,
    /// [`Sides::differ_in_cluster`].
    differ_in_cluster: bool,
}

/// Upstream's built-in switch profiles: its controller creates them in every cluster
/// (`switchprofile.Enforce`), so one that Git does not hold is upstream's, not orphaned.
fn upstream_owned(key: &ObjectKey) -> bool {
    key.api_group == WIRING_GROUP
        && key.kind == Kind::SwitchProfile.name()
        && key.namespace == "default"
        && builtin_profiles()
            .iter()
            .any(|p| p.profile.metadata.name.as_deref() == Some(key.name.as_str()))
}

/// Every key of the three snapshots with its copies, in key order, by walking the three
/// sorted maps side by side (no lookups).
fn join<'a>(
    desired: Option<&'a Snapshot>,
    git: &'a Snapshot,
    cluster: Option<&'a Snapshot>,
    unread: &[UnreadKind],
) -> Vec<(&'a ObjectKey, Sides<'a>)> {
    let mut d = desired.map(|s| s.objects.iter().peekable());
    let mut g = git.objects.iter().peekable();
    let mut c = cluster.map(|s| s.objects.iter().peekable());
    let mut out = Vec::with_capacity(git.len().max(cluster.map_or(0, Snapshot::len)));
    loop {
        let next_d = d.as_mut().and_then(|d| d.peek().map(|(k, _)| *k));
        let next_c = c.as_mut().and_then(|c| c.peek().map(|(k, _)| *k));
        let next = [next_d, g.peek().map(|(k, _)| *k), next_c]
            .into_iter()
            .flatten()
            .min();
        let Some(key) = next else { break };
        let mut take = |it: &mut Peekable<btree_map::Iter<'a, ObjectKey, Entry>>| {
            it.next_if(|(k, _)| *k == key).map(|(_, e)| e)
        };
        let sides = Sides {
            desired: d.as_mut().map(&mut take),
            git: take(&mut g),
            cluster: c.as_mut().map(&mut take),
            unread: unread.iter().any(|u| u.holds(key)),
        };
        out.push((key, sides));
    }
    out
}

/// The drift of one object from its copies and history.
fn evaluate(key: &ObjectKey, sides: Sides<'_>, history: &History) -> ObjectDrift {
    let (g_entry, c_entry) = (sides.git, sides.cluster.flatten());
    let (d, g, c) = sides.values();
    let (d, g, c) = (d.as_ref(), g.as_ref(), c.as_ref());
    let versions = history.get(key).map_or(&[][..], Vec::as_slice);
    let behind = c.and_then(|c| {
        versions
            .iter()
            .skip(1)
            .find(|v| same_opt(v.value.as_ref(), Some(c)))
            .map(|v| v.commit.clone())
    });
    let state = if sides.unread {
        State::Unknown
    } else if same_opt(d, g) {
        match (g, c) {
            (None, None) => State::InSync,
            (Some(_), None) => State::MissingInCluster,
            (None, Some(_)) if upstream_owned(key) => State::InSync,
            (None, Some(_)) => State::Orphaned,
            (Some(g), Some(c)) if same(g, c) => State::InSync,
            _ if behind.is_some() => State::PendingApply,
            _ => State::Drifted,
        }
    } else if same_opt(c, g) || same_opt(c, d) || behind.is_some() {
        State::PendingCommit
    } else {
        State::Conflict
    };
    let changes = match state {
        State::InSync | State::MissingInCluster | State::Orphaned => Vec::new(),
        State::PendingCommit | State::Unknown => changes_between(g, d)
            .into_iter()
            .map(|change| FieldDrift {
                change,
                set_by: None,
            })
            .collect(),
        State::PendingApply | State::Drifted | State::Conflict => changes_between(g, c)
            .into_iter()
            .map(|change| FieldDrift {
                set_by: set_by(versions, &change.path),
                change,
            })
            .collect(),
    };
    let conflicts = if state == State::Conflict {
        merge3(g, d, c).conflicts
    } else {
        Vec::new()
    };
    ObjectDrift {
        kind: key.kind.clone(),
        api_group: key.api_group.clone(),
        namespace: key.namespace.clone(),
        name: key.name.clone(),
        state,
        changes,
        git_path: g_entry.and_then(git_path),
        resource_version: c_entry.and_then(resource_version),
        cluster_at: if state == State::PendingApply {
            behind
        } else {
            None
        },
        conflicts,
    }
}

fn changes_between(before: Option<&Value>, after: Option<&Value>) -> Vec<Change> {
    diff(
        before.unwrap_or(&Value::Null),
        after.unwrap_or(&Value::Null),
    )
}

/// The commit that last set the value at `path`: the oldest of the newest versions that
/// agree with the newest one there.
fn set_by(versions: &[GitVersion], path: &FieldPath) -> Option<String> {
    fn at<'v>(version: &'v GitVersion, path: &FieldPath) -> Option<&'v Value> {
        version.value.as_ref().and_then(|v| path.get(v))
    }
    let newest = at(versions.first()?, path);
    versions
        .iter()
        .take_while(|v| at(v, path) == newest)
        .last()
        .map(|v| v.commit.clone())
}

fn git_path(entry: &Entry) -> Option<String> {
    entry.git_path().map(str::to_owned)
}

fn resource_version(entry: &Entry) -> Option<String> {
    match &entry.provenance {
        Provenance::Cluster { resource_version } => Some(resource_version.clone()),
        _ => None,
    }
}
