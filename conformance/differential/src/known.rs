//! Known differences: disagreements that are deliberate (listed in the README's "Differences
//! from upstream") or come from upstream quirks. Each is pinned by a test in this module.

use hedgehog_model::{Diagnostic, ValidationReport};

use crate::compare::{Errors, Verdict};

/// A deliberate difference or upstream quirk that explains a disagreement.
#[derive(Debug)]
pub struct Known {
    /// Short stable name, used in reports.
    pub id: &'static str,
    /// Why the programs differ.
    pub reason: &'static str,
    applies: fn(&Seen<'_>) -> bool,
}

/// What a known difference may look at: one object's errors on both sides, and both reports.
pub struct Seen<'a> {
    /// `Kind/namespace/name`.
    pub key: &'a str,
    /// The verdict.
    pub verdict: &'a Verdict,
    /// The object's errors.
    pub errors: &'a Errors,
    /// Our whole report.
    pub ours: &'a ValidationReport,
}

impl Seen<'_> {
    fn kind(&self) -> &str {
        self.key.split('/').next().unwrap_or("")
    }

    fn name(&self) -> &str {
        self.key.rsplit('/').next().unwrap_or("")
    }

    /// Upstream's messages that are compared by text.
    fn upstream_messages(&self) -> impl Iterator<Item = &str> {
        self.errors
            .upstream
            .iter()
            .filter(|d| d.code == "upstream.validate")
            .map(|d| d.message.as_str())
    }

    /// Whether we report an error with a code starting with `code` on `kind`/`name`.
    fn ours_has(&self, kind: &str, name: &str, code: &str) -> bool {
        self.ours.diagnostics.iter().any(|d: &Diagnostic| {
            d.is_error()
                && d.code.starts_with(code)
                && d.object
                    .as_ref()
                    .is_some_and(|k| k.kind == kind && k.name == name)
        })
    }
}

/// Every known difference.
pub static KNOWN: &[Known] = &[
    Known {
        id: "connection-endpoints-everywhere",
        reason: "upstream's Connection.Validate asks every other connection for its endpoints \
                 (to find reused ports) and fails when any one of them is invalid, and a \
                 VPCAttachment fails with its invalid connection; we report the invalid \
                 connection once, on itself",
        applies: endpoints_everywhere,
    },
    Known {
        id: "switch-port-mapping-on-switch",
        reason: "a switch whose breakouts its profile does not support: upstream also fails \
                 every connection of that switch (it cannot map the switch's ports); we \
                 report the breakout once, on the switch",
        applies: |s| {
            let mut messages = s.upstream_messages().peekable();
            messages.peek().is_some()
                && messages.all(|m| {
                    m.strip_prefix("failed to get NOS port mapping for switch ")
                        .and_then(|rest| rest.split_once(": "))
                        .is_some_and(|(switch, _)| s.ours_has("Switch", switch, ""))
                })
        },
    },
    Known {
        id: "builtin-profile-redefined",
        reason: "hhfab silently replaces a redefined built-in SwitchProfile by its own; we \
                 refuse it as the admission webhook does (default switch profiles are immutable)",
        applies: |s| {
            *s.verdict == Verdict::OnlyOurs
                && s.errors
                    .ours
                    .iter()
                    .any(|d| d.code == "fabric.switchprofile.default-immutable")
        },
    },
    Known {
        id: "go-map-order",
        reason: "upstream ranges over Go maps (VPC subnets, profile ports, the switches of a \
                 connection, static leases) and returns the first problem it meets, so with \
                 several the one it names varies between runs; we check map entries in name \
                 order and report them all. Compared by rule: our message of the same rule, \
                 naming other entries",
        applies: |s| {
            *s.verdict == Verdict::MessageMissing
                && s.upstream_messages().all(|m| {
                    MAP_ORDER_RULES.iter().any(|rule| {
                        let rule = regex(rule);
                        rule.is_match(m) && s.errors.ours.iter().any(|d| rule.is_match(&d.message))
                    })
                })
        },
    },
    Known {
        id: "vpc-subnet-parse-everywhere",
        reason: "upstream's VPC.Validate parses the subnets of every other VPC (to find \
                 overlaps) and fails every VPC when one subnet does not parse; we report the \
                 subnet once, on its VPC",
        applies: |s| {
            let mut messages = s.upstream_messages().peekable();
            messages.peek().is_some()
                && messages.all(|m| {
                    m.strip_prefix("failed to parse subnet ")
                        .and_then(|rest| rest.split_once(": "))
                        .is_some_and(|(subnet, _)| {
                            // An empty subnet is "missing subnet" on its own VPC.
                            let ours = if subnet.is_empty() {
                                ": missing subnet".to_owned()
                            } else {
                                format!("failed to parse subnet {subnet}:")
                            };
                            s.ours.diagnostics.iter().any(|d| {
                                d.is_error() && d.message.contains(&ours) && key_name(d) != s.name()
                            })
                        })
                })
        },
    },
    Known {
        id: "undecodable-object-missing",
        reason: "upstream's loader drops a document that does not decode, so objects naming it \
                 fail with `… not found`; we report the decoding problem on the object itself",
        applies: |s| {
            let mut messages = s.upstream_messages().peekable();
            messages.peek().is_some()
                && messages.all(|m| {
                    m.ends_with(" not found")
                        && s.ours.diagnostics.iter().any(|d| {
                            d.is_error()
                                && d.code.starts_with("decode.")
                                && d.object
                                    .as_ref()
                                    .is_some_and(|k| m.split(' ').any(|w| w == k.name))
                        })
                })
        },
    },
    Known {
        id: "nameless-object",
        reason: "upstream's fake client refuses an object without a name, so nothing \
                 conflicts with it; we keep it (reporting the missing name) and find the ports \
                 it shares with other connections",
        applies: |s| {
            *s.verdict == Verdict::OnlyOurs
                && s.errors
                    .ours
                    .iter()
                    .all(|d| d.message.ends_with("is already used by other connection "))
        },
    },
    Known {
        id: "crd-schema",
        reason: "we check the CRD schema as the API server would; hhfab's loader and the \
                 fake client do not",
        applies: |s| {
            *s.verdict == Verdict::OnlyOurs
                && s.errors.ours.iter().all(|d| d.code.starts_with("schema."))
        },
    },
    Known {
        id: "vlan-namespace-invalid-ranges-kept",
        reason: "our VLANNamespace defaulting keeps invalid ranges so that validation reports \
                 them; upstream's Default() empties them, which makes the namespace valid and \
                 every VPC VLAN outside it",
        applies: invalid_vlan_ranges,
    },
];

