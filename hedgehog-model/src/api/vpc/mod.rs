//! `vpc.githedgehog.com/v1beta1`.

pub(super) mod external;
pub(super) mod externalattachment;
pub(super) mod externalpeering;
pub(super) mod ipv4namespace;
#[allow(clippy::module_inception)]
pub(super) mod vpc;
pub(super) mod vpcattachment;
pub(super) mod vpcpeering;
