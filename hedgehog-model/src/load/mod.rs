//! Loading YAML and JSON into [`Object`]s, with the source position of every document and
//! of every field a diagnostic names, and limits that make hostile input fail fast.
//!
//! Files are split into documents without parsing, and documents are parsed in parallel:
//! block-style YAML (what Kubernetes tools and hhfab write) by a fast parser into a tree that
//! borrows its strings from the text and decodes straight into typed objects, anything else
//! by `serde_yaml_ng`. Content problems are [`Diagnostic`]s; the loader returns everything it
//! could load and never stops at the first problem.
//!
//! ```
//! use hedgehog_model::load::{Limits, Loader};
//!
//! let text = "apiVersion: vpc.githedgehog.com/v1beta1\nkind: IPv4Namespace\n\
//!             metadata:\n  name: default\nspec:\n  subnets: [10.0.0.0/16]\n";
//! let loaded = Loader::new(Limits::default()).load_str(text, Some("ns.yaml"));
//! assert_eq!(loaded.documents.len(), 1);
//! assert!(loaded.diagnostics.is_empty());
//! ```

#[cfg(any(test, feature = "fuzzing"))]
mod differential;
mod events;
mod locate;
mod node;
mod scalar;
mod slow;
mod split;
mod yaml;

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::hash::BuildHasher;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde_json::Value;

use self::node::{Leaf, Node};
use crate::object::key_of_value;
use crate::tree::Tree;
use crate::{Diagnostic, FieldPath, Object, ObjectKey, Segment, Span, UnknownField};

pub(crate) use events::check_nesting;
pub(crate) use scalar::write_string;

/// Hooks for the fuzz targets (`fuzz/`), compiled only with the `fuzzing` feature; not a
/// stable API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing {
    pub use super::differential::check as yaml_differential;
}

/// Bounds on what the loader accepts. The defaults load a 100 000-object fabric (≈41 MB,
/// even as one `List` document) and refuse input built to exhaust memory or time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// All files of one load together, in bytes.
    pub max_total_bytes: usize,
    /// One document (or one whole JSON file), in bytes.
    pub max_document_bytes: usize,
    /// Documents of one load, counting the items of `List`s.
    pub max_documents: usize,
    /// Nesting of mappings and sequences inside a document.
    pub max_depth: usize,
    /// Nodes that YAML alias expansion may add to a document: a document may hold at most
    /// one node per byte of its text plus this many.
    pub max_alias_expansions: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_total_bytes: 1 << 30,
            max_document_bytes: 128 << 20,
            max_documents: 2_000_000,
            max_depth: 64,
            max_alias_expansions: 1_000_000,
        }
    }
}

/// Problems that are not about the content: the loader could not read its input.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Yaml,
    Json,
}

/// Where a document came from: its file, its number in that file, and where it starts.
/// It also keeps the file's text so that [`Source::locate`] can find any field later.
#[derive(Clone)]
pub struct Source {
    /// The file, if the text came from one.
    pub file: Option<Arc<str>>,
    /// The document's number in its file, from 0 (items of a `List` share their list's).
    pub index: usize,
    /// Line of the document's first content, from 1.
    pub line: u32,
    /// Column of the document's first content, from 1.
    pub column: u32,
    /// The whole input (an `Arc<String>` rather than `Arc<str>`, which would copy a file's
    /// text once more after reading it).
    text: Arc<String>,
    range: Range<usize>,
    /// Line and column (from 0) where `range` starts.
    origin: (u32, u32),
    /// Where the object sits inside the parsed document (`items[3]` for a `List` item).
    base: FieldPath,
    format: Format,
    /// Bytes of text that locating fields may still read (shared by the clones that read
    /// the same text): each lookup re-reads the document, so without a bound thousands of
    /// diagnostics in one large document would take time growing with the square of its size.
    budget: Arc<AtomicUsize>,
}

/// Locating may read each document this many times over, and at least [`LOCATE_FLOOR`]
/// bytes, before further diagnostics of that document point at its start.
const LOCATE_FACTOR: usize = 64;
const LOCATE_FLOOR: usize = 64 << 10;

