//! The list of diagnostic codes (`hedgehog_model::codes::DIAGNOSTICS`) is complete and not
//! stale: the crate's own source is read (see `codes_support`) and every code it can emit
//! must be listed, every listed code must be emitted somewhere, and the table of codes in
//! `docs/diagnostic-codes.md` must be what the list makes of it.
//!
//! After changing the list, regenerate the table with
//! `HEDGEHOG_BLESS=1 cargo test -p hedgehog-model --test codes`.

mod codes_support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use codes_support::{Emitted, is_code_shaped};
use hedgehog_model::codes::{CodeInfo, DIAGNOSTICS, diagnostic};
use hedgehog_model::config::FabricConfig;
use hedgehog_model::hydrate::HydrateMode;
use hedgehog_model::load::{Limits, Loader};
use hedgehog_model::{ValidateOptions, validate_loaded};

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What the crate's source emits, read once per test binary.
static EMITTED: LazyLock<Emitted> = LazyLock::new(|| codes_support::emitted(crate_dir()));

fn listed() -> BTreeSet<&'static str> {
    DIAGNOSTICS.iter().map(|info| info.code).collect()
}

fn places(emitted: &Emitted, code: &str) -> String {
    let places = emitted.codes.get(code).into_iter().flatten();
    places
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn every_code_argument_is_followed_back_to_literals() {
    assert!(
        EMITTED.problems.is_empty(),
        "code arguments the test cannot follow to string literals (teach codes_support the new \
         way, or pass a literal):\n{}",
        EMITTED.problems.join("\n")
    );
}

#[test]
fn every_emitted_code_is_listed() {
    let listed = listed();
    let missing: Vec<String> = EMITTED
        .codes
        .keys()
        .filter(|code| !listed.contains(code.as_str()))
        .map(|code| format!("{code} (at {})", places(&EMITTED, code)))
        .collect();
    assert!(
        missing.is_empty(),
        "codes emitted by the source but missing from hedgehog_model::codes::DIAGNOSTICS \
         (add each with its meaning):\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_listed_code_is_emitted() {
    let stale: Vec<&str> = listed()
        .into_iter()
        .filter(|code| !EMITTED.codes.contains_key(*code))
        .collect();
    assert!(
        stale.is_empty(),
        "codes listed in hedgehog_model::codes::DIAGNOSTICS that nothing emits any more \
         (remove them; never reuse a code): {stale:?}"
    );
}

/// The walk starts from the `code` field of `Diagnostic`; if it stopped finding the helpers
/// that hand codes on, it would find few codes and the two tests above would say little.
#[test]
fn the_walk_reaches_the_helpers_that_hand_codes_on() {
    for sink in [
        "Diagnostic::error#0",
        "Diagnostic::warning#0",
        "Report::error#0",
        "Report::warning#0",
        "Out::error#0",
        "field code",
    ] {
        assert!(
            EMITTED.sinks.iter().any(|s| s == sink),
            "{sink} not found among {:?}",
            EMITTED.sinks
        );
    }
    assert!(
        EMITTED.codes.len() >= 300,
        "only {} codes found",
        EMITTED.codes.len()
    );
}

/// A second net under the walk: a literal that looks like a code of a known family (`vpc.`,
/// `fabric.`, …) but was not found where codes are passed is either a code that travels a way
/// the walk does not see, or one of these few non-codes.
#[test]
fn no_code_shaped_literal_escapes_the_walk() {
    const NOT_CODES: [&str; 2] = ["vpc.githedgehog.com", "wiring.githedgehog.com"];
    let families: BTreeSet<&str> = DIAGNOSTICS
        .iter()
        .filter_map(|info| info.code.split('.').next())
        .collect();
    let escaped: Vec<String> = EMITTED
        .lookalikes
        .iter()
        .filter(|(text, _)| !EMITTED.codes.contains_key(*text))
        .filter(|(text, _)| !NOT_CODES.contains(&text.as_str()))
        .filter(|(text, _)| families.contains(text.split('.').next().unwrap_or("")))
        .map(|(text, at)| format!("{text} at {at:?}"))
        .collect();
    assert!(
        escaped.is_empty(),
        "literals shaped like codes that the walk did not see passed as a code:\n{}",
        escaped.join("\n")
    );
}

/// The walk on a made-up crate that passes codes in every way the walk follows (see its
/// comments): direct and multi-line calls, helpers of the same name told apart by the
/// receiver's type, closures, `impl FnMut` arguments, `for` over arrays and `vec!` of tuples,
/// `if`/`match` values, constants, struct fields, `Some(…)` patterns; literals in comments,
/// in non-code arguments and in `#[cfg(test)]` modules are not codes.
#[test]
fn the_walk_follows_every_way_of_passing_a_code() {
    let found = codes_support::emitted(&crate_dir().join("tests/codes_support/fixture/good"));
    assert!(found.problems.is_empty(), "{:#?}", found.problems);
    let codes: Vec<&str> = found.codes.keys().map(String::as_str).collect();
    let mut want = vec![
        "t.direct",
        "t.multi-line",
        "t.counter",
        "t.closure",
        "t.fn-mut",
        "t.loop-a",
        "t.loop-b",
        "t.if-a",
        "t.if-b",
        "t.else-a",
        "t.else-b",
        "t.match-a",
        "t.match-b",
        "t.const",
        "t.field-missing",
        "t.field-bad",
        "t.some",
        "t.vec",
        "t.struct-field",
    ];
    want.sort_unstable();
    assert_eq!(codes, want);
    assert_eq!(found.test_only, ["src/tests.rs"]);
}

/// The walk on a made-up crate that passes codes in ways the walk cannot follow: each is
/// reported, none skipped in silence.
#[test]
fn the_walk_reports_what_it_cannot_follow() {
    let found = codes_support::emitted(&crate_dir().join("tests/codes_support/fixture/bad"));
    let expected = [
        "report.error(pick())",
        "make().error(\"t.unknown-receiver\")",
        "Diagnostic { code }",
    ];
    for construct in expected {
        assert!(
            found.problems.iter().any(|p| p.contains(construct)),
            "{construct} not reported: {:#?}",
            found.problems
        );
    }
    assert_eq!(
        found.problems.len(),
        expected.len(),
        "{:#?}",
        found.problems
    );
    assert!(found.codes.is_empty(), "{:?}", found.codes);
}

/// Every file of `src/` is read, except those only tests compile.
#[test]
fn every_source_file_is_read() {
    let mut on_disk = Vec::new();
    collect_rs(&crate_dir().join("src"), &mut on_disk);
    let read: BTreeSet<PathBuf> = EMITTED
        .files
        .iter()
        .chain(&EMITTED.test_only)
        .map(|f| crate_dir().join(f))
        .collect();
    let unread: Vec<&PathBuf> = on_disk.iter().filter(|f| !read.contains(*f)).collect();
    assert!(unread.is_empty(), "source files not read: {unread:?}");
    assert!(EMITTED.files.iter().any(|f| f == "src/codes.rs"));
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn list_is_sorted_unique_and_well_formed() {
    for pair in DIAGNOSTICS.windows(2) {
        assert!(
            pair[0].code < pair[1].code,
            "not sorted or duplicated: {} then {}",
            pair[0].code,
            pair[1].code
        );
    }
    for info in DIAGNOSTICS {
        assert!(is_code_shaped(info.code), "malformed code {:?}", info.code);
    }
}

#[test]
fn meanings_are_distinct_sentences() {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for CodeInfo { code, meaning } in DIAGNOSTICS {
        assert!(
            meaning.len() > 20 && meaning.trim() == *meaning,
            "{code}: {meaning:?}"
        );
        assert!(
            meaning.starts_with(|c: char| c.is_uppercase() || c.is_lowercase())
                && meaning.ends_with('.'),
            "{code}: the meaning is not a sentence ending with a period: {meaning:?}"
        );
        if let Some(other) = seen.insert(meaning, code) {
            panic!("{other} and {code} have the same meaning; say how they differ");
        }
    }
}

#[test]
fn lookup_finds_each_listed_code_and_nothing_else() {
    for info in DIAGNOSTICS {
        assert_eq!(diagnostic(info.code), Some(info));
    }
    for absent in [
        "",
        "vpc",
        "vpc.subnet",
        "zzz.none",
        "aaa.none",
        "load.parse.x",
    ] {
        assert_eq!(diagnostic(absent), None, "{absent}");
    }
    let json = serde_json::to_value(diagnostic("load.parse")).expect("serialisable");
    assert_eq!(json["code"], "load.parse");
    assert!(json["meaning"].as_str().is_some_and(|m| m.contains("YAML")));
}

/// The Markdown table of every code, as `docs/diagnostic-codes.md` holds it.
fn table() -> String {
    let mut out = String::from(
        "# Diagnostic codes\n\n\
         <!-- Generated from hedgehog_model::codes::DIAGNOSTICS by hedgehog-model/tests/codes.rs; \
         do not edit. Regenerate with: HEDGEHOG_BLESS=1 cargo test -p hedgehog-model --test codes -->\n\n",
    );
    out.push_str(&format!(
        "Every diagnostic of hedgehog-model (and so of `hedgehogd validate`, `POST /v1/validate` and \
         `hedgehog_fabric.validate`) carries one of these {} codes. Codes are stable: a code is \
         never renamed nor reused, while the message next to it may change. The few warnings say \
         so; every other code is an error.\n\n",
        DIAGNOSTICS.len()
    ));
    out.push_str("| Code | Meaning |\n| --- | --- |\n");
    for info in DIAGNOSTICS {
        out.push_str(&format!(
            "| `{}` | {} |\n",
            info.code,
            markdown(info.meaning)
        ));
    }
    out
}

/// Text safe in a Markdown table cell: `|` would end the cell, `<…>` would read as HTML.
fn markdown(text: &str) -> String {
    text.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[test]
fn docs_table_is_current() {
    let path = crate_dir().join("../docs/diagnostic-codes.md");
    let want = table();
    if std::env::var_os("HEDGEHOG_BLESS").is_some() {
        std::fs::write(&path, &want).expect("docs/diagnostic-codes.md is writable");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{} is not what hedgehog_model::codes::DIAGNOSTICS makes; regenerate it with \
         HEDGEHOG_BLESS=1 cargo test -p hedgehog-model --test codes",
        path.display()
    );
}

/// At run time too: every code the example fabrics give, with each hydration mode and with
/// the cross-object rules, is listed.
#[test]
fn codes_emitted_by_the_example_fabrics_are_listed() {
    let dir = crate_dir().join("../examples/fabrics");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/fabrics exists")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    let modes = [
        None,
        Some(HydrateMode::Never),
        Some(HydrateMode::IfNotPresent),
        Some(HydrateMode::Override),
    ];
    let mut seen = BTreeSet::new();
    for file in &files {
        for hydrate in modes {
            // Hydration rewrites what it validates: each mode starts from the file.
            let mut loaded = Loader::new(Limits::default())
                .load_paths(&[file])
                .expect("the fixture is readable");
            let options = ValidateOptions {
                config: FabricConfig::default(),
                fabric: true,
                hydrate,
            };
            let report = validate_loaded(&mut loaded, &options);
            seen.extend(report.diagnostics.iter().map(|d| d.code));
        }
    }
    let unlisted: Vec<&str> = seen
        .iter()
        .copied()
        .filter(|c| diagnostic(c).is_none())
        .collect();
    assert!(unlisted.is_empty(), "emitted but not listed: {unlisted:?}");
    // The unhydrated fixture cannot pass with hydration off: the check saw at least one code.
    assert!(seen.contains("hydrate.not-hydrated"), "{seen:?}");
}
