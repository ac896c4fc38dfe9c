//! A structure-aware mutator of fabrics: one to three edits of a valid fabric, each aimed at
//! a rule — numbers at and past their bounds, CIDRs overlapping, outside or malformed, names
//! and labels, VLAN ranges, references to missing or wrong-kind objects, duplicate ports and
//! links, deleted referenced objects, and optional fields upstream checks.

use serde_json::{Map, Value, json};

use crate::rng::Rng;

/// One step into a JSON value.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

type Path = Vec<Seg>;

fn show(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => format!(".{k}"),
            Seg::Index(i) => format!("[{i}]"),
        })
        .collect()
}

fn get_mut<'a>(mut v: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    for seg in path {
        v = match seg {
            Seg::Key(k) => v.as_object_mut()?.get_mut(k)?,
            Seg::Index(i) => v.as_array_mut()?.get_mut(*i)?,
        };
    }
    Some(v)
}

fn get<'a>(mut v: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    for seg in path {
        v = match seg {
            Seg::Key(k) => v.as_object()?.get(k)?,
            Seg::Index(i) => v.as_array()?.get(*i)?,
        };
    }
    Some(v)
}

/// Every node below `v` (containers and scalars) with its path, `v` itself excluded.
fn nodes(v: &Value, path: &mut Path, out: &mut Vec<Path>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                path.push(Seg::Key(k.clone()));
                out.push(path.clone());
                nodes(child, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                out.push(path.clone());
                nodes(child, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The nodes of a document an edit may touch: everything but apiVersion and kind.
fn editable(doc: &Value) -> Vec<Path> {
    let mut out = Vec::new();
    nodes(doc, &mut Vec::new(), &mut out);
    out.retain(|p| !matches!(p.first(), Some(Seg::Key(k)) if k == "apiVersion" || k == "kind"));
    out
}

fn last_key(path: &[Seg]) -> &str {
    path.iter()
        .rev()
        .find_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        })
        .unwrap_or("")
}

fn kind(doc: &Value) -> &str {
    doc["kind"].as_str().unwrap_or("")
}

fn name(doc: &Value) -> &str {
    doc["metadata"]["name"].as_str().unwrap_or("")
}

/// Applies one to three edits to the documents of a valid fabric; returns what was done.
pub fn mutate(docs: &mut Vec<Value>, rng: &mut Rng) -> Vec<String> {
    let edits = *rng.pick(&[1, 1, 1, 1, 1, 1, 2, 2, 2, 3]);
    (0..edits).filter_map(|_| edit(docs, rng)).collect()
}

fn edit(docs: &mut Vec<Value>, rng: &mut Rng) -> Option<String> {
    if docs.is_empty() {
        return None;
    }
    match rng.below(100) {
        0..=37 => set_scalar(docs, rng),
        38..=47 => copy_from_peer(docs, rng),
        48..=61 => template(docs, rng),
        62..=68 => add_entry(docs, rng),
        69..=74 => delete_node(docs, rng),
        75..=80 => delete_doc(docs, rng),
        81..=84 => duplicate_doc(docs, rng),
        85..=89 => rename(docs, rng),
        90..=94 => label(docs, rng),
        _ => unknown_field(docs, rng),
    }
}

/// Sets a scalar to a value chosen for what it looks like (number, CIDR, IP, port, MAC,
/// community, name or reference).
fn set_scalar(docs: &mut [Value], rng: &mut Rng) -> Option<String> {
    let d = rng.below(docs.len());
    let leaves: Vec<Path> = editable(&docs[d])
        .into_iter()
        .filter(|p| !get(&docs[d], p).is_some_and(|v| v.is_object() || v.is_array()))
        .collect();
    if leaves.is_empty() {
        return None;
    }
    let path = rng.pick(&leaves).clone();
    let names = all_names(docs);
    let current = get(&docs[d], &path)?.clone();
    let new = scalar_for(last_key(&path), &current, &names, rng);
    let what = format!(
        "{}/{}{}: {current} -> {new}",
        kind(&docs[d]),
        name(&docs[d]),
        show(&path)
    );
    *get_mut(&mut docs[d], &path)? = new;
    Some(what)
}

fn all_names(docs: &[Value]) -> Vec<String> {
    docs.iter().map(|d| name(d).to_owned()).collect()
}

const NUMBERS: &[i64] = &[
    0, 1, 2, 9, 10, 30, 31, 32, 33, 95, 96, 99, 100, 999, 1000, 2999, 3000, 3899, 3900, 3999, 4000,
    4094, 4095, 9036, 9037, 9100, 9216, 9217, 65099, 65100, 65101, 65533, 65534, 65535, 65536,
    4294967295, 4294967296, -1,
];

fn scalar_for(key: &str, current: &Value, names: &[String], rng: &mut Rng) -> Value {
    match current {
        Value::Bool(b) => json!(!b),
        Value::Number(n) => {
            let n = n.as_i64().unwrap_or(0);
            if rng.chance(30) {
                json!(n + *rng.pick(&[-1, 1, -2, 2, 256]))
            } else {
                json!(*rng.pick(NUMBERS))
            }
        }
        Value::String(s) => json!(string_for(key, s, names, rng)),
        _ => json!(null),
    }
}

fn string_for(key: &str, s: &str, names: &[String], rng: &mut Rng) -> String {
    if let Some((addr, len)) = s.split_once('/')
        && addr.parse::<std::net::Ipv4Addr>().is_ok()
    {
        return cidr_variant(addr, len, rng);
    }
    if s.parse::<std::net::Ipv4Addr>().is_ok() {
        return ip_variant(s, rng);
    }
    if key == "port" {
        return port_variant(s, names, rng);
    }
    if s.len() == 17 && s.matches(':').count() == 5 {
        return rng
            .pick(&[
                "0c:20:12:ff:00:01",
                "0C:20:12:FF:00:01",
                "0c-20-12-ff-00-02",
                "0c:20:12:ff:00",
                "zz:20:12:ff:00:01",
                "",
            ])
            .to_string();
    }
    if key.ends_with("Community") {
        return rng
            .pick(&[
                "50000:1",
                "65535:65535",
                "65536:1",
                "1:65536",
                "1",
                "a:b",
                "1:2:3",
                "",
            ])
            .to_string();
    }
    name_variant(s, names, rng)
}

fn cidr_variant(addr: &str, len: &str, rng: &mut Rng) -> String {
    let octets: Vec<u32> = addr.split('.').filter_map(|o| o.parse().ok()).collect();
    let bump = |i: usize, by: u32| {
        let mut o = octets.clone();
        o[i] = (o[i] + by) % 256;
        format!("{}.{}.{}.{}/{len}", o[0], o[1], o[2], o[3])
    };
    match rng.below(12) {
        0 => format!(
            "{addr}/{}",
            rng.pick(&[
                "0", "8", "16", "20", "23", "24", "25", "29", "30", "31", "32", "33"
            ])
        ),
        1 => bump(3, 1),
        2 => bump(2, 1),
        3 => bump(1, 1),
        4 => bump(3, 128),
        5 => addr.to_owned(),
        6 => format!("{addr}/"),
        7 => rng
            .pick(&[
                "172.30.0.0/24",
                "172.30.128.0/24",
                "172.30.8.0/24",
                "172.30.96.0/20",
            ])
            .to_string(),
        8 => rng
            .pick(&["0.0.0.0/0", "10.0.0.0/8", "10.0.0.0/16", "10.1.0.0/24"])
            .to_string(),
        9 => rng
            .pick(&[
                "10.0.1.256/24",
                "a.b.c.d/24",
                "fd00::/64",
                "",
                "10.0.1.0/24/1",
            ])
            .to_string(),
        10 => format!("{addr}/{len}"),
        _ => bump(2, 2),
    }
}

fn ip_variant(s: &str, rng: &mut Rng) -> String {
    let octets: Vec<u32> = s.split('.').filter_map(|o| o.parse().ok()).collect();
    let with_last = |last: u32| format!("{}.{}.{}.{last}", octets[0], octets[1], octets[2]);
    match rng.below(8) {
        0 => with_last(0),
        1 => with_last(255),
        2 => with_last(1),
        3 => with_last((octets[3] + 1) % 256),
        4 => format!(
            "{}.{}.{}.{}",
            octets[0],
            octets[1],
            (octets[2] + 1) % 256,
            octets[3]
        ),
        5 => format!("{s}/24"),
        6 => rng
            .pick(&["", "not-an-ip", "10.0.1", "fd00::1", "172.30.0.1"])
            .to_string(),
        _ => with_last(200),
    }
}

fn port_variant(s: &str, names: &[String], rng: &mut Rng) -> String {
    let device = s.split('/').next().unwrap_or("");
    let port = s.split_once('/').map_or("", |(_, p)| p);
    match rng.below(9) {
        0 => format!(
            "{device}/{}",
            rng.pick(&[
                "E1/0", "E1/48", "E1/49", "E1/53", "E1/65", "E1/1/1", "E1/1/5", "M1", "E2/1"
            ])
        ),
        1 => device.to_owned(),
        2 => format!("{device}/"),
        3 => format!("/{port}"),
        4 => format!("{}/{port}", rng.pick(names)),
        5 => "missing/E1/1".to_owned(),
        6 => format!("{device}/E1/{}", 1 + rng.below(12)),
        7 => format!("{device}/{port}/1"),
        _ => format!("{device}/enp2s{}", 1 + rng.below(4)),
    }
}

fn name_variant(s: &str, names: &[String], rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=2 => rng.pick(names).clone(),
        3 => "missing".to_owned(),
        4 => String::new(),
        5 => s.to_uppercase(),
        6 => format!("{s}-with-a-long-suffix"),
        7 => format!("ext.{s}"),
        8 => match s.split_once('/') {
            Some((a, _)) => format!("{a}/missing"),
            None => format!("{s}/default"),
        },
        _ => format!("{s}_x"),
    }
}

