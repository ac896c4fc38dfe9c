//! Plans: the file changes that make a Git tree hold a desired snapshot.
//!
//! `managed/` is owned by hedgehog: every desired object gets a file — the one that holds it
//! now, wherever it is, or else its canonical path (a new object whose canonical path another
//! object's file holds moves that object to its own) — and every other file below `managed/`
//! is deleted. A file is rewritten only when its object changes: a file that holds the
//! desired object in another formatting is left as it is. So a plan that changes one object
//! changes one file; moving files to the canonical layout and rendering them canonically is
//! announced in [`Plan::adoption`] and done by [`crate::adopt`] in a commit of its own.
//! `raw/`, `unmanaged/` and anything else in the base directory are left alone. A plan is
//! checked with upstream's change-safety rules ([`hedgehog_model::fabric::validate_change`])
//! on the objects before and after; a plan with errors is refused unless forced.
//!
//! When the caller says which Git state its desired snapshot was edited from (the *base*),
//! the plan does not overwrite what others committed since: for every object the tip changed
//! after the base, the desired object is merged field by field with the tip's
//! ([`crate::merge::merge3`], the base as common ancestor). Clean merges are planned; fields
//! both sides changed differently are conflicts, and a plan with conflicts is refused unless
//! forced (then the desired value wins, as [`crate::merge`] documents).
//!
//! Every plan also goes through the deletion guard ([`crate::guard`]): an empty desired state,
//! or one that deletes whole kinds or a large share of the managed objects, is refused unless
//! allowed for that plan; `force` does not override it.

use hedgehog_model::config::FabricConfig;
use hedgehog_model::fabric::validate_change;
use hedgehog_model::profiles::Catalog;
use hedgehog_model::{Diagnostic, Object, ObjectKey};
use rayon::prelude::*;
use serde::Serialize;

use crate::git::{FileChange, Tree};
use crate::guard::{DeletionGuard, DeletionRefusal, Deletions};
use crate::layout::{Layout, render_owned};
use crate::merge::{MergeConflict, merge3};
use crate::placement::{location, place};
use crate::snapshot::{Entry, Snapshot};

/// File changes relative to the layout's base directory, by kind of change; each list is
/// sorted by path.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ChangeSet {
    /// New files: path and content.
    pub add: Vec<(String, String)>,
    /// Changed files: path and new content.
    pub update: Vec<(String, String)>,
    /// Files to delete.
    pub delete: Vec<String>,
    /// Files that already hold the right content.
    pub unchanged: Vec<String>,
}

impl ChangeSet {
    /// Whether applying it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.update.is_empty() && self.delete.is_empty()
    }

    /// The writes and deletes, for [`crate::git::Repo::commit`] or
    /// [`crate::git::Repo::publish`].
    pub fn file_changes(&self) -> Vec<FileChange> {
        let writes = self
            .add
            .iter()
            .chain(&self.update)
            .map(|(path, content)| FileChange {
                path: path.clone(),
                content: Some(content.clone().into_bytes()),
            });
        let deletes = self.delete.iter().map(|path| FileChange {
            path: path.clone(),
            content: None,
        });
        writes.chain(deletes).collect()
    }

    /// Sorts every list by path, so that equal change sets compare and serialise equally.
    pub(crate) fn sort(&mut self) {
        self.add.sort();
        self.update.sort();
        self.delete.sort();
        self.unchanged.sort();
    }

    /// Files below the base directory after applying the change set to `tree`.
    pub fn apply_to(&self, tree: &Tree) -> std::collections::BTreeMap<String, Vec<u8>> {
        let mut files = tree.files.clone();
        for change in self.file_changes() {
            match change.content {
                Some(content) => files.insert(change.path, content),
                None => files.remove(&change.path),
            };
        }
        files
    }
}

/// An object that the desired state and the Git tip both changed, differently, since the
/// base the desired state was edited from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectConflict {
    /// The object.
    pub key: ObjectKey,
    /// Its managed file.
    pub path: String,
    /// The fields in conflict, with the base, desired (ours) and tip (theirs) values.
    pub fields: Vec<MergeConflict>,
}

/// A change set and what the change-safety rules and the merge with the tip say about it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Plan {
    /// The file changes.
    pub changes: ChangeSet,
    /// Diagnostics of the change-safety rules and of unreadable managed files.
    pub diagnostics: Vec<Diagnostic>,
    /// Objects changed both in the desired state and in Git since the base (only with
    /// [`PlanOptions::base`]).
    pub conflicts: Vec<ObjectConflict>,
    /// The managed objects the plan deletes, and the deletion guard's verdict.
    pub deletions: Deletions,
    /// Managed files whose planned content keeps changes committed in Git since the base
    /// (only with [`PlanOptions::base`]): there the plan is not the desired state as given.
    pub merged: Vec<String>,
    /// What adopting the canonical layout would change in the files the plan leaves alone.
    pub adoption: PendingAdoption,
}

