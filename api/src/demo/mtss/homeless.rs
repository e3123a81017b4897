//! McKinney-Vento: 3% of students homeless, each with a nighttime residence and some services.

use chrono::Duration;
use entity::homeless_status;
use rand::{Rng, seq::IndexedRandom};
use uuid::Uuid;

use super::Seeder;

const RESIDENCES: [&str; 4] = ["Doubled-up", "Hotels/Motels", "Shelters", "Unsheltered"];
const SERVICES: [&str; 5] = [
    "Transportation",
    "School supplies",
    "Meals",
    "Records assistance",
    "Tutoring",
];

impl Seeder<'_> {
    pub(super) fn homeless(&mut self, student: Uuid) {
        if !self.rng.random_bool(0.03) {
            return;
        }
        let given: Vec<String> = SERVICES
            .iter()
            .filter(|_| self.rng.random_bool(0.5))
            .map(|s| format!("uri://ed-fi.org/HomelessProgramServiceDescriptor#{s}"))
            .collect();
        self.rows.homeless.push(homeless_status::Model {
            id: Uuid::now_v7(),
            district_id: self.roster.district_id,
            student_id: student,
            identified_date: self.roster.year_start + Duration::days(self.rng.random_range(0..60)),
            end_date: None,
            primary_nighttime_residence: format!(
                "uri://ed-fi.org/HomelessPrimaryNighttimeResidenceDescriptor#{}",
                RESIDENCES
                    .choose(&mut self.rng)
                    .copied()
                    .unwrap_or("Doubled-up")
            ),
            unaccompanied_youth: self.rng.random_bool(0.1),
            services: given.join("\n"),
            created_at: self.roster.now,
            updated_at: self.roster.now,
            version: 1,
        });
    }
}
