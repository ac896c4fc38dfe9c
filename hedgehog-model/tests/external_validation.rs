//! Validation of External (rules 20–22), ExternalAttachment (23–26, with every ACL
//! statement rule) and ExternalPeering (27).

mod vpc_support;

use vpc_support::*;

fn external(name: &str, spec: &str) -> String {
    format!(
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: External\nmetadata:\n  name: {name}\nspec:\n{}",
        indent(spec, 2)
    )
}

#[test]
fn rule20_external_name() {
    assert_valid(&external(
        "ext-1",
        "inboundCommunity: 65102:5000\noutboundCommunity: 50000:50001",
    ));
    assert_one(
        &external("external-123", "{}"),
        "meta.name-too-long",
        "metadata.name",
        "name external-123 is too long, must be <= 11 characters",
    );
}

#[test]
fn rule21_communities() {
    assert_valid(&external("ext-1", "inboundCommunity: \"0:65535\""));
    assert_one(
        &external("ext-1", "inboundCommunity: \"65536:1\""),
        "external.inbound-community.invalid",
        "spec.inboundCommunity",
        "inboundCommunity 65536:1 is not a valid community, example 50000:50001",
    );
    assert_one(
        &external("ext-1", "outboundCommunity: \"050:1\""),
        "external.outbound-community.invalid",
        "spec.outboundCommunity",
        "outboundCommunity 050:1 is not a valid community, example 50000:50001",
    );
}

#[test]
fn rule22_static_external() {
    assert_valid(&external(
        "ext-1",
        "static:\n  prefixes: [10.100.0.0/16, 10.200.0.0/16]",
    ));
    assert_one(
        &external(
            "ext-1",
            "inboundCommunity: \"1:1\"\nstatic:\n  prefixes: [10.100.0.0/16]",
        ),
        "external.static.communities-set",
        "spec.inboundCommunity",
        "inboundCommunity and outboundCommunity must be empty when static configuration is present",
    );
    assert_one(
        &external("ext-1", "static: {}"),
        "external.static.prefixes-required",
        "spec.static.prefixes",
        "at least one prefix must be specified for static externals",
    );
    assert_one(
        &external("ext-1", "static:\n  prefixes: [10.100.0.0/16, 10.200.0.0]"),
        "external.static.prefix-invalid",
        "spec.static.prefixes[1]",
        "invalid prefix 10.200.0.0 in static external configuration: netip.ParsePrefix(\"10.200.0.0\"): no '/'",
    );
    assert_one(
        &external(
            "ext-1",
            "static:\n  prefixes: [10.100.0.0/16, 10.100.7.1/24]",
        ),
        "external.static.prefix-overlap",
        "spec.static.prefixes[1]",
        "static prefixes 10.100.0.0/16 and 10.100.7.1/24 overlap with each other",
    );
}

fn attachment(spec: &str) -> String {
    format!(
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: ExternalAttachment\nmetadata:\n  name: ea-1\nspec:\n{}",
        indent(spec, 2)
    )
}

const BGP: &str = "external: ext-1\nconnection: leaf-1--external\nswitch: {vlan: 100, ip: 10.99.0.1/31}\nneighbor: {asn: 65100, ip: 10.99.0.0}";
const STATIC: &str =
    "external: ext-1\nconnection: leaf-1--static-external\nswitch: {}\nneighbor: {}";

#[test]
fn rule23_external_and_connection_required() {
    assert_valid(&attachment(BGP));
    assert_one(
        &attachment(&BGP.replace("external: ext-1\n", "")),
        "external-attachment.external.required",
        "spec.external",
        "external is required",
    );
    assert_one(
        &attachment(&BGP.replace("connection: leaf-1--external\n", "")),
        "external-attachment.connection.required",
        "spec.connection",
        "connection is required",
    );
}

