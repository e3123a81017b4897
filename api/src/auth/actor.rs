//! The identity of a request, taken from a verified token and passed down as data.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::pseudonym::Pseudonyms;

/// The role a token grants (DESIGN.md section 4).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    async_graphql::Enum,
    clap::ValueEnum,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    /// Sees and writes everything of its district.
    DistrictAdmin,
    /// Pupil-services staff: students of assigned schools.
    SocialWorker,
    /// Teachers and principals: directory data of students in own schools.
    SchoolStaff,
    /// A student information system pushing roster data.
    SisIntegration,
    /// A BI tool: pseudonymised educational data, no names.
    BiReader,
    /// A community agency: referrals sent to it, with consent.
    AgencyPartner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DistrictAdmin => "DISTRICT_ADMIN",
            Self::SocialWorker => "SOCIAL_WORKER",
            Self::SchoolStaff => "SCHOOL_STAFF",
            Self::SisIntegration => "SIS_INTEGRATION",
            Self::BiReader => "BI_READER",
            Self::AgencyPartner => "AGENCY_PARTNER",
        }
    }
}

/// Who is making the request, as the token says.
#[derive(Debug, Clone)]
pub struct Actor {
    pub subject: String,
    pub role: Role,
    pub district_id: Uuid,
    pub staff_id: Option<Uuid>,
    pub school_ids: Vec<Uuid>,
    pub agency_id: Option<Uuid>,
    /// The date in the district's time zone, fixed for the whole request: what "current"
    /// (enrollments, assignments, placements) and "not in the future" are measured against.
    pub today: NaiveDate,
    /// For a role that knows students by pseudonym (`policy::knows_students_by_pseudonym`),
    /// its district's: every student id it is shown is one of these.
    pub pseudonyms: Option<Pseudonyms>,
}
