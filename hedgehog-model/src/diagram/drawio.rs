//! draw.io (mxGraph XML): group boxes, nodes and edges as cells with fixed geometry, each
//! edge's port names as labels at its two ends. Labels are plain text (no `html=1`), so a
//! name is shown as written, never interpreted as markup.

use std::fmt::Write;

use super::graph::Diagram;
use super::layout::{Layout, Rect};
use super::{style, xml_escape};

pub(super) fn render(d: &Diagram) -> String {
    let layout = Layout::of(d);
    let mut out = String::new();
    let _ = write!(
        out,
        "<mxfile host=\"hedgehog\">\n<diagram id=\"wiring\" name=\"wiring\">\n\
         <mxGraphModel dx=\"{w}\" dy=\"{h}\" grid=\"1\" gridSize=\"10\" guides=\"1\" \
         tooltips=\"1\" connect=\"1\" arrows=\"0\" fold=\"1\" page=\"0\" pageScale=\"1\" \
         pageWidth=\"{w}\" pageHeight=\"{h}\" math=\"0\" shadow=\"0\">\n<root>\n\
         <mxCell id=\"0\"/>\n<mxCell id=\"1\" parent=\"0\"/>\n",
        w = layout.width,
        h = layout.height
    );
    for (i, (g, r)) in d.groups.iter().zip(&layout.groups).enumerate() {
        let Some(r) = r else { continue };
        vertex(
            &mut out,
            &format!("g{i}"),
            &style::group_label(&g.name, &g.kind),
            "",
            "rounded=1;dashed=1;fillColor=none;strokeColor=#999999;verticalAlign=top;\
             align=left;spacingLeft=6;fontSize=10;",
            r,
        );
    }
    for (i, (n, r)) in d.nodes.iter().zip(&layout.nodes).enumerate() {
        let (fill, stroke) = style::node(n.kind);
        let rounded = u8::from(n.kind != super::NodeKind::Server);
        vertex(
            &mut out,
            &format!("n{i}"),
            &n.name,
            &n.details,
            &format!(
                "rounded={rounded};whiteSpace=wrap;fontSize=11;fillColor={fill};strokeColor={stroke};"
            ),
            r,
        );
    }
    for (i, e) in d.edges.iter().enumerate() {
        let s = style::link(e.kind);
        let shape = if e.from == e.to {
            "edgeStyle=orthogonalEdgeStyle;loop=1;"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<mxCell id=\"e{i}\" value=\"\" tooltip=\"{tip}\" style=\"endArrow=none;{shape}strokeWidth={w};strokeColor={c};dashed={dash};\" edge=\"1\" parent=\"1\" source=\"n{from}\" target=\"n{to}\">\
             <mxGeometry relative=\"1\" as=\"geometry\"/></mxCell>",
            tip = xml_escape(&format!("{} ({})", e.connection, e.kind.as_str())),
            w = s.width,
            c = s.colour,
            dash = u8::from(s.dashed),
            from = e.from,
            to = e.to,
        );
        for (end, (x, port)) in [(-0.7, &e.from_port), (0.7, &e.to_port)]
            .into_iter()
            .enumerate()
        {
            if port.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "<mxCell id=\"e{i}p{end}\" value=\"{v}\" style=\"edgeLabel;fontSize=9;labelBackgroundColor=#ffffff;\" vertex=\"1\" connectable=\"0\" parent=\"e{i}\">\
                 <mxGeometry x=\"{x}\" relative=\"1\" as=\"geometry\"><mxPoint as=\"offset\"/></mxGeometry></mxCell>",
                v = xml_escape(port),
            );
        }
    }
    out.push_str("</root>\n</mxGraphModel>\n</diagram>\n</mxfile>\n");
    out
}

fn vertex(out: &mut String, id: &str, value: &str, tooltip: &str, style: &str, r: &Rect) {
    let tooltip = if tooltip.is_empty() {
        String::new()
    } else {
        format!(" tooltip=\"{}\"", xml_escape(tooltip))
    };
    let _ = writeln!(
        out,
        "<mxCell id=\"{id}\" value=\"{v}\"{tooltip} style=\"{style}\" vertex=\"1\" parent=\"1\">\
         <mxGeometry x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" as=\"geometry\"/></mxCell>",
        v = xml_escape(value),
        x = r.x,
        y = r.y,
        w = r.w,
        h = r.h,
    );
}
