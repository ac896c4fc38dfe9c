//! Wiring diagrams as hhfab draws them: spines, leaves (redundancy groups boxed) and
//! servers in tiers, one edge per link labelled with its ports, link kinds told apart by
//! colour and dash. Four formats: draw.io (mxGraph XML), Graphviz dot, Mermaid, and SVG
//! drawn here without any external program. Output is deterministic: the same objects give
//! the same bytes.
//!
//! ```
//! use hedgehog_model::diagram::{Diagram, Format};
//! use hedgehog_model::sample::{Preset, preset};
//!
//! let diagram = Diagram::from_objects(&preset(Preset::Vlab));
//! let svg = diagram.render(Format::Svg);
//! assert!(svg.starts_with("<svg"));
//! ```

mod dot;
mod drawio;
mod graph;
mod layout;
mod mermaid;
mod style;
mod svg;

use crate::config::FabricConfig;
use crate::hydrate::{HydrateMode, hydrate};
use crate::{Diagnostic, Object};

pub use graph::{Diagram, Edge, Group, LinkKind, Node, NodeKind};

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// draw.io / diagrams.net (mxGraph XML, laid out).
    Drawio,
    /// Graphviz dot (laid out by Graphviz).
    Dot,
    /// Mermaid flowchart (renders in GitHub Markdown).
    Mermaid,
    /// SVG, laid out and drawn by hedgehog.
    #[default]
    Svg,
}

impl Format {
    /// Every format, in the order the CLI lists them.
    pub const ALL: [Format; 4] = [Format::Drawio, Format::Dot, Format::Mermaid, Format::Svg];

    /// Its name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Drawio => "drawio",
            Format::Dot => "dot",
            Format::Mermaid => "mermaid",
            Format::Svg => "svg",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                format!("unknown diagram format {s:?}, must be one of drawio, dot, mermaid, svg")
            })
    }
}

impl Diagram {
    /// Draws the diagram in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Drawio => drawio::render(self),
            Format::Dot => dot::render(self),
            Format::Mermaid => mermaid::render(self),
            Format::Svg => svg::render(self),
        }
    }
}

/// Draws `objects` as `hedgehogd diagram` does: hydrated first with `cfg` where they are not
/// yet (ASNs and addresses show in tooltips). Hydration never changes which links exist, so
/// its problems (e.g. a partly hydrated wiring) are returned beside a complete drawing.
pub fn draw(
    mut objects: Vec<Object>,
    cfg: &FabricConfig,
    format: Format,
) -> (String, Vec<Diagnostic>) {
    let problems = hydrate(&mut objects, cfg, HydrateMode::IfNotPresent)
        .err()
        .unwrap_or_default();
    (Diagram::from_objects(&objects).render(format), problems)
}

/// Text escaped for XML content and attribute values. Characters XML 1.0 cannot hold at
/// all (most C0 controls) become U+FFFD, so the document always parses.
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
