//! The one `School` type: the roster's fields, and its students filtered by every domain's
//! conditions.

use async_graphql::{Context, ID, Object};

use super::student::{self, StudentFilter};
use crate::{
    errors::AppResult,
    graphql::{
        context::ContextExt,
        ids,
        pagination::{self, PageArgs, on_nodes},
    },
    roster::{School, SchoolRoster, StudentConnection, StudentOrder, students},
};

/// A school of the district.
#[Object]
impl School {
    /// The school's opaque global id.
    pub async fn id(&self) -> ID {
        ids::encode::<School>(self.0.id)
    }
    #[graphql(flatten)]
    async fn roster(&self) -> SchoolRoster<'_> {
        SchoolRoster(&self.0)
    }
    /// Students currently enrolled at the school (today, or on `filter.enrolledOn`);
    /// `filter.schoolId` is ignored here.
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
        #[graphql(desc = "How to sort them (default: last name, A to Z).")] order_by: Option<
            StudentOrder,
        >,
    ) -> AppResult<StudentConnection> {
        let (filter, order) = (filter.unwrap_or_default(), order_by);
        let args = PageArgs::new(ctx.cursor_seal(), first, after, last, before);
        // Loaded for every school of the page at once (see graphql::batch); counted only when
        // asked.
        let count = ctx.look_ahead().field("totalCount").exists();
        let arguments = format!("{args:?}|{filter:?}|{order:?}|{count}");
        let page = ctx
            .batches()
            .page("school.students", arguments, self.0.id, |schools| async {
                let conditions = filter.conditions(ctx)?;
                let pages = students::pages_by_school(
                    ctx,
                    schools,
                    &filter.roster,
                    conditions,
                    order.as_ref(),
                    &args,
                    count,
                )
                .await?;
                let rows: Vec<_> = pages
                    .values()
                    .flat_map(|page| page.edges.iter().map(|(_, row)| row))
                    .collect();
                student::prefetch(ctx, &on_nodes(ctx.look_ahead()), &rows).await?;
                Ok(pages)
            })
            .await?;
        Ok(StudentConnection(page.map(crate::roster::Student)))
    }
}
