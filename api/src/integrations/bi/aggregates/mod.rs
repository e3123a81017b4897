//! Aggregates for dashboards, counted in SQL: chronic absence by school and grade, movement
//! between tiers from one date to another, intervention plans by intervention and month of
//! start, and their durations and outcomes by school, tier, intervention and month
//! (`outcomes`); cases by area of focus and referrals by status and month (`casework`). For
//! roles that suppress small cells (BI readers), a cell counting fewer students than
//! `SSW_SMALL_CELL_MIN` has its counts withheld, as state reports do, so an aggregate cannot
//! single out a student.

mod agencies;
mod casework;
mod outcomes;

use async_graphql::{Context, ID, MergedObject, Object, SimpleObject};
use sea_orm::{
    FromQueryResult, Statement,
    sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query, SelectStatement},
};
use uuid::Uuid;

use crate::{
    auth::{
        Actor,
        policy::{self, Educational},
    },
    db,
    errors::AppResult,
    graphql::{context::ContextExt, ids, scalars::Date},
    mtss::{Intervention, MtssDomain, attendance_rollup},
    roster::School,
};

/// The least number of students a cell may count for a role that suppresses small cells.
#[derive(Clone, Copy, Debug)]
pub struct SmallCells(pub u32);

/// Counts of a cell, or none when it counts too few students to be shown.
fn shown(actor: &Actor, ctx: &Context<'_>, students: i64) -> bool {
    let SmallCells(least) = *ctx.data_unchecked::<SmallCells>();
    !policy::suppresses_small_cells(actor) || students >= i64::from(least)
}

/// Chronically absent students of one school and grade.
#[derive(SimpleObject)]
pub struct ChronicAbsenceCell {
    /// The school the students are enrolled in today.
    pub school_id: ID,
    /// The grade of that enrollment.
    pub grade_level: String,
    /// Students with attendance recorded this school year (null when suppressed).
    pub students: Option<i64>,
    /// Of them, absent on 10% or more of their days (null when suppressed).
    pub chronically_absent: Option<i64>,
    /// Whether the counts are withheld: fewer students than the least a cell may show.
    pub suppressed: bool,
}

/// Students who were in one tier on the first date and another (or the same) on the second.
#[derive(SimpleObject)]
pub struct TierMovementCell {
    /// The tier on `from` (0: none).
    pub from_tier: i32,
    /// The tier on `to` (0: none).
    pub to_tier: i32,
    /// How many students (null when suppressed).
    pub students: Option<i64>,
    /// Whether the count is withheld.
    pub suppressed: bool,
}

/// Intervention plans of one intervention begun in one month.
#[derive(SimpleObject)]
pub struct InterventionCountCell {
    /// The intervention of the catalogue.
    pub intervention_id: ID,
    /// `YYYY-MM`.
    pub month: String,
    /// Plans begun (null when suppressed).
    pub plans: Option<i64>,
    /// Students they are for (null when suppressed).
    pub students: Option<i64>,
    /// Of the plans, those completed (null when suppressed).
    pub completed: Option<i64>,
    /// Whether the counts are withheld.
    pub suppressed: bool,
}

#[derive(FromQueryResult)]
struct ChronicRow {
    school_id: Uuid,
    grade_level: String,
    students: i64,
    chronic: i64,
}

#[derive(FromQueryResult)]
struct MovementRow {
    from_tier: i32,
    to_tier: i32,
    students: i64,
}

#[derive(FromQueryResult)]
struct PlansRow {
    intervention_id: Uuid,
    year: i32,
    month: i32,
    students: i64,
    plans: i64,
    completed: i64,
}

/// The aggregates' queries.
#[derive(MergedObject, Default)]
pub struct AggregatesQuery(
    CountsQuery,
    outcomes::OutcomesQuery,
    casework::CaseworkCountsQuery,
    agencies::AgencyCountsQuery,
);

#[derive(Default)]
struct CountsQuery;

