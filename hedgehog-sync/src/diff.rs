//! Field-level differences between two normalised objects.

use hedgehog_model::FieldPath;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What happened to a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// Present only after.
    Added,
    /// Present only before.
    Removed,
    /// Present on both sides with different values.
    Changed,
}

/// One differing field: `{path, op, before, after}` in JSON (`null` for a missing side).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Change {
    /// JSON path of the field (`spec.subnets.default.vlan`).
    pub path: FieldPath,
    /// Added, removed or changed.
    pub op: Op,
    /// The value before, if the field existed.
    pub before: Option<Value>,
    /// The value after, if the field exists.
    pub after: Option<Value>,
}

/// The differences from `before` to `after`: maps are compared key by key (in key order),
/// lists item by item, anything else by value. The result is deterministic and stops at the
/// first level where the two sides differ in type.
pub fn diff(before: &Value, after: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    walk(before, after, &mut FieldPath::root(), &mut out);
    out
}

fn walk(before: &Value, after: &Value, path: &mut FieldPath, out: &mut Vec<Change>) {
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                path.push_key(key.clone());
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => walk(x, y, path, out),
                    (Some(x), None) => out.push(change(path, Op::Removed, Some(x), None)),
                    (None, Some(y)) => out.push(change(path, Op::Added, None, Some(y))),
                    (None, None) => {}
                }
                path.pop();
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                path.push_index(i);
                match (a.get(i), b.get(i)) {
                    (Some(x), Some(y)) => walk(x, y, path, out),
                    (Some(x), None) => out.push(change(path, Op::Removed, Some(x), None)),
                    (None, Some(y)) => out.push(change(path, Op::Added, None, Some(y))),
                    (None, None) => {}
                }
                path.pop();
            }
        }
        (x, y) if x != y => out.push(change(path, Op::Changed, Some(x), Some(y))),
        _ => {}
    }
}

fn change(path: &FieldPath, op: Op, before: Option<&Value>, after: Option<&Value>) -> Change {
    Change {
        path: path.clone(),
        op,
        before: before.cloned(),
        after: after.cloned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_each_field_once_in_a_stable_order() {
        let a = json!({"spec": {"b": 1, "a": [1, 2], "gone": true}});
        let b = json!({"spec": {"b": 2, "a": [1], "new": {"x": 1}}});
        let changes = serde_json::to_value(diff(&a, &b)).unwrap();
        assert_eq!(
            changes,
            json!([
                {"path": "spec.a[1]", "op": "removed", "before": 2, "after": null},
                {"path": "spec.b", "op": "changed", "before": 1, "after": 2},
                {"path": "spec.gone", "op": "removed", "before": true, "after": null},
                {"path": "spec.new", "op": "added", "before": null, "after": {"x": 1}},
            ])
        );
        assert!(diff(&a, &a).is_empty());
    }
}
