//! Where objects live in a GitOps repository, and how they are written.
//!
//! Everything hedgehog writes is below one base directory of the repository (configurable;
//! `""` is the repository root, `/`, absolute paths and `..` are refused):
//!
//! ```text
//! <base>/raw/**            files people drop in; ingestion reads them (recursively, sorted)
//! <base>/managed/<dir>/<file>.yaml   one object per file, owned by hedgehog
//! <base>/unmanaged/<raw path>        documents ingestion could not take, as they were
//! <base>/unmanaged/<raw path>.reason.txt   why, one line per document
//! ```
//!
//! `<dir>` is the kind's plural (`vpcs`, `connections`); for kinds hedgehog does not model it
//! is `<lowercase kind>.<group>` (`<lowercase kind>` for the core group). `<file>` is the
//! object's name as it is (`server-0001--eslag--leaf-001--leaf-002.yaml`, as hhfab, the
//! NetBox plugin's export or a person would name it), and an object in a namespace other than
//! `default` is one directory level further down: `managed/vpcs/<namespace>/<name>.yaml`.
//!
//! The mapping from key to path is injective and every path is safe on any file system:
//! valid Kubernetes names (lowercase letters, digits, `-` and `.`, at most 253 characters) and
//! namespaces (the same without `.`) cannot hold `/` or `~`, so names and namespace
//! directories never collide (`x.yaml` is not `x/`). Anything else — a name outside those
//! characters, a leading `.`, a namespace with a `.`, a `~` — has each offending byte written
//! `~XX` (hex), so no escaped path is another key's plain one; a file name longer than 200
//! bytes is cut and ends with `~` and a hash of the full name. A second object with the same
//! key is the same file (the NetBox plugin's `name-1.yaml` duplicates cannot happen).
//!
//! Reading does not depend on paths: an object's key comes from its file's content, so files
//! elsewhere below `managed/` (the escaped names of earlier versions, a person's own layout)
//! are read, and reported as misplaced ([`crate::snapshot`]); plans leave them where they are
//! ([`crate::plan`]) until the layout is adopted in a commit of its own ([`crate::adopt`]).
//!
//! Files are rendered canonically with [`hedgehog_model::render`] and contain nothing that
//! changes between runs (no timestamps, no commit ids).

use hedgehog_model::load::Document;
use hedgehog_model::render::render_one;
use hedgehog_model::{Object, ObjectKey};
use serde_json::Value;
use sha2::{Digest as _, Sha256};

/// Directory of managed files, relative to the base directory.
pub const MANAGED: &str = "managed";
/// Directory ingestion reads, relative to the base directory.
pub const RAW: &str = "raw";
/// Directory of documents ingestion refused, relative to the base directory.
pub const UNMANAGED: &str = "unmanaged";
/// Suffix of the file that explains why a file is in [`UNMANAGED`].
pub const REASON_SUFFIX: &str = ".reason.txt";

/// Longest file name (in bytes, before `.yaml`) written as is.
const MAX_FILE_NAME: usize = 200;

/// A refused base directory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid GitOps base directory `{dir}`: {reason}")]
pub struct LayoutError {
    /// The directory as given.
    pub dir: String,
    /// Why it is refused.
    pub reason: &'static str,
}

/// The GitOps layout below one base directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    base: String,
}

impl Layout {
    /// A layout below `base` (`/`-separated, relative to the repository root; `""` is the
    /// root itself, a trailing `/` is ignored).
    pub fn new(base: &str) -> Result<Layout, LayoutError> {
        let refuse = |reason| {
            Err(LayoutError {
                dir: base.to_owned(),
                reason,
            })
        };
        if base.starts_with('/') || base.starts_with('\\') || base.contains(':') {
            return refuse("must be relative to the repository root (`/` is refused)");
        }
        let trimmed = base.trim_end_matches('/');
        if trimmed.is_empty() {
            return Ok(Layout {
                base: String::new(),
            });
        }
        for part in trimmed.split('/') {
            match part {
                "" => return refuse("empty path component"),
                "." | ".." => return refuse("`.` and `..` are not allowed"),
                ".git" => return refuse("must not be inside `.git`"),
                p if p.contains(['\\', '\0']) => return refuse("backslash or NUL in the path"),
                _ => {}
            }
        }
        Ok(Layout {
            base: trimmed.to_owned(),
        })
    }

    /// The base directory (`""` for the repository root).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The managed file of an object, relative to the base directory.
    pub fn managed_path(&self, key: &ObjectKey) -> String {
        let dir = match key.known_kind() {
            Some(kind) => kind.plural().to_owned(),
            None if key.api_group.is_empty() => escape(&key.kind.to_ascii_lowercase(), true),
            None => format!(
                "{}.{}",
                escape(&key.kind.to_ascii_lowercase(), true),
                escape(&key.api_group, true)
            ),
        };
        let namespace = match key.namespace.as_str() {
            "" | "default" => String::new(),
            ns => format!("{}/", escape(ns, false)),
        };
        let mut file = escape(&key.name, true);
        if file.len() > MAX_FILE_NAME {
            let digest = Sha256::digest(key.name.as_bytes());
            let hash: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
            let mut cut = MAX_FILE_NAME - 17;
            while !file.is_char_boundary(cut) {
                cut -= 1;
            }
            file.truncate(cut);
            file.push('~');
            file.push_str(&hash);
        }
        format!("{MANAGED}/{dir}/{namespace}{file}.yaml")
    }

