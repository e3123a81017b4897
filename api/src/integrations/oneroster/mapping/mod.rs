//! A read OneRoster set as the sync pushes it: orgs of type school become schools; users
//! become students, staff or guardians by their roles (`roles.csv`); guardians are linked to
//! students through `agentSourcedIds` (either side may list the other); class enrollments of
//! a student at a school become one school enrollment; demographics give the birth date.
//! Every record keeps the file and line it came from, for its errors.

mod enrollments;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::{FileMode, Located, OneRosterSet, OrgType, RoleName, RowStatus, User};
use crate::{
    graphql::scalars::Date,
    integrations::sync::{
        enrollments::SyncEnrollmentRecord,
        guardians::{SyncGuardianLink, SyncGuardianRecord},
        schools::SyncSchoolRecord,
        staff::SyncStaffRecord,
        students::SyncStudentRecord,
    },
    roster::{
        guardians::{GuardianFields, GuardianLinkFields},
        staff::{StaffFields, StaffRole},
        students::{StudentFields, StudentStatus},
    },
    validation::GRADE_LEVELS,
};

/// Where a pushed record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub file: &'static str,
    pub line: u64,
}

impl<T> From<&Located<T>> for Origin {
    fn from(located: &Located<T>) -> Self {
        Self {
            file: located.file,
            line: located.line,
        }
    }
}

/// Records of one kind to push, each with its origin.
pub struct Batch<R> {
    pub records: Vec<R>,
    pub origins: Vec<Origin>,
}

impl<R> Default for Batch<R> {
    fn default() -> Self {
        Self {
            records: Vec::new(),
            origins: Vec::new(),
        }
    }
}

impl<R> Batch<R> {
    fn add(&mut self, record: R, origin: Origin) {
        self.records.push(record);
        self.origins.push(origin);
    }

    /// The origins, and the records to push.
    pub fn split(self) -> (Vec<Origin>, Vec<R>) {
        (self.origins, self.records)
    }
}