#[test]
fn rule24_bgp_attachment() {
    let with = |switch: &str, neighbor: &str| {
        attachment(&format!(
            "external: ext-1\nconnection: c1\nswitch: {switch}\nneighbor: {neighbor}"
        ))
    };
    let neighbor = "{asn: 65100, ip: 10.99.0.0}";
    // net.ParseCIDR accepts leading zeros in the length.
    assert_valid(&with("{ip: 10.99.0.1/031}", neighbor));
    assert_one(
        &with("{}", neighbor),
        "external-attachment.switch.ip-required",
        "spec.switch.ip",
        "switch.ip is required",
    );
    assert_one(
        &with("{ip: 10.99.0.1}", neighbor),
        "external-attachment.switch.ip-invalid",
        "spec.switch.ip",
        "switch.ip is not a valid IP CIDR",
    );
    let switch = "{ip: 10.99.0.1/31}";
    assert_one(
        &with(switch, "{ip: 10.99.0.0}"),
        "external-attachment.neighbor.asn-required",
        "spec.neighbor.asn",
        "neighbor.asn is required",
    );
    assert_one(
        &with(switch, "{asn: 65100}"),
        "external-attachment.neighbor.ip-required",
        "spec.neighbor.ip",
        "neighbor.ip is required",
    );
    assert_one(
        &with(switch, "{asn: 65100, ip: 10.99.0.0/31}"),
        "external-attachment.neighbor.ip-invalid",
        "spec.neighbor.ip",
        "neighbor.ip is not a valid IP address",
    );
}

#[test]
fn rule25_static_attachment() {
    let with = |extra: &str| attachment(&format!("{STATIC}\nstatic: {extra}"));
    assert_valid(&with("{remoteIP: 10.99.0.2, ip: 10.99.0.1/24, vlan: 10}"));
    assert_valid(&with("{remoteIP: 10.99.0.2, proxy: true}"));
    assert_one(
        &attachment(
            "external: ext-1\nconnection: c1\nswitch: {vlan: 5}\nneighbor: {}\nstatic: {remoteIP: 10.99.0.2, proxy: true}",
        ),
        "external-attachment.switch.set-for-static",
        "spec.switch",
        "switch parameters must not be set for static external attachment",
    );
    assert_one(
        &attachment(
            "external: ext-1\nconnection: c1\nswitch: {}\nneighbor: {asn: 1}\nstatic: {remoteIP: 10.99.0.2, proxy: true}",
        ),
        "external-attachment.neighbor.set-for-static",
        "spec.neighbor",
        "neighbor parameters must not be set for static external attachment",
    );
    assert_one(
        &with("{proxy: true}"),
        "external-attachment.static.remote-ip-required",
        "spec.static.remoteIP",
        "static.remoteIP is required for static external attachment",
    );
    assert_one(
        &with("{remoteIP: 10.99.0.2/24, proxy: true}"),
        "external-attachment.static.remote-ip-invalid",
        "spec.static.remoteIP",
        "static.remoteIP is not a valid IP address",
    );
    for both_or_neither in [
        "{remoteIP: 10.99.0.2}",
        "{remoteIP: 10.99.0.2, ip: 10.99.0.1/24, proxy: true}",
    ] {
        assert_one(
            &with(both_or_neither),
            "external-attachment.static.ip-or-proxy",
            "spec.static",
            "either static.ip or static.proxy must be set for static external attachment",
        );
    }
    assert_one(
        &with("{remoteIP: 10.99.0.2, ip: 10.99.0.1}"),
        "external-attachment.static.ip-invalid",
        "spec.static.ip",
        "static.ip is not a valid IP CIDR",
    );
}

/// An attachment whose inbound ACL has one statement with `fields` (flow YAML body).
fn acl(fields: &str) -> String {
    attachment(&format!(
        "{BGP}\ninboundACL:\n  statements:\n  - {{{fields}}}"
    ))
}

const OK_STMT: &str =
    "seq: 10, action: permit, protocol: tcp, srcPrefix: any, dstPrefix: 10.0.0.0/8";

