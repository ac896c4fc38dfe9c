//! Upstream's label conventions: every label the fabric manages has a key containing
//! `fabric.githedgehog.com/`; `Default()` deletes them all ([`cleanup`]) and recomputes
//! them, so stale labels never survive a defaulting pass.

use std::collections::BTreeMap;

use kube::core::ObjectMeta;

/// The prefix of every fabric-managed label key.
pub(crate) const LABEL_PREFIX: &str = "fabric.githedgehog.com/";

/// The value of list labels (`<type>.fabric.githedgehog.com/<name>: "true"`).
pub(crate) const LIST_LABEL_VALUE: &str = "true";

/// `fabric.githedgehog.com/<name>` (upstream `LabelName`).
pub(crate) fn label_name(name: &str) -> String {
    let mut key = String::with_capacity(LABEL_PREFIX.len() + name.len());
    key.push_str(LABEL_PREFIX);
    key.push_str(name);
    key
}

/// `<list_type>.fabric.githedgehog.com/<name>` (upstream `ListLabel`).
pub(crate) fn list_label(list_type: &str, name: &str) -> String {
    let mut key = String::with_capacity(list_type.len() + 1 + LABEL_PREFIX.len() + name.len());
    key.push_str(list_type);
    key.push('.');
    key.push_str(LABEL_PREFIX);
    key.push_str(name);
    key
}

/// Upstream `CleanupFabricLabels`: removes every label whose key contains
/// `fabric.githedgehog.com/`. An emptied label map is dropped, which is how Go's
/// `omitempty` renders it, so defaulting twice gives the same object.
pub(crate) fn cleanup(meta: &mut ObjectMeta) {
    if let Some(labels) = &mut meta.labels {
        labels.retain(|key, _| !key.contains(LABEL_PREFIX));
        if labels.is_empty() {
            meta.labels = None;
        }
    }
}

/// The object's labels, created when missing.
fn labels_mut(meta: &mut ObjectMeta) -> &mut BTreeMap<String, String> {
    meta.labels.get_or_insert_with(BTreeMap::new)
}

/// Sets `fabric.githedgehog.com/<name>: <value>`.
pub(crate) fn set(meta: &mut ObjectMeta, name: &str, value: &str) {
    labels_mut(meta).insert(label_name(name), value.to_owned());
}

/// Sets the list label `<list_type>.fabric.githedgehog.com/<name>: "true"`.
pub(crate) fn set_list(meta: &mut ObjectMeta, list_type: &str, name: &str) {
    labels_mut(meta).insert(list_label(list_type, name), LIST_LABEL_VALUE.to_owned());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleanup_removes_only_fabric_labels() {
        let mut meta = ObjectMeta {
            labels: Some(BTreeMap::from([
                ("app".to_owned(), "x".to_owned()),
                ("fabric.githedgehog.com/vpc".to_owned(), "a".to_owned()),
                ("vpc.fabric.githedgehog.com/a".to_owned(), "true".to_owned()),
            ])),
            ..ObjectMeta::default()
        };
        cleanup(&mut meta);
        assert_eq!(
            meta.labels,
            Some(BTreeMap::from([("app".to_owned(), "x".to_owned())]))
        );
        set(&mut meta, "vpc", "b");
        set_list(&mut meta, "switch", "leaf-1");
        let labels = meta.labels.clone().unwrap_or_default();
        assert_eq!(
            labels.get("fabric.githedgehog.com/vpc").map(String::as_str),
            Some("b")
        );
        assert_eq!(
            labels
                .get("switch.fabric.githedgehog.com/leaf-1")
                .map(String::as_str),
            Some("true")
        );
        meta.labels = Some(BTreeMap::from([(
            "x.fabric.githedgehog.com/y".to_owned(),
            String::new(),
        )]));
        cleanup(&mut meta);
        assert_eq!(meta.labels, None);
    }
}
