//! MTSS demo data: a catalogue of common interventions, tier placements in every domain,
//! intervention plans whose progress points show students on track, off track and without
//! enough data, sessions, IEP/504 plans with reviews due soon and overdue, homeless students
//! with services, and a term of attendance (school days so far) so that chronic absence and
//! the early-warning list show real-looking results.
//!
//! One random generator makes every row, student by student in the order below; the parts
//! (`tiers`, `plans`, `ieps`, `homeless`, `attendance`) each draw from it in turn.

mod attendance;
mod catalogue;
mod homeless;
mod ieps;
mod plans;
mod tiers;

use std::{collections::HashMap, fmt};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use entity::{
    attendance_day, homeless_status, iep_participation, intervention, intervention_session,
    progress_point, student_intervention, tier_placement, values::MtssDomain,
};
use rand::{SeedableRng, rngs::StdRng};
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use super::insert_all;
use crate::errors::AppResult;

/// The roster the MTSS data is built on.
pub struct Roster<'a> {
    pub district_id: Uuid,
    pub now: DateTime<Utc>,
    pub year_start: NaiveDate,
    /// (student, school) of each student.
    pub enrolled: &'a [(Uuid, Uuid)],
    pub worker_of_school: &'a HashMap<Uuid, Uuid>,
}

/// What the MTSS seed made.
#[derive(Default)]
pub struct MtssSummary {
    pub interventions: usize,
    pub placements: usize,
    pub plans: usize,
    pub progress_points: usize,
    pub ieps: usize,
    pub homeless: usize,
    pub attendance_days: usize,
    /// Each student's IEP that calls for social-work minutes, for the casework seed.
    pub social_work_ieps: HashMap<Uuid, Uuid>,
}

impl fmt::Display for MtssSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} interventions, {} tier placements, {} plans with {} progress points, {} IEP/504 plans, {} homeless students, {} attendance days",
            self.interventions,
            self.placements,
            self.plans,
            self.progress_points,
            self.ieps,
            self.homeless,
            self.attendance_days
        )
    }
}

/// The random generator, what every MTSS row shares, and the rows made so far.
struct Seeder<'a> {
    rng: StdRng,
    roster: &'a Roster<'a>,
    today: NaiveDate,
    /// The school days of the year so far.
    term: Vec<NaiveDate>,
    catalogue: Vec<intervention::Model>,
    rows: Rows,
}

#[derive(Default)]
struct Rows {
    placements: Vec<tier_placement::Model>,
    plans: Vec<student_intervention::Model>,
    points: Vec<progress_point::Model>,
    sessions: Vec<intervention_session::Model>,
    ieps: Vec<iep_participation::Model>,
    homeless: Vec<homeless_status::Model>,
    attendance: Vec<attendance_day::Model>,
}

fn school_days(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .collect()
}

pub async fn seed(txn: &DatabaseTransaction, roster: &Roster<'_>) -> AppResult<MtssSummary> {
    let today = roster.now.date_naive();
    let mut seeder = Seeder {
        rng: StdRng::seed_from_u64(4),
        roster,
        today,
        term: school_days(roster.year_start, today - Duration::days(1)),
        catalogue: catalogue::interventions(roster.district_id, roster.now),
        rows: Rows::default(),
    };
    for (n, (student, school)) in roster.enrolled.iter().enumerate() {
        seeder.student(n, *student, *school);
    }
    let Seeder {
        catalogue, rows, ..
    } = seeder;
    let summary = MtssSummary {
        interventions: catalogue.len(),
        placements: rows.placements.len(),
        plans: rows.plans.len(),
        progress_points: rows.points.len(),
        ieps: rows.ieps.len(),
        homeless: rows.homeless.len(),
        attendance_days: rows.attendance.len(),
        social_work_ieps: rows
            .ieps
            .iter()
            .filter(|iep| iep.social_work_minutes_per_week > 0)
            .map(|iep| (iep.student_id, iep.id))
            .collect(),
    };
    insert_all(txn, catalogue).await?;
    insert_all(txn, rows.placements).await?;
    insert_all(txn, rows.plans).await?;
    insert_all(txn, rows.points).await?;
    insert_all(txn, rows.sessions).await?;
    insert_all(txn, rows.ieps).await?;
    insert_all(txn, rows.homeless).await?;
    insert_all(txn, rows.attendance).await?;
    Ok(summary)
}

impl Seeder<'_> {
    /// Everything MTSS for one student, the `n`th of the roster.
    fn student(&mut self, n: usize, student: Uuid, school: Uuid) {
        let worker = self.roster.worker_of_school.get(&school).copied();
        // At most one open plan per intervention and student (as the database enforces).
        let mut planned: Vec<Uuid> = Vec::new();
        for domain in [
            MtssDomain::Academic,
            MtssDomain::Behavior,
            MtssDomain::SocialEmotional,
            MtssDomain::Attendance,
        ] {
            let tier = self.place(student, domain);
            if tier > 1 {
                self.plan(student, worker, domain, tier, &mut planned);
            }
        }
        self.iep(student);
        self.homeless(student);
        if n < attendance::STUDENTS {
            self.attendance(student, school);
        }
    }
}
