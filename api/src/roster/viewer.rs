//! `viewer`: who the token says the caller is.

use super::District;
use super::RosterContext;
use async_graphql::{Context, ID, Object};

use super::{School, Staff, staff};
use crate::{
    auth::{Actor, Role},
    errors::AppResult,
    graphql::{context::ContextExt, ids},
};

/// The caller, as its token describes it (a hub type: `schema` puts its parts together).
pub struct Viewer(pub Actor);

/// The roster's fields of `Viewer`.
pub struct ViewerRoster<'a>(pub &'a Actor);

#[Object]
impl ViewerRoster<'_> {
    /// The district the token belongs to.
    async fn district_id(&self) -> ID {
        ids::encode::<District>(self.0.district_id)
    }
    /// The staff record of the caller, when the token names one.
    async fn staff(&self, ctx: &Context<'_>) -> AppResult<Option<Staff>> {
        match self.0.staff_id {
            Some(id) if self.0.role != Role::BiReader && self.0.role != Role::AgencyPartner => {
                Ok(Some(staff::load(ctx, id).await?))
            }
            _ => Ok(None),
        }
    }
    /// The schools the token limits the caller to (empty: not limited by school).
    async fn schools(&self, ctx: &Context<'_>) -> AppResult<Vec<School>> {
        let found = ctx
            .roster()
            .school
            .load_many(self.0.school_ids.iter().copied())
            .await?;
        Ok(self
            .0
            .school_ids
            .iter()
            .filter_map(|id| found.get(id).cloned().map(School))
            .collect())
    }
}

#[derive(Default)]
pub struct ViewerQuery;

#[Object]
impl ViewerQuery {
    /// Who the caller is.
    async fn viewer(&self, ctx: &Context<'_>) -> AppResult<Viewer> {
        Ok(Viewer(ctx.actor()?.clone()))
    }
}
