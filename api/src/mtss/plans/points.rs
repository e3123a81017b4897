//! A plan's page of progress points. A page at either end (`last: 5`, what screens show) is cut
//! in SQL; a page from a cursor, and the fields that judge the whole series (`trend`,
//! `decision`, `aimLine`), read every point. A page of students loads either for all its plans
//! at once, before its fields resolve.

use async_graphql::{Context, Lookahead, Name, Value};
use entity::progress_point;
use uuid::Uuid;

use super::super::MtssContext;
use crate::{
    db::loader::{End, EndRows, warm},
    errors::AppResult,
    graphql::{
        context::ContextExt,
        pagination::{self, Connection, PageArgs, paginate_loaded, selects},
    },
};

/// The page `args` asks of `plan`'s points.
pub(super) async fn page(
    ctx: &Context<'_>,
    plan: Uuid,
    args: &PageArgs,
) -> AppResult<Connection<progress_point::Model>> {
    let loaders = ctx.mtss();
    match pagination::loaded_end(args)? {
        Some(end) if !loaders.has_all_points(plan) => {
            let points = loaders.points_of_plan.load_one((plan, end)).await?;
            let points = points.unwrap_or(EndRows {
                rows: Vec::new(),
                total: 0,
            });
            pagination::paginate_loaded_end(points, |p| p.id, args)
        }
        _ => {
            let points = loaders.points_of_plan.load_one(plan).await?;
            paginate_loaded(points.unwrap_or_default(), |p| p.id, args)
        }
    }
}

/// Loads the points the selections on a page's plans (`plans`, node selections) read, for
/// every plan in `ids` at once: every point when a field needs them all, else each page at
/// either end asked for.
pub(crate) async fn prefetch(
    ctx: &Context<'_>,
    plans: &[Lookahead<'_>],
    ids: &[Uuid],
) -> AppResult<()> {
    let loaders = ctx.mtss();
    let ends = asked_ends(ctx, plans);
    let whole = ["aimLine", "trend", "decision"]
        .iter()
        .any(|field| selects(plans, field))
        || ends.contains(&None);
    if whole {
        let loaded = warm(&loaders.points_of_plan, true, ids.iter().copied()).await?;
        loaders.all_points_loaded(loaded.into_keys());
        return Ok(());
    }
    futures::future::try_join_all(ends.into_iter().flatten().map(|end| {
        warm(
            &loaders.points_of_plan,
            true,
            ids.iter().map(move |id| (*id, end)),
        )
    }))
    .await?;
    Ok(())
}

/// The pages `progressPoints` is asked for on `plans`: `Some` at either end, `None` from a
/// cursor. Arguments that do not make a page are left to the field to report.
fn asked_ends(ctx: &Context<'_>, plans: &[Lookahead<'_>]) -> Vec<Option<End>> {
    let argument = |arguments: &[(Name, Value)], name: &str| {
        arguments
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, value)| value.clone())
    };
    let number = |value: Option<Value>| match value {
        Some(Value::Number(n)) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
        _ => None,
    };
    let text = |value: Option<Value>| match value {
        Some(Value::String(text)) => Some(text),
        _ => None,
    };
    let mut ends: Vec<Option<End>> = plans
        .iter()
        .flat_map(|plan| plan.field("progressPoints").selection_fields())
        .filter_map(|field| field.arguments().ok())
        .filter_map(|arguments| {
            let args = PageArgs::new(
                ctx.cursor_seal(),
                number(argument(&arguments, "first")),
                text(argument(&arguments, "after")),
                number(argument(&arguments, "last")),
                text(argument(&arguments, "before")),
            );
            pagination::loaded_end(&args).ok()
        })
        .collect();
    ends.sort_by_key(|end| end.map(|end| (end.rows, end.last)));
    ends.dedup();
    ends
}
