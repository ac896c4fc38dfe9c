//! Runnable examples of the hedgehog crates: `cargo run -p hedgehog-examples --example NAME`.
//! The sample fabrics they read are in `examples/fabrics/`.