/// Copies a value from the same place in another document of the same kind, or from a field
/// of the same name elsewhere: duplicate ports, IPs, VLANs and subnets.
fn copy_from_peer(docs: &mut [Value], rng: &mut Rng) -> Option<String> {
    let d = rng.below(docs.len());
    let paths = editable(&docs[d]);
    if paths.is_empty() {
        return None;
    }
    let path = rng.pick(&paths).clone();
    let key = last_key(&path).to_owned();
    let mut donors: Vec<(usize, Path)> = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        if i == d {
            continue;
        }
        if kind(doc) == kind(&docs[d]) && get(doc, &path).is_some() {
            donors.push((i, path.clone()));
        }
        for p in editable(doc) {
            if last_key(&p) == key && p != path {
                donors.push((i, p));
            }
        }
    }
    if donors.is_empty() {
        return None;
    }
    let (i, from) = rng.pick(&donors).clone();
    let value = get(&docs[i], &from)?.clone();
    let what = format!(
        "{}/{}{} := {}/{}{} ({value})",
        kind(&docs[d]),
        name(&docs[d]),
        show(&path),
        kind(&docs[i]),
        name(&docs[i]),
        show(&from)
    );
    *get_mut(&mut docs[d], &path)? = value;
    Some(what)
}

/// Adds a copy of an existing map entry (under a new key) or list item: a second subnet with
/// the same VLAN and prefix, a link on the same ports, a range that overlaps.
fn add_entry(docs: &mut [Value], rng: &mut Rng) -> Option<String> {
    let d = rng.below(docs.len());
    let containers: Vec<Path> = editable(&docs[d])
        .into_iter()
        .filter(|p| matches!(p.first(), Some(Seg::Key(k)) if k == "spec"))
        .filter(|p| {
            get(&docs[d], p).is_some_and(|v| {
                v.as_array().is_some_and(|a| !a.is_empty())
                    || v.as_object().is_some_and(|m| !m.is_empty())
            })
        })
        .collect();
    if containers.is_empty() {
        return None;
    }
    let path = rng.pick(&containers).clone();
    let label = format!("{}/{}{}", kind(&docs[d]), name(&docs[d]), show(&path));
    let extra = rng.below(3);
    match get_mut(&mut docs[d], &path)? {
        Value::Array(items) => {
            let item = rng.pick(items).clone();
            for _ in 0..=extra {
                items.push(item.clone());
            }
            Some(format!("{label}: +{} copies of {item}", extra + 1))
        }
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = rng.pick(&keys).clone();
            let value = map[&key].clone();
            let new_key = rng
                .pick(&[
                    format!("{key}-copy"),
                    format!("{key}2"),
                    key.to_uppercase(),
                    "E1/2".to_owned(),
                ])
                .clone();
            map.insert(new_key.clone(), value);
            Some(format!("{label}: +{new_key} = copy of {key}"))
        }
        _ => None,
    }
}

