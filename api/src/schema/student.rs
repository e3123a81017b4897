//! The one `Student` type: the roster's fields and each domain's, flattened; the `students`
//! filter made of each domain's conditions; and the page-level prefetch of every part.

use async_graphql::{Context, ID, InputObject, Lookahead, Object};
use entity::student;
use sea_orm::Condition;

use crate::{
    casework::StudentCasework,
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids,
        pagination::{self, Connection, PageArgs, on_nodes},
    },
    mtss::{MtssFilter, StudentMtss},
    roster::{
        RosterStudentFilter, Student, StudentConnection, StudentOrder, StudentRoster, students,
    },
};

/// A student of the district. Names, identifiers and demographics are shown only to roles
/// allowed to see them; a denied field is a FORBIDDEN error, never a blank.
#[Object]
impl Student {
    /// The student's opaque global id; for a BI reader, the student's pseudonym, which is not
    /// a global id and leads back to no record.
    pub async fn id(&self, ctx: &Context<'_>) -> ID {
        match ctx.actor().ok().and_then(|actor| actor.pseudonyms.as_ref()) {
            Some(pseudonyms) => ID(pseudonyms.student(self.0.id)),
            None => ids::encode::<Student>(self.0.id),
        }
    }
    #[graphql(flatten)]
    async fn roster(&self) -> StudentRoster<'_> {
        StudentRoster(&self.0)
    }
    #[graphql(flatten)]
    async fn mtss(&self) -> StudentMtss {
        StudentMtss(self.0.id)
    }
    #[graphql(flatten)]
    async fn casework(&self) -> StudentCasework {
        StudentCasework(self.0.id)
    }
}

/// Which students to list; every condition is applied in SQL, so pages and `totalCount` agree.
#[derive(InputObject, Default, Debug)]
pub struct StudentFilter {
    #[graphql(flatten)]
    pub roster: RosterStudentFilter,
    /// MTSS conditions (tiers, plans, IEP status, homelessness, chronic absence).
    #[graphql(flatten)]
    pub mtss: MtssFilter,
}

impl StudentFilter {
    /// The conditions of every domain but the roster's (which lists students).
    pub fn conditions(&self, ctx: &Context<'_>) -> AppResult<Condition> {
        let backend = ctx.db().get_database_backend();
        Ok(Condition::all().add(self.mtss.condition(ctx.actor()?, backend)?))
    }
}

/// Loads, for a whole page of students, the relations the query selects of every part, the
/// parts concurrently (each is one statement per relation, whatever the page size).
pub async fn prefetch(
    ctx: &Context<'_>,
    nodes: &[Lookahead<'_>],
    rows: &[&student::Model],
) -> AppResult<()> {
    let ids: Vec<_> = rows.iter().map(|row| row.id).collect();
    futures::try_join!(
        students::prefetch(ctx, nodes, rows),
        crate::mtss::prefetch_students(ctx, nodes, &ids),
        crate::casework::prefetch_students(ctx, nodes, &ids),
    )?;
    Ok(())
}

/// A page of students with every part's relations loaded.
pub async fn connection(
    ctx: &Context<'_>,
    nodes: &[Lookahead<'_>],
    page: Connection<student::Model>,
) -> AppResult<StudentConnection> {
    let rows: Vec<&student::Model> = page.edges.iter().map(|(_, row)| row).collect();
    prefetch(ctx, nodes, &rows).await?;
    Ok(StudentConnection(page.map(Student)))
}

#[derive(Default)]
pub struct StudentListQuery;

#[Object]
impl StudentListQuery {
    /// The students the caller may see, filtered and sorted in the database.
    #[graphql(complexity = "pagination::cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)] // the connection arguments plus filter and order
    async fn students(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(desc = "Which students.")] filter: Option<StudentFilter>,
        #[graphql(
            desc = "How to sort them (default: last name, A to Z; by creation for roles that may not read names)."
        )]
        order_by: Option<StudentOrder>,
    ) -> AppResult<StudentConnection> {
        let filter = filter.unwrap_or_default();
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        let conditions = filter.conditions(ctx)?;
        let page =
            students::list(ctx, &filter.roster, conditions, order_by.as_ref(), &args).await?;
        connection(ctx, &on_nodes(ctx.look_ahead()), page).await
    }
}
