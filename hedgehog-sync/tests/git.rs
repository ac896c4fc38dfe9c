//! The Git backend against real repositories: a bare remote over `file://`, a second clone
//! that pushes in between, and a loopback HTTP server for credential handling.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use hedgehog_sync::git::{
    CommitId, Credentials, FileChange, GitError, PublishError, PublishRequest, Published,
    PushOutcome, Repo, Signature, test_remote,
};

const TOKEN: &str = "s3cr3t-token-value";

mod engine_support;

use engine_support::Remote;

/// Runs `git` in `dir` like the fixtures do (fixed identity and dates, a temporary HOME).
fn git(dir: &Path, args: &[&str]) -> String {
    static HOME: OnceLock<tempfile::TempDir> = OnceLock::new();
    let home = HOME.get_or_init(|| tempfile::tempdir().unwrap());
    engine_support::git(home.path(), dir, args)
}

/// A bare remote seeded with three files, and a second clone ("another engineer").
struct Fixture(Remote);

impl Fixture {
    fn new() -> Self {
        let remote = Remote::new();
        remote.commit(
            &[
                ("README.md", Some("hello\n")),
                ("fabric/vpc/a.yaml", Some("a: 1\n")),
                ("fabric/wiring/b.yaml", Some("b: 1\n")),
            ],
            "seed",
        );
        Fixture(remote)
    }

    fn url(&self) -> String {
        self.0.url()
    }

    /// Commits in the other clone and pushes to the remote; returns the new commit.
    fn other_commit(&self, files: &[(&str, Option<&str>)], message: &str) -> String {
        self.0.commit(files, message)
    }

    fn clone(&self) -> Repo {
        self.0.clone()
    }

    fn remote_git(&self, args: &[&str]) -> String {
        self.0.git(&self.0.remote, args)
    }
}

fn author() -> Signature {
    Signature {
        name: "Hedgehog Bot".into(),
        email: "bot@example.com".into(),
        time: Some(1_767_225_600),
    }
}

fn change(path: &str, content: Option<&str>) -> FileChange {
    FileChange {
        path: path.into(),
        content: content.map(|c| c.as_bytes().to_vec()),
    }
}

fn id(hex: &str) -> CommitId {
    hex.parse().unwrap()
}

#[test]
fn clone_fetch_and_read_trees() {
    let f = Fixture::new();
    let repo = f.clone();
    let seed = f.remote_git(&["rev-parse", "main"]);
    let heads = repo.head("main").unwrap();
    assert_eq!(heads.remote, Some(id(&seed)));
    assert_eq!(heads.local, Some(id(&seed)));

    let tree = repo.read_tree("origin/main", "fabric").unwrap();
    assert_eq!(tree.commit, id(&seed));
    let names: Vec<_> = tree.files.keys().cloned().collect();
    assert_eq!(names, ["vpc/a.yaml", "wiring/b.yaml"]);
    assert_eq!(tree.files["vpc/a.yaml"], b"a: 1\n");
    assert_eq!(repo.read_tree("origin/main", "").unwrap().files.len(), 3);
    assert_eq!(repo.read_tree(&seed, "fabric/vpc/").unwrap().files.len(), 1);
    assert!(
        repo.read_tree("origin/main", "missing")
            .unwrap()
            .files
            .is_empty()
    );
    assert!(matches!(
        repo.read_tree("origin/main", "README.md"),
        Err(GitError::InvalidPath { .. })
    ));
    assert!(matches!(
        repo.read_tree("origin/nope", ""),
        Err(GitError::NotFound { .. })
    ));

    // The same URL reuses the same clone.
    let again = f.clone();
    assert_eq!(again.path(), repo.path());

    let next = f.other_commit(&[("fabric/vpc/a.yaml", Some("a: 2\n"))], "bump a");
    assert_eq!(repo.head("main").unwrap().remote, Some(id(&seed)));
    repo.fetch(&Credentials::None).unwrap();
    assert_eq!(repo.head("main").unwrap().remote, Some(id(&next)));
    assert_eq!(
        repo.read_tree("origin/main", "fabric").unwrap().files["vpc/a.yaml"],
        b"a: 2\n"
    );
}

