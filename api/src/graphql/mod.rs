//! GraphQL plumbing that names no domain: the resolver context, global ids, pagination and
//! page batches, the shapes every mutation shares, scalars, and the extensions and limits
//! around every request. The schema itself is assembled one floor up, in `schema`.

pub mod batch;
pub mod checks;
pub mod context;
pub mod extensions;
pub mod guards;
pub mod ids;
pub mod inputs;
pub mod limits;
pub mod mutation;
pub mod nulls;
pub mod pagination;
pub mod reads;
pub mod scalars;
