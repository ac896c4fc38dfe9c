//! Upstream `External.Validate()` without other objects (§7.1 rules 20–22).

use super::{FieldPath, Report, meta};
use crate::api::External;
use crate::config::FabricConfig;
use crate::net::Prefix;

pub(crate) fn validate(external: &External, _cfg: Option<&FabricConfig>, report: &mut Report) {
    meta::validate(&external.metadata, report);
    let spec = &external.spec;
    if spec.ipv4_namespace.is_empty() {
        report.error(
            "external.ipv4-namespace.required",
            "spec.ipv4Namespace",
            "IPv4Namespace is required",
        );
    }
    let Some(st) = &spec.r#static else {
        for (field, code, value) in [
            (
                "inboundCommunity",
                "external.inbound-community.invalid",
                &spec.inbound_community,
            ),
            (
                "outboundCommunity",
                "external.outbound-community.invalid",
                &spec.outbound_community,
            ),
        ] {
            if !value.is_empty() && !is_community(value) {
                report.error(
                    code,
                    FieldPath::root().key("spec").key(field),
                    format!("{field} {value} is not a valid community, example 50000:50001"),
                );
            }
        }
        return;
    };
    if !spec.inbound_community.is_empty() || !spec.outbound_community.is_empty() {
        let field = if spec.inbound_community.is_empty() {
            "outboundCommunity"
        } else {
            "inboundCommunity"
        };
        report.error(
            "external.static.communities-set",
            FieldPath::root().key("spec").key(field),
            "inboundCommunity and outboundCommunity must be empty when static configuration is present",
        );
    }
    let path = FieldPath::parse("spec.static.prefixes");
    if st.prefixes.is_empty() {
        report.error(
            "external.static.prefixes-required",
            path.clone(),
            "at least one prefix must be specified for static externals",
        );
    }
    let mut parsed: Vec<(usize, Prefix)> = Vec::with_capacity(st.prefixes.len());
    for (i, text) in st.prefixes.iter().enumerate() {
        match Prefix::parse_go(text) {
            Ok(p) => parsed.push((i, p)),
            Err(why) => report.error(
                "external.static.prefix-invalid",
                path.index(i),
                format!("invalid prefix {text} in static external configuration: {why}"),
            ),
        }
    }
    for (k, (_, first)) in parsed.iter().enumerate() {
        for (j, second) in parsed.iter().skip(k + 1) {
            if first.overlaps(second) {
                report.error(
                    "external.static.prefix-overlap",
                    path.index(*j),
                    format!("static prefixes {first} and {second} overlap with each other"),
                );
            }
        }
    }
}

/// Upstream's community pattern: `<n>:<n>` with each `n` in 0..=65535, decimal, without
/// leading zeros.
fn is_community(text: &str) -> bool {
    let part = |p: &str| {
        !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && (p == "0" || !p.starts_with('0'))
            && p.parse::<u32>().is_ok_and(|n| n <= 65535)
    };
    text.split_once(':')
        .is_some_and(|(a, b)| part(a) && part(b))
}

#[cfg(test)]
mod tests {
    use super::is_community;

    #[test]
    fn communities_like_upstream_pattern() {
        for ok in ["0:0", "50000:50001", "65535:1", "9:10", "65102:5000"] {
            assert!(is_community(ok), "{ok}");
        }
        for bad in [
            "", "1", "65536:1", "01:1", "1:00", "1:2:3", "a:1", "+1:1", " 1:1", "1:1\n",
        ] {
            assert!(!is_community(bad), "{bad}");
        }
    }
}