fn locate_budget(range: &Range<usize>) -> Arc<AtomicUsize> {
    let bytes = range.len().saturating_mul(LOCATE_FACTOR).max(LOCATE_FLOOR);
    Arc::new(AtomicUsize::new(bytes))
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Source")
            .field("file", &self.file)
            .field("index", &self.index)
            .field("line", &self.line)
            .field("column", &self.column)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Source {
    fn eq(&self, other: &Self) -> bool {
        (&self.file, self.index, self.line, self.column)
            == (&other.file, other.index, other.line, other.column)
    }
}

impl Source {
    /// The document's start as a [`Span`].
    pub fn span(&self) -> Span {
        Span {
            file: self.file.clone(),
            line: self.line,
            column: self.column,
        }
    }

    /// Where the field at `path` of this object is written; its deepest existing parent when
    /// the field itself is not in the text (a defaulted field, say), else the document start.
    pub fn locate(&self, path: &FieldPath) -> Span {
        if !self.spend() {
            return self.span();
        }
        let segments: Vec<Segment> = self
            .base
            .segments()
            .iter()
            .chain(path.segments())
            .cloned()
            .collect();
        self.span_at(|text| match self.format {
            Format::Yaml => {
                let spot = locate::yaml(text, &segments);
                (spot.line, spot.column)
            }
            Format::Json => {
                let offset = locate::json(text, &segments);
                split::advance((0, 0), text.get(..offset).unwrap_or(""))
            }
        })
    }

    /// Takes one reading of the document from the budget; `false` when it is spent.
    fn spend(&self) -> bool {
        let cost = self.range.len();
        self.budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(cost)
            })
            .is_ok()
    }

    /// Converts a place found inside the document's text (line, column from 0) to a span.
    fn span_at(&self, find: impl FnOnce(&str) -> (u32, u32)) -> Span {
        let text = self.text.get(self.range.clone()).unwrap_or("");
        let (line, column) = find(text);
        let column = if line == 0 {
            column.saturating_add(self.origin.1)
        } else {
            column
        };
        Span {
            file: self.file.clone(),
            line: self.origin.0.saturating_add(line).saturating_add(1),
            column: column.saturating_add(1),
        }
    }
}

/// One loaded object.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// The object ([`Object::Unknown`] for kinds this crate does not model).
    pub object: Object,
    /// Fields of the input the typed model does not know, kept to be written back.
    pub unknown: Vec<UnknownField>,
    /// Where it came from; `None` for objects built in code.
    pub source: Option<Source>,
}

impl Document {
    /// A document for an object built in code.
    pub fn new(object: Object) -> Self {
        Document {
            object,
            unknown: Vec::new(),
            source: None,
        }
    }

    /// The object's key.
    pub fn key(&self) -> ObjectKey {
        self.object.key()
    }

    /// The object as JSON, unknown fields included.
    pub fn to_value(&self) -> Value {
        self.object.to_value_with(&self.unknown)
    }
}

/// What a load produced: every document it could read, and every problem it found.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The documents, in input order.
    pub documents: Vec<Document>,
    /// Problems found while loading (parse errors, limits, unknown fields…), each with its
    /// source span.
    pub diagnostics: Vec<Diagnostic>,
    index: OnceLock<HashMap<ObjectKey, usize>>,
}

