//! Which file each planned object goes to.
//!
//! An object Git already holds stays in the file it is in, wherever that is below `managed/`
//! (a repository a person or an older version wrote keeps its names): a plan changes the
//! files of the objects that change, nothing else. A new object goes to its canonical path
//! ([`Layout::managed_path`]); if another object's file sits there, that object moves to its
//! own canonical path (and so on: an object already at its canonical path is never in the
//! way, since canonical paths are distinct). Moving everything to the canonical layout is
//! [`crate::adopt`]'s job, in a commit of its own.

use std::collections::{BTreeMap, HashMap};

use hedgehog_model::ObjectKey;

use crate::layout::Layout;
use crate::snapshot::Snapshot;

/// The file of every object of `desired`, given what Git holds now (`current`).
pub(crate) fn place<'k>(
    desired: &'k Snapshot,
    current: &Snapshot,
    layout: &Layout,
) -> BTreeMap<&'k ObjectKey, String> {
    // Both maps are in key order: one walk side by side finds each desired object's file
    // in Git, with no lookup per object.
    let mut git = current.objects.iter().peekable();
    let mut paths: BTreeMap<&ObjectKey, String> = BTreeMap::new();
    let mut new = Vec::new();
    for key in desired.objects.keys() {
        while git.next_if(|(k, _)| *k < key).is_some() {}
        match git
            .next_if(|(k, _)| *k == key)
            .and_then(|(_, e)| e.git_path())
        {
            Some(path) => {
                paths.insert(key, path.to_owned());
            }
            None => new.push(key),
        }
    }
    if new.is_empty() {
        return paths;
    }
    let mut owner: HashMap<String, &ObjectKey> =
        paths.iter().map(|(k, p)| (p.clone(), *k)).collect();
    for key in new {
        let mut moving = key;
        loop {
            let target = layout.managed_path(moving);
            let occupant = owner.insert(target.clone(), moving);
            paths.insert(moving, target);
            match occupant {
                Some(other) if other != moving => moving = other,
                _ => break,
            }
        }
    }
    paths
}

/// The file of `key` in Git now, or else where it would go.
pub(crate) fn location(current: &Snapshot, layout: &Layout, key: &ObjectKey) -> String {
    current
        .path_of(key)
        .map_or_else(|| layout.managed_path(key), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{Entry, Provenance};
    use hedgehog_model::Kind;
    use serde_json::json;

    fn at(snapshot: &mut Snapshot, name: &str, path: &str) {
        snapshot.objects.insert(
            ObjectKey::new(Kind::Vpc, "default", name),
            Entry::new(
                &json!({}),
                Provenance::Git {
                    path: path.into(),
                    commit: String::new(),
                },
            ),
        );
    }

    #[test]
    fn objects_stay_in_their_files_and_new_ones_push_squatters_home() {
        let layout = Layout::new("").unwrap();
        let mut current = Snapshot::new();
        at(&mut current, "a", "managed/mine/a-file.yaml");
        // `b` sits in the file `c` belongs in.
        at(&mut current, "b", "managed/vpcs/c.yaml");
        let mut desired = current.clone();
        at(&mut desired, "c", "");
        let paths = place(&desired, &current, &layout);
        let path = |name: &str| paths[&ObjectKey::new(Kind::Vpc, "default", name)].as_str();
        assert_eq!(path("a"), "managed/mine/a-file.yaml");
        assert_eq!(path("c"), "managed/vpcs/c.yaml");
        assert_eq!(path("b"), "managed/vpcs/b.yaml");
    }
}
