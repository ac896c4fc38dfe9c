//! Mermaid flowchart (top to bottom): redundancy groups as subgraphs, each link an edge
//! labelled with its ports, one `linkStyle` line per link kind.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::graph::{Diagram, LinkKind, NodeKind};
use super::style;

pub(super) fn render(d: &Diagram) -> String {
    let mut out = String::from("flowchart TB\n");
    for kind in [
        NodeKind::Gateway,
        NodeKind::Spine,
        NodeKind::Leaf,
        NodeKind::External,
        NodeKind::Server,
    ] {
        let (fill, stroke) = style::node(kind);
        let _ = writeln!(
            out,
            "  classDef {} fill:{fill},stroke:{stroke},color:#000",
            kind.as_str()
        );
    }
    for (g, group) in d.groups.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph g{g}[\"{}\"]",
            label(&style::group_label(&group.name, &group.kind))
        );
        for (i, n) in d
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.group == Some(g))
        {
            let _ = writeln!(
                out,
                "    n{i}[\"{}\"]:::{}",
                label(&n.name),
                n.kind.as_str()
            );
        }
        out.push_str("  end\n");
    }
    for (i, n) in d
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.group.is_none())
    {
        let _ = writeln!(out, "  n{i}[\"{}\"]:::{}", label(&n.name), n.kind.as_str());
    }
    let mut by_kind: BTreeMap<LinkKind, Vec<String>> = BTreeMap::new();
    for (i, e) in d.edges.iter().enumerate() {
        let arrow = if style::link(e.kind).dashed {
            "-.-"
        } else {
            "---"
        };
        let _ = writeln!(
            out,
            "  n{} {arrow}|\"{}\"| n{}",
            e.from,
            label(&style::ports_label(&e.from_port, &e.to_port)),
            e.to
        );
        by_kind.entry(e.kind).or_default().push(i.to_string());
    }
    for (kind, edges) in by_kind {
        let s = style::link(kind);
        let dash = if s.dashed {
            ",stroke-dasharray:5 5"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:{},stroke-width:{}px{dash}",
            edges.join(","),
            s.colour,
            s.width
        );
    }
    out
}

/// Text for inside a double-quoted Mermaid label: ASCII punctuation that Mermaid or the
/// HTML it renders to could read as syntax becomes an entity code (`#34;`).
fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric()
            || " -_./:,()+=@".contains(c)
            || (!c.is_ascii() && !c.is_control())
        {
            out.push(c);
        } else if c.is_control() {
            out.push(' ');
        } else {
            let _ = write!(out, "#{};", u32::from(c));
        }
    }
    out
}
