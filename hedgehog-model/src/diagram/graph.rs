//! The wiring as a graph: one node per switch, server, gateway and external, one edge per
//! physical link, and the redundancy groups of the switches.

use std::collections::BTreeMap;

use crate::Object;
use crate::api::{
    Connection, ConnectionSpec, PortName, RedundancyType, ServerToSwitchLink, Switch,
    SwitchToSwitchLink,
};

/// What a node stands for; also the tier it is drawn in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    /// A gateway named by a gateway connection.
    Gateway,
    /// A spine switch.
    Spine,
    /// Any other switch (server, border or mixed leaf).
    Leaf,
    /// An external network (an `External`, or a static external connection's far end).
    External,
    /// A server.
    Server,
}

impl NodeKind {
    /// The lower-case name used in outputs (`spine`, `leaf`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Gateway => "gateway",
            NodeKind::Spine => "spine",
            NodeKind::Leaf => "leaf",
            NodeKind::External => "external",
            NodeKind::Server => "server",
        }
    }

    /// The API kind of the object the node stands for, when it is one.
    pub fn object_kind(self) -> Option<&'static str> {
        match self {
            NodeKind::Spine | NodeKind::Leaf => Some("Switch"),
            NodeKind::Server => Some("Server"),
            NodeKind::External => Some("External"),
            NodeKind::Gateway => None,
        }
    }
}

/// What a link is, as hhfab tells them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LinkKind {
    /// Spine to leaf.
    Fabric,
    /// Leaf to leaf in a spineless fabric.
    Mesh,
    /// MCLAG peer link between the two switches of a domain.
    MclagPeer,
    /// MCLAG session link between the two switches of a domain.
    MclagSession,
    /// A single server link.
    Unbundled,
    /// A server link in a bundle to one switch.
    Bundled,
    /// A server link of an MCLAG connection.
    Mclag,
    /// A server link of an ESLAG connection.
    Eslag,
    /// Switch to gateway.
    Gateway,
    /// Switch to an external (BGP).
    External,
    /// Switch to a static external.
    StaticExternal,
    /// A loopback cable between two ports of a switch for VPC peering.
    VpcLoopback,
}

impl LinkKind {
    /// Every kind, in legend order.
    pub const ALL: [LinkKind; 12] = [
        LinkKind::Fabric,
        LinkKind::Mesh,
        LinkKind::MclagPeer,
        LinkKind::MclagSession,
        LinkKind::Unbundled,
        LinkKind::Bundled,
        LinkKind::Mclag,
        LinkKind::Eslag,
        LinkKind::Gateway,
        LinkKind::External,
        LinkKind::StaticExternal,
        LinkKind::VpcLoopback,
    ];

    /// The name shown in legends and labels.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Fabric => "fabric",
            LinkKind::Mesh => "mesh",
            LinkKind::MclagPeer => "mclag peer",
            LinkKind::MclagSession => "mclag session",
            LinkKind::Unbundled => "unbundled",
            LinkKind::Bundled => "bundled",
            LinkKind::Mclag => "mclag",
            LinkKind::Eslag => "eslag",
            LinkKind::Gateway => "gateway",
            LinkKind::External => "external",
            LinkKind::StaticExternal => "static external",
            LinkKind::VpcLoopback => "vpc loopback",
        }
    }
}

/// A device in the picture.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// What it is.
    pub kind: NodeKind,
    /// Its name (the object's name; for a placeholder, the name it was referred to by).
    pub name: String,
    /// The switch's or server's description, if any.
    pub description: String,
    /// The index of its redundancy group in [`Diagram::groups`].
    pub group: Option<usize>,
    /// One line of facts for a tooltip: role, ASN and addresses of a switch (when set).
    pub details: String,
}

/// One physical link.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// Index of one end in [`Diagram::nodes`] (the upper tier for links between tiers).
    pub from: usize,
    /// Index of the other end.
    pub to: usize,
    /// Port name at `from` (without the device prefix).
    pub from_port: String,
    /// Port name at `to`.
    pub to_port: String,
    /// What link it is.
    pub kind: LinkKind,
    /// The name of the Connection it belongs to.
    pub connection: String,
}

/// A redundancy group of switches, drawn as a box around its members.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Its name.
    pub name: String,
    /// `mclag` or `eslag` (or whatever the switches say).
    pub kind: String,
}

/// The wiring of a fabric, ready to be laid out and drawn.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diagram {
    /// Every device, sorted by kind then name.
    pub nodes: Vec<Node>,
    /// Every link, in connection-name order.
    pub edges: Vec<Edge>,
    /// Every redundancy group, by name.
    pub groups: Vec<Group>,
}

