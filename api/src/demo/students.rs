//! Students, each enrolled in one school (some moved from another school this year), with one
//! or two guardians; a few second guardians may not be contacted.

use chrono::{Datelike, Duration, NaiveDate};
use entity::{
    enrollment, guardian, school, student, student_guardian,
    values::{ContactRestriction, StudentStatus},
};
use rand::Rng;
use uuid::Uuid;

use super::{
    Seeder,
    names::{FIRST_NAMES, LANGUAGES, pick},
    schools::Level,
};

/// The students and everything hanging off them.
pub(super) struct Roll {
    pub(super) students: Vec<student::Model>,
    pub(super) enrollments: Vec<enrollment::Model>,
    pub(super) guardians: Vec<guardian::Model>,
    pub(super) links: Vec<student_guardian::Model>,
    pub(super) restricted_links: usize,
    /// (student, school) of each student, for the MTSS seed.
    pub(super) enrolled: Vec<(Uuid, Uuid)>,
}

impl Seeder {
    /// `count` students spread over `schools` in turn.
    pub(super) fn students(&mut self, schools: &[(school::Model, Level)], count: usize) -> Roll {
        let mut roll = Roll {
            students: Vec::with_capacity(count),
            enrollments: Vec::with_capacity(count + count / 10),
            guardians: Vec::with_capacity(count * 2),
            links: Vec::with_capacity(count * 2),
            restricted_links: 0,
            enrolled: Vec::with_capacity(count),
        };
        for i in 0..count {
            let (school, level) = &schools[i % schools.len()];
            let student = self.student(i, school, *level);
            let previous = &schools[(i + 1) % schools.len()].0;
            self.enroll(&mut roll, &student, school.id, previous.id);
            self.guardians(&mut roll, &student);
            roll.enrolled.push((student.id, school.id));
            roll.students.push(student);
        }
        roll
    }

    fn student(&mut self, i: usize, school: &school::Model, level: Level) -> student::Model {
        let grade = pick(&mut self.rng, level.grades(), "KG");
        let grade_number = if grade == "KG" {
            0
        } else {
            grade.parse::<i32>().unwrap_or(0)
        };
        let birth_year =
            self.school_year_start.year() - 5 - grade_number - i32::from(self.rng.random_bool(0.3));
        let (first, last) = self.name();
        let english_learner = self.rng.random_bool(0.15);
        let need = school.economically_disadvantaged_pct.unwrap_or(50.0) / 100.0;
        student::Model {
            id: Uuid::now_v7(),
            district_id: self.district_id,
            source_system: Some("demo-sis".into()),
            sourced_id: Some(format!("STU{i:06}")),
            local_id: Some(format!("{:06}", 100_000 + i)),
            state_id: Some(format!("IL{:09}", 500_000_000 + i)),
            legal_first_name: first,
            legal_last_name: last,
            preferred_name: self
                .rng
                .random_bool(0.05)
                .then(|| pick(&mut self.rng, &FIRST_NAMES, "Sam")),
            birth_date: NaiveDate::from_ymd_opt(
                birth_year,
                self.rng.random_range(1..=12),
                self.rng.random_range(1..=28),
            ),
            grade_level: grade,
            language: english_learner.then(|| pick(&mut self.rng, &LANGUAGES, "spa")),
            english_learner,
            economically_disadvantaged: self.rng.random_bool(need.clamp(0.0, 1.0)),
            status: StudentStatus::Active,
            created_at: self.now,
            updated_at: self.now,
            deleted_at: None,
            version: 1,
        }
    }

    /// Enrolls the student in `school_id`; 8% moved there from `previous_id` in the first
    /// weeks of the year.
    fn enroll(
        &mut self,
        roll: &mut Roll,
        student: &student::Model,
        school_id: Uuid,
        previous_id: Uuid,
    ) {
        let moved = self.rng.random_bool(0.08);
        let start = self.school_year_start;
        let entry = if moved {
            start + Duration::days(self.rng.random_range(20..60))
        } else {
            start
        };
        if moved {
            let exit = Some(entry - Duration::days(1));
            roll.enrollments.push(self.enrollment(
                roll.enrollments.len(),
                student,
                previous_id,
                start,
                exit,
            ));
        }
        roll.enrollments.push(self.enrollment(
            roll.enrollments.len(),
            student,
            school_id,
            entry,
            None,
        ));
    }

    fn enrollment(
        &self,
        n: usize,
        student: &student::Model,
        school_id: Uuid,
        entry: NaiveDate,
        exit: Option<NaiveDate>,
    ) -> enrollment::Model {
        enrollment::Model {
            id: Uuid::now_v7(),
            district_id: self.district_id,
            source_system: Some("demo-sis".into()),
            sourced_id: Some(format!("ENR{n:07}")),
            student_id: student.id,
            school_id,
            entry_date: entry,
            exit_date: exit,
            exit_reason: exit.map(|_| "Transferred within the district".to_string()),
            grade_level: student.grade_level.clone(),
            is_primary: true,
            created_at: self.now,
            updated_at: self.now,
            deleted_at: None,
            version: 1,
        }
    }

    /// A mother, and for six students in ten a father, who is kept away (no contact, does not
    /// live with the student) for one in twenty.
    fn guardians(&mut self, roll: &mut Roll, student: &student::Model) {
        let count = if self.rng.random_bool(0.6) { 2 } else { 1 };
        for (k, relationship) in ["Mother", "Father"].iter().enumerate().take(count) {
            let guardian = self.guardian(roll.guardians.len(), student);
            let restriction =
                (k == 1 && self.rng.random_bool(0.05)).then_some(ContactRestriction::NoContact);
            roll.restricted_links += usize::from(restriction.is_some());
            roll.links.push(student_guardian::Model {
                id: Uuid::now_v7(),
                district_id: self.district_id,
                student_id: student.id,
                guardian_id: guardian.id,
                relationship: (*relationship).into(),
                lives_with: restriction.is_none(),
                contact_priority: k as i32 + 1,
                restriction,
                created_at: self.now,
                updated_at: self.now,
                deleted_at: None,
                version: 1,
            });
            roll.guardians.push(guardian);
        }
    }

    /// The `n`th guardian, sharing the student's last name and language.
    fn guardian(&mut self, n: usize, student: &student::Model) -> guardian::Model {
        let first = pick(&mut self.rng, &FIRST_NAMES, "Pat");
        let last = &student.legal_last_name;
        guardian::Model {
            id: Uuid::now_v7(),
            district_id: self.district_id,
            source_system: Some("demo-sis".into()),
            sourced_id: Some(format!("GRD{n:07}")),
            email: Some(format!(
                "{}.{}{n}@mail.example.com",
                first.to_lowercase(),
                last.to_lowercase()
            )),
            phone: Some(format!("(217) 555-{:04}", n % 10_000)),
            first_name: first,
            last_name: last.clone(),
            language: student.language.clone(),
            created_at: self.now,
            updated_at: self.now,
            deleted_at: None,
            version: 1,
        }
    }
}