#[test]
fn history_of_files() {
    let f = Fixture::new();
    let v2 = f.other_commit(&[("fabric/vpc/a.yaml", Some("a: 2\n"))], "a2");
    let b2 = f.other_commit(&[("fabric/wiring/b.yaml", Some("b: 2\n"))], "b2");
    let v3 = f.other_commit(&[("fabric/vpc/a.yaml", Some("a: 3\n"))], "a3");
    let gone = f.other_commit(&[("fabric/vpc/a.yaml", None)], "delete a");
    let repo = f.clone();

    let history = repo
        .file_history("origin/main", "fabric/vpc/a.yaml", 10)
        .unwrap();
    let commits: Vec<String> = history.iter().map(|v| v.commit.to_hex()).collect();
    let cli = f.remote_git(&["log", "--format=%H", "main", "--", "fabric/vpc/a.yaml"]);
    assert_eq!(commits, cli.lines().collect::<Vec<_>>());
    assert_eq!(commits[..3], [gone.clone(), v3.clone(), v2.clone()]);
    let contents: Vec<Option<&[u8]>> = history.iter().map(|v| v.content.as_deref()).collect();
    assert_eq!(
        contents,
        [None, Some(&b"a: 3\n"[..]), Some(b"a: 2\n"), Some(b"a: 1\n")]
    );

    assert_eq!(
        repo.file_history("origin/main", "fabric/vpc/a.yaml", 2)
            .unwrap()
            .len(),
        2
    );
    assert!(repo.file_history(&v3, "nope.yaml", 5).unwrap().is_empty());

    let bulk = repo
        .files_history(
            "origin/main",
            &["fabric/vpc/a.yaml", "fabric/wiring/b.yaml", "README.md"],
            10,
        )
        .unwrap();
    assert_eq!(bulk["fabric/vpc/a.yaml"], history);
    let b: Vec<String> = bulk["fabric/wiring/b.yaml"]
        .iter()
        .map(|v| v.commit.to_hex())
        .collect();
    assert_eq!(b.first(), Some(&b2));
    assert_eq!(b.len(), 2);
    // The fixture's initial commit wrote README.md, the seed rewrote it.
    let readme: Vec<Option<&[u8]>> = bulk["README.md"]
        .iter()
        .map(|v| v.content.as_deref())
        .collect();
    assert_eq!(readme, [Some(&b"hello\n"[..]), Some(&b"fabric\n"[..])]);
}

