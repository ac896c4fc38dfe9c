//! Several `hedgehogd` replicas sharing fabrics through Kubernetes Leases (issue 15), all
//! real: the replicas are `hedgehogd serve` processes on 127.0.0.1, the Leases live in a real
//! kube-apiserver (`hedgehog_benches::test_apiserver`), the fabrics are `file://` bare
//! repositories whose `pre-receive` hook records every push with the pushing replica's
//! identity and, with `flock -n`, whether another push to the same fabric was under way.
//!
//! The replicas authenticate as the deploy ServiceAccount (`deploy/kubernetes/`), bound to
//! the Leases-only Role: a verb missing from `role.yaml` fails these tests.
//!
//! Short Leases keep the file fast: 4 s, renew deadline 3 s, retry period 1 s.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use hedgehog_benches::daemon::{Client, Daemon, bare_remote};
use hedgehog_benches::test_apiserver::{TestApiServer, shared};
use hedgehog_sync::kube::Cluster;
use k8s_openapi::NamespaceResourceScope;
use k8s_openapi::api::authentication::v1::{TokenRequest, TokenRequestSpec};
use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use k8s_openapi::api::rbac::v1::{Role, RoleBinding};
use kube::api::{ObjectMeta, PostParams};
use kube::{Api, Resource};
use serde_json::{Value, json};

const FABRICS: usize = 12;
const LEASE_SECS: u64 = 4;
/// Passes run every 5 s (the shortest interval), so a paused replica has overdue passes.
const INTERVAL_SECS: u64 = 5;

/// The tests start several replicas each; one at a time keeps the two cores' load (and so
/// the Lease timing) predictable.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_hedgehogd"))
}

fn server() -> &'static TestApiServer {
    shared(Path::new(env!("CARGO_TARGET_TMPDIR")))
}

/// Twelve fabrics in bare remotes, a shared desired state, and a namespace of its own with
/// the deploy ServiceAccount, Role and RoleBinding in it.
struct Fleet {
    tmp: tempfile::TempDir,
    namespace: String,
    /// The replicas' kubeconfig: the deploy ServiceAccount's token, nothing more.
    kubeconfig: PathBuf,
}

