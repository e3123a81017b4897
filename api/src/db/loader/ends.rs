//! The first or last few children of each parent, cut in SQL: a page of students asks for
//! the last five progress points of each plan, and a plan may hold hundreds.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use sea_orm::{
    ConnectionTrait, EntityTrait, FromQueryResult, ModelTrait, Order, QueryFilter, QueryTrait,
    sea_query::{Alias, Asterisk, Expr, ExprTrait, Query, ValueType, WindowStatement},
};
use uuid::Uuid;

use super::Children;
use crate::errors::{AppError, AppResult};

/// Which end of a parent's children to take, and how many rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct End {
    pub rows: usize,
    /// Counted from the end of the relation's order: for points, which run oldest first, the
    /// newest.
    pub last: bool,
}

/// The rows at one end of a parent's children, walking from that end, and how many children
/// the parent has in all.
#[derive(Debug, Clone)]
pub struct EndRows<M> {
    pub rows: Vec<M>,
    pub total: usize,
}

impl<E> Children<E>
where
    E: EntityTrait,
{
    /// One statement for the parents in `keys`: each parent's children numbered from `end`,
    /// the first `end.rows` kept, with the parent's count beside each.
    async fn ends(&self, keys: &[Uuid], end: End) -> AppResult<HashMap<Uuid, EndRows<E::Model>>> {
        let (row_number, total) = (Alias::new("row_number"), Alias::new("total"));
        let mut numbering = WindowStatement::partition_by((E::default(), self.parent));
        for (column, order) in &self.order {
            let order = match (order, end.last) {
                (Order::Asc, true) => Order::Desc,
                (Order::Desc, true) => Order::Asc,
                (order, _) => order.clone(),
            };
            numbering.order_by((E::default(), *column), order);
        }
        let mut inner = E::find()
            .filter(self.scope.clone()?)
            .filter(crate::db::one_of(
                self.db.get_database_backend(),
                (E::default(), self.parent),
                keys,
            ))
            .into_query();
        inner
            .expr_window_as(Expr::cust("ROW_NUMBER()"), numbering, row_number.clone())
            .expr_window_as(
                Expr::cust("COUNT(*)"),
                WindowStatement::partition_by((E::default(), self.parent)),
                total.clone(),
            );
        let kept = Query::select()
            .column(Asterisk)
            .from_subquery(inner, Alias::new("numbered"))
            .and_where(Expr::col(row_number.clone()).lte(end.rows as i64))
            .order_by(row_number, Order::Asc)
            .to_owned();
        let statement = self.db.get_database_backend().build(&kept);
        let mut ends: HashMap<Uuid, EndRows<E::Model>> = keys
            .iter()
            .map(|key| {
                (
                    *key,
                    EndRows {
                        rows: Vec::new(),
                        total: 0,
                    },
                )
            })
            .collect();
        for row in self.db.query_all_raw(statement).await? {
            let model = E::Model::from_query_result(&row, "")?;
            let total: i64 = row.try_get("", "total")?;
            let Ok(parent) = <Uuid as ValueType>::try_from(model.get(self.parent)) else {
                continue;
            };
            if let Some(end) = ends.get_mut(&parent) {
                end.total = total as usize;
                end.rows.push(model);
            }
        }
        Ok(ends)
    }
}

impl<E> Loader<(Uuid, End)> for Children<E>
where
    E: EntityTrait + Send + Sync + 'static,
    E::Model: Send + Sync + Clone + 'static,
    E::Column: Send + Sync,
{
    type Value = EndRows<E::Model>;
    type Error = AppError;

    /// One statement per distinct end asked for (a request usually asks one: `last: 5`).
    async fn load(
        &self,
        keys: &[(Uuid, End)],
    ) -> Result<HashMap<(Uuid, End), EndRows<E::Model>>, AppError> {
        let mut by_end: HashMap<End, Vec<Uuid>> = HashMap::new();
        for (parent, end) in keys {
            by_end.entry(*end).or_default().push(*parent);
        }
        let mut loaded = HashMap::new();
        for (end, parents) in by_end {
            for (parent, rows) in self.ends(&parents, end).await? {
                loaded.insert((parent, end), rows);
            }
        }
        Ok(loaded)
    }
}