#[test]
fn one_commit_per_change_set() {
    let f = Fixture::new();
    let repo = f.clone();
    let tip = repo.head("main").unwrap().local.unwrap();
    let changes = [
        change("vpc/new.yaml", Some("new: 1\n")),
        change("vpc/a.yaml", Some("a: 9\n")),
        change("wiring/b.yaml", None),
    ];
    let commit = repo
        .commit(
            "main",
            tip,
            "fabric",
            &changes,
            "hedgehog: apply 3 changes",
            &author(),
        )
        .unwrap()
        .unwrap();
    let dir = repo.path();
    assert_eq!(git(dir, &["rev-parse", "refs/heads/main"]), commit.to_hex());
    assert_eq!(
        git(dir, &["rev-list", "--count", &format!("{tip}..main")]),
        "1"
    );
    assert_eq!(git(dir, &["rev-parse", "main^"]), tip.to_hex());
    assert_eq!(
        git(dir, &["show", "--name-status", "--format=", "main"]),
        "M\tfabric/vpc/a.yaml\nA\tfabric/vpc/new.yaml\nD\tfabric/wiring/b.yaml"
    );
    assert_eq!(git(dir, &["show", "main:fabric/vpc/new.yaml"]), "new: 1");
    assert_eq!(
        git(dir, &["log", "-1", "--format=%an <%ae> %at %s", "main"]),
        "Hedgehog Bot <bot@example.com> 1767225600 hedgehog: apply 3 changes"
    );
    git(dir, &["fsck", "--strict", "--no-progress"]);

    // Nothing to do: no commit, ref unchanged.
    assert_eq!(
        repo.commit("main", commit, "fabric", &[], "empty", &author())
            .unwrap(),
        None
    );
    let same = [
        change("vpc/new.yaml", Some("new: 1\n")),
        change("gone.yaml", None),
    ];
    assert_eq!(
        repo.commit("main", commit, "fabric", &same, "same", &author())
            .unwrap(),
        None
    );
    assert_eq!(repo.head("main").unwrap().local, Some(commit));

    // Compare-and-swap: basing a change on the old tip fails and moves nothing.
    let err = repo
        .commit(
            "main",
            tip,
            "fabric",
            &[change("x.yaml", Some("x"))],
            "stale",
            &author(),
        )
        .unwrap_err();
    assert!(
        matches!(&err, GitError::Conflict { expected, actual, .. }
            if *expected == Some(tip) && *actual == Some(commit)),
        "{err:?}"
    );
    assert_eq!(repo.head("main").unwrap().local, Some(commit));

    // Push it, with a lease on what the remote had.
    let pushed = repo.push("main", Some(tip), &Credentials::None).unwrap();
    assert_eq!(pushed, PushOutcome::Pushed { commit });
    assert_eq!(f.remote_git(&["rev-parse", "main"]), commit.to_hex());
    assert_eq!(repo.head("main").unwrap().remote, Some(commit));
    // A lease on a tip the local branch does not descend from is refused before pushing.
    let unrelated = f.other_commit(&[("z", Some("z"))], "z");
    repo.fetch(&Credentials::None).unwrap();
    assert!(matches!(
        repo.push("main", Some(id(&unrelated)), &Credentials::None),
        Err(GitError::Conflict { .. })
    ));
    // A stale lease is reported as a rejection, not forced.
    let outcome = repo.push("main", Some(commit), &Credentials::None).unwrap();
    assert!(
        matches!(outcome, PushOutcome::Rejected { stale: true, .. }),
        "{outcome:?}"
    );
    assert_eq!(f.remote_git(&["rev-parse", "main"]), unrelated);
}

