//! Upstream `IPv4Namespace.Validate()` without other objects (§7.1 rule 19).

use super::{FieldPath, Report, meta};
use crate::api::Ipv4Namespace;
use crate::config::FabricConfig;
use crate::net::Prefix;

/// Upstream's `MaxIPv4NamespaceSubnets`.
const MAX_SUBNETS: usize = 10;

pub(crate) fn validate(ns: &Ipv4Namespace, cfg: Option<&FabricConfig>, report: &mut Report) {
    meta::validate(&ns.metadata, report);
    let path = |i: usize| FieldPath::root().key("spec").key("subnets").index(i);
    let mut parsed: Vec<(usize, Prefix)> = Vec::with_capacity(ns.spec.subnets.len());
    for (i, subnet) in ns.spec.subnets.iter().enumerate() {
        match Prefix::parse_go(subnet) {
            Ok(p) => parsed.push((i, p.masked())),
            Err(why) => report.error(
                "ipv4-namespace.subnet.invalid",
                path(i),
                format!("failed to parse cidr {subnet}: {why}"),
            ),
        }
    }
    let count = ns.spec.subnets.len();
    if count > MAX_SUBNETS {
        report.error(
            "ipv4-namespace.subnets.too-many",
            "spec.subnets",
            format!("too many subnets defined ({count}), maximum is {MAX_SUBNETS}"),
        );
    }
    for (k, (_, first)) in parsed.iter().enumerate() {
        for (j, second) in parsed.iter().skip(k + 1) {
            if first.overlaps(second) {
                report.error(
                    "ipv4-namespace.subnet.overlap",
                    path(*j),
                    format!("subnets overlap: subnets {first} and {second} overlap"),
                );
            }
        }
    }
    let Some(cfg) = cfg else {
        return;
    };
    // Upstream also compares the reserved subnets with each other; that is a property of
    // the configuration, not of this namespace, so only namespace/reserved pairs count here.
    for (i, subnet) in &parsed {
        if let Some(reserved) = cfg.reserved_prefixes().find(|r| r.overlaps(subnet)) {
            report.error(
                "ipv4-namespace.subnet.reserved",
                path(*i),
                format!(
                    "subnets overlap with reserved subnets: subnets {subnet} and {reserved} overlap"
                ),
            );
        }
    }
}
