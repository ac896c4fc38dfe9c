//! Ingestion: the YAML files people drop under `raw/` become managed files.
//!
//! Files below `raw/` ending in `.yaml`, `.yml` or `.json` are read recursively in path
//! order, each split into its documents (at `---` lines, as YAML does). Every document that
//! loads as exactly one object without errors, and passes upstream's per-object validation,
//! is normalised and written to its managed file — the one that holds the object now, or else
//! its canonical path ([`crate::layout`]) — replacing what was there. The others are written, as they were, to `unmanaged/<path below raw>`, with one
//! line per refused document in the sibling `<file>.reason.txt`. An object met a second time
//! (in the same file or a later one) is a duplicate: the first one wins, the later ones are
//! refused and reported. The raw files are then deleted, so that ingestion is a move and a
//! second run plans nothing.
//!
//! Ingestion only plans: the result is a [`ChangeSet`] to commit in one go.

use std::collections::BTreeMap;

use hedgehog_model::ObjectKey;
use hedgehog_model::config::FabricConfig;
use hedgehog_model::load::{Limits, Loader};
use hedgehog_model::validate::validate_object;
use serde::Serialize;

use crate::git::Tree;
use crate::layout::{Layout, render_object};
use crate::normalize::{Normalized, normalize};
use crate::placement::location;
use crate::plan::ChangeSet;
use crate::snapshot::{Snapshot, describe};

/// Where a document came from: a raw file and its position in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The raw file, relative to the base directory.
    pub path: String,
    /// The document's number in the file, from 1.
    pub document: usize,
    /// The line the document starts on, from 1.
    pub line: usize,
}

/// A document ingestion refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refused {
    /// Where it was.
    pub origin: Origin,
    /// Why it was refused.
    pub reason: String,
}

/// An object defined more than once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    /// The object.
    pub key: ObjectKey,
    /// The definition that was taken.
    pub first: Origin,
    /// A later one, refused.
    pub again: Origin,
}

/// What ingestion plans.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Ingestion {
    /// The file changes (relative to the base directory).
    pub changes: ChangeSet,
    /// The objects taken, with their managed file.
    pub managed: Vec<(ObjectKey, String)>,
    /// The documents refused (duplicates included).
    pub refused: Vec<Refused>,
    /// The objects defined more than once.
    pub duplicates: Vec<Duplicate>,
}

/// Plans the ingestion of the raw files of `tree` (read below `layout`'s base directory).
/// `config` enables the per-object rules that need the fabric configuration.
pub fn ingest(tree: &Tree, layout: &Layout, config: Option<&FabricConfig>) -> Ingestion {
    let loader = Loader::new(Limits::default());
    let current = Snapshot::from_tree(tree, layout);
    let mut out = Ingestion::default();
    let mut written: BTreeMap<String, String> = BTreeMap::new();
    let mut seen: BTreeMap<ObjectKey, Origin> = BTreeMap::new();
    let raw_files = tree
        .files
        .iter()
        .filter(|(path, _)| Layout::is_raw(path) && is_manifest(path));
    for (path, bytes) in raw_files {
        out.changes.delete.push(path.clone());
        let mut refused_text = String::new();
        let mut reasons = String::new();
        let mut refuse = |origin: Origin, text: &str, reason: String| {
            if !refused_text.is_empty() {
                refused_text.push_str("---\n");
            }
            refused_text.push_str(text);
            if !text.ends_with('\n') {
                refused_text.push('\n');
            }
            reasons.push_str(&format!(
                "document {} (line {}): {}\n",
                origin.document,
                origin.line,
                reason.replace('\n', " ")
            ));
            out.refused.push(Refused { origin, reason });
        };
        let Ok(text) = std::str::from_utf8(bytes) else {
            let origin = Origin {
                path: path.clone(),
                document: 1,
                line: 1,
            };
            refuse(
                origin,
                &String::from_utf8_lossy(bytes),
                "not UTF-8".to_owned(),
            );
            write_refused(&mut written, path, &refused_text, &reasons);
            continue;
        };
        for (index, (line, doc)) in split_documents(text).into_iter().enumerate() {
            let origin = Origin {
                path: path.clone(),
                document: index + 1,
                line,
            };
            match accept(&loader, path, doc, config) {
                Err(reason) => refuse(origin, doc, reason),
                Ok(object) => {
                    if let Some(first) = seen.get(&object.key) {
                        let reason = format!(
                            "duplicate of {} defined in {} (document {})",
                            describe(&object.key),
                            first.path,
                            first.document
                        );
                        out.duplicates.push(Duplicate {
                            key: object.key.clone(),
                            first: first.clone(),
                            again: origin.clone(),
                        });
                        refuse(origin, doc, reason);
                        continue;
                    }
                    let managed = location(&current, layout, &object.key);
                    written.insert(managed.clone(), render_object(&object.value));
                    out.managed.push((object.key.clone(), managed));
                    seen.insert(object.key, origin);
                }
            }
        }
        if !reasons.is_empty() {
            write_refused(&mut written, path, &refused_text, &reasons);
        }
    }
    for (path, content) in written {
        match tree.files.get(&path) {
            Some(old) if old.as_slice() == content.as_bytes() => out.changes.unchanged.push(path),
            Some(_) => out.changes.update.push((path, content)),
            None => out.changes.add.push((path, content)),
        }
    }
    out.changes.sort();
    out.managed.sort();
    out
}