impl Loaded {
    /// Wraps documents and diagnostics (e.g. after filtering a load).
    pub fn new(documents: Vec<Document>, diagnostics: Vec<Diagnostic>) -> Self {
        Loaded {
            documents,
            diagnostics,
            index: OnceLock::new(),
        }
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The first document with this key. An empty namespace matches `default` (and the other
    /// way round), so that keys taken before and after defaulting find the same document.
    pub fn get(&self, key: &ObjectKey) -> Option<&Document> {
        let found = if key.namespace.is_empty() {
            self.index().get(&ObjectKey {
                namespace: "default".into(),
                ..key.clone()
            })
        } else {
            self.index().get(key)
        };
        found.and_then(|&i| self.documents.get(i))
    }

    fn index(&self) -> &HashMap<ObjectKey, usize> {
        self.index.get_or_init(|| {
            let mut index = HashMap::with_capacity(self.documents.len());
            for (i, d) in self.documents.iter().enumerate() {
                index.entry(canonical_key(d)).or_insert(i);
            }
            index
        })
    }

    /// Fills the span of a diagnostic produced later (by validation, say) from its object and
    /// field path. Diagnostics that already have a span, or whose object was not loaded from
    /// text, are left alone. Only the diagnostic's own document is re-read.
    pub fn locate(&self, diagnostic: &mut Diagnostic) {
        if diagnostic.span.is_some() {
            return;
        }
        let source = diagnostic
            .object
            .as_ref()
            .and_then(|k| self.get(k))
            .and_then(|d| d.source.as_ref());
        if let Some(source) = source {
            diagnostic.span = Some(source.locate(&diagnostic.path));
        }
    }

    /// [`Loaded::locate`] for many diagnostics.
    pub fn locate_all(&self, diagnostics: &mut [Diagnostic]) {
        diagnostics.iter_mut().for_each(|d| self.locate(d));
    }
}

/// Reads files, directories and strings into [`Loaded`].
#[derive(Clone, Debug, Default)]
pub struct Loader {
    limits: Limits,
}

struct Input {
    file: Option<Arc<str>>,
    text: Arc<String>,
    format: Option<Format>,
}

impl Loader {
    /// A loader with these limits.
    pub fn new(limits: Limits) -> Self {
        Loader { limits }
    }

    /// Loads YAML or JSON text; `file` names it in diagnostics. JSON is recognised by a
    /// `.json` file name or a text starting with `{` or `[` that parses as JSON.
    pub fn load_str(&self, text: &str, file: Option<&str>) -> Loaded {
        let format = file.and_then(|f| f.ends_with(".json").then_some(Format::Json));
        self.load_inputs(
            vec![Input {
                file: file.map(Arc::from),
                text: Arc::new(text.to_owned()),
                format,
            }],
            Vec::new(),
        )
    }

    /// Loads one file.
    pub fn load_file(&self, path: impl AsRef<Path>) -> Result<Loaded, LoadError> {
        self.load_paths(&[path])
    }

    /// Loads files and directories. Directories are read recursively for `*.yaml`, `*.yml`
    /// and `*.json`, in name order; symlinked directories inside them are not followed, so
    /// link loops cannot happen. Files named explicitly are read whatever their name.
    pub fn load_paths<P: AsRef<Path>>(&self, paths: &[P]) -> Result<Loaded, LoadError> {
        let mut files = Vec::new();
        for path in paths {
            let path = path.as_ref();
            let meta = std::fs::metadata(path).map_err(|source| io(path, source))?;
            if meta.is_dir() {
                collect_dir(path, &mut files)?;
            } else {
                files.push(path.to_path_buf());
            }
        }
        let mut inputs = Vec::with_capacity(files.len());
        let mut diagnostics = Vec::new();
        let mut total = 0usize;
        for path in files {
            let name: Arc<str> = Arc::from(path.display().to_string());
            let size = std::fs::metadata(&path)
                .map_err(|source| io(&path, source))?
                .len();
            total = total.saturating_add(usize::try_from(size).unwrap_or(usize::MAX));
            if total > self.limits.max_total_bytes {
                diagnostics.push(limit_exceeded(
                    Some(name),
                    format!(
                        "input exceeds {} bytes in total; {} and later files not loaded",
                        self.limits.max_total_bytes,
                        path.display()
                    ),
                ));
                break;
            }
            let bytes = read_file(&path).map_err(|source| io(&path, source))?;
            let text = match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(err) => {
                    let valid = err.utf8_error().valid_up_to();
                    let prefix =
                        String::from_utf8_lossy(err.as_bytes().get(..valid).unwrap_or(&[]))
                            .into_owned();
                    let (line, column) = split::advance((0, 0), &prefix);
                    diagnostics.push(
                        Diagnostic::error("load.parse", format!("not valid UTF-8 (byte {valid})"))
                            .with_span(Span {
                                file: Some(name),
                                line: line + 1,
                                column: column + 1,
                            }),
                    );
                    continue;
                }
            };
            let format = has_extension(&path, &["json"]).then_some(Format::Json);
            inputs.push(Input {
                file: Some(name),
                text: Arc::new(text),
                format,
            });
        }
        Ok(self.load_inputs(inputs, diagnostics))
    }

    fn load_inputs(&self, inputs: Vec<Input>, mut diagnostics: Vec<Diagnostic>) -> Loaded {
        let limits = &self.limits;
        let mut jobs = Vec::new();
        let mut total = 0usize;
        for (n, input) in inputs.iter().enumerate() {
            total = total.saturating_add(input.text.len());
            if total > limits.max_total_bytes {
                diagnostics.push(limit_exceeded(
                    input.file.clone(),
                    format!("input exceeds {} bytes in total", limits.max_total_bytes),
                ));
                break;
            }
            let (format, chunks) = match chunk(input) {
                Ok(found) => found,
                Err(err) => {
                    let span = Span {
                        file: input.file.clone(),
                        line: to_u32(err.line()),
                        column: to_u32(err.column()),
                    };
                    let message = format!("invalid JSON: {err}");
                    diagnostics.push(Diagnostic::error("load.parse", message).with_span(span));
                    continue;
                }
            };
            jobs.extend(
                chunks
                    .into_iter()
                    .enumerate()
                    .map(|(index, c)| (n, index, format, c)),
            );
            if jobs.len() > limits.max_documents {
                diagnostics.push(limit_exceeded(
                    input.file.clone(),
                    format!("more than {} documents", limits.max_documents),
                ));
                jobs.truncate(limits.max_documents);
                break;
            }
        }
        // Each worker appends to its own pair of vectors, so that a document costs no
        // allocation of its own on the way; the pieces come back in input order.
        let pieces: Vec<(Vec<Document>, Vec<Diagnostic>)> = jobs
            .into_par_iter()
            .fold(
                || (Vec::new(), Vec::new()),
                |(mut documents, mut found), (n, index, format, chunk)| {
                    let input = &inputs[n];
                    let source = Source {
                        file: input.file.clone(),
                        index,
                        line: chunk.line + 1,
                        column: chunk.column + 1,
                        text: Arc::clone(&input.text),
                        budget: locate_budget(&chunk.range),
                        range: chunk.range,
                        origin: (chunk.line, chunk.column),
                        base: FieldPath::root(),
                        format,
                    };
                    load_document(source, limits, &mut documents, &mut found);
                    (documents, found)
                },
            )
            .collect();
        let mut documents = Vec::with_capacity(pieces.iter().map(|p| p.0.len()).sum());
        for (docs, found) in pieces {
            documents.extend(docs);
            diagnostics.extend(found);
        }
        if documents.len() > limits.max_documents {
            diagnostics.push(limit_exceeded(
                None,
                format!(
                    "more than {} documents (counting List items)",
                    limits.max_documents
                ),
            ));
            documents.truncate(limits.max_documents);
        }
        report_duplicate_objects(&documents, &mut diagnostics);
        Loaded::new(documents, diagnostics)
    }
}

/// Files from this size on are read in two halves side by side: reading a large file is
/// mostly the kernel faulting in the fresh buffer's pages, which two cores do at once.
const SPLIT_READ_BYTES: usize = 4 << 20;

/// The bytes of a file, as `std::fs::read` reads them.
fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        let file = std::fs::File::open(path)?;
        let meta = file.metadata()?;
        let len = usize::try_from(meta.len()).unwrap_or(0);
        if meta.is_file() && len >= SPLIT_READ_BYTES {
            // Zeroed memory comes from the system untouched; each half faults in its own.
            let mut bytes = vec![0; len];
            let (head, tail) = bytes.split_at_mut(len / 2);
            let (a, b) = rayon::join(
                || file.read_exact_at(head, 0),
                || file.read_exact_at(tail, meta.len() / 2),
            );
            // A file that changed size meanwhile is read again the ordinary way.
            let mut more = [0; 1];
            if a.is_ok() && b.is_ok() && file.read_at(&mut more, meta.len())? == 0 {
                return Ok(bytes);
            }
        }
    }
    std::fs::read(path)
}

