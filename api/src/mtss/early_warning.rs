//! The early-warning list: a school's students enrolled today with two or more warning signs.
//!
//! Three signs are single statements (chronic absence from the attendance rollup, tier 3, an
//! overdue IEP review), each under its own grant of the policy, run at once. The fourth, a plan whose decision rule says INTENSIFY,
//! needs each plan's progress points, so it is judged only for students who already show
//! another sign: alone it can never make two. Students are loaded for the page only.

use std::collections::{HashMap, HashSet};

use async_graphql::{Context, Enum, SimpleObject};
use entity::{
    attendance_rollup as rollup, iep_participation as iep, tier_placement,
    values::{IepStatus as DbIepStatus, PlanStatus as DbStatus},
};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::{
    InterventionPlan, MtssContext, attendance_rollup::chronic_in_year, of_school::OfSchool,
    plans::Decision, special_education::review_overdue,
};
use crate::{
    auth::policy::Educational,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        pagination::{Connection, PageArgs, connection_type, paginate_loaded},
    },
    roster::{RosterContext, Student},
};

/// Why a student is on the early-warning list.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EarlyWarningReason {
    /// Missed 10% or more of the school year's days so far.
    ChronicallyAbsent,
    /// In tier 3 in at least one domain.
    Tier3,
    /// An active plan whose decision rule says INTENSIFY.
    PlanNeedsIntensifying,
    /// An IEP or 504 plan in effect whose review date has passed.
    IepReviewOverdue,
}

/// A student flagged by two or more warning signs.
#[derive(SimpleObject, Clone)]
pub struct EarlyWarning {
    /// The student.
    pub student: Student,
    /// The warning signs, at least two.
    pub reasons: Vec<EarlyWarningReason>,
}

connection_type!(
    EarlyWarningConnection,
    EarlyWarningEdge,
    EarlyWarning,
    "A page of the early-warning list.",
    "A flagged student in a page."
);

/// The early-warning list of `school`, one page of it.
pub(super) async fn list(
    ctx: &Context<'_>,
    school: Uuid,
    args: &PageArgs,
) -> AppResult<EarlyWarningConnection> {
    let of_school = OfSchool::load(ctx, school, ctx.actor()?.today).await?;
    let today = ctx.actor()?.today;
    let (chronic, tier3, overdue) = futures::try_join!(
        students_with::<rollup::Entity>(
            ctx,
            &of_school,
            Educational::Attendance,
            (rollup::Column::StudentId, rollup::Column::DistrictId),
            chronic_in_year(today),
        ),
        students_with::<tier_placement::Entity>(
            ctx,
            &of_school,
            Educational::Tiers,
            (
                tier_placement::Column::StudentId,
                tier_placement::Column::DistrictId,
            ),
            Condition::all()
                .add(tier_placement::Column::EffectiveTo.is_null())
                .add(tier_placement::Column::Tier.eq(3)),
        ),
        iep_review_overdue_students(ctx, &of_school),
    )?;
    let mut reasons: HashMap<Uuid, Vec<EarlyWarningReason>> = HashMap::new();
    for (students, reason) in [
        (chronic, EarlyWarningReason::ChronicallyAbsent),
        (tier3, EarlyWarningReason::Tier3),
        (overdue, EarlyWarningReason::IepReviewOverdue),
    ] {
        for id in students {
            reasons.entry(id).or_default().push(reason);
        }
    }
    let candidates: Vec<Uuid> = reasons.keys().copied().collect();
    for id in plans_needing_intensifying(ctx, candidates).await? {
        reasons
            .entry(id)
            .or_default()
            .push(EarlyWarningReason::PlanNeedsIntensifying);
    }

    let mut flagged: Vec<(Uuid, Vec<EarlyWarningReason>)> = reasons
        .into_iter()
        .filter(|(_, r)| r.len() >= 2)
        .map(|(id, mut r)| {
            r.sort();
            (id, r)
        })
        .collect();
    flagged.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    let page = paginate_loaded(flagged, |(id, _)| *id, args)?;
    let students = ctx
        .roster()
        .student
        .load_many(page.edges.iter().map(|(_, (id, _))| *id))
        .await?;
    // A student deleted since the signs were read drops out of the page.
    let edges = page
        .edges
        .into_iter()
        .filter_map(|(cursor, (id, reasons))| {
            let student = Student(students.get(&id)?.clone());
            Some((cursor, EarlyWarning { student, reasons }))
        })
        .collect();
    Ok(EarlyWarningConnection(Connection {
        edges,
        page_info: page.page_info,
        total: page.total,
    }))
}

/// The students (of the school) with a row of `E` that the actor's grant for `data` lets it
/// read and that meets `condition`: one sign, one statement.
async fn students_with<E: EntityTrait>(
    ctx: &Context<'_>,
    of_school: &OfSchool,
    data: Educational,
    (student_id, district_id): (E::Column, E::Column),
    condition: Condition,
) -> AppResult<HashSet<Uuid>> {
    let ids: Vec<Uuid> = E::find()
        .select_only()
        .column(student_id)
        .filter(of_school.rows(ctx.actor()?, data, student_id, district_id)?)
        .filter(condition)
        .into_tuple()
        .all(ctx.db())
        .await?;
    Ok(ids.into_iter().collect())
}

/// Students with an IEP or 504 plan in effect whose review date has passed (IEP review dates
/// need the special-education grant).
async fn iep_review_overdue_students(
    ctx: &Context<'_>,
    of_school: &OfSchool,
) -> AppResult<HashSet<Uuid>> {
    let actor = ctx.actor()?;
    let rows = iep::Entity::find()
        .filter(of_school.rows(
            actor,
            Educational::SpecialEducation,
            iep::Column::StudentId,
            iep::Column::DistrictId,
        )?)
        .filter(iep::Column::Status.eq(DbIepStatus::Active))
        .filter(iep::Column::IepReviewDueDate.lt(actor.today))
        .all(ctx.db())
        .await?;
    Ok(rows
        .into_iter()
        .filter(|row| review_overdue(row, actor.today))
        .map(|row| row.student_id)
        .collect())
}

/// Those of `students` with an active plan whose decision rule says INTENSIFY.
async fn plans_needing_intensifying(
    ctx: &Context<'_>,
    students: Vec<Uuid>,
) -> AppResult<HashSet<Uuid>> {
    let plans = ctx.mtss().plans_of_student.load_many(students).await?;
    let active: Vec<InterventionPlan> = plans
        .into_values()
        .flatten()
        .filter(|p| p.status == DbStatus::Active)
        .map(InterventionPlan)
        .collect();
    ctx.mtss()
        .points_of_plan
        .load_many(active.iter().map(|p| p.0.id))
        .await?;
    let mut intensify = HashSet::new();
    for plan in &active {
        if plan.decision(ctx).await? == Decision::Intensify {
            intensify.insert(plan.0.student_id);
        }
    }
    Ok(intensify)
}
