//! Every diagnostic code the crate's source can emit, found by reading the source.
//!
//! A code reaches a [`hedgehog_model::Diagnostic`] through its `code` field, and only that way.
//! Starting there, the walk finds every function and closure argument, and every struct
//! field, that ends up in that field (`Diagnostic::error`'s `code`, `Report::error`'s, a
//! closure `|code: &'static str, …|`, `Problem::code`, the fields of `BoundCodes` …), over and
//! over until nothing new turns up. The arguments passed at those places are followed back to
//! string literals through local names (`let`, `for` over arrays of tuples, `if`/`match`
//! arms, tuple and struct patterns) and constants. Whatever cannot be followed is reported as a
//! problem instead of being skipped, so a new way of passing codes fails the test rather than
//! hiding codes.

mod index;
mod scope;
mod tree;
mod walk;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::LazyLock;

pub use walk::Place;
use walk::Sinks;

use scope::Callable;

/// What reading the source found.
pub struct Emitted {
    /// Every code literal and where it is.
    pub codes: BTreeMap<String, BTreeSet<Place>>,
    /// Code arguments that could not be followed back to literals (must be empty).
    pub problems: Vec<String>,
    /// Every string literal shaped like a code, whether or not it is one.
    pub lookalikes: BTreeMap<String, BTreeSet<Place>>,
    /// Files read (relative to the crate).
    pub files: Vec<String>,
    /// Files only tests compile.
    pub test_only: Vec<String>,
    /// The places codes go, for failure messages (`Report::error#0`, `field code`).
    pub sinks: Vec<String>,
}

/// Reads the source of the crate at `crate_dir`.
pub fn emitted(crate_dir: &Path) -> Emitted {
    let tree = tree::load(crate_dir);
    let index = index::Index::new(&tree.files);
    let mut known = Sinks {
        params: BTreeSet::new(),
        fields: BTreeSet::from(["code".to_owned()]),
    };
    let pass = loop {
        let pass = walk::walk(&tree.files, &index, &known);
        let next = known.union(&pass.learned);
        if next == known {
            break pass;
        }
        known = next;
    };
    let mut problems: Vec<String> = pass.problems.into_iter().collect();
    for (callable, _) in &known.params {
        if let Callable::Closure(file, line, _) = callable
            && !pass.named_closures.contains(callable)
        {
            problems.push(format!(
                "{file}:{line}: a closure that takes a code is not bound to a name, so its callers cannot be found"
            ));
        }
    }
    Emitted {
        codes: pass.codes,
        problems,
        lookalikes: pass.lookalikes,
        files: tree.files.iter().map(|f| f.path.clone()).collect(),
        test_only: tree.test_only,
        sinks: describe(&known),
    }
}

fn describe(sinks: &Sinks) -> Vec<String> {
    let params = sinks.params.iter().map(|(callable, index)| match callable {
        Callable::Fn(f) => match &f.owner {
            Some(owner) => format!("{owner}::{}#{index}", f.name),
            None => format!("{}#{index}", f.name),
        },
        Callable::Closure(file, line, _) => format!("closure at {file}:{line}#{index}"),
    });
    let fields = sinks.fields.iter().map(|f| format!("field {f}"));
    params.chain(fields).collect()
}

/// The shape of a code: dot-separated segments of lower-case letters, digits and dashes.
pub fn is_code_shaped(text: &str) -> bool {
    static SHAPE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$").expect("a valid pattern")
    });
    SHAPE.is_match(text)
}
