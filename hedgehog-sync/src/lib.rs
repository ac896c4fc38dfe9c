//! The hedgehog sync engine: snapshots of desired state, Git and the cluster, normalised
//! the same way, compared into a drift report, and planned into change sets.

pub mod diff;
pub mod git;
pub mod kube;
pub mod normalize;