/// Upstream fails this object because of another connection's endpoints, which we report.
fn endpoints_everywhere(s: &Seen<'_>) -> bool {
    let mut messages = s.upstream_messages().peekable();
    messages.peek().is_some()
        && messages.all(|m| {
            m.strip_prefix("failed to get endpoints for connection ")
                .and_then(|rest| rest.split_once(": "))
                .is_some_and(|(other, _)| {
                    (s.kind() != "Connection" || other != s.name())
                        && s.ours_has("Connection", other, "")
                })
        })
}

/// Upstream's messages whose naming depends on the order in which a Go map was ranged over:
/// a duplicate or conflict found at whichever entry came second. (Rules checked entry by
/// entry are not here: we report every entry, so upstream's message must be among ours.)
const MAP_ORDER_RULES: &[&str] = &[
    r#"^port "[^"]+" (NOS name|base NOS name|label) "[^"]+" is duplicated$"#,
    r#"^NOS port "[^"]+" is duplicated$"#,
    r"^all switches in ESLAG connection should belong to the same redundancy (group|type), found \S+ in \S*$",
    r"^failed to verify no overlap subnets: subnets \S+ and \S+ overlap$",
    r"^subnet \S+ overlaps with subnet \S+ of VPC \S+$",
    r"^subnet \S+: static IP \S+ is already assigned to another MAC address$",
];

fn regex(pattern: &str) -> regex::Regex {
    regex::Regex::new(pattern).expect("known patterns compile")
}

fn key_name(d: &Diagnostic) -> &str {
    d.object.as_ref().map_or("", |k| k.name.as_str())
}

/// The VLANNamespace's invalid ranges, on it (ours) or on its VPCs (upstream).
fn invalid_vlan_ranges(s: &Seen<'_>) -> bool {
    const INVALID: &str = "vlan-namespace.ranges.invalid";
    match (s.kind(), s.verdict) {
        ("VLANNamespace", Verdict::OnlyOurs) => s.errors.ours.iter().all(|d| d.code == INVALID),
        ("VPC", Verdict::OnlyUpstream | Verdict::MessageMissing) => {
            let mut messages = s.upstream_messages().peekable();
            messages.peek().is_some()
                && messages.all(|m| {
                    m.rsplit_once(" doesn't belong to the VLANNamespace ")
                        .is_some_and(|(_, ns)| s.ours_has("VLANNamespace", ns, INVALID))
                })
        }
        _ => false,
    }
}

