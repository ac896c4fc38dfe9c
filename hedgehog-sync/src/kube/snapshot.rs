//! Listing every served Hedgehog kind into a snapshot, and planning a bulk import from it.

use std::collections::{BTreeSet, HashMap};

use futures::{StreamExt, stream};
use hedgehog_model::{Kind, ObjectKey};
use kube::api::{DynamicObject, ListParams};
use kube::core::ApiResource;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::discovery::ServedKind;
use super::{Cluster, ErrorInfo, KubeError};

/// One object as the cluster holds it (`metadata.managedFields` removed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterObject {
    /// Identity of the object.
    pub key: ObjectKey,
    /// The whole object: apiVersion, kind, metadata, spec and status.
    pub value: Value,
    /// `metadata.resourceVersion`.
    pub resource_version: Option<String>,
}

impl ClusterObject {
    /// Converts a dynamic object of a known resource, filling apiVersion/kind when the server
    /// left them out and dropping managedFields (large and never compared). Serialises by
    /// reference: store snapshots must not deep-clone every object first.
    pub(crate) fn from_dynamic(
        obj: &DynamicObject,
        resource: &ApiResource,
    ) -> Result<Self, KubeError> {
        let key = ObjectKey {
            api_group: resource.group.clone(),
            kind: resource.kind.clone(),
            namespace: obj.metadata.namespace.clone().unwrap_or_default(),
            name: obj.metadata.name.clone().unwrap_or_default(),
        };
        let resource_version = obj.metadata.resource_version.clone();
        let mut value = serde_json::to_value(obj)
            .map_err(|e| KubeError::Object(format!("cannot encode {}: {e}", key)))?;
        if let Some(map) = value.as_object_mut() {
            if let Some(meta) = map.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.remove("managedFields");
            }
            map.entry("apiVersion")
                .or_insert_with(|| Value::String(resource.api_version.clone()));
            map.entry("kind")
                .or_insert_with(|| Value::String(resource.kind.clone()));
        }
        Ok(ClusterObject {
            key,
            value,
            resource_version,
        })
    }
}

/// A listing failure of one kind; the other kinds' objects are still in the snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindError {
    /// The kind whose listing failed.
    pub kind: Kind,
    /// What failed.
    pub error: ErrorInfo,
}

/// Every Hedgehog object of the cluster (in scope), sorted by key.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClusterSnapshot {
    /// The objects, sorted by [`ObjectKey`].
    pub objects: Vec<ClusterObject>,
    /// Kinds whose listing failed.
    pub errors: Vec<KindError>,
    /// Kinds the cluster does not serve.
    pub missing_kinds: Vec<Kind>,
}

/// Default page size of list requests (`limit`).
pub const DEFAULT_PAGE_SIZE: u32 = 500;
/// Kinds listed at once; the API server handles a few parallel lists better than 14.
const LIST_CONCURRENCY: usize = 4;

impl Cluster {
    /// Lists every served Hedgehog kind, `page_size` objects per request (`limit`/`continue`),
    /// a few kinds at a time. Fails only if discovery fails; per-kind failures are reported in
    /// [`ClusterSnapshot::errors`].
    pub async fn list_all(&self, page_size: u32) -> Result<ClusterSnapshot, KubeError> {
        let served = self.served_kinds().await?;
        // Futures made before streaming keep the stream `Send` (see `test_connection`).
        let lists: Vec<_> = served
            .served
            .iter()
            .map(|s| async move { (s.kind, self.list_kind(s, page_size).await) })
            .collect();
        let results: Vec<(Kind, Result<Vec<ClusterObject>, KubeError>)> = stream::iter(lists)
            .buffer_unordered(LIST_CONCURRENCY)
            .collect()
            .await;
        let mut snapshot = ClusterSnapshot {
            missing_kinds: served.missing.clone(),
            ..Default::default()
        };
        for (kind, result) in results {
            match result {
                Ok(objects) => snapshot.objects.extend(objects),
                Err(e) => snapshot.errors.push(KindError {
                    kind,
                    error: e.info(),
                }),
            }
        }
        snapshot.objects.sort_by(|a, b| a.key.cmp(&b.key));
        snapshot.errors.sort_by_key(|e| e.kind);
        Ok(snapshot)
    }

    /// Lists one kind page by page.
    pub(crate) async fn list_kind(
        &self,
        served: &ServedKind,
        page_size: u32,
    ) -> Result<Vec<ClusterObject>, KubeError> {
        let api = self.api(served, None);
        let mut objects = Vec::new();
        let mut token: Option<String> = None;
        let mut restarted = false;
        loop {
            let mut params = ListParams::default().limit(page_size.max(1));
            if let Some(t) = &token {
                params = params.continue_token(t);
            }
            let what = format!("the list of {}", served.resource.plural);
            let page = match self.call(&what, api.list(&params)).await {
                Ok(page) => page,
                // A continue token expires after a few minutes (410 Gone); start over once
                // rather than return a partial kind.
                Err(e) if e.status() == Some(410) && token.is_some() && !restarted => {
                    restarted = true;
                    token = None;
                    objects.clear();
                    continue;
                }
                Err(e) => return Err(e),
            };
            for obj in page.items {
                objects.push(ClusterObject::from_dynamic(&obj, &served.resource)?);
            }
            match page.metadata.continue_ {
                Some(t) if !t.is_empty() => token = Some(t),
                _ => return Ok(objects),
            }
        }
    }
}

/// What NetBox already has for an object: a [`content_hash`] or the stored object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Known {
    /// [`content_hash`] of the stored object.
    Hash(String),
    /// The stored object.
    Value(Value),
}

