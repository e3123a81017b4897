//! The typed rows of the files this reader keeps (OneRoster 1.2 CSV binding). `sourcedId`,
//! `status` and `dateLastModified` lead every file and are checked by `table`; references to
//! other records stay plain `sourcedId`s.

use chrono::NaiveDate;

use super::row::{Need::Optional, Need::Required, Row, boolean, date, token};
pub use super::vocabulary::{EnrollmentRole, OrgType, RoleName, RoleType, SessionType, Sex};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    pub sourced_id: String,
    pub name: String,
    pub org_type: OrgType,
    pub identifier: Option<String>,
    pub parent_sourced_id: Option<String>,
}

pub(super) fn org(row: &mut Row<'_>) -> Option<Org> {
    let name = row.required("name");
    let org_type = row.parse("type", Required, token);
    Some(Org {
        sourced_id: row.sourced_id(),
        name: name?,
        org_type: org_type?,
        identifier: row.optional("identifier"),
        parent_sourced_id: row.optional("parentSourcedId"),
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcademicSession {
    pub sourced_id: String,
    pub title: String,
    pub session_type: SessionType,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub parent_sourced_id: Option<String>,
    /// The year the school year ends in, as the binding writes it (YYYY).
    pub school_year: i32,
}

pub(super) fn academic_session(row: &mut Row<'_>) -> Option<AcademicSession> {
    let title = row.required("title");
    let session_type = row.parse("type", Required, token);
    let start_date = row.parse("startDate", Required, date);
    let end_date = row.parse("endDate", Required, date);
    let school_year = row.parse("schoolYear", Required, |text| {
        let year = text.parse().ok().filter(|_| text.len() == 4);
        year.ok_or_else(|| format!("`{text}` is not a year written YYYY"))
    });
    Some(AcademicSession {
        sourced_id: row.sourced_id(),
        title: title?,
        session_type: session_type?,
        start_date: start_date?,
        end_date: end_date?,
        parent_sourced_id: row.optional("parentSourcedId"),
        school_year: school_year?,
    })
}

/// One of a user's `userIds`, written `{type:identifier}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserId {
    pub id_type: String,
    pub identifier: String,
}

/// `{type:id},{type:id}`: an identifier may hold commas and colons, never `}`.
fn user_ids(text: &str) -> Result<Vec<UserId>, String> {
    let bad = || format!("`{text}` is not a list of {{type:identifier}}");
    let mut ids = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let inner = rest.strip_prefix('{').ok_or_else(bad)?;
        let (item, after) = inner.split_once('}').ok_or_else(bad)?;
        let (id_type, identifier) = item.split_once(':').ok_or_else(bad)?;
        if id_type.is_empty() || identifier.is_empty() {
            return Err(bad());
        }
        ids.push(UserId {
            id_type: id_type.to_owned(),
            identifier: identifier.to_owned(),
        });
        rest = after.trim_start();
        if let Some(next) = rest.strip_prefix(',') {
            rest = next.trim_start();
            if rest.is_empty() {
                return Err(bad());
            }
        } else if !rest.is_empty() {
            return Err(bad());
        }
    }
    Ok(ids)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub sourced_id: String,
    pub enabled_user: bool,
    pub username: String,
    pub user_ids: Vec<UserId>,
    pub given_name: String,
    pub family_name: String,
    pub middle_name: Option<String>,
    pub identifier: Option<String>,
    pub email: Option<String>,
    pub sms: Option<String>,
    pub phone: Option<String>,
    /// The users this one is an agent of, or who are agents of this one (a guardian's
    /// students, a student's guardians).
    pub agent_sourced_ids: Vec<String>,
    /// Grade levels as sent (CEDS codes such as `KG`, `01`), not checked against a list.
    pub grades: Vec<String>,
    pub password: Option<String>,
    pub user_master_identifier: Option<String>,
    pub resource_sourced_ids: Vec<String>,
    pub preferred_given_name: Option<String>,
    pub preferred_middle_name: Option<String>,
    pub preferred_family_name: Option<String>,
    pub primary_org_sourced_id: Option<String>,
    pub pronouns: Option<String>,
}

pub(super) fn user(row: &mut Row<'_>) -> Option<User> {
    let enabled_user = row.parse("enabledUser", Required, boolean);
    let username = row.required("username");
    let user_ids = row.parse("userIds", Optional, user_ids);
    let given_name = row.required("givenName");
    let family_name = row.required("familyName");
    Some(User {
        sourced_id: row.sourced_id(),
        enabled_user: enabled_user?,
        username: username?,
        user_ids: user_ids.unwrap_or_default(),
        given_name: given_name?,
        family_name: family_name?,
        middle_name: row.optional("middleName"),
        identifier: row.optional("identifier"),
        email: row.optional("email"),
        sms: row.optional("sms"),
        phone: row.optional("phone"),
        agent_sourced_ids: row.list("agentSourcedIds"),
        grades: row.list("grades"),
        password: row.optional("password"),
        user_master_identifier: row.optional("userMasterIdentifier"),
        resource_sourced_ids: row.list("resourceSourcedIds"),
        preferred_given_name: row.optional("preferredGivenName"),
        preferred_middle_name: row.optional("preferredMiddleName"),
        preferred_family_name: row.optional("preferredFamilyName"),
        primary_org_sourced_id: row.optional("primaryOrgSourcedId"),
        pronouns: row.optional("pronouns"),
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub sourced_id: String,
    pub user_sourced_id: String,
    pub role_type: RoleType,
    pub role: RoleName,
    pub begin_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub org_sourced_id: String,
    pub user_profile_sourced_id: Option<String>,
}

pub(super) fn role(row: &mut Row<'_>) -> Option<Role> {
    let user_sourced_id = row.required("userSourcedId");
    let role_type = row.parse("roleType", Required, token);
    let role = row.parse("role", Required, token);
    let begin_date = row.parse("beginDate", Optional, date);
    let end_date = row.parse("endDate", Optional, date);
    let org_sourced_id = row.required("orgSourcedId");
    Some(Role {
        sourced_id: row.sourced_id(),
        user_sourced_id: user_sourced_id?,
        role_type: role_type?,
        role: role?,
        begin_date,
        end_date,
        org_sourced_id: org_sourced_id?,
        user_profile_sourced_id: row.optional("userProfileSourcedId"),
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrollment {
    pub sourced_id: String,
    pub class_sourced_id: String,
    pub school_sourced_id: String,
    pub user_sourced_id: String,
    pub role: EnrollmentRole,
    pub primary: Option<bool>,
    pub begin_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
}

pub(super) fn enrollment(row: &mut Row<'_>) -> Option<Enrollment> {
    let class_sourced_id = row.required("classSourcedId");
    let school_sourced_id = row.required("schoolSourcedId");
    let user_sourced_id = row.required("userSourcedId");
    let role = row.parse("role", Required, token);
    let primary = row.parse("primary", Optional, boolean);
    let begin_date = row.parse("beginDate", Optional, date);
    let end_date = row.parse("endDate", Optional, date);
    Some(Enrollment {
        sourced_id: row.sourced_id(),
        class_sourced_id: class_sourced_id?,
        school_sourced_id: school_sourced_id?,
        user_sourced_id: user_sourced_id?,
        role: role?,
        primary,
        begin_date,
        end_date,
    })
}

/// A class: kept for the terms (academic sessions) that date its enrollments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    pub sourced_id: String,
    pub school_sourced_id: String,
    pub term_sourced_ids: Vec<String>,
}

pub(super) fn class(row: &mut Row<'_>) -> Option<Class> {
    let school_sourced_id = row.required("schoolSourcedId");
    Some(Class {
        sourced_id: row.sourced_id(),
        school_sourced_id: school_sourced_id?,
        term_sourced_ids: row.list("termSourcedIds"),
    })
}

/// A user's demographics; `sourced_id` is the user's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Demographics {
    pub sourced_id: String,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub american_indian_or_alaska_native: Option<bool>,
    pub asian: Option<bool>,
    pub black_or_african_american: Option<bool>,
    pub native_hawaiian_or_other_pacific_islander: Option<bool>,
    pub white: Option<bool>,
    pub demographic_race_two_or_more_races: Option<bool>,
    pub hispanic_or_latino_ethnicity: Option<bool>,
    pub country_of_birth_code: Option<String>,
    pub state_of_birth_abbreviation: Option<String>,
    pub city_of_birth: Option<String>,
    pub public_school_residence_status: Option<String>,
}

pub(super) fn demographics(row: &mut Row<'_>) -> Option<Demographics> {
    let mut flag = |column| row.parse(column, Optional, boolean);
    let american_indian_or_alaska_native = flag("americanIndianOrAlaskaNative");
    let asian = flag("asian");
    let black_or_african_american = flag("blackOrAfricanAmerican");
    let native_hawaiian_or_other_pacific_islander = flag("nativeHawaiianOrOtherPacificIslander");
    let white = flag("white");
    let demographic_race_two_or_more_races = flag("demographicRaceTwoOrMoreRaces");
    let hispanic_or_latino_ethnicity = flag("hispanicOrLatinoEthnicity");
    Some(Demographics {
        sourced_id: row.sourced_id(),
        birth_date: row.parse("birthDate", Optional, date),
        sex: row.parse("sex", Optional, token),
        american_indian_or_alaska_native,
        asian,
        black_or_african_american,
        native_hawaiian_or_other_pacific_islander,
        white,
        demographic_race_two_or_more_races,
        hispanic_or_latino_ethnicity,
        country_of_birth_code: row.optional("countryOfBirthCode"),
        state_of_birth_abbreviation: row.optional("stateOfBirthAbbreviation"),
        city_of_birth: row.optional("cityOfBirth"),
        public_school_residence_status: row.optional("publicSchoolResidenceStatus"),
    })
}