fn io(path: &Path, source: std::io::Error) -> LoadError {
    LoadError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.contains(&e))
}

fn collect_dir(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let mut entries = std::fs::read_dir(dir)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|source| io(dir, source))?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let kind = entry.file_type().map_err(|source| io(&path, source))?;
        if kind.is_dir() {
            collect_dir(&path, files)?;
        } else if has_extension(&path, &["yaml", "yml", "json"])
            && std::fs::metadata(&path).is_ok_and(|m| m.is_file())
        {
            files.push(path);
        }
    }
    Ok(())
}

fn limit_exceeded(file: Option<Arc<str>>, message: String) -> Diagnostic {
    let diagnostic = Diagnostic::error("load.limit", message);
    match file {
        Some(file) => diagnostic.with_span(Span {
            file: Some(file),
            line: 1,
            column: 1,
        }),
        None => diagnostic,
    }
}

/// Splits an input into documents, deciding between JSON and YAML. Fails only for a file
/// named `.json` that is not JSON.
fn chunk(input: &Input) -> Result<(Format, Vec<split::Chunk>), serde_json::Error> {
    let text = input.text.as_ref();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let skipped = input.text.len() - text.len();
    let shift = |mut chunks: Vec<split::Chunk>| {
        for c in &mut chunks {
            c.range = c.range.start + skipped..c.range.end + skipped;
        }
        chunks
    };
    if input.format == Some(Format::Json) || text.trim_start().starts_with(['{', '[']) {
        match split::json(text) {
            Ok(chunks) => return Ok((Format::Json, shift(chunks))),
            Err(err) if input.format == Some(Format::Json) => return Err(err),
            // Flow-style YAML also starts with `{` or `[`; let the YAML reader judge it.
            Err(_) => {}
        }
    }
    Ok((Format::Yaml, shift(split::yaml(text))))
}

