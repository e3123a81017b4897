//! Intervention plans for students in tier 2 or 3, with weekly progress points that run on
//! track, off track, or are too new to judge, and the sessions delivered so far.

use std::collections::HashMap;

use chrono::{Datelike, Duration, IsoWeek};
use entity::{
    intervention, intervention_session, progress_point, student_intervention,
    values::{MtssDomain, PlanStatus},
};
use rand::{Rng, seq::IndexedRandom};
use sea_orm::ActiveEnum;
use uuid::Uuid;

use super::{Seeder, school_days};

/// How a plan's progress points run.
#[derive(Clone, Copy)]
enum Course {
    OnTrack,
    OffTrack,
    TooNew,
}

impl Seeder<'_> {
    /// A plan in `domain` from the catalogue's interventions for it, if one is left that the
    /// student has no plan for yet (`planned`).
    pub(super) fn plan(
        &mut self,
        student: Uuid,
        worker: Option<Uuid>,
        domain: MtssDomain,
        tier: i32,
        planned: &mut Vec<Uuid>,
    ) {
        let fitting: Vec<&intervention::Model> = self
            .catalogue
            .iter()
            .filter(|i| {
                i.domains.contains(domain.to_value().as_str())
                    && i.tier >= 2
                    && !planned.contains(&i.id)
            })
            .collect();
        let Some(chosen) = fitting.choose(&mut self.rng) else {
            return;
        };
        planned.push(chosen.id);
        let course = *[
            Course::OnTrack,
            Course::OnTrack,
            Course::OffTrack,
            Course::TooNew,
        ]
        .choose(&mut self.rng)
        .unwrap_or(&Course::OnTrack);
        let start = match course {
            Course::TooNew => self.today - Duration::days(10),
            _ => self.roster.year_start + Duration::days(self.rng.random_range(14..28)),
        };
        let end = start + Duration::weeks(16);
        let baseline = f64::from(self.rng.random_range(10..30));
        let target = baseline + 20.0;
        let plan = student_intervention::Model {
            id: Uuid::now_v7(),
            district_id: self.roster.district_id,
            student_id: student,
            intervention_id: chosen.id,
            staff_id: worker,
            tier,
            start_date: start,
            planned_end_date: end,
            actual_end_date: None,
            goal: format!("Reach {target} on the {} measure by {end}", chosen.name),
            measure: match domain {
                MtssDomain::Academic => "words correct per minute",
                MtssDomain::Attendance => "days attended per 20",
                _ => "daily behavior points (%)",
            }
            .into(),
            baseline,
            target,
            sessions_per_week: chosen.default_sessions_per_week,
            minutes_per_session: chosen.default_minutes_per_session,
            status: PlanStatus::Active,
            outcome: None,
            created_at: self.roster.now,
            updated_at: self.roster.now,
            version: 1,
        };
        self.progress(&plan, course);
        self.sessions(&plan);
        self.rows.plans.push(plan);
    }

    /// A point a week from the start until today, around the aim line (below it off track).
    fn progress(&mut self, plan: &student_intervention::Model, course: Course) {
        let (start, end) = (plan.start_date, plan.planned_end_date);
        let slope = (plan.target - plan.baseline) / (end - start).num_days() as f64;
        let mut date = start + Duration::weeks(1);
        while date < self.today && date <= end {
            let expected = plan.baseline + slope * (date - start).num_days() as f64;
            let value = match course {
                Course::OffTrack => expected - self.rng.random_range(2.0..6.0),
                _ => expected + self.rng.random_range(-1.0..3.0),
            };
            self.rows.points.push(progress_point::Model {
                id: Uuid::now_v7(),
                district_id: self.roster.district_id,
                plan_id: plan.id,
                date,
                value: (value * 10.0).round() / 10.0,
                note: None,
                created_at: self.roster.now,
                updated_at: self.roster.now,
                version: 1,
            });
            date += Duration::weeks(1);
        }
    }

    /// A session on the first `sessions_per_week` school days of each week, most attended.
    fn sessions(&mut self, plan: &student_intervention::Model) {
        let mut per_week: HashMap<IsoWeek, i32> = HashMap::new();
        for day in school_days(plan.start_date, self.today - Duration::days(1)) {
            let count = per_week.entry(day.iso_week()).or_default();
            *count += 1;
            if *count > plan.sessions_per_week {
                continue;
            }
            let attended = self.rng.random_bool(0.85);
            self.rows.sessions.push(intervention_session::Model {
                id: Uuid::now_v7(),
                district_id: self.roster.district_id,
                plan_id: plan.id,
                date: day,
                attended,
                minutes: if attended {
                    plan.minutes_per_session
                } else {
                    0
                },
                created_at: self.roster.now,
                updated_at: self.roster.now,
                version: 1,
            });
        }
    }
}
