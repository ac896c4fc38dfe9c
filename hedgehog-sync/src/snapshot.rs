//! Snapshots: a set of normalised objects keyed by [`ObjectKey`], each with where it came
//! from. Desired state, a Git tree and the cluster all become snapshots the same way, so
//! the drift engine compares like with like.

use std::collections::BTreeMap;

use hedgehog_model::ObjectKey;
use hedgehog_model::load::{Document, Limits, Loader};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::equal::same;
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

/// One object of a snapshot: the normalised object, kept as compact JSON text (a value
/// tree takes several times the room, and most passes only find two copies equal), and
/// where it came from.
#[derive(Clone, Debug)]
pub struct Entry {
    object: Stored,
    /// Where it came from.
    pub provenance: Provenance,
}

/// How an entry keeps its object.
#[derive(Clone, Debug)]
enum Stored {
    /// `serde_json`'s compact text of the value; parsing it gives the value back exactly
    /// (fields in the same order).
    Text(Box<str>),
    /// The value itself, when its text would not parse back to it: a fractional number
    /// (the parser may round one differently) or nesting deeper than the parser's limit.
    Tree(Box<Value>),
}

impl Entry {
    /// An entry holding `value`.
    pub fn new(value: &Value, provenance: Provenance) -> Entry {
        let object = if round_trips(value, 0) {
            Stored::Text(value.to_string().into_boxed_str())
        } else {
            Stored::Tree(Box::new(value.clone()))
        };
        Entry { object, provenance }
    }

    /// The normalised object.
    pub fn value(&self) -> Value {
        match &self.object {
            // The text is `serde_json`'s own rendering of a value that round-trips (see
            // `round_trips`), so it parses; `Null` is never reached.
            Stored::Text(text) => serde_json::from_str(text).unwrap_or(Value::Null),
            Stored::Tree(value) => Value::clone(value),
        }
    }

    /// Replaces the object.
    pub fn set_value(&mut self, value: &Value) {
        *self = Entry::new(value, self.provenance.clone());
    }

    /// Changes the object in place (`edit` gets its value, which is then stored).
    pub fn edit(&mut self, edit: impl FnOnce(&mut Value)) {
        let mut value = self.value();
        edit(&mut value);
        self.set_value(&value);
    }

    /// Whether two entries hold equal objects (`==` of their values; provenance aside).
    /// Equal texts are equal values, since parsing is a function; other texts (fields in
    /// another order, or one side a tree) are parsed and compared.
    pub fn same_object(&self, other: &Entry) -> bool {
        // Without a desired (or cluster) snapshot, Git's copy stands for it.
        if std::ptr::eq(self, other) {
            return true;
        }
        if let (Stored::Text(a), Stored::Text(b)) = (&self.object, &other.object)
            && a == b
        {
            return true;
        }
        same(&self.value(), &other.value())
    }

