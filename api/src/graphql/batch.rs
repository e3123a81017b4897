//! Pages of a nested relation for every parent of a page, computed once per request.
//!
//! A list (say `schools`) registers the ids of its page; the first nested resolver (the first
//! `School.students`) loads the pages of all those parents at once, under a lock, and the
//! others read its result. No timers: the batch is the parent page itself.

use std::{any::Any, collections::HashMap, future::Future, sync::Arc};

use uuid::Uuid;

use super::pagination::Connection;
use crate::errors::{AppError, AppResult};

/// Loaded pages of one relation and arguments, by parent id (a `HashMap<Uuid, Connection<T>>`).
type Pages = Box<dyn Any + Send + Sync>;

#[derive(Default)]
pub struct PageBatches {
    parents: std::sync::Mutex<HashMap<&'static str, Arc<Vec<Uuid>>>>,
    pages: tokio::sync::Mutex<HashMap<(&'static str, String), Pages>>,
}

impl PageBatches {
    /// Registers the parents of `relation` in the page being resolved.
    pub fn set_parents(&self, relation: &'static str, ids: Vec<Uuid>) {
        self.parents
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(relation, Arc::new(ids));
    }

    /// The page of `relation` for `parent`; `arguments` tells apart selections of the same
    /// relation with different arguments. `load` gets the parents to load pages for.
    pub async fn page<T, F, Fut>(
        &self,
        relation: &'static str,
        arguments: String,
        parent: Uuid,
        load: F,
    ) -> AppResult<Connection<T>>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce(Vec<Uuid>) -> Fut,
        Fut: Future<Output = AppResult<HashMap<Uuid, Connection<T>>>>,
    {
        let registered = self
            .parents
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(relation)
            .cloned();
        let batch = match registered {
            Some(ids) if ids.contains(&parent) => ids.as_ref().clone(),
            _ => vec![parent],
        };
        let mut pages = self.pages.lock().await;
        let cache = pages
            .entry((relation, arguments))
            .or_insert_with(|| Box::new(HashMap::<Uuid, Connection<T>>::new()))
            .downcast_mut::<HashMap<Uuid, Connection<T>>>()
            .ok_or_else(|| internal("a relation was batched with two node types"))?;
        if let Some(page) = cache.get(&parent) {
            return Ok(page.clone());
        }
        let batch: Vec<Uuid> = batch
            .into_iter()
            .filter(|id| !cache.contains_key(id))
            .collect();
        cache.extend(load(batch).await?);
        cache
            .get(&parent)
            .cloned()
            .ok_or_else(|| internal("the batch returned no page for a parent"))
    }
}

fn internal(message: &str) -> AppError {
    AppError::Internal(Arc::new(std::io::Error::other(message.to_string())))
}
