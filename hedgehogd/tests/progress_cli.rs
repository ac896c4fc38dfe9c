//! Progress on long CLI work: a spinner on a terminal's standard error, nothing when piped.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_hedgehogd");

/// A large sample (about 10 000 objects), which takes long enough to show the spinner.
fn large_sample(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("large.yaml");
    let out = Command::new(BIN)
        .args(["sample", "--preset", "large", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    path
}

#[test]
fn spinner_on_a_terminal_nothing_when_piped() {
    let dir = tempfile::tempdir().unwrap();
    let input = large_sample(dir.path());
    let piped = Command::new(BIN)
        .arg("validate")
        .arg(&input)
        .output()
        .unwrap();
    assert!(piped.status.success());
    assert!(
        piped.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
    // `script` (util-linux) runs the command on a pseudo-terminal.
    let typescript = dir.path().join("typescript");
    let command = format!("{BIN} validate {} > /dev/null", input.display());
    let tty = Command::new("script")
        .args(["-qec", &command])
        .arg(&typescript)
        .output();
    match tty {
        Ok(out) if out.status.success() => {
            let seen = std::fs::read_to_string(&typescript).unwrap();
            assert!(
                seen.contains("validating…"),
                "no spinner on a terminal: {seen:?}"
            );
        }
        other => {
            eprintln!("\n!!! SKIPPING the terminal half: `script` cannot run: {other:?} !!!\n")
        }
    }
}
