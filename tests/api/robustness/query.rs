//! Random operations over the schema: depth-bounded selections with arguments drawn by
//! [`Values`], written inline or as variables, and what each selected field promises, to check
//! the answer against.

use rand::{Rng, rngs::StdRng, seq::IndexedRandom};
use serde_json::{Map, Value};

use super::{
    schema::{Field, InputValue, Kind, TypeRef},
    values::Values,
};

/// One selected field: its response key, its type and what is selected inside it.
pub struct Selected {
    key: String,
    ty: TypeRef,
    fields: Vec<Selected>,
    /// Inline fragments: the type each applies to, and its fields.
    fragments: Vec<(String, Vec<Selected>)>,
}

impl Selected {
    fn of(ty: TypeRef, key: String) -> Self {
        Self {
            key,
            ty,
            fields: Vec::new(),
            fragments: Vec::new(),
        }
    }
}

/// A generated request.
pub struct Operation {
    pub query: String,
    pub variables: Value,
    selected: Vec<Selected>,
}

impl Operation {
    /// The non-null fields the answer lacks or has as `null` (where their parent has data).
    pub fn missing(&self, data: &Value) -> Vec<String> {
        let mut missing = Vec::new();
        if let Value::Object(object) = data {
            check_set(object, &self.selected, "data", &mut missing);
        }
        missing
    }
}

fn check_set(object: &Map<String, Value>, set: &[Selected], path: &str, missing: &mut Vec<String>) {
    for selected in set {
        let path = format!("{path}.{}", selected.key);
        match object.get(&selected.key) {
            None => missing.push(format!("{path} (absent)")),
            Some(value) => check_value(value, &selected.ty, selected, &path, missing),
        }
    }
}

fn check_value(
    value: &Value,
    ty: &TypeRef,
    selected: &Selected,
    path: &str,
    missing: &mut Vec<String>,
) {
    match (ty, value) {
        (TypeRef::NonNull(_), Value::Null) => missing.push(format!("{path} (null, {ty})")),
        (TypeRef::NonNull(inner), _) => check_value(value, inner, selected, path, missing),
        (TypeRef::List(inner), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let path = format!("{path}.{i}");
                check_value(item, inner, selected, &path, missing);
            }
        }
        (TypeRef::Named(_), Value::Object(object)) => {
            check_set(object, &selected.fields, path, missing);
            let typename = object.get("__typename").and_then(Value::as_str);
            for (on, fields) in &selected.fragments {
                if typename == Some(on.as_str()) {
                    check_set(object, fields, path, missing);
                }
            }
        }
        _ => {}
    }
}

/// Builds one operation.
pub struct Builder<'a> {
    pub values: Values<'a>,
    pub rng: &'a mut StdRng,
    /// Object levels below which only leaves are selected (past 12, the depth limit refuses).
    pub max_depth: usize,
    definitions: Vec<String>,
    variables: Map<String, Value>,
    aliases: usize,
}

impl<'a> Builder<'a> {
    /// An operation drawn with `values`, made hostile half the time.
    pub fn new(mut values: Values<'a>, rng: &'a mut StdRng) -> Self {
        values.hostile = rng.random();
        let max_depth = if rng.random_ratio(1, 20) {
            14
        } else {
            rng.random_range(2..7)
        };
        Self {
            values,
            rng,
            max_depth,
            definitions: Vec::new(),
            variables: Map::new(),
            aliases: 0,
        }
    }

    /// A query or mutation (`root` is `Query` or `Mutation`).
    pub fn operation(mut self, root: &str) -> Operation {
        let top = if root == "Mutation" {
            1
        } else {
            self.rng.random_range(1..4)
        };
        let (text, set) = self.selection_set(root, 0, top);
        let keyword = root.to_lowercase();
        // Sometimes through a named fragment, which answers the same.
        let (text, fragment) = if self.rng.random_ratio(1, 6) {
            (
                "{ ...Root }".to_string(),
                format!(" fragment Root on {root} {text}"),
            )
        } else {
            (text, String::new())
        };
        let query = if self.definitions.is_empty() {
            format!("{keyword} {text}{fragment}")
        } else {
            format!(
                "{keyword}({}) {text}{fragment}",
                self.definitions.join(", ")
            )
        };
        Operation {
            query,
            variables: Value::Object(self.variables),
            selected: set.fields,
        }
    }

