//! Argument values, right and wrong: each drawn value can be written inline in the query or
//! sent as a variable.

use rand::{Rng, rngs::StdRng, seq::IndexedRandom};
use serde_json::{Value, json};

use super::schema::{Kind, Schema, TypeRef};

/// A value as the generator drew it.
#[derive(Debug, Clone)]
pub enum Val {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    Bool(bool),
    /// An enum value: bare inline, a string in variables.
    Enum(String),
    List(Vec<Val>),
    Object(Vec<(String, Val)>),
    /// Inline text with no JSON twin (an integer past 64 bits); sent as its text in variables.
    Raw(String),
}

impl Val {
    /// The value as GraphQL source.
    pub fn literal(&self) -> String {
        match self {
            Self::Null => "null".into(),
            Self::Int(n) => n.to_string(),
            Self::Float(x) => format!("{x:?}"),
            Self::Text(text) => Value::from(text.as_str()).to_string(),
            Self::Bool(b) => b.to_string(),
            Self::Enum(name) | Self::Raw(name) => name.clone(),
            Self::List(items) => {
                let items: Vec<String> = items.iter().map(Self::literal).collect();
                format!("[{}]", items.join(", "))
            }
            Self::Object(fields) => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|(name, value)| format!("{name}: {}", value.literal()))
                    .collect();
                format!("{{{}}}", fields.join(", "))
            }
        }
    }

    /// The value as a variable's JSON.
    pub fn json(&self) -> Value {
        match self {
            Self::Null => Value::Null,
            Self::Int(n) => json!(n),
            Self::Float(x) => json!(x),
            Self::Text(text) | Self::Enum(text) | Self::Raw(text) => json!(text),
            Self::Bool(b) => json!(b),
            Self::List(items) => items.iter().map(Self::json).collect(),
            Self::Object(fields) => fields
                .iter()
                .map(|(name, value)| (name.clone(), value.json()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }
}

/// Ids and cursors the responses have shown, ids by kind (`Student`, `School`, ...).
#[derive(Default)]
pub struct Seen {
    pub ids: std::collections::BTreeMap<String, Vec<String>>,
    pub cursors: Vec<String>,
}

impl Seen {
    /// Keeps the ids (values of `id` keys that decode as `Kind:uuid`) and cursors in `data`.
    pub fn harvest(&mut self, data: &Value) {
        match data {
            Value::Object(fields) => {
                for (key, value) in fields {
                    match (key.as_str(), value.as_str()) {
                        ("id", Some(id)) => {
                            if let Some(kind) = kind_of(id) {
                                keep(self.ids.entry(kind).or_default(), id);
                            }
                        }
                        ("cursor" | "startCursor" | "endCursor", Some(cursor)) => {
                            keep(&mut self.cursors, cursor);
                        }
                        _ => self.harvest(value),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| self.harvest(item)),
            _ => {}
        }
    }
}

/// Adds `text` to `known` unless it is there or `known` is full.
fn keep(known: &mut Vec<String>, text: &str) {
    if known.len() < 200 && !known.iter().any(|k| k == text) {
        known.push(text.to_string());
    }
}

fn kind_of(id: &str) -> Option<String> {
    use base64::Engine;
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(id)
        .ok()?;
    let text = String::from_utf8(text).ok()?;
    Some(text.split_once(':')?.0.to_string())
}

fn global_id(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

/// Texts, the first [`PLAIN_TEXTS`] fit most fields.
const TEXTS: &[&str] = &[
    "Ana",
    "Zoë Ñúñez 日本語 🎉",
    "%",
    "_",
    "\\",
    "'; DROP TABLE student; --",
    "line\nbreak\ttab",
    "",
    " ",
    "a",
    "nul\u{0}byte",
    "bell\u{7}",
    "\u{202e}rtl",
    "01",
    "KG",
    "uri://ed-fi.org/Descriptor#Code",
];

const PLAIN_TEXTS: usize = 7;

/// Dates, the first four valid.
const DATES: &[&str] = &[
    "2026-09-01",
    "2025-01-31",
    "1900-01-01",
    "2200-12-31",
    "1899-12-31",
    "2201-01-01",
    "0000-01-01",
    "-0001-01-01",
    "+99999-01-01",
    "2026-1-5",
    "2026-02-30",
    "2026-13-01",
    "2026-09-01T00:00:00Z",
    "yesterday",
];

const DATE_TIMES: &[&str] = &[
    "2026-09-01T08:00:00Z",
    "2026-09-01",
    "9999-12-31T23:59:59Z",
    "now",
];

/// Draws values for the types of `schema`, using the ids and cursors seen so far.
pub struct Values<'a> {
    pub schema: &'a Schema,
    pub seen: &'a Seen,
    /// The field whose arguments are drawn (`intervention`, `updateGuardianLink`): which kind
    /// of id an `id` argument or input field wants.
    pub field: String,
    /// Whether to draw awkward and wrong values too.
    pub hostile: bool,
}

impl<'a> Values<'a> {
    pub fn new(schema: &'a Schema, seen: &'a Seen) -> Self {
        Self {
            schema,
            seen,
            field: String::new(),
            hostile: false,
        }
    }

    /// A value for `ty` at argument or field `name`: when hostile, of the wrong type one time
    /// in eight and any of the awkward values of its type; else a plain one of its type.
    pub fn draw(&self, rng: &mut StdRng, name: &str, ty: &TypeRef, depth: usize) -> Val {
        if self.hostile && rng.random_ratio(1, 8) {
            return self.wrong(rng, name, ty, depth);
        }
        match ty {
            TypeRef::NonNull(inner) => self.present(rng, name, inner, depth),
            _ if depth > 0 && rng.random_ratio(1, 8) => Val::Null,
            _ => self.present(rng, name, ty, depth),
        }
    }

    fn present(&self, rng: &mut StdRng, name: &str, ty: &TypeRef, depth: usize) -> Val {
        match ty {
            TypeRef::NonNull(inner) => self.present(rng, name, inner, depth),
            TypeRef::List(_) if depth > 4 => Val::List(vec![]),
            TypeRef::List(inner) => {
                let n = rng.random_range(0..4);
                let items = (0..n).map(|_| self.draw(rng, name, inner, depth + 1));
                Val::List(items.collect())
            }
            TypeRef::Named(type_name) => self.named(rng, name, type_name, depth),
        }
    }

    fn named(&self, rng: &mut StdRng, name: &str, type_name: &str, depth: usize) -> Val {
        let ty = self.schema.get(type_name);
        let pick = |rng: &mut StdRng, plain: usize, all: &[&str]| {
            let end = if self.hostile { all.len() } else { plain };
            Val::Text(all[rng.random_range(0..end)].into())
        };
        match (ty.kind, type_name) {
            (Kind::Enum, _) => Val::Enum(ty.enum_values.choose(rng).cloned().unwrap_or_default()),
            (Kind::InputObject, _) => {
                let mut fields = Vec::new();
                for field in &ty.input_fields {
                    if field.required() || rng.random_ratio(1, 3) {
                        let value = self.draw(rng, &field.name, &field.ty, depth + 1);
                        fields.push((field.name.clone(), value));
                    }
                }
                Val::Object(fields)
            }
            (_, "Int") if !self.hostile => Val::Int(rng.random_range(0..4)),
            (_, "Int") => Val::Int(match rng.random_range(0..10) {
                0 => i64::from(i32::MAX),
                1 => i64::from(i32::MIN),
                2 => -1,
                _ => rng.random_range(0..30),
            }),
            (_, "Float") => {
                let all = [0.0, 1.5, 42.0, -1e9, 1e9, 1e308, -1e308, f64::MAX, 1e-308];
                Val::Float(all[rng.random_range(0..if self.hostile { all.len() } else { 3 })])
            }
            (_, "Boolean") => Val::Bool(rng.random()),
            (_, "ID") => self.id(rng, name),
            (_, "String") if matches!(name, "after" | "before") && rng.random_ratio(3, 4) => {
                Val::Text(self.seen.cursors.choose(rng).cloned().unwrap_or_default())
            }
            (_, "Date") => pick(rng, 4, DATES),
            (_, "DateTime") => pick(rng, 1, DATE_TIMES),
            _ if self.hostile => Val::Text(self.text(rng)),
            _ => pick(rng, PLAIN_TEXTS, TEXTS),
        }
    }

    fn text(&self, rng: &mut StdRng) -> String {
        match rng.random_range(0..12) {
            0 => "x".repeat(4_000),
            1 => "é".repeat(4_001),
            2 => "日".repeat(rng.random_range(90..=110)),
            _ => TEXTS.choose(rng).copied().unwrap_or_default().into(),
        }
    }

    /// An id: of the kind the name (or for `id`, the field) asks for when one is known, else
    /// any, malformed or foreign one.
    fn id(&self, rng: &mut StdRng, name: &str) -> Val {
        let hint = match name {
            "id" | "ids" => self.field.to_lowercase(),
            _ => name
                .trim_end_matches('s')
                .trim_end_matches("Id")
                .to_lowercase(),
        };
        // The longest kind the hint names (`GuardianLink` over `Guardian`).
        let fitting = self
            .seen
            .ids
            .iter()
            .filter(|(kind, _)| {
                let kind = kind.to_lowercase();
                hint.ends_with(&kind) || kind.ends_with(&hint)
            })
            .max_by_key(|(kind, _)| kind.len())
            .map(|(_, ids)| ids);
        let any: Vec<&String> = self.seen.ids.values().flatten().collect();
        let roll = if self.hostile {
            rng.random_range(0..20)
        } else {
            0
        };
        let id = match (roll, fitting) {
            (0..14, Some(ids)) => ids.choose(rng).cloned().unwrap_or_default(),
            (0..16, _) => any.choose(rng).map(|id| (*id).clone()).unwrap_or_default(),
            (16, _) => global_id(&format!("Student:{}", uuid::Uuid::new_v4())),
            (17, _) => global_id(
                [
                    "Student:not-a-uuid",
                    "Nope:00000000-0000-0000-0000-000000000000",
                    ":",
                    "",
                ]
                .choose(rng)
                .copied()
                .unwrap_or_default(),
            ),
            _ => [
                "",
                "not base64!",
                "U3R1ZGVudA",
                "00000000-0000-0000-0000-000000000000",
            ]
            .choose(rng)
            .copied()
            .unwrap_or_default()
            .into(),
        };
        Val::Text(id)
    }

    /// A value of the wrong type, shape or size for `ty`.
    fn wrong(&self, rng: &mut StdRng, name: &str, ty: &TypeRef, depth: usize) -> Val {
        match rng.random_range(0..10) {
            0 => Val::Null,
            1 => Val::Int(i64::MAX),
            2 => Val::Raw("123456789012345678901234567890".into()),
            3 => Val::Float(-1e308),
            4 => Val::Text(self.text(rng)),
            5 => Val::Enum("NOT_A_VALUE".into()),
            6 => Val::Object(vec![("nope".into(), Val::Int(1))]),
            // Deep lists: within and past the query's nesting limit (64) and the JSON parser's
            // (128, for variables); and past the list limit.
            7 => (0..rng.random_range(2..140)).fold(Val::Int(1), |inner, _| Val::List(vec![inner])),
            8 => Val::List(vec![Val::Int(7); 1_001]),
            _ => Val::List(vec![self.draw(rng, name, ty, depth + 1)]),
        }
    }
}
