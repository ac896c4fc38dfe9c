//! Fabrics shaped as operators write them, for benchmarks: labels on every object,
//! descriptions, VPCs with several subnets (DHCP ranges and a hostBGP subnet), servers on
//! unbundled and bundled connections, several attachments per server, VPC peerings,
//! externals with attachments and peerings. Hydrate them and render them with headers for
//! the block YAML with `#` kind headers that hhfab and NetBox exports have (about 400 bytes
//! per object).
//!
//! Limits that keep every generated fabric valid with hhfab's default FabricConfig: at most
//! 433 leaves (the leaf ASN range), 40 servers per leaf (45 ports; every eighth server is
//! bundled over two), and at most 600 VPCs of three VLAN subnets each (1800 of the 2000 VLANs
//! of the `default` VLANNamespace).

use serde_json::{Value, json};

use super::{Builder, link};
use crate::Object;

/// Servers on each leaf.
const SERVERS_PER_LEAF: usize = 40;
/// VPC attachments of each server connection, each to another VPC.
const ATTACHMENTS: usize = 4;
/// VLAN subnets of each VPC (each VPC also has one hostBGP subnet).
const VLAN_SUBNETS: usize = 3;
/// Externals, each on its own border leaf (port E1/46).
const EXTERNALS: usize = 4;

/// The shape of a [`realistic`] fabric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Shape {
    leaves: usize,
    vpcs: usize,
}

impl Shape {
    /// About `objects` objects: per leaf one switch, two fabric connections and 40 servers with
    /// a connection and four attachments each (243 objects); VPCs with a peering each.
    fn about(objects: usize) -> Shape {
        let per_leaf = 3 + SERVERS_PER_LEAF * (2 + ATTACHMENTS);
        let vpcs = (objects / 160).clamp(ATTACHMENTS, 600);
        let rest = objects.saturating_sub(2 * vpcs + 3 * EXTERNALS);
        Shape {
            leaves: (rest / per_leaf).clamp(EXTERNALS, 433),
            vpcs,
        }
    }

    fn spines(self) -> usize {
        2 * self.leaves.div_ceil(48)
    }
}

/// A valid, un-hydrated fabric of about `objects` objects (from ~1 000 to ~105 000) shaped
/// as operators write them (see the module docs).
pub fn realistic(objects: usize) -> Vec<Object> {
    let shape = Shape::about(objects);
    let mut b = Builder::default();
    b.default_namespaces("10.0.0.0/8");
    switches(&mut b, shape);
    vpcs(&mut b, shape);
    servers(&mut b, shape);
    externals(&mut b, shape);
    for (i, object) in b.objects.iter_mut().enumerate() {
        object["metadata"]["labels"] = labels(i);
    }
    b.into_objects()
}

/// The labels a NetBox export puts on every object.
fn labels(i: usize) -> Value {
    json!({
        "app.kubernetes.io/managed-by": "netbox",
        "netbox.example.com/object-id": (100_000 + i).to_string(),
        "netbox.example.com/region": "eu-west",
        "netbox.example.com/site": "ams-dc1",
        "netbox.example.com/tenant": format!("tenant-{:02}", i % 17),
    })
}

fn switches(b: &mut Builder, shape: Shape) {
    for s in 1..=shape.spines() {
        let description = format!("spine {s}, row {}, rack R{:02}", s.div_ceil(2), s);
        b.switch(
            &format!("spine-{s:02}"),
            json!({"role": "spine", "description": description}),
            "vs",
        );
    }
    for l in 1..=shape.leaves {
        let leaf = format!("leaf-{l:03}");
        let description = format!("server leaf {l}, row {}, rack R{:02}", l / 16 + 1, l % 16);
        b.switch(
            &leaf,
            json!({"role": "server-leaf", "description": description}),
            "vs",
        );
        b.spine_links(&leaf, l);
    }
}

/// VPCs of three DHCP subnets and one hostBGP subnet, each peered with the next one.
fn vpcs(b: &mut Builder, shape: Shape) {
    for v in 0..shape.vpcs {
        let third = |k: usize| format!("10.{}.{}", v / 64 + 1, (v % 64) * 4 + k);
        let mut subnets = serde_json::Map::new();
        for k in 0..VLAN_SUBNETS {
            let net = third(k);
            subnets.insert(
                format!("subnet-{:02}", k + 1),
                json!({
                    "subnet": format!("{net}.0/24"),
                    "gateway": format!("{net}.1"),
                    "vlan": 1000 + k * shape.vpcs + v,
                    "dhcp": {"enable": true, "range": {"start": format!("{net}.10"), "end": format!("{net}.250")}},
                }),
            );
        }
        subnets.insert(
            "host-bgp".to_owned(),
            json!({"subnet": format!("{}.0/24", third(VLAN_SUBNETS)), "hostBGP": true}),
        );
        b.vpc_api("VPC", &vpc_name(v), json!({ "subnets": subnets }));
    }
    for v in (0..shape.vpcs.saturating_sub(1)).step_by(2) {
        let (a, c) = (vpc_name(v), vpc_name(v + 1));
        b.vpc_api(
            "VPCPeering",
            &format!("{a}--{c}"),
            json!({"permit": [{a.clone(): {"subnets": ["subnet-01", "subnet-02"]}, c.clone(): {}}]}),
        );
    }
}

