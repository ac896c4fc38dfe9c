//! Graphviz dot: an undirected graph, top to bottom; redundancy groups as clusters; each
//! link an edge with its port names at its ends. Graphviz lays it out.

use std::fmt::Write;

use super::graph::{Diagram, Node, NodeKind};
use super::style;

pub(super) fn render(d: &Diagram) -> String {
    let mut out = String::from(
        "graph wiring {\n  rankdir=TB;\n  newrank=true;\n  nodesep=0.3;\n  ranksep=1.2;\n  \
         node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n  \
         edge [fontname=\"Helvetica\", fontsize=8];\n",
    );
    for (g, group) in d.groups.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph cluster_g{g} {{\n    label={};\n    style=dashed;\n    color=\"#999999\";",
            quote(&style::group_label(&group.name, &group.kind))
        );
        for (i, n) in d.nodes.iter().enumerate() {
            if n.group == Some(g) {
                node(&mut out, i, n);
            }
        }
        out.push_str("  }\n");
    }
    for (i, n) in d
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.group.is_none())
    {
        node(&mut out, i, n);
    }
    // Tiers: every node of a kind on one rank (newrank lets clustered nodes join it).
    for kind in [
        NodeKind::Gateway,
        NodeKind::Spine,
        NodeKind::Leaf,
        NodeKind::Server,
    ] {
        let ids: Vec<String> = (0..d.nodes.len())
            .filter(|&i| d.nodes[i].kind == kind)
            .map(|i| format!("n{i}"))
            .collect();
        if !ids.is_empty() {
            let _ = writeln!(out, "  {{ rank=same; {}; }}", ids.join("; "));
        }
    }
    for e in &d.edges {
        let s = style::link(e.kind);
        let _ = writeln!(
            out,
            "  n{} -- n{} [color=\"{}\", penwidth={}, style={}, taillabel={}, headlabel={}, tooltip={}];",
            e.from,
            e.to,
            s.colour,
            s.width,
            if s.dashed { "dashed" } else { "solid" },
            quote(&e.from_port),
            quote(&e.to_port),
            quote(&format!("{} ({})", e.connection, e.kind.as_str())),
        );
    }
    out.push_str("}\n");
    out
}

fn node(out: &mut String, i: usize, n: &Node) {
    let (fill, stroke) = style::node(n.kind);
    let _ = writeln!(
        out,
        "    n{i} [label={}, fillcolor=\"{fill}\", color=\"{stroke}\", tooltip={}];",
        quote(&n.name),
        quote(&n.details)
    );
}

/// A dot double-quoted string. Backslashes are doubled, because Graphviz reads `\N`, `\G`,
/// `\l` and the like in labels as escapes; `&` becomes `&amp;`, because Graphviz decodes
/// HTML entities in labels; line breaks become spaces.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '&' => out.push_str("&amp;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
