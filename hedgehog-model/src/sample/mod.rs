//! Sample fabrics: hhfab's default VLAB topology (`hhfab vlab gen` followed by
//! `hhfab vlab setup-vpcs`) and larger generated fabrics that stay valid up to 100 000+
//! objects.
//!
//! [`realistic`] fabrics are shaped as operators write them, for benchmarks.
//!
//! All are deterministic (no randomness: the same parameters always give the same objects)
//! and un-hydrated, as hhfab writes them: hydrate them with [`crate::hydrate::hydrate`].
//!
//! Limits of the [`scaled`] topology, which keep every generated fabric valid with hhfab's
//! default FabricConfig:
//! - at most 433 leaves (the leaf ASN range 65101–65533);
//! - at most 46 servers per leaf (profile `vs` has 48 ports; two go to the spines); spines
//!   come in pairs, each pair serving 48 leaves on one port each;
//! - VPC subnets: one per server of a leaf and attachment slot (at most 46 × 4 = 184), each
//!   with its own VLAN from the `default` VLANNamespace (1000–2999) and a /24 of 10.0.0.0/8.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::Object;

mod real;

pub use real::realistic;

/// The parameters of `hhfab vlab gen` that shape a spine-leaf VLAB, with hhfab's defaults,
/// plus `hhfab vlab setup-vpcs` (one VPC with one subnet per server).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VlabParams {
    /// Spines (`--spines-count`).
    pub spines: u8,
    /// Links between each spine and each leaf (`--fabric-links-count`).
    pub fabric_links: u8,
    /// Links between each pair of leaves (`--mesh-links-count`); a mesh fabric has no spines,
    /// so `spines` must then be 0.
    pub mesh_links: u8,
    /// Leaves of each ESLAG group, 2 to 4 each (`--eslag-leaf-groups`).
    pub eslag_leaf_groups: Vec<u8>,
    /// Leaves without redundancy (`--orphan-leafs-count`).
    pub orphan_leaves: u8,
    /// Servers attached to every leaf of an ESLAG group (`--eslag-servers`).
    pub eslag_servers: u8,
    /// Unbundled servers on the first leaf of a group and on each orphan (`--unbundled-servers`).
    pub unbundled_servers: u8,
    /// Bundled servers on the second leaf of a group and on each orphan (`--bundled-servers`).
    pub bundled_servers: u8,
    /// Servers with two unbundled connections to two leaves, round robin over the orphan
    /// leaves (and the ESLAG leaves when there are fewer than two orphans)
    /// (`--multihomed-servers`). `setup-vpcs` puts them on hostBGP subnets.
    pub multihomed_servers: u8,
    /// Switch profile of every switch (`--default-switch-profile`).
    pub profile: String,
    /// Prefix of server port names (`--server-port-base`).
    pub server_port_base: String,
    /// Create a VPC per server and attach it, as `hhfab vlab setup-vpcs` does by default
    /// (ESLAG servers included, as in its default l2vni mode).
    pub vpcs: bool,
    /// VPC peerings `vpc-01--vpc-02`, `vpc-02--vpc-03`, … (`hhfab vlab setup-peerings`).
    pub vpc_peerings: u8,
}

impl Default for VlabParams {
    fn default() -> Self {
        VlabParams {
            spines: 2,
            fabric_links: 2,
            mesh_links: 0,
            eslag_leaf_groups: vec![2],
            orphan_leaves: 1,
            eslag_servers: 2,
            unbundled_servers: 1,
            bundled_servers: 1,
            multihomed_servers: 0,
            profile: "vs".to_owned(),
            server_port_base: "enp2s".to_owned(),
            vpcs: true,
            vpc_peerings: 0,
        }
    }
}

/// The shape of a [`scaled`] fabric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScaleParams {
    /// Leaves (at most 433).
    pub leaves: usize,
    /// Unbundled servers per leaf (at most 46).
    pub servers_per_leaf: usize,
    /// VPC attachments per server connection, each to another VPC (at most 4).
    pub attachments_per_server: usize,
}

