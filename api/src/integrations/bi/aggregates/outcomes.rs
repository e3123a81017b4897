//! Intervention outcomes: plans by school, tier, intervention and month begun, with how long
//! they ran (mean and median days) and how they ended (plans per outcome), all counted in one
//! SQL statement: the plans with their school and duration, ranked by duration within their
//! cell (for the median, which neither backend computes the same way), then grouped.

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::NaiveDate;
use entity::values;
use sea_orm::{
    ActiveEnum, DbBackend, DbErr, FromQueryResult, Iterable, QueryResult,
    sea_query::{Alias, Asterisk, Expr, ExprTrait, Query, SelectStatement},
};
use uuid::Uuid;

use super::{rows, shown};
use crate::{
    auth::{
        Actor,
        policy::{self, Educational},
    },
    db,
    errors::AppResult,
    graphql::{context::ContextExt, ids, scalars::Date},
    mtss::{Intervention, OutcomeCount},
    roster::School,
};

/// Intervention plans of one school, tier and intervention begun in one month: how long they
/// ran and how they ended. Every count is null when the cell is suppressed.
#[derive(SimpleObject)]
pub struct InterventionOutcomeCell {
    /// The school the student was enrolled in on the plan's first day (the primary
    /// enrollment, of several); null when no enrollment was current then.
    pub school_id: Option<ID>,
    /// The tier the plans are delivered at.
    pub tier: i32,
    /// The intervention of the catalogue.
    pub intervention_id: ID,
    /// The month the plans began, `YYYY-MM`.
    pub month: String,
    /// Plans begun.
    pub plans: Option<i64>,
    /// Students they are for.
    pub students: Option<i64>,
    /// Of the plans, those still ACTIVE.
    pub active: Option<i64>,
    /// Of the plans, those with a duration: ended (an actual end date), or ACTIVE and begun.
    /// A PLANNED plan, or one closed without an end date, has none.
    pub plans_with_duration: Option<i64>,
    /// Their mean duration in days, from the first day to the actual end, or to today for an
    /// ACTIVE plan (null when none has a duration).
    pub mean_days: Option<f64>,
    /// Their median duration in days (of an even number, the mean of the two middle ones).
    pub median_days: Option<f64>,
    /// Plans per outcome, every outcome listed (zero included), in the enum's order.
    pub outcomes: Option<Vec<OutcomeCount>>,
    /// Plans with no outcome recorded (most of them still running).
    pub without_outcome: Option<i64>,
    /// Whether the counts are withheld: fewer students than the least a cell may show.
    pub suppressed: bool,
}

/// A cell as counted, before suppression.
struct CellRow {
    school_id: Option<Uuid>,
    tier: i32,
    intervention_id: Uuid,
    year: i32,
    month: i32,
    plans: i64,
    students: i64,
    active: i64,
    timed: i64,
    mean_days: Option<f64>,
    median_days: Option<f64>,
    /// Plans per outcome, in `values::PlanOutcome::iter()` order.
    outcomes: Vec<i64>,
    without_outcome: i64,
}

impl FromQueryResult for CellRow {
    fn from_query_result(row: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(Self {
            school_id: row.try_get(pre, "school_id")?,
            tier: row.try_get(pre, "tier")?,
            intervention_id: row.try_get(pre, "intervention_id")?,
            year: row.try_get(pre, "year")?,
            month: row.try_get(pre, "month")?,
            plans: row.try_get(pre, "plans")?,
            students: row.try_get(pre, "students")?,
            active: row.try_get(pre, "active")?,
            timed: row.try_get(pre, "timed")?,
            mean_days: row.try_get(pre, "mean_days")?,
            median_days: row.try_get(pre, "median_days")?,
            outcomes: (0..values::PlanOutcome::iter().count())
                .map(|i| row.try_get(pre, &format!("outcome_{i}")))
                .collect::<Result<_, _>>()?,
            without_outcome: row.try_get(pre, "without_outcome")?,
        })
    }
}

/// The school of a plan's student on its first day: the enrollment current then, the primary
/// one first, then the latest.
const SCHOOL_ON_START: &str = "(SELECT e.school_id FROM enrollment e \
    WHERE e.student_id = p.student_id AND e.deleted_at IS NULL \
    AND e.entry_date <= p.start_date AND (e.exit_date IS NULL OR e.exit_date >= p.start_date) \
    ORDER BY e.is_primary DESC, e.entry_date DESC, e.id LIMIT 1)";

/// What a cell is.
const CELL: [&str; 5] = ["school_id", "tier", "intervention_id", "year", "month"];

#[derive(Default)]
pub struct OutcomesQuery;