    /// The file the object was read from (Git snapshots only).
    pub fn git_path(&self) -> Option<&str> {
        match &self.provenance {
            Provenance::Git { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// Entries compare by provenance and object value, as they did when they held values.
impl PartialEq for Entry {
    fn eq(&self, other: &Entry) -> bool {
        self.provenance == other.provenance && self.same_object(other)
    }
}

/// Deeper values are kept as trees: `serde_json`'s parser stops at 128 levels.
const MAX_TEXT_DEPTH: usize = 100;

/// Whether `serde_json`'s text of `value` parses back to exactly `value`: no fractional
/// numbers (their shortest text may parse to a neighbouring float) and nesting within
/// [`MAX_TEXT_DEPTH`]. Integers, strings, booleans and null always do.
fn round_trips(value: &Value, depth: usize) -> bool {
    match value {
        Value::Number(n) => n.is_i64() || n.is_u64(),
        Value::Array(items) => {
            depth < MAX_TEXT_DEPTH && items.iter().all(|v| round_trips(v, depth + 1))
        }
        Value::Object(map) => {
            depth < MAX_TEXT_DEPTH && map.values().all(|v| round_trips(v, depth + 1))
        }
        _ => true,
    }
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
        Snapshot::from_desired(documents.par_iter(), id)
    }

    /// [`Snapshot::from_documents`] of documents the caller no longer needs: each is dropped
    /// as soon as its object is stored, so the documents and the snapshot are not both held
    /// whole.
    pub fn from_loaded(documents: Vec<Document>, id: &str) -> Snapshot {
        Snapshot::from_desired(documents.into_par_iter(), id)
    }

    fn from_desired<D: std::borrow::Borrow<Document> + Send>(
        documents: impl IndexedParallelIterator<Item = D>,
        id: &str,
    ) -> Snapshot {
        Snapshot::from_normalized(documents.map(|d| {
            (
                normalize(d.borrow().to_value()),
                Provenance::Desired { id: id.to_owned() },
            )
        }))
    }

    /// Objects given as JSON values (normalised in parallel), each with the provenance
    /// `provenance` gives its key. A later object with the key of an earlier one replaces it.
    pub fn from_values(
        values: Vec<Value>,
        provenance: impl Fn(&ObjectKey) -> Provenance + Sync,
    ) -> Snapshot {
        Snapshot::from_normalized(values.into_par_iter().map(|v| {
            let n = normalize(v);
            let p = provenance(&n.key);
            (n, p)
        }))
    }

    /// Cluster objects as the Kubernetes backend returns them (`resourceVersion` is kept as
    /// provenance before normalisation drops it).
    pub fn from_cluster(values: Vec<Value>) -> Snapshot {
        Snapshot::from_normalized(values.into_par_iter().map(cluster_entry))
    }

    /// The managed files of a Git tree read below `layout`'s base directory. Files the read
    /// skipped (odd names, over the size limit), files that do not parse, hold other than one object, or hold an object whose file should be another
    /// are reported in [`Snapshot::problems`]; the object is still taken unless it cannot be
    /// read or its key was already seen.
    pub fn from_tree(tree: &Tree, layout: &Layout) -> Snapshot {
        let commit = tree.commit.to_hex();
        // Each file's object, kept as an entry, and the file the layout gives it, on every
        // core; only the inserts below run one after the other.
        type Parsed = Result<(ObjectKey, Entry, String), String>;
        let parsed: Vec<(String, Parsed)> = tree
            .files
            .par_iter()
            .filter(|(path, _)| Layout::is_managed(path))
            .map(|(path, bytes)| {
                let object = parse_file(path, bytes).map(|n| {
                    let expected = layout.managed_path(&n.key);
                    let provenance = Provenance::Git {
                        path: path.clone(),
                        commit: commit.clone(),
                    };
                    (n.key, Entry::new(&n.value, provenance), expected)
                });
                (path.clone(), object)
            })
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
                Ok((key, entry, expected)) => {
                    if snapshot.objects.contains_key(&key) {
                        snapshot.problems.push(SnapshotProblem {
                            code: DUPLICATE,
                            path,
                            message: format!("duplicate of {}; ignored", describe(&key)),
                        });
                        continue;
                    }
                    if expected != path {
                        snapshot.problems.push(SnapshotProblem {
                            code: MISPLACED,
                            path,
                            message: format!("{} belongs in `{expected}`", describe(&key)),
                        });
                    }
                    snapshot.objects.insert(key, entry);
                }
            }
        }
        snapshot
    }

    /// Adds (or replaces) one normalised object.
    pub fn insert(&mut self, object: Normalized, provenance: Provenance) {
        self.objects
            .insert(object.key, Entry::new(&object.value, provenance));
    }

    /// The normalised object of a key.
    pub fn get(&self, key: &ObjectKey) -> Option<Value> {
        self.objects.get(key).map(Entry::value)
    }

    /// The file an object was read from (Git snapshots only).
    pub fn path_of(&self, key: &ObjectKey) -> Option<&str> {
        self.objects.get(key)?.git_path()
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

    /// A snapshot of normalised objects, each kept as an entry on every core (the value
    /// tree is dropped as soon as it is stored).
    fn from_normalized(
        objects: impl IndexedParallelIterator<Item = (Normalized, Provenance)>,
    ) -> Snapshot {
        let entries: Vec<(ObjectKey, Entry)> = objects
            .map(|(n, provenance)| {
                let entry = Entry::new(&n.value, provenance);
                (n.key, entry)
            })
            .collect();
        let mut snapshot = Snapshot::new();
        // In input order: a later object with the key of an earlier one replaces it.
        for (key, entry) in entries {
            snapshot.objects.insert(key, entry);
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(value: &Value) -> Entry {
        Entry::new(value, Provenance::Desired { id: "t".into() })
    }

    /// A list nested `levels` deep around `1`.
    fn nested(levels: usize) -> Value {
        (0..levels).fold(json!(1), |inner, _| json!([inner]))
    }

    /// An entry gives its value back exactly (fields in order), and two entries are the
    /// same object exactly when their values are `==`: texts that differ only in field order
    /// are equal, one leaf apart is not, and values the text would not carry (floats, deep
    /// nesting past the parser's limit) are kept whole.
    #[test]
    fn entries_keep_values_exactly_and_compare_as_values_do() {
        let values = [
            json!({"a": 1, "b": [1, {"c": "x"}]}),
            json!({"b": [1, {"c": "x"}], "a": 1}),
            json!({"a": 1, "b": [1, {"c": "y"}]}),
            json!({"a": 1.0, "b": [1, {"c": "x"}]}),
            json!({"a": 0.1}),
            json!({"a": 0.1 + f64::EPSILON / 8.0}),
            json!({"a": null}),
            json!({}),
            nested(200),
            nested(201),
        ];
        for a in &values {
            let ea = entry(a);
            let back = ea.value();
            assert_eq!(&back, a);
            assert_eq!(back.to_string(), a.to_string(), "field order kept");
            for b in &values {
                assert_eq!(ea.same_object(&entry(b)), a == b, "{a} vs {b}");
            }
        }
    }

    /// Floats of every magnitude come back bit for bit (their text may parse to a
    /// neighbouring float, so such values are kept as trees).
    #[test]
    fn floats_come_back_bit_for_bit() {
        let mut bits: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            bits = bits.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let x = f64::from_bits(bits);
            if !x.is_finite() {
                continue;
            }
            let value = json!({"x": x});
            let back = entry(&value).value();
            assert_eq!(
                back["x"].as_f64().map(f64::to_bits),
                Some(x.to_bits()),
                "{x:e}"
            );
        }
    }
}
