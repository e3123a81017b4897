//! MTSS (multi-tiered systems of support): tier placements, the intervention catalogue and
//! students' intervention plans with progress monitoring, IEP/504 participation, McKinney-Vento
//! status, attendance, and the worklists built from them (summary, early warning).
//!
//! All of it is EDUCATIONAL data: `auth::policy` decides who reads and writes which part.
//! This domain's fields of `Student` are its part (`StudentMtss`), and its conditions on
//! students are `MtssFilter`; `schema` flattens both into the one `Student` and its filter.

mod attendance;
pub mod attendance_rollup;
pub mod attendance_service;
mod descriptors;
mod descriptors_service;
mod early_warning;
mod homeless;
mod homeless_service;
mod interventions;
mod interventions_service;
mod loaders;
mod of_school;
pub mod plans;
pub mod progress;
mod references;
pub mod special_education;
mod student;
mod student_filter;
pub mod tiers;
mod tiers_service;
mod worklist;

use async_graphql::MergedObject;
use entity::values;

pub use attendance::AttendanceSummary;
pub use descriptors::Descriptor;
pub use homeless::HomelessStatus;
pub use interventions::Intervention;
pub use loaders::{DAY_COUNTS, Loaders, MtssContext};
pub use plans::{InterventionPlan, InterventionSession, ProgressPoint};
pub use special_education::{IepMeeting, IepParticipation};
pub use student::{StudentMtss, prefetch as prefetch_students};
pub use student_filter::MtssFilter;
pub use tiers::TierPlacement;
pub use worklist::OutcomeCount;

use crate::graphql::scalars::mirror_enum;

/// MTSS queries.
#[derive(MergedObject, Default)]
pub struct MtssQuery(
    descriptors::DescriptorQuery,
    interventions::InterventionQuery,
    special_education::SpecialEducationQuery,
    homeless::HomelessQuery,
    worklist::WorklistQuery,
);

/// MTSS mutations.
#[derive(MergedObject, Default)]
pub struct MtssMutation(
    descriptors::DescriptorMutation,
    interventions::InterventionMutation,
    plans::PlanMutation,
    tiers::TierMutation,
    special_education::SpecialEducationMutation,
    homeless::HomelessMutation,
    attendance::AttendanceMutation,
);

mirror_enum! {
    /// An MTSS domain.
    MtssDomain = values::MtssDomain {
        /// Reading, math and other academics.
        Academic,
        /// Behavior.
        Behavior,
        /// Social-emotional learning and mental health.
        SocialEmotional,
        /// Attendance.
        Attendance,
    }
}

mirror_enum! {
    /// ESSA tiers of evidence.
    EvidenceLevel = values::EvidenceLevel {
        /// Tier 1: at least one well-designed experimental study.
        Strong,
        /// Tier 2: at least one quasi-experimental study.
        Moderate,
        /// Tier 3: at least one correlational study with controls.
        Promising,
        /// Tier 4: a well-defined logic model, under study.
        Rationale,
    }
}

mirror_enum! {
    /// How an intervention is delivered.
    Delivery = values::Delivery {
        /// One to one.
        Individual,
        /// A small group.
        SmallGroup,
        /// A whole class.
        Classwide,
    }
}

mirror_enum! {
    /// Where an intervention plan stands.
    PlanStatus = values::PlanStatus {
        /// Agreed, not started.
        Planned,
        /// Being delivered.
        Active,
        /// Ran its course.
        Completed,
        /// Stopped early.
        Discontinued,
    }
}

mirror_enum! {
    /// How an intervention plan ended.
    PlanOutcome = values::PlanOutcome {
        /// The goal was met.
        GoalMet,
        /// Progress, goal not met.
        Progress,
        /// No measurable progress.
        NoProgress,
        /// The student lost ground.
        Regressed,
        /// The student left before the end.
        MovedAway,
    }
}

mirror_enum! {
    /// The kind of plan.
    PlanType = values::PlanType {
        /// Individualized Education Program (IDEA).
        Iep,
        /// Section 504 plan.
        Section504,
    }
}

mirror_enum! {
    /// Where a student stands in special education.
    IepStatus = values::IepStatus {
        /// Referred for evaluation.
        Referred,
        /// Being evaluated.
        Evaluating,
        /// Found eligible, plan not yet in effect.
        Eligible,
        /// The plan is in effect.
        Active,
        /// Left the program.
        Exited,
        /// Found not eligible.
        NotEligible,
    }
}

mirror_enum! {
    /// The kind of IEP meeting.
    IepMeetingType = values::IepMeetingType {
        /// The first IEP meeting.
        Initial,
        /// The annual review.
        Annual,
        /// The three-year reevaluation.
        Reevaluation,
        /// A change to the plan.
        Amendment,
        /// Manifestation determination after a disciplinary removal.
        ManifestationDetermination,
    }
}

mirror_enum! {
    /// A student's attendance on one day.
    AttendanceStatus = values::AttendanceStatus {
        /// Present.
        Present,
        /// Present, but late.
        Tardy,
        /// Absent with an excuse.
        Excused,
        /// Absent without an excuse.
        Unexcused,
    }
}