    /// `{ ... }` of up to `width` fields of `type_name`, and what it selects.
    fn selection_set(&mut self, type_name: &str, depth: usize, width: usize) -> (String, Selected) {
        let schema = self.values.schema;
        let ty = schema.get(type_name);
        let mut parts = Vec::new();
        let mut set = Selected::of(TypeRef::Named(type_name.to_string()), String::new());
        if matches!(ty.kind, Kind::Interface | Kind::Union) {
            parts.push("__typename".to_string());
            set.fields.push(Selected::of(
                TypeRef::Named("String".into()),
                "__typename".into(),
            ));
            let types: Vec<&String> = ty.possible_types.choose_multiple(self.rng, 2).collect();
            for on in types {
                let (text, fragment) = self.selection_set(on, depth, 3);
                parts.push(format!("... on {on} {text}"));
                set.fragments.push((on.clone(), fragment.fields));
            }
        }
        let leaves_only = depth >= self.max_depth;
        let candidates: Vec<&Field> = ty
            .fields
            .iter()
            .filter(|f| !leaves_only || self.is_leaf(&f.ty))
            .collect();
        let count = self.rng.random_range(1..=width.max(1));
        let chosen: Vec<&Field> = candidates
            .choose_multiple(self.rng, count)
            .copied()
            .collect();
        for field in chosen {
            self.values.field.clone_from(&field.name);
            let (directive, included) = self.directive();
            let args = format!("{}{directive}", self.arguments(&field.args));
            // Aliases are unique in the operation, so fragments on other types never clash.
            let (key, mut text) = if self.rng.random_ratio(1, 4) {
                self.aliases += 1;
                let key = format!("a{}", self.aliases);
                (key.clone(), format!("{key}: {}{args}", field.name))
            } else {
                (field.name.clone(), format!("{}{args}", field.name))
            };
            let mut selected = Selected::of(field.ty.clone(), key);
            if !self.is_leaf(&field.ty) {
                let (inner, inner_set) = self.selection_set(field.ty.name(), depth + 1, 4);
                text.push_str(&format!(" {inner}"));
                selected.fields = inner_set.fields;
                selected.fragments = inner_set.fragments;
            }
            parts.push(text);
            if included {
                set.fields.push(selected);
            }
        }
        if parts.is_empty() {
            parts.push("__typename".into());
        }
        (format!("{{ {} }}", parts.join(" ")), set)
    }

    fn is_leaf(&self, ty: &TypeRef) -> bool {
        matches!(
            self.values.schema.get(ty.name()).kind,
            Kind::Scalar | Kind::Enum
        )
    }

    /// Now and then `@skip` or `@include`, inline or through a variable, and whether the
    /// field stays in the answer.
    fn directive(&mut self) -> (String, bool) {
        if !self.rng.random_ratio(1, 8) {
            return (String::new(), true);
        }
        let (skip, condition): (bool, bool) = (self.rng.random(), self.rng.random());
        let name = if skip { "skip" } else { "include" };
        let value = if self.rng.random() {
            condition.to_string()
        } else {
            let variable = format!("v{}", self.definitions.len());
            self.definitions.push(format!("${variable}: Boolean!"));
            self.variables
                .insert(variable.clone(), Value::Bool(condition));
            format!("${variable}")
        };
        (format!(" @{name}(if: {value})"), skip != condition)
    }

    /// `(a: 1, b: $v0)`: every required argument (nearly always) and some optional ones.
    fn arguments(&mut self, args: &[InputValue]) -> String {
        let mut given = Vec::new();
        for arg in args {
            let give = if arg.required() {
                !self.rng.random_ratio(1, 40)
            } else {
                self.rng.random_ratio(1, 4)
            };
            if !give {
                continue;
            }
            let value = self.values.draw(self.rng, &arg.name, &arg.ty, 0);
            if self.rng.random_ratio(1, 3) {
                let name = format!("v{}", self.definitions.len());
                let declared = if self.rng.random_ratio(1, 25) {
                    "String".to_string()
                } else {
                    arg.ty.to_string()
                };
                self.definitions.push(format!("${name}: {declared}"));
                if !self.rng.random_ratio(1, 30) {
                    self.variables.insert(name.clone(), value.json());
                }
                given.push(format!("{}: ${name}", arg.name));
            } else {
                given.push(format!("{}: {}", arg.name, value.literal()));
            }
        }
        if given.is_empty() {
            String::new()
        } else {
            format!("({})", given.join(", "))
        }
    }
}