/// A node's identity while building: (kind, name).
type NodeKey = (NodeKind, String);

/// An edge whose ends are not yet numbered.
struct Pending {
    connection: String,
    kind: LinkKind,
    ends: [(NodeKey, String); 2],
}

/// Collects nodes by (kind, name) so that references create each device once.
#[derive(Default)]
struct Builder {
    nodes: BTreeMap<NodeKey, Node>,
    groups: BTreeMap<String, String>,
    /// Switch → name of its redundancy group.
    members: BTreeMap<NodeKey, String>,
    edges: Vec<Pending>,
}

impl Builder {
    fn node(&mut self, kind: NodeKind, name: &str) -> NodeKey {
        let key = (kind, name.to_owned());
        self.nodes.entry(key.clone()).or_insert_with(|| Node {
            kind,
            name: name.to_owned(),
            description: String::new(),
            group: None,
            details: String::new(),
        });
        key
    }

    fn switch(&mut self, sw: &Switch) {
        let name = sw.metadata.name.as_deref().unwrap_or("");
        let kind = if sw.spec.role.is_spine() {
            NodeKind::Spine
        } else {
            NodeKind::Leaf
        };
        let key = self.node(kind, name);
        let redundancy = &sw.spec.redundancy;
        if !redundancy.group.is_empty() {
            let kind = match &redundancy.r#type {
                RedundancyType::None => String::new(),
                other => other.as_str().to_owned(),
            };
            self.groups.entry(redundancy.group.clone()).or_insert(kind);
            self.members.insert(key.clone(), redundancy.group.clone());
        }
        if let Some(node) = self.nodes.get_mut(&key) {
            node.description.clone_from(&sw.spec.description);
            node.details = switch_details(sw);
        }
    }

    /// The kind a switch name was declared with; a leaf for switches not declared.
    fn switch_kind(&self, name: &str) -> NodeKind {
        if self.nodes.contains_key(&(NodeKind::Spine, name.to_owned())) {
            NodeKind::Spine
        } else {
            NodeKind::Leaf
        }
    }

    fn link(&mut self, conn: &str, kind: LinkKind, a: (NodeKind, &str), b: (NodeKind, &str)) {
        let (a_dev, a_port) = split_port(a.1);
        let (b_dev, b_port) = split_port(b.1);
        let a_key = self.node(a.0, a_dev);
        let b_key = self.node(b.0, b_dev);
        self.edges.push(Pending {
            connection: conn.to_owned(),
            kind,
            ends: [(a_key, a_port.to_owned()), (b_key, b_port.to_owned())],
        });
    }

    fn switch_link(&mut self, conn: &str, kind: LinkKind, link: &SwitchToSwitchLink) {
        let a = (
            self.switch_kind(link.switch1.device_name()),
            link.switch1.port_name(),
        );
        let b = (
            self.switch_kind(link.switch2.device_name()),
            link.switch2.port_name(),
        );
        self.link(conn, kind, a, b);
    }

    fn server_link(&mut self, conn: &str, kind: LinkKind, link: &ServerToSwitchLink) {
        let switch = (
            self.switch_kind(link.switch.device_name()),
            link.switch.port_name(),
        );
        self.link(
            conn,
            kind,
            switch,
            (NodeKind::Server, link.server.port_name()),
        );
    }

    fn connection(&mut self, conn: &Connection, externals: &BTreeMap<&str, Vec<&str>>) {
        let name = conn.metadata.name.as_deref().unwrap_or("");
        let s: &ConnectionSpec = &conn.spec;
        if let Some(c) = &s.unbundled {
            self.server_link(name, LinkKind::Unbundled, &c.link);
        }
        let server_links = [
            (s.bundled.as_ref().map(|c| &c.links), LinkKind::Bundled),
            (s.mclag.as_ref().map(|c| &c.links), LinkKind::Mclag),
            (s.eslag.as_ref().map(|c| &c.links), LinkKind::Eslag),
        ];
        for (links, kind) in server_links {
            for link in links.into_iter().flatten() {
                self.server_link(name, kind, link);
            }
        }
        for link in s.fabric.iter().flat_map(|c| &c.links) {
            let spine = (NodeKind::Spine, link.spine.port_name());
            self.link(
                name,
                LinkKind::Fabric,
                spine,
                (NodeKind::Leaf, link.leaf.port_name()),
            );
        }
        for link in s.mesh.iter().flat_map(|c| &c.links) {
            let a = (NodeKind::Leaf, link.leaf1.port_name());
            self.link(
                name,
                LinkKind::Mesh,
                a,
                (NodeKind::Leaf, link.leaf2.port_name()),
            );
        }
        if let Some(domain) = &s.mclag_domain {
            for link in &domain.peer_links {
                self.switch_link(name, LinkKind::MclagPeer, link);
            }
            for link in &domain.session_links {
                self.switch_link(name, LinkKind::MclagSession, link);
            }
        }
        for link in s.vpc_loopback.iter().flat_map(|c| &c.links) {
            self.switch_link(name, LinkKind::VpcLoopback, link);
        }
        for link in s.gateway.iter().flat_map(|c| &c.links) {
            let gw = (NodeKind::Gateway, link.gateway.port_name());
            let switch = (
                self.switch_kind(link.switch.device_name()),
                link.switch.port_name(),
            );
            self.link(name, LinkKind::Gateway, switch, gw);
        }
        if let Some(c) = &s.external {
            let port = c.link.switch.port_name();
            let switch = (self.switch_kind(c.link.switch.device_name()), port);
            // The far end is every External attached through this connection; with none, a
            // placeholder named after the connection keeps the link in the picture.
            let fallback = [name];
            let targets = externals.get(name).map_or(&fallback[..], Vec::as_slice);
            for external in targets {
                self.link(
                    name,
                    LinkKind::External,
                    switch,
                    (NodeKind::External, external),
                );
            }
        }
        if let Some(c) = &s.static_external {
            let port = c.link.switch.port_name();
            let switch = (self.switch_kind(c.link.switch.device_name()), port);
            let far = format!("static-external-{name}");
            self.link(
                name,
                LinkKind::StaticExternal,
                switch,
                (NodeKind::External, &far),
            );
        }
    }

    fn finish(self) -> Diagram {
        let groups: Vec<Group> = self
            .groups
            .into_iter()
            .map(|(name, kind)| Group { name, kind })
            .collect();
        let index: BTreeMap<&NodeKey, usize> =
            self.nodes.keys().enumerate().map(|(i, k)| (k, i)).collect();
        let edges = self
            .edges
            .iter()
            .map(|p| Edge {
                from: index[&p.ends[0].0],
                to: index[&p.ends[1].0],
                from_port: p.ends[0].1.clone(),
                to_port: p.ends[1].1.clone(),
                kind: p.kind,
                connection: p.connection.clone(),
            })
            .collect();
        let group_index: BTreeMap<&str, usize> = groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.name.as_str(), i))
            .collect();
        let nodes = self
            .nodes
            .iter()
            .map(|(key, node)| Node {
                group: self.members.get(key).map(|g| group_index[g.as_str()]),
                ..node.clone()
            })
            .collect();
        Diagram {
            nodes,
            edges,
            groups,
        }
    }
}