#[test]
fn bad_paths_are_refused_before_anything_is_written() {
    let f = Fixture::new();
    let repo = f.clone();
    let tip = repo.head("main").unwrap().local.unwrap();
    let content = "written-before-validation\n";
    for bad in ["../evil.yaml", "/etc/passwd", "a/.git/config", "a//b", ""] {
        let changes = [change("ok.yaml", Some(content)), change(bad, Some("x"))];
        let err = repo
            .commit("main", tip, "", &changes, "bad", &author())
            .unwrap_err();
        assert!(
            matches!(err, GitError::InvalidPath { .. }),
            "{bad:?}: {err:?}"
        );
    }
    let dup = [change("a.yaml", Some("1")), change("a.yaml", Some("2"))];
    assert!(matches!(
        repo.commit("main", tip, "", &dup, "dup", &author()),
        Err(GitError::InvalidPath { .. })
    ));
    assert!(matches!(
        repo.commit(
            "main",
            tip,
            "../up",
            &[change("a", Some("1"))],
            "bad base",
            &author()
        ),
        Err(GitError::InvalidPath { .. })
    ));
    assert_eq!(repo.head("main").unwrap().local, Some(tip));
    // The valid file's blob was never written either.
    let blob = Command::new("git")
        .args(["hash-object", "--stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(content.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    let blob = String::from_utf8(blob.stdout).unwrap();
    let exists = Command::new("git")
        .current_dir(repo.path())
        .args(["cat-file", "-e", blob.trim()])
        .status()
        .unwrap();
    assert!(!exists.success());
}

#[test]
fn publish_replans_after_a_rejected_push() {
    let f = Fixture::new();
    let repo = f.clone();
    let mut calls = 0;
    let request = PublishRequest {
        scope: Default::default(),
        branch: "main",
        base_dir: "fabric",
        message: "hedgehog: set a to 5",
        author: &author(),
        max_attempts: 3,
    };
    let mut other = None;
    let published = repo
        .publish(&request, &Credentials::None, |tree| {
            calls += 1;
            if calls == 1 {
                // Somebody pushes after our fetch: our first push must be refused.
                other = Some(f.other_commit(&[("fabric/wiring/b.yaml", Some("b: 7\n"))], "other"));
            } else {
                // The re-plan sees the other change.
                assert_eq!(tree.files["wiring/b.yaml"], b"b: 7\n");
            }
            Ok::<_, std::convert::Infallible>(vec![change("vpc/a.yaml", Some("a: 5\n"))])
        })
        .unwrap();
    let Published::Pushed { commit, attempts } = published else {
        panic!("{published:?}")
    };
    assert_eq!((attempts, calls), (2, 2));
    let other = other.unwrap();
    assert_eq!(f.remote_git(&["rev-parse", "main"]), commit.to_hex());
    assert_eq!(f.remote_git(&["rev-parse", "main^"]), other);
    assert_eq!(f.remote_git(&["show", "main:fabric/vpc/a.yaml"]), "a: 5");
    assert_eq!(f.remote_git(&["show", "main:fabric/wiring/b.yaml"]), "b: 7");
    let heads = repo.head("main").unwrap();
    assert_eq!((heads.local, heads.remote), (Some(commit), Some(commit)));
    assert!(
        Command::new("git")
            .current_dir(repo.path())
            .args([
                "rev-parse",
                "--verify",
                "--quiet",
                "refs/hedgehog/unpushed/main"
            ])
            .status()
            .map(|s| !s.success())
            .unwrap()
    );

    // A plan that changes nothing makes no commit.
    let nothing = repo
        .publish(&request, &Credentials::None, |_| {
            Ok::<_, std::convert::Infallible>(vec![change("vpc/a.yaml", Some("a: 5\n"))])
        })
        .unwrap();
    assert_eq!(nothing, Published::NothingToDo { tip: commit });

    // A failing plan is reported as such.
    let err = repo
        .publish(&request, &Credentials::None, |_| {
            Err::<Vec<FileChange>, _>("no")
        })
        .unwrap_err();
    assert!(matches!(err, PublishError::Plan("no")));
}

#[test]
fn publish_reports_a_conflict_and_loses_nothing() {
    let f = Fixture::new();
    let repo = f.clone();
    let request = PublishRequest {
        scope: Default::default(),
        branch: "main",
        base_dir: "",
        message: "hedgehog: ours",
        author: &author(),
        max_attempts: 2,
    };
    let mut theirs = Vec::new();
    let err = repo
        .publish(&request, &Credentials::None, |_| {
            let n = theirs.len();
            theirs.push(f.other_commit(
                &[("fabric/vpc/a.yaml", Some(&format!("a: theirs {n}\n")))],
                "theirs",
            ));
            Ok::<_, std::convert::Infallible>(vec![change("fabric/vpc/a.yaml", Some("a: ours\n"))])
        })
        .unwrap_err();
    let PublishError::Git(GitError::Conflict {
        local_commit: Some(ours),
        actual,
        ..
    }) = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(theirs.len(), 2);
    assert_eq!(actual.map(|c| c.to_hex()), theirs.last().cloned());
    // The remote has every commit the other side pushed.
    let remote_log = f.remote_git(&["log", "--format=%H", "main"]);
    for c in &theirs {
        assert!(remote_log.contains(c.as_str()));
    }
    assert!(!remote_log.contains(&ours.to_hex()));
    // Our commit is kept locally, with our content, on top of the tip it was planned on.
    let dir = repo.path();
    assert_eq!(
        git(dir, &["rev-parse", "refs/hedgehog/unpushed/main"]),
        ours.to_hex()
    );
    assert_eq!(
        git(
            dir,
            &["show", "refs/hedgehog/unpushed/main:fabric/vpc/a.yaml"]
        ),
        "a: ours"
    );
    assert_eq!(
        git(dir, &["rev-parse", "refs/hedgehog/unpushed/main^"]),
        theirs[0]
    );
    assert!(err.to_string().contains(&ours.to_hex()));
}

#[test]
fn test_remote_on_good_and_bad_urls() {
    let f = Fixture::new();
    let seed = f.remote_git(&["rev-parse", "main"]);
    let good = test_remote(&f.url(), "main", &Credentials::None);
    assert!(good.reachable, "{good:?}");
    assert_eq!(good.default_branch.as_deref(), Some("main"));
    assert_eq!(good.head, Some(id(&seed)));
    assert_eq!(good.can_push, Some(true));
    assert_eq!(good.error, None);
    // The probe touched no ref on the remote.
    assert_eq!(
        f.remote_git(&["for-each-ref", "--format=%(refname)"]),
        "refs/heads/main"
    );

    let missing_branch = test_remote(&f.url(), "nope", &Credentials::None);
    assert!(missing_branch.reachable);
    assert_eq!(missing_branch.head, None);

    let bad = test_remote("file:///nonexistent/repo.git", "main", &Credentials::None);
    assert!(!bad.reachable);
    assert!(bad.error.is_some());
    assert_eq!(bad.can_push, None);
}

/// A loopback HTTP server that answers every request with 401 and records the headers.
fn unauthorised_server() -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/fabric.git", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        listener.set_nonblocking(false).unwrap();
        let mut seen = Vec::new();
        // git asks at most twice: once anonymously, once with the credential.
        for _ in 0..2 {
            let Ok((mut stream, _)) = listener.accept() else {
                break;
            };
            stream
                .set_read_timeout(Some(std::time::Duration::from_secs(10)))
                .unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                if line == "\r\n" {
                    break;
                }
                seen.push(line.trim_end().to_owned());
                line.clear();
            }
            let _ = stream.write_all(
                b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"git\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
        seen
    });
    (url, handle)
}

