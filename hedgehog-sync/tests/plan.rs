//! Plans on generated fabrics: applying a plan and planning again gives an empty plan, and
//! the tree then reads back as exactly the desired state, whatever the tree held before; and
//! adopting the layout, which changes no object.

use hedgehog_model::load::Document;
use hedgehog_model::sample::{ScaleParams, scaled};
use hedgehog_sync::adopt::adopt;
use hedgehog_sync::git::{CommitId, Tree};
use hedgehog_sync::layout::Layout;
use hedgehog_sync::plan::{PlanOptions, plan};
use hedgehog_sync::snapshot::Snapshot;
use proptest::prelude::*;

fn fabric(leaves: usize, servers: usize, attachments: usize) -> Snapshot {
    let docs: Vec<Document> = scaled(ScaleParams {
        leaves,
        servers_per_leaf: servers,
        attachments_per_server: attachments,
    })
    .into_iter()
    .map(Document::new)
    .collect();
    Snapshot::from_documents(&docs, "generated")
}

fn tree(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Tree {
    Tree {
        commit: "2222222222222222222222222222222222222222"
            .parse::<CommitId>()
            .unwrap(),
        files: files.into_iter().collect(),
        skipped: Vec::new(),
    }
}

fn shape() -> impl Strategy<Value = (usize, usize, usize)> {
    (1usize..4, 1usize..4, 1usize..3)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn apply_then_replan_is_empty(
        before in shape(),
        after in shape(),
        keep_every in 1usize..5,
        junk in proptest::collection::vec("[a-z]{1,8}", 0..4),
    ) {
        let layout = Layout::new("fabric").unwrap();
        let options = PlanOptions::default();
        // A tree holding an older fabric, some of it edited by hand, plus stray files.
        let old = fabric(before.0, before.1, before.2);
        let first = plan(&old, &tree([]), &layout, &options);
        let mut files = first.changes.apply_to(&tree([]));
        for (i, (_, content)) in files.iter_mut().enumerate() {
            if i % keep_every == 1 {
                content.extend_from_slice(b"# edited by hand\n");
            }
        }
        for name in &junk {
            files.insert(format!("managed/vpcs/{name}-stray.yaml"), b"not: an object\n".to_vec());
            files.insert(format!("raw/{name}.yaml"), b"kind: Whatever\n".to_vec());
        }
        let start = tree(files);

        let desired = fabric(after.0, after.1, after.2);
        let p = plan(&desired, &start, &layout, &options);
        let applied = tree(p.changes.apply_to(&start));
        let again = plan(&desired, &applied, &layout, &options);
        prop_assert!(again.changes.is_empty(), "{:?}", again.changes);
        prop_assert_eq!(again.changes.unchanged.len(), desired.len());

        // Git now holds exactly the desired objects, one file each; raw/ is untouched.
        let read = Snapshot::from_tree(&applied, &layout);
        prop_assert!(read.problems.is_empty(), "{:?}", read.problems);
        prop_assert_eq!(read.objects.len(), desired.len());
        for (key, entry) in &desired.objects {
            prop_assert_eq!(read.get(key), Some(entry.value()));
        }
        let raw = applied.files.keys().filter(|p| p.starts_with("raw/")).count();
        let junk_names: std::collections::BTreeSet<&String> = junk.iter().collect();
        prop_assert_eq!(raw, junk_names.len());
    }
}

#[test]
fn plans_are_deterministic_and_sorted() {
    let layout = Layout::new("").unwrap();
    let desired = fabric(2, 2, 2);
    let a = plan(&desired, &tree([]), &layout, &PlanOptions::default());
    let b = plan(&desired, &tree([]), &layout, &PlanOptions::default());
    assert_eq!(a, b);
    let paths: Vec<&String> = a.changes.add.iter().map(|(p, _)| p).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(a.changes.add.iter().all(|(p, _)| p.starts_with("managed/")));
    assert!(
        a.changes
            .add
            .iter()
            .all(|(_, c)| !c.contains("creationTimestamp"))
    );
}

#[test]
fn adopting_the_layout_moves_and_rerenders_without_changing_an_object() {
    let layout = Layout::new("").unwrap();
    let vpc =
        "kind: VPC\napiVersion: vpc.githedgehog.com/v1beta1\nmetadata: {name: v1}\nspec: {}\n";
    let file = |p: &str, c: &str| (p.to_owned(), c.as_bytes().to_vec());
    let before = tree([
        file("managed/mine/v1.yaml", vpc),
        file("managed/vpcs/broken.yaml", "not: [an object\n"),
        file("raw/keep.yaml", "x: 1\n"),
    ]);
    let changes = adopt(&before, &layout);
    assert_eq!(changes.delete, ["managed/mine/v1.yaml"]);
    let added: Vec<&str> = changes.add.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(added, ["managed/vpcs/v1.yaml"]);
    let after = tree(changes.apply_to(&before));
    let objects = |t: &Tree| {
        Snapshot::from_tree(t, &layout)
            .objects
            .into_values()
            .map(|e| e.value())
            .collect::<Vec<_>>()
    };
    assert_eq!(objects(&after), objects(&before));
    // Adopted: nothing left to do; the unreadable file and raw/ stay.
    assert!(adopt(&after, &layout).is_empty());
    assert!(after.files.contains_key("managed/vpcs/broken.yaml"));
    assert!(after.files.contains_key("raw/keep.yaml"));
}
