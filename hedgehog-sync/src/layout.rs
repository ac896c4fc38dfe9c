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
//! is `<lowercase kind>.<group>` (`<lowercase kind>` for the core group). `<file>` is the object's name, prefixed with
//! `<namespace>--` when the namespace is not `default`. Both parts are escaped so that the
//! mapping from key to path is injective and every path is safe on any file system:
//! characters outside `[a-z0-9.-]`, a leading `.`, a `-` that follows another `-` and a
//! trailing `-` become `~XX` (the byte in hex), and `~` itself is escaped. So `--` only ever
//! appears as the namespace separator, and no two keys share a file (the NetBox plugin's
//! `name-1.yaml` duplicates cannot happen: a second object with the same key is the same
//! file). A file name that would exceed 200 bytes is cut and suffixed with a hash of the
//! full name.
//!
//! Files are rendered canonically with [`hedgehog_model::render`] and contain nothing that
//! changes between runs (no timestamps, no commit ids).

use hedgehog_model::load::Document;
use hedgehog_model::render::render;
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
            None if key.api_group.is_empty() => escape(&key.kind.to_ascii_lowercase()),
            None => format!(
                "{}.{}",
                escape(&key.kind.to_ascii_lowercase()),
                escape(&key.api_group)
            ),
        };
        let mut file = String::new();
        if key.namespace != "default" && !key.namespace.is_empty() {
            file.push_str(&escape(&key.namespace));
            file.push_str("--");
        }
        file.push_str(&escape(&key.name));
        if file.len() > MAX_FILE_NAME {
            let digest = Sha256::digest(file.as_bytes());
            let hash: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
            let mut cut = MAX_FILE_NAME - 17;
            while !file.is_char_boundary(cut) {
                cut -= 1;
            }
            file.truncate(cut);
            file.push('~');
            file.push_str(&hash);
        }
        format!("{MANAGED}/{dir}/{file}.yaml")
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

/// Escapes one path component; see the module docs.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let safe = match b {
            b'a'..=b'z' | b'0'..=b'9' => true,
            b'.' => i > 0,
            b'-' => i + 1 < bytes.len() && (i == 0 || bytes.get(i - 1) != Some(&b'-')),
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
    let decoded = Object::from_value(value.clone());
    let doc = Document {
        object: decoded.object,
        unknown: decoded.unknown,
        source: None,
    };
    render(std::slice::from_ref(&doc))
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
    fn paths_are_injective_and_safe() {
        let l = Layout::new("").unwrap();
        let p = |ns: &str, name: &str| l.managed_path(&ObjectKey::new(Kind::Vpc, ns, name));
        assert_eq!(p("default", "vpc-1"), "managed/vpcs/vpc-1.yaml");
        assert_eq!(p("", "vpc-1"), "managed/vpcs/vpc-1.yaml");
        assert_eq!(p("team", "vpc-1"), "managed/vpcs/team--vpc-1.yaml");
        assert_ne!(p("a", "b"), p("default", "a--b"));
        assert_eq!(p("default", "a--b"), "managed/vpcs/a-~2db.yaml");
        assert_eq!(p("default", "../x"), "managed/vpcs/~2e.~2fx.yaml");
        assert_eq!(p("default", "A/B"), "managed/vpcs/~41~2f~42.yaml");
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
}
