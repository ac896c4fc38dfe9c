//! SVG drawn here: group boxes, links (straight between tiers, arcs within a tier, loops on
//! one switch) with their port names, nodes, and a legend naming every link kind used.
//! Only presentation attributes, no `<style>`, so a page with a strict Content-Security-
//! Policy can inline it; nodes carry `data-kind`/`data-name` for a page to find them.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::graph::{Diagram, Edge, LinkKind};
use super::layout::{Layout, NODE_H, Rect};
use super::{style, xml_escape};

pub(super) fn render(d: &Diagram) -> String {
    let layout = Layout::of(d);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"wiring diagram\">\n\
         <rect class=\"background\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>",
        w = layout.width,
        h = layout.height
    );
    out.push_str("<g class=\"groups\">\n");
    for (g, r) in d.groups.iter().zip(&layout.groups) {
        let Some(r) = r else { continue };
        let _ = writeln!(
            out,
            "<g class=\"group\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"none\" stroke=\"#999999\" stroke-dasharray=\"4 3\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#555555\">{}</text></g>",
            r.x,
            r.y,
            r.w,
            r.h,
            r.x + 6,
            r.y + 13,
            xml_escape(&style::group_label(&g.name, &g.kind))
        );
    }
    out.push_str("</g>\n<g class=\"edges\">\n");
    for (e, anchors) in d.edges.iter().zip(&layout.anchors) {
        edge(&mut out, d, e, &layout.nodes, *anchors);
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for (n, r) in d.nodes.iter().zip(&layout.nodes) {
        let (fill, stroke) = style::node(n.kind);
        let name = xml_escape(&n.name);
        let object = n
            .kind
            .object_kind()
            .map(|k| format!(" data-kind=\"{k}\""))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<g class=\"node {kind}\"{object} data-name=\"{name}\"><title>{name} ({kind}){details}</title>\
             <rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"{rx}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"/>\
             <text x=\"{cx}\" y=\"{ty}\" text-anchor=\"middle\" fill=\"#000000\">{name}</text></g>",
            kind = n.kind.as_str(),
            details = if n.details.is_empty() {
                String::new()
            } else {
                format!(": {}", xml_escape(&n.details))
            },
            x = r.x,
            y = r.y,
            w = r.w,
            h = r.h,
            rx = if n.kind == super::NodeKind::Server {
                2
            } else {
                8
            },
            cx = r.cx(),
            ty = r.y + NODE_H / 2 + 4,
        );
    }
    out.push_str("</g>\n");
    legend(&mut out, d, &layout);
    out.push_str("</svg>\n");
    out
}

fn edge(out: &mut String, d: &Diagram, e: &Edge, nodes: &[Rect], [xa, xb]: [i64; 2]) {
    let s = style::link(e.kind);
    let (a, b) = (nodes[e.from], nodes[e.to]);
    let dash = if s.dashed {
        " stroke-dasharray=\"6 4\""
    } else {
        ""
    };
    let stroke = format!(
        "fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{dash}",
        s.colour, s.width
    );
    let (path, ports) = if a.y == b.y {
        // Same row (mesh, MCLAG peer links, loops): an arc below the row.
        let y = a.bottom();
        let dip = 30 + (xb - xa).abs() / 8;
        let path = format!("M{xa},{y} Q{},{} {xb},{y}", (xa + xb) / 2, y + dip);
        (path, [(xa, y + 14), (xb, y + 14)])
    } else {
        let ya = if a.y < b.y { a.bottom() } else { a.y };
        let yb = if a.y < b.y { b.y } else { b.bottom() };
        let at = |t: i64| (xa + (xb - xa) * t / 100, ya + (yb - ya) * t / 100 + 3);
        (format!("M{xa},{ya} L{xb},{yb}"), [at(20), at(80)])
    };
    let title = format!(
        "{} ({}): {}/{} — {}/{}",
        e.connection,
        e.kind.as_str(),
        d.nodes[e.from].name,
        e.from_port,
        d.nodes[e.to].name,
        e.to_port
    );
    let _ = write!(
        out,
        "<g class=\"edge\" data-link=\"{}\" data-connection=\"{}\"><title>{}</title><path d=\"{path}\" {stroke}/>",
        e.kind.as_str(),
        xml_escape(&e.connection),
        xml_escape(&title)
    );
    for ((x, y), port) in ports.into_iter().zip([&e.from_port, &e.to_port]) {
        if !port.is_empty() {
            let _ = write!(
                out,
                "<text x=\"{x}\" y=\"{y}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#333333\" \
                 stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
                xml_escape(port)
            );
        }
    }
    out.push_str("</g>\n");
}

/// A line sample and the name of each link kind present, under the drawing.
fn legend(out: &mut String, d: &Diagram, layout: &Layout) {
    let kinds: BTreeSet<LinkKind> = d.edges.iter().map(|e| e.kind).collect();
    let y = layout.height - 50;
    let _ = writeln!(out, "<g class=\"legend\" transform=\"translate(40,{y})\">");
    let mut x = 0;
    for kind in LinkKind::ALL.into_iter().filter(|k| kinds.contains(k)) {
        let s = style::link(kind);
        let dash = if s.dashed {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"0\" x2=\"{}\" y2=\"0\" stroke=\"{}\" stroke-width=\"{}\"{dash}/><text x=\"{}\" y=\"4\" font-size=\"10\">{}</text>",
            x + 30,
            s.colour,
            s.width,
            x + 36,
            kind.as_str()
        );
        x += 50 + 7 * i64::try_from(kind.as_str().len()).unwrap_or(0);
    }
    out.push_str("</g>\n");
}