/// Files a plan leaves as they are although the layout would write them otherwise; adopting
/// the layout ([`crate::adopt`], a commit of its own) changes them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PendingAdoption {
    /// Objects whose file is not their canonical path (an older version's names, a person's
    /// own layout).
    pub renames: usize,
    /// Objects whose file holds them in another formatting than the canonical rendering.
    pub rerenders: usize,
}

/// A plan refused because the change-safety rules found errors, the desired state conflicts
/// with what was committed since its base, or the deletion guard refuses it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the plan is refused: {}", refusal(.errors, .conflicts, .deletion.as_ref()))]
pub struct PlanRefused {
    /// The errors.
    pub errors: Vec<Diagnostic>,
    /// The conflicting objects.
    pub conflicts: Vec<ObjectConflict>,
    /// The deletion guard's refusal.
    pub deletion: Option<DeletionRefusal>,
}

impl PlanRefused {
    /// A stable code: the deletion guard's ([`crate::guard::EMPTY_DESIRED_STATE`],
    /// [`crate::guard::MASS_DELETION`]), `plan.conflict` for conflicts with Git, otherwise
    /// `plan.refused` (change-safety errors).
    pub fn code(&self) -> &'static str {
        self.error_code().code
    }

    /// [`PlanRefused::code`] with its meaning ([`crate::codes`]).
    pub fn error_code(&self) -> crate::codes::ErrorCode {
        match (&self.deletion, self.conflicts.is_empty()) {
            (Some(d), _) if d.code == crate::guard::MASS_DELETION => {
                crate::codes::PLAN_MASS_DELETION
            }
            (Some(_), _) => crate::codes::PLAN_EMPTY_DESIRED_STATE,
            (None, false) => crate::codes::PLAN_CONFLICT,
            (None, true) => crate::codes::PLAN_REFUSED,
        }
    }
}

fn refusal(
    errors: &[Diagnostic],
    conflicts: &[ObjectConflict],
    deletion: Option<&DeletionRefusal>,
) -> String {
    let mut parts: Vec<String> = deletion.map(ToString::to_string).into_iter().collect();
    if let Some(first) = errors.first() {
        parts.push(format!(
            "{} error(s), first: {}",
            errors.len(),
            first.message
        ));
    }
    if let Some(first) = conflicts.first() {
        parts.push(format!(
            "{} object(s) changed in Git since the desired state was read, first: {} ({} field(s))",
            conflicts.len(),
            first.path,
            first.fields.len()
        ));
    }
    parts.join("; ")
}

impl Plan {
    /// The file changes, unless the deletion guard refuses the plan, or it has errors or
    /// conflicts and is not forced.
    pub fn checked(&self, force: bool) -> Result<Vec<FileChange>, PlanRefused> {
        let errors: Vec<Diagnostic> = self
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        let deletion = self.deletions.refusal.clone();
        if deletion.is_none() && (force || (errors.is_empty() && self.conflicts.is_empty())) {
            Ok(self.changes.file_changes())
        } else {
            Err(PlanRefused {
                errors,
                conflicts: self.conflicts.clone(),
                deletion,
            })
        }
    }
}

/// What plans are checked against.
#[derive(Clone, Debug, Default)]
pub struct PlanOptions {
    /// The fabric configuration (change-safety rules that need it are skipped without one).
    pub config: FabricConfig,
    /// The Git snapshot the desired state was edited from; objects the tip changed since are
    /// merged instead of overwritten (see the module docs). `None` plans the desired state
    /// as it is.
    pub base: Option<Snapshot>,
    /// How much the plan may delete.
    pub deletions: DeletionGuard,
}

/// Plans the changes that make `tree` (read below `layout`'s base) hold `desired`.
pub fn plan(desired: &Snapshot, tree: &Tree, layout: &Layout, options: &PlanOptions) -> Plan {
    plan_on(
        desired,
        tree,
        &Snapshot::from_tree(tree, layout),
        layout,
        options,
    )
}

