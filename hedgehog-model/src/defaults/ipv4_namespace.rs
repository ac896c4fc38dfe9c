//! Upstream `IPv4Namespace.Default()`.

use super::labels;
use crate::api::Ipv4Namespace;

pub(crate) fn default(ns: &mut Ipv4Namespace) {
    // Upstream's label set for IPv4Namespaces is empty, so only the cleanup remains.
    labels::cleanup(&mut ns.metadata);
    ns.spec.subnets.sort_unstable();
}
