//! Tree reads are bounded: a pass reads only the managed objects, a file with an odd name or
//! over the size limit is reported and skipped instead of failing every pass, and a tree over
//! the total limits is an error rather than a partial read.

mod engine_support;

use std::os::unix::ffi::OsStrExt;

use engine_support::{Remote, vpc_yaml};
use hedgehog_sync::engine::Engine;
use hedgehog_sync::git::{GitError, ReadLimits, ReadScope};
use hedgehog_sync::layout::Layout;

/// A branch as people leave it: managed objects, raw drops and a binary, and one managed
/// file whose name is not UTF-8 (Latin-1 `é`).
fn cluttered_remote() -> Remote {
    let remote = Remote::new();
    remote.commit(
        &[
            (
                "fabric/managed/vpcs/vpc-1.yaml",
                Some(&vpc_yaml("vpc-1", 1001, "10.0.1.0/24")),
            ),
            (
                "fabric/raw/export.yaml",
                Some(&vpc_yaml("vpc-9", 1009, "10.0.9.0/24")),
            ),
            ("fabric/unmanaged/old.yaml", Some("not: [an object\n")),
            ("fabric/tools.bin", Some(&"\u{1}".repeat(4096))),
        ],
        "seed",
    );
    let odd = std::ffi::OsStr::from_bytes(b"caf\xe9.yaml");
    let dir = remote.work.join("fabric/managed/vpcs");
    std::fs::write(dir.join(odd), vpc_yaml("cafe", 1002, "10.0.2.0/24")).unwrap();
    remote.git(&remote.work, &["add", "-A"]);
    remote.git(&remote.work, &["commit", "-q", "-m", "odd name"]);
    remote.git(&remote.work, &["push", "-q", "origin", "main"]);
    remote
}

#[test]
fn a_pass_reads_only_managed_files_and_reports_odd_names() {
    let remote = cluttered_remote();
    let repo = remote.clone();
    let engine = Engine::new(&repo, Layout::new("fabric").unwrap(), "main");
    let (tree, snapshot) = engine.read("origin/main").unwrap();
    let paths: Vec<&str> = tree.files.keys().map(String::as_str).collect();
    assert_eq!(paths, ["managed/vpcs/vpc-1.yaml"]);
    assert_eq!(snapshot.len(), 1);
    let problems: Vec<String> = snapshot
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect();
    assert_eq!(
        problems,
        ["managed/vpcs/caf\u{fffd}.yaml: not read: its name is not UTF-8"]
    );
}

#[test]
fn files_over_the_limits_are_skipped_or_refuse_the_read() {
    let remote = cluttered_remote();
    let repo = remote.clone();
    let limits = ReadLimits {
        max_file_bytes: 1024,
        ..ReadLimits::DEFAULT
    };
    let scope = ReadScope { only: &[], limits };
    let tree = repo
        .read_tree_scoped("origin/main", "fabric", &scope)
        .unwrap();
    assert!(!tree.files.contains_key("tools.bin"));
    let skipped: Vec<(&str, &str)> = tree
        .skipped
        .iter()
        .map(|f| (f.path.as_str(), f.reason.as_str()))
        .collect();
    assert!(
        skipped.contains(&(
            "tools.bin",
            "4096 bytes, over the limit of 1024 bytes a file"
        )),
        "{skipped:?}"
    );

    let few = ReadScope {
        only: &[],
        limits: ReadLimits {
            max_files: 2,
            ..ReadLimits::DEFAULT
        },
    };
    let err = repo
        .read_tree_scoped("origin/main", "fabric", &few)
        .unwrap_err();
    assert!(
        matches!(
            err,
            GitError::TooLarge {
                what: "files",
                limit: 2
            }
        ),
        "{err}"
    );
}
