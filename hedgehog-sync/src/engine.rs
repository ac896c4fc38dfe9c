//! The engine on a Git repository: snapshots of a branch, drift with history read in bulk,
//! and plans and ingestion published as one commit each (with the Git backend's re-plan on
//! a rejected push).

use std::collections::BTreeMap;

use hedgehog_model::ObjectKey;
use hedgehog_model::config::FabricConfig;

use crate::adopt::{ADOPTION_MESSAGE, adopt};
use crate::drift::{Drift, GitVersion, History};
use crate::git::{
    CommitId, Credentials, FileChange, GitError, PublishError, PublishRequest, Published,
    ReadLimits, ReadScope, Repo, Signature, Tree, desired_ref,
};
use crate::guard::DeletionGuard;
use crate::ingest::{Ingestion, ingest};
use crate::layout::Layout;
use crate::plan::{ChangeSet, Plan, PlanOptions, PlanRefused, plan};
use crate::snapshot::{Snapshot, parse_file};

/// Plans and drift read only the managed objects: whatever else the repository holds (`raw/`,
/// `unmanaged/`, binaries beside them) costs them nothing.
const MANAGED_ONLY: ReadScope<'static> = ReadScope {
    only: &[crate::layout::MANAGED],
    limits: ReadLimits::DEFAULT,
};

/// How many versions of a file drift looks back through.
pub const HISTORY_DEPTH: usize = 50;

/// Why an engine operation failed.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The Git backend failed; a [`GitError::Conflict`] names the local commit it kept.
    #[error(transparent)]
    Git(#[from] GitError),
    /// The plan broke change-safety rules and was not forced.
    #[error(transparent)]
    Refused(#[from] PlanRefused),
}

impl From<PublishError<PlanRefused>> for EngineError {
    fn from(e: PublishError<PlanRefused>) -> Self {
        match e {
            PublishError::Git(e) => EngineError::Git(e),
            PublishError::Plan(e) => EngineError::Refused(e),
        }
    }
}

/// One branch of a repository laid out as [`Layout`] says.
#[derive(Debug)]
pub struct Engine<'r> {
    repo: &'r Repo,
    layout: Layout,
    branch: String,
}

/// How to publish.
#[derive(Clone, Debug)]
pub struct PublishOptions<'a> {
    /// The commit message.
    pub message: &'a str,
    /// Author and committer.
    pub author: &'a Signature,
    /// Commit even if the change-safety rules found errors.
    pub force: bool,
    /// The fabric configuration plans are checked against.
    pub config: FabricConfig,
    /// Fetch–plan–push attempts before a conflict is reported.
    pub max_attempts: u32,
    /// The Git snapshot the desired state was edited from, so that what others committed
    /// since is merged, not overwritten ([`PlanOptions::base`]).
    pub base: Option<Snapshot>,
    /// How much the plan may delete ([`crate::guard`]).
    pub deletions: DeletionGuard,
}

/// A published change set and the plan of the attempt that landed (or found nothing to do).
#[derive(Clone, Debug)]
pub struct Outcome<T> {
    /// What the Git backend did.
    pub published: Published,
    /// The last plan (or ingestion) computed.
    pub plan: T,
}