fn write_refused(written: &mut BTreeMap<String, String>, raw: &str, text: &str, reasons: &str) {
    let (file, reason_file) = Layout::unmanaged_paths(raw);
    written.insert(file, text.to_owned());
    written.insert(reason_file, reasons.to_owned());
}

fn is_manifest(path: &str) -> bool {
    [".yaml", ".yml", ".json"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

/// One document that loads as one valid object, normalised.
fn accept(
    loader: &Loader,
    path: &str,
    doc: &str,
    config: Option<&FabricConfig>,
) -> Result<Normalized, String> {
    let loaded = loader.load_str(doc, Some(path));
    if let Some(d) = loaded.diagnostics.iter().find(|d| d.is_error()) {
        return Err(d.message.clone());
    }
    let [document] = loaded.documents.as_slice() else {
        return Err(format!(
            "expected one object, found {}",
            loaded.documents.len()
        ));
    };
    let normalized = normalize(document.to_value());
    let decoded = hedgehog_model::Object::from_value(normalized.value.clone());
    let errors: Vec<String> = validate_object(&decoded.object, config)
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| {
            if d.path.is_root() {
                d.message
            } else {
                format!("{}: {}", d.path, d.message)
            }
        })
        .collect();
    if errors.is_empty() {
        Ok(normalized)
    } else {
        Err(errors.join("; "))
    }
}

/// The documents of a multi-document YAML text, each with the line it starts on; documents
/// holding only blank lines and comments are dropped.
fn split_documents(text: &str) -> Vec<(usize, &str)> {
    let mut docs = Vec::new();
    let mut start = 0;
    let mut start_line = 1;
    let mut offset = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches(['\n', '\r']);
        let marker = bare == "---" || bare.starts_with("--- ") || bare.starts_with("---\t");
        let end_marker = bare == "...";
        if marker || end_marker {
            push_document(&mut docs, text.get(start..offset), start_line);
            if marker && bare.len() > 3 {
                // `--- {inline: doc}`: the rest of the line belongs to the next document.
                start = offset + 4;
                start_line = number + 1;
            } else {
                start = offset + line.len();
                start_line = number + 2;
            }
        }
        offset += line.len();
    }
    push_document(&mut docs, text.get(start..), start_line);
    docs
}

fn push_document<'t>(docs: &mut Vec<(usize, &'t str)>, doc: Option<&'t str>, line: usize) {
    let Some(doc) = doc else { return };
    let has_content = doc.lines().any(|l| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    });
    if has_content {
        docs.push((line, doc));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_documents_with_their_lines() {
        let text = "# header\n---\na: 1\n---\n# only a comment\n--- {b: 2}\n...\nc: 3\n";
        let docs = split_documents(text);
        assert_eq!(docs, vec![(3, "a: 1\n"), (6, "{b: 2}\n"), (8, "c: 3\n")]);
    }
}
