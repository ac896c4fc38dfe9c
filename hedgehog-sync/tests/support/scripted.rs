//! An in-process scripted API server for scale measurements, shared by
//! tests/kube_watch_scale.rs and benches/benches/watch.rs: a tower-test transport that answers
//! discovery (VPC only), a paged list of the given objects (`limit`/`continue`) and one watch
//! stream with the given body; later watches stay open without events.

use std::sync::Arc;

use hedgehog_sync::kube::Cluster;
use http::{Request, Response};
use kube::client::Body;
use serde_json::{Value, json};

/// A VPC of realistic size (two subnets, labels, one managedFields entry).
pub fn vpc(i: usize, rv: usize) -> Value {
    json!({
        "apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "VPC",
        "metadata": {
            "name": format!("vpc-{i:06}"), "namespace": "default", "resourceVersion": rv.to_string(),
            "uid": format!("00000000-0000-0000-0000-{i:012}"), "generation": 1,
            "creationTimestamp": "2026-11-22T09:00:00Z",
            "labels": {"fabric.githedgehog.com/ipv4ns": "default", "fabric.githedgehog.com/vlanns": "default"},
            "managedFields": [{"manager": "hhfab", "operation": "Apply", "apiVersion": "vpc.githedgehog.com/v1beta1",
                "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:subnets": {"f:default": {".": {}, "f:subnet": {}, "f:vlan": {}}}}}}],
        },
        "spec": {
            "ipv4Namespace": "default", "vlanNamespace": "default", "mode": "",
            "subnets": {
                "default": {"subnet": format!("10.{}.{}.0/24", i / 256 % 256, i % 256), "gateway": "", "vlan": 1000 + i % 3000,
                            "dhcp": {"enable": true, "range": {"start": "", "end": ""}}},
                "backup": {"subnet": format!("172.16.{}.0/24", i % 256), "vlan": 2000 + i % 1000},
            },
        },
        "status": {},
    })
}

/// `n` MODIFIED events for `vpc(i % objects)` with resourceVersions after `objects`, as a
/// newline-delimited watch body.
pub fn modified_events(objects: usize, n: usize) -> Vec<u8> {
    let mut body = Vec::new();
    for e in 0..n {
        let event = json!({"type": "MODIFIED", "object": vpc(e % objects, objects + e + 1)});
        serde_json::to_writer(&mut body, &event).unwrap();
        body.push(b'\n');
    }
    body
}

/// A cluster served by the script. Needs a Tokio runtime.
pub fn scripted_cluster(objects: Arc<Vec<Value>>, watch_body: Arc<Vec<u8>>) -> Cluster {
    let (svc, mut handle) = tower_test::mock::pair::<Request<Body>, Response<Body>>();
    tokio::spawn(async move {
        let mut open = Vec::new();
        let mut watched = false;
        while let Some((req, send)) = handle.next_request().await {
            let path = req.uri().path().to_owned();
            let query = req.uri().query().unwrap_or_default().to_owned();
            let param = |k: &str| {
                query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
                    .map(str::to_owned)
            };
            let body: Vec<u8> = if path == "/apis" {
                let gv =
                    json!({"groupVersion": "vpc.githedgehog.com/v1beta1", "version": "v1beta1"});
                serde_json::to_vec(&json!({"kind": "APIGroupList", "apiVersion": "v1",
                    "groups": [{"name": "vpc.githedgehog.com", "versions": [gv.clone()], "preferredVersion": gv}]}))
                .unwrap()
            } else if path == "/apis/vpc.githedgehog.com/v1beta1" {
                serde_json::to_vec(&json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "vpc.githedgehog.com/v1beta1",
                    "resources": [{"name": "vpcs", "singularName": "vpc", "namespaced": true, "kind": "VPC",
                                   "verbs": ["get", "list", "watch"]}]}))
                .unwrap()
            } else if param("watch").as_deref() == Some("true") {
                if watched {
                    open.push(send);
                    continue;
                }
                watched = true;
                watch_body.as_ref().clone()
            } else {
                let start: usize = param("continue").and_then(|c| c.parse().ok()).unwrap_or(0);
                let limit: usize = param("limit")
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(objects.len());
                let end = (start + limit).min(objects.len());
                let cont = if end < objects.len() {
                    json!(end.to_string())
                } else {
                    json!(null)
                };
                serde_json::to_vec(&json!({"apiVersion": "v1", "kind": "List",
                    "metadata": {"resourceVersion": objects.len().to_string(), "continue": cont}, "items": &objects[start..end]}))
                .unwrap()
            };
            send.send_response(
                Response::builder()
                    .status(200)
                    .body(Body::from(body))
                    .unwrap(),
            );
        }
    });
    Cluster::from_client(kube::Client::new(svc, "default"), "default")
}