fn vpc_name(v: usize) -> String {
    format!("vpc-{v:03}")
}

/// Servers on every leaf: every eighth bundled over two ports, the one after it on hostBGP
/// subnets, the others on DHCP subnets; four attachments each, to four VPCs.
fn servers(b: &mut Builder, shape: Shape) {
    let vlan_subnets = shape.vpcs * VLAN_SUBNETS;
    for l in 1..=shape.leaves {
        let leaf = format!("leaf-{l:03}");
        let mut port = 1;
        for s in 1..=SERVERS_PER_LEAF {
            let server = format!("server-{l:03}-{s:02}");
            let bundled = s % 8 == 0;
            let host_bgp = s % 8 == 1;
            let role = if host_bgp {
                "kubernetes node"
            } else {
                "compute"
            };
            b.wiring(
                "Server",
                &server,
                json!({"description": format!("{role} {s} in rack R{:02} on {leaf}", l % 16)}),
            );
            let (conn, spec) = if bundled {
                let links: Vec<Value> = (1..=2)
                    .map(|n| {
                        link(
                            format!("{server}/enp2s{n}"),
                            format!("{leaf}/E1/{}", port + n - 1),
                        )
                    })
                    .collect();
                port += 2;
                (
                    format!("{server}--bundled--{leaf}"),
                    json!({"bundled": {"links": links}}),
                )
            } else {
                let l = link(format!("{server}/enp2s1"), format!("{leaf}/E1/{port}"));
                port += 1;
                (
                    format!("{server}--unbundled--{leaf}"),
                    json!({"unbundled": {"link": l}}),
                )
            };
            b.wiring("Connection", &conn, spec);
            for a in 0..ATTACHMENTS {
                let j = ((l * SERVERS_PER_LEAF + s) * ATTACHMENTS + a) % vlan_subnets;
                let (vpc, subnet) = if host_bgp {
                    let v = (l * SERVERS_PER_LEAF + s + a) % shape.vpcs;
                    (vpc_name(v), "host-bgp".to_owned())
                } else {
                    (
                        vpc_name(j % shape.vpcs),
                        format!("subnet-{:02}", j / shape.vpcs + 1),
                    )
                };
                b.vpc_api(
                    "VPCAttachment",
                    &format!("{conn}--{vpc}--{subnet}"),
                    json!({"connection": conn, "subnet": format!("{vpc}/{subnet}")}),
                );
            }
        }
    }
}

/// Externals on the first leaves (port E1/46), each attached there, peered with every fifth
/// VPC.
fn externals(b: &mut Builder, shape: Shape) {
    for e in 1..=EXTERNALS {
        let (ext, leaf) = (format!("ext-{e:02}"), format!("leaf-{e:03}"));
        b.vpc_api(
            "External",
            &ext,
            json!({"inboundCommunity": format!("65102:{}", 5000 + e), "outboundCommunity": format!("50000:{}", 50000 + e)}),
        );
        let conn = format!("{leaf}--external");
        b.wiring(
            "Connection",
            &conn,
            json!({"external": {"link": {"switch": {"port": format!("{leaf}/E1/46")}}}}),
        );
        b.vpc_api(
            "ExternalAttachment",
            &format!("{leaf}--{ext}"),
            json!({
                "external": ext, "connection": conn,
                "switch": {"vlan": 100 + e, "ip": format!("100.{e}.100.1/24")},
                "neighbor": {"asn": 64100 + e, "ip": format!("100.{e}.100.6")},
            }),
        );
    }
    for v in (0..shape.vpcs).step_by(5) {
        let ext = format!("ext-{:02}", v / 5 % EXTERNALS + 1);
        b.vpc_api(
            "ExternalPeering",
            &format!("{}--{ext}", vpc_name(v)),
            json!({"permit": {
                "vpc": {"name": vpc_name(v), "subnets": ["subnet-01"]},
                "external": {"name": ext, "prefixes": [{"prefix": "0.0.0.0/0"}]},
            }}),
        );
    }
}
