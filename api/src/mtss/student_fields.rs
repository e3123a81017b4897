//! The narrow door the roster's `Student` type uses into MTSS: its fields, the MTSS conditions
//! of the students filter, and the page-level prefetch of its MTSS relations.

use async_graphql::{Context, ID, InputObject, Lookahead};
use chrono::NaiveDate;
use entity::{
    homeless_status, iep_participation as iep, student, student_intervention as plan,
    tier_placement,
    values::{IepStatus as DbIepStatus, MtssDomain as DbDomain, PlanStatus as DbStatus},
};
use sea_orm::{ColumnTrait, Condition, sea_query::Query};
use uuid::Uuid;

use super::{
    AttendanceSummary, HomelessStatus, IepParticipation, IepStatus, InterventionPlan, MtssDomain,
    PlanStatus, TierPlacement,
    attendance::{chronically_absent, school_year_start},
    plans::InterventionPlanConnection,
    special_education::IepParticipationConnection,
    tiers::TierPlacementConnection,
};
use crate::{
    auth::{
        Actor,
        policy::{self, Educational},
    },
    errors::AppResult,
    graphql::{
        context::ContextExt,
        node::{self, Kind},
        pagination::{PageArgs, paginate_loaded, selects, selects_nested},
        scalars::Date,
    },
};

pub async fn current_tiers(ctx: &Context<'_>, student: Uuid) -> AppResult<Vec<TierPlacement>> {
    Ok(ctx
        .mtss()
        .current_tiers_of_student
        .load_one(student)
        .await?
        .unwrap_or_default()
        .into_iter()
        .map(TierPlacement)
        .collect())
}

pub async fn tier_history(
    ctx: &Context<'_>,
    student: Uuid,
    args: &PageArgs,
) -> AppResult<TierPlacementConnection> {
    let rows = ctx
        .mtss()
        .tier_history_of_student
        .load_one(student)
        .await?
        .unwrap_or_default();
    Ok(TierPlacementConnection(
        paginate_loaded(rows, |r| r.id, args)?.map(TierPlacement),
    ))
}

pub async fn plans(
    ctx: &Context<'_>,
    student: Uuid,
    statuses: Option<Vec<PlanStatus>>,
    args: &PageArgs,
) -> AppResult<InterventionPlanConnection> {
    let mut rows = ctx
        .mtss()
        .plans_of_student
        .load_one(student)
        .await?
        .unwrap_or_default();
    if let Some(statuses) = statuses {
        let statuses: Vec<DbStatus> = statuses.into_iter().map(Into::into).collect();
        rows.retain(|row| statuses.contains(&row.status));
    }
    Ok(InterventionPlanConnection(
        paginate_loaded(rows, |r| r.id, args)?.map(InterventionPlan),
    ))
}

pub async fn special_education(
    ctx: &Context<'_>,
    student: Uuid,
    args: &PageArgs,
) -> AppResult<IepParticipationConnection> {
    let rows = ctx
        .mtss()
        .ieps_of_student
        .load_one(student)
        .await?
        .unwrap_or_default();
    Ok(IepParticipationConnection(
        paginate_loaded(rows, |r| r.id, args)?.map(IepParticipation),
    ))
}

/// Whether an IEP or 504 plan is in effect or the student is found eligible; school staff may
/// know this much, and nothing more.
pub async fn has_iep_or_504(ctx: &Context<'_>, student: Uuid) -> AppResult<bool> {
    let rows = ctx
        .mtss()
        .iep_existence_of_student
        .load_one(student)
        .await?
        .unwrap_or_default();
    Ok(rows
        .iter()
        .any(|row| matches!(row.status, DbIepStatus::Active | DbIepStatus::Eligible)))
}

pub async fn homeless(ctx: &Context<'_>, student: Uuid) -> AppResult<Option<HomelessStatus>> {
    let rows = ctx
        .mtss()
        .homeless_of_student
        .load_one(student)
        .await?
        .unwrap_or_default();
    Ok(rows
        .into_iter()
        .find(|row| row.end_date.is_none())
        .map(HomelessStatus))
}

