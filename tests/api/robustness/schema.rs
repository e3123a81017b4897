//! The served schema, read once by introspection, as the generator walks it.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::helpers::Client;

/// A type reference: `[Student!]!` is `NonNull(List(NonNull(Named("Student"))))`.
#[derive(Debug, Clone)]
pub enum TypeRef {
    Named(String),
    List(Box<TypeRef>),
    NonNull(Box<TypeRef>),
}

impl TypeRef {
    fn read(value: &Value) -> Self {
        let inner = || Box::new(Self::read(&value["ofType"]));
        match value["kind"].as_str() {
            Some("NON_NULL") => Self::NonNull(inner()),
            Some("LIST") => Self::List(inner()),
            _ => Self::Named(value["name"].as_str().unwrap_or_default().to_string()),
        }
    }

    /// The named type at its core.
    pub fn name(&self) -> &str {
        match self {
            Self::Named(name) => name,
            Self::List(inner) | Self::NonNull(inner) => inner.name(),
        }
    }
}

impl std::fmt::Display for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Named(name) => f.write_str(name),
            Self::List(inner) => write!(f, "[{inner}]"),
            Self::NonNull(inner) => write!(f, "{inner}!"),
        }
    }
}

/// An argument or input field.
#[derive(Debug)]
pub struct InputValue {
    pub name: String,
    pub ty: TypeRef,
    pub has_default: bool,
}

impl InputValue {
    /// Whether a valid request must give it.
    pub fn required(&self) -> bool {
        matches!(self.ty, TypeRef::NonNull(_)) && !self.has_default
    }
}

#[derive(Debug)]
pub struct Field {
    pub name: String,
    pub args: Vec<InputValue>,
    pub ty: TypeRef,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Scalar,
    Object,
    Interface,
    Union,
    Enum,
    InputObject,
}

#[derive(Debug)]
pub struct Type {
    pub kind: Kind,
    pub fields: Vec<Field>,
    pub input_fields: Vec<InputValue>,
    pub enum_values: Vec<String>,
    pub possible_types: Vec<String>,
}

/// Every named type of the schema but the introspection ones.
pub struct Schema {
    pub types: HashMap<String, Type>,
}

const TYPE_REF: &str = "kind name ofType { kind name ofType { kind name ofType { kind name } } }";

impl Schema {
    /// The schema `client` is served.
    pub async fn introspect(client: &Client) -> Self {
        let input = format!("name defaultValue type {{ {TYPE_REF} }}");
        let query = format!(
            "{{ __schema {{ types {{ kind name enumValues {{ name }} possibleTypes {{ name }}
               inputFields {{ {input} }} fields {{ name args {{ {input} }} type {{ {TYPE_REF} }} }} }} }} }}"
        );
        let data = client.query(&query, json!({})).await.data();
        let types = data["__schema"]["types"]
            .as_array()
            .expect("types")
            .iter()
            .filter(|t| !t["name"].as_str().unwrap_or("__").starts_with("__"))
            .map(|t| {
                (
                    t["name"].as_str().unwrap_or_default().to_string(),
                    read_type(t),
                )
            })
            .collect();
        Self { types }
    }

    pub fn get(&self, name: &str) -> &Type {
        self.types
            .get(name)
            .unwrap_or_else(|| panic!("type {name} in the schema"))
    }
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["name"].as_str().map(str::to_string))
        .collect()
}

fn input_values(list: &Value) -> Vec<InputValue> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|v| InputValue {
            name: v["name"].as_str().unwrap_or_default().to_string(),
            ty: TypeRef::read(&v["type"]),
            has_default: !v["defaultValue"].is_null(),
        })
        .collect()
}

fn read_type(t: &Value) -> Type {
    let kind = match t["kind"].as_str() {
        Some("OBJECT") => Kind::Object,
        Some("INTERFACE") => Kind::Interface,
        Some("UNION") => Kind::Union,
        Some("ENUM") => Kind::Enum,
        Some("INPUT_OBJECT") => Kind::InputObject,
        _ => Kind::Scalar,
    };
    let fields = t["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| Field {
            name: f["name"].as_str().unwrap_or_default().to_string(),
            args: input_values(&f["args"]),
            ty: TypeRef::read(&f["type"]),
        })
        .collect();
    Type {
        kind,
        fields,
        input_fields: input_values(&t["inputFields"]),
        enum_values: names(&t["enumValues"]),
        possible_types: names(&t["possibleTypes"]),
    }
}
