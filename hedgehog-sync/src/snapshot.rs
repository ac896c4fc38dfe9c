//! Snapshots: a set of normalised objects keyed by [`ObjectKey`], each with where it came
//! from. Desired state, a Git tree and the cluster all become snapshots the same way, so
//! the drift engine compares like with like.

use std::collections::BTreeMap;

use hedgehog_model::ObjectKey;
use hedgehog_model::load::{Document, Limits, Loader};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::git::Tree;
use crate::layout::Layout;
use crate::normalize::{Normalized, normalize};

/// Where an object of a snapshot came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum Provenance {
    /// A file of a Git tree.
    Git {
        /// Path relative to the layout's base directory.
        path: String,
        /// The commit that was read.
        commit: String,
    },
    /// An object read from the cluster.
    Cluster {
        /// Its `metadata.resourceVersion` (empty if it had none).
        resource_version: String,
    },
    /// Desired state handed over by the caller.
    Desired {
        /// The caller's id for the desired state (a draft, a request).
        id: String,
    },
}

/// One object of a snapshot.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The normalised object.
    pub value: Value,
    /// Where it came from.
    pub provenance: Provenance,
}

/// Code of a managed file whose object belongs in another file (it is still read).
pub const MISPLACED: &str = crate::codes::SNAPSHOT_MISPLACED.code;
/// Code of a managed file that is not exactly one object that loads (it is left out).
pub const UNREADABLE: &str = crate::codes::SNAPSHOT_UNREADABLE.code;
/// Code of a second file holding an object already read (it is ignored).
pub const DUPLICATE: &str = crate::codes::SNAPSHOT_DUPLICATE.code;

/// A problem met while building a snapshot from files; the object is left out (or, for a
/// duplicate, the first one is kept; a misplaced object is read all the same).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SnapshotProblem {
    /// [`MISPLACED`], [`UNREADABLE`] or [`DUPLICATE`].
    pub code: &'static str,
    /// The file (relative to the base directory).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// A kind a snapshot could not read (its cluster listing or watch failed): the absence of
/// its objects proves nothing.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct UnreadKind {
    /// API group of the kind.
    pub api_group: String,
    /// The kind.
    pub kind: String,
    /// Why it could not be read (class, HTTP status and the server's message).
    pub reason: String,
}

impl UnreadKind {
    /// Whether `key` is of this kind.
    pub fn holds(&self, key: &ObjectKey) -> bool {
        self.kind == key.kind && self.api_group == key.api_group
    }
}

/// Normalised objects by key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    /// The objects.
    pub objects: BTreeMap<ObjectKey, Entry>,
    /// Problems met while reading files (Git trees only).
    pub problems: Vec<SnapshotProblem>,
    /// Kinds that could not be read (cluster snapshots only); their objects are unknown, not
    /// absent.
    pub unread: Vec<UnreadKind>,
}

impl Snapshot {
    /// An empty snapshot.
    pub fn new() -> Snapshot {
        Snapshot::default()
    }

    /// Desired state from loaded documents. A later document with the key of an earlier one
    /// replaces it.
    pub fn from_documents(documents: &[Document], id: &str) -> Snapshot {
        Snapshot::from_normalized(
            documents
                .par_iter()
                .map(|d| {
                    (
                        normalize(d.to_value()),
                        Provenance::Desired { id: id.to_owned() },
                    )
                })
                .collect(),
        )
    }

    /// Objects given as JSON values (normalised in parallel), each with the provenance
    /// `provenance` gives its key. A later object with the key of an earlier one replaces it.
    pub fn from_values(
        values: Vec<Value>,
        provenance: impl Fn(&ObjectKey) -> Provenance + Sync,
    ) -> Snapshot {
        Snapshot::from_normalized(
            values
                .into_par_iter()
                .map(|v| {
                    let n = normalize(v);
                    let p = provenance(&n.key);
                    (n, p)
                })
                .collect(),
        )
    }

    /// Cluster objects as the Kubernetes backend returns them (`resourceVersion` is kept as
    /// provenance before normalisation drops it).
    pub fn from_cluster(values: Vec<Value>) -> Snapshot {
        Snapshot::from_normalized(values.into_par_iter().map(cluster_entry).collect())
    }