/// What to do in NetBox to mirror a cluster snapshot.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportPlan {
    /// In the cluster, unknown to NetBox.
    pub create: Vec<ClusterObject>,
    /// In both, with different content.
    pub update: Vec<ClusterObject>,
    /// In both, same content.
    pub unchanged: Vec<ObjectKey>,
    /// Known to NetBox, gone from the cluster. Kinds whose listing failed or that the cluster
    /// does not serve are left out: their absence proves nothing.
    pub missing_in_cluster: Vec<ObjectKey>,
}

/// Compares a snapshot with what NetBox knows, as the drift engine compares objects
/// ([`crate::normalize`]: an object NetBox stored without upstream's defaults is unchanged
/// against the defaulted cluster copy).
pub fn plan_import(snapshot: &ClusterSnapshot, known: &HashMap<ObjectKey, Known>) -> ImportPlan {
    let mut plan = ImportPlan::default();
    let mut seen = BTreeSet::new();
    for obj in &snapshot.objects {
        seen.insert(&obj.key);
        let same = match known.get(&obj.key) {
            None => {
                plan.create.push(obj.clone());
                continue;
            }
            Some(Known::Hash(h)) => *h == content_hash(&obj.value),
            Some(Known::Value(v)) => normalized(v) == normalized(&obj.value),
        };
        if same {
            plan.unchanged.push(obj.key.clone());
        } else {
            plan.update.push(obj.clone());
        }
    }
    let unlisted: BTreeSet<String> = snapshot
        .errors
        .iter()
        .map(|e| e.kind)
        .chain(snapshot.missing_kinds.iter().copied())
        .map(|k| k.name().to_owned())
        .collect();
    let mut missing: Vec<ObjectKey> = known
        .keys()
        .filter(|k| !seen.contains(k) && !unlisted.contains(&k.kind))
        .cloned()
        .collect();
    missing.sort();
    plan.missing_in_cluster = missing;
    plan
}

/// Hex SHA-256 of the object as the drift engine compares it ([`crate::normalize`]:
/// upstream defaulting, server-managed fields removed) in canonical JSON (keys sorted), so
/// the same content hashes the same whatever the key order it arrived in and whether or not
/// the webhook defaulted it.
pub fn content_hash(value: &Value) -> String {
    let canonical = canonical(&normalized(value));
    let digest = Sha256::digest(canonical.to_string().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn normalized(value: &Value) -> Value {
    crate::normalize::normalize(value.clone()).value
}

fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), canonical(v)))
                    .collect::<Map<String, Value>>(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(name: &str, vlan: u64, rv: &str) -> ClusterObject {
        ClusterObject {
            key: ObjectKey::new(Kind::Vpc, "default", name),
            value: json!({
                "apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "VPC",
                "metadata": {"name": name, "namespace": "default", "resourceVersion": rv, "uid": "u-1",
                    "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"}},
                "spec": {"subnets": {"default": {"vlan": vlan}}},
                "status": {"ready": true},
            }),
            resource_version: Some(rv.to_owned()),
        }
    }

    #[test]
    fn hash_ignores_server_fields_and_key_order() {
        let a = obj("v1", 1000, "5").value;
        let b = json!({
            "spec": {"subnets": {"default": {"vlan": 1000}}},
            "metadata": {"namespace": "default", "name": "v1"},
            "kind": "VPC", "apiVersion": "vpc.githedgehog.com/v1beta1",
        });
        assert_eq!(content_hash(&a), content_hash(&b));
        assert_ne!(content_hash(&a), content_hash(&obj("v1", 1001, "5").value));
        assert_eq!(normalized(&a), normalized(&b));
        // Defaulting is part of the comparison: the webhook's additions are not a change.
        let mut defaulted = crate::normalize::normalize(b.clone()).value;
        defaulted["metadata"]["resourceVersion"] = json!("9");
        assert_eq!(content_hash(&defaulted), content_hash(&b));
    }

    #[test]
    fn plan_sorts_objects_into_four_sets() {
        let snapshot = ClusterSnapshot {
            objects: vec![
                obj("new", 1, "1"),
                obj("same", 2, "2"),
                obj("changed", 3, "3"),
            ],
            errors: vec![KindError {
                kind: Kind::Switch,
                error: ErrorInfo {
                    class: super::super::ErrorClass::Forbidden,
                    status: Some(403),
                    message: "no".into(),
                },
            }],
            missing_kinds: vec![Kind::External],
        };
        let mut known = HashMap::new();
        known.insert(
            ObjectKey::new(Kind::Vpc, "default", "same"),
            Known::Hash(content_hash(&obj("same", 2, "9").value)),
        );
        known.insert(
            ObjectKey::new(Kind::Vpc, "default", "changed"),
            Known::Value(obj("changed", 4, "3").value),
        );
        known.insert(
            ObjectKey::new(Kind::Vpc, "default", "gone"),
            Known::Hash("x".into()),
        );
        known.insert(
            ObjectKey::new(Kind::Switch, "default", "s1"),
            Known::Hash("x".into()),
        );
        known.insert(
            ObjectKey::new(Kind::External, "default", "e1"),
            Known::Hash("x".into()),
        );
        let plan = plan_import(&snapshot, &known);
        assert_eq!(
            plan.create
                .iter()
                .map(|o| o.key.name.as_str())
                .collect::<Vec<_>>(),
            ["new"]
        );
        assert_eq!(
            plan.update
                .iter()
                .map(|o| o.key.name.as_str())
                .collect::<Vec<_>>(),
            ["changed"]
        );
        assert_eq!(
            plan.unchanged,
            [ObjectKey::new(Kind::Vpc, "default", "same")]
        );
        assert_eq!(
            plan.missing_in_cluster,
            [ObjectKey::new(Kind::Vpc, "default", "gone")]
        );
    }
}