fn assert_acl(fields: &str, code: &str, field: &str, message: &str) {
    let path = if field.is_empty() {
        "spec.inboundACL.statements[0]".to_owned()
    } else {
        format!("spec.inboundACL.statements[0].{field}")
    };
    assert_one(
        &acl(fields),
        &format!("external-attachment.acl.{code}"),
        &path,
        &format!("invalid inboundACL: {message}"),
    );
}

#[test]
fn rule26_acl_statements_valid() {
    assert_valid(&acl(OK_STMT));
    assert_valid(&acl(&format!(
        "{OK_STMT}, portRangeBegin: 80, portRangeEnd: 443, tcpFilters: {{syn: true, notAck: true}}"
    )));
    assert_valid(&acl(&format!(
        "{OK_STMT}, tcpFilters: {{established: true}}"
    )));
    assert_valid(&acl(
        "seq: 20, action: deny, protocol: icmp, srcPrefix: 10.0.0.0/8, dstPrefix: any, icmpType: 8, icmpCode: 0",
    ));
    assert_valid(&acl(
        "seq: 20, action: transit, protocol: udp, srcPrefix: any, dstPrefix: any, portRangeBegin: 53, portRangeEnd: 53",
    ));
}

#[test]
fn rule26_acl_statement_errors() {
    assert_acl(
        &OK_STMT.replace("seq: 10", "seq: 9"),
        "seq-reserved",
        "seq",
        "sequence number 9 is reserved for security rules (user-defined rules must use seq >= 10)",
    );
    assert_acl(
        &OK_STMT.replace("permit", "allow"),
        "action-invalid",
        "action",
        "invalid action \"allow\" in statement 10",
    );
    assert_acl(
        &OK_STMT.replace("tcp", "sctp"),
        "protocol-invalid",
        "protocol",
        "invalid protocol \"sctp\" in statement 10",
    );
    assert_acl(
        &OK_STMT.replace("srcPrefix: any, ", ""),
        "src-prefix-required",
        "srcPrefix",
        "srcPrefix is required in statement 10",
    );
    assert_acl(
        &OK_STMT.replace("srcPrefix: any", "srcPrefix: ANY"),
        "src-prefix-invalid",
        "srcPrefix",
        "invalid srcPrefix \"ANY\" in statement 10",
    );
    assert_acl(
        &OK_STMT.replace(", dstPrefix: 10.0.0.0/8", ""),
        "dst-prefix-required",
        "dstPrefix",
        "dstPrefix is required in statement 10",
    );
    assert_acl(
        &OK_STMT.replace("10.0.0.0/8", "10.0.0.0"),
        "dst-prefix-invalid",
        "dstPrefix",
        "invalid dstPrefix \"10.0.0.0\" in statement 10",
    );
    assert_acl(
        &format!(
            "{}, tcpFilters: {{syn: true}}",
            OK_STMT.replace("tcp", "udp")
        ),
        "tcp-filters-protocol",
        "tcpFilters",
        "tcpFilters can only be used with tcp protocol in statement 10",
    );
    assert_acl(
        &format!("{OK_STMT}, tcpFilters: {{established: true, rst: true}}"),
        "tcp-established-exclusive",
        "tcpFilters",
        "established is mutually exclusive with individual TCP flags in statement 10",
    );
    assert_acl(
        &format!("{OK_STMT}, tcpFilters: {{urg: true, notUrg: true}}"),
        "tcp-flags-contradictory",
        "tcpFilters",
        "contradictory TCP flags (flag and its negation) in statement 10",
    );
    assert_acl(
        &format!("{OK_STMT}, icmpCode: 0"),
        "icmp-protocol",
        "",
        "icmpType/icmpCode can only be used with icmp protocol in statement 10",
    );
    assert_acl(
        &format!(
            "{}, portRangeBegin: 80, portRangeEnd: 80",
            OK_STMT.replace("tcp", "ip")
        ),
        "port-range-protocol",
        "",
        "portRange can only be used with tcp or udp protocol in statement 10",
    );
    // The missing begin also fails its own check.
    let diags = check(&acl(&format!("{OK_STMT}, portRangeEnd: 80")));
    assert_eq!(
        triples(&diags),
        vec![(
            "external-attachment.acl.port-range-begin-zero",
            "spec.inboundACL.statements[0].portRangeBegin".into(),
            "invalid inboundACL: portRangeBegin must be >= 1 in statement 10".into()
        )]
    );
    assert_acl(
        &format!("{OK_STMT}, portRangeBegin: 90, portRangeEnd: 80"),
        "port-range-order",
        "portRangeBegin",
        "portRangeBegin must be <= portRangeEnd in statement 10",
    );
}

