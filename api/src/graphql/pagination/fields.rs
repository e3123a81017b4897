//! How connections appear in the schema: their GraphQL types, their query cost, the sort
//! direction, and what a query selects on their nodes.

use super::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

/// Query complexity of a connection paged in SQL: its page size times the cost of each node.
pub fn cost(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    cost_with_default(first, last, child_complexity, DEFAULT_PAGE_SIZE)
}

/// Items a bounded relation (a student's enrollments or guardians) is assumed to hold when no
/// page size is given: such lists are short, and loaded for a whole page at once.
const BOUNDED_RELATION_SIZE: usize = 10;

/// Query complexity of a bounded relation's connection.
pub fn cost_bounded(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    cost_with_default(first, last, child_complexity, BOUNDED_RELATION_SIZE)
}

fn cost_with_default(
    first: Option<i32>,
    last: Option<i32>,
    child_complexity: usize,
    default: usize,
) -> usize {
    let size = first
        .or(last)
        .map_or(default, |n| n.clamp(0, MAX_PAGE_SIZE as i32) as usize);
    size.max(1).saturating_mul(child_complexity.max(1))
}

/// Declares the GraphQL connection and edge types of a node type.
macro_rules! connection_type {
    ($connection:ident, $edge:ident, $node:ty, $connection_doc:literal, $edge_doc:literal) => {
        #[doc = $connection_doc]
        pub struct $connection(pub $crate::graphql::pagination::Connection<$node>);

        #[doc = $connection_doc]
        #[async_graphql::Object]
        impl $connection {
            /// The items of this page, each with its cursor.
            async fn edges(&self) -> Vec<$edge> {
                self.0
                    .edges
                    .iter()
                    .map(|(cursor, node)| $edge {
                        cursor: cursor.clone(),
                        node: node.clone(),
                    })
                    .collect()
            }
            /// The items of this page, without cursors.
            async fn nodes(&self) -> Vec<$node> {
                self.0.edges.iter().map(|(_, node)| node.clone()).collect()
            }
            /// Where this page stands in the whole list.
            async fn page_info(&self) -> &$crate::graphql::pagination::PageInfo {
                &self.0.page_info
            }
            /// How many items the whole list holds, across all pages.
            async fn total_count(&self) -> Result<u64, $crate::errors::AppError> {
                self.0.total.get().await
            }
        }

        #[doc = $edge_doc]
        pub struct $edge {
            cursor: $crate::graphql::pagination::EdgeCursor,
            node: $node,
        }

        #[doc = $edge_doc]
        #[async_graphql::Object]
        impl $edge {
            /// Pass as `after` (or `before`) to page from this item.
            async fn cursor(&self) -> String {
                self.cursor.text()
            }
            /// The item.
            async fn node(&self) -> &$node {
                &self.node
            }
        }
    };
}
pub(crate) use connection_type;

/// Which way a list is sorted.
#[derive(async_graphql::Enum, Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum OrderDirection {
    /// Smallest first (A to Z).
    #[default]
    Asc,
    /// Largest first (Z to A).
    Desc,
}

/// The selections made on the nodes of a connection, through `edges { node }` and `nodes`.
/// Lists use it to load, for a whole page at once, the relations a query asks for.
pub fn on_nodes(connection: async_graphql::Lookahead<'_>) -> [async_graphql::Lookahead<'_>; 2] {
    [
        connection.field("edges").field("node"),
        connection.field("nodes"),
    ]
}

/// Whether any node selection selects `field`.
pub fn selects(nodes: &[async_graphql::Lookahead<'_>], field: &str) -> bool {
    nodes.iter().any(|node| node.field(field).exists())
}

/// Whether any node selection selects `field` on the nodes of its nested connection `relation`.
pub fn selects_nested(nodes: &[async_graphql::Lookahead<'_>], relation: &str, field: &str) -> bool {
    nodes
        .iter()
        .any(|node| selects(&on_nodes(node.field(relation)), field))
}
