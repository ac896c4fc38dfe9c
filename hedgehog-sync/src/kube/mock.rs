//! Unit-test transport: a tower-test mock service answered by a routing closure.

use http::{Request, Response};
use kube::client::Body;
use serde_json::{Value, json};

use super::Cluster;

/// What the fake answers: status and body bytes, or a transport error.
pub(crate) enum Reply {
    Json(u16, Value),
    Raw(u16, Vec<u8>),
    Fail(std::io::Error),
    /// Never answered: a watch that stays open.
    Hang,
}

/// Request as the router sees it: method, path and query.
pub(crate) struct Seen {
    pub method: String,
    pub path: String,
    pub query: String,
}

/// A cluster whose every request is answered by `route`; the task ends with the client.
pub(crate) fn cluster(route: impl Fn(&Seen) -> Reply + Send + 'static) -> Cluster {
    let (svc, mut handle) = tower_test::mock::pair::<Request<Body>, Response<Body>>();
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Some((req, send)) = handle.next_request().await {
            let seen = Seen {
                method: req.method().to_string(),
                path: req.uri().path().to_owned(),
                query: req.uri().query().unwrap_or_default().to_owned(),
            };
            let (code, body) = match route(&seen) {
                Reply::Json(code, v) => (code, serde_json::to_vec(&v).unwrap()),
                Reply::Raw(code, b) => (code, b),
                Reply::Fail(e) => {
                    send.send_error(e);
                    continue;
                }
                Reply::Hang => {
                    open.push(send);
                    continue;
                }
            };
            send.send_response(
                Response::builder()
                    .status(code)
                    .body(Body::from(body))
                    .unwrap(),
            );
        }
    });
    Cluster::from_client(kube::Client::new(svc, "default"), "default")
}

pub(crate) fn status(code: u16, reason: &str, message: &str) -> Reply {
    Reply::Json(
        code,
        json!({"apiVersion": "v1", "kind": "Status", "metadata": {}, "status": "Failure",
               "code": code, "reason": reason, "message": message}),
    )
}

/// Discovery answers serving the given plurals of both groups at v1beta1.
pub(crate) fn discovery(seen: &Seen, served: &[hedgehog_model::Kind]) -> Option<Reply> {
    let groups = [hedgehog_model::VPC_GROUP, hedgehog_model::WIRING_GROUP];
    if seen.path == "/apis" {
        let list: Vec<Value> = groups
            .iter()
            .map(|g| {
                let gv = json!({"groupVersion": format!("{g}/v1beta1"), "version": "v1beta1"});
                json!({"name": g, "versions": [gv.clone()], "preferredVersion": gv})
            })
            .collect();
        return Some(Reply::Json(
            200,
            json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": list}),
        ));
    }
    let group = groups
        .iter()
        .find(|g| seen.path == format!("/apis/{g}/v1beta1"))?;
    let resources: Vec<Value> = served
        .iter()
        .filter(|k| k.group() == *group)
        .map(|k| {
            json!({"name": k.plural(), "singularName": "", "namespaced": true, "kind": k.name(),
                   "verbs": ["get", "list", "watch", "create", "update", "patch", "delete"]})
        })
        .collect();
    Some(Reply::Json(
        200,
        json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": format!("{group}/v1beta1"), "resources": resources}),
    ))
}

pub(crate) fn object(kind: hedgehog_model::Kind, name: &str, rv: &str) -> Value {
    json!({"apiVersion": kind.api_version(), "kind": kind.name(),
           "metadata": {"name": name, "namespace": "default", "resourceVersion": rv, "uid": format!("uid-{name}"),
                        "managedFields": [{"manager": "kubectl", "operation": "Apply"}]},
           "spec": {}})
}