    /// The managed files of a Git tree read below `layout`'s base directory. Files the read
    /// skipped (odd names, over the size limit), files that do not parse, hold other than one object, or hold an object whose file should be another
    /// are reported in [`Snapshot::problems`]; the object is still taken unless it cannot be
    /// read or its key was already seen.
    pub fn from_tree(tree: &Tree, layout: &Layout) -> Snapshot {
        let commit = tree.commit.to_hex();
        let parsed: Vec<(String, Result<Normalized, String>)> = tree
            .files
            .par_iter()
            .filter(|(path, _)| Layout::is_managed(path))
            .map(|(path, bytes)| (path.clone(), parse_file(path, bytes)))
            .collect();
        let mut snapshot = Snapshot::new();
        snapshot.problems.extend(
            tree.skipped
                .iter()
                .filter(|f| Layout::is_managed(&f.path))
                .map(|f| SnapshotProblem {
                    code: UNREADABLE,
                    path: f.path.clone(),
                    message: format!("not read: {}", f.reason),
                }),
        );
        for (path, result) in parsed {
            match result {
                Err(message) => snapshot.problems.push(SnapshotProblem {
                    code: UNREADABLE,
                    path,
                    message,
                }),
                Ok(n) => {
                    if snapshot.objects.contains_key(&n.key) {
                        snapshot.problems.push(SnapshotProblem {
                            code: DUPLICATE,
                            path,
                            message: format!("duplicate of {}; ignored", describe(&n.key)),
                        });
                        continue;
                    }
                    let expected = layout.managed_path(&n.key);
                    if expected != path {
                        snapshot.problems.push(SnapshotProblem {
                            code: MISPLACED,
                            path: path.clone(),
                            message: format!("{} belongs in `{expected}`", describe(&n.key)),
                        });
                    }
                    let provenance = Provenance::Git {
                        path,
                        commit: commit.clone(),
                    };
                    snapshot.objects.insert(
                        n.key,
                        Entry {
                            value: n.value,
                            provenance,
                        },
                    );
                }
            }
        }
        snapshot
    }

    /// Adds (or replaces) one normalised object.
    pub fn insert(&mut self, object: Normalized, provenance: Provenance) {
        self.objects.insert(
            object.key,
            Entry {
                value: object.value,
                provenance,
            },
        );
    }

    /// The normalised object of a key.
    pub fn get(&self, key: &ObjectKey) -> Option<&Value> {
        self.objects.get(key).map(|e| &e.value)
    }

    /// The file an object was read from (Git snapshots only).
    pub fn path_of(&self, key: &ObjectKey) -> Option<&str> {
        match &self.objects.get(key)?.provenance {
            Provenance::Git { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The objects read from another file than the one `layout` gives them, with that file.
    pub fn moved(&self, layout: &Layout) -> BTreeMap<ObjectKey, String> {
        self.objects
            .iter()
            .filter_map(|(key, entry)| match &entry.provenance {
                Provenance::Git { path, .. } if *path != layout.managed_path(key) => {
                    Some((key.clone(), path.clone()))
                }
                _ => None,
            })
            .collect()
    }

    /// Number of objects.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// Whether there are no objects.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    fn from_normalized(entries: Vec<(Normalized, Provenance)>) -> Snapshot {
        let mut snapshot = Snapshot::new();
        for (n, provenance) in entries {
            snapshot.insert(n, provenance);
        }
        snapshot
    }
}

/// A cluster object, normalised, with its `resourceVersion` as provenance.
pub fn cluster_entry(value: Value) -> (Normalized, Provenance) {
    let resource_version = value
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    (normalize(value), Provenance::Cluster { resource_version })
}

/// `Kind namespace/name`, for messages.
pub fn describe(key: &ObjectKey) -> String {
    format!("{} {}/{}", key.kind, key.namespace, key.name)
}

/// One managed file: exactly one object that loads without errors.
pub(crate) fn parse_file(path: &str, bytes: &[u8]) -> Result<Normalized, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8".to_owned())?;
    let loaded = Loader::new(Limits::default()).load_str(text, Some(path));
    if let Some(d) = loaded.diagnostics.iter().find(|d| d.is_error()) {
        return Err(d.message.clone());
    }
    match loaded.documents.as_slice() {
        [doc] => Ok(normalize(doc.to_value())),
        docs => Err(format!(
            "a managed file holds exactly one object, this one holds {}",
            docs.len()
        )),
    }
}
