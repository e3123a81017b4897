//! What the clients district teams use need from the server: standard introspection, CORS,
//! GET, and GraphQL over HTTP's media types and status codes.

mod cors;
mod introspection;
mod over_http;
