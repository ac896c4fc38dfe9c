//! Colours and line styles, shared by every format so that a link kind looks the same in
//! each (hhfab's default palette).

use super::graph::{LinkKind, NodeKind};

/// How a link is drawn.
pub(crate) struct LinkStyle {
    pub colour: &'static str,
    pub width: u8,
    pub dashed: bool,
}

pub(crate) fn link(kind: LinkKind) -> LinkStyle {
    let (colour, width, dashed) = match kind {
        LinkKind::Fabric => ("#b85450", 3, false),
        LinkKind::Mesh => ("#6c8ebf", 3, false),
        LinkKind::MclagPeer => ("#9673a6", 3, false),
        LinkKind::MclagSession => ("#9673a6", 2, true),
        LinkKind::Unbundled => ("#666666", 2, false),
        LinkKind::Bundled => ("#82b366", 2, false),
        LinkKind::Mclag => ("#3d7a9e", 2, true),
        LinkKind::Eslag => ("#d79b00", 2, true),
        LinkKind::Gateway => ("#d6b656", 2, false),
        LinkKind::External => ("#c06000", 2, false),
        LinkKind::StaticExternal => ("#c06000", 2, true),
        LinkKind::VpcLoopback => ("#ae4132", 2, true),
    };
    LinkStyle {
        colour,
        width,
        dashed,
    }
}

/// (fill, stroke) of a node.
pub(crate) fn node(kind: NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::Gateway => ("#fff2cc", "#d6b656"),
        NodeKind::Spine => ("#f8cecc", "#b85450"),
        NodeKind::Leaf => ("#dae8fc", "#6c8ebf"),
        NodeKind::External => ("#ffcc99", "#d79b00"),
        NodeKind::Server => ("#d5e8d4", "#82b366"),
    }
}

/// The group box's label: `eslag leaves-1` or just the name.
pub(crate) fn group_label(name: &str, kind: &str) -> String {
    if kind.is_empty() {
        name.to_owned()
    } else {
        format!("{kind} {name}")
    }
}

/// An edge's text: `connection: port — port`.
pub(crate) fn ports_label(from: &str, to: &str) -> String {
    format!("{from} — {to}")
}