/// A set as pushes, in the order they run (a record may name one pushed before it).
#[derive(Default)]
pub struct Batches {
    /// The name of the set's district org, which the district takes (a set is one district's).
    pub district_name: Option<String>,
    pub schools: Batch<SyncSchoolRecord>,
    pub students: Batch<SyncStudentRecord>,
    pub staff: Batch<SyncStaffRecord>,
    pub guardians: Batch<SyncGuardianRecord>,
    pub enrollments: Batch<SyncEnrollmentRecord>,
    /// Whether `enrollments.csv` is the whole of its schools' enrollments (a bulk file): those
    /// missing from it are closed.
    pub enrollments_in_full: bool,
    /// Whether `users.csv` is the whole of the students (a bulk file): those missing from it
    /// are made inactive.
    pub users_in_full: bool,
    /// Rows the mapping refused: (origin, column, message).
    pub refused: Vec<(Origin, &'static str, String)>,
}

/// The district org of `set`, whose name the district takes; a set listing two districts is
/// refused at the second (an import fills one district).
fn district(batches: &mut Batches, set: &OneRosterSet) {
    let mut districts = set
        .orgs
        .iter()
        .filter(|org| org.row.org_type == OrgType::District)
        .filter(|org| org.status != Some(RowStatus::ToBeDeleted));
    batches.district_name = districts.next().map(|org| org.row.name.clone());
    for other in districts {
        let message = format!(
            "a second district org ({}): a set imports into one district",
            other.row.sourced_id
        );
        batches.refused.push((other.into(), "type", message));
    }
}

/// What a user is here, by its roles.
enum Kind {
    Student,
    Staff(StaffRole),
    Guardian(&'static str),
}

fn kind_of(role: &RoleName) -> Kind {
    match role {
        RoleName::Student => Kind::Student,
        RoleName::Parent => Kind::Guardian("parent"),
        RoleName::Guardian => Kind::Guardian("guardian"),
        RoleName::Relative => Kind::Guardian("relative"),
        RoleName::Counselor => Kind::Staff(StaffRole::Counselor),
        RoleName::Teacher | RoleName::Aide | RoleName::Proctor => Kind::Staff(StaffRole::Teacher),
        RoleName::Principal
        | RoleName::SiteAdministrator
        | RoleName::DistrictAdministrator
        | RoleName::SystemAdministrator => Kind::Staff(StaffRole::Administrator),
        RoleName::Ext(name) => {
            let name = name.to_ascii_lowercase();
            Kind::Staff(if name.contains("socialworker") {
                StaffRole::SocialWorker
            } else if name.contains("psychologist") {
                StaffRole::Psychologist
            } else if name.contains("nurse") {
                StaffRole::Nurse
            } else {
                StaffRole::Other
            })
        }
    }
}

/// Maps `set` to the pushes; `today` dates closings and enrollments without a begin date.
pub fn batches(set: &OneRosterSet, today: NaiveDate) -> Batches {
    let mut batches = Batches {
        enrollments_in_full: set.modes.get("enrollments.csv") == Some(&FileMode::Bulk),
        users_in_full: set.modes.get("users.csv") == Some(&FileMode::Bulk),
        ..Batches::default()
    };
    district(&mut batches, set);
    let schools: HashSet<&str> = set
        .orgs
        .iter()
        .filter(|org| org.row.org_type == OrgType::School)
        .map(|org| org.row.sourced_id.as_str())
        .collect();
    let mut roles: HashMap<&str, Vec<&Located<super::Role>>> = HashMap::new();
    for role in &set.roles {
        roles
            .entry(&role.row.user_sourced_id)
            .or_default()
            .push(role);
    }
    let kinds: HashMap<&str, Kind> = set
        .users
        .iter()
        .filter_map(|user| {
            let first = roles.get(user.row.sourced_id.as_str())?.first()?;
            Some((user.row.sourced_id.as_str(), kind_of(&first.row.role)))
        })
        .collect();
    let births: HashMap<&str, NaiveDate> = set
        .demographics
        .iter()
        .filter_map(|d| Some((d.row.sourced_id.as_str(), d.row.birth_date?)))
        .collect();
    let listed = listed_by(set, &kinds);
    let ranges = grade_ranges(set, &roles);
    for user in &set.users {
        let id = user.row.sourced_id.as_str();
        let closed = user.status == Some(RowStatus::ToBeDeleted);
        let orgs = || {
            roles
                .get(id)
                .into_iter()
                .flatten()
                .map(|r| &r.row.org_sourced_id)
        };
        match kinds.get(id) {
            None => batches.refused.push((
                user.into(),
                "sourcedId",
                "roles.csv gives this user no role: a user is imported with its roles".into(),
            )),
            Some(Kind::Student) => student(&mut batches, user, births.get(id).copied(), closed),
            Some(Kind::Staff(role)) => {
                let at: Vec<String> = if closed {
                    Vec::new()
                } else {
                    orgs()
                        .filter(|o| schools.contains(o.as_str()))
                        .cloned()
                        .collect()
                };
                let record = SyncStaffRecord {
                    sourced_id: id.into(),
                    staff: StaffFields {
                        first_name: user.row.given_name.clone(),
                        last_name: user.row.family_name.clone(),
                        email: user.row.email.clone(),
                        role: *role,
                        license: None,
                    },
                    school_sourced_ids: at,
                };
                batches.staff.add(record, user.into());
            }
            Some(Kind::Guardian(relationship)) => {
                let students = if closed {
                    Vec::new()
                } else {
                    wards(user, &kinds, &listed)
                };
                let record = SyncGuardianRecord {
                    sourced_id: id.into(),
                    guardian: GuardianFields {
                        first_name: user.row.given_name.clone(),
                        last_name: user.row.family_name.clone(),
                        email: user.row.email.clone(),
                        phone: user.row.phone.clone().or_else(|| user.row.sms.clone()),
                        language: None,
                    },
                    students: students
                        .into_iter()
                        .enumerate()
                        .map(|(i, student)| SyncGuardianLink {
                            student_sourced_id: student,
                            link: GuardianLinkFields {
                                relationship: (*relationship).into(),
                                lives_with: false,
                                contact_priority: i as i32 + 1,
                                restriction: None,
                            },
                        })
                        .collect(),
                };
                batches.guardians.add(record, user.into());
            }
        }
    }
    for org in set
        .orgs
        .iter()
        .filter(|o| o.row.org_type == OrgType::School)
    {
        let grades = ranges.get(org.row.sourced_id.as_str());
        school(&mut batches, org, grades);
    }
    enrollments::add(&mut batches, set, today);
    batches
}

fn student(batches: &mut Batches, user: &Located<User>, birth: Option<NaiveDate>, closed: bool) {
    let row = &user.row;
    let Some(grade) = row.grades.first() else {
        let message = "a student needs a grade level: grades is empty".into();
        batches.refused.push((user.into(), "grades", message));
        return;
    };
    let state_id = row
        .user_ids
        .iter()
        .find(|id| id.id_type.eq_ignore_ascii_case("state"))
        .map(|id| id.identifier.clone());
    let active = row.enabled_user && !closed;
    let record = SyncStudentRecord {
        sourced_id: row.sourced_id.clone(),
        student: StudentFields {
            legal_first_name: row.given_name.clone(),
            legal_last_name: row.family_name.clone(),
            preferred_name: row.preferred_given_name.clone(),
            local_id: row.identifier.clone(),
            state_id,
            birth_date: birth.map(Date),
            grade_level: grade.clone(),
            language: None,
            english_learner: false,
            economically_disadvantaged: false,
            status: Some(if active {
                StudentStatus::Active
            } else {
                StudentStatus::Inactive
            }),
        },
    };
    batches.students.add(record, user.into());
}

/// The students a guardian is linked to: those its `agentSourcedIds` list, then those listing
/// it in theirs (`listed_by`: guardian to students, gathered once for the set).
fn wards<'s>(
    guardian: &'s Located<User>,
    kinds: &HashMap<&str, Kind>,
    listed_by: &HashMap<&str, Vec<&'s str>>,
) -> Vec<String> {
    let is_student = |id: &str| matches!(kinds.get(id), Some(Kind::Student));
    let own = guardian.row.agent_sourced_ids.iter().map(String::as_str);
    let listing = listed_by.get(guardian.row.sourced_id.as_str());
    let mut wards: Vec<String> = Vec::new();
    for id in own
        .filter(|id| is_student(id))
        .chain(listing.into_iter().flatten().copied())
    {
        if !wards.iter().any(|w| w == id) {
            wards.push(id.to_string());
        }
    }
    wards
}

/// For each guardian, the students whose `agentSourcedIds` name it.
fn listed_by<'s>(
    set: &'s OneRosterSet,
    kinds: &HashMap<&str, Kind>,
) -> HashMap<&'s str, Vec<&'s str>> {
    let mut listed: HashMap<&str, Vec<&str>> = HashMap::new();
    for user in &set.users {
        let id = user.row.sourced_id.as_str();
        if matches!(kinds.get(id), Some(Kind::Student)) {
            for agent in &user.row.agent_sourced_ids {
                listed.entry(agent.as_str()).or_default().push(id);
            }
        }
    }
    listed
}

