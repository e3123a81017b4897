//! The one extension that checks a request before it runs: the guards (nesting, size, large
//! queries off the workers, the statement budget: `guards`), the depth and cost limits
//! (`limits`), the input limits (`inputs`) and the alias limit, in that order. One extension
//! for all of them: async-graphql passes every field of every answer through each extension
//! in turn (a boxed future per field per extension), and a page of 50 students answers about
//! 3,000 fields.

use std::sync::Arc;

use async_graphql::{
    Request, Response, ServerError, ServerResult, ValidationResult, Variables,
    extensions::{
        Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery,
        NextPrepareRequest, NextValidation,
    },
    parser::types::{ExecutableDocument, Selection, SelectionSet},
};

use super::{
    guards::{Guards, within_budget},
    inputs::check_document,
    limits::QueryLimits,
};
use crate::db::StatementBudget;

/// The checks every request passes (see the module comment).
pub struct RequestChecks {
    /// Most fields a query may select, fragments expanded (see `Limits::max_fields`).
    pub max_fields: usize,
    /// Most aliases a query may use (aliases multiply the work of one field).
    pub max_aliases: usize,
    pub limits: QueryLimits,
    /// The lists allowed `MAX_BULK_ITEMS` items, as `field.argument.path` (see `inputs`).
    pub bulk_lists: &'static [&'static str],
}

impl ExtensionFactory for RequestChecks {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Checks {
            guards: Guards::new(self.max_fields),
            max_aliases: self.max_aliases,
            limits: self.limits,
            bulk_lists: self.bulk_lists,
        })
    }
}

/// The checks of one request.
struct Checks {
    guards: Guards,
    max_aliases: usize,
    limits: QueryLimits,
    bulk_lists: &'static [&'static str],
}

#[async_trait::async_trait]
impl Extension for Checks {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        self.guards.prepare(&mut request)?;
        // After the guards, which refuse what would make measuring it costly.
        self.limits.check_request(&mut request)?;
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        check_document(&document, variables, self.bulk_lists)?;
        check_aliases(&document, self.max_aliases)?;
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = self.guards.validate(next.run(ctx)).await?;
        self.limits.check_cost(&result)?;
        Ok(result)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        within_budget(
            ctx.data_opt::<StatementBudget>(),
            next.run(ctx, operation_name),
        )
        .await
    }
}

/// Refuses queries with more aliases than allowed.
fn check_aliases(document: &ExecutableDocument, max_aliases: usize) -> ServerResult<()> {
    let aliases: usize = document
        .operations
        .iter()
        .map(|(_, op)| count_aliases(&op.node.selection_set.node))
        .chain(
            document
                .fragments
                .values()
                .map(|f| count_aliases(&f.node.selection_set.node)),
        )
        .sum();
    if aliases > max_aliases {
        return Err(ServerError::new(
            format!("the query uses {aliases} aliases; at most {max_aliases} are allowed"),
            None,
        ));
    }
    Ok(())
}

fn count_aliases(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(field) => {
                usize::from(field.node.alias.is_some())
                    + count_aliases(&field.node.selection_set.node)
            }
            Selection::InlineFragment(fragment) => count_aliases(&fragment.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}
