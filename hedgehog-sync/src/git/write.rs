//! Writing one commit for a whole change set, and moving a branch by compare-and-swap.

use gix::objs::tree::EntryKind;
use gix::refs::transaction::{Change, LogChange, PreviousValue, RefEdit, RefLog};
use gix::refs::{FullName, Target};

use super::{CommitId, GitError, GixContext, Repo, local_ref};

/// One file to write or delete, relative to the change set's base directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    /// `/`-separated path relative to the base directory.
    pub path: String,
    /// The new content; `None` deletes the file (deleting a missing file is not an error).
    pub content: Option<Vec<u8>>,
}

/// Who made a commit. The same identity is used as author and committer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// Display name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Seconds since the Unix epoch (UTC); `None` means now.
    pub time: Option<i64>,
}

impl Signature {
    /// A signature dated when the commit is written.
    pub fn new(name: impl Into<String>, email: impl Into<String>) -> Signature {
        Signature {
            name: name.into(),
            email: email.into(),
            time: None,
        }
    }

    fn to_gix(&self) -> Result<gix::actor::Signature, GitError> {
        for (what, value) in [("author name", &self.name), ("author e-mail", &self.email)] {
            if value.trim().is_empty() || value.contains(['<', '>', '\n', '\0']) {
                return Err(GitError::InvalidInput {
                    what,
                    value: value.clone(),
                    reason: "must be non-empty and must not contain `<`, `>`, newlines or NUL",
                });
            }
        }
        let seconds = self.time.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        });
        Ok(gix::actor::Signature {
            name: self.name.as_str().into(),
            email: self.email.as_str().into(),
            time: gix::date::Time { seconds, offset: 0 },
        })
    }
}

impl Repo {
    /// Commits `changes` (below `base_dir`) on top of `parent` as one commit and moves
    /// `refs/heads/<branch>` from `parent` to it.
    ///
    /// Returns `None`, and writes nothing, when the change set leaves the tree as it is (empty,
    /// or every file already has that content). Every path is checked before anything is
    /// written. Fails with [`GitError::Conflict`] when the branch no longer points at `parent`.
    pub fn commit(
        &self,
        branch: &str,
        parent: CommitId,
        base_dir: &str,
        changes: &[FileChange],
        message: &str,
        author: &Signature,
    ) -> Result<Option<CommitId>, GitError> {
        let name = local_ref(branch)?;
        let current = self.ref_target(&name)?;
        if current != Some(parent) {
            return Err(conflict(&name, Some(parent), current, "the branch moved"));
        }
        let Some(commit) = self.write_commit(parent, base_dir, changes, message, author)? else {
            return Ok(None);
        };
        self.move_ref(&name, Some(parent), commit, message)?;
        Ok(Some(commit))
    }

    /// Writes blobs, trees and the commit object for `changes` on top of `parent` without
    /// moving any reference; `None` when the tree would not change.
    pub(crate) fn write_commit(
        &self,
        parent: CommitId,
        base_dir: &str,
        changes: &[FileChange],
        message: &str,
        author: &Signature,
    ) -> Result<Option<CommitId>, GitError> {
        let base = validate_dir(base_dir)?;
        let mut paths = std::collections::BTreeSet::new();
        let mut full_paths = Vec::with_capacity(changes.len());
        for change in changes {
            let path = validate_path(&change.path)?;
            if !paths.insert(path.clone()) {
                return Err(GitError::InvalidPath {
                    path,
                    reason: "appears more than once in the change set",
                });
            }
            full_paths.push(if base.is_empty() {
                path
            } else {
                format!("{base}/{path}")
            });
        }
        let signature = author.to_gix()?;
        if changes.is_empty() {
            return Ok(None);
        }
        let parent_tree = self.commit_tree(parent.0)?;
        let mut editor = self
            .repo
            .edit_tree(parent_tree)
            .ctx(|| format!("edit the tree of {parent}"), &self.path)?;
        for (change, path) in changes.iter().zip(&full_paths) {
            match &change.content {
                Some(content) => {
                    let blob = self
                        .repo
                        .write_blob(content)
                        .ctx(|| format!("write the blob for `{path}`"), &self.path)?;
                    editor
                        .upsert(path.as_str(), EntryKind::Blob, blob.detach())
                        .ctx(|| format!("add `{path}` to the tree"), &self.path)?;
                }
                None => {
                    editor
                        .remove(path.as_str())
                        .ctx(|| format!("remove `{path}` from the tree"), &self.path)?;
                }
            }
        }
        let tree = editor
            .write()
            .ctx(|| "write the new tree".to_owned(), &self.path)?
            .detach();
        if tree == parent_tree {
            return Ok(None);
        }
        let commit = gix::objs::Commit {
            tree,
            parents: [parent.0].into(),
            author: signature.clone(),
            committer: signature,
            encoding: None,
            message: message.into(),
            extra_headers: Vec::new(),
        };
        let id = self
            .repo
            .write_object(&commit)
            .ctx(|| "write the commit".to_owned(), &self.path)?;
        Ok(Some(CommitId(id.detach())))
    }