fn to_u32(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// A path made of these segments.
fn path_of(segments: &[Segment]) -> FieldPath {
    let mut path = FieldPath::root();
    for seg in segments {
        match seg {
            Segment::Key(k) => path.push_key(k.clone()),
            Segment::Index(i) => path.push_index(*i),
        }
    }
    path
}

/// Parses one document and appends its objects (several for a `List`) and problems.
fn load_document(
    mut source: Source,
    limits: &Limits,
    documents: &mut Vec<Document>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let whole = Arc::clone(&source.text);
    let text = whole.get(source.range.clone()).unwrap_or("");
    if text.len() > limits.max_document_bytes {
        let message = format!(
            "document of {} bytes exceeds the limit of {} bytes",
            text.len(),
            limits.max_document_bytes
        );
        diagnostics.push(Diagnostic::error("load.limit", message).with_span(source.span()));
        return;
    }
    let mut duplicates = Vec::new();
    let fast = match source.format {
        Format::Yaml => yaml::parse(text, limits.max_depth, &mut duplicates).ok(),
        Format::Json => None,
    };
    // Holds what the reference parsers read, for the tree that borrows from it.
    let slow_value;
    let parsed = match fast {
        Some(node) => node,
        None => {
            duplicates.clear();
            let parsed = match source.format {
                Format::Json => slow::parse_json(text, limits.max_depth, &mut duplicates).map(Some),
                Format::Yaml => {
                    let budget = text.len().saturating_add(limits.max_alias_expansions);
                    slow::parse(text, budget, limits.max_depth, &mut duplicates)
                }
            };
            match parsed {
                Ok(value) => {
                    slow_value = value;
                    slow_value.as_ref().map(Node::of_value)
                }
                Err(failure) => return diagnostics.push(failed(&source, failure)),
            }
        }
    };
    let node = match parsed {
        Some(node) if node != Node::Scalar(Leaf::Null) => node,
        _ => return,
    };
    if source.format == Format::Yaml {
        let start = source.span_at(|text| {
            let spot = locate::yaml_start(text);
            (spot.line, spot.column)
        });
        (source.line, source.column) = (start.line, start.column);
    }
    objects(node, source, duplicates, documents, diagnostics);
}

/// The diagnostic of a document the reference parsers refused.
fn failed(source: &Source, failure: slow::Failure) -> Diagnostic {
    match failure {
        slow::Failure::Limit(message) => {
            Diagnostic::error("load.limit", message).with_span(source.span())
        }
        slow::Failure::Parse { message, at } => {
            let span = match at {
                Some((line, column)) => {
                    source.span_at(|_| (line.saturating_sub(1), column.saturating_sub(1)))
                }
                None => source.span(),
            };
            Diagnostic::error("load.parse", message).with_span(span)
        }
    }
}

/// Turns a parsed document into documents: a `List` into its items, anything else into one.
/// `duplicates` are paths relative to `node`.
fn objects(
    node: Node<'_>,
    source: Source,
    duplicates: Vec<FieldPath>,
    out: &mut Vec<Document>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if !matches!(node, Node::Map(_)) {
        let message = format!("document is {}, not an object", node.what());
        diagnostics.push(
            Diagnostic::error("load.not-an-object", message)
                .with_span(source.locate(&FieldPath::root())),
        );
        return;
    }
    let is_list = node
        .field("kind")
        .and_then(Tree::text)
        .is_some_and(|k| k.ends_with("List"));
    if !(is_list && node.field("items").and_then(Tree::items).is_some()) {
        object(node, source, &duplicates, out, diagnostics);
        return;
    }
    let Node::Map(entries) = node else {
        return;
    };
    let Some(Node::Seq(items)) = entries
        .into_iter()
        .find(|(k, _)| k == "items")
        .map(|(_, v)| v)
    else {
        return;
    };
    let places = item_sources(&source, items.len());
    for (i, (item, item_source)) in items.into_iter().zip(places).enumerate() {
        let prefix = [Segment::Key("items".into()), Segment::Index(i)];
        let inner = duplicates
            .iter()
            .filter_map(|d| d.segments().strip_prefix(&prefix[..]).map(path_of))
            .collect();
        objects(item, item_source, inner, out, diagnostics);
    }
}

/// A source for each item of a `List` document: its own slice of the text when the items
/// can be told apart (so that locating inside one item never re-reads the whole list), else
/// the list's source with the item's path as base.
fn item_sources(list: &Source, count: usize) -> Vec<Source> {
    let text = list.text.get(list.range.clone()).unwrap_or("");
    let items_path = list.base.key("items");
    let ranges: Vec<(Range<usize>, (u32, u32))> = match list.format {
        Format::Yaml => locate::yaml_items(text, items_path.segments())
            .into_iter()
            // Each YAML item range starts at the start of its `-` line.
            .map(|(range, spot)| (range, (list.origin.0.saturating_add(spot.line), 0)))
            .collect(),
        Format::Json => {
            let mut at = list.origin;
            let mut last = 0;
            locate::json_items(text, items_path.segments())
                .into_iter()
                .map(|range| {
                    at = split::advance(at, text.get(last..range.start).unwrap_or(""));
                    last = range.start;
                    (range, at)
                })
                .collect()
        }
    };
    if ranges.len() != count {
        return (0..count)
            .map(|i| Source {
                base: items_path.index(i),
                ..list.clone()
            })
            .collect();
    }
    ranges
        .into_iter()
        .map(|(range, origin)| {
            let base = match list.format {
                Format::Yaml => FieldPath::root().index(0),
                Format::Json => FieldPath::root(),
            };
            let range = list.range.start + range.start..list.range.start + range.end;
            let mut item = Source {
                budget: locate_budget(&range),
                range,
                origin,
                base,
                ..list.clone()
            };
            let start = item.locate(&FieldPath::root());
            (item.line, item.column) = (start.line, start.column);
            item
        })
        .collect()
}

/// Groups whose objects hhfab refuses in a wiring diagram.
const NOT_ALLOWED: [&str; 2] = ["dhcp.githedgehog.com", "agent.githedgehog.com"];

fn object(
    node: Node<'_>,
    source: Source,
    duplicates: &[FieldPath],
    out: &mut Vec<Document>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let of_object = |d: Diagnostic| match key_of_value(&node) {
        Some(k) => d.with_object(k),
        None => d,
    };
    let here = |code: &'static str, message: String, path: FieldPath, warning: bool| {
        let d = if warning {
            Diagnostic::warning(code, message)
        } else {
            Diagnostic::error(code, message)
        };
        of_object(d.with_span(source.locate(&path)).at(path))
    };
    // One diagnostic per duplicated key, however often it is written.
    let mut seen = std::collections::HashSet::new();
    for path in duplicates.iter().filter(|p| seen.insert(*p)) {
        let (message, at) = duplicate_key(&source, path);
        let d = Diagnostic::error("load.duplicate-key", message).with_span(at);
        diagnostics.push(of_object(d.at(path.clone())));
    }
    let text_field = |name: &str| {
        node.field(name)
            .and_then(Tree::text)
            .filter(|s| !s.is_empty())
    };
    let (api_version, kind) = (text_field("apiVersion"), text_field("kind"));
    if api_version.is_none() {
        diagnostics.push(here(
            "load.missing-api-version",
            "document has no apiVersion".into(),
            FieldPath::root(),
            false,
        ));
    }
    if kind.is_none() {
        diagnostics.push(here(
            "load.missing-kind",
            "document has no kind".into(),
            FieldPath::root(),
            false,
        ));
    }
    let group = api_version
        .and_then(|v| v.rsplit_once('/'))
        .map_or("", |(g, _)| g);
    if NOT_ALLOWED.contains(&group) {
        let message = format!(
            "{} objects ({group}) are not allowed in a wiring diagram",
            kind.unwrap_or("?")
        );
        diagnostics.push(here("load.not-allowed", message, FieldPath::root(), false));
        return;
    }
    let decoded = node
        .decode()
        .unwrap_or_else(|| Object::from_value(node.to_value()));
    if let Some((api_version, kind)) = api_version.zip(kind)
        && decoded.object.kind().is_none()
        && decoded.diagnostics.is_empty()
    {
        let message = format!("kind {kind} of {api_version} is not modelled; kept as written");
        diagnostics.push(here("load.unknown-kind", message, FieldPath::root(), true));
    }
    for mut d in decoded.diagnostics {
        d.span = Some(source.locate(&d.path));
        diagnostics.push(d);
    }
    out.push(Document {
        object: decoded.object,
        unknown: decoded.unknown,
        source: Some(source),
    });
}

