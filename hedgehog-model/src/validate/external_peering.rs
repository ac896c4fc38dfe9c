//! Upstream `ExternalPeering.Validate()` without other objects (§7.1 rule 27).

use super::{FieldPath, Report, meta};
use crate::api::ExternalPeering;
use crate::config::FabricConfig;

pub(crate) fn validate(
    peering: &ExternalPeering,
    _cfg: Option<&FabricConfig>,
    report: &mut Report,
) {
    meta::validate(&peering.metadata, report);
    let permit = &peering.spec.permit;
    if permit.vpc.name.is_empty() {
        report.error(
            "external-peering.vpc.name-required",
            "spec.permit.vpc.name",
            "vpc.name is required",
        );
    }
    if permit.external.name.is_empty() {
        report.error(
            "external-peering.external.name-required",
            "spec.permit.external.name",
            "external.name is required",
        );
    }
    for (i, prefix) in permit.external.prefixes.iter().enumerate() {
        if prefix.prefix.is_empty() {
            report.error(
                "external-peering.external.prefix-required",
                FieldPath::parse("spec.permit.external.prefixes")
                    .index(i)
                    .key("prefix"),
                "external.prefixes.prefix is required",
            );
        }
    }
}
