//! Ingestion of a raw directory with valid, invalid and duplicate documents: the managed and
//! unmanaged layout it plans, byte-identical on a second run, and nothing left to do once
//! applied.

use std::collections::BTreeMap;

use hedgehog_sync::git::{CommitId, Tree};
use hedgehog_sync::ingest::ingest;
use hedgehog_sync::layout::Layout;
use hedgehog_sync::snapshot::Snapshot;

fn tree(files: &[(&str, &str)]) -> Tree {
    Tree {
        commit: "1111111111111111111111111111111111111111"
            .parse::<CommitId>()
            .unwrap(),
        files: files
            .iter()
            .map(|(p, c)| ((*p).to_owned(), c.as_bytes().to_vec()))
            .collect(),
        skipped: Vec::new(),
    }
}

const VPC_1: &str = "apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-1
spec:
  subnets:
    default: {subnet: 10.0.1.0/24, vlan: 1001}
";

const BROKEN_YAML: &str = "apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata: {name: [unclosed
";

const BAD_VLAN: &str = "apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-bad
spec:
  subnets:
    default: {subnet: 10.0.9.0/24, vlan: 1009, gateway: 192.168.0.1}
";

const CONFIG_MAP: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: fabric-notes
data:
  owner: netops
";

fn raw() -> Tree {
    tree(&[
        ("README.md", "not ingested\n"),
        ("managed/vpcs/old.yaml", "left to plans\n"),
        (
            "raw/a.yaml",
            &format!("# VPCs for team A\n{VPC_1}---\n{BROKEN_YAML}---\n{BAD_VLAN}"),
        ),
        ("raw/notes.md", "# not a manifest\n"),
        (
            "raw/z/nested/b.yml",
            &format!("---\n{VPC_1}---\n{CONFIG_MAP}"),
        ),
    ])
}

#[test]
fn valid_invalid_and_duplicate_documents_land_where_they_belong() {
    let layout = Layout::new("").unwrap();
    let out = ingest(&raw(), &layout, None);
    let added: BTreeMap<&str, &str> = out
        .changes
        .add
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    assert_eq!(
        added.keys().copied().collect::<Vec<_>>(),
        [
            "managed/configmap/fabric-notes.yaml",
            "managed/vpcs/vpc-1.yaml",
            "unmanaged/a.yaml",
            "unmanaged/a.yaml.reason.txt",
            "unmanaged/z/nested/b.yml",
            "unmanaged/z/nested/b.yml.reason.txt",
        ]
    );
    assert_eq!(out.changes.delete, ["raw/a.yaml", "raw/z/nested/b.yml"]);
    assert!(out.changes.update.is_empty() && out.changes.unchanged.is_empty());

    // The managed VPC is canonical and defaulted; it reads back as the same object.
    let vpc = added["managed/vpcs/vpc-1.yaml"];
    assert!(
        vpc.contains("vlan: 1001") && vpc.contains("namespace: default"),
        "{vpc}"
    );
    assert!(!vpc.contains("creationTimestamp"));
    let configmap = added["managed/configmap/fabric-notes.yaml"];
    assert!(configmap.contains("owner: netops"), "{configmap}");

    // Refused documents are kept as they were, with one reason line each.
    assert_eq!(
        added["unmanaged/a.yaml"],
        format!("{BROKEN_YAML}---\n{BAD_VLAN}")
    );
    let reasons: Vec<&str> = added["unmanaged/a.yaml.reason.txt"].lines().collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].starts_with("document 2 (line 10): "),
        "{reasons:?}"
    );
    assert!(
        reasons[1].starts_with("document 3 (line 14): "),
        "{reasons:?}"
    );
    assert!(
        reasons[1].contains("spec.subnets.default.gateway"),
        "{reasons:?}"
    );
    assert_eq!(added["unmanaged/z/nested/b.yml"], VPC_1);
    assert_eq!(
        added["unmanaged/z/nested/b.yml.reason.txt"],
        "document 1 (line 2): duplicate of VPC default/vpc-1 defined in raw/a.yaml (document 1)\n"
    );
    assert_eq!(out.duplicates.len(), 1);
    assert_eq!(out.duplicates[0].first.path, "raw/a.yaml");
    assert_eq!(out.duplicates[0].again.path, "raw/z/nested/b.yml");
    assert_eq!(out.refused.len(), 3);
    assert_eq!(out.managed.len(), 2);
}

#[test]
fn ingestion_is_byte_identical_on_a_second_run_and_idempotent_once_applied() {
    let layout = Layout::new("").unwrap();
    let input = raw();
    let first = ingest(&input, &layout, None);
    let second = ingest(&input, &layout, None);
    assert_eq!(first, second);
    assert_eq!(
        serde_json::to_string(&first).unwrap(),
        serde_json::to_string(&second).unwrap()
    );

    let applied = Tree {
        commit: input.commit,
        files: first.changes.apply_to(&input),
        skipped: Vec::new(),
    };
    let again = ingest(&applied, &layout, None);
    assert!(again.changes.is_empty(), "{:?}", again.changes);
    assert!(again.changes.unchanged.is_empty());
    // Files ingestion does not own are untouched.
    assert_eq!(applied.files["raw/notes.md"], b"# not a manifest\n");
    assert_eq!(applied.files["managed/vpcs/old.yaml"], b"left to plans\n");

    // The managed files read back as a snapshot of the two ingested objects.
    let snapshot = Snapshot::from_tree(&applied, &layout);
    assert_eq!(snapshot.objects.len(), 2);
    assert_eq!(snapshot.problems.len(), 1, "{:?}", snapshot.problems);
    assert_eq!(snapshot.problems[0].path, "managed/vpcs/old.yaml");
}

#[test]
fn a_raw_object_replaces_its_managed_file_and_unsafe_names_get_safe_paths() {
    let layout = Layout::new("").unwrap();
    let existing = ingest(&tree(&[("raw/a.yaml", VPC_1)]), &layout, None);
    let managed = existing.changes.add[0].clone();
    let edited = VPC_1.replace("1001", "1002");
    let odd = VPC_1.replace("name: vpc-1", "name: \"../../etc/Passwd\"");
    let out = ingest(
        &tree(&[
            (managed.0.as_str(), managed.1.as_str()),
            ("raw/b.yaml", &edited),
            ("raw/c.yaml", &odd),
        ]),
        &layout,
        None,
    );
    assert_eq!(out.changes.update.len(), 1);
    assert_eq!(out.changes.update[0].0, "managed/vpcs/vpc-1.yaml");
    assert!(out.changes.update[0].1.contains("vlan: 1002"));
    // An invalid name is refused by validation, and never becomes a path outside managed/.
    for (path, _) in &out.changes.add {
        assert!(!path.contains(".."), "{path}");
    }
    assert_eq!(out.refused.len(), 1, "{:?}", out.refused);
    assert_eq!(out.refused[0].origin.path, "raw/c.yaml");
}