fn delete_node(docs: &mut [Value], rng: &mut Rng) -> Option<String> {
    let d = rng.below(docs.len());
    let paths = editable(&docs[d]);
    if paths.is_empty() {
        return None;
    }
    let mut path = rng.pick(&paths).clone();
    let last = path.pop()?;
    let what = format!(
        "{}/{}: delete {}{}",
        kind(&docs[d]),
        name(&docs[d]),
        show(&path),
        show(std::slice::from_ref(&last))
    );
    match (get_mut(&mut docs[d], &path)?, last) {
        (Value::Object(map), Seg::Key(k)) => {
            map.remove(&k);
        }
        (Value::Array(items), Seg::Index(i)) => {
            items.remove(i);
        }
        _ => return None,
    }
    Some(what)
}

fn delete_doc(docs: &mut Vec<Value>, rng: &mut Rng) -> Option<String> {
    let d = rng.below(docs.len());
    let doc = docs.remove(d);
    Some(format!("delete {}/{}", kind(&doc), name(&doc)))
}

fn duplicate_doc(docs: &mut Vec<Value>, rng: &mut Rng) -> Option<String> {
    let d = rng.below(docs.len());
    let mut copy = docs[d].clone();
    let what = if rng.chance(40) {
        format!("duplicate {}/{}", kind(&copy), name(&copy))
    } else {
        let new = format!("{}-2", name(&copy));
        copy["metadata"]["name"] = json!(new);
        format!("copy {}/{} as {new}", kind(&copy), name(&docs[d]))
    };
    docs.push(copy);
    Some(what)
}