impl ScaleParams {
    /// A shape of about `objects` objects (from ~100 to ~101 000), within the limits above.
    pub fn about(objects: usize) -> ScaleParams {
        let attachments_per_server = 3;
        let per_leaf = |servers: usize| 3 + servers * (2 + attachments_per_server);
        let servers_per_leaf = (objects / 8).clamp(1, 46);
        let leaves = (objects / per_leaf(servers_per_leaf)).clamp(1, 433);
        ScaleParams {
            leaves,
            servers_per_leaf,
            attachments_per_server,
        }
    }

    fn clamped(self) -> ScaleParams {
        ScaleParams {
            leaves: self.leaves.clamp(1, 433),
            servers_per_leaf: self.servers_per_leaf.clamp(1, 46),
            attachments_per_server: self.attachments_per_server.clamp(1, 4),
        }
    }

    fn spines(&self) -> usize {
        2 * self.leaves.div_ceil(48)
    }

    fn vpcs(&self) -> usize {
        self.servers_per_leaf * self.attachments_per_server
    }

    /// How many objects [`scaled`] generates.
    pub fn objects(&self) -> usize {
        let s = self.clamped();
        2 + s.spines()
            + s.leaves * 3
            + s.vpcs()
            + s.leaves * s.servers_per_leaf * (2 + s.attachments_per_server)
    }
}

/// Named sample sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Preset {
    /// hhfab's default VLAB (40 objects).
    Vlab,
    /// About 100 objects.
    Small,
    /// About 10 000 objects.
    Large,
    /// About 100 000 objects.
    Huge,
}

impl std::str::FromStr for Preset {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "vlab" => Ok(Preset::Vlab),
            "small" => Ok(Preset::Small),
            "large" => Ok(Preset::Large),
            "huge" => Ok(Preset::Huge),
            other => Err(format!(
                "unknown preset {other:?}, must be one of vlab, small, large, huge"
            )),
        }
    }
}

/// The objects of a preset, un-hydrated.
pub fn preset(preset: Preset) -> Vec<Object> {
    match preset {
        Preset::Vlab => vlab(&VlabParams::default()),
        Preset::Small => scaled(ScaleParams::about(100)),
        Preset::Large => scaled(ScaleParams::about(10_000)),
        Preset::Huge => scaled(ScaleParams::about(101_000)),
    }
}

/// Collects objects and allocates ports in creation order, as hhfab's VLAB builder does.
#[derive(Default)]
struct Builder {
    objects: Vec<Value>,
    switch_ports: BTreeMap<String, u32>,
    server_ports: BTreeMap<String, u32>,
    switches: u32,
}

impl Builder {
    fn add(&mut self, api: &str, kind: &str, name: &str, spec: Value) {
        self.objects.push(json!({
            "apiVersion": api, "kind": kind, "metadata": {"name": name}, "spec": spec,
        }));
    }

    fn wiring(&mut self, kind: &str, name: &str, spec: Value) {
        self.add("wiring.githedgehog.com/v1beta1", kind, name, spec);
    }

    fn vpc_api(&mut self, kind: &str, name: &str, spec: Value) {
        self.add("vpc.githedgehog.com/v1beta1", kind, name, spec);
    }

    /// The `default` VLANNamespace (VLANs 1000–2999, hhfab's) and IPv4Namespace (`subnet`).
    fn default_namespaces(&mut self, subnet: &str) {
        self.wiring(
            "VLANNamespace",
            "default",
            json!({"ranges": [{"from": 1000, "to": 2999}]}),
        );
        self.vpc_api("IPv4Namespace", "default", json!({ "subnets": [subnet] }));
    }

    /// A switch with the next boot MAC (`0c:20:12:ff:<n>:00`).
    /// The two fabric connections of leaf number `l` (from 1): each pair of spines serves 48
    /// leaves, on the leaf's ports 47 and 48.
    fn spine_links(&mut self, leaf: &str, l: usize) {
        let (pair, port) = ((l - 1) / 48, (l - 1) % 48 + 1);
        for (s, leaf_port) in [(2 * pair + 1, 47), (2 * pair + 2, 48)] {
            let links = json!([{"spine": {"port": format!("spine-{s:02}/E1/{port}")}, "leaf": {"port": format!("{leaf}/E1/{leaf_port}")}}]);
            self.wiring(
                "Connection",
                &format!("spine-{s:02}--fabric--{leaf}"),
                json!({"fabric": {"links": links}}),
            );
        }
    }

