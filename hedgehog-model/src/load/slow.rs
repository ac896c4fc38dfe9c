//! The reference path: `serde_yaml_ng` for every document the fast parser declines, read
//! into `serde_json::Value` through a seed that counts nodes (so alias expansion — "billion
//! laughs" — stops at a budget), bounds depth, and records duplicate keys instead of
//! letting the later one silently win.

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::events;
use crate::{FieldPath, Segment};

/// Why a document could not be read.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Invalid YAML; line and column from 1 inside the document, when known.
    Parse {
        message: String,
        at: Option<(u32, u32)>,
    },
    /// A limit was reached.
    Limit(String),
}

/// Reads one YAML document; `Ok(None)` when it is empty.
pub(crate) fn parse(
    text: &str,
    max_nodes: usize,
    max_depth: usize,
    duplicates: &mut Vec<FieldPath>,
) -> Result<Option<Value>, Failure> {
    events::check_nesting(text, max_depth).map_err(Failure::Limit)?;
    let mut found = None;
    for document in serde_yaml_ng::Deserializer::from_str(text) {
        match read(document, max_nodes, max_depth, duplicates)? {
            Value::Null => {}
            value if found.is_none() => found = Some(value),
            _ => {
                return Err(Failure::Parse {
                    message: "more than one document where one was expected".into(),
                    at: None,
                });
            }
        }
    }
    Ok(found)
}

/// Reads one document of a `serde_yaml_ng` stream.
pub(crate) fn read(
    document: serde_yaml_ng::Deserializer<'_>,
    max_nodes: usize,
    max_depth: usize,
    duplicates: &mut Vec<FieldPath>,
) -> Result<Value, Failure> {
    let ctx = Ctx::new(max_nodes, max_depth);
    let value = ctx
        .seed()
        .deserialize(document)
        .map_err(|err| classify(&ctx, &err))?;
    duplicates.extend(ctx.duplicates.into_inner());
    Ok(value)
}

/// Reads one JSON value with the same depth bound and duplicate-key reporting as YAML.
pub(crate) fn parse_json(
    text: &str,
    max_depth: usize,
    duplicates: &mut Vec<FieldPath>,
) -> Result<Value, Failure> {
    // JSON has no aliases: every node is written out, so the text bounds the node count.
    let ctx = Ctx::new(text.len().saturating_add(1), max_depth);
    let mut de = serde_json::Deserializer::from_str(text);
    let value = ctx
        .seed()
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    match value {
        Ok(value) => {
            duplicates.extend(ctx.duplicates.into_inner());
            Ok(value)
        }
        Err(err) => Err(match ctx.limit.borrow_mut().take() {
            Some(limit) => Failure::Limit(limit),
            None => Failure::Parse {
                message: err.to_string(),
                at: Some((to_u32(err.line()), to_u32(err.column()))),
            },
        }),
    }
}

fn to_u32(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

fn classify(ctx: &Ctx, err: &serde_yaml_ng::Error) -> Failure {
    if let Some(limit) = ctx.limit.borrow_mut().take() {
        return Failure::Limit(limit);
    }
    let message = err.to_string();
    // serde_yaml_ng's own guards (nesting 128, alias replays 100× the events) are limits too.
    if message.starts_with("recursion limit exceeded") {
        return Failure::Limit(format!("document nested too deeply ({message})"));
    }
    if message.starts_with("repetition limit exceeded") {
        return Failure::Limit(format!("too many alias expansions ({message})"));
    }
    let at = err
        .location()
        .map(|l| (to_u32(l.line()), to_u32(l.column())));
    Failure::Parse { message, at }
}

struct Ctx {
    budget: Cell<usize>,
    max_depth: usize,
    path: RefCell<Vec<Segment>>,
    duplicates: RefCell<Vec<FieldPath>>,
    limit: RefCell<Option<String>>,
}

impl Ctx {
    fn new(max_nodes: usize, max_depth: usize) -> Self {
        Ctx {
            budget: Cell::new(max_nodes),
            max_depth,
            path: RefCell::new(Vec::new()),
            duplicates: RefCell::new(Vec::new()),
            limit: RefCell::new(None),
        }
    }

    fn seed(&self) -> Seed<'_> {
        Seed {
            ctx: self,
            depth: 0,
        }
    }

    fn spend<E: de::Error>(&self) -> Result<(), E> {
        match self.budget.get().checked_sub(1) {
            Some(left) => {
                self.budget.set(left);
                Ok(())
            }
            None => Err(self.fail("too many nodes (aliases expand beyond the limit)".into())),
        }
    }

    fn fail<E: de::Error>(&self, message: String) -> E {
        let error = E::custom(&message);
        *self.limit.borrow_mut() = Some(message);
        error
    }
}

