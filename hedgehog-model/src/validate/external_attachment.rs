//! Upstream `ExternalAttachment.Validate()` without other objects (§7.1 rules 23–26),
//! including `ACLSpec.Validate()` for the inbound ACL.

use std::collections::BTreeSet;

use super::meta::{self, go_quote};
use super::{FieldPath, Report};
use crate::api::{
    ACL_USER_MIN_SEQ, AclProtocol, AclSpec, AclStatement, AclTcpFilters, ExternalAttachment,
    ExternalAttachmentSpec, ExternalAttachmentStatic,
};
use crate::config::FabricConfig;
use crate::net::{parse_addr, parse_cidr, parse_ip};

/// Upstream's `ACLAny`: a prefix that matches everything.
const ACL_ANY: &str = "any";

pub(crate) fn validate(
    attach: &ExternalAttachment,
    _cfg: Option<&FabricConfig>,
    report: &mut Report,
) {
    meta::validate(&attach.metadata, report);
    let spec = &attach.spec;
    if spec.external.is_empty() {
        report.error(
            "external-attachment.external.required",
            "spec.external",
            "external is required",
        );
    }
    if spec.connection.is_empty() {
        report.error(
            "external-attachment.connection.required",
            "spec.connection",
            "connection is required",
        );
    }
    match &spec.r#static {
        None => validate_bgp(spec, report),
        Some(st) => validate_static(spec, st, report),
    }
    if let Some(acl) = &spec.inbound_acl {
        validate_acl(acl, report);
    }
}

fn validate_bgp(spec: &ExternalAttachmentSpec, report: &mut Report) {
    if spec.switch.ip.is_empty() {
        report.error(
            "external-attachment.switch.ip-required",
            "spec.switch.ip",
            "switch.ip is required",
        );
    } else if parse_cidr(&spec.switch.ip).is_none() {
        report.error(
            "external-attachment.switch.ip-invalid",
            "spec.switch.ip",
            "switch.ip is not a valid IP CIDR",
        );
    }
    if spec.neighbor.asn == 0 {
        report.error(
            "external-attachment.neighbor.asn-required",
            "spec.neighbor.asn",
            "neighbor.asn is required",
        );
    }
    if spec.neighbor.ip.is_empty() {
        report.error(
            "external-attachment.neighbor.ip-required",
            "spec.neighbor.ip",
            "neighbor.ip is required",
        );
    } else if parse_ip(&spec.neighbor.ip).is_none() {
        report.error(
            "external-attachment.neighbor.ip-invalid",
            "spec.neighbor.ip",
            "neighbor.ip is not a valid IP address",
        );
    }
}

fn validate_static(
    spec: &ExternalAttachmentSpec,
    st: &ExternalAttachmentStatic,
    report: &mut Report,
) {
    if !spec.switch.ip.is_empty() || spec.switch.vlan != 0 {
        report.error(
            "external-attachment.switch.set-for-static",
            "spec.switch",
            "switch parameters must not be set for static external attachment",
        );
    }
    if spec.neighbor.asn != 0 || !spec.neighbor.ip.is_empty() {
        report.error(
            "external-attachment.neighbor.set-for-static",
            "spec.neighbor",
            "neighbor parameters must not be set for static external attachment",
        );
    }
    if st.remote_ip.is_empty() {
        report.error(
            "external-attachment.static.remote-ip-required",
            "spec.static.remoteIP",
            "static.remoteIP is required for static external attachment",
        );
    } else if parse_addr(&st.remote_ip).is_none() {
        report.error(
            "external-attachment.static.remote-ip-invalid",
            "spec.static.remoteIP",
            "static.remoteIP is not a valid IP address",
        );
    }
    if st.ip.is_empty() != st.proxy {
        report.error(
            "external-attachment.static.ip-or-proxy",
            "spec.static",
            "either static.ip or static.proxy must be set for static external attachment",
        );
    }
    if !st.ip.is_empty() && parse_cidr(&st.ip).is_none() {
        report.error(
            "external-attachment.static.ip-invalid",
            "spec.static.ip",
            "static.ip is not a valid IP CIDR",
        );
    }
}

