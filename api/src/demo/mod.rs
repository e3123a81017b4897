//! `seed --demo`: a realistic, made-up district. Several schools (the poorest targeted for a
//! social worker), social workers covering clusters of schools, other pupil-services staff,
//! teachers and principals, students with enrollments and guardians (a few restricted).
//!
//! Deterministic (fixed random seed) and bulk-inserted in one transaction, so 100,000 students
//! load in well under a minute. Never called by migrations. Each part of the district is made
//! by its own module (`schools`, `staff`, `students`, `mtss`, `casework`, `groups`, `agencies`) in a fixed
//! order: the rows come from one random generator, so reordering the draws changes every row
//! after them.

mod agencies;
mod agency_names;
mod casework;
mod groups;
mod mtss;
mod names;
mod schools;
mod staff;
mod students;

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rand::{SeedableRng, rngs::StdRng};
use sea_orm::{ActiveModelTrait, DatabaseConnection, IntoActiveModel, TransactionTrait};
use uuid::Uuid;

use crate::{db::insert_batches, errors::AppResult, roster::district};

pub const DEFAULT_STUDENTS: usize = 600;

/// What the seed made, for the operator.
pub struct DemoSummary {
    pub district_id: Uuid,
    pub schools: usize,
    pub staff: usize,
    pub students: usize,
    pub guardians: usize,
    pub restricted_links: usize,
    pub social_worker: (Uuid, Vec<Uuid>),
    pub mtss: mtss::MtssSummary,
    /// Referrals to social work (with their cases, contacts and the rest of casework).
    pub referrals: usize,
    /// Counseling groups, one a school, with a month of sessions.
    pub groups: usize,
    /// Community agencies in the directory, and referrals of students to them.
    pub agencies: (usize, usize),
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (worker, schools) = &self.social_worker;
        let schools: Vec<String> = schools.iter().map(Uuid::to_string).collect();
        writeln!(f, "district {}", self.district_id)?;
        writeln!(f, "{}", self.mtss)?;
        writeln!(
            f,
            "{} referrals to social work, with their cases and contacts; {} counseling groups",
            self.referrals, self.groups
        )?;
        writeln!(
            f,
            "{} community agencies; {} referrals to them, in every status, with consents and records of disclosure",
            self.agencies.0, self.agencies.1
        )?;
        writeln!(
            f,
            "{} schools, {} staff, {} students, {} guardians ({} restricted links)",
            self.schools, self.staff, self.students, self.guardians, self.restricted_links
        )?;
        write!(
            f,
            "a social worker to mint a token for: --role SOCIAL_WORKER --staff {worker} --schools {}",
            schools.join(",")
        )
    }
}

/// The random generator and what every roster row shares.
struct Seeder {
    rng: StdRng,
    district_id: Uuid,
    now: DateTime<Utc>,
    school_year_start: NaiveDate,
}

/// Seeds one demo district with `students` students.
pub async fn seed(db: &DatabaseConnection, students: usize) -> AppResult<DemoSummary> {
    let now = Utc::now();
    let year = if now.month() >= 8 {
        now.year()
    } else {
        now.year() - 1
    };
    let district = district::create(
        db,
        "Riverbend Unified School District",
        "IL",
        "America/Chicago",
    )
    .await?;
    let mut seeder = Seeder {
        rng: StdRng::seed_from_u64(2026),
        district_id: district.id,
        now,
        school_year_start: NaiveDate::from_ymd_opt(year, 8, 19).unwrap_or_default(),
    };
    let txn = db.begin().await?;
    let schools = seeder.schools(students);
    insert_all(&txn, schools.iter().map(|(s, _)| s.clone())).await?;
    let staffing = seeder.hire_staff(&schools);
    let staff_count = staffing.staff.len();
    insert_all(&txn, staffing.staff).await?;
    insert_all(&txn, staffing.assignments).await?;
    let roll = seeder.students(&schools, students);
    let guardian_count = roll.guardians.len();
    insert_all(&txn, roll.students).await?;
    insert_all(&txn, roll.enrollments).await?;
    insert_all(&txn, roll.guardians).await?;
    insert_all(&txn, roll.links.iter().cloned()).await?;
    let mtss = mtss::seed(
        &txn,
        &mtss::Roster {
            district_id: district.id,
            now,
            year_start: seeder.school_year_start,
            enrolled: &roll.enrolled,
            worker_of_school: &staffing.worker_of_school,
        },
    )
    .await?;
    let referrals = casework::seed(
        &txn,
        &casework::Roster {
            district_id: district.id,
            now,
            enrolled: &roll.enrolled,
            worker_of_school: &staffing.worker_of_school,
            social_work_ieps: &mtss.social_work_ieps,
        },
    )
    .await?;
    let groups = groups::seed(
        &txn,
        (district.id, now),
        &roll.enrolled,
        &staffing.worker_of_school,
    )
    .await?;
    let school_of_student: std::collections::HashMap<Uuid, Uuid> =
        roll.enrolled.iter().copied().collect();
    let agencies = agencies::seed(
        &txn,
        &agencies::Roster {
            district_id: district.id,
            now,
            links: &roll.links,
            worker_of_school: &staffing.worker_of_school,
            school_of_student: &school_of_student,
        },
    )
    .await?;
    crate::mtss::attendance_rollup::rebuild(&txn).await?;
    txn.commit().await?;
    // A bulk load leaves the planner without statistics (autovacuum may be off).
    crate::db::analyze(db).await?;

    Ok(DemoSummary {
        district_id: district.id,
        schools: schools.len(),
        staff: staff_count,
        students,
        guardians: guardian_count,
        restricted_links: roll.restricted_links,
        social_worker: staffing.first_worker.unwrap_or_default(),
        mtss,
        referrals,
        groups,
        agencies,
    })
}

/// Inserts models in batches.
pub(crate) async fn insert_all<M, A>(
    txn: &sea_orm::DatabaseTransaction,
    rows: impl IntoIterator<Item = M>,
) -> AppResult<()>
where
    M: IntoActiveModel<A>,
    A: ActiveModelTrait + Send,
{
    insert_batches(
        txn,
        rows.into_iter()
            .map(IntoActiveModel::into_active_model)
            .collect(),
    )
    .await
}