#[test]
fn rule26_duplicate_sequence_numbers_and_all_statements_checked() {
    let yaml = attachment(&format!(
        "{BGP}\ninboundACL:\n  statements:\n  - {{{OK_STMT}}}\n  - {{{OK_STMT}}}\n  - {{{}}}",
        OK_STMT
            .replace("seq: 10", "seq: 30")
            .replace("permit", "drop")
    ));
    assert_eq!(
        triples(&check(&yaml)),
        vec![
            (
                "external-attachment.acl.seq-duplicate",
                "spec.inboundACL.statements[1].seq".into(),
                "invalid inboundACL: duplicate sequence number 10".into()
            ),
            (
                "external-attachment.acl.action-invalid",
                "spec.inboundACL.statements[2].action".into(),
                "invalid inboundACL: invalid action \"drop\" in statement 30".into()
            ),
        ]
    );
}

fn ext_peering(permit: &str) -> String {
    format!(
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: ExternalPeering\nmetadata:\n  name: vpc-1--ext-1\nspec:\n  permit:\n{}",
        indent(permit, 4)
    )
}

#[test]
fn rule27_external_peering() {
    assert_valid(&ext_peering(
        "vpc: {name: vpc-1, subnets: [default]}\nexternal: {name: ext-1, prefixes: [{prefix: 0.0.0.0/0}]}",
    ));
    assert_one(
        &ext_peering("vpc: {subnets: [default]}\nexternal: {name: ext-1}"),
        "external-peering.vpc.name-required",
        "spec.permit.vpc.name",
        "vpc.name is required",
    );
    assert_one(
        &ext_peering("vpc: {name: vpc-1}\nexternal: {prefixes: [{prefix: 0.0.0.0/0}]}"),
        "external-peering.external.name-required",
        "spec.permit.external.name",
        "external.name is required",
    );
    assert_one(
        &ext_peering(
            "vpc: {name: vpc-1}\nexternal: {name: ext-1, prefixes: [{prefix: 0.0.0.0/0}, {}]}",
        ),
        "external-peering.external.prefix-required",
        "spec.permit.external.prefixes[0].prefix",
        "external.prefixes.prefix is required",
    );
}

#[test]
fn every_independent_attachment_mistake_is_reported() {
    let yaml = attachment(
        "switch: {ip: 10.99.0.1}\nneighbor: {ip: nope}\ninboundACL:\n  statements:\n  - {seq: 1, action: permit, protocol: icmp, srcPrefix: any, dstPrefix: any, portRangeBegin: 5, portRangeEnd: 1}",
    );
    let codes: Vec<&str> = check(&yaml).iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        vec![
            "external-attachment.external.required",
            "external-attachment.connection.required",
            "external-attachment.switch.ip-invalid",
            "external-attachment.neighbor.asn-required",
            "external-attachment.neighbor.ip-invalid",
            "external-attachment.acl.seq-reserved",
            "external-attachment.acl.port-range-protocol",
            "external-attachment.acl.port-range-order",
        ]
    );
}
