//! The checks a request passes before it runs: the guards (nesting, size, large queries off
//! the workers, the statement budget: `guards`), the depth and cost limits (`limits`), the
//! input limits (`inputs`) and the alias limit, in that order. `extensions::Hooks` calls them
//! from the one extension every request passes through.

use async_graphql::{
    Request, ServerError, ServerResult, ValidationResult, Variables,
    parser::types::{ExecutableDocument, Selection, SelectionSet},
};

use super::{guards::Guards, inputs::check_document, limits::QueryLimits};

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

impl RequestChecks {
    /// The checks of one request.
    pub(super) fn start(&self) -> Checks {
        Checks {
            guards: Guards::new(self.max_fields),
            max_aliases: self.max_aliases,
            limits: self.limits,
            bulk_lists: self.bulk_lists,
        }
    }
}

/// The checks of one request.
pub(super) struct Checks {
    guards: Guards,
    max_aliases: usize,
    limits: QueryLimits,
    bulk_lists: &'static [&'static str],
}

impl Checks {
    /// Before parsing: the guards, then the limits (the guards refuse what would make
    /// measuring it costly).
    pub(super) fn prepare(&self, request: &mut Request) -> ServerResult<()> {
        self.guards.prepare(request)?;
        self.limits.check_request(request)
    }

    /// After parsing: the input limits and the aliases.
    pub(super) fn parsed(
        &self,
        document: &ExecutableDocument,
        variables: &Variables,
    ) -> ServerResult<()> {
        check_document(document, variables, self.bulk_lists)?;
        check_aliases(document, self.max_aliases)
    }

    /// Validation (`validate`, async-graphql's), guarded, then the cost its result measures.
    pub(super) async fn validate(
        &self,
        validate: impl Future<Output = Result<ValidationResult, Vec<ServerError>>>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = self.guards.validate(validate).await?;
        self.limits.check_cost(&result)?;
        Ok(result)
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
