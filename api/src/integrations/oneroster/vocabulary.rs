//! The binding's enumerations. Those the 1.2 spec lets a district extend keep an `ext:`
//! token whole (`ext:schoolSocialWorker`) in their `Ext` variant.

use super::row::{Vocabulary, extension};

/// `orgs.csv` `type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgType {
    Department,
    District,
    Local,
    National,
    School,
    State,
    Ext(String),
}

impl Vocabulary for OrgType {
    const EXPECTED: &'static str = "department, district, local, national, school, state, ext:*";
    fn from_token(token: &str) -> Option<Self> {
        Some(match token {
            "department" => Self::Department,
            "district" => Self::District,
            "local" => Self::Local,
            "national" => Self::National,
            "school" => Self::School,
            "state" => Self::State,
            _ => Self::Ext(extension(token)?),
        })
    }
}

/// `academicSessions.csv` `type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionType {
    GradingPeriod,
    Semester,
    SchoolYear,
    Term,
    Ext(String),
}

impl Vocabulary for SessionType {
    const EXPECTED: &'static str = "gradingPeriod, semester, schoolYear, term, ext:*";
    fn from_token(token: &str) -> Option<Self> {
        Some(match token {
            "gradingPeriod" => Self::GradingPeriod,
            "semester" => Self::Semester,
            "schoolYear" => Self::SchoolYear,
            "term" => Self::Term,
            _ => Self::Ext(extension(token)?),
        })
    }
}

/// `roles.csv` `roleType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleType {
    Primary,
    Secondary,
}

impl Vocabulary for RoleType {
    const EXPECTED: &'static str = "primary, secondary";
    fn from_token(token: &str) -> Option<Self> {
        match token {
            "primary" => Some(Self::Primary),
            "secondary" => Some(Self::Secondary),
            _ => None,
        }
    }
}

/// `roles.csv` `role`. A school social worker arrives as an `ext:` role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleName {
    Aide,
    Counselor,
    DistrictAdministrator,
    Guardian,
    Parent,
    Principal,
    Proctor,
    Relative,
    SiteAdministrator,
    Student,
    SystemAdministrator,
    Teacher,
    Ext(String),
}

impl Vocabulary for RoleName {
    const EXPECTED: &'static str = "aide, counselor, districtAdministrator, guardian, parent, \
        principal, proctor, relative, siteAdministrator, student, systemAdministrator, teacher, ext:*";
    fn from_token(token: &str) -> Option<Self> {
        Some(match token {
            "aide" => Self::Aide,
            "counselor" => Self::Counselor,
            "districtAdministrator" => Self::DistrictAdministrator,
            "guardian" => Self::Guardian,
            "parent" => Self::Parent,
            "principal" => Self::Principal,
            "proctor" => Self::Proctor,
            "relative" => Self::Relative,
            "siteAdministrator" => Self::SiteAdministrator,
            "student" => Self::Student,
            "systemAdministrator" => Self::SystemAdministrator,
            "teacher" => Self::Teacher,
            _ => Self::Ext(extension(token)?),
        })
    }
}

/// `enrollments.csv` `role`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnrollmentRole {
    Administrator,
    Proctor,
    Student,
    Teacher,
    Ext(String),
}

impl Vocabulary for EnrollmentRole {
    const EXPECTED: &'static str = "administrator, proctor, student, teacher, ext:*";
    fn from_token(token: &str) -> Option<Self> {
        Some(match token {
            "administrator" => Self::Administrator,
            "proctor" => Self::Proctor,
            "student" => Self::Student,
            "teacher" => Self::Teacher,
            _ => Self::Ext(extension(token)?),
        })
    }
}

/// `demographics.csv` `sex`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Female,
    Male,
    Other,
    Unspecified,
}

impl Vocabulary for Sex {
    const EXPECTED: &'static str = "female, male, other, unspecified";
    fn from_token(token: &str) -> Option<Self> {
        match token {
            "female" => Some(Self::Female),
            "male" => Some(Self::Male),
            "other" => Some(Self::Other),
            "unspecified" => Some(Self::Unspecified),
            _ => None,
        }
    }
}