fn rename(docs: &mut [Value], rng: &mut Rng) -> Option<String> {
    let d = rng.below(docs.len());
    let old = name(&docs[d]).to_owned();
    let new = rng
        .pick(&[
            format!("{old}x"),
            old.to_uppercase(),
            format!("{old}.sub"),
            format!("{old}-"),
            "x".repeat(254),
            "abcdefghijkl".to_owned(),
            "ext.x".to_owned(),
            String::new(),
        ])
        .clone();
    docs[d]["metadata"]["name"] = json!(new);
    let shown: String = new.chars().take(20).collect();
    Some(format!("rename {}/{old} to {shown}", kind(&docs[d])))
}

fn label(docs: &mut [Value], rng: &mut Rng) -> Option<String> {
    let d = rng.below(docs.len());
    let (field, key, value) = *rng.pick(&[
        ("labels", "fabric.githedgehog.com/ipv4ns", "default"),
        ("labels", "fabric.githedgehog.com/vlanns", "other"),
        (
            "labels",
            "fabric.githedgehog.com/connection",
            "leaf-01--external",
        ),
        ("labels", "vpc.fabric.githedgehog.com/vpc-01", "true"),
        ("labels", "example.com/owner", "team-a"),
        ("labels", "Bad Label", "x"),
        (
            "annotations",
            "fabric.githedgehog.com/p2p-link",
            "10.0.1.0/31",
        ),
        (
            "annotations",
            "fabric.githedgehog.com/p2p-link",
            "10.0.1.0/30",
        ),
        ("annotations", "fabric.githedgehog.com/p2p-link", ""),
        ("annotations", "fabric.githedgehog.com/p2p-link", "garbage"),
    ]);
    let meta = docs[d]["metadata"].as_object_mut()?;
    let map = meta
        .entry(field)
        .or_insert_with(|| Value::Object(Map::new()));
    map.as_object_mut()?.insert(key.to_owned(), json!(value));
    Some(format!(
        "{}/{}: metadata.{field}[{key}] = {value:?}",
        kind(&docs[d]),
        name(&docs[d])
    ))
}