    fn switch(&mut self, name: &str, mut spec: Value, profile: &str) {
        spec["profile"] = json!(profile);
        spec["boot"] = json!({"mac": format!("0c:20:12:ff:{:02x}:00", self.switches)});
        self.switches += 1;
        self.wiring("Switch", name, spec);
    }

    /// hhfab's switch port allocator: `E1/1` … `E1/48`, then every fourth port.
    fn switch_port(&mut self, switch: &str) -> String {
        let next = self.switch_ports.entry(switch.to_owned()).or_insert(0);
        let port = format!("{switch}/E1/{}", *next + 1);
        *next += if *next >= 48 { 4 } else { 1 };
        port
    }

    fn server_port(&mut self, server: &str, base: &str) -> String {
        let next = self.server_ports.entry(server.to_owned()).or_insert(0);
        *next += 1;
        format!("{server}/{base}{next}")
    }

    fn into_objects(self) -> Vec<Object> {
        self.objects
            .into_iter()
            .map(|v| Object::from_value(v).object)
            .collect()
    }
}

fn link(server: String, switch: String) -> Value {
    json!({"server": {"port": server}, "switch": {"port": switch}})
}

/// hhfab's default VLAB builder (`VLABBuilderDefault.Build`, spine-leaf, no gateway, no
/// externals) followed by `setup-vpcs` with its defaults.
pub fn vlab(params: &VlabParams) -> Vec<Object> {
    let mut b = Builder::default();
    let profile = params.profile.as_str();
    let base = params.server_port_base.as_str();
    b.default_namespaces("10.0.0.0/16");
    b.wiring("SwitchGroup", "empty", json!({}));
    let (mut switch_id, mut leaf_id, mut server_id) = (1u32, 1u32, 1u32);
    // (server, connections) in creation order, for setup-vpcs.
    let mut servers: Vec<(String, Vec<String>)> = Vec::new();
    // Leaves for multi-homed servers: the orphans, plus ESLAG leaves when orphans are few.
    let mut mh_leaves: Vec<String> = Vec::new();
    for (group, &leaves) in params.eslag_leaf_groups.iter().enumerate() {
        let sg = format!("eslag-{}", group + 1);
        b.wiring("SwitchGroup", &sg, json!({}));
        let names: Vec<String> = (0..u32::from(leaves))
            .map(|i| format!("leaf-{:02}", leaf_id + i))
            .collect();
        if params.orphan_leaves < 2 {
            mh_leaves.extend(names.iter().cloned());
        }
        for (i, leaf) in names.iter().enumerate() {
            let spec = json!({
                "role": "server-leaf",
                "description": format!("VS-{:02} ESLAG {}", switch_id + i as u32, group + 1),
                "groups": [sg], "redundancy": {"group": sg, "type": "eslag"},
            });
            b.switch(leaf, spec, profile);
        }
        switch_id += u32::from(leaves);
        leaf_id += u32::from(leaves);
        for _ in 0..params.eslag_servers {
            let server = format!("server-{server_id:02}");
            b.wiring(
                "Server",
                &server,
                json!({"description": format!("S-{server_id:02} ESLAG {}", names.join(" "))}),
            );
            let links: Vec<Value> = names
                .iter()
                .map(|leaf| link(b.server_port(&server, base), b.switch_port(leaf)))
                .collect();
            let conn = format!("{server}--eslag--{}", names.join("--"));
            b.wiring("Connection", &conn, json!({"eslag": {"links": links}}));
            servers.push((server, vec![conn]));
            server_id += 1;
        }
        if let Some(first) = names.first() {
            single_leaf_servers(
                &mut b,
                &mut servers,
                &mut server_id,
                (params.unbundled_servers, Bundling::Unbundled),
                first,
                base,
            );
        }
        if let Some(second) = names.get(1) {
            single_leaf_servers(
                &mut b,
                &mut servers,
                &mut server_id,
                (params.bundled_servers, Bundling::Bundled),
                second,
                base,
            );
        }
    }
    for _ in 0..params.orphan_leaves {
        let leaf = format!("leaf-{leaf_id:02}");
        b.switch(
            &leaf,
            json!({"role": "server-leaf", "description": format!("VS-{switch_id:02}")}),
            profile,
        );
        mh_leaves.push(leaf.clone());
        switch_id += 1;
        leaf_id += 1;
        single_leaf_servers(
            &mut b,
            &mut servers,
            &mut server_id,
            (params.unbundled_servers, Bundling::Unbundled),
            &leaf,
            base,
        );
        single_leaf_servers(
            &mut b,
            &mut servers,
            &mut server_id,
            (params.bundled_servers, Bundling::Bundled),
            &leaf,
            base,
        );
    }
    let mut next_mh = 0;
    for _ in 0..params.multihomed_servers {
        let server = format!("server-{server_id:02}");
        let mut pick = || {
            let leaf = mh_leaves
                .get(next_mh % mh_leaves.len().max(1))
                .cloned()
                .unwrap_or_default();
            next_mh += 1;
            leaf
        };
        let (leaf1, leaf2) = (pick(), pick());
        b.wiring(
            "Server",
            &server,
            json!({"description": format!("S-{server_id:02} MultiHomed {leaf1} + {leaf2}")}),
        );
        let mut conns = Vec::new();
        for leaf in [leaf1, leaf2] {
            let l = link(b.server_port(&server, base), b.switch_port(&leaf));
            let conn = format!("{server}--unbundled--{leaf}");
            b.wiring("Connection", &conn, json!({"unbundled": {"link": l}}));
            conns.push(conn);
        }
        servers.push((server, conns));
        server_id += 1;
    }
    for spine_id in 1..=u32::from(params.spines) {
        let spine = format!("spine-{spine_id:02}");
        b.switch(
            &spine,
            json!({"role": "spine", "description": format!("VS-{switch_id:02}")}),
            profile,
        );
        switch_id += 1;
        for leaf in 1..leaf_id {
            let leaf = format!("leaf-{leaf:02}");
            let links: Vec<Value> = (0..params.fabric_links)
                .map(|_| json!({"spine": {"port": b.switch_port(&spine)}, "leaf": {"port": b.switch_port(&leaf)}}))
                .collect();
            b.wiring(
                "Connection",
                &format!("{spine}--fabric--{leaf}"),
                json!({"fabric": {"links": links}}),
            );
        }
    }
    let leaves = leaf_id - 1;
    for leaf1 in 1..=leaves {
        for leaf2 in leaf1 + 1..=leaves {
            if params.mesh_links == 0 {
                break;
            }
            let (l1, l2) = (format!("leaf-{leaf1:02}"), format!("leaf-{leaf2:02}"));
            let links: Vec<Value> = (0..params.mesh_links)
                .map(|_| json!({"leaf1": {"port": b.switch_port(&l1)}, "leaf2": {"port": b.switch_port(&l2)}}))
                .collect();
            b.wiring(
                "Connection",
                &format!("{l1}--mesh--{l2}"),
                json!({"mesh": {"links": links}}),
            );
        }
    }
    if params.vpcs {
        // setup-vpcs: servers by name, one per subnet, one subnet per VPC; /24s and VLANs in
        // order from the namespaces, the first of each skipped. Multi-homed servers get a
        // hostBGP subnet (no DHCP) attached over both their connections.
        servers.sort();
        for (i, (_, conns)) in servers.iter().enumerate() {
            let n = i + 1;
            let vpc = format!("vpc-{n:02}");
            let host_bgp = conns.len() > 1;
            let mut subnet = json!({"subnet": format!("10.0.{n}.0/24"), "vlan": 1000 + n});
            if host_bgp {
                subnet["hostBGP"] = json!(true);
            } else {
                subnet["dhcp"] = json!({"enable": true});
            }
            b.vpc_api("VPC", &vpc, json!({"subnets": {"subnet-01": subnet}}));
            for conn in conns {
                b.vpc_api(
                    "VPCAttachment",
                    &format!("{conn}--{vpc}--subnet-01"),
                    json!({"connection": conn, "subnet": format!("{vpc}/subnet-01")}),
                );
            }
        }
        for i in 1..=usize::from(params.vpc_peerings).min(servers.len().saturating_sub(1)) {
            let (a, c) = (format!("vpc-{i:02}"), format!("vpc-{:02}", i + 1));
            b.vpc_api(
                "VPCPeering",
                &format!("{a}--{c}"),
                json!({"permit": [{a.clone(): {}, c.clone(): {}}]}),
            );
        }
    }
    b.into_objects()
}

