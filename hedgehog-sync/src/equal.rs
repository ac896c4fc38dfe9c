//! Equality of normalised objects, fast in the common case.
//!
//! `serde_json`'s maps keep insertion order, and their `==` looks every key of one map up in
//! the other (a hash of each key). Two normalisations of the same object list their fields
//! in the same order, so walking both maps side by side settles almost every comparison
//! with no lookup; only maps whose fields come in another order fall back to `==`. The
//! answer is always exactly `==`'s.

use serde_json::Value;

/// Whether `a == b`.
pub(crate) fn same(a: &Value, b: &Value) -> bool {
    // Drift without a cluster (or desired) snapshot compares Git's copy with itself; JSON
    // values have no NaN, so a value always equals itself.
    if std::ptr::eq(a, b) {
        return true;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && (x
                    .iter()
                    .zip(y)
                    .all(|((kx, vx), (ky, vy))| kx == ky && same(vx, vy))
                    || x == y)
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        _ => a == b,
    }
}

/// [`same`] of values that may be absent (absent equals absent only).
pub(crate) fn same_opt(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same(a, b),
        (None, None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Pairs whose `==` answer `same` must give: equal, one field different at depth,
    /// the same fields in another order, a different length, a list order.
    #[test]
    fn agrees_with_eq() {
        let base = json!({"spec": {"a": 1, "b": [1, {"c": "x"}]}, "metadata": {"name": "n"}});
        let cases = [
            base.clone(),
            json!({"spec": {"a": 1, "b": [1, {"c": "y"}]}, "metadata": {"name": "n"}}),
            json!({"metadata": {"name": "n"}, "spec": {"b": [1, {"c": "x"}], "a": 1}}),
            json!({"metadata": {"name": "n"}, "spec": {"b": [1, {"c": "y"}], "a": 1}}),
            json!({"spec": {"a": 1, "b": [{"c": "x"}, 1]}, "metadata": {"name": "n"}}),
            json!({"spec": {"a": 1.0, "b": [1, {"c": "x"}]}, "metadata": {"name": "n"}}),
            json!({"spec": {"a": 1, "b": [1, {"c": "x"}]}}),
            json!({"spec": {"a": 1, "b": [1, {"c": "x"}], "d": null}, "metadata": {"name": "n"}}),
        ];
        for a in &cases {
            for b in &cases {
                assert_eq!(same(a, b), a == b, "{a} vs {b}");
            }
        }
        assert!(same(&base, &cases[2]), "field order is not a difference");
        assert!(!same(&base, &cases[1]), "one leaf differs");
        assert!(same_opt(None, None) && !same_opt(Some(&base), None));
        assert!(same(&base, &base), "a value is itself");
    }
}
