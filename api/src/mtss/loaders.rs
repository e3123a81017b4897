//! The MTSS DataLoaders, built per request with the policy's row condition in every query.

use std::{
    collections::{HashMap, HashSet},
    sync::{Mutex, PoisonError},
};

use async_graphql::dataloader::Loader;
use chrono::NaiveDate;
use entity::{
    attendance_day, descriptor, homeless_status, iep_meeting, iep_participation, intervention,
    intervention_session, progress_point, student_intervention as plan, tier_placement,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, Order, QueryFilter,
    QuerySelect, QueryTrait, sea_query::Expr,
};
use uuid::Uuid;

use crate::{
    auth::{
        Actor,
        policy::{self, Educational},
    },
    db::loader::{ById, Cached, Children, by_id, cached, children},
    errors::{AppError, AppResult},
    graphql::context::loaders_accessor,
};

pub struct Loaders {
    pub intervention: Cached<ById<intervention::Entity>>,
    pub plan: Cached<ById<plan::Entity>>,
    /// A student's intervention plans, newest first.
    pub plans_of_student: Cached<Children<plan::Entity>>,
    /// A progress point of a plan the caller holds: `node` checks the plan.
    pub point: Cached<ById<progress_point::Entity>>,
    /// A plan's progress points, oldest first; also the first or last few of them
    /// (`(plan, End)` keys).
    pub points_of_plan: Cached<Children<progress_point::Entity>>,
    /// Plans whose every point `points_of_plan` already holds (a page loaded them for `trend`
    /// or `decision`): their pages of points are cut from those, not read again.
    plans_with_all_points: Mutex<HashSet<Uuid>>,
    /// A session of a plan the caller holds: `node` checks the plan.
    pub session: Cached<ById<intervention_session::Entity>>,
    /// A plan's sessions, oldest first.
    pub sessions_of_plan: Cached<Children<intervention_session::Entity>>,
    pub tier_placement: Cached<ById<tier_placement::Entity>>,
    /// A student's current placements (one per domain).
    pub current_tiers_of_student: Cached<Children<tier_placement::Entity>>,
    /// Every placement of a student, newest first.
    pub tier_history_of_student: Cached<Children<tier_placement::Entity>>,
    pub iep: Cached<ById<iep_participation::Entity>>,
    pub ieps_of_student: Cached<Children<iep_participation::Entity>>,
    /// A student's IEP/504 records as far as the actor may know they exist (school staff too).
    pub iep_existence_of_student: Cached<Children<iep_participation::Entity>>,
    /// A meeting of an IEP the caller holds: `node` checks the IEP.
    pub meeting: Cached<ById<iep_meeting::Entity>>,
    pub meetings_of_iep: Cached<Children<iep_meeting::Entity>>,
    pub descriptor: Cached<ById<descriptor::Entity>>,
    pub homeless: Cached<ById<homeless_status::Entity>>,
    pub homeless_of_student: Cached<Children<homeless_status::Entity>>,
    pub attendance: Cached<AttendanceLoader>,
}

loaders_accessor!(MtssContext, mtss, Loaders);

impl Loaders {
    /// Notes that `points_of_plan` holds every point of `plans`.
    pub fn all_points_loaded(&self, plans: impl IntoIterator<Item = Uuid>) {
        self.plans_with_all_points
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(plans);
    }

    /// Whether `points_of_plan` holds every point of `plan` already.
    pub fn has_all_points(&self, plan: Uuid) -> bool {
        self.plans_with_all_points
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(&plan)
    }

