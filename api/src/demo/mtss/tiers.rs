//! Tier placements: most students in tier 1, some in 2, a few in 3; a few moved up after the
//! first month, so that they have a history.

use chrono::{Duration, NaiveDate};
use entity::{tier_placement, values::MtssDomain};
use rand::Rng;
use uuid::Uuid;

use super::Seeder;

impl Seeder<'_> {
    /// Places the student in `domain`; returns the current tier.
    pub(super) fn place(&mut self, student: Uuid, domain: MtssDomain) -> i32 {
        let roll: f64 = self.rng.random();
        let tier = if roll < 0.80 {
            1
        } else if roll < 0.95 {
            2
        } else {
            3
        };
        let start = self.roster.year_start;
        let moved_up = tier > 1 && self.rng.random_bool(0.3);
        if moved_up {
            let change = start + Duration::days(35);
            let before = Some(change - Duration::days(1));
            let earlier = self.placement(student, domain, tier - 1, start, before);
            self.rows.placements.push(earlier);
            let current = self.placement(student, domain, tier, change, None);
            self.rows.placements.push(current);
        } else {
            let current = self.placement(student, domain, tier, start, None);
            self.rows.placements.push(current);
        }
        tier
    }

    fn placement(
        &self,
        student: Uuid,
        domain: MtssDomain,
        tier: i32,
        from: NaiveDate,
        to: Option<NaiveDate>,
    ) -> tier_placement::Model {
        tier_placement::Model {
            id: Uuid::now_v7(),
            district_id: self.roster.district_id,
            student_id: student,
            domain,
            tier,
            effective_from: from,
            effective_to: to,
            decided_by: "School MTSS team".into(),
            decided_on: from,
            rationale: (tier > 1)
                .then(|| "Screening and progress data below benchmark".to_string()),
            created_at: self.roster.now,
            updated_at: self.roster.now,
            version: 1,
        }
    }
}
