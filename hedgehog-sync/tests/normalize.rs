//! No false drift: an object as upstream's mutating webhook and the API server leave it
//! compares equal to its Git source after normalisation, and a hand edit shows up as one
//! change at the right path.

use hedgehog_sync::diff::{Op, diff};
use hedgehog_sync::normalize::normalize;
use serde_json::{Value, json};

fn git_source() -> Value {
    serde_yaml_ng::from_str(
        "apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-01
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      vlan: 1001
      dhcp:
        enable: true
        options:
          dnsServers: [10.0.0.3, 10.0.0.2]
  x-team-note: kept though unknown
",
    )
    .unwrap()
}

/// The same VPC as `kubectl get -o yaml` shows it after the webhook defaulted it.
fn cluster_copy() -> Value {
    json!({
        "apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "VPC",
        "metadata": {
            "name": "vpc-01", "namespace": "default", "uid": "0f3c", "resourceVersion": "41",
            "generation": 2, "creationTimestamp": "2026-11-01T10:00:00Z",
            "labels": {"fabric.githedgehog.com/ipv4ns": "default", "fabric.githedgehog.com/vlanns": "default"},
            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"spec\":{}}"},
            "managedFields": [{"manager": "kubectl", "operation": "Apply"}]
        },
        "spec": {
            "ipv4Namespace": "default", "vlanNamespace": "default",
            "subnets": {"default": {
                "subnet": "10.0.1.0/24", "gateway": "10.0.1.1", "vlan": 1001,
                "dhcp": {"enable": true,
                         "range": {"start": "10.0.1.2", "end": "10.0.1.255"},
                         "options": {"dnsServers": ["10.0.0.2", "10.0.0.3"], "timeServers": [],
                                     "interfaceMTU": 9036, "leaseTimeSeconds": 3600, "advertisedRoutes": []}}
            }},
            "x-team-note": "kept though unknown"
        },
        "status": {}
    })
}

#[test]
fn defaulted_cluster_object_is_in_sync_with_its_git_source() {
    let git = normalize(git_source());
    let cluster = normalize(cluster_copy());
    assert_eq!(git.key, cluster.key);
    assert_eq!(diff(&git.value, &cluster.value), []);
    // Unknown fields survive normalisation on both sides.
    assert_eq!(git.value["spec"]["x-team-note"], "kept though unknown");
}

#[test]
fn hand_edited_cluster_field_is_one_change_at_its_path() {
    let mut edited = cluster_copy();
    edited["spec"]["subnets"]["default"]["vlan"] = json!(1002);
    let changes = diff(&normalize(git_source()).value, &normalize(edited).value);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].path.to_string(), "spec.subnets.default.vlan");
    assert_eq!(
        (
            changes[0].op,
            changes[0].before.clone(),
            changes[0].after.clone()
        ),
        (Op::Changed, Some(json!(1001)), Some(json!(1002)))
    );
}