    /// Loaders by id apply every rule (a client may have sent the id); loaders of a held
    /// student's (or plan's, or IEP's) records apply the `*_of_held` rules (see `policy`).
    pub fn new(db: &DatabaseConnection, actor: &Actor) -> Self {
        use Educational::{Homeless, Interventions, SpecialEducation, Tiers};
        use Order::{Asc, Desc};
        use policy::educational_rows_of_held as held;
        Self {
            intervention: by_id(db, policy::catalogue_rows(actor)),
            plan: by_id(
                db,
                policy::educational_rows(actor, Interventions, plan::Column::StudentId),
            ),
            plans_of_student: children(
                db,
                held(actor, Interventions, plan::Column::DistrictId),
                plan::Column::StudentId,
                (plan::Column::StartDate, Desc),
            ),
            point: by_id(
                db,
                held(actor, Interventions, progress_point::Column::DistrictId),
            ),
            session: by_id(
                db,
                held(
                    actor,
                    Interventions,
                    intervention_session::Column::DistrictId,
                ),
            ),
            points_of_plan: children(
                db,
                held(actor, Interventions, progress_point::Column::DistrictId),
                progress_point::Column::PlanId,
                (progress_point::Column::Date, Asc),
            ),
            plans_with_all_points: Mutex::default(),
            sessions_of_plan: children(
                db,
                held(
                    actor,
                    Interventions,
                    intervention_session::Column::DistrictId,
                ),
                intervention_session::Column::PlanId,
                (intervention_session::Column::Date, Asc),
            ),
            tier_placement: by_id(
                db,
                policy::educational_rows(actor, Tiers, tier_placement::Column::StudentId),
            ),
            current_tiers_of_student: children(
                db,
                held(actor, Tiers, tier_placement::Column::DistrictId)
                    .map(|rows| rows.add(tier_placement::Column::EffectiveTo.is_null())),
                tier_placement::Column::StudentId,
                (tier_placement::Column::Domain, Asc),
            ),
            tier_history_of_student: children(
                db,
                held(actor, Tiers, tier_placement::Column::DistrictId),
                tier_placement::Column::StudentId,
                (tier_placement::Column::EffectiveFrom, Desc),
            ),
            iep: by_id(
                db,
                policy::educational_rows(
                    actor,
                    SpecialEducation,
                    iep_participation::Column::StudentId,
                ),
            ),
            ieps_of_student: children(
                db,
                held(
                    actor,
                    SpecialEducation,
                    iep_participation::Column::DistrictId,
                ),
                iep_participation::Column::StudentId,
                (iep_participation::Column::IepBeginDate, Desc),
            ),
            iep_existence_of_student: children(
                db,
                policy::special_education_exists_rows_of_held(
                    actor,
                    iep_participation::Column::DistrictId,
                ),
                iep_participation::Column::StudentId,
                (iep_participation::Column::Id, Asc),
            ),
            meeting: by_id(
                db,
                held(actor, SpecialEducation, iep_meeting::Column::DistrictId),
            ),
            descriptor: by_id(db, Ok(policy::descriptor_rows(actor))),
            meetings_of_iep: children(
                db,
                held(actor, SpecialEducation, iep_meeting::Column::DistrictId),
                iep_meeting::Column::ParticipationId,
                (iep_meeting::Column::Date, Desc),
            ),
            homeless: by_id(
                db,
                policy::educational_rows(actor, Homeless, homeless_status::Column::StudentId),
            ),
            homeless_of_student: children(
                db,
                held(actor, Homeless, homeless_status::Column::DistrictId),
                homeless_status::Column::StudentId,
                (homeless_status::Column::IdentifiedDate, Desc),
            ),
            attendance: cached(AttendanceLoader {
                db: db.clone(),
                scope: held(
                    actor,
                    Educational::Attendance,
                    attendance_day::Column::DistrictId,
                ),
            }),
        }
    }
}

/// Attendance counts of one student over a date range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AttendanceCounts {
    /// Days with an attendance record (days enrolled and in session).
    pub days: i64,
    /// Excused and unexcused absences.
    pub absent: i64,
    pub unexcused: i64,
    pub tardy: i64,
}

/// The counts of a group of attendance days, by name, in the order of [`AttendanceCounts`]:
/// days recorded, absences (excused or not: those that count toward chronic absence),
/// unexcused absences, tardies. Every reader of days (this loader, the rollup, BI's extract and
/// export) counts them in these words.
pub const DAY_COUNTS: [(&str, &str); 4] = [
    ("days", "COUNT(*)"),
    (
        "absent",
        "SUM(CASE WHEN status IN ('EXCUSED', 'UNEXCUSED') THEN 1 ELSE 0 END)",
    ),
    (
        "unexcused",
        "SUM(CASE WHEN status = 'UNEXCUSED' THEN 1 ELSE 0 END)",
    ),
    ("tardy", "SUM(CASE WHEN status = 'TARDY' THEN 1 ELSE 0 END)"),
];

/// Counts per (student, from, to), one grouped query per date range asked in the request.
pub struct AttendanceLoader {
    db: DatabaseConnection,
    scope: AppResult<Condition>,
}

impl Loader<(Uuid, NaiveDate, NaiveDate)> for AttendanceLoader {
    type Value = AttendanceCounts;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[(Uuid, NaiveDate, NaiveDate)],
    ) -> Result<HashMap<(Uuid, NaiveDate, NaiveDate), AttendanceCounts>, AppError> {
        let mut ranges: HashMap<(NaiveDate, NaiveDate), Vec<Uuid>> = HashMap::new();
        for (student, from, to) in keys {
            ranges.entry((*from, *to)).or_default().push(*student);
        }
        let mut counts = HashMap::new();
        for ((from, to), students) in ranges {
            let mut query = attendance_day::Entity::find()
                .select_only()
                .column(attendance_day::Column::StudentId);
            for (name, count) in DAY_COUNTS {
                query = query.expr_as(Expr::cust(count), name);
            }
            let query = query
                .filter(self.scope.clone()?)
                .filter(attendance_day::Column::StudentId.is_in(students.iter().copied()))
                .filter(attendance_day::Column::Date.between(from, to))
                .group_by(attendance_day::Column::StudentId);
            let statement = self.db.get_database_backend().build(&query.into_query());
            for row in self.db.query_all_raw(statement).await? {
                let student: Uuid = row.try_get("", "student_id")?;
                counts.insert(
                    (student, from, to),
                    AttendanceCounts {
                        days: row.try_get("", "days")?,
                        absent: row.try_get("", "absent")?,
                        unexcused: row.try_get("", "unexcused")?,
                        tardy: row.try_get("", "tardy")?,
                    },
                );
            }
            for student in students {
                counts.entry((student, from, to)).or_default();
            }
        }
        Ok(counts)
    }
}
