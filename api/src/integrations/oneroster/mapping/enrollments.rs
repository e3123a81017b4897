//! Enrollments: a student's class enrollments at a school become one school enrollment,
//! dated from the enrollments, or else from their class's terms, or else the school year.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::{Batches, OneRosterSet};
use crate::{
    graphql::scalars::Date,
    integrations::{
        oneroster::{AcademicSession, Enrollment, EnrollmentRole, Located, RowStatus, SessionType},
        sync::enrollments::SyncEnrollmentRecord,
    },
    roster::EnrollmentFields,
};

/// A student's class enrollments at one school, as one school enrollment.
struct AtSchool<'s> {
    first: &'s Located<Enrollment>,
    begin: Option<NaiveDate>,
    end: Option<NaiveDate>,
    open: bool,
    closed: bool,
}

/// One school enrollment per student and school (`student@school`): from the earliest begin
/// (or the school year's start) to the latest end, open while any class enrollment is.
pub(super) fn add(batches: &mut Batches, set: &OneRosterSet, today: NaiveDate) {
    let year_start = school_year_start(&set.academic_sessions, today);
    let grades: HashMap<&str, &str> = set
        .users
        .iter()
        .filter_map(|u| Some((u.row.sourced_id.as_str(), u.row.grades.first()?.as_str())))
        .collect();
    let terms = class_terms(set);
    let mut by_pair: BTreeMap<(&str, &str), AtSchool> = BTreeMap::new();
    for located in set.enrollments.iter() {
        let mut row = located.row.clone();
        if row.role != EnrollmentRole::Student {
            continue;
        }
        if let Some((start, end)) = terms.get(row.class_sourced_id.as_str()) {
            row.begin_date = row.begin_date.or(Some(*start));
            row.end_date = row.end_date.or(Some(*end));
        }
        let closed = located.status == Some(RowStatus::ToBeDeleted);
        let at = by_pair
            .entry((&located.row.user_sourced_id, &located.row.school_sourced_id))
            .or_insert(AtSchool {
                first: located,
                begin: row.begin_date,
                end: row.end_date,
                open: false,
                closed: true,
            });
        at.begin = match (at.begin, row.begin_date) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        at.end = at.end.max(row.end_date);
        at.open |= row.end_date.is_none() && !closed;
        at.closed &= closed;
    }
    for ((student, school), at) in by_pair {
        let entry = at.begin.unwrap_or(year_start).min(today);
        let exit = if at.closed {
            Some(today)
        } else if at.open {
            None
        } else {
            at.end
        };
        let record = SyncEnrollmentRecord {
            sourced_id: format!("{student}@{school}"),
            student_sourced_id: student.into(),
            school_sourced_id: school.into(),
            enrollment: EnrollmentFields {
                entry_date: Date(entry),
                exit_date: exit.map(Date),
                exit_reason: None,
                grade_level: grades.get(student).map_or("Other", |g| g).into(),
                is_primary: true,
            },
        };
        batches.enrollments.add(record, at.first.into());
    }
}

/// Each class's dates: from the earliest start to the latest end of its terms (the academic
/// sessions it names).
fn class_terms(set: &OneRosterSet) -> HashMap<&str, (NaiveDate, NaiveDate)> {
    let sessions: HashMap<&str, &AcademicSession> = set
        .academic_sessions
        .iter()
        .map(|s| (s.row.sourced_id.as_str(), &s.row))
        .collect();
    set.classes
        .iter()
        .filter_map(|class| {
            let terms = class.row.term_sourced_ids.iter();
            let dated: Vec<&&AcademicSession> =
                terms.filter_map(|t| sessions.get(t.as_str())).collect();
            let start = dated.iter().map(|s| s.start_date).min()?;
            let end = dated.iter().map(|s| s.end_date).max()?;
            Some((class.row.sourced_id.as_str(), (start, end)))
        })
        .collect()
}

/// The start of the school year session holding `today`, or of the earliest session, or today.
fn school_year_start(sessions: &[Located<AcademicSession>], today: NaiveDate) -> NaiveDate {
    let current = sessions.iter().find(|s| {
        s.row.session_type == SessionType::SchoolYear
            && s.row.start_date <= today
            && today <= s.row.end_date
    });
    current
        .or_else(|| sessions.iter().min_by_key(|s| s.row.start_date))
        .map_or(today, |s| s.row.start_date)
}