/// Places named in a duplicate key's message.
const MAX_PLACES: usize = 4;

/// The message of a duplicate key (naming every line it is written on) and the span of its
/// last occurrence, the one whose value is kept.
fn duplicate_key(source: &Source, path: &FieldPath) -> (String, Span) {
    let (parent, key) = match path.segments().split_last() {
        Some((Segment::Key(k), parent)) => (parent, k.as_str()),
        _ => (&[][..], ""),
    };
    let full: Vec<Segment> = source
        .base
        .segments()
        .iter()
        .chain(parent)
        .cloned()
        .collect();
    if !source.spend() {
        return (
            format!("duplicate key \"{key}\"; the last value is used"),
            source.span(),
        );
    }
    let text = source.text.get(source.range.clone()).unwrap_or("");
    let spans: Vec<Span> = match source.format {
        Format::Yaml => locate::yaml_key_spots(text, &full, key)
            .iter()
            .map(|s| source.span_at(|_| (s.line, s.column)))
            .collect(),
        Format::Json => locate::json_key_offsets(text, &full, key)
            .iter()
            .map(|&offset| {
                source.span_at(|t| split::advance((0, 0), t.get(..offset).unwrap_or("")))
            })
            .collect(),
    };
    // The first few places and the last (whose value is kept), so that a key written
    // thousands of times does not make a message of thousands of places.
    let mut places: Vec<String> = spans
        .iter()
        .map(|s| format!("{}:{}", s.line, s.column))
        .collect();
    if places.len() > MAX_PLACES {
        let more = places.len() - MAX_PLACES;
        let last = places.pop().unwrap_or_default();
        places.truncate(MAX_PLACES - 1);
        places.push(format!("{more} more"));
        places.push(last);
    }
    let message = if places.len() >= 2 {
        format!(
            "duplicate key \"{key}\" (at {}); the last value is used",
            places.join(" and ")
        )
    } else {
        format!("duplicate key \"{key}\"; the last value is used")
    };
    (
        message,
        spans.last().cloned().unwrap_or_else(|| source.locate(path)),
    )
}