/// [`plan`] with the tree's objects already read (`current`, which must be
/// [`Snapshot::from_tree`] of `tree` and `layout`), so a caller that holds them does not
/// parse every file again.
pub fn plan_on(
    desired: &Snapshot,
    tree: &Tree,
    current: &Snapshot,
    layout: &Layout,
    options: &PlanOptions,
) -> Plan {
    let (rebased, conflicts, merged) = match &options.base {
        Some(base) => {
            let r = rebase(desired, base, current, layout);
            (Some(r.snapshot), r.conflicts, r.merged)
        }
        None => (None, Vec::new(), Vec::new()),
    };
    let desired = rebased.as_ref().unwrap_or(desired);
    let paths = place(desired, current, layout);
    // Each file is classified where it is rendered, so only new and changed contents are
    // kept, not a rendering of every object.
    // `paths` holds the desired keys in their order, and Git's copies are found by walking
    // its map alongside: no lookup per object.
    let mut git = current.objects.iter().peekable();
    let files: Vec<(&Entry, &String, Option<&Entry>)> = desired
        .objects
        .iter()
        .zip(&paths)
        .map(|((key, entry), (placed, path))| {
            debug_assert_eq!(key, *placed);
            while git.next_if(|(k, _)| *k < key).is_some() {}
            let in_git = git.next_if(|(k, _)| *k == key).map(|(_, e)| e);
            (entry, path, in_git)
        })
        .collect();
    let placed: Vec<(&String, Placed)> = files
        .into_par_iter()
        .map(|(entry, path, in_git)| (path, Placed::of(entry, path, tree, in_git)))
        .collect();
    let mut changes = ChangeSet::default();
    let mut adoption = PendingAdoption::default();
    let mut wanted = std::collections::BTreeSet::new();
    for (path, placed) in placed {
        match placed {
            Placed::Add(content) => changes.add.push((path.clone(), content)),
            Placed::Update(content) => changes.update.push((path.clone(), content)),
            Placed::Unchanged => changes.unchanged.push(path.clone()),
            // The file holds the desired object in another formatting: left as it is.
            Placed::Rerender => {
                adoption.rerenders += 1;
                changes.unchanged.push(path.clone());
            }
        }
        wanted.insert(path.as_str());
    }
    adoption.renames = paths
        .iter()
        .filter(|(key, path)| layout.managed_path(key) != **path)
        .count();
    changes.delete = tree
        .files
        .keys()
        .filter(|p| Layout::is_managed(p) && !wanted.contains(p.as_str()))
        .cloned()
        .collect();
    changes.sort();
    let diagnostics = if changes.is_empty() {
        Vec::new()
    } else {
        let before = objects(current);
        let after = objects(desired);
        let (catalog, _) = Catalog::for_objects(&after, &options.config);
        validate_change(&before, &after, &options.config, &catalog)
    };
    Plan {
        changes,
        diagnostics,
        conflicts,
        deletions: crate::guard::check(current, desired, options.deletions),
        merged,
        adoption,
    }
}

/// What a plan does with the file of one desired object.
enum Placed {
    /// A new file with this content.
    Add(String),
    /// The file's new content.
    Update(String),
    /// The file holds the canonical rendering already.
    Unchanged,
    /// The file holds the object in another formatting (adopting the layout re-renders it).
    Rerender,
}

impl Placed {
    /// What becomes of the file `path` of a desired object (`entry`), given the `tree` and
    /// the object's copy in it (`in_git`), if any.
    fn of(entry: &Entry, path: &str, tree: &Tree, in_git: Option<&Entry>) -> Placed {
        let content = render_owned(entry.value());
        match tree.files.get(path) {
            None => Placed::Add(content),
            Some(old) if old.as_slice() == content.as_bytes() => Placed::Unchanged,
            Some(_)
                if in_git.is_some_and(|e| e.git_path() == Some(path) && e.same_object(entry)) =>
            {
                Placed::Rerender
            }
            Some(_) => Placed::Update(content),
        }
    }
}

/// The desired state rebased on the tip.
struct Rebased {
    /// The desired state with what the tip changed since the base merged in.
    snapshot: Snapshot,
    /// Objects both sides changed differently.
    conflicts: Vec<ObjectConflict>,
    /// Managed files of objects whose merged version is not the desired one.
    merged: Vec<String>,
}

/// The desired state with what the tip changed since `base` merged in.
fn rebase(desired: &Snapshot, base: &Snapshot, tip: &Snapshot, layout: &Layout) -> Rebased {
    let mut keys: Vec<&ObjectKey> = desired
        .objects
        .keys()
        .chain(base.objects.keys())
        .chain(tip.objects.keys())
        .collect();
    keys.sort();
    keys.dedup();
    let mut merged = Snapshot::new();
    let mut conflicts = Vec::new();
    let mut kept = Vec::new();
    for key in keys {
        let d_entry = desired.objects.get(key);
        let t_entry = tip.objects.get(key);
        let b = base.objects.get(key).map(Entry::value);
        let t = t_entry.map(Entry::value);
        if t == b {
            if let Some(d) = d_entry {
                merged.objects.insert(key.clone(), d.clone());
            }
            continue;
        }
        let d = d_entry.map(Entry::value);
        let m = merge3(b.as_ref(), d.as_ref(), t.as_ref());
        if m.merged != d {
            kept.push(location(tip, layout, key));
        }
        if !m.conflicts.is_empty() {
            conflicts.push(ObjectConflict {
                key: key.clone(),
                path: location(tip, layout, key),
                fields: m.conflicts,
            });
        }
        if let (Some(value), Some(entry)) = (m.merged, d_entry.or(t_entry)) {
            let provenance = entry.provenance.clone();
            merged
                .objects
                .insert(key.clone(), Entry::new(&value, provenance));
        }
    }
    Rebased {
        snapshot: merged,
        conflicts,
        merged: kept,
    }
}

fn objects(snapshot: &Snapshot) -> Vec<Object> {
    snapshot
        .objects
        .values()
        .map(|e| Object::from_value(e.value()).object)
        .collect()
}