/// The known difference that explains this disagreement, if any.
pub fn explain(seen: &Seen<'_>) -> Option<&'static Known> {
    KNOWN.iter().find(|k| (k.applies)(seen))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::compare;
    use hedgehog_model::{Kind, ObjectKey};

    fn err(code: &'static str, kind: Kind, name: &str, message: &str) -> Diagnostic {
        Diagnostic::error(code, message).with_object(ObjectKey::new(kind, "default", name))
    }

    fn known_ids(
        ours: Vec<Diagnostic>,
        upstream: Vec<Diagnostic>,
    ) -> Vec<(String, Option<&'static str>)> {
        compare(
            &ValidationReport::new(9, ours),
            &ValidationReport::new(9, upstream),
        )
        .results
        .into_iter()
        .map(|r| (r.key, r.known.map(|k| k.id)))
        .collect()
    }

    #[test]
    fn an_invalid_connection_fails_every_other_upstream() {
        let got = known_ids(
            vec![err(
                "connection.port.invalid",
                Kind::Connection,
                "bad",
                "invalid port name /E1/4",
            )],
            vec![
                err(
                    "upstream.validate",
                    Kind::Connection,
                    "bad",
                    "invalid port name /E1/4, should be \"<device>/<port>\" format",
                ),
                err(
                    "upstream.validate",
                    Kind::Connection,
                    "good",
                    "failed to get endpoints for connection bad: invalid port name /E1/4",
                ),
                err(
                    "upstream.validate",
                    Kind::VpcAttachment,
                    "att",
                    "failed to get endpoints for connection bad: invalid port name /E1/4",
                ),
                err(
                    "upstream.validate",
                    Kind::VpcAttachment,
                    "other",
                    "failed to get endpoints for connection fine: x",
                ),
            ],
        );
        assert_eq!(
            got,
            vec![
                ("Connection/default/bad".to_owned(), None),
                (
                    "Connection/default/good".to_owned(),
                    Some("connection-endpoints-everywhere")
                ),
                (
                    "VPCAttachment/default/att".to_owned(),
                    Some("connection-endpoints-everywhere")
                ),
                ("VPCAttachment/default/other".to_owned(), None),
            ]
        );
    }

    #[test]
    fn a_switch_with_a_bad_breakout_fails_its_connections_upstream() {
        let got = known_ids(
            vec![err(
                "fabric.switch.port-breakout",
                Kind::Switch,
                "spine-01",
                "port E1/49 does not support specified breakout 3x25G",
            )],
            vec![
                err(
                    "upstream.validate",
                    Kind::Switch,
                    "spine-01",
                    "port E1/49 does not support specified breakout 3x25G",
                ),
                err(
                    "upstream.validate",
                    Kind::Connection,
                    "c",
                    "failed to get NOS port mapping for switch spine-01: port \"E1/49\" has a breakout \"3x25G\" not supported by profile \"QSFP28-100G\"",
                ),
            ],
        );
        assert_eq!(
            got,
            vec![
                (
                    "Connection/default/c".to_owned(),
                    Some("switch-port-mapping-on-switch")
                ),
                ("Switch/default/spine-01".to_owned(), None),
            ]
        );
    }

    #[test]
    fn a_redefined_builtin_profile_is_refused_here_and_replaced_upstream() {
        let got = known_ids(
            vec![err(
                "fabric.switchprofile.default-immutable",
                Kind::SwitchProfile,
                "vs",
                "default switch profiles are immutable",
            )],
            vec![],
        );
        assert_eq!(
            got,
            vec![(
                "SwitchProfile/default/vs".to_owned(),
                Some("builtin-profile-redefined")
            )]
        );
    }

    #[test]
    fn go_map_order_is_compared_by_shape() {
        let got = known_ids(
            vec![
                err(
                    "p",
                    Kind::SwitchProfile,
                    "custom",
                    "port \"E1/2\" NOS name \"Ethernet0\" is duplicated",
                ),
                err("v", Kind::Vpc, "vpc-01", "subnet a: vlan is required"),
                err(
                    "v",
                    Kind::Vpc,
                    "vpc-02",
                    "failed to verify no overlap subnets: subnets b and a overlap",
                ),
            ],
            vec![
                err(
                    "upstream.validate",
                    Kind::SwitchProfile,
                    "custom",
                    "port \"E1/1\" NOS name \"Ethernet0\" is duplicated",
                ),
                err(
                    "upstream.validate",
                    Kind::Vpc,
                    "vpc-01",
                    "subnet b: gateway is required",
                ),
                err(
                    "upstream.validate",
                    Kind::Vpc,
                    "vpc-02",
                    "failed to verify no overlap subnets: subnets a and b overlap",
                ),
            ],
        );
        assert_eq!(
            got,
            vec![
                (
                    "SwitchProfile/default/custom".to_owned(),
                    Some("go-map-order")
                ),
                ("VPC/default/vpc-01".to_owned(), None),
                ("VPC/default/vpc-02".to_owned(), Some("go-map-order")),
            ]
        );
    }

    #[test]
    fn an_unparsable_subnet_fails_every_vpc_upstream() {
        let bad = "failed to parse subnet 10.0.5.0: netip.ParsePrefix(\"10.0.5.0\"): no '/'";
        let got = known_ids(
            vec![
                err(
                    "vpc.subnet.invalid",
                    Kind::Vpc,
                    "vpc-05",
                    &format!("subnet s: {bad}"),
                ),
                err(
                    "vpc.subnet.required",
                    Kind::Vpc,
                    "vpc-04",
                    "subnet t: missing subnet",
                ),
            ],
            vec![
                err(
                    "upstream.validate",
                    Kind::Vpc,
                    "vpc-05",
                    &format!("subnet s: {bad}"),
                ),
                err("upstream.validate", Kind::Vpc, "vpc-01", bad),
                err(
                    "upstream.validate",
                    Kind::Vpc,
                    "vpc-02",
                    "failed to parse subnet x: no '/'",
                ),
                err(
                    "upstream.validate",
                    Kind::Vpc,
                    "vpc-03",
                    "failed to parse subnet : no '/'",
                ),
                err(
                    "upstream.validate",
                    Kind::Vpc,
                    "vpc-04",
                    "failed to parse subnet : no '/'",
                ),
            ],
        );
        assert_eq!(
            got,
            vec![
                (
                    "VPC/default/vpc-01".to_owned(),
                    Some("vpc-subnet-parse-everywhere")
                ),
                ("VPC/default/vpc-02".to_owned(), None),
                (
                    "VPC/default/vpc-03".to_owned(),
                    Some("vpc-subnet-parse-everywhere")
                ),
                ("VPC/default/vpc-04".to_owned(), None),
                ("VPC/default/vpc-05".to_owned(), None),
            ]
        );
    }

    #[test]
    fn an_undecodable_object_is_missing_upstream() {
        let got = known_ids(
            vec![err(
                "decode.invalid-value",
                Kind::Connection,
                "c1",
                "invalid type: sequence",
            )],
            vec![
                err(
                    "upstream.load.decode",
                    Kind::Connection,
                    "c1",
                    "object 3: decoding: json: cannot unmarshal array",
                ),
                err(
                    "upstream.validate",
                    Kind::VpcAttachment,
                    "a",
                    "connection c1 not found",
                ),
                err(
                    "upstream.validate",
                    Kind::VpcAttachment,
                    "b",
                    "connection c2 not found",
                ),
            ],
        );
        assert_eq!(
            got,
            vec![
                ("Connection/default/c1".to_owned(), None),
                (
                    "VPCAttachment/default/a".to_owned(),
                    Some("undecodable-object-missing")
                ),
                ("VPCAttachment/default/b".to_owned(), None),
            ]
        );
    }

    #[test]
    fn a_nameless_connection_conflicts_only_here() {
        let got = known_ids(
            vec![err(
                "fabric.connection.port-in-use",
                Kind::Connection,
                "c",
                "port leaf-01/E1/3 is already used by other connection ",
            )],
            vec![],
        );
        assert_eq!(
            got,
            vec![("Connection/default/c".to_owned(), Some("nameless-object"))]
        );
    }

    #[test]
    fn schema_errors_are_ours_alone() {
        let got = known_ids(
            vec![
                err(
                    "schema.min-items",
                    Kind::Connection,
                    "c",
                    "spec.mclag.links should have at least 2 items",
                ),
                err("schema.enum", Kind::Switch, "s", "Unsupported value"),
                err("switch.asn.required", Kind::Switch, "s", "ASN is required"),
            ],
            vec![],
        );
        assert_eq!(
            got,
            vec![
                ("Connection/default/c".to_owned(), Some("crd-schema")),
                ("Switch/default/s".to_owned(), None),
            ]
        );
    }

    #[test]
    fn invalid_vlan_ranges_are_reported_on_the_namespace_not_on_its_vpcs() {
        let got = known_ids(
            vec![err(
                "vlan-namespace.ranges.invalid",
                Kind::VlanNamespace,
                "default",
                "invalid ranges: invalid range 0: to < 1 || to > 4094",
            )],
            vec![
                err(
                    "upstream.validate",
                    Kind::Vpc,
                    "vpc-01",
                    "vpc subnet default (10.0.0.0/24) vlan 1000 doesn't belong to the VLANNamespace default",
                ),
                err(
                    "upstream.validate",
                    Kind::Vpc,
                    "vpc-02",
                    "vpc subnet default (10.0.0.0/24) vlan 1000 doesn't belong to the VLANNamespace other",
                ),
            ],
        );
        assert_eq!(
            got,
            vec![
                (
                    "VLANNamespace/default/default".to_owned(),
                    Some("vlan-namespace-invalid-ranges-kept")
                ),
                (
                    "VPC/default/vpc-01".to_owned(),
                    Some("vlan-namespace-invalid-ranges-kept")
                ),
                ("VPC/default/vpc-02".to_owned(), None),
            ]
        );
    }
}