/// A document's key with an empty namespace read as `default`, as the API server does.
fn canonical_key(document: &Document) -> ObjectKey {
    let mut key = document.key();
    if key.namespace.is_empty() {
        key.namespace = "default".into();
    }
    key
}

/// A document's key borrowed from it — API group, kind, namespace (an empty one read as
/// `default`, as the API server does), name — so that finding duplicates costs no string
/// per object. `None` without a kind.
fn identity(document: &Document) -> Option<(&str, &str, &str, &str)> {
    let (group, kind, namespace, name) = match (&document.object, document.object.kind()) {
        (Object::Unknown(value), _) => crate::object::key_parts(value.as_ref())?,
        (object, Some(kind)) => {
            let meta = object.meta()?;
            (
                kind.group(),
                kind.name(),
                meta.namespace.as_deref().unwrap_or(""),
                meta.name.as_deref().unwrap_or(""),
            )
        }
        (_, None) => return None,
    };
    let namespace = if namespace.is_empty() {
        "default"
    } else {
        namespace
    };
    Some((group, kind, namespace, name))
}

fn report_duplicate_objects(documents: &[Document], diagnostics: &mut Vec<Diagnostic>) {
    let place = |d: &Document| {
        d.source
            .as_ref()
            .map_or_else(|| "code".to_owned(), |s| s.span().to_string())
    };
    let hasher = foldhash::fast::RandomState::default();
    for (first, later) in duplicate_pairs(documents, &hasher) {
        let doc = &documents[later];
        let key = canonical_key(doc);
        let message = format!(
            "{key} is defined twice: at {} and at {}",
            place(&documents[first]),
            place(doc)
        );
        let mut d = Diagnostic::error("load.duplicate-object", message).with_object(key);
        d.span = doc.source.as_ref().map(Source::span);
        diagnostics.push(d);
    }
}

