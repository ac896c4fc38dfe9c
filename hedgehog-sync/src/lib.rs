//! The hedgehog sync engine: snapshots of desired state, Git and the cluster, normalised
//! the same way, compared into a drift report, and planned into change sets.

pub mod adopt;
pub mod codes;
pub mod diff;
pub mod drift;
pub mod engine;
mod equal;
pub mod fabric;
pub mod git;
pub mod guard;
pub mod ingest;
pub mod kube;
pub mod layout;
pub mod merge;
pub mod normalize;
mod placement;
pub mod plan;
pub mod secret;
pub mod snapshot;
