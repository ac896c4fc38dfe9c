//! Where each node goes: tiers top to bottom (gateways, spines, leaves with externals beside
//! them, servers), redundancy groups kept side by side, servers under the leaves they use.
//! Integer coordinates, so the drawings are the same bytes on every machine.

use std::collections::BTreeMap;

use super::graph::{Diagram, NodeKind};

/// Height of a node box.
pub(crate) const NODE_H: i64 = 40;
const GAP_X: i64 = 24;
const GAP_Y: i64 = 140;
const MARGIN: i64 = 40;
/// Padding of a group box around its members (more on top, for its label).
pub(crate) const GROUP_PAD: i64 = 12;
pub(crate) const GROUP_LABEL: i64 = 18;
/// Rows of servers wrap at this width unless the other rows are wider.
const MIN_WRAP: i64 = 1600;

/// An axis-aligned box.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Rect {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
}

impl Rect {
    pub(crate) fn cx(&self) -> i64 {
        self.x + self.w / 2
    }

    pub(crate) fn bottom(&self) -> i64 {
        self.y + self.h
    }
}

/// The positions of a [`Diagram`]'s nodes and group boxes.
pub(crate) struct Layout {
    /// One box per node, same order as the diagram's nodes.
    pub nodes: Vec<Rect>,
    /// One box per group (`None` for a group whose members are not drawn).
    pub groups: Vec<Option<Rect>>,
    /// For each edge, the x of its two ends on their nodes' borders: the links of a node
    /// are spread along its side in the order of their far ends, so they neither cross
    /// needlessly nor share a point.
    pub anchors: Vec<[i64; 2]>,
    pub width: i64,
    pub height: i64,
}

/// A node's width: wide enough for its name.
pub(crate) fn node_width(name: &str) -> i64 {
    let chars = i64::try_from(name.chars().count()).unwrap_or(i64::MAX / 16);
    (chars.saturating_mul(8) + 24).clamp(96, 480)
}

