//! MTSS through HTTP: tiers, the catalogue, plans and their derived fields, IEP/504,
//! McKinney-Vento, attendance, the worklist queries, and each role's access.

mod plans;
mod points;
mod records;
mod rollup;
mod worklists;
mod write_rules;