#[derive(Clone, Copy)]
struct Seed<'c> {
    ctx: &'c Ctx,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        if self.depth > self.ctx.max_depth {
            return Err(self.ctx.fail(format!(
                "document nested deeper than {}",
                self.ctx.max_depth
            )));
        }
        self.ctx.spend()?;
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), |n| Value::Number(n.into())))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), |n| Value::Number(n.into())))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = Seed {
            ctx: self.ctx,
            depth: self.depth + 1,
        };
        let mut items = Vec::new();
        loop {
            self.ctx.path.borrow_mut().push(Segment::Index(items.len()));
            let item = seq.next_element_seed(inner);
            self.ctx.path.borrow_mut().pop();
            match item? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let inner = Seed {
            ctx: self.ctx,
            depth: self.depth + 1,
        };
        let mut map = Map::new();
        while let Some(key) = access.next_key::<KeyString>()? {
            let key = key.0;
            self.ctx.path.borrow_mut().push(Segment::Key(key.clone()));
            let value = access.next_value_seed(inner);
            let path = self.ctx.path.borrow_mut().pop();
            let value = value?;
            if map.insert(key, value).is_some()
                && let Some(last) = path
            {
                let mut full = FieldPath::root();
                for seg in self.ctx.path.borrow().iter().chain([&last]) {
                    match seg {
                        Segment::Key(k) => full.push_key(k.clone()),
                        Segment::Index(i) => full.push_index(*i),
                    }
                }
                self.ctx.duplicates.borrow_mut().push(full);
            }
        }
        Ok(Value::Object(map))
    }
}

fn float(v: f64) -> Value {
    Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// A mapping key as text, whatever scalar it is (`1: x` has key `"1"`), like
/// `serde_json::Value` reads keys.
struct KeyString(String);

impl<'de> Deserialize<'de> for KeyString {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(KeyString)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn billion_laughs_stops_at_the_budget() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i", "j"])
        {
            let refs = vec![format!("*{prev}"); 9].join(",");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let start = std::time::Instant::now();
        let result = parse(&text, 10_000, 64, &mut Vec::new());
        assert!(matches!(result, Err(Failure::Limit(_))));
        assert!(start.elapsed().as_secs() < 2);
    }

    #[test]
    fn duplicates_keep_the_later_value() {
        let mut dups = Vec::new();
        let v = parse("x: &v 1\nl:\n- a: 1\n  a: *v\n", 1000, 64, &mut dups)
            .unwrap()
            .unwrap();
        assert_eq!(v, serde_json::json!({"x": 1, "l": [{"a": 1}]}));
        assert_eq!(dups, vec![FieldPath::parse("l[0].a")]);
    }

    #[test]
    fn reads_json_with_duplicates_and_depth() {
        let mut dups = Vec::new();
        let v = parse_json(r#"{"a": {"b": 1, "b": 2}}"#, 8, &mut dups).unwrap();
        assert_eq!(v, serde_json::json!({"a": {"b": 2}}));
        assert_eq!(dups, vec![FieldPath::parse("a.b")]);
        assert!(matches!(
            parse_json("[[[[1]]]]", 2, &mut dups),
            Err(Failure::Limit(_))
        ));
        assert!(matches!(
            parse_json("{} x", 8, &mut dups),
            Err(Failure::Parse { at: Some(_), .. })
        ));
    }

    #[test]
    fn reports_parse_errors_with_position() {
        let Err(Failure::Parse { at, .. }) = parse("a: 1\nb: [\n", 1000, 64, &mut Vec::new())
        else {
            panic!("expected a parse error");
        };
        assert!(at.is_some());
    }
}