/// The identity of a document that names an object.
fn named_identity(document: &Document) -> Option<(&str, &str, &str, &str)> {
    identity(document).filter(|id| !id.3.is_empty())
}

/// Each document whose object was defined before, with the first definition: `(first,
/// later)` in input order. Identities are hashed on every core, and the pass in input order
/// compares numbers, reading identities again only when a number comes back: a duplicate,
/// or (about never) two identities with one hash, when [`duplicate_pairs_exactly`] answers.
fn duplicate_pairs(
    documents: &[Document],
    hasher: &(impl BuildHasher + Sync),
) -> Vec<(usize, usize)> {
    let hashes: Vec<Option<u64>> = documents
        .par_iter()
        .map(|d| named_identity(d).map(|id| hasher.hash_one(id)))
        .collect();
    let mut first: HashMap<u64, usize, foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(documents.len(), Default::default());
    let mut pairs = Vec::new();
    for (i, hash) in hashes.into_iter().enumerate() {
        let Some(hash) = hash else {
            continue;
        };
        match first.entry(hash) {
            Entry::Vacant(slot) => {
                slot.insert(i);
            }
            Entry::Occupied(seen) => {
                let j = *seen.get();
                if named_identity(&documents[j]) != named_identity(&documents[i]) {
                    return duplicate_pairs_exactly(documents);
                }
                pairs.push((j, i));
            }
        }
    }
    pairs
}

/// [`duplicate_pairs`] keyed on the identities themselves.
fn duplicate_pairs_exactly(documents: &[Document]) -> Vec<(usize, usize)> {
    let mut first: HashMap<(&str, &str, &str, &str), usize, foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(documents.len(), Default::default());
    let mut pairs = Vec::new();
    for (i, doc) in documents.iter().enumerate() {
        if let Some(id) = named_identity(doc) {
            match first.entry(id) {
                Entry::Vacant(slot) => {
                    slot.insert(i);
                }
                Entry::Occupied(seen) => pairs.push((*seen.get(), i)),
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use std::hash::Hasher;

    use super::*;

    /// Hashes every identity alike, so that each number that comes back is a collision.
    struct Colliding;

    impl BuildHasher for Colliding {
        type Hasher = Constant;
        fn build_hasher(&self) -> Constant {
            Constant
        }
    }

    struct Constant;

    impl Hasher for Constant {
        fn finish(&self) -> u64 {
            7
        }
        fn write(&mut self, _: &[u8]) {}
    }

    #[test]
    fn duplicate_objects_are_the_same_whatever_the_hashes() {
        let object = |kind: &str, namespace: &str, name: &str| {
            let group = if kind == "Gateway" {
                "gateway.githedgehog.com"
            } else {
                "vpc.githedgehog.com"
            };
            format!(
                "apiVersion: {group}/v1beta1\nkind: {kind}\nmetadata:\n  name: {name}\n  \
                 namespace: {namespace}\n"
            )
        };
        let text = [
            object("VPC", "default", "a"),
            object("VPC", "default", "b"),
            object("Gateway", "default", "a"),
            object("VPC", "other", "a"),
            object("VPC", "default", "a"),
            object("Gateway", "default", "a"),
            object("VPC", "default", "b"),
            object("VPC", "default", "a"),
        ]
        .join("---\n");
        let loaded = Loader::new(Limits::default()).load_str(&text, None);
        let documents = &loaded.documents;
        assert_eq!(documents.len(), 8);
        let exact = duplicate_pairs_exactly(documents);
        assert_eq!(exact, [(0, 4), (2, 5), (1, 6), (0, 7)]);
        let hasher = foldhash::fast::RandomState::default();
        assert_eq!(duplicate_pairs(documents, &hasher), exact);
        assert_eq!(duplicate_pairs(documents, &Colliding), exact);
    }
}
