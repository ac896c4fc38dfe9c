//! Upstream `ExternalPeering.Default()`.

use super::labels;
use crate::api::ExternalPeering;

pub(crate) fn default(peering: &mut ExternalPeering) {
    let permit = &mut peering.spec.permit;
    labels::cleanup(&mut peering.metadata);
    labels::set(&mut peering.metadata, "vpc", &permit.vpc.name);
    labels::set(&mut peering.metadata, "external", &permit.external.name);
    permit.vpc.subnets.sort_unstable();
    permit
        .external
        .prefixes
        .sort_by(|a, b| a.prefix.cmp(&b.prefix));
}