/// How single-leaf servers are connected.
#[derive(Clone, Copy)]
enum Bundling {
    /// One link (`unbundled`).
    Unbundled,
    /// Two links to the same leaf (`bundled`).
    Bundled,
}

/// `count` servers on one leaf, named and described as hhfab does.
fn single_leaf_servers(
    b: &mut Builder,
    servers: &mut Vec<(String, Vec<String>)>,
    id: &mut u32,
    (count, bundling): (u8, Bundling),
    leaf: &str,
    base: &str,
) {
    let (label, kind) = match bundling {
        Bundling::Unbundled => ("Unbundled", "unbundled"),
        Bundling::Bundled => ("Bundled", "bundled"),
    };
    for _ in 0..count {
        let server = format!("server-{id:02}");
        let description = format!("S-{id:02} {label} {leaf}");
        b.wiring("Server", &server, json!({ "description": description }));
        let mut links: Vec<Value> = Vec::new();
        let n = match bundling {
            Bundling::Unbundled => 1,
            Bundling::Bundled => 2,
        };
        for _ in 0..n {
            links.push(link(b.server_port(&server, base), b.switch_port(leaf)));
        }
        let spec = match bundling {
            Bundling::Unbundled => json!({ "unbundled": { "link": links.pop() } }),
            Bundling::Bundled => json!({ "bundled": { "links": links } }),
        };
        let conn = format!("{server}--{kind}--{leaf}");
        b.wiring("Connection", &conn, spec);
        servers.push((server, vec![conn]));
        *id += 1;
    }
}