    /// Whether a path (relative to the base directory) is a managed file.
    pub fn is_managed(path: &str) -> bool {
        path.strip_prefix(MANAGED)
            .is_some_and(|rest| rest.starts_with('/'))
    }

    /// Whether a path (relative to the base directory) is below `raw/`.
    pub fn is_raw(path: &str) -> bool {
        path.strip_prefix(RAW)
            .is_some_and(|rest| rest.starts_with('/'))
    }

    /// Where a refused raw file goes, and where its reasons go.
    pub fn unmanaged_paths(raw_path: &str) -> (String, String) {
        let rest = raw_path
            .strip_prefix(RAW)
            .and_then(|r| r.strip_prefix('/'))
            .unwrap_or(raw_path);
        let file = format!("{UNMANAGED}/{rest}");
        let reason = format!("{file}{REASON_SUFFIX}");
        (file, reason)
    }
}

/// Escapes one path component: bytes outside `[a-z0-9-]` (and `.` unless `dots`), a
/// leading `.` and `~` become `~XX`; see the module docs.
fn escape(s: &str, dots: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, &b) in s.as_bytes().iter().enumerate() {
        let safe = match b {
            b'a'..=b'z' | b'0'..=b'9' | b'-' => true,
            b'.' => dots && i > 0,
            _ => false,
        };
        if safe {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("~{b:02x}"));
        }
    }
    if out.is_empty() {
        out.push('~');
    }
    out
}

/// The canonical file content of one (normalised) object.
pub fn render_object(value: &Value) -> String {
    render_owned(value.clone())
}

/// [`render_object`] of a value the caller no longer needs.
pub(crate) fn render_owned(value: Value) -> String {
    let decoded = Object::from_value(value);
    let doc = Document {
        object: decoded.object,
        unknown: decoded.unknown,
        source: None,
    };
    render_one(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hedgehog_model::Kind;

    #[test]
    fn refuses_unsafe_base_directories() {
        for bad in ["/", "/abs", "a/../b", "..", "a//b", "./a", ".git/x", "c:/x"] {
            assert!(Layout::new(bad).is_err(), "{bad}");
        }
        assert_eq!(Layout::new("fabric/prod/").unwrap().base(), "fabric/prod");
        assert_eq!(Layout::new("").unwrap().base(), "");
    }

    #[test]
    fn names_are_file_names_and_namespaces_directories() {
        let l = Layout::new("").unwrap();
        let p = |ns: &str, name: &str| l.managed_path(&ObjectKey::new(Kind::Vpc, ns, name));
        assert_eq!(p("default", "vpc-1"), "managed/vpcs/vpc-1.yaml");
        assert_eq!(p("", "vpc-1"), "managed/vpcs/vpc-1.yaml");
        assert_eq!(p("team", "vpc-1"), "managed/vpcs/team/vpc-1.yaml");
        let c = l.managed_path(&ObjectKey::new(
            Kind::Connection,
            "default",
            "server-0001--eslag--leaf-001--leaf-002",
        ));
        assert_eq!(
            c,
            "managed/connections/server-0001--eslag--leaf-001--leaf-002.yaml"
        );
        assert_eq!(p("default", "a.b-1"), "managed/vpcs/a.b-1.yaml");
        // What is not a valid name is escaped, so it can never be another key's path.
        assert_eq!(p("default", "../x"), "managed/vpcs/~2e.~2fx.yaml");
        assert_eq!(p("default", "A/B"), "managed/vpcs/~41~2f~42.yaml");
        assert_eq!(p("x.yaml", "a"), "managed/vpcs/x~2eyaml/a.yaml");
        assert_ne!(p("default", "~41"), p("default", "A"));
        let long = p("default", &"x".repeat(300));
        assert!(long.len() < 260 && long.ends_with(".yaml"), "{long}");
        assert_ne!(long, p("default", &"x".repeat(301)));
        let unknown = ObjectKey {
            api_group: "example.com".into(),
            kind: "Gadget".into(),
            namespace: "default".into(),
            name: "g".into(),
        };
        assert_eq!(
            l.managed_path(&unknown),
            "managed/gadget.example.com/g.yaml"
        );
    }

    proptest::proptest! {
        /// Distinct keys have distinct paths, and no path is a directory of another.
        #[test]
        fn paths_are_injective(
            keys in proptest::collection::vec(
                ("(default|team|x\\.y|Te~am|)", "[a-zA-Z0-9.~/-]{0,12}"), 1..40)
        ) {
            let l = Layout::new("").unwrap();
            let mut seen = std::collections::BTreeMap::new();
            for (ns, name) in &keys {
                let ns = if ns.is_empty() { "default" } else { ns.as_str() };
                let path = l.managed_path(&ObjectKey::new(Kind::Vpc, ns, name.as_str()));
                if let Some(other) = seen.insert(path.clone(), (ns.to_owned(), name.clone())) {
                    proptest::prop_assert_eq!(&other, &(ns.to_owned(), name.clone()), "{}", path);
                }
            }
            for a in seen.keys() {
                let dir = format!("{a}/");
                proptest::prop_assert!(!seen.keys().any(|b| b.starts_with(&dir)), "{}", a);
            }
        }
    }
}
