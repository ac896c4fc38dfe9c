//! Runnable examples of the hedgehog crates; see `examples/` and `fabrics/`.
