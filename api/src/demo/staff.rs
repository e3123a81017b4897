//! The hiring plan: a principal, a counselor and teachers per school; nurses and psychologists
//! shared by pairs and triples of schools; social workers in clusters of three schools, except
//! that a targeted school has its own; and two district-office administrators.

use std::collections::HashMap;

use entity::{school, staff, staff_school_assignment as assignment, values::StaffRole};
use uuid::Uuid;

use super::{Seeder, schools::Level};

/// The staff hired, their school assignments, and who does each school's social work.
#[derive(Default)]
pub(super) struct Staffing {
    pub(super) staff: Vec<staff::Model>,
    pub(super) assignments: Vec<assignment::Model>,
    pub(super) worker_of_school: HashMap<Uuid, Uuid>,
    /// The first social worker and the schools they cover, for the operator to mint a token.
    pub(super) first_worker: Option<(Uuid, Vec<Uuid>)>,
}

impl Staffing {
    /// Hires one member of staff, assigned to `school_ids`.
    fn hire(&mut self, seeder: &mut Seeder, role: StaffRole, school_ids: &[Uuid]) -> Uuid {
        let member = seeder.staff(role, self.staff.len() + 1);
        for school_id in school_ids {
            self.assignments
                .push(seeder.assignment(member.id, *school_id));
        }
        let id = member.id;
        self.staff.push(member);
        id
    }

    fn social_workers(&mut self, seeder: &mut Seeder, schools: &[(school::Model, Level)]) {
        let (targeted, clustered): (Vec<_>, Vec<_>) = schools
            .iter()
            .map(|(s, _)| (s.id, s.targeted))
            .partition(|(_, t)| *t);
        for group in targeted.chunks(1).chain(clustered.chunks(3)) {
            let school_ids: Vec<Uuid> = group.iter().map(|(id, _)| *id).collect();
            let id = self.hire(seeder, StaffRole::SocialWorker, &school_ids);
            self.worker_of_school
                .extend(school_ids.iter().map(|school| (*school, id)));
            self.first_worker.get_or_insert((id, school_ids));
        }
    }
}

impl Seeder {
    /// Staffs the schools.
    pub(super) fn hire_staff(&mut self, schools: &[(school::Model, Level)]) -> Staffing {
        let mut hired = Staffing::default();
        for (school, _) in schools {
            hired.hire(self, StaffRole::Administrator, &[school.id]);
            hired.hire(self, StaffRole::Counselor, &[school.id]);
            for _ in 0..4 {
                hired.hire(self, StaffRole::Teacher, &[school.id]);
            }
        }
        let ids: Vec<Uuid> = schools.iter().map(|(s, _)| s.id).collect();
        for pair in ids.chunks(2) {
            hired.hire(self, StaffRole::Nurse, pair);
        }
        for triple in ids.chunks(3) {
            hired.hire(self, StaffRole::Psychologist, triple);
        }
        hired.social_workers(self, schools);
        for _ in 0..2 {
            hired.hire(self, StaffRole::Administrator, &[]);
        }
        hired
    }

    /// The `n`th member of staff.
    fn staff(&mut self, role: StaffRole, n: usize) -> staff::Model {
        let (first, last) = self.name();
        staff::Model {
            id: Uuid::now_v7(),
            district_id: self.district_id,
            source_system: Some("demo-sis".into()),
            sourced_id: Some(format!("T{n:05}")),
            email: Some(format!(
                "{}.{}{n}@riverbend.example.org",
                first.to_lowercase(),
                last.to_lowercase()
            )),
            first_name: first,
            last_name: last,
            license: matches!(
                role,
                StaffRole::SocialWorker | StaffRole::Psychologist | StaffRole::Counselor
            )
            .then(|| "Pupil Personnel Services Credential".to_string()),
            role,
            created_at: self.now,
            updated_at: self.now,
            deleted_at: None,
            version: 1,
        }
    }

    fn assignment(&self, staff_id: Uuid, school_id: Uuid) -> assignment::Model {
        assignment::Model {
            id: Uuid::now_v7(),
            district_id: self.district_id,
            staff_id,
            school_id,
            start_date: self.school_year_start,
            end_date: None,
            created_at: self.now,
            updated_at: self.now,
            version: 1,
        }
    }
}
