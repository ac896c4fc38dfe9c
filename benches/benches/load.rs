//! Loading and rendering a generated 100 000-object fabric (≈40 MB of multi-document YAML):
//! objects/s and MB/s, plus resident memory per loaded object.

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, Throughput};
use hedgehog_model::load::{Limits, Loader};
use hedgehog_model::render::render;

const OBJECTS: usize = 100_000;

/// One realistic document per object, cycling Switch, Connection, VPC and VPCAttachment.
fn fabric(objects: usize) -> String {
    let mut out = String::with_capacity(objects * 420);
    for i in 0..objects {
        if i > 0 {
            out.push_str("---\n");
        }
        let n = i / 4;
        let (a, b) = ((n / 250) % 250, n % 250);
        let doc = match i % 4 {
            0 => format!(
                "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: leaf-{n}\n  namespace: default\n\
                 spec:\n  role: server-leaf\n  description: leaf {n} in rack {a}\n  profile: celestica-ds3000\n  asn: {asn}\n\
                 \x20 ip: 172.30.{a}.{b}/21\n  vtepIP: 172.31.{a}.{b}/32\n  protocolIP: 172.32.{a}.{b}/32\n\
                 \x20 redundancy:\n    group: mclag-{a}\n    type: mclag\n  boot:\n    mac: 0c:20:12:fe:{a:02x}:{b:02x}\n",
                asn = 65000 + n
            ),
            1 => format!(
                "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Connection\nmetadata:\n  name: server-{n}--unbundled--leaf-{n}\n\
                 \x20 namespace: default\nspec:\n  unbundled:\n    link:\n      server:\n        port: server-{n}/enp2s1\n\
                 \x20     switch:\n        port: leaf-{n}/E1/{port}\n    mtu: 9036\n",
                port = 1 + n % 48
            ),
            2 => format!(
                "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-{n}\n  namespace: default\n\
                 spec:\n  ipv4Namespace: default\n  vlanNamespace: default\n  subnets:\n    default:\n      subnet: 10.{a}.{b}.0/24\n\
                 \x20     gateway: 10.{a}.{b}.1\n      vlan: {vlan}\n      dhcp:\n        enable: true\n        range:\n\
                 \x20         start: 10.{a}.{b}.10\n",
                vlan = 1000 + n % 2000
            ),
            _ => format!(
                "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPCAttachment\nmetadata:\n  name: vpc-{n}--server-{n}\n\
                 \x20 namespace: default\n  labels:\n    fabric.githedgehog.com/vpc: vpc-{n}\nspec:\n  subnet: vpc-{n}/default\n\
                 \x20 connection: server-{n}--unbundled--leaf-{n}\n  nativeVLAN: false\n"
            ),
        };
        out.push_str(&doc);
    }
    out
}

/// Resident set size in bytes (Linux), to report memory per loaded object.
fn rss() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn report_once(text: &str) {
    let loader = Loader::new(Limits::default());
    let before = rss();
    let start = Instant::now();
    let loaded = loader.load_str(text, Some("fabric.yaml"));
    let took = start.elapsed();
    let after = rss();
    assert_eq!(
        loaded.documents.len(),
        OBJECTS,
        "{:?}",
        loaded.diagnostics.first()
    );
    assert!(loaded.diagnostics.is_empty(), "{}", loaded.diagnostics[0]);
    let mb = text.len() as f64 / 1e6;
    eprintln!(
        "load: {OBJECTS} objects, {mb:.1} MB in {:.0} ms: {:.0} objects/s, {:.1} MB/s",
        took.as_secs_f64() * 1e3,
        OBJECTS as f64 / took.as_secs_f64(),
        mb / took.as_secs_f64()
    );
    if let (Some(before), Some(after)) = (before, after) {
        // Includes the shared copy of the source text each document keeps for locating.
        eprintln!(
            "memory: {:.0} MB resident for the loaded fabric, {} bytes per object",
            after.saturating_sub(before) as f64 / 1e6,
            after.saturating_sub(before) / OBJECTS
        );
    }
    let start = Instant::now();
    let out = render(&loaded.documents);
    eprintln!(
        "render: {:.1} MB in {:.0} ms",
        out.len() as f64 / 1e6,
        start.elapsed().as_secs_f64() * 1e3
    );
}

fn main() {
    let text = fabric(OBJECTS);
    report_once(&text);
    let mut c = Criterion::default().sample_size(10).configure_from_args();
    let loader = Loader::new(Limits::default());
    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Elements(OBJECTS as u64));
    group.bench_function("objects", |b| {
        b.iter(|| black_box(loader.load_str(&text, Some("fabric.yaml"))))
    });
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("bytes", |b| {
        b.iter(|| black_box(loader.load_str(&text, Some("fabric.yaml"))))
    });
    group.finish();
    let loaded = loader.load_str(&text, Some("fabric.yaml"));
    let mut group = c.benchmark_group("render");
    group.throughput(Throughput::Elements(OBJECTS as u64));
    group.bench_function("objects", |b| {
        b.iter(|| black_box(render(&loaded.documents)))
    });
    group.finish();
    c.final_summary();
}
