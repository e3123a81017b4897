//! sea-orm entities of ssw-api, one file per table.
//!
//! Entities are storage, not API: nothing here derives GraphQL types (the API crate writes
//! its types by hand, so a column added here is never exposed by accident).

pub mod audit_event;
pub mod change;
pub mod district;
pub mod enrollment;
pub mod guardian;
pub mod school;
pub mod staff;
pub mod staff_school_assignment;
pub mod student;
pub mod student_guardian;
pub mod values;