    /// Points `name` at `new` if it currently points at `expected` (`None`: must not exist),
    /// failing with [`GitError::Conflict`] otherwise.
    pub(crate) fn move_ref(
        &self,
        name: &str,
        expected: Option<CommitId>,
        new: CommitId,
        message: &str,
    ) -> Result<(), GitError> {
        let previous = match expected {
            Some(id) => PreviousValue::MustExistAndMatch(Target::Object(id.0)),
            None => PreviousValue::MustNotExist,
        };
        self.edit_ref(name, previous, new, message)
            .map_err(|error| match self.ref_target(name) {
                Ok(actual) if actual != expected => conflict(
                    name,
                    expected,
                    actual,
                    "the reference moved while committing",
                ),
                _ => error,
            })
    }

    /// Points `name` at `new` whatever it pointed at; only for refs that mirror a known state
    /// (the remote-tracking ref after a push, our own `refs/hedgehog/*`).
    pub(crate) fn set_ref(&self, name: &str, new: CommitId, message: &str) -> Result<(), GitError> {
        self.edit_ref(name, PreviousValue::Any, new, message)
    }

    fn edit_ref(
        &self,
        name: &str,
        expected: PreviousValue,
        new: CommitId,
        message: &str,
    ) -> Result<(), GitError> {
        let full_name =
            FullName::try_from(name).ctx(|| format!("name the reference `{name}`"), &self.path)?;
        let summary = message.lines().next().unwrap_or_default();
        self.repo
            .edit_reference(RefEdit {
                change: Change::Update {
                    log: LogChange {
                        mode: RefLog::AndReference,
                        force_create_reflog: false,
                        message: format!("hedgehog: {summary}").into(),
                    },
                    expected,
                    new: Target::Object(new.0),
                },
                name: full_name,
                deref: false,
            })
            .ctx(|| format!("update `{name}` to {new}"), &self.path)?;
        Ok(())
    }

    /// Deletes `name` if it exists.
    pub(crate) fn delete_ref(&self, name: &str) -> Result<(), GitError> {
        let Some(reference) = self
            .repo
            .try_find_reference(name)
            .ctx(|| format!("look up `{name}`"), &self.path)?
        else {
            return Ok(());
        };
        reference
            .delete()
            .ctx(|| format!("delete `{name}`"), &self.path)
    }
}

fn conflict(
    name: &str,
    expected: Option<CommitId>,
    actual: Option<CommitId>,
    detail: &str,
) -> GitError {
    GitError::Conflict {
        reference: name.to_owned(),
        expected,
        actual,
        local_commit: None,
        detail: detail.to_owned(),
    }
}

/// Checks a path inside the repository: relative, `/`-separated, no empty, `.`, `..` or
/// `.git` components, no backslashes or NUL. Returns it unchanged.
pub(crate) fn validate_path(path: &str) -> Result<String, GitError> {
    let invalid = |reason| GitError::InvalidPath {
        path: path.to_owned(),
        reason,
    };
    if path.is_empty() {
        return Err(invalid("is empty"));
    }
    if path.starts_with('/') {
        return Err(invalid("must be relative"));
    }
    if path.contains(['\\', '\0']) {
        return Err(invalid("must not contain backslashes or NUL"));
    }
    for component in path.split('/') {
        match component {
            "" => return Err(invalid("has an empty component (`//` or a trailing `/`)")),
            "." | ".." => return Err(invalid("must not contain `.` or `..` components")),
            c if c.eq_ignore_ascii_case(".git") => {
                return Err(invalid("must not contain a `.git` component"));
            }
            _ => {}
        }
    }
    Ok(path.to_owned())
}

/// Like [`validate_path`], but `""` (and `"."`/`"/"`) mean the repository root and a trailing
/// `/` is allowed; returns the directory without leading/trailing slashes.
pub(crate) fn validate_dir(dir: &str) -> Result<String, GitError> {
    let trimmed = dir.trim_end_matches('/');
    if trimmed.is_empty() || trimmed == "." {
        return Ok(String::new());
    }
    validate_path(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_checked() {
        for bad in [
            "",
            "/abs",
            "a/../b",
            "./a",
            "a//b",
            "a/",
            ".git/config",
            "x/.GIT/y",
            "a\\b",
            "..",
        ] {
            assert!(
                matches!(validate_path(bad), Err(GitError::InvalidPath { .. })),
                "{bad:?} accepted"
            );
        }
        for good in [
            "a.yaml",
            "vpc/default.yaml",
            ".github/x",
            "a..b/c",
            ".gitignore",
        ] {
            assert_eq!(validate_path(good).unwrap(), good);
        }
        assert_eq!(validate_dir("").unwrap(), "");
        assert_eq!(validate_dir("fabric/").unwrap(), "fabric");
        assert!(validate_dir("/etc").is_err());
    }
}
