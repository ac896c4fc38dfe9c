//! Three-way merge of one object: the last common Git version is the base, "ours" is the
//! desired state, "theirs" the cluster (or another branch).
//!
//! Maps merge key by key; any other value (lists included: upstream replaces lists as a
//! whole) is taken from the side that changed it. A field both sides changed to different
//! values is a conflict: it is reported with the three values and the merged object keeps
//! ours there, so a caller that forces the merge gets the desired state for that field.

use hedgehog_model::FieldPath;
use serde::Serialize;
use serde_json::{Map, Value};

/// A field both sides changed differently.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MergeConflict {
    /// The field.
    pub path: FieldPath,
    /// Its value in the base (`None`: absent).
    pub base: Option<Value>,
    /// Its value on our side.
    pub ours: Option<Value>,
    /// Its value on their side.
    pub theirs: Option<Value>,
}

/// The result of [`merge3`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Merge {
    /// The merged object (`None`: deleted); ours at conflicting fields.
    pub merged: Option<Value>,
    /// The conflicting fields, in path order.
    pub conflicts: Vec<MergeConflict>,
}

impl Merge {
    /// Whether the merge is clean.
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }
}

/// Merges `ours` and `theirs`, both derived from `base` (`None` is an absent object).
pub fn merge3(base: Option<&Value>, ours: Option<&Value>, theirs: Option<&Value>) -> Merge {
    let mut conflicts = Vec::new();
    let merged = merge_at(&mut FieldPath::root(), base, ours, theirs, &mut conflicts);
    Merge { merged, conflicts }
}

fn merge_at(
    path: &mut FieldPath,
    base: Option<&Value>,
    ours: Option<&Value>,
    theirs: Option<&Value>,
    conflicts: &mut Vec<MergeConflict>,
) -> Option<Value> {
    if ours == theirs || theirs == base {
        return ours.cloned();
    }
    if ours == base {
        return theirs.cloned();
    }
    if let (Some(Value::Object(o)), Some(Value::Object(t))) = (ours, theirs) {
        let b = match base {
            Some(Value::Object(b)) => Some(b),
            _ => None,
        };
        let mut keys: Vec<&String> = o.keys().chain(t.keys()).collect();
        keys.sort();
        keys.dedup();
        let mut out = Map::new();
        for key in keys {
            path.push_key(key.clone());
            let field = merge_at(
                path,
                b.and_then(|b| b.get(key)),
                o.get(key),
                t.get(key),
                conflicts,
            );
            path.pop();
            if let Some(v) = field {
                out.insert(key.clone(), v);
            }
        }
        return Some(Value::Object(out));
    }
    conflicts.push(MergeConflict {
        path: path.clone(),
        base: base.cloned(),
        ours: ours.cloned(),
        theirs: theirs.cloned(),
    });
    ours.cloned()
}
