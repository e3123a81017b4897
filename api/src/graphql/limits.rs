//! The depth and cost limits, with errors that say the measure and the limit.
//!
//! Introspection (`__schema`, `__type`) only reads the schema held in memory, and the standard
//! introspection query of graphql-js nests 14 fields deep to unwrap `[Type!]!`: it is exempt
//! from the depth limit. What makes introspection costly is lists of types inside lists of
//! types, so it is held instead to graphql-js's own rule (`MaxIntrospectionDepthRule`): at most
//! two of `fields`, `inputFields`, `interfaces` and `possibleTypes` nested on one path. Every
//! other field keeps the depth limit, and every field, introspection included, counts toward
//! the cost.

use std::collections::{HashMap, HashSet};

use async_graphql::{
    Request, ServerError, ServerResult, ValidationResult,
    parser::types::{ExecutableDocument, Selection, SelectionSet},
};

/// Most list fields of `__Type` nested on one path of an introspection query (graphql-js
/// refuses three).
const MAX_INTROSPECTION_LISTS: usize = 2;

/// Refuses queries deeper or costlier than allowed (see the module comment), and introspection
/// where it is switched off.
#[derive(Debug, Clone, Copy)]
pub struct QueryLimits {
    /// Whether `__schema` and `__type` may be asked for (with it off, async-graphql would
    /// answer them with a silent `null`).
    pub introspection: bool,
    /// Deepest nesting of fields outside introspection.
    pub max_depth: usize,
    /// Highest cost (`Limits::max_complexity`; the README says how it is computed).
    pub max_complexity: usize,
}

impl QueryLimits {
    /// Refuses introspection where it is off, and queries nested too deep.
    pub(super) fn check_request(&self, request: &mut Request) -> ServerResult<()> {
        let measure = measure(request.parsed_query()?);
        if measure.introspects && !self.introspection {
            return Err(ServerError::new(
                "introspection (`__schema`, `__type`) is switched off on this server",
                None,
            ));
        }
        if measure.depth > self.max_depth {
            return Err(ServerError::new(
                format!(
                    "Query is nested too deep: {} levels of fields; at most {} are allowed",
                    measure.depth, self.max_depth
                ),
                None,
            ));
        }
        if measure.introspection_lists > MAX_INTROSPECTION_LISTS {
            return Err(ServerError::new(
                format!(
                    "introspection nests {} of `fields`, `inputFields`, `interfaces` and `possibleTypes` in one another; at most {MAX_INTROSPECTION_LISTS} are allowed",
                    measure.introspection_lists
                ),
                None,
            ));
        }
        Ok(())
    }

    /// Refuses a validated query that costs more than allowed.
    pub(super) fn check_cost(&self, result: &ValidationResult) -> Result<(), Vec<ServerError>> {
        if result.complexity > self.max_complexity {
            return Err(vec![ServerError::new(
                format!(
                    "Query is too complex: it costs {}; at most {} is allowed (a field costs 1 plus its children; a connection costs its page size times its children)",
                    result.complexity, self.max_complexity
                ),
                None,
            )]);
        }
        Ok(())
    }
}

/// What the limits look at in one selection set, fragments expanded.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Measure {
    /// Deepest nesting of fields, not counting `__schema` and `__type` and what they select.
    depth: usize,
    /// Most list fields of `__Type` nested on one path (wherever they are).
    lists: usize,
    /// `lists` under the `__schema` and `__type` fields of the set.
    introspection_lists: usize,
    /// Whether the set selects `__schema` or `__type`.
    introspects: bool,
}

impl Measure {
    fn max(self, other: Self) -> Self {
        Self {
            depth: self.depth.max(other.depth),
            lists: self.lists.max(other.lists),
            introspection_lists: self.introspection_lists.max(other.introspection_lists),
            introspects: self.introspects || other.introspects,
        }
    }
}

/// The measure of every operation and what it spreads (as async-graphql's own limits do, every
/// operation of the document counts, not only the one run).
fn measure(document: &ExecutableDocument) -> Measure {
    let mut walk = Walk {
        document,
        known: HashMap::new(),
        open: HashSet::new(),
    };
    document
        .operations
        .iter()
        .map(|(_, operation)| walk.set(&operation.node.selection_set.node))
        .fold(Measure::default(), Measure::max)
}

/// Walks selection sets, each fragment once. The nesting guard has refused cycles and spreads
/// nested more than `MAX_NESTING` deep before this runs, so the recursion is shallow.
struct Walk<'a> {
    document: &'a ExecutableDocument,
    known: HashMap<&'a str, Measure>,
    open: HashSet<&'a str>,
}

impl<'a> Walk<'a> {
    fn set(&mut self, set: &'a SelectionSet) -> Measure {
        let mut total = Measure::default();
        for item in &set.items {
            let inner = match &item.node {
                Selection::Field(field) => {
                    let inner = self.set(&field.node.selection_set.node);
                    match field.node.name.node.as_str() {
                        "__schema" | "__type" => Measure {
                            depth: 0,
                            lists: 0,
                            introspection_lists: inner.lists,
                            introspects: true,
                        },
                        name => Measure {
                            depth: inner.depth + 1,
                            lists: inner.lists
                                + usize::from(matches!(
                                    name,
                                    "fields" | "inputFields" | "interfaces" | "possibleTypes"
                                )),
                            introspection_lists: inner.introspection_lists,
                            introspects: inner.introspects,
                        },
                    }
                }
                Selection::InlineFragment(fragment) => self.set(&fragment.node.selection_set.node),
                Selection::FragmentSpread(spread) => self.fragment(&spread.node.fragment_name.node),
            };
            total = total.max(inner);
        }
        total
    }

    fn fragment(&mut self, name: &'a str) -> Measure {
        if let Some(&measure) = self.known.get(name) {
            return measure;
        }
        // An unknown fragment is validation's to report.
        let Some((name, fragment)) = self.document.fragments.get_key_value(name) else {
            return Measure::default();
        };
        if !self.open.insert(name) {
            return Measure::default();
        }
        let measure = self.set(&fragment.node.selection_set.node);
        self.open.remove(name.as_str());
        self.known.insert(name, measure);
        measure
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(query: &str) -> Measure {
        measure(&async_graphql::parser::parse_query(query).unwrap())
    }

    #[test]
    fn introspection_is_measured_apart_from_data() {
        assert_eq!(of("{ a { b { c } } }").depth, 3);
        let mixed =
            "{ a { b } __schema { types { fields { type { ofType { ofType { name } } } } } } }";
        assert_eq!(
            of(mixed),
            Measure {
                depth: 2,
                lists: 0,
                introspection_lists: 1,
                introspects: true,
            }
        );
        let spread = "{ ...Q } fragment Q on Query { __type(name: \"S\") { ...T } } \
                      fragment T on __Type { fields { type { fields { type { interfaces { name } } } } } }";
        assert_eq!(of(spread).introspection_lists, 3);
        assert_eq!(of(spread).depth, 0);
    }
}
