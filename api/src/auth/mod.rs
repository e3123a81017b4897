//! Who is asking (the [`Actor`], resolved once per request from the bearer token) and what
//! they may do (`policy`, the only place access decisions are made).

mod actor;
pub mod districts;
pub mod jwks;
pub mod jwt;
pub mod policy;
pub mod pseudonym;

pub use actor::{Actor, Role};