/// The grades of each school's students (by their student roles), lowest and highest.
fn grade_ranges<'s>(
    set: &'s OneRosterSet,
    roles: &HashMap<&str, Vec<&'s Located<super::Role>>>,
) -> HashMap<&'s str, (&'s str, &'s str)> {
    let rank = |grade: &str| GRADE_LEVELS.iter().position(|g| *g == grade);
    let mut ranges: HashMap<&str, (&str, &str)> = HashMap::new();
    for user in &set.users {
        let Some(grade) = user.row.grades.first().filter(|g| rank(g).is_some()) else {
            continue;
        };
        let students = roles
            .get(user.row.sourced_id.as_str())
            .into_iter()
            .flatten();
        for role in students.filter(|r| r.row.role == RoleName::Student) {
            let range = ranges
                .entry(role.row.org_sourced_id.as_str())
                .or_insert((grade, grade));
            if rank(grade) < rank(range.0) {
                range.0 = grade;
            }
            if rank(grade) > rank(range.1) {
                range.1 = grade;
            }
        }
    }
    ranges
}

/// A school, its grades those of its students (KG to 12 when it has none).
fn school(batches: &mut Batches, org: &Located<super::Org>, grades: Option<&(&str, &str)>) {
    let (lowest, highest) = grades.copied().unwrap_or(("KG", "12"));
    let record = SyncSchoolRecord {
        sourced_id: org.row.sourced_id.clone(),
        name: org.row.name.clone(),
        state_id: org.row.identifier.clone(),
        nces_id: None,
        lowest_grade: lowest.into(),
        highest_grade: highest.into(),
    };
    batches.schools.add(record, org.into());
}
