//! IEP (12% of students) or 504 (4%) plans, with reviews spread so that some are overdue and
//! some due soon.

use chrono::Duration;
use entity::{
    iep_participation,
    values::{IepStatus, PlanType},
};
use rand::{Rng, seq::IndexedRandom};
use uuid::Uuid;

use super::Seeder;

const DISABILITIES: [&str; 5] = [
    "Specific learning disability",
    "Speech or language impairment",
    "Other health impairment",
    "Autism",
    "Emotional disturbance",
];

impl Seeder<'_> {
    pub(super) fn iep(&mut self, student: Uuid) {
        let roll: f64 = self.rng.random();
        if roll >= 0.16 {
            return;
        }
        let plan_type = if roll < 0.12 {
            PlanType::Iep
        } else {
            PlanType::Section504
        };
        let due = self.today + Duration::days(self.rng.random_range(-20..300));
        let last_review = due - Duration::days(365);
        let disability = DISABILITIES
            .choose(&mut self.rng)
            .copied()
            .unwrap_or("Other health impairment");
        self.rows.ieps.push(iep_participation::Model {
            id: Uuid::now_v7(),
            district_id: self.roster.district_id,
            student_id: student,
            plan_type,
            status: IepStatus::Active,
            primary_disability: (plan_type == PlanType::Iep)
                .then(|| format!("uri://ed-fi.org/DisabilityDescriptor#{disability}")),
            iep_begin_date: Some(last_review - Duration::days(365)),
            iep_end_date: Some(due),
            iep_last_review_date: Some(last_review),
            iep_review_due_date: Some(due),
            iep_evaluation_due_date: Some(last_review + Duration::days(3 * 365)),
            social_work_minutes_per_week: if self.rng.random_bool(0.4) { 30 } else { 0 },
            social_worker_roles: "SOCIAL_HISTORY,MEETING_ATTENDANCE".into(),
            created_at: self.roster.now,
            updated_at: self.roster.now,
            version: 1,
        });
    }
}
