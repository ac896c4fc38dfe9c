//! Reading trees and the history of files.

use std::collections::BTreeMap;

use gix::ObjectId;
use gix::objs::tree::EntryMode;
use rayon::prelude::*;

use super::write::validate_dir;
use super::{CommitId, GitError, GixContext, Repo};

/// The files under one directory at one commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tree {
    /// The commit that was read.
    pub commit: CommitId,
    /// File contents by path relative to the directory that was read (`/`-separated).
    pub files: BTreeMap<String, Vec<u8>>,
    /// Files that were passed over, with the reason (an odd name, over the size limit).
    pub skipped: Vec<SkippedFile>,
}

/// A file a tree read passed over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedFile {
    /// Its path relative to the directory that was read (bytes that are not UTF-8 shown as
    /// U+FFFD).
    pub path: String,
    /// Why it was not read.
    pub reason: String,
}

/// How much one tree read may take, so a mistaken or hostile repository (a large binary, a
/// million files) cannot make every pass read without bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadLimits {
    /// A larger file is skipped and reported (no manifest is this large).
    pub max_file_bytes: u64,
    /// Reading stops with [`GitError::TooLarge`] past this many bytes in all.
    pub max_total_bytes: u64,
    /// Reading stops with [`GitError::TooLarge`] past this many files.
    pub max_files: usize,
}

impl ReadLimits {
    /// 16 MiB a file, 2 GiB and two million files in all: twenty times the largest fabric we
    /// measure (100 000 objects in about 40 MB).
    pub const DEFAULT: ReadLimits = ReadLimits {
        max_file_bytes: 16 << 20,
        max_total_bytes: 2 << 30,
        max_files: 2_000_000,
    };
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits::DEFAULT
    }
}

/// What a tree read covers: the directories below the one read that are descended into
/// (every one when empty), and its limits.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReadScope<'a> {
    /// Top-level directories (below the directory read) to read; empty reads everything.
    pub only: &'a [&'a str],
    /// The limits.
    pub limits: ReadLimits,
}

/// One version of a file in its history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileVersion {
    /// The commit that produced this version.
    pub commit: CommitId,
    /// The content from that commit on; `None` when that commit deleted the file.
    pub content: Option<Vec<u8>>,
}

impl Repo {
    /// Reads every file under `dir` (recursively; `""` is the root) at revision `rev`
    /// (a branch, `origin/<branch>`, a full reference name or a commit id), within
    /// [`ReadLimits::default`].
    ///
    /// Regular and executable files are returned; symbolic links and submodules are not
    /// manifests and are skipped. A directory that does not exist at that commit reads as
    /// empty, so a new repository and an empty one look the same to a planner.
    pub fn read_tree(&self, rev: &str, dir: &str) -> Result<Tree, GitError> {
        self.read_tree_scoped(rev, dir, &ReadScope::default())
    }

    /// [`Repo::read_tree`] of only the directories `scope` names, within its limits. Files
    /// whose names are not UTF-8 or that exceed the per-file limit are skipped and listed in
    /// [`Tree::skipped`]; exceeding the total limits is an error, never a partial tree that
    /// would make present objects look deleted.
    pub fn read_tree_scoped(
        &self,
        rev: &str,
        dir: &str,
        scope: &ReadScope<'_>,
    ) -> Result<Tree, GitError> {
        let commit = self.resolve(rev)?;
        let dir = validate_dir(dir)?;
        let mut tree = Tree {
            commit,
            files: BTreeMap::new(),
            skipped: Vec::new(),
        };
        let Some(start) = self.dir_tree(commit.0, &dir)? else {
            return Ok(tree);
        };
        let mut budget = Budget::new(scope.limits);
        let mut blobs = Vec::new();
        let mut stack = vec![(start, String::new())];
        while let Some((tree_id, prefix)) = stack.pop() {
            for (name, id, mode) in self.tree_entries(tree_id)? {
                let outside = prefix.is_empty()
                    && !scope.only.is_empty()
                    && !(mode.is_tree() && scope.only.iter().any(|d| d.as_bytes() == name));
                if outside {
                    continue;
                }
                let name = match String::from_utf8(name) {
                    Ok(name) => name,
                    Err(e) => {
                        tree.skipped.push(SkippedFile {
                            path: format!("{prefix}{}", String::from_utf8_lossy(e.as_bytes())),
                            reason: "its name is not UTF-8".into(),
                        });
                        continue;
                    }
                };
                let path = format!("{prefix}{name}");
                if mode.is_tree() {
                    stack.push((id, format!("{path}/")));
                } else if mode.is_blob() {
                    let size = self.blob_size(id)?;
                    match budget.take(size)? {
                        Take::Read => blobs.push((path, id)),
                        Take::TooLarge => tree.skipped.push(SkippedFile {
                            path,
                            reason: format!(
                                "{size} bytes, over the limit of {} bytes a file",
                                scope.limits.max_file_bytes
                            ),
                        }),
                    }
                }
            }
        }
        tree.files = self.blobs(blobs)?;
        Ok(tree)
    }

