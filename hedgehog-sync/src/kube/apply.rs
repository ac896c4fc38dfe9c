//! Opt-in writes: server-side apply (field manager `hedgehog`) and deletes with preconditions.

use futures::{StreamExt, stream};
use hedgehog_model::{Kind, ObjectKey};
use kube::api::{DeleteParams, Patch, PatchParams, Preconditions};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Cluster, ErrorInfo, FIELD_MANAGER, KubeError};
use crate::normalize::{normalize, strip_server_fields};

/// How to apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyOptions {
    /// `dryRun=All`: the server validates and answers the result without storing it.
    /// Allowed even when writes are disabled.
    pub dry_run: bool,
    /// Take ownership of fields another manager owns instead of failing with a conflict.
    pub force: bool,
}

/// What applying one object did (or would do, in a dry run).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome", content = "error")]
pub enum ApplyOutcome {
    /// The object did not exist.
    Created,
    /// The object existed and its content changed.
    Configured,
    /// The object existed with the same content.
    Unchanged,
    /// The apply failed.
    Error(ErrorInfo),
}

/// Result of applying one object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyResult {
    /// The object, when it named a Hedgehog kind and a name.
    pub key: Option<ObjectKey>,
    /// What happened.
    #[serde(flatten)]
    pub outcome: ApplyOutcome,
}

/// Preconditions of a delete: the server refuses (409) when the object no longer matches.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletePreconditions {
    /// `metadata.uid` the object must still have (it was not deleted and re-created).
    pub uid: Option<String>,
    /// `metadata.resourceVersion` the object must still have (nobody changed it).
    pub resource_version: Option<String>,
}

/// What a delete did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeleteOutcome {
    /// Deleted (or, with finalizers, marked for deletion); in a dry run: would be.
    Deleted,
    /// There was no such object.
    NotFound,
}

/// Objects applied at once.
const APPLY_CONCURRENCY: usize = 4;

impl Cluster {
    /// Server-side applies each object (field manager [`FIELD_MANAGER`]). The namespace is the
    /// object's, else the connection's. Fails as a whole only on a discovery failure or when
    /// writes are disabled and this is not a dry run; every object gets its own result.
    pub async fn apply(
        &self,
        objects: &[Value],
        options: ApplyOptions,
    ) -> Result<Vec<ApplyResult>, KubeError> {
        if !options.dry_run && !self.allow_writes {
            return Err(KubeError::WritesDisabled);
        }
        let served = self.served_kinds().await?;
        let served = &served;
        // Futures made before streaming keep the stream `Send` (see `test_connection`).
        let applies: Vec<_> = objects
            .iter()
            .map(|obj| async move {
                let key = self.key_of(obj);
                let outcome = match &key {
                    Ok(key) => match self.apply_one(served, key, obj, options).await {
                        Ok(outcome) => outcome,
                        Err(e) => ApplyOutcome::Error(e.info()),
                    },
                    Err(e) => ApplyOutcome::Error(e.info()),
                };
                ApplyResult {
                    key: key.ok(),
                    outcome,
                }
            })
            .collect();
        Ok(stream::iter(applies)
            .buffered(APPLY_CONCURRENCY)
            .collect()
            .await)
    }

    fn key_of(&self, obj: &Value) -> Result<ObjectKey, KubeError> {
        let text = |ptr: &str| {
            obj.pointer(ptr)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        let (api_version, kind) = (
            text("/apiVersion").unwrap_or_default(),
            text("/kind").unwrap_or_default(),
        );
        let kind = Kind::from_type(api_version, kind).ok_or_else(|| {
            KubeError::Object(format!("{api_version} {kind} is not a Hedgehog kind"))
        })?;
        let name = text("/metadata/name")
            .ok_or_else(|| KubeError::Object(format!("a {kind} has no metadata.name")))?;
        let namespace = text("/metadata/namespace").unwrap_or(&self.namespace);
        Ok(ObjectKey::new(kind, namespace, name))
    }

    async fn apply_one(
        &self,
        served: &super::ServedKinds,
        key: &ObjectKey,
        obj: &Value,
        options: ApplyOptions,
    ) -> Result<ApplyOutcome, KubeError> {
        let kind = key
            .known_kind()
            .ok_or_else(|| KubeError::Object(format!("{key} is not a Hedgehog kind")))?;
        let resource = served.get(kind).ok_or_else(|| {
            KubeError::Object(format!("the cluster does not serve {}", kind.api_version()))
        })?;
        let api = self.api(resource, Some(&key.namespace));
        let before = self
            .call("the read before apply", api.get_opt(&key.name))
            .await?;
        // Status and server bookkeeping are not ours to apply; a stale resourceVersion would
        // turn the apply into a conditional update.
        let mut body = obj.clone();
        strip_server_fields(&mut body);
        if let Some(meta) = body.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("namespace".into(), Value::String(key.namespace.clone()));
        }
        let mut params = PatchParams::apply(FIELD_MANAGER);
        params.force = options.force;
        params.dry_run = options.dry_run;
        let after = self
            .call(
                "the apply",
                api.patch(&key.name, &params, &Patch::Apply(&body)),
            )
            .await?;
        let Some(before) = before else {
            return Ok(ApplyOutcome::Created);
        };
        let as_value = |o| serde_json::to_value(o).map(|v| normalize(v).value);
        let same = matches!((as_value(before), as_value(after)), (Ok(a), Ok(b)) if a == b);
        Ok(if same {
            ApplyOutcome::Unchanged
        } else {
            ApplyOutcome::Configured
        })
    }

    /// Deletes one object if it still matches `preconditions`; a mismatch is a
    /// [`KubeError::Request`] with status 409.
    pub async fn delete(
        &self,
        key: &ObjectKey,
        preconditions: &DeletePreconditions,
        dry_run: bool,
    ) -> Result<DeleteOutcome, KubeError> {
        if !dry_run && !self.allow_writes {
            return Err(KubeError::WritesDisabled);
        }
        let kind = key
            .known_kind()
            .ok_or_else(|| KubeError::Object(format!("{key} is not a Hedgehog kind")))?;
        let served = self.served_kinds().await?;
        let resource = served.get(kind).ok_or_else(|| {
            KubeError::Object(format!("the cluster does not serve {}", kind.api_version()))
        })?;
        let api = self.api(resource, Some(&key.namespace));
        let params = DeleteParams {
            dry_run,
            preconditions: Some(Preconditions {
                uid: preconditions.uid.clone(),
                resource_version: preconditions.resource_version.clone(),
            }),
            ..Default::default()
        };
        match self
            .call("the delete", api.delete(&key.name, &params))
            .await
        {
            Ok(_) => Ok(DeleteOutcome::Deleted),
            Err(e) if e.status() == Some(404) => Ok(DeleteOutcome::NotFound),
            Err(e) => Err(e),
        }
    }
}
