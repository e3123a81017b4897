//! The files of the OneRoster 1.2 CSV binding this reader reads, each with its columns in the
//! spec's order (the order is normative).

use super::table::Table;

pub(super) const ORGS: Table = Table {
    file: "orgs.csv",
    columns: &[
        "sourcedId",
        "status",
        "dateLastModified",
        "name",
        "type",
        "identifier",
        "parentSourcedId",
    ],
};

pub(super) const ACADEMIC_SESSIONS: Table = Table {
    file: "academicSessions.csv",
    columns: &[
        "sourcedId",
        "status",
        "dateLastModified",
        "title",
        "type",
        "startDate",
        "endDate",
        "parentSourcedId",
        "schoolYear",
    ],
};

pub(super) const USERS: Table = Table {
    file: "users.csv",
    columns: &[
        "sourcedId",
        "status",
        "dateLastModified",
        "enabledUser",
        "username",
        "userIds",
        "givenName",
        "familyName",
        "middleName",
        "identifier",
        "email",
        "sms",
        "phone",
        "agentSourcedIds",
        "grades",
        "password",
        "userMasterIdentifier",
        "resourceSourcedIds",
        "preferredGivenName",
        "preferredMiddleName",
        "preferredFamilyName",
        "primaryOrgSourcedId",
        "pronouns",
    ],
};

pub(super) const ROLES: Table = Table {
    file: "roles.csv",
    columns: &[
        "sourcedId",
        "status",
        "dateLastModified",
        "userSourcedId",
        "roleType",
        "role",
        "beginDate",
        "endDate",
        "orgSourcedId",
        "userProfileSourcedId",
    ],
};

pub(super) const ENROLLMENTS: Table = Table {
    file: "enrollments.csv",
    columns: &[
        "sourcedId",
        "status",
        "dateLastModified",
        "classSourcedId",
        "schoolSourcedId",
        "userSourcedId",
        "role",
        "primary",
        "beginDate",
        "endDate",
    ],
};

pub(super) const DEMOGRAPHICS: Table = Table {
    file: "demographics.csv",
    columns: &[
        "sourcedId",
        "status",
        "dateLastModified",
        "birthDate",
        "sex",
        "americanIndianOrAlaskaNative",
        "asian",
        "blackOrAfricanAmerican",
        "nativeHawaiianOrOtherPacificIslander",
        "white",
        "demographicRaceTwoOrMoreRaces",
        "hispanicOrLatinoEthnicity",
        "countryOfBirthCode",
        "stateOfBirthAbbreviation",
        "cityOfBirth",
        "publicSchoolResidenceStatus",
    ],
};

/// Kept for their terms, which date their enrollments.
pub(super) const CLASSES: Table = Table {
    file: "classes.csv",
    columns: &[
        "sourcedId",
        "status",
        "dateLastModified",
        "title",
        "grades",
        "courseSourcedId",
        "classCode",
        "classType",
        "location",
        "schoolSourcedId",
        "termSourcedIds",
        "subjects",
        "subjectCodes",
        "periods",
    ],
};

/// Checked for shape only; their rows are not kept.
pub(super) const COURSES: Table = Table {
    file: "courses.csv",
    columns: &[
        "sourcedId",
        "status",
        "dateLastModified",
        "schoolYearSourcedId",
        "title",
        "courseCode",
        "grades",
        "orgSourcedId",
        "subjects",
        "subjectCodes",
    ],
};

/// Every file this reader reads when the manifest lists it.
pub(super) const READ: [Table; 8] = [
    ORGS,
    ACADEMIC_SESSIONS,
    USERS,
    ROLES,
    ENROLLMENTS,
    DEMOGRAPHICS,
    CLASSES,
    COURSES,
];