/// A large spine-leaf fabric on profile `vs`: pairs of spines each serving 48 leaves, unbundled
/// servers, and VPC attachments spread over VPCs so that VLANs and subnets stay unique
/// (limits in the module docs; parameters beyond them are clamped).
pub fn scaled(params: ScaleParams) -> Vec<Object> {
    let p = params.clamped();
    let mut b = Builder::default();
    b.default_namespaces("10.0.0.0/8");
    for s in 1..=p.spines() {
        b.switch(
            &format!("spine-{s:02}"),
            json!({"role": "spine", "description": format!("spine {s}")}),
            "vs",
        );
    }
    for l in 1..=p.leaves {
        let leaf = format!("leaf-{l:03}");
        b.switch(
            &leaf,
            json!({"role": "server-leaf", "description": format!("leaf {l}")}),
            "vs",
        );
        b.spine_links(&leaf, l);
    }
    for v in 0..p.vpcs() {
        let subnet = json!({"subnet": format!("10.{}.{}.0/24", v / 256, v % 256), "vlan": 1000 + v, "dhcp": {"enable": true}});
        b.vpc_api(
            "VPC",
            &format!("vpc-{v:04}"),
            json!({"subnets": {"default": subnet}}),
        );
    }
    for l in 1..=p.leaves {
        for s in 1..=p.servers_per_leaf {
            let server = format!("server-{l:03}-{s:02}");
            let leaf = format!("leaf-{l:03}");
            b.wiring(
                "Server",
                &server,
                json!({"description": format!("server {s} on {leaf}")}),
            );
            let conn = format!("{server}--unbundled--{leaf}");
            let l = link(format!("{server}/enp2s1"), format!("{leaf}/E1/{s}"));
            b.wiring("Connection", &conn, json!({"unbundled": {"link": l}}));
            for a in 0..p.attachments_per_server {
                let vpc = format!("vpc-{:04}", (s - 1) * p.attachments_per_server + a);
                b.vpc_api(
                    "VPCAttachment",
                    &format!("{conn}--{vpc}"),
                    json!({"connection": conn, "subnet": format!("{vpc}/default")}),
                );
            }
        }
    }
    b.into_objects()
}