impl Layout {
    /// Lays out `d`.
    pub(crate) fn of(d: &Diagram) -> Layout {
        let rows = rows(d);
        let widths: Vec<Vec<i64>> = rows
            .iter()
            .map(|row| row.iter().map(|&i| node_width(&d.nodes[i].name)).collect())
            .collect();
        let wrap = widths
            .iter()
            .zip(&rows)
            .filter(|(_, row)| {
                row.first()
                    .is_none_or(|&i| d.nodes[i].kind != NodeKind::Server)
            })
            .map(|(w, _)| row_width(w))
            .max()
            .unwrap_or(0)
            .max(MIN_WRAP);
        let mut lines: Vec<Vec<(usize, i64)>> = Vec::new();
        for (row, w) in rows.iter().zip(&widths) {
            let mut line: Vec<(usize, i64)> = Vec::new();
            let mut used = 0;
            for (&i, &w) in row.iter().zip(w) {
                if !line.is_empty() && used + w > wrap {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                used += w + GAP_X;
                line.push((i, w));
            }
            lines.push(line);
        }
        let width = lines
            .iter()
            .map(|l| row_width(&l.iter().map(|&(_, w)| w).collect::<Vec<_>>()))
            .max()
            .unwrap_or(0);
        let mut nodes = vec![Rect::default(); d.nodes.len()];
        let mut y = MARGIN + GROUP_PAD + GROUP_LABEL;
        for line in &lines {
            let line_w = row_width(&line.iter().map(|&(_, w)| w).collect::<Vec<_>>());
            let mut x = MARGIN + (width - line_w) / 2;
            for &(i, w) in line {
                nodes[i] = Rect { x, y, w, h: NODE_H };
                x += w + GAP_X;
            }
            y += NODE_H + GAP_Y;
        }
        let groups = group_boxes(d, &nodes);
        Layout {
            anchors: anchors(d, &nodes),
            nodes,
            groups,
            width: width + 2 * MARGIN,
            height: y - GAP_Y + MARGIN + 120,
        }
    }
}

fn row_width(widths: &[i64]) -> i64 {
    let gaps = i64::try_from(widths.len().saturating_sub(1)).unwrap_or(0) * GAP_X;
    widths.iter().sum::<i64>() + gaps
}

/// The nodes of each tier, in drawing order.
fn rows(d: &Diagram) -> Vec<Vec<usize>> {
    let of_kind = |k: NodeKind| -> Vec<usize> {
        (0..d.nodes.len())
            .filter(|&i| d.nodes[i].kind == k)
            .collect()
    };
    let mut leaves = of_kind(NodeKind::Leaf);
    // Members of a group sit together, where the group's first member would sit.
    let anchor: BTreeMap<usize, &str> = leaves
        .iter()
        .filter_map(|&i| d.nodes[i].group.map(|g| (g, d.nodes[i].name.as_str())))
        .fold(BTreeMap::new(), |mut m, (g, name)| {
            m.entry(g)
                .and_modify(|a: &mut &str| *a = (*a).min(name))
                .or_insert(name);
            m
        });
    leaves.sort_by_key(|&i| {
        let n = &d.nodes[i];
        let a = n.group.map_or(n.name.as_str(), |g| anchor[&g]);
        (a, n.group, n.name.as_str())
    });
    let mut leaf_row = leaves.clone();
    leaf_row.extend(of_kind(NodeKind::External));
    let servers = servers_under(d, &leaves);
    [
        of_kind(NodeKind::Gateway),
        of_kind(NodeKind::Spine),
        leaf_row,
        servers,
    ]
    .into_iter()
    .filter(|r| !r.is_empty())
    .collect()
}

/// Servers ordered by the mean position of the switches they are linked to.
fn servers_under(d: &Diagram, leaves: &[usize]) -> Vec<usize> {
    let position: BTreeMap<usize, i64> = leaves
        .iter()
        .enumerate()
        .map(|(p, &i)| (i, i64::try_from(p).unwrap_or(i64::MAX)))
        .collect();
    let mut sum: BTreeMap<usize, (i64, i64)> = BTreeMap::new();
    for e in &d.edges {
        for (server, other) in [(e.to, e.from), (e.from, e.to)] {
            if d.nodes[server].kind == NodeKind::Server
                && let Some(p) = position.get(&other)
            {
                let s = sum.entry(server).or_default();
                *s = (s.0 + p * 1000, s.1 + 1);
            }
        }
    }
    let mut servers: Vec<usize> = (0..d.nodes.len())
        .filter(|&i| d.nodes[i].kind == NodeKind::Server)
        .collect();
    servers.sort_by_key(|i| {
        let (s, n) = sum.get(i).copied().unwrap_or((i64::MAX, 1));
        (s / n, d.nodes[*i].name.as_str())
    });
    servers
}

fn group_boxes(d: &Diagram, nodes: &[Rect]) -> Vec<Option<Rect>> {
    let mut boxes: Vec<Option<Rect>> = vec![None; d.groups.len()];
    for (node, r) in d.nodes.iter().zip(nodes) {
        let Some(g) = node.group else { continue };
        let b = boxes[g].get_or_insert(*r);
        let (x0, y0) = (b.x.min(r.x), b.y.min(r.y));
        let (x1, y1) = ((b.x + b.w).max(r.x + r.w), b.bottom().max(r.bottom()));
        *b = Rect {
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
        };
    }
    boxes
        .into_iter()
        .map(|b| {
            b.map(|r| Rect {
                x: r.x - GROUP_PAD,
                y: r.y - GROUP_PAD - GROUP_LABEL,
                w: r.w + 2 * GROUP_PAD,
                h: r.h + 2 * GROUP_PAD + GROUP_LABEL,
            })
        })
        .collect()
}

/// See [`Layout::anchors`]. A node's top and bottom sides are spread separately; a link to
/// a node in the same row, or a loop, leaves from the bottom.
fn anchors(d: &Diagram, nodes: &[Rect]) -> Vec<[i64; 2]> {
    /// (far end's x, edge, which end of it)
    type End = (i64, usize, usize);
    // (node, whether the side is its top) → the link ends on that side
    let mut sides: BTreeMap<(usize, bool), Vec<End>> = BTreeMap::new();
    for (i, e) in d.edges.iter().enumerate() {
        let (a, b) = (nodes[e.from], nodes[e.to]);
        sides
            .entry((e.from, b.y < a.y))
            .or_default()
            .push((b.cx(), i, 0));
        sides
            .entry((e.to, a.y < b.y))
            .or_default()
            .push((a.cx(), i, 1));
    }
    let mut anchors = vec![[0; 2]; d.edges.len()];
    for ((node, _), mut ends) in sides {
        ends.sort_unstable();
        let r = nodes[node];
        let n = i64::try_from(ends.len()).unwrap_or(i64::MAX - 1);
        for (k, (_, edge, end)) in (1..).zip(ends) {
            anchors[edge][end] = r.x + r.w * k / (n + 1);
        }
    }
    anchors
}