#[Object]
impl CountsQuery {
    /// Chronic absence by school and grade in the school year beginning in `schoolYear`
    /// (this one by default); students counted at the schools they are enrolled in today.
    async fn chronic_absence(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The calendar year the school year begins in (2026 for 2026-27).")]
        school_year: Option<i32>,
    ) -> AppResult<Vec<ChronicAbsenceCell>> {
        let actor = ctx.actor()?;
        let visible = policy::students_holding(actor, Educational::Attendance)?;
        let year = school_year.unwrap_or_else(|| attendance_rollup::school_year(actor.today));
        let rollup = Alias::new("r");
        let enrolled = Alias::new("e");
        let chronic = "CASE WHEN r.days > 0 AND r.days <= r.absent * 10 THEN 1 ELSE 0 END";
        let mut query = Query::select();
        query
            .expr_as(Expr::cust("e.school_id"), "school_id")
            .expr_as(Expr::cust("e.grade_level"), "grade_level")
            .expr_as(Expr::cust("COUNT(DISTINCT r.student_id)"), "students")
            .expr_as(Expr::cust(format!("SUM({chronic})")), "chronic")
            .from_as(Alias::new("attendance_rollup"), rollup)
            .join_as(
                JoinType::InnerJoin,
                Alias::new("enrollment"),
                enrolled,
                Expr::cust("e.student_id = r.student_id AND e.deleted_at IS NULL")
                    .and(Expr::cust("e.entry_date").lte(actor.today))
                    .and(
                        Expr::cust("e.exit_date")
                            .is_null()
                            .or(Expr::cust("e.exit_date").gte(actor.today)),
                    ),
            )
            .and_where(Expr::cust("r.district_id").eq(actor.district_id))
            .and_where(Expr::cust("r.school_year").eq(year))
            .and_where(Expr::cust("r.student_id").in_subquery(visible))
            .add_group_by([Expr::cust("e.school_id"), Expr::cust("e.grade_level")])
            .order_by_expr(Expr::cust("e.school_id"), Order::Asc)
            .order_by_expr(Expr::cust("e.grade_level"), Order::Asc);
        let rows: Vec<ChronicRow> = rows(ctx, &query).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let show = shown(actor, ctx, row.students);
                ChronicAbsenceCell {
                    school_id: ids::encode::<School>(row.school_id),
                    grade_level: row.grade_level,
                    students: show.then_some(row.students),
                    chronically_absent: show.then_some(row.chronic),
                    suppressed: !show,
                }
            })
            .collect())
    }

    /// How many students moved from each tier of `domain` on `from` to each tier on `to`
    /// (0: in no tier), of those in a tier on either date.
    async fn tier_movement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The MTSS domain.")] domain: MtssDomain,
        #[graphql(desc = "The first date.")] from: Date,
        #[graphql(desc = "The second date.")] to: Date,
    ) -> AppResult<Vec<TierMovementCell>> {
        let actor = ctx.actor()?;
        let visible = policy::students_holding(actor, Educational::Tiers)?;
        let domain = entity::values::MtssDomain::from(domain);
        let tier_on = |alias: &str, date: chrono::NaiveDate| {
            Expr::cust(format!("{alias}.student_id = s.id"))
                .and(Expr::cust(format!("{alias}.domain")).eq(domain))
                .and(Expr::cust(format!("{alias}.effective_from")).lte(date))
                .and(
                    Expr::cust(format!("{alias}.effective_to"))
                        .is_null()
                        .or(Expr::cust(format!("{alias}.effective_to")).gt(date)),
                )
        };
        let mut query = Query::select();
        query
            .expr_as(Expr::cust("COALESCE(a.tier, 0)"), "from_tier")
            .expr_as(Expr::cust("COALESCE(b.tier, 0)"), "to_tier")
            .expr_as(Expr::cust("COUNT(*)"), "students")
            .from_as(Alias::new("student"), Alias::new("s"))
            .join_as(
                JoinType::LeftJoin,
                Alias::new("tier_placement"),
                Alias::new("a"),
                tier_on("a", from.0),
            )
            .join_as(
                JoinType::LeftJoin,
                Alias::new("tier_placement"),
                Alias::new("b"),
                tier_on("b", to.0),
            )
            .and_where(Expr::cust("s.id").in_subquery(visible))
            .and_where(
                Expr::cust("a.id")
                    .is_not_null()
                    .or(Expr::cust("b.id").is_not_null()),
            )
            .add_group_by([
                Expr::cust("COALESCE(a.tier, 0)"),
                Expr::cust("COALESCE(b.tier, 0)"),
            ]);
        let rows: Vec<MovementRow> = rows(ctx, &query).await?;
        let mut cells: Vec<TierMovementCell> = rows
            .into_iter()
            .map(|row| {
                let show = shown(actor, ctx, row.students);
                TierMovementCell {
                    from_tier: row.from_tier,
                    to_tier: row.to_tier,
                    students: show.then_some(row.students),
                    suppressed: !show,
                }
            })
            .collect();
        cells.sort_by_key(|c| (c.from_tier, c.to_tier));
        Ok(cells)
    }

    /// Intervention plans begun from `from` to `to`, by intervention and month.
    async fn intervention_counts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The first day.")] from: Date,
        #[graphql(desc = "The last day.")] to: Date,
    ) -> AppResult<Vec<InterventionCountCell>> {
        let actor = ctx.actor()?;
        let visible = policy::students_holding(actor, Educational::Interventions)?;
        let (year, month) =
            db::year_and_month(ctx.read_db().get_database_backend(), "p.start_date");
        let mut query = Query::select();
        query
            .expr_as(Expr::cust("p.intervention_id"), "intervention_id")
            .expr_as(Expr::cust(year.clone()), "year")
            .expr_as(Expr::cust(month.clone()), "month")
            .expr_as(Expr::cust("COUNT(DISTINCT p.student_id)"), "students")
            .expr_as(Expr::cust("COUNT(*)"), "plans")
            .expr_as(
                Expr::cust("SUM(CASE WHEN p.status = 'COMPLETED' THEN 1 ELSE 0 END)"),
                "completed",
            )
            .from_as(Alias::new("student_intervention"), Alias::new("p"))
            .and_where(Expr::cust("p.district_id").eq(actor.district_id))
            .and_where(Expr::cust("p.start_date").gte(from.0))
            .and_where(Expr::cust("p.start_date").lte(to.0))
            .and_where(Expr::cust("p.student_id").in_subquery(visible))
            .add_group_by([
                Expr::cust("p.intervention_id"),
                Expr::cust(year),
                Expr::cust(month),
            ]);
        let rows: Vec<PlansRow> = rows(ctx, &query).await?;
        let mut cells: Vec<InterventionCountCell> = rows
            .into_iter()
            .map(|row| {
                let show = shown(actor, ctx, row.students);
                InterventionCountCell {
                    intervention_id: ids::encode::<Intervention>(row.intervention_id),
                    month: format!("{:04}-{:02}", row.year, row.month),
                    plans: show.then_some(row.plans),
                    students: show.then_some(row.students),
                    completed: show.then_some(row.completed),
                    suppressed: !show,
                }
            })
            .collect();
        cells.sort_by(|a, b| {
            (&a.month, a.intervention_id.as_str()).cmp(&(&b.month, b.intervention_id.as_str()))
        });
        Ok(cells)
    }
}

/// The rows of an aggregate statement.
async fn rows<T: FromQueryResult>(ctx: &Context<'_>, query: &SelectStatement) -> AppResult<Vec<T>> {
    let db = ctx.read_db();
    let statement: Statement = db.get_database_backend().build(query);
    Ok(T::find_by_statement(statement).all(db).await?)
}
