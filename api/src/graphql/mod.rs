//! The GraphQL layer: schema building and limits, request context, pagination, global ids,
//! scalars and the shapes every mutation shares.

pub mod batch;
pub mod context;
pub mod extensions;
pub mod mutation;
pub mod node;
pub mod pagination;
pub mod scalars;
pub mod schema;