/// `role server-leaf, asn 65101, ip …`: the switch facts that are set.
fn switch_details(sw: &Switch) -> String {
    let s = &sw.spec;
    let asn = (s.asn != 0).then(|| s.asn.to_string());
    [
        ("role", Some(s.role.as_str().to_owned())),
        ("profile", Some(s.profile.clone())),
        ("asn", asn),
        ("ip", Some(s.ip.clone())),
        ("protocol", Some(s.protocol_ip.clone())),
        ("vtep", Some(s.vtep_ip.clone())),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| format!("{k} {v}")))
    .collect::<Vec<_>>()
    .join(", ")
}

/// `device/port` → (`device`, `port`); a name without a slash is a device without a port.
fn split_port(full: &str) -> (&str, &str) {
    full.split_once('/').unwrap_or((full, ""))
}

impl Diagram {
    /// The diagram of `objects` (switches, servers, connections, externals and their
    /// attachments; other kinds are ignored). Devices that connections name but that are not
    /// among the objects are drawn too, so that every link appears.
    pub fn from_objects(objects: &[Object]) -> Diagram {
        let mut b = Builder::default();
        let mut externals: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut connections: Vec<&Connection> = Vec::new();
        for object in objects {
            match object {
                Object::Switch(sw) => b.switch(sw),
                Object::Server(s) => {
                    let key = b.node(NodeKind::Server, s.metadata.name.as_deref().unwrap_or(""));
                    if let Some(node) = b.nodes.get_mut(&key) {
                        node.description.clone_from(&s.spec.description);
                    }
                }
                Object::External(e) => {
                    b.node(NodeKind::External, e.metadata.name.as_deref().unwrap_or(""));
                }
                Object::ExternalAttachment(a) => externals
                    .entry(a.spec.connection.as_str())
                    .or_default()
                    .push(a.spec.external.as_str()),
                Object::Connection(c) => connections.push(c),
                _ => {}
            }
        }
        externals.values_mut().for_each(|v| {
            v.sort_unstable();
            v.dedup();
        });
        connections.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
        for conn in connections {
            b.connection(conn, &externals);
        }
        b.finish()
    }
}