#[test]
fn secrets_stay_out_of_debug_errors_and_argv() {
    let creds = Credentials::Token {
        username: Some("bot".into()),
        token: TOKEN.into(),
    };
    assert!(!format!("{creds:?}").contains(TOKEN));
    let ssh = Credentials::SshKey {
        private_key: format!("-----BEGIN KEY-----\n{TOKEN}\n-----END KEY-----").into(),
        known_hosts: None,
    };
    assert!(!format!("{ssh:?}").contains(TOKEN));

    let tmp = tempfile::tempdir().unwrap();
    let mut errors: Vec<String> = Vec::new();
    let show = |e: GitError| format!("{e:?} / {e}");

    // The token is sent to the server (through the credential helper), the server refuses it,
    // and the error is an authentication error that does not contain it.
    let (url, server) = unauthorised_server();
    let err = Repo::clone_or_open(&url, tmp.path(), &creds).unwrap_err();
    let seen = server.join().unwrap();
    assert!(
        seen.iter()
            .any(|h| h == "Authorization: Basic Ym90OnMzY3IzdC10b2tlbi12YWx1ZQ=="),
        "{seen:?}"
    );
    assert!(matches!(err, GitError::Auth { .. }), "{err:?}");
    errors.push(show(err));

    // Nothing listens on port 1.
    let closed = "http://127.0.0.1:1/fabric.git";
    errors.push(show(
        Repo::clone_or_open(closed, tmp.path(), &creds).unwrap_err(),
    ));
    let status = test_remote(closed, "main", &creds);
    assert!(!status.reachable);
    errors.push(format!("{status:?}"));

    // A password in the URL is refused, and not echoed.
    let with_password = format!("https://bot:{TOKEN}@example.com/fabric.git");
    errors.push(show(
        Repo::clone_or_open(&with_password, tmp.path(), &creds).unwrap_err(),
    ));
    errors.push(format!("{:?}", test_remote(&with_password, "main", &creds)));

    // Errors from a real repository operation with credentials in play.
    let f = Fixture::new();
    let repo = f.clone();
    errors.push(show(repo.read_tree("nope", "").unwrap_err()));
    errors.push(show(
        repo.commit("main", id(&"0".repeat(40)), "", &[], "m", &author())
            .unwrap_err(),
    ));
    errors.push(show(repo.push("nope", None, &creds).unwrap_err()));

    for e in &errors {
        assert!(!e.contains(TOKEN), "secret leaked: {e}");
    }
    assert!(errors.iter().any(|e| e.contains("<redacted>")));
}