    /// The contents of blobs, read (and inflated) on every core: one share of them per
    /// thread, each with a handle of its own (gix handles are not shared between threads).
    fn blobs(&self, blobs: Vec<(String, ObjectId)>) -> Result<BTreeMap<String, Vec<u8>>, GitError> {
        let share = blobs.len().div_ceil(rayon::current_num_threads()).max(1);
        let dir = self.path.as_path();
        let read: Vec<Vec<(String, Vec<u8>)>> = blobs
            .par_chunks(share)
            .map(|chunk| {
                let repo = gix::open(dir).ctx(|| "open the repository".to_owned(), dir)?;
                chunk
                    .iter()
                    .map(|(path, id)| Ok((path.clone(), read_blob(&repo, *id, dir)?)))
                    .collect()
            })
            .collect::<Result<_, GitError>>()?;
        Ok(read.into_iter().flatten().collect())
    }

    /// The tree at `dir` of `commit`'s root tree; `None` when there is none.
    fn dir_tree(&self, commit: ObjectId, dir: &str) -> Result<Option<ObjectId>, GitError> {
        let root = self.commit_tree(commit)?;
        if dir.is_empty() {
            return Ok(Some(root));
        }
        match self.entry_at(root, dir)? {
            None => Ok(None),
            Some((id, mode)) if mode.is_tree() => Ok(Some(id)),
            Some(_) => Err(GitError::InvalidPath {
                path: dir.to_owned(),
                reason: "is a file, not a directory",
            }),
        }
    }

    /// The versions of the file at `path` along the first-parent history of `rev`, newest
    /// first, at most `max_versions` of them.
    ///
    /// The first entry is the commit that last set the current content (or deleted the file).
    /// Comparing a cluster's value with these versions tells "the cluster is behind Git" (it
    /// matches an older version) from "changed out of band" (it matches none).
    pub fn file_history(
        &self,
        rev: &str,
        path: &str,
        max_versions: usize,
    ) -> Result<Vec<FileVersion>, GitError> {
        let mut all = self.files_history(rev, &[path], max_versions)?;
        Ok(all.remove(path).unwrap_or_default())
    }

    /// [`Repo::file_history`] for many paths with a single walk of the history.
    ///
    /// At each commit only the subtrees that changed and lead to a requested path are read,
    /// so the cost grows with commits × changed requested paths, not with the size of the tree.
    /// The result has an entry (possibly empty) for every requested path.
    pub fn files_history(
        &self,
        rev: &str,
        paths: &[&str],
        max_versions: usize,
    ) -> Result<BTreeMap<String, Vec<FileVersion>>, GitError> {
        let paths: Vec<&str> = paths
            .iter()
            .copied()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut trie = PathTrie::default();
        for (index, path) in paths.iter().enumerate() {
            trie.insert(&super::write::validate_path(path)?, index);
        }
        let mut found: Vec<Vec<(CommitId, Option<ObjectId>)>> = vec![Vec::new(); paths.len()];
        let mut open = if max_versions == 0 { 0 } else { paths.len() };
        let mut next = Some(self.resolve(rev)?.0);
        while let (Some(id), true) = (next, open > 0) {
            let commit = self
                .repo
                .find_commit(id)
                .ctx(|| format!("read commit {id}"), &self.path)?;
            let tree = commit
                .tree_id()
                .ctx(|| format!("read the tree of {id}"), &self.path)?
                .detach();
            next = commit.parent_ids().next().map(|p| p.detach());
            let parent_tree = next.map(|p| self.commit_tree(p)).transpose()?;
            let mut changed = Vec::new();
            self.diff_node(&trie, parent_tree, Some(tree), &mut changed)?;
            for (index, blob) in changed {
                if let Some(versions) = found.get_mut(index)
                    && versions.len() < max_versions
                {
                    versions.push((CommitId(id), blob));
                    if versions.len() == max_versions {
                        open -= 1;
                    }
                }
            }
        }
        let mut result = BTreeMap::new();
        for (path, versions) in paths.iter().zip(found) {
            let versions = versions
                .into_iter()
                .map(|(commit, blob)| {
                    Ok(FileVersion {
                        commit,
                        content: blob.map(|b| self.blob(b)).transpose()?,
                    })
                })
                .collect::<Result<Vec<_>, GitError>>()?;
            result.insert((*path).to_owned(), versions);
        }
        Ok(result)
    }

