//! Normalisation: the one pipeline every source goes through before objects are compared,
//! so that what the API server, upstream's mutating webhook or a GitOps tool adds is never
//! reported as drift.
//!
//! An object is decoded strictly (fields the model does not know are kept), defaulted as
//! upstream's `Default()` does (labels, DHCP defaults, sorted lists, …), serialised the way
//! Go prints it (zero values omitted), and stripped of what the server manages: `status`,
//! `metadata.managedFields`, `resourceVersion`, `uid`, `generation`, `creationTimestamp`,
//! `selfLink`, `deletionTimestamp`, `deletionGracePeriodSeconds` and the
//! `kubectl.kubernetes.io/last-applied-configuration` annotation. An empty namespace is
//! `default`. Documents of kinds the crate does not model are kept as they are, apart from
//! the server-managed fields.

use hedgehog_model::defaults::default_object;
use hedgehog_model::{Object, ObjectKey};
use serde_json::Value;

/// Metadata fields the API server writes; never drift.
const SERVER_METADATA: [&str; 7] = [
    "managedFields",
    "resourceVersion",
    "uid",
    "generation",
    "creationTimestamp",
    "selfLink",
    "deletionTimestamp",
];

/// `kubectl apply`'s record of the last applied object; never drift.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// An object in the canonical form compared by the drift engine.
#[derive(Clone, Debug, PartialEq)]
pub struct Normalized {
    /// The object's identity.
    pub key: ObjectKey,
    /// The canonical JSON.
    pub value: Value,
}

/// Normalises a raw object (from Git, the cluster or the caller).
pub fn normalize(value: Value) -> Normalized {
    let decoded = Object::from_value(value);
    let mut object = decoded.object;
    default_object(&mut object);
    let mut value = object.to_value_with(&decoded.unknown);
    strip_server_fields(&mut value);
    let key = key_of(&object, &value);
    Normalized { key, value }
}

fn key_of(object: &Object, value: &Value) -> ObjectKey {
    let mut key = object.key();
    if key.namespace.is_empty() && value.get("metadata").is_some() {
        key.namespace = "default".to_owned();
    }
    key
}

/// Removes what the API server manages (see the module docs) from an object, in place,
/// without decoding or defaulting it: the body of a server-side apply.
pub fn strip_server_fields(value: &mut Value) {
    let Value::Object(root) = value else { return };
    root.remove("status");
    let Some(Value::Object(meta)) = root.get_mut("metadata") else {
        return;
    };
    for field in SERVER_METADATA {
        meta.remove(field);
    }
    meta.remove("deletionGracePeriodSeconds");
    if meta
        .get("namespace")
        .is_none_or(|ns| ns.as_str() == Some(""))
    {
        meta.insert("namespace".to_owned(), Value::from("default"));
    }
    for map in ["annotations", "labels"] {
        if let Some(Value::Object(entries)) = meta.get_mut(map) {
            if map == "annotations" {
                entries.remove(LAST_APPLIED);
            }
            if entries.is_empty() {
                meta.remove(map);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strips_server_fields_and_keeps_unknown_ones() {
        let n = normalize(json!({
            "apiVersion": "example.com/v1", "kind": "Gadget",
            "metadata": {"name": "g", "uid": "1", "resourceVersion": "9",
                         "annotations": {LAST_APPLIED: "{}"}},
            "spec": {"x": 1}, "status": {"ready": true}
        }));
        assert_eq!(
            n.value,
            json!({"apiVersion": "example.com/v1", "kind": "Gadget",
                   "metadata": {"name": "g", "namespace": "default"}, "spec": {"x": 1}})
        );
        assert_eq!(
            (n.key.kind.as_str(), n.key.namespace.as_str()),
            ("Gadget", "default")
        );
    }
}
