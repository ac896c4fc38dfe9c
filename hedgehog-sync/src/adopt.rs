//! Adopting the layout: moving the managed files of a repository written by someone else (a
//! person, hhfab's output split by hand, an older version's escaped names) to their canonical
//! paths and rendering them canonically — nothing else.
//!
//! Plans never do this on the side ([`crate::plan`] leaves such files alone and counts them
//! in [`crate::plan::PendingAdoption`]), so that a change of one object is a commit of one
//! file. Adoption is opt-in and is its own commit ([`ADOPTION_MESSAGE`]), in which no object
//! changes: every object reads back the same. Files that are not one readable object, and
//! second copies of an object, are left where they are (they are reported by the snapshot);
//! an object whose canonical path is taken by such a file stays where it is.

use std::collections::{BTreeMap, BTreeSet};

use crate::git::Tree;
use crate::layout::{Layout, render_object};
use crate::plan::ChangeSet;
use crate::snapshot::Snapshot;

/// The commit message of an adoption.
pub const ADOPTION_MESSAGE: &str = "hedgehog: adopt the repository layout\n\n\
Moves managed files to their canonical paths and renders them canonically. \
No object changes.\n";

/// The file changes that adopt the canonical layout for the managed objects of `tree`.
pub fn adopt(tree: &Tree, layout: &Layout) -> ChangeSet {
    let current = Snapshot::from_tree(tree, layout);
    let moves: Vec<(&str, String, String)> = current
        .objects
        .iter()
        .filter_map(|(key, entry)| {
            let from = current.path_of(key)?;
            Some((
                from,
                layout.managed_path(key),
                render_object(&entry.value()),
            ))
        })
        .collect();
    let vacated: BTreeSet<&str> = moves
        .iter()
        .filter(|(from, to, _)| from != to)
        .map(|(from, _, _)| *from)
        .collect();
    // Writes win over deletes: a file may be vacated by one object and taken by another.
    let mut edits: BTreeMap<String, Option<String>> = BTreeMap::new();
    for (from, to, content) in moves {
        if from == to {
            if tree.files.get(from).map(Vec::as_slice) != Some(content.as_bytes()) {
                edits.insert(to, Some(content));
            }
            continue;
        }
        if tree.files.contains_key(&to) && !vacated.contains(to.as_str()) {
            continue;
        }
        edits.entry(from.to_owned()).or_insert(None);
        edits.insert(to, Some(content));
    }
    let mut changes = ChangeSet::default();
    for (path, content) in edits {
        match (content, tree.files.contains_key(&path)) {
            (Some(content), false) => changes.add.push((path, content)),
            (Some(content), true) => changes.update.push((path, content)),
            (None, _) => changes.delete.push(path),
        }
    }
    changes.sort();
    changes
}