/// A whole fabric rendered from scratch is still one commit; prints the time it took.
#[test]
fn commit_of_20000_files_is_one_commit() {
    let f = Fixture::new();
    let repo = f.clone();
    let tip = repo.head("main").unwrap().local.unwrap();
    let changes: Vec<FileChange> = (0..20_000)
        .map(|i| {
            change(
                &format!("connection/group-{:02}/conn-{i:05}.yaml", i % 50),
                Some(&format!("kind: Connection\nmetadata:\n  name: conn-{i}\n")),
            )
        })
        .collect();
    let started = std::time::Instant::now();
    let commit = repo
        .commit("main", tip, "fabric", &changes, "render", &author())
        .unwrap()
        .unwrap();
    eprintln!("commit of 20 000 files: {:?}", started.elapsed());
    let dir = repo.path();
    assert_eq!(
        git(dir, &["rev-list", "--count", &format!("{tip}..{commit}")]),
        "1"
    );
    let listed = git(
        dir,
        &["ls-tree", "-r", "--name-only", "main", "fabric/connection"],
    );
    assert_eq!(listed.lines().count(), 20_000);
    assert_eq!(
        git(
            dir,
            &["show", "main:fabric/connection/group-07/conn-00007.yaml"]
        ),
        "kind: Connection\nmetadata:\n  name: conn-7"
    );
}

/// Publishing moves the local branch, but a local commit the remote never got stays reachable.
#[test]
fn publish_keeps_unpushed_local_commits() {
    let f = Fixture::new();
    let repo = f.clone();
    let tip = repo.head("main").unwrap().local.unwrap();
    let local_only = repo
        .commit(
            "main",
            tip,
            "",
            &[change("local.yaml", Some("x: 1\n"))],
            "local",
            &author(),
        )
        .unwrap()
        .unwrap();
    let request = PublishRequest {
        scope: Default::default(),
        branch: "main",
        base_dir: "",
        message: "hedgehog: publish",
        author: &author(),
        max_attempts: 1,
    };
    let published = repo
        .publish(&request, &Credentials::None, |_| {
            Ok::<_, std::convert::Infallible>(vec![change("published.yaml", Some("y: 1\n"))])
        })
        .unwrap();
    let Published::Pushed {
        commit,
        attempts: 1,
    } = published
    else {
        panic!("{published:?}")
    };
    assert_eq!(repo.head("main").unwrap().local, Some(commit));
    assert_eq!(
        git(repo.path(), &["rev-parse", "refs/hedgehog/unpushed/main"]),
        local_only.to_hex()
    );
}

/// A push the remote refuses for a reason other than a moved branch (here a pre-receive hook,
/// as branch protection would) is not retried and keeps the local commit.
#[test]
fn publish_does_not_retry_a_hook_rejection() {
    let f = Fixture::new();
    let hook = f.0.remote.join("hooks/pre-receive");
    std::fs::write(&hook, "#!/bin/sh\necho 'main is protected' >&2\nexit 1\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let repo = f.clone();
    let before = f.remote_git(&["rev-parse", "main"]);
    let mut calls = 0;
    let request = PublishRequest {
        scope: Default::default(),
        branch: "main",
        base_dir: "",
        message: "hedgehog: blocked",
        author: &author(),
        max_attempts: 3,
    };
    let err = repo
        .publish(&request, &Credentials::None, |_| {
            calls += 1;
            Ok::<_, std::convert::Infallible>(vec![change("x.yaml", Some("x\n"))])
        })
        .unwrap_err();
    let PublishError::Git(GitError::Rejected {
        reason,
        local_commit,
        ..
    }) = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(calls, 1);
    assert!(reason.contains("pre-receive hook declined"), "{reason}");
    assert_eq!(f.remote_git(&["rev-parse", "main"]), before);
    assert_eq!(
        git(repo.path(), &["rev-parse", "refs/hedgehog/unpushed/main"]),
        local_commit.to_hex()
    );
}
