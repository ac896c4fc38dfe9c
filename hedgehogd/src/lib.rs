//! `hedgehogd` as a library: the command line and the daemon behind the `hedgehogd` binary.
//!
//! Not a public API. It exists so that the fuzz targets (`fuzz/`) can drive the daemon's
//! configuration parser and HTTP router in-process; use the binary, its HTTP API or the
//! `hedgehog-sync` crate instead.

#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod daemon;
mod desired;
