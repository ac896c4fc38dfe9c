//! Progress on long CLI work: a spinner on a terminal's standard error, nothing when piped.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_hedgehogd");

/// A large sample (about 10 000 objects).
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
    // `script` (util-linux) runs the command on a pseudo-terminal. The input arrives a second
    // late, so the work lasts longer than the spinner's delay however fast validation is
    // (it once finished before the spinner showed, and the test failed on a faster build).
    let typescript = dir.path().join("typescript");
    let command = format!(
        "(sleep 1; cat {}) | {BIN} validate - > /dev/null",
        input.display()
    );
    let tty = Command::new("script")
        .args(["-qec", &command])
        .arg(&typescript)
        .output()
        .expect("`script` (util-linux) runs the command on a terminal");
    assert!(tty.status.success(), "{tty:?}");
    let seen = std::fs::read_to_string(&typescript).unwrap();
    assert!(
        seen.contains("validating…"),
        "no spinner on a terminal: {seen:?}"
    );
}