impl<'r> Engine<'r> {
    /// An engine on `branch` of `repo`.
    pub fn new(repo: &'r Repo, layout: Layout, branch: &str) -> Engine<'r> {
        Engine {
            repo,
            layout,
            branch: branch.to_owned(),
        }
    }

    /// The layout.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The managed files below the base directory at `rev` (nothing else is read), and their
    /// objects.
    pub fn read(&self, rev: &str) -> Result<(Tree, Snapshot), GitError> {
        let tree = self
            .repo
            .read_tree_scoped(rev, self.layout.base(), &MANAGED_ONLY)?;
        let snapshot = Snapshot::from_tree(&tree, &self.layout);
        Ok((tree, snapshot))
    }

    /// The Git history of objects' managed files along `rev` (newest first, at most
    /// [`HISTORY_DEPTH`] versions each), read in one walk.
    pub fn history(&self, rev: &str, keys: &[ObjectKey]) -> Result<History, GitError> {
        self.history_in(rev, keys, &BTreeMap::new())
    }

    /// [`Engine::history`] for objects some of which are in other files than their
    /// canonical ones (`moved`, from [`Snapshot::moved`]).
    pub fn history_in(
        &self,
        rev: &str,
        keys: &[ObjectKey],
        moved: &BTreeMap<ObjectKey, String>,
    ) -> Result<History, GitError> {
        if keys.is_empty() {
            return Ok(History::new());
        }
        let paths: Vec<String> = keys
            .iter()
            .map(|k| {
                let rel = moved
                    .get(k)
                    .cloned()
                    .unwrap_or_else(|| self.layout.managed_path(k));
                self.repo_path(rel)
            })
            .collect();
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        let mut found = self.repo.files_history(rev, &refs, HISTORY_DEPTH)?;
        let mut history = History::new();
        for (key, path) in keys.iter().zip(&paths) {
            let versions = found.remove(path).unwrap_or_default();
            let versions = versions
                .into_iter()
                .map(|v| GitVersion {
                    commit: v.commit.to_hex(),
                    value: v
                        .content
                        .and_then(|bytes| parse_file(path, &bytes).ok())
                        .map(|n| n.value),
                })
                .collect();
            history.insert(key.clone(), versions);
        }
        Ok(history)
    }

    /// Drift of `desired` (if any) and `cluster` (if any) against the branch at `rev`.
    pub fn drift(
        &self,
        rev: &str,
        desired: Option<Snapshot>,
        cluster: Option<Snapshot>,
    ) -> Result<Drift, GitError> {
        let (_, git) = self.read(rev)?;
        let moved = git.moved(&self.layout);
        Drift::compute(desired, git, cluster, |keys| {
            self.history_in(rev, keys, &moved)
        })
    }

    /// Publishes `desired` as one commit on the remote branch: fetch, plan on the remote
    /// tip, check, commit, push; on a rejected push, again on the new tip.
    pub fn publish(
        &self,
        desired: &Snapshot,
        creds: &Credentials,
        options: &PublishOptions<'_>,
    ) -> Result<Outcome<Plan>, EngineError> {
        let plan_options = PlanOptions {
            config: options.config.clone(),
            base: options.base.clone(),
            deletions: options.deletions,
        };
        self.publish_scoped(creds, options, &MANAGED_ONLY, |tree| {
            let p = plan(desired, tree, &self.layout, &plan_options);
            let changes = p.checked(options.force);
            (changes, p)
        })
    }

    /// The commit `desired` agrees with, to rebase the next plan on ([`PlanOptions::base`]):
    /// `at` itself when its managed objects are the desired state, otherwise a commit on top
    /// of `at` holding the desired state as given — where `at` kept edits of other writers —
    /// made only in this repository and kept under `refs/hedgehog/desired/<branch>`.
    ///
    /// Rebasing on the last published commit alone would revert those kept edits on the
    /// next plan (the desired state still differs there and Git would look unchanged since
    /// the base); rebasing on the desired state as last published keeps them.
    pub fn agree(
        &self,
        desired: &Snapshot,
        at: CommitId,
        author: &Signature,
    ) -> Result<CommitId, GitError> {
        let tree = self.repo.read_tree(&at.to_hex(), self.layout.base())?;
        let changes = plan(desired, &tree, &self.layout, &PlanOptions::default()).changes;
        let message = "hedgehog: the desired state as last published (local, never pushed)";
        match self.repo.write_commit(
            at,
            self.layout.base(),
            &changes.file_changes(),
            message,
            author,
        )? {
            None => Ok(at),
            Some(commit) => {
                self.repo
                    .set_ref(&desired_ref(&self.branch)?, commit, message)?;
                Ok(commit)
            }
        }
    }

    /// Publishes the adoption of the canonical layout ([`crate::adopt`]) as one commit of its
    /// own, with [`ADOPTION_MESSAGE`] (`options.message` is not used); nothing when the
    /// branch already follows the layout.
    pub fn publish_adoption(
        &self,
        creds: &Credentials,
        options: &PublishOptions<'_>,
    ) -> Result<Outcome<ChangeSet>, EngineError> {
        let options = PublishOptions {
            message: ADOPTION_MESSAGE,
            ..options.clone()
        };
        self.publish_with(creds, &options, |tree| {
            let changes = adopt(tree, &self.layout);
            (Ok(changes.file_changes()), changes)
        })
    }

    /// Publishes the ingestion of the branch's raw files as one commit.
    pub fn publish_ingestion(
        &self,
        creds: &Credentials,
        options: &PublishOptions<'_>,
    ) -> Result<Outcome<Ingestion>, EngineError> {
        self.publish_with(creds, options, |tree| {
            let i = ingest(tree, &self.layout, Some(&options.config));
            (Ok(i.changes.file_changes()), i)
        })
    }

    /// Publishes what `make` plans on the remote tip's files (below the base directory) as
    /// one commit; `make` also returns a record of its plan, and is called again on the new
    /// tip when the push is rejected because the branch moved.
    pub fn publish_with<T: Default>(
        &self,
        creds: &Credentials,
        options: &PublishOptions<'_>,
        make: impl FnMut(&Tree) -> (Result<Vec<FileChange>, PlanRefused>, T),
    ) -> Result<Outcome<T>, EngineError> {
        self.publish_scoped(creds, options, &ReadScope::default(), make)
    }

    /// [`Engine::publish_with`] where `make` sees only what `scope` reads.
    fn publish_scoped<T: Default>(
        &self,
        creds: &Credentials,
        options: &PublishOptions<'_>,
        scope: &ReadScope<'_>,
        mut make: impl FnMut(&Tree) -> (Result<Vec<FileChange>, PlanRefused>, T),
    ) -> Result<Outcome<T>, EngineError> {
        let request = PublishRequest {
            scope: *scope,
            branch: &self.branch,
            base_dir: self.layout.base(),
            message: options.message,
            author: options.author,
            max_attempts: options.max_attempts,
        };
        let mut last = T::default();
        let published = self.repo.publish(&request, creds, |tree| {
            let (changes, made) = make(tree);
            last = made;
            changes
        })?;
        Ok(Outcome {
            published,
            plan: last,
        })
    }

    fn repo_path(&self, rel: String) -> String {
        match self.layout.base() {
            "" => rel,
            base => format!("{base}/{rel}"),
        }
    }
}
