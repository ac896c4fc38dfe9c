//! Which Hedgehog kinds the cluster serves, and under which plural — from API discovery.

use hedgehog_model::{Kind, VERSION, VPC_GROUP, WIRING_GROUP};
use kube::core::{ApiResource, GroupVersionKind};
use kube::discovery::Discovery;

use super::error::KubeError;
use super::{Cluster, ErrorClass};

/// One Hedgehog kind as the API server serves it.
#[derive(Clone, Debug)]
pub struct ServedKind {
    /// The kind.
    pub kind: Kind,
    /// Group, version `v1beta1`, kind and the plural the server announced.
    pub resource: ApiResource,
    /// Every version of the group that serves this kind.
    pub versions: Vec<String>,
}

/// The Hedgehog kinds a cluster serves and those it lacks.
#[derive(Clone, Debug)]
pub struct ServedKinds {
    /// Served kinds, in [`Kind::ALL`] order.
    pub served: Vec<ServedKind>,
    /// Kinds the cluster does not serve at `v1beta1` (CRD missing or another version only).
    pub missing: Vec<Kind>,
    /// False when discovery was refused and the offline plural table stood in.
    pub from_discovery: bool,
}

impl ServedKinds {
    /// All 14 kinds with the plurals of [`Kind::plural`], for servers that refuse discovery.
    pub fn offline() -> ServedKinds {
        let served = Kind::ALL
            .into_iter()
            .map(|kind| ServedKind {
                kind,
                resource: offline_resource(kind),
                versions: vec![VERSION.to_owned()],
            })
            .collect();
        ServedKinds {
            served,
            missing: Vec::new(),
            from_discovery: false,
        }
    }

    /// The served entry of a kind.
    pub fn get(&self, kind: Kind) -> Option<&ServedKind> {
        self.served.iter().find(|s| s.kind == kind)
    }

    fn from_discovery(discovery: &Discovery) -> ServedKinds {
        let mut served = Vec::new();
        let mut missing = Vec::new();
        for kind in Kind::ALL {
            let found = discovery.get(kind.group()).map(|group| {
                let versions: Vec<String> = group
                    .versions()
                    .filter(|v| {
                        group
                            .versioned_resources(v)
                            .iter()
                            .any(|(ar, _)| ar.kind == kind.name())
                    })
                    .map(str::to_owned)
                    .collect();
                let resource = group
                    .versioned_resources(VERSION)
                    .into_iter()
                    .map(|(ar, _)| ar)
                    .find(|ar| ar.kind == kind.name());
                (resource, versions)
            });
            match found {
                Some((Some(resource), versions)) => served.push(ServedKind {
                    kind,
                    resource,
                    versions,
                }),
                _ => missing.push(kind),
            }
        }
        ServedKinds {
            served,
            missing,
            from_discovery: true,
        }
    }
}

fn offline_resource(kind: Kind) -> ApiResource {
    ApiResource::from_gvk_with_plural(
        &GroupVersionKind::gvk(kind.group(), VERSION, kind.name()),
        kind.plural(),
    )
}

impl Cluster {
    /// Runs discovery of the two Hedgehog groups (cached for later calls).
    pub async fn served_kinds(&self) -> Result<std::sync::Arc<ServedKinds>, KubeError> {
        if let Some(cached) = self.served.lock().ok().and_then(|c| c.clone()) {
            return Ok(cached);
        }
        self.refresh_served_kinds().await
    }

    /// Runs discovery again, e.g. after CRDs were installed.
    pub async fn refresh_served_kinds(&self) -> Result<std::sync::Arc<ServedKinds>, KubeError> {
        let discovery = Discovery::new(self.client.clone()).filter(&[VPC_GROUP, WIRING_GROUP]);
        let served = match self.call("API discovery", discovery.run()).await {
            Ok(d) => ServedKinds::from_discovery(&d),
            // Discovery is open to every authenticated user on stock clusters; some hardened ones
            // close it, and then the static table is the best knowledge there is.
            Err(e) if e.class() == ErrorClass::Forbidden => ServedKinds::offline(),
            Err(e) => return Err(e),
        };
        let served = std::sync::Arc::new(served);
        if let Ok(mut cache) = self.served.lock() {
            *cache = Some(served.clone());
        }
        Ok(served)
    }
}