fn unknown_field(docs: &mut [Value], rng: &mut Rng) -> Option<String> {
    let d = rng.below(docs.len());
    let maps: Vec<Path> = editable(&docs[d])
        .into_iter()
        .filter(|p| get(&docs[d], p).is_some_and(Value::is_object))
        .collect();
    let path = if maps.is_empty() {
        Vec::new()
    } else {
        rng.pick(&maps).clone()
    };
    get_mut(&mut docs[d], &path)?
        .as_object_mut()?
        .insert("bogus".to_owned(), json!(1));
    Some(format!(
        "{}/{}{}.bogus = 1",
        kind(&docs[d]),
        name(&docs[d]),
        show(&path)
    ))
}

/// Optional fields upstream checks, by kind: `(kind, path, candidate values)`. In a path,
/// `*` stands for a random existing key or index.
const TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "VPC",
        "spec.mode",
        r#"["", "l2vni", "l3vni", "l3flat", "bogus"]"#,
    ),
    ("VPC", "spec.ipv4Namespace", r#"["default", "missing", ""]"#),
    ("VPC", "spec.vlanNamespace", r#"["default", "missing", ""]"#),
    ("VPC", "spec.subnets.*.hostBGP", "[true, false]"),
    (
        "VPC",
        "spec.subnets.*.gateway",
        r#"["10.0.1.1", "10.0.1.0", "10.9.9.9", "bad", ""]"#,
    ),
    ("VPC", "spec.subnets.*.isolated", "[true]"),
    ("VPC", "spec.subnets.*.restricted", "[true]"),
    (
        "VPC",
        "spec.subnets.*.dhcp",
        r#"[
        {"enable": true},
        {"enable": true, "range": {"start": "10.0.1.10", "end": "10.0.1.20"}},
        {"enable": true, "range": {"start": "10.0.1.20", "end": "10.0.1.10"}},
        {"enable": true, "range": {"start": "10.0.1.0"}},
        {"enable": true, "range": {"end": "10.9.9.9"}},
        {"enable": false, "range": {"start": "10.0.1.10"}},
        {"relay": "10.0.1.10/32"}, {"relay": "10.0.1.10"}, {"enable": true, "relay": "10.0.1.10/32"},
        {"relayVPC": "vpc-01"}, {"relay": "10.0.1.10/32", "relayVPC": "missing"},
        {"enable": true, "options": {"pxeURL": "http://x", "dnsServers": ["1.1.1.1", "bad"], "timeServers": ["x"]}},
        {"enable": true, "options": {"interfaceMTU": 95}}, {"enable": true, "options": {"interfaceMTU": 9037}},
        {"enable": true, "options": {"leaseTimeSeconds": 0}, "static": {"0c:20:12:ff:00:09": {"ip": "10.0.1.0"}}},
        {"enable": true, "options": {"advertisedRoutes": [{"destination": "10.5.0.0/16", "gateway": "10.9.9.9"}, {"destination": "", "gateway": ""}]}},
        {"enable": false, "options": {"disableDefaultRoute": true}},
        {"enable": true, "static": {"bad-mac": {"ip": "10.0.1.50"}, "0c:20:12:ff:00:0a": {"ip": "10.0.1.50"}}},
        {"enable": false, "static": {"0c:20:12:ff:00:0b": {"ip": "10.0.1.51"}}}
    ]"#,
    ),
    (
        "VPC",
        "spec.permit",
        r#"[[["subnet-01"]], [["subnet-01", "missing"]], [["subnet-01", "subnet-01"]], [], [["default", "subnet-01"]]]"#,
    ),
    (
        "VPC",
        "spec.staticRoutes",
        r#"[[{"prefix": "10.5.0.0/16", "nextHops": ["10.0.1.9"]}], [{"prefix": "10.5.0.1/16", "nextHops": ["x"]}], [{"prefix": "", "nextHops": []}], [{"prefix": "10.5.0.0/16"}], [{"prefix": "bad", "nextHops": ["1.1.1.1"]}]]"#,
    ),
    (
        "VPC",
        "spec.subnets",
        r#"[{}, {"a": {"subnet": "10.0.200.0/24", "vlan": 2000}, "b": {"subnet": "10.0.200.128/25", "vlan": 2000}}, {"a": {}}, {"a": {"subnet": "10.0.201.0/31", "vlan": 2001}}]"#,
    ),
    ("VPCAttachment", "spec.nativeVLAN", "[true]"),
    (
        "VPCAttachment",
        "spec.subnet",
        r#"["vpc-01", "vpc-01/", "/subnet-01", "vpc-01/subnet-01/x", "missing/subnet-01"]"#,
    ),
    ("VPCPeering", "spec.remote", r#"["eslag-1", "x"]"#),
    (
        "VPCPeering",
        "spec.permit",
        r#"[[], [{}], [{"vpc-01": {}}], [{"vpc-01": {}, "vpc-02": {}, "vpc-03": {}}], [{"vpc-01": {}, "vpc-01x": {}}], [{"vpc-01": {"subnets": ["missing"]}, "vpc-02": {}}], [{"vpc-01": {}, "vpc-02": {}}, {"vpc-02": {}, "vpc-03": {}}]]"#,
    ),
    (
        "IPv4Namespace",
        "spec.subnets",
        r#"[[], ["10.0.0.0/16", "10.0.1.0/24"], ["172.30.0.0/16"], ["bad"], ["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "10.4.0.0/16", "10.5.0.0/16", "10.6.0.0/16", "10.7.0.0/16", "10.8.0.0/16", "10.9.0.0/16", "10.10.0.0/16"], ["10.0.0.1/16"]]"#,
    ),
    (
        "VLANNamespace",
        "spec.ranges",
        r#"[[], [{"from": 1000, "to": 2999}, {"from": 2999, "to": 3000}], [{"from": 3000, "to": 3100}], [{"from": 3950, "to": 3960}], [{"from": 0, "to": 10}], [{"from": 200, "to": 100}], [{"from": 4094, "to": 4095}], [{"from": 1500}], [{"from": 1, "to": 100}, {"from": 10, "to": 20}], [{"from": 1000, "to": 1999}, {"from": 1500, "to": 2999}]]"#,
    ),
    (
        "Switch",
        "spec.redundancy",
        r#"[{}, {"group": "eslag-1"}, {"type": "eslag"}, {"group": "eslag-1", "type": "mclag"}, {"group": "missing", "type": "eslag"}, {"group": "eslag-1", "type": "bogus"}]"#,
    ),
    (
        "Switch",
        "spec.groups",
        r#"[[], [""], ["missing"], ["eslag-1", "eslag-1"]]"#,
    ),
    (
        "Switch",
        "spec.vlanNamespaces",
        r#"[[], ["missing"], ["default", "default"]]"#,
    ),
    ("Switch", "spec.roce", "[true]"),
    ("Switch", "spec.ecmp", r#"[{"roceQPN": true}]"#),
    (
        "Switch",
        "spec.role",
        r#"["spine", "server-leaf", "border-leaf", "mixed-leaf", "virtual-edge", "leaf", ""]"#,
    ),
    (
        "Switch",
        "spec.profile",
        r#"["vs", "vs-clsp", "cumulus-vx", "dell-s5248f-on", "missing", ""]"#,
    ),
    (
        "Switch",
        "spec.portSpeeds",
        r#"[{"E1/1": "25G"}, {"E1/1": "bogus"}, {"E1/99": "10G"}, {"M1": "1G"}]"#,
    ),
    (
        "Switch",
        "spec.portGroupSpeeds",
        r#"[{"1": "10G"}, {"1": "25G"}, {"9": "10G"}]"#,
    ),
    (
        "Switch",
        "spec.portBreakouts",
        r#"[{"E1/1": "4x25G"}, {"E1/1": "1x100G"}, {"E1/55": "4x25G"}, {"E1/1": "bogus"}]"#,
    ),
    (
        "Switch",
        "spec.portAutoNegs",
        r#"[{"E1/1": true}, {"E1/99": false}]"#,
    ),
    (
        "Switch",
        "spec.portFECs",
        r#"[{"E1/1": "rs"}, {"E1/1": "none"}, {"E1/99": "rs"}, {"E1/1": "bogus"}]"#,
    ),
    (
        "Switch",
        "spec.linkFlapErrDisable",
        r#"[{}, {"flapThreshold": 5}, {"flapThreshold": 5, "samplingInterval": 10, "recoveryInterval": 30}]"#,
    ),
    (
        "Switch",
        "spec.vtepIP",
        r#"["", "172.30.12.99/32", "172.30.12.0/32", "10.0.0.1/32", "172.30.12.5/24"]"#,
    ),
    (
        "Switch",
        "spec.protocolIP",
        r#"["", "172.30.8.0/32", "172.30.8.99/32", "172.30.8.5/24", "10.0.0.1/32"]"#,
    ),
    (
        "Switch",
        "spec.ip",
        r#"["", "172.30.0.8/21", "172.30.4.5/21", "172.30.0.99/24", "10.0.0.1/21", "172.30.0.1/21"]"#,
    ),
    (
        "Switch",
        "spec.asn",
        "[0, 65100, 65101, 65533, 65534, 4294967295]",
    ),
    (
        "Connection",
        "spec.unbundled.mtu",
        "[1500, 9036, 9037, 9100, 65535]",
    ),
    ("Connection", "spec.bundled.mtu", "[9036, 9037]"),
    ("Connection", "spec.eslag.mtu", "[9037]"),
    ("Connection", "spec.bundled.fallback", "[true]"),
    (
        "Connection",
        "spec.unbundled",
        r#"[{"link": {"server": {"port": "server-01/enp2s9"}, "switch": {"port": "leaf-01/E1/40"}}}]"#,
    ),
    (
        "Connection",
        "spec.vpcLoopback",
        r#"[{"links": [{"switch1": {"port": "leaf-01/E1/30"}, "switch2": {"port": "leaf-01/E1/31"}}]}]"#,
    ),
    (
        "Connection",
        "spec.mclag",
        r#"[{"links": [{"server": {"port": "server-01/enp2s1"}, "switch": {"port": "leaf-01/E1/1"}}]}]"#,
    ),
    (
        "Connection",
        "spec.external",
        r#"[{"link": {"switch": {"port": "leaf-01/E1/45"}}}]"#,
    ),
    (
        "External",
        "spec.ipv4Namespace",
        r#"["default", "missing", ""]"#,
    ),
    (
        "External",
        "spec.static",
        r#"[{}, {"prefixes": []}, {"prefixes": ["bad"]}, {"prefixes": ["10.5.0.0/16", "10.5.1.0/24"]}, {"prefixes": ["10.5.0.0/16"]}]"#,
    ),
    (
        "ExternalAttachment",
        "spec.static",
        r#"[{}, {"remoteIP": "100.1.1.1", "ip": "100.1.1.2/24"}, {"remoteIP": "100.1.1.1", "proxy": true}, {"remoteIP": "100.1.1.1", "ip": "100.1.1.2/24", "proxy": true}, {"remoteIP": "bad", "ip": "100.1.1.2"}, {"vlan": 100, "remoteIP": "100.1.1.1", "ip": "100.1.1.2/24"}]"#,
    ),
    (
        "ExternalAttachment",
        "spec.switch",
        r#"[{}, {"vlan": 100}, {"ip": "100.1.100.1"}, {"ip": "100.1.100.1/24", "vlan": 4095}]"#,
    ),
    (
        "ExternalAttachment",
        "spec.neighbor",
        r#"[{}, {"asn": 64102}, {"asn": 64102, "ip": "bad"}, {"ip": "100.1.100.6"}]"#,
    ),
    (
        "ExternalAttachment",
        "spec.inboundACL",
        r#"[{"statements": [{"seq": 5, "action": "permit", "protocol": "tcp", "srcPrefix": "any", "dstPrefix": "any"}]}, {"statements": [{"seq": 10, "action": "deny", "protocol": "udp", "srcPrefix": "10.0.0.0/8", "dstPrefix": "any", "portRangeBegin": 80, "portRangeEnd": 70}]}, {"statements": [{"seq": 10, "action": "permit", "protocol": "icmp", "srcPrefix": "bad", "dstPrefix": "any"}, {"seq": 10, "action": "x", "protocol": "tcp", "srcPrefix": "any", "dstPrefix": "any"}]}]"#,
    ),
    (
        "ExternalPeering",
        "spec.permit.external.prefixes",
        r#"[[], [{"prefix": ""}], [{"prefix": "bad"}], [{"prefix": "10.0.0.0/8"}]]"#,
    ),
    (
        "ExternalPeering",
        "spec.permit.vpc.subnets",
        r#"[[], ["missing"], ["subnet-01", "subnet-01"]]"#,
    ),
];

/// Sets an optional field from [`TEMPLATES`] on a document of its kind.
fn template(docs: &mut [Value], rng: &mut Rng) -> Option<String> {
    let d = rng.below(docs.len());
    let k = kind(&docs[d]).to_owned();
    let choices: Vec<&(&str, &str, &str)> = TEMPLATES.iter().filter(|t| t.0 == k).collect();
    if choices.is_empty() {
        return set_scalar(docs, rng);
    }
    let (_, path, values) = **rng.pick(&choices);
    let values: Vec<Value> = serde_json::from_str(values).expect("templates are JSON");
    let value = rng.pick(&values).clone();
    let mut node = &mut docs[d];
    let segs: Vec<&str> = path.split('.').collect();
    let mut shown = Vec::new();
    for (i, seg) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        let key = if *seg == "*" {
            let keys: Vec<String> = node.as_object()?.keys().cloned().collect();
            if keys.is_empty() {
                return None;
            }
            rng.pick(&keys).clone()
        } else {
            (*seg).to_owned()
        };
        shown.push(key.clone());
        let map = node.as_object_mut()?;
        if last {
            map.insert(key, value.clone());
            break;
        }
        node = map.entry(key).or_insert_with(|| json!({}));
    }
    Some(format!(
        "{k}/{}.{} = {value}",
        name(&docs[d]),
        shown.join(".")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fabric() -> Vec<Value> {
        vec![
            json!({"apiVersion": "vpc.githedgehog.com/v1beta1", "kind": "VPC", "metadata": {"name": "vpc-01"},
                   "spec": {"subnets": {"subnet-01": {"subnet": "10.0.1.0/24", "vlan": 1001}}}}),
            json!({"apiVersion": "wiring.githedgehog.com/v1beta1", "kind": "Connection", "metadata": {"name": "c"},
                   "spec": {"unbundled": {"link": {"server": {"port": "server-01/enp2s1"}, "switch": {"port": "leaf-01/E1/1"}}}}}),
        ]
    }

    #[test]
    fn mutation_is_deterministic_and_changes_the_fabric() {
        let mut changed = 0;
        for case in 0..200 {
            let mut a = fabric();
            let mut b = fabric();
            let da = mutate(&mut a, &mut Rng::for_case(1, case));
            let db = mutate(&mut b, &mut Rng::for_case(1, case));
            assert_eq!(a, b);
            assert_eq!(da, db);
            if a != fabric() {
                changed += 1;
            }
        }
        assert!(changed > 150, "only {changed} of 200 mutants differ");
    }

    #[test]
    fn templates_are_json_lists() {
        for (kind, path, values) in TEMPLATES {
            let parsed: Value = serde_json::from_str(values).unwrap();
            assert!(
                parsed.as_array().is_some_and(|a| !a.is_empty()),
                "{kind} {path}"
            );
        }
    }

    #[test]
    fn scalar_variants_by_shape() {
        let mut rng = Rng::for_case(3, 0);
        let names = vec!["vpc-01".to_owned()];
        for _ in 0..50 {
            let cidr = string_for("subnet", "10.0.1.0/24", &names, &mut rng);
            assert_ne!(cidr, "10.0.1.0/24x");
            let port = string_for("port", "leaf-01/E1/1", &names, &mut rng);
            assert!(!port.is_empty());
        }
    }
}