#[Object]
impl OutcomesQuery {
    /// Intervention plans begun from `from` to `to`, by school, tier, intervention and month
    /// begun: how many, for how many students, how long they ran (mean and median days, to
    /// the actual end or to today while ACTIVE) and how they ended (plans per outcome). One
    /// row per cell, so a BI tool reads it as a table; `outcomes` is the one list, of every
    /// outcome in the same order.
    async fn intervention_outcomes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The first day plans began on.")] from: Date,
        #[graphql(desc = "The last day plans began on.")] to: Date,
    ) -> AppResult<Vec<InterventionOutcomeCell>> {
        let actor = ctx.actor()?;
        let backend = ctx.read_db().get_database_backend();
        let cells = statement(actor, backend, (from.0, to.0))?;
        let rows: Vec<CellRow> = rows(ctx, &cells).await?;
        let mut cells: Vec<InterventionOutcomeCell> = rows
            .into_iter()
            .map(|row| {
                let show = shown(actor, ctx, row.students);
                InterventionOutcomeCell {
                    school_id: row.school_id.map(ids::encode::<School>),
                    tier: row.tier,
                    intervention_id: ids::encode::<Intervention>(row.intervention_id),
                    month: format!("{:04}-{:02}", row.year, row.month),
                    plans: show.then_some(row.plans),
                    students: show.then_some(row.students),
                    active: show.then_some(row.active),
                    plans_with_duration: show.then_some(row.timed),
                    mean_days: row.mean_days.filter(|_| show),
                    median_days: row.median_days.filter(|_| show),
                    outcomes: show.then(|| {
                        values::PlanOutcome::iter()
                            .zip(row.outcomes)
                            .map(|(outcome, plans)| OutcomeCount {
                                outcome: outcome.into(),
                                plans,
                            })
                            .collect()
                    }),
                    without_outcome: show.then_some(row.without_outcome),
                    suppressed: !show,
                }
            })
            .collect();
        cells.sort_by(|a, b| {
            let key = |c: &InterventionOutcomeCell| {
                (
                    c.month.clone(),
                    c.school_id.as_ref().map(|id| id.to_string()),
                    c.tier,
                    c.intervention_id.to_string(),
                )
            };
            key(a).cmp(&key(b))
        });
        Ok(cells)
    }
}

/// The statement of the cells: the plans begun from `from` to `to` of the students whose
/// interventions the actor reads, each with its school and duration, ranked by duration in
/// its cell, then grouped.
fn statement(
    actor: &Actor,
    backend: DbBackend,
    (from, to): (NaiveDate, NaiveDate),
) -> AppResult<SelectStatement> {
    let visible = policy::students_holding(actor, Educational::Interventions)?;
    let (year, month) = db::year_and_month(backend, "p.start_date");
    // Today, bound twice: sea-query's placeholders are the backend's own.
    let [today, again] = match backend {
        DbBackend::Postgres => ["$1", "$2"],
        _ => ["?", "?"],
    };
    let days = format!(
        "CASE WHEN p.actual_end_date IS NOT NULL THEN {ended} \
         WHEN p.status = 'ACTIVE' AND p.start_date <= {today} THEN {running} END",
        ended = db::days_between(backend, "p.start_date", "p.actual_end_date"),
        running = db::days_between(backend, "p.start_date", again),
    );
    let mut plans = Query::select();
    plans
        .expr_as(Expr::cust(SCHOOL_ON_START), "school_id")
        .expr_as(Expr::cust("p.tier"), "tier")
        .expr_as(Expr::cust("p.intervention_id"), "intervention_id")
        .expr_as(Expr::cust(year), "year")
        .expr_as(Expr::cust(month), "month")
        .expr_as(Expr::cust("p.student_id"), "student_id")
        .expr_as(Expr::cust("p.status"), "status")
        .expr_as(Expr::cust("p.outcome"), "outcome")
        .expr_as(
            Expr::cust_with_values(days, [actor.today, actor.today]),
            "days",
        )
        .from_as(Alias::new("student_intervention"), Alias::new("p"))
        .and_where(Expr::cust("p.district_id").eq(actor.district_id))
        .and_where(Expr::cust("p.start_date").gte(from))
        .and_where(Expr::cust("p.start_date").lte(to))
        .and_where(Expr::cust("p.student_id").in_subquery(visible));
    // Each plan's rank by duration in its cell, and how many there are (durations apart
    // from plans without one).
    let partition = format!("PARTITION BY {}, days IS NULL", CELL.join(", "));
    let mut ranked = Query::select();
    ranked
        .column(Asterisk)
        .expr_as(
            Expr::cust(format!("ROW_NUMBER() OVER ({partition} ORDER BY days)")),
            "rn",
        )
        .expr_as(Expr::cust(format!("COUNT(*) OVER ({partition})")), "n")
        .from_subquery(plans, Alias::new("b"));
    let mut cells = Query::select();
    for column in CELL {
        cells.expr_as(Expr::cust(column), column);
    }
    let median = "CASE WHEN days IS NOT NULL AND rn IN ((n + 1) / 2, (n + 2) / 2) \
        THEN days END";
    cells
        .expr_as(Expr::cust("COUNT(*)"), "plans")
        .expr_as(Expr::cust("COUNT(DISTINCT student_id)"), "students")
        .expr_as(
            Expr::cust("SUM(CASE WHEN status = 'ACTIVE' THEN 1 ELSE 0 END)"),
            "active",
        )
        .expr_as(Expr::cust("COUNT(days)"), "timed")
        .expr_as(
            Expr::cust("CAST(AVG(days) AS DOUBLE PRECISION)"),
            "mean_days",
        )
        .expr_as(
            Expr::cust(format!("CAST(AVG({median}) AS DOUBLE PRECISION)")),
            "median_days",
        )
        .expr_as(
            Expr::cust("SUM(CASE WHEN outcome IS NULL THEN 1 ELSE 0 END)"),
            "without_outcome",
        );
    for (i, outcome) in values::PlanOutcome::iter().enumerate() {
        let count = format!(
            "SUM(CASE WHEN outcome = '{}' THEN 1 ELSE 0 END)",
            outcome.to_value()
        );
        cells.expr_as(Expr::cust(count), Alias::new(format!("outcome_{i}")));
    }
    cells
        .from_subquery(ranked, Alias::new("r"))
        .add_group_by(CELL.map(Expr::cust));
    Ok(cells)
}