    /// Collects `(path index, new blob)` for every requested path below `node` whose blob
    /// differs between the `old` and `new` trees; identical subtrees are skipped unread.
    fn diff_node(
        &self,
        node: &PathTrie,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        out: &mut Vec<(usize, Option<ObjectId>)>,
    ) -> Result<(), GitError> {
        if old == new {
            return Ok(());
        }
        let old_entries = old
            .map(|t| self.tree_entries(t))
            .transpose()?
            .unwrap_or_default();
        let new_entries = new
            .map(|t| self.tree_entries(t))
            .transpose()?
            .unwrap_or_default();
        let find = |entries: &[(Vec<u8>, ObjectId, EntryMode)], name: &[u8]| {
            entries
                .iter()
                .find(|(n, _, _)| n == name)
                .map(|(_, id, mode)| (*id, *mode))
        };
        for (name, child) in &node.children {
            let (old_child, new_child) = (find(&old_entries, name), find(&new_entries, name));
            if let Some(index) = child.target {
                let blob = |e: Option<(ObjectId, EntryMode)>| {
                    e.filter(|(_, m)| m.is_blob()).map(|(id, _)| id)
                };
                let (old_blob, new_blob) = (blob(old_child), blob(new_child));
                if old_blob != new_blob {
                    out.push((index, new_blob));
                }
            }
            if !child.children.is_empty() {
                let tree = |e: Option<(ObjectId, EntryMode)>| {
                    e.filter(|(_, m)| m.is_tree()).map(|(id, _)| id)
                };
                self.diff_node(child, tree(old_child), tree(new_child), out)?;
            }
        }
        Ok(())
    }

    pub(crate) fn commit_tree(&self, commit: ObjectId) -> Result<ObjectId, GitError> {
        let commit = self
            .repo
            .find_commit(commit)
            .ctx(|| format!("read commit {commit}"), &self.path)?;
        Ok(commit
            .tree_id()
            .ctx(|| format!("read the tree of {}", commit.id), &self.path)?
            .detach())
    }

    /// The entry at a `/`-separated path below `tree`, if any.
    fn entry_at(
        &self,
        tree: ObjectId,
        path: &str,
    ) -> Result<Option<(ObjectId, EntryMode)>, GitError> {
        let mut current = (tree, EntryMode::from(gix::objs::tree::EntryKind::Tree));
        for component in path.split('/') {
            if !current.1.is_tree() {
                return Ok(None);
            }
            let entries = self.tree_entries(current.0)?;
            match entries
                .into_iter()
                .find(|(n, _, _)| n == component.as_bytes())
            {
                Some((_, id, mode)) => current = (id, mode),
                None => return Ok(None),
            }
        }
        Ok(Some(current))
    }

    fn tree_entries(
        &self,
        tree: ObjectId,
    ) -> Result<Vec<(Vec<u8>, ObjectId, EntryMode)>, GitError> {
        let tree = self
            .repo
            .find_tree(tree)
            .ctx(|| format!("read tree {tree}"), &self.path)?;
        let decoded = tree
            .decode()
            .ctx(|| format!("decode tree {}", tree.id), &self.path)?;
        Ok(decoded
            .entries
            .iter()
            .map(|e| (e.filename.to_vec(), e.oid.to_owned(), e.mode))
            .collect())
    }

    /// A blob's size, read from its header without inflating it.
    fn blob_size(&self, id: ObjectId) -> Result<u64, GitError> {
        let header = self
            .repo
            .find_header(id)
            .ctx(|| format!("read the header of blob {id}"), &self.path)?;
        Ok(header.size())
    }

    fn blob(&self, id: ObjectId) -> Result<Vec<u8>, GitError> {
        read_blob(&self.repo, id, &self.path)
    }
}

/// A blob's content from `repo` (at `path`, for errors).
fn read_blob(
    repo: &gix::Repository,
    id: ObjectId,
    path: &std::path::Path,
) -> Result<Vec<u8>, GitError> {
    let blob = repo.find_blob(id).ctx(|| format!("read blob {id}"), path)?;
    // A copy of exactly the content's size: the handle's buffer (room for the largest object
    // it inflated so far) goes back to it for the next blob instead of into the tree.
    Ok(blob.data.clone())
}

/// What a tree read has taken so far against its [`ReadLimits`].
struct Budget {
    limits: ReadLimits,
    files: usize,
    bytes: u64,
}

enum Take {
    Read,
    TooLarge,
}

impl Budget {
    fn new(limits: ReadLimits) -> Budget {
        Budget {
            limits,
            files: 0,
            bytes: 0,
        }
    }

    /// Counts a file of `size` bytes: read it, skip it, or stop the whole read.
    fn take(&mut self, size: u64) -> Result<Take, GitError> {
        if size > self.limits.max_file_bytes {
            return Ok(Take::TooLarge);
        }
        self.files += 1;
        self.bytes = self.bytes.saturating_add(size);
        if self.files > self.limits.max_files {
            return Err(GitError::TooLarge {
                what: "files",
                limit: self.limits.max_files as u64,
            });
        }
        if self.bytes > self.limits.max_total_bytes {
            return Err(GitError::TooLarge {
                what: "bytes",
                limit: self.limits.max_total_bytes,
            });
        }
        Ok(Take::Read)
    }
}

/// The requested paths as a tree of path components, so one history walk serves them all.
#[derive(Default)]
struct PathTrie {
    children: BTreeMap<Vec<u8>, PathTrie>,
    /// Index of the requested path that ends here.
    target: Option<usize>,
}

impl PathTrie {
    fn insert(&mut self, path: &str, index: usize) {
        let mut node = self;
        for component in path.split('/') {
            node = node
                .children
                .entry(component.as_bytes().to_vec())
                .or_default();
        }
        node.target = Some(index);
    }
}