/// The date range of `attendance(from, to)`: by default the school year up to today.
fn attendance_range(
    today: NaiveDate,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> (NaiveDate, NaiveDate) {
    let to = to.unwrap_or(today);
    (from.unwrap_or_else(|| school_year_start(to)), to)
}

/// Attendance from `from` (default: the start of the school year) to `to` (default: today).
pub async fn attendance(
    ctx: &Context<'_>,
    student: Uuid,
    from: Option<Date>,
    to: Option<Date>,
) -> AppResult<AttendanceSummary> {
    let (from, to) = attendance_range(ctx.actor()?.today, from.map(|d| d.0), to.map(|d| d.0));
    let counts = ctx
        .mtss()
        .attendance
        .load_one((student, from, to))
        .await?
        .unwrap_or_default();
    Ok(AttendanceSummary::new(from, to, counts))
}

/// The date ranges the query asks `attendance` for (its `from`/`to` arguments); a range given
/// in a form not read here is simply not prefetched (the loader still batches it).
fn attendance_ranges(nodes: &[Lookahead<'_>], today: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let date = |arguments: &[(async_graphql::Name, async_graphql::Value)], name: &str| {
        arguments
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .and_then(|(_, v)| match v {
                async_graphql::Value::String(text) => {
                    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
                }
                _ => None,
            })
    };
    let mut ranges: Vec<(NaiveDate, NaiveDate)> = nodes
        .iter()
        .flat_map(|node| node.field("attendance").selection_fields())
        .filter_map(|field| field.arguments().ok())
        .map(|arguments| attendance_range(today, date(&arguments, "from"), date(&arguments, "to")))
        .collect();
    ranges.sort();
    ranges.dedup();
    ranges
}

/// A tier to look for.
#[derive(InputObject, Debug, Clone)]
pub struct TierFilter {
    /// The domain.
    pub domain: MtssDomain,
    /// The tier (1-3).
    pub tier: i32,
}

/// The MTSS team's conditions on students; each is applied in SQL, and each needs the right
/// to read the data it looks at.
#[derive(InputObject, Default, Debug, Clone)]
pub struct MtssFilter {
    /// Only students currently in this tier of this domain.
    pub tier: Option<TierFilter>,
    /// Only students with (or without) an active intervention plan.
    pub has_active_intervention: Option<bool>,
    /// Only students with an active plan of this intervention.
    pub intervention_id: Option<ID>,
    /// Only students with an IEP/504 record in this status.
    pub iep_status: Option<IepStatus>,
    /// Only students currently identified as homeless (or not).
    pub homeless: Option<bool>,
    /// Only students chronically absent this school year (or not).
    pub chronically_absent: Option<bool>,
}

fn member(include: bool, students: sea_orm::sea_query::SelectStatement) -> Condition {
    Condition::all().add(if include {
        student::Column::Id.in_subquery(students)
    } else {
        student::Column::Id.not_in_subquery(students)
    })
}

impl MtssFilter {
    /// The SQL condition on `student.id` for every condition set.
    pub fn condition(&self, actor: &Actor) -> AppResult<Condition> {
        let mut all = Condition::all();
        if let Some(tier) = &self.tier {
            let rows = policy::educational_rows(
                actor,
                Educational::Tiers,
                tier_placement::Column::StudentId,
            )?;
            let placed = Query::select()
                .column(tier_placement::Column::StudentId)
                .from(tier_placement::Entity)
                .cond_where(rows)
                .and_where(tier_placement::Column::Domain.eq(DbDomain::from(tier.domain)))
                .and_where(tier_placement::Column::Tier.eq(tier.tier))
                .and_where(tier_placement::Column::EffectiveTo.is_null())
                .to_owned();
            all = all.add(member(true, placed));
        }
        if self.has_active_intervention.is_some() || self.intervention_id.is_some() {
            let rows = policy::educational_rows(
                actor,
                Educational::Interventions,
                plan::Column::StudentId,
            )?;
            let mut active = Query::select()
                .column(plan::Column::StudentId)
                .from(plan::Entity)
                .cond_where(rows)
                .and_where(plan::Column::Status.eq(DbStatus::Active))
                .to_owned();
            if let Some(id) = &self.intervention_id {
                active.and_where(plan::Column::InterventionId.eq(node::decode_as(
                    id,
                    Kind::Intervention,
                    "filter.interventionId",
                )?));
            }
            all = all.add(member(self.has_active_intervention.unwrap_or(true), active));
        }
        if let Some(status) = self.iep_status {
            let rows = policy::educational_rows(
                actor,
                Educational::SpecialEducation,
                iep::Column::StudentId,
            )?;
            let with = Query::select()
                .column(iep::Column::StudentId)
                .from(iep::Entity)
                .cond_where(rows)
                .and_where(iep::Column::Status.eq(DbIepStatus::from(status)))
                .to_owned();
            all = all.add(member(true, with));
        }
        if let Some(homeless) = self.homeless {
            let rows = policy::educational_rows(
                actor,
                Educational::Homeless,
                homeless_status::Column::StudentId,
            )?;
            let current = Query::select()
                .column(homeless_status::Column::StudentId)
                .from(homeless_status::Entity)
                .cond_where(rows)
                .and_where(homeless_status::Column::EndDate.is_null())
                .to_owned();
            all = all.add(member(homeless, current));
        }
        if let Some(chronic) = self.chronically_absent {
            policy::educational_rows(actor, Educational::Attendance, student::Column::Id)?;
            let today = actor.today;
            all = all.add(member(
                chronic,
                chronically_absent(school_year_start(today), today),
            ));
        }
        Ok(all)
    }
}

/// Loads the MTSS relations a students page selects, for the whole page at once (see
/// `roster::students::prefetch`).
pub async fn prefetch(
    ctx: &Context<'_>,
    nodes: &[Lookahead<'_>],
    students: &[Uuid],
) -> AppResult<()> {
    let loaders = ctx.mtss();
    if selects(nodes, "currentTiers") {
        loaders
            .current_tiers_of_student
            .load_many(students.iter().copied())
            .await?;
    }
    if selects(nodes, "tierHistory") {
        loaders
            .tier_history_of_student
            .load_many(students.iter().copied())
            .await?;
    }
    if selects(nodes, "interventionPlans") {
        let plans = loaders
            .plans_of_student
            .load_many(students.iter().copied())
            .await?;
        let plans: Vec<&plan::Model> = plans.values().flatten().collect();
        let on_plans = |fields: &[&str]| {
            fields
                .iter()
                .any(|field| selects_nested(nodes, "interventionPlans", field))
        };
        if on_plans(&["progressPoints", "aimLine", "trend", "decision"]) {
            loaders
                .points_of_plan
                .load_many(plans.iter().map(|p| p.id))
                .await?;
        }
        if on_plans(&["sessions", "dosage"]) {
            loaders
                .sessions_of_plan
                .load_many(plans.iter().map(|p| p.id))
                .await?;
        }
        if on_plans(&["intervention"]) {
            loaders
                .intervention
                .load_many(plans.iter().map(|p| p.intervention_id))
                .await?;
        }
    }
    if selects(nodes, "specialEducation") {
        loaders
            .ieps_of_student
            .load_many(students.iter().copied())
            .await?;
    }
    if selects(nodes, "hasIepOr504") {
        loaders
            .iep_existence_of_student
            .load_many(students.iter().copied())
            .await?;
    }
    if selects(nodes, "homelessStatus") {
        loaders
            .homeless_of_student
            .load_many(students.iter().copied())
            .await?;
    }
    for (from, to) in attendance_ranges(nodes, ctx.actor()?.today) {
        loaders
            .attendance
            .load_many(students.iter().map(|id| (*id, from, to)))
            .await?;
    }
    Ok(())
}
