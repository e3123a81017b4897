//! What the clients district teams use need from the server: standard introspection, CORS,
//! GET, GraphQL over HTTP's media types and status codes, and opaque cursors.

mod cors;
mod cursors;
mod introspection;
mod over_http;