/// Upstream `ACLSpec.Validate()`, every statement and every problem; messages carry the
/// `invalid inboundACL: ` wrap of the attachment's validation.
fn validate_acl(acl: &AclSpec, report: &mut Report) {
    let mut seen = BTreeSet::new();
    for (i, stmt) in acl.statements.iter().enumerate() {
        let path = FieldPath::parse("spec.inboundACL.statements").index(i);
        let mut err = |code: &'static str, field: &str, text: String| {
            let at = if field.is_empty() {
                path.clone()
            } else {
                path.key(field)
            };
            report.error(code, at, format!("invalid inboundACL: {text}"));
        };
        let seq = stmt.seq;
        if seq < ACL_USER_MIN_SEQ {
            err(
                "external-attachment.acl.seq-reserved",
                "seq",
                format!(
                    "sequence number {seq} is reserved for security rules (user-defined rules must use seq >= {ACL_USER_MIN_SEQ})"
                ),
            );
        }
        if !seen.insert(seq) {
            err(
                "external-attachment.acl.seq-duplicate",
                "seq",
                format!("duplicate sequence number {seq}"),
            );
        }
        if !stmt.action.is_known() {
            err(
                "external-attachment.acl.action-invalid",
                "action",
                format!(
                    "invalid action {} in statement {seq}",
                    go_quote(stmt.action.as_str())
                ),
            );
        }
        let protocol_known = stmt.protocol.is_known();
        if !protocol_known {
            err(
                "external-attachment.acl.protocol-invalid",
                "protocol",
                format!(
                    "invalid protocol {} in statement {seq}",
                    go_quote(stmt.protocol.as_str())
                ),
            );
        }
        for (field, value) in [
            ("srcPrefix", &stmt.src_prefix),
            ("dstPrefix", &stmt.dst_prefix),
        ] {
            let (required, invalid) = if field == "srcPrefix" {
                (
                    "external-attachment.acl.src-prefix-required",
                    "external-attachment.acl.src-prefix-invalid",
                )
            } else {
                (
                    "external-attachment.acl.dst-prefix-required",
                    "external-attachment.acl.dst-prefix-invalid",
                )
            };
            if value.is_empty() {
                err(
                    required,
                    field,
                    format!("{field} is required in statement {seq}"),
                );
            } else if value != ACL_ANY && parse_cidr(value).is_none() {
                err(
                    invalid,
                    field,
                    format!("invalid {field} {} in statement {seq}", go_quote(value)),
                );
            }
        }
        if let Some(filters) = &stmt.tcp_filters {
            if protocol_known && stmt.protocol != AclProtocol::Tcp {
                err(
                    "external-attachment.acl.tcp-filters-protocol",
                    "tcpFilters",
                    format!("tcpFilters can only be used with tcp protocol in statement {seq}"),
                );
            }
            let pairs = flag_pairs(filters);
            if filters.established && pairs.iter().any(|(flag, not)| *flag || *not) {
                err(
                    "external-attachment.acl.tcp-established-exclusive",
                    "tcpFilters",
                    format!(
                        "established is mutually exclusive with individual TCP flags in statement {seq}"
                    ),
                );
            }
            if pairs.iter().any(|(flag, not)| *flag && *not) {
                err(
                    "external-attachment.acl.tcp-flags-contradictory",
                    "tcpFilters",
                    format!("contradictory TCP flags (flag and its negation) in statement {seq}"),
                );
            }
        }
        if protocol_known
            && (stmt.icmp_type.is_some() || stmt.icmp_code.is_some())
            && stmt.protocol != AclProtocol::Icmp
        {
            err(
                "external-attachment.acl.icmp-protocol",
                "",
                format!("icmpType/icmpCode can only be used with icmp protocol in statement {seq}"),
            );
        }
        validate_ports(stmt, protocol_known, &mut err);
    }
}

fn validate_ports(
    stmt: &AclStatement,
    protocol_known: bool,
    err: &mut impl FnMut(&'static str, &str, String),
) {
    let (begin, end, seq) = (stmt.port_range_begin, stmt.port_range_end, stmt.seq);
    if begin == 0 && end == 0 {
        return;
    }
    if protocol_known && !matches!(stmt.protocol, AclProtocol::Tcp | AclProtocol::Udp) {
        err(
            "external-attachment.acl.port-range-protocol",
            "",
            format!("portRange can only be used with tcp or udp protocol in statement {seq}"),
        );
    }
    if begin == 0 {
        err(
            "external-attachment.acl.port-range-begin-zero",
            "portRangeBegin",
            format!("portRangeBegin must be >= 1 in statement {seq}"),
        );
    } else if begin > end {
        err(
            "external-attachment.acl.port-range-order",
            "portRangeBegin",
            format!("portRangeBegin must be <= portRangeEnd in statement {seq}"),
        );
    }
}

/// Each TCP flag with its negation.
fn flag_pairs(f: &AclTcpFilters) -> [(bool, bool); 6] {
    [
        (f.fin, f.not_fin),
        (f.syn, f.not_syn),
        (f.rst, f.not_rst),
        (f.psh, f.not_psh),
        (f.ack, f.not_ack),
        (f.urg, f.not_urg),
    ]
}