impl Fleet {
    async fn new(name: &str) -> Fleet {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        for i in 0..FABRICS {
            let dir = tmp.path().join(fabric(i));
            std::fs::create_dir_all(&dir).unwrap();
            let remote = bare_remote(&home, &dir).unwrap();
            let hook = remote.join("hooks/pre-receive");
            let script = format!(
                "#!/bin/sh\ncat >/dev/null\nexec 9>'{lock}'\n\
                 if ! flock -n 9; then echo \"overlap $HEDGEHOGD_IDENTITY\" >> '{log}'; flock 9; fi\n\
                 echo \"start $HEDGEHOGD_IDENTITY $(date +%s%N)\" >> '{log}'\nsleep 0.2\n\
                 echo \"end $HEDGEHOGD_IDENTITY $(date +%s%N)\" >> '{log}'\n",
                lock = dir.join("push.lock").display(),
                log = dir.join("pushes.log").display(),
            );
            std::fs::write(&hook, script).unwrap();
            std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        std::fs::create_dir_all(tmp.path().join("desired")).unwrap();
        let namespace = new_namespace(name).await;
        let kubeconfig = tmp.path().join("hedgehogd.kubeconfig");
        deploy_account(&namespace, &kubeconfig).await;
        let fleet = Fleet {
            tmp,
            namespace,
            kubeconfig,
        };
        fleet.set_desired(0);
        fleet
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    /// hhfab's VLAB with the first VPC's VLAN set from `n`: each new `n` is a commit.
    fn set_desired(&self, n: u16) {
        let out = Command::new(binary()).arg("sample").output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap().replacen(
            "vlan: 1001",
            &format!("vlan: {}", 1500 + n),
            1,
        );
        std::fs::write(self.path("desired/fabric.yaml"), text).unwrap();
    }

    /// Starts replica `i` (identity `replica-<i>`).
    fn start(&self, i: usize) -> Daemon {
        let mut text = format!(
            "data_dir = \"{data}\"\n[coordination]\nkubeconfig = \"{kubeconfig}\"\n\
             namespace = \"{ns}\"\nlease_duration_secs = {LEASE_SECS}\nrenew_deadline_secs = 3\n\
             retry_period_secs = 1\n",
            data = self.path(&format!("data-{i}")).display(),
            kubeconfig = self.kubeconfig.display(),
            ns = self.namespace,
        );
        for f in 0..FABRICS {
            text.push_str(&format!(
                "[[fabrics]]\nname = \"{name}\"\npolicy = \"commit\"\ninterval_secs = {INTERVAL_SECS}\n\
                 desired = \"{desired}\"\ngit = {{ url = \"file://{remote}\", base_dir = \"fabric\" }}\n",
                name = fabric(f),
                desired = self.path("desired").display(),
                remote = self.path(&format!("{}/remote.git", fabric(f))).display(),
            ));
        }
        let config = self.path(&format!("replica-{i}.toml"));
        std::fs::write(&config, text).unwrap();
        let home = self.path("home");
        let identity = format!("replica-{i}");
        Daemon::start(
            binary(),
            &["--config", config.to_str().unwrap()],
            &[
                ("HOME", home.to_str().unwrap()),
                ("GIT_CONFIG_NOSYSTEM", "1"),
                ("HEDGEHOGD_IDENTITY", &identity),
            ],
        )
        .unwrap()
    }

    /// Every push to fabric `f`: `(event, identity)`, in order (`overlap` marks a push that
    /// started while another was under way).
    fn pushes(&self, f: usize) -> Vec<(String, String)> {
        std::fs::read_to_string(self.path(&format!("{}/pushes.log", fabric(f))))
            .unwrap_or_default()
            .lines()
            .map(|l| {
                let mut words = l.split_whitespace();
                let event = words.next().unwrap_or_default().to_owned();
                (event, words.next().unwrap_or_default().to_owned())
            })
            .collect()
    }

    /// The commits of fabric `f`'s `main`, newest first.
    fn history(&self, f: usize) -> Vec<String> {
        let out = Command::new("git")
            .args(["log", "--format=%H", "main"])
            .current_dir(self.path(&format!("{}/remote.git", fabric(f))))
            .output()
            .unwrap();
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// Another writer changes fabric `f`'s VPC `vpc-02` in Git (VLAN 1002 → 1902, a field the
    /// desired state does not change); returns the file's path in the repository.
    fn edit_as_another_writer(&self, f: usize) -> String {
        let home = self.path("home");
        let work = self.path(&format!("{}/other-writer", fabric(f)));
        let remote = format!(
            "file://{}",
            self.path(&format!("{}/remote.git", fabric(f))).display()
        );
        let git = |dir: &Path, args: &[&str]| hedgehog_benches::git(&home, dir, args).unwrap();
        git(
            self.tmp.path(),
            &["clone", "-q", &remote, work.to_str().unwrap()],
        );
        let files = git(&work, &["ls-files", "fabric"]);
        let file = files
            .lines()
            .find(|path| {
                let text = std::fs::read_to_string(work.join(path)).unwrap();
                text.contains("kind: VPC")
                    && text.contains("name: vpc-02")
                    && text.contains("vlan: 1002")
            })
            .unwrap_or_else(|| panic!("no vpc-02 file in {files}"))
            .to_owned();
        let text = std::fs::read_to_string(work.join(&file)).unwrap();
        std::fs::write(work.join(&file), text.replace("vlan: 1002", "vlan: 1902")).unwrap();
        git(
            &work,
            &["commit", "-q", "-am", "another writer: vpc-02 on VLAN 1902"],
        );
        git(&work, &["push", "-q", "origin", "main"]);
        file
    }

    /// `path` as fabric `f`'s `main` holds it.
    fn file(&self, f: usize, path: &str) -> String {
        let out = Command::new("git")
            .args(["show", &format!("main:{path}")])
            .current_dir(self.path(&format!("{}/remote.git", fabric(f))))
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    }

    /// No push to any fabric ever overlapped another.
    fn assert_no_overlap(&self) {
        for f in 0..FABRICS {
            let pushes = self.pushes(f);
            assert!(
                pushes.iter().all(|(event, _)| event != "overlap"),
                "two pushes to {} at once: {pushes:?}",
                fabric(f)
            );
        }
    }
}

/// A new namespace `replicas-<name>-<pid>`; returns its name.
async fn new_namespace(name: &str) -> String {
    let namespace = format!("replicas-{name}-{}", std::process::id());
    let ns = Namespace {
        metadata: ObjectMeta {
            name: Some(namespace.clone()),
            ..ObjectMeta::default()
        },
        ..Namespace::default()
    };
    Api::<Namespace>::all(admin("default").await)
        .create(&PostParams::default(), &ns)
        .await
        .unwrap();
    namespace
}

async fn admin(namespace: &str) -> kube::Client {
    Cluster::connect(&server().admin(namespace))
        .await
        .unwrap()
        .client()
        .clone()
}

/// The manifest `file` of `deploy/kubernetes/` as JSON, in `namespace` instead of `hedgehog`
/// (the object's and the RoleBinding subject's).
fn manifest(file: &Path, namespace: &str) -> Value {
    let text = std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
        .replace(
            "namespace: hedgehog\n",
            &format!("namespace: {namespace}\n"),
        );
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn deploy_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/kubernetes")
}

/// Creates the object of `deploy/kubernetes/<file>` in `namespace`, as the admin.
async fn create<K>(client: &kube::Client, namespace: &str, file: &str) -> K
where
    K: Resource<Scope = NamespaceResourceScope>
        + Clone
        + std::fmt::Debug
        + serde::de::DeserializeOwned
        + serde::Serialize,
    K::DynamicType: Default,
{
    let object: K = serde_json::from_value(manifest(&deploy_dir().join(file), namespace)).unwrap();
    Api::<K>::namespaced(client.clone(), namespace)
        .create(&PostParams::default(), &object)
        .await
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Applies the deploy ServiceAccount, Leases-only Role and RoleBinding in `namespace`, and
/// writes to `path` a kubeconfig that authenticates as that account: the admin kubeconfig's
/// server and CA, with a token from the TokenRequest API instead of the admin's.
async fn deploy_account(namespace: &str, path: &Path) {
    let client = admin(namespace).await;
    let account: ServiceAccount = create(&client, namespace, "serviceaccount.yaml").await;
    create::<Role>(&client, namespace, "role.yaml").await;
    create::<RoleBinding>(&client, namespace, "rolebinding.yaml").await;
    let request = TokenRequest {
        spec: TokenRequestSpec {
            expiration_seconds: Some(3600),
            ..TokenRequestSpec::default()
        },
        ..TokenRequest::default()
    };
    let token = Api::<ServiceAccount>::namespaced(client, namespace)
        .create_token_request(
            account.metadata.name.as_deref().unwrap(),
            &PostParams::default(),
            &request,
        )
        .await
        .unwrap()
        .status
        .unwrap()
        .token;
    let admin_text = std::fs::read_to_string(&server().kubeconfig).unwrap();
    let mut config: Value = serde_yaml_ng::from_str(&admin_text).unwrap();
    for user in config["users"].as_array_mut().unwrap() {
        user["user"] = json!({ "token": token });
    }
    std::fs::write(path, serde_yaml_ng::to_string(&config).unwrap()).unwrap();
}

fn fabric(i: usize) -> String {
    format!("f{i:02}")
}

async fn get(daemon: &Daemon, path: &str) -> hedgehog_benches::daemon::Response {
    let mut client = Client::connect(daemon.addr).await.unwrap();
    client.get(path, None).await.unwrap()
}

/// Fabric → owner, if every replica in `replicas` lists every fabric with the same owner,
/// and that owner is one of them.
async fn agreed_owners(replicas: &[&Daemon]) -> Option<BTreeMap<String, String>> {
    let mut agreed: Option<BTreeMap<String, String>> = None;
    for replica in replicas {
        let list = get(replica, "/v1/fabrics").await.json();
        let owners: BTreeMap<String, String> = list
            .as_array()?
            .iter()
            .filter_map(|f| {
                Some((
                    f["name"].as_str()?.to_owned(),
                    f["owner"].as_str()?.to_owned(),
                ))
            })
            .collect();
        if owners.len() != FABRICS || agreed.as_ref().is_some_and(|a| *a != owners) {
            return None;
        }
        agreed = Some(owners);
    }
    agreed
}

/// Waits until the replicas agree on owners, each fabric owned by one of `identities`, with
/// shares within one of each other; returns the owners and when they agreed.
async fn balanced(
    replicas: &[&Daemon],
    identities: &[&str],
    limit: Duration,
) -> BTreeMap<String, String> {
    let started = Instant::now();
    loop {
        if let Some(owners) = agreed_owners(replicas).await {
            let shares: Vec<usize> = identities
                .iter()
                .map(|id| owners.values().filter(|o| o == id).count())
                .collect();
            let (min, max) = (shares.iter().min().unwrap(), shares.iter().max().unwrap());
            if shares.iter().sum::<usize>() == FABRICS && max - min <= 1 {
                return owners;
            }
        }
        if started.elapsed() >= limit {
            // The replicas' complaints say why (a Role without a verb: `403 Forbidden`).
            let warnings: Vec<String> = replicas
                .iter()
                .flat_map(|r| drain(r))
                .filter(|l| l.contains("WARN") || l.contains("ERROR"))
                .collect();
            panic!(
                "not balanced over {identities:?} within {limit:?}: {:?}\nlast warnings:\n{}",
                agreed_owners(replicas).await,
                warnings[warnings.len().saturating_sub(5)..].join("\n")
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

const THREE: [&str; 3] = ["replica-0", "replica-1", "replica-2"];

/// Starts three replicas of `fleet` and waits until they share the fabrics.
async fn three(fleet: &Fleet) -> (Vec<Daemon>, BTreeMap<String, String>) {
    let replicas: Vec<Daemon> = (0..3).map(|i| fleet.start(i)).collect();
    let all: Vec<&Daemon> = replicas.iter().collect();
    let owners = balanced(&all, &THREE, Duration::from_secs(40)).await;
    (replicas, owners)
}

/// The value of the metric line starting with `series` (`name{labels}`).
fn metric(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or(0.0)
}

/// Log lines received from `daemon` until now.
fn drain(daemon: &Daemon) -> Vec<String> {
    daemon.log.try_iter().collect()
}

fn mentions(line: &str, fabric: &str) -> bool {
    line.contains(&format!("fabric={fabric} ")) || line.ends_with(&format!("fabric={fabric}"))
}

/// Three replicas, twelve fabrics: each fabric owned by exactly one replica, shares within
/// one, every replica's `GET /v1/fabrics` agrees; its metrics say the same. Requests through
/// a replica that does not own the fabric give the owner's answer (drift, sync and the
/// operation), a request forwarded once is never forwarded again, and under a load of syncs
/// sent to every replica no two pushes to one fabric ever overlap.
#[tokio::test]
async fn three_replicas_share_twelve_fabrics_and_forward_to_the_owner() {
    let _one = ONE_AT_A_TIME.lock().await;
    let fleet = Fleet::new("share").await;
    let (replicas, owners) = three(&fleet).await;
    let ids = THREE;
    // Until the replicas saw each other, the first ones up ran more fabrics.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let settled: Vec<usize> = (0..FABRICS).map(|f| fleet.pushes(f).len()).collect();
    for (i, replica) in replicas.iter().enumerate() {
        let text = get(replica, "/metrics").await.text();
        let owned = metric(&text, "hedgehogd_fabrics_owned ");
        let expected = owners.values().filter(|o| **o == ids[i]).count();
        assert_eq!(owned as usize, expected, "{text}");
        assert!(metric(&text, "hedgehogd_lease_renewals_total ") > 0.0);
    }

    // Drift through a replica that does not own the fabric is the owner's answer.
    let (name, owner) = owners.iter().next().unwrap();
    let owner_index: usize = owner.trim_start_matches("replica-").parse().unwrap();
    let other = &replicas[(owner_index + 1) % 3];
    let direct = loop {
        let r = get(&replicas[owner_index], &format!("/v1/fabrics/{name}/drift")).await;
        if r.status == 200 {
            break r;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let forwarded = get(other, &format!("/v1/fabrics/{name}/drift")).await;
    assert_eq!(forwarded.status, 200, "{}", forwarded.text());
    assert_eq!(forwarded.json(), direct.json());
    assert_eq!(forwarded.headers["x-hedgehog-served-by"], owner.as_str());

    // A sync through the other replica runs on the owner; its operation is found through
    // the other replica too.
    fleet.set_desired(1);
    let mut client = Client::connect(other.addr).await.unwrap();
    let started = client
        .post(&format!("/v1/fabrics/{name}/sync"), None, "")
        .await
        .unwrap();
    assert_eq!(started.status, 202, "{}", started.text());
    assert_eq!(started.headers["x-hedgehog-served-by"], owner.as_str());
    let id = started.json()["operation"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let deadline = Instant::now() + Duration::from_secs(30);
    let operation = loop {
        let op = client
            .get(&format!("/v1/operations/{id}"), None)
            .await
            .unwrap();
        assert_eq!(op.status, 200, "{}", op.text());
        if op.json()["state"] != "running" {
            break op.json();
        }
        assert!(Instant::now() < deadline, "{}", op.text());
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(operation["state"], "succeeded", "{operation}");
    let f: usize = name[1..].parse().unwrap();
    assert_eq!(
        fleet.pushes(f).last().map(|(_, who)| who.as_str()),
        Some(owner.as_str())
    );

    // The loop guard: a request that was forwarded once is answered, never forwarded again.
    let mut guarded = Client::connect(other.addr).await.unwrap();
    let looped = guarded
        .send(
            hyper::Method::GET,
            &format!("/v1/fabrics/{name}/drift"),
            None,
            Vec::new(),
        )
        .await
        .unwrap();
    assert_eq!(looped.status, 200, "a plain request is forwarded");
    let twice = forwarded_twice(other, name).await;
    assert_eq!(twice.status, 503, "{}", twice.text());
    assert_eq!(twice.json()["error"]["code"], "fabric.unowned");
    assert!(twice.headers.contains_key("retry-after"));

    // Load: every round a new desired state and a sync of every fabric sent to every
    // replica at once; the owners run them, one pass at a time per fabric.
    for round in 2..6 {
        fleet.set_desired(round);
        let mut sends = Vec::new();
        for replica in &replicas {
            for f in 0..FABRICS {
                let addr = replica.addr;
                sends.push(tokio::spawn(async move {
                    let mut c = Client::connect(addr).await.unwrap();
                    c.post(&format!("/v1/fabrics/{}/sync", fabric(f)), None, "")
                        .await
                        .unwrap()
                        .status
                }));
            }
        }
        for send in sends {
            assert_eq!(send.await.unwrap(), 202);
        }
        tokio::time::sleep(Duration::from_millis(700)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    fleet.assert_no_overlap();
    let pushes: usize = (0..FABRICS).map(|f| fleet.pushes(f).len()).sum();
    assert!(
        pushes >= 2 * FABRICS * 3,
        "the load pushed: {pushes} hook lines"
    );
    for f in 0..FABRICS {
        let owner = &owners[&fabric(f)];
        for (_, who) in &fleet.pushes(f)[settled[f]..] {
            assert_eq!(who, owner, "only the owner pushes to {}", fabric(f));
        }
    }
}

/// A request carrying the forwarding header, as a replica forwards it.
async fn forwarded_twice(daemon: &Daemon, name: &str) -> hedgehog_benches::daemon::Response {
    use http_body_util::Full;
    use hyper::body::Bytes;
    let stream = tokio::net::TcpStream::connect(daemon.addr).await.unwrap();
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(conn);
    let request = hyper::Request::get(format!("/v1/fabrics/{name}/drift"))
        .header("host", daemon.addr.to_string())
        .header("x-hedgehog-forwarded-by", "replica-9")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = http_body_util::BodyExt::collect(body)
        .await
        .unwrap()
        .to_bytes();
    hedgehog_benches::daemon::Response {
        status: parts.status,
        headers: parts.headers,
        body: body.to_vec(),
    }
}

/// `kill -9` one of three replicas: its fabrics are owned again within the Lease duration
/// plus a few seconds, by the two others in equal shares, and each starts with a fresh pass.
/// Another writer's edit made before the kill is kept by the new owner (it rebases on the
/// base commit the Lease carries). Then a graceful stop of another: its Leases are released, and the last replica owns every
/// fabric sooner than the Lease duration.
#[tokio::test]
async fn a_killed_replicas_fabrics_are_taken_over_with_a_fresh_pass() {
    let _one = ONE_AT_A_TIME.lock().await;
    let fleet = Fleet::new("kill").await;
    let (replicas, owners) = three(&fleet).await;
    let orphans: Vec<String> = owners
        .iter()
        .filter(|(_, o)| *o == "replica-2")
        .map(|(f, _)| f.clone())
        .collect();
    assert!(!orphans.is_empty());
    // Another writer's edit: the new owner rebases on the base commit recorded in the
    // fabric's Lease, so it keeps the edit instead of reverting it to the desired state.
    let edited: usize = orphans[0][1..].parse().unwrap();
    let file = fleet.edit_as_another_writer(edited);
    tokio::time::sleep(Duration::from_secs(1)).await;
    replicas[2].signal("KILL").unwrap();
    let killed_ms = now_ms();
    let killed = Instant::now();
    let survivors = [&replicas[0], &replicas[1]];
    let after = balanced(
        &survivors,
        &["replica-0", "replica-1"],
        Duration::from_secs(LEASE_SECS + 6),
    )
    .await;
    let took = killed.elapsed();
    eprintln!("kill -9: every fabric owned again after {took:?}");
    assert!(
        took <= Duration::from_secs(LEASE_SECS + 4),
        "taken over after {took:?}"
    );
    for f in &orphans {
        let owner = &after[f];
        let index: usize = owner.trim_start_matches("replica-").parse().unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let view = get(&replicas[index], &format!("/v1/fabrics/{f}"))
                .await
                .json();
            if view["last_sync"]["finished_unix_ms"]
                .as_u64()
                .is_some_and(|t| t > killed_ms)
            {
                break;
            }
            assert!(Instant::now() < deadline, "no fresh pass of {f}: {view}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    let text = fleet.file(edited, &file);
    assert!(
        text.contains("vlan: 1902"),
        "the new owner reverted another writer's edit:\n{text}"
    );
    let takeovers: f64 = {
        let mut sum = 0.0;
        for replica in survivors {
            sum += metric(
                &get(replica, "/metrics").await.text(),
                "hedgehogd_lease_takeovers_total ",
            );
        }
        sum
    };
    assert!(takeovers >= orphans.len() as f64, "takeovers: {takeovers}");

    // A graceful stop releases the Leases: the last replica takes them at once, without
    // waiting for them to expire.
    let mut replicas = replicas;
    let stopping = replicas.remove(1);
    let stopped = Instant::now();
    assert_eq!(stopping.stop(), Some(0));
    let last = [&replicas[0]];
    balanced(&last, &["replica-0"], Duration::from_secs(LEASE_SECS + 6)).await;
    eprintln!(
        "graceful stop: every fabric owned again after {:?}",
        stopped.elapsed()
    );
    assert!(
        stopped.elapsed() < Duration::from_secs(LEASE_SECS),
        "released Leases were taken after {:?}",
        stopped.elapsed()
    );
    fleet.assert_no_overlap();
}

/// `SIGSTOP` one replica past its Leases, then `SIGCONT`: the others take its fabrics and
/// publish a new desired state; the woken replica notices the lost Leases and does no work
/// for them — no pass starts before it has acquired a Lease again, no push of it reaches
/// their remotes, and the new owners' commits stay in the history.
#[tokio::test]
async fn a_paused_replica_does_no_work_for_fabrics_taken_over_meanwhile() {
    let _one = ONE_AT_A_TIME.lock().await;
    let fleet = Fleet::new("stop").await;
    let (replicas, owners) = three(&fleet).await;
    let paused: Vec<usize> = (0..FABRICS)
        .filter(|f| owners[&fabric(*f)] == "replica-2")
        .collect();
    // Let the first passes end, then pause it with its schedulers' timers running.
    tokio::time::sleep(Duration::from_secs(2)).await;
    replicas[2].signal("STOP").unwrap();
    drain(&replicas[2]);
    fleet.set_desired(7);
    let survivors = [&replicas[0], &replicas[1]];
    balanced(
        &survivors,
        &["replica-0", "replica-1"],
        Duration::from_secs(LEASE_SECS + 6),
    )
    .await;
    // The new owners publish the new desired state (their first pass after the takeover).
    let deadline = Instant::now() + Duration::from_secs(20);
    let published: BTreeMap<usize, String> = loop {
        let tips: BTreeMap<usize, String> = paused
            .iter()
            .filter(|f| {
                fleet
                    .pushes(**f)
                    .iter()
                    .any(|(e, who)| e == "end" && who != "replica-2")
            })
            .map(|f| (*f, fleet.history(*f)[0].clone()))
            .collect();
        if tips.len() == paused.len() {
            break tips;
        }
        assert!(Instant::now() < deadline, "not published: {tips:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let pushes_before: Vec<usize> = (0..FABRICS).map(|f| fleet.pushes(f).len()).collect();

    replicas[2].signal("CONT").unwrap();
    // Its overdue timers fire at once; give it time to do whatever it would do, and to
    // rejoin (it may legitimately acquire fabrics again after that).
    tokio::time::sleep(Duration::from_secs(LEASE_SECS + 2)).await;
    let log = drain(&replicas[2]);
    for f in &paused {
        let name = fabric(*f);
        let mut reacquired = false;
        for line in log.iter().filter(|l| mentions(l, &name)) {
            if line.contains("acquired the fabric's Lease") {
                reacquired = true;
            }
            assert!(
                reacquired || !line.contains("sync pass started"),
                "replica-2 started a pass of {name} without its Lease:\n{}",
                log.join("\n")
            );
        }
        assert!(
            log.iter()
                .any(|l| mentions(l, &name) && l.contains("lost the fabric's Lease")),
            "replica-2 did not notice it lost {name}:\n{}",
            log.join("\n")
        );
        // No push of the paused replica reached the remote after the takeover.
        let pushes = fleet.pushes(*f);
        let reacquired_here = log
            .iter()
            .any(|l| mentions(l, &name) && l.contains("acquired the fabric's Lease"));
        if !reacquired_here {
            assert!(
                pushes[pushes_before[*f]..]
                    .iter()
                    .all(|(_, who)| who != "replica-2"),
                "{name}: {pushes:?}"
            );
        }
        // The new owner's commit was never overwritten.
        assert!(fleet.history(*f).contains(&published[f]), "{name}");
    }
    let text = get(&replicas[2], "/metrics").await.text();
    assert!(
        metric(&text, "hedgehogd_leases_lost_total ") >= paused.len() as f64,
        "{text}"
    );
    // It rejoins: the three share the fabrics again.
    let all: Vec<&Daemon> = replicas.iter().collect();
    balanced(&all, &THREE, Duration::from_secs(20)).await;
    fleet.assert_no_overlap();
}

fn now_ms() -> u64 {
    u64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

/// The manifests in `deploy/kubernetes/`: every one is accepted by the real API server in a
/// server-side dry run (schema, defaulting and admission, nothing stored), the Role grants
/// Leases and nothing more, the RoleBinding gives it to the Deployment's service account,
/// and the ConfigMap's configuration has a `[coordination]` table.
#[tokio::test]
async fn the_kubernetes_manifests_pass_a_server_side_dry_run() {
    use k8s_openapi::api::apps::v1::Deployment;
    use k8s_openapi::api::core::v1::{ConfigMap, Service};
    use k8s_openapi::api::policy::v1::PodDisruptionBudget;

    // A namespace without the objects `Fleet::new` applies: a dry run of an existing
    // object fails.
    let ns = new_namespace("deploy").await;
    let ns = ns.as_str();
    let dir = deploy_dir();
    let client = admin(ns).await;
    let dry_run = PostParams {
        dry_run: true,
        ..PostParams::default()
    };
    let mut kinds = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in &files {
        let value = manifest(file, ns);
        let kind = value["kind"].as_str().unwrap().to_owned();
        macro_rules! dry {
            ($t:ty) => {{
                let object: $t = serde_json::from_value(value.clone()).unwrap();
                Api::<$t>::namespaced(client.clone(), ns)
                    .create(&dry_run, &object)
                    .await
                    .map(|_| ())
                    .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
                object
            }};
        }
        match kind.as_str() {
            "ServiceAccount" => {
                dry!(ServiceAccount);
            }
            "Role" => {
                let role = dry!(Role);
                let rules = role.rules.unwrap();
                assert_eq!(rules.len(), 1, "{rules:?}");
                let rule = &rules[0];
                assert_eq!(
                    rule.api_groups.as_deref(),
                    Some(&["coordination.k8s.io".to_owned()][..])
                );
                assert_eq!(rule.resources.as_deref(), Some(&["leases".to_owned()][..]));
                assert!(rule.resource_names.is_none() && rule.non_resource_urls.is_none());
                // Exactly what the daemon calls (coordination/lease.rs); the replicas tests
                // run under this Role, so a verb missing here fails them.
                assert_eq!(rule.verbs, ["list", "create", "update", "delete"]);
            }
            "RoleBinding" => {
                let binding = dry!(RoleBinding);
                assert_eq!(binding.role_ref.name, "hedgehogd-leases");
                let subject = &binding.subjects.unwrap()[0];
                assert_eq!(
                    (subject.kind.as_str(), subject.name.as_str()),
                    ("ServiceAccount", "hedgehogd")
                );
            }
            "ConfigMap" => {
                let map = dry!(ConfigMap);
                let toml = &map.data.unwrap()["hedgehogd.toml"];
                assert!(toml.contains("[coordination]"), "{toml}");
            }
            "Deployment" => {
                let deployment = dry!(Deployment);
                let spec = deployment.spec.unwrap();
                assert_eq!(spec.replicas, Some(3));
                let pod = spec.template.spec.unwrap();
                assert_eq!(pod.service_account_name.as_deref(), Some("hedgehogd"));
                assert!(pod.affinity.unwrap().pod_anti_affinity.is_some());
            }
            "Service" => {
                dry!(Service);
            }
            "PodDisruptionBudget" => {
                dry!(PodDisruptionBudget);
            }
            other => panic!("{}: unexpected kind {other}", file.display()),
        }
        kinds.push(kind);
    }
    kinds.sort();
    assert_eq!(
        kinds,
        [
            "ConfigMap",
            "Deployment",
            "PodDisruptionBudget",
            "Role",
            "RoleBinding",
            "Service",
            "ServiceAccount"
        ]
    );
}
