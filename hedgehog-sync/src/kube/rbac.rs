//! RBAC manifests for a fabric's service account: the 14 Hedgehog kinds and nothing else.

use hedgehog_model::{Kind, VPC_GROUP, WIRING_GROUP};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// What the service account may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    /// `get`, `list`, `watch`.
    ReadOnly,
    /// Read plus `create`, `update`, `patch`, `delete`.
    ReadWrite,
}

const READ: [&str; 3] = ["get", "list", "watch"];
const WRITE: [&str; 4] = ["create", "update", "patch", "delete"];

/// YAML (four documents) of a ServiceAccount, a namespaced Role granting exactly the Hedgehog
/// kinds, a RoleBinding and a `kubernetes.io/service-account-token` Secret whose token the
/// fabric settings take. Plurals come from [`Kind::plural`]: manifests are written before
/// there is a cluster to ask.
pub fn rbac_manifests(name: &str, namespace: &str, access: Access) -> String {
    let verbs: Vec<&str> = match access {
        Access::ReadOnly => READ.to_vec(),
        Access::ReadWrite => READ.iter().chain(WRITE.iter()).copied().collect(),
    };
    let rules: Vec<Value> = [WIRING_GROUP, VPC_GROUP]
        .into_iter()
        .map(|group| {
            let resources: Vec<&str> = Kind::ALL
                .into_iter()
                .filter(|k| k.group() == group)
                .map(Kind::plural)
                .collect();
            json!({ "apiGroups": [group], "resources": resources, "verbs": verbs })
        })
        .collect();
    let meta = json!({ "name": name, "namespace": namespace, "labels": { "app.kubernetes.io/managed-by": "hedgehog" } });
    let docs = [
        json!({ "apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta }),
        json!({ "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": meta, "rules": rules }),
        json!({
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": meta,
            "roleRef": { "apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name },
            "subjects": [{ "kind": "ServiceAccount", "name": name, "namespace": namespace }],
        }),
        json!({
            "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
            "metadata": {
                "name": format!("{name}-token"), "namespace": namespace,
                "labels": { "app.kubernetes.io/managed-by": "hedgehog" },
                "annotations": { "kubernetes.io/service-account.name": name },
            },
        }),
    ];
    docs.iter()
        .map(|d| serde_yaml_ng::to_string(d).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("---\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_exactly_the_hedgehog_kinds() {
        let yaml = rbac_manifests("netbox-fab1", "fab1", Access::ReadOnly);
        let docs: Vec<Value> = serde_yaml_ng::Deserializer::from_str(&yaml)
            .map(|d| Value::deserialize(d).unwrap())
            .collect();
        let kinds: Vec<&str> = docs.iter().map(|d| d["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["ServiceAccount", "Role", "RoleBinding", "Secret"]);
        let rules = docs[1]["rules"].as_array().unwrap();
        let mut granted: Vec<String> = rules
            .iter()
            .flat_map(|r| {
                r["resources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_str().unwrap().to_owned())
            })
            .collect();
        granted.sort();
        let mut expected: Vec<String> = Kind::ALL.iter().map(|k| k.plural().to_owned()).collect();
        expected.sort();
        assert_eq!(granted, expected);
        assert!(granted.contains(&"switches".to_owned()));
        for r in rules {
            assert_eq!(r["verbs"], json!(["get", "list", "watch"]));
            assert_eq!(r["apiGroups"].as_array().unwrap().len(), 1);
        }
        assert_eq!(docs[3]["type"], "kubernetes.io/service-account-token");
        assert_eq!(
            docs[3]["metadata"]["annotations"]["kubernetes.io/service-account.name"],
            "netbox-fab1"
        );
        assert_eq!(docs[2]["roleRef"]["name"], "netbox-fab1");

        let rw = rbac_manifests("x", "default", Access::ReadWrite);
        let role: Value = serde_yaml_ng::Deserializer::from_str(&rw)
            .nth(1)
            .map(|d| Value::deserialize(d).unwrap())
            .unwrap();
        assert_eq!(
            role["rules"][0]["verbs"],
            json!([
                "get", "list", "watch", "create", "update", "patch", "delete"
            ])
        );
    }
}
