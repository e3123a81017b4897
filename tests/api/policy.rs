//! The access policy through every path: lists, `node(id)`, `student(id)`, nested relations,
//! filters and writes.

mod districts;
mod schools;

const ALL_STUDENTS: &str = "{ students(first: 100) { totalCount nodes { id } } }";
