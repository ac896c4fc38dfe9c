//! Writes the fixture of the drift measurement: a real-shaped fabric of about N objects
//! (`hedgehogd sample --real N`) committed to a bare Git repository with one file per object
//! in hedgehog's layout (`managed/<kind plural>/<name>.yaml`), and the same objects as one
//! desired-state file, so that `hedgehogd drift --git DIR/bench.git --desired DIR/desired.yaml`
//! finds them in sync.
//!
//!     cargo run --release -p hedgehog-benches --bin drift-fixture -- DIR [OBJECTS]

use std::path::PathBuf;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("usage: drift-fixture DIR [OBJECTS]")?);
    let objects: usize = match args.next() {
        Some(n) => n.parse().map_err(|e| format!("OBJECTS: {e}"))?,
        None => 20_000,
    };
    let fixture = hedgehog_benches::drift_fixture(&dir, objects)?;
    println!(
        "{} objects: {} and {}",
        fixture.objects,
        fixture.repo.display(),
        fixture.desired.display()
    );
    Ok(())
}
