//! The district roster: the district itself, schools, staff and their school assignments,
//! students, enrollments and guardians. Every later domain hangs off these records.
//!
//! Each file owns one concept: its GraphQL types, queries, mutations and the service functions
//! that read and write it (sea-orm, no GraphQL) sit together.

pub mod bulk;
pub mod district;
mod enrollments;
pub mod enrollments_service;
pub mod guardians;
mod loaders;
mod people;
pub mod schools;
pub mod staff;
pub mod students;
mod viewer;
mod writes;

use async_graphql::MergedObject;

pub use district::District;
pub use enrollments::{Enrollment, EnrollmentFields};
pub use guardians::{Guardian, GuardianLink};
pub use loaders::{Loaders, RosterContext};
pub use schools::{School, SchoolRoster, contains_pattern, like_literal, lower_like};
pub use staff::{Staff, StaffAssignment, StaffRoster};
pub use students::{RosterStudentFilter, Student, StudentConnection, StudentOrder, StudentRoster};
pub use viewer::{Viewer, ViewerRoster};
pub use writes::Sourced;

/// The roster's queries.
#[derive(MergedObject, Default)]
pub struct RosterQuery(
    district::DistrictQuery,
    schools::SchoolQuery,
    staff::StaffQuery,
    students::StudentQuery,
    viewer::ViewerQuery,
);

/// The roster's mutations.
#[derive(MergedObject, Default)]
pub struct RosterMutation(
    schools::SchoolMutation,
    staff::StaffMutation,
    students::StudentMutation,
    enrollments::EnrollmentMutation,
    guardians::GuardianMutation,
);

/// The key a source system (SIS) knows a record by.
#[derive(async_graphql::SimpleObject, Clone, Debug)]
pub struct SourceKey {
    /// The system that pushed the record (for example `powerschool`).
    pub system: String,
    /// The record's id in that system (OneRoster `sourcedId`).
    pub sourced_id: String,
}

impl SourceKey {
    fn of(system: &Option<String>, sourced_id: &Option<String>) -> Option<Self> {
        Some(Self {
            system: system.clone()?,
            sourced_id: sourced_id.clone()?,
        })
    }
}

/// Checks that a source system and sourced id come together or not at all.
pub fn check_source(
    check: &mut crate::validation::Check,
    system: Option<&str>,
    sourced_id: Option<&str>,
) {
    use crate::validation::UserErrorCode;
    check.text("sourceSystem", system, 64);
    check.text("sourcedId", sourced_id, 255);
    if system.is_some() != sourced_id.is_some() {
        check.fail(
            "sourcedId",
            UserErrorCode::Required,
            "sourceSystem and sourcedId go together",
        );
    }
}
