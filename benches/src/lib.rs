//! Criterion benchmarks of the hedgehog crates; run `cargo bench -p hedgehog-benches`.
//!
//! This library holds what several benchmarks share: [`fabric_yaml`], a generator of valid,
//! fully hydrated spine-leaf fabrics of any size, written as multi-document YAML the way
//! operators keep them in Git.

use std::fmt::Write as _;

/// The shape of a generated fabric.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// Leaves (each on profile `vs`, uplinked to both spines). At most 433: hhfab's leaf
    /// ASN range 65101–65533.
    pub leaves: usize,
    /// Unbundled servers per leaf (at most 46: `vs` has 48 ports, two go to the spines).
    pub servers_per_leaf: usize,
    /// VPC attachments per server connection (each to another VPC subnet).
    pub attachments_per_server: usize,
}

impl Shape {
    /// A fabric of about `objects` objects (from ~100 to ~100 000), valid with hhfab's
    /// default FabricConfig.
    pub fn about(objects: usize) -> Shape {
        // Per leaf: 1 switch, 2 fabric connections; per server: server, connection and
        // `attachments_per_server` attachments; VPCs are few.
        let attachments_per_server = 3;
        let per_leaf = |servers: usize| 3 + servers * (2 + attachments_per_server);
        let servers_per_leaf = 46.min((objects / 8).clamp(1, 46));
        let leaves = (objects / per_leaf(servers_per_leaf)).clamp(1, 433);
        Shape {
            leaves,
            servers_per_leaf,
            attachments_per_server,
        }
    }

    /// How many objects [`fabric_yaml`] writes for this shape.
    pub fn objects(&self) -> usize {
        let servers = self.leaves * self.servers_per_leaf;
        2 + self.spines()
            + self.leaves * 3
            + self.vpcs()
            + servers * (2 + self.attachments_per_server)
    }

    /// Spines: a pair for every 48 leaves.
    fn spines(&self) -> usize {
        2 * self.leaves.div_ceil(48)
    }

    /// VPCs (one subnet each): one per attachment slot of a leaf, so VLANs stay unique.
    fn vpcs(&self) -> usize {
        self.servers_per_leaf * self.attachments_per_server
    }
}

/// A valid, hydrated fabric as multi-document YAML: namespaces, spines, leaves with fabric
/// links to a pair of spines, unbundled servers, VPCs and VPC attachments.
pub fn fabric_yaml(shape: Shape) -> String {
    let mut out = String::with_capacity(shape.objects() * 400);
    let mut doc = |text: std::fmt::Arguments<'_>| {
        if !out.is_empty() {
            out.push_str("---\n");
        }
        // Writing into a String cannot fail.
        let _ = out.write_fmt(text);
    };
    doc(format_args!(
        "apiVersion: wiring.githedgehog.com/v1beta1\nkind: VLANNamespace\nmetadata:\n  name: default\nspec:\n  ranges:\n  - from: 1000\n    to: 2999\n"
    ));
    doc(format_args!(
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: IPv4Namespace\nmetadata:\n  name: default\nspec:\n  subnets:\n  - 10.0.0.0/8\n"
    ));
    // Management IPs from 172.30.0.5 (VIP + 4), protocol and VTEP IPs from their subnets.
    let host = |third: usize, n: usize| format!("172.30.{}.{}", third + n / 256, n % 256);
    for s in 1..=shape.spines() {
        doc(format_args!(
            "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: spine-{s:02}\nspec:\n  role: spine\n  description: spine {s}\n  profile: vs\n  asn: 65100\n  ip: {}/21\n  protocolIP: {}/32\n  boot:\n    mac: 0c:20:12:fe:00:{s:02x}\n",
            host(0, 4 + s),
            host(8, s)
        ));
    }
    let mut link = 0usize;
    for l in 1..=shape.leaves {
        let n = l + shape.spines();
        doc(format_args!(
            "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: leaf-{l:03}\nspec:\n  role: server-leaf\n  description: leaf {l}\n  profile: vs\n  asn: {}\n  ip: {}/21\n  protocolIP: {}/32\n  vtepIP: {}/32\n  boot:\n    mac: 0c:20:12:ff:{:02x}:{:02x}\n",
            65100 + l,
            host(0, 4 + n),
            host(8, n),
            host(12, l),
            l / 256,
            l % 256
        ));
        // Each pair of spines serves 48 leaves, one port each.
        let (pair, port) = ((l - 1) / 48, (l - 1) % 48 + 1);
        for s in [2 * pair + 1, 2 * pair + 2] {
            let (a, b) = (host(128, 2 * link), host(128, 2 * link + 1));
            link += 1;
            doc(format_args!(
                "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata:\n  name: spine-{s:02}--fabric--leaf-{l:03}\nspec:\n  fabric:\n    links:\n    - spine:\n        port: spine-{s:02}/E1/{port}\n        ip: {a}/31\n      leaf:\n        port: leaf-{l:03}/E1/{}\n        ip: {b}/31\n",
                if s % 2 == 1 { 47 } else { 48 }
            ));
        }
    }
    for v in 0..shape.vpcs() {
        doc(format_args!(
            "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-{v:04}\nspec:\n  subnets:\n    default:\n      subnet: 10.{}.{}.0/24\n      vlan: {}\n      dhcp:\n        enable: true\n        range:\n          start: 10.{}.{}.10\n",
            v / 256,
            v % 256,
            1000 + v,
            v / 256,
            v % 256
        ));
    }
    for l in 1..=shape.leaves {
        for p in 1..=shape.servers_per_leaf {
            let server = format!("server-{l:03}-{p:02}");
            let conn = format!("{server}--unbundled--leaf-{l:03}");
            doc(format_args!(
                "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Server\nmetadata:\n  name: {server}\nspec:\n  description: server {p} on leaf {l}\n"
            ));
            doc(format_args!(
                "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata:\n  name: {conn}\nspec:\n  unbundled:\n    link:\n      server:\n        port: {server}/enp2s1\n      switch:\n        port: leaf-{l:03}/E1/{p}\n"
            ));
            for a in 0..shape.attachments_per_server {
                let vpc = (p - 1) * shape.attachments_per_server + a;
                doc(format_args!(
                    "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPCAttachment\nmetadata:\n  name: {conn}--vpc-{vpc:04}\nspec:\n  subnet: vpc-{vpc:04}/default\n  connection: {conn}\n"
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use hedgehog_model::load::{Limits, Loader};
    use hedgehog_model::{ValidateOptions, validate_loaded};

    #[test]
    fn generated_fabrics_are_valid_and_sized_as_announced() {
        for objects in [100, 2_000, 20_000] {
            let shape = Shape::about(objects);
            let text = fabric_yaml(shape);
            let mut loaded = Loader::new(Limits::default()).load_str(&text, Some("fabric.yaml"));
            assert_eq!(loaded.documents.len(), shape.objects());
            let report = validate_loaded(&mut loaded, &ValidateOptions::default());
            let shown: Vec<String> = report
                .diagnostics
                .iter()
                .take(10)
                .map(ToString::to_string)
                .collect();
            assert!(report.diagnostics.is_empty(), "{shape:?}: {shown:#?}");
        }
    }
}
