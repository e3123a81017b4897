//! Pages of a nested relation for every parent of a page, computed once per request.
//!
//! A list (say `schools`) registers the ids of its page; the first nested resolver (the first
//! `School.students`) loads the pages of all those parents at once, under a lock of that
//! relation and arguments only, and the others read its result; other relations load at the
//! same time. No timers: the batch is the parent page itself.

use std::{any::Any, collections::HashMap, future::Future, sync::Arc};

use uuid::Uuid;

use super::pagination::Connection;
use crate::errors::{AppError, AppResult};

/// Loaded pages of one relation and arguments, by parent id (a `HashMap<Uuid, Connection<T>>`),
/// locked while that relation loads (across the await), so that it loads once.
type Pages = Arc<tokio::sync::Mutex<Box<dyn Any + Send + Sync>>>;

#[derive(Default)]
pub struct PageBatches {
    parents: std::sync::Mutex<HashMap<&'static str, Arc<Vec<Uuid>>>>,
    /// Held only to find or add a relation's cell, never across an await.
    pages: std::sync::Mutex<HashMap<(&'static str, String), Pages>>,
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
        let cell = self
            .pages
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry((relation, arguments))
            .or_insert_with(|| {
                Arc::new(tokio::sync::Mutex::new(Box::new(HashMap::<
                    Uuid,
                    Connection<T>,
                >::new())))
            })
            .clone();
        let mut pages = cell.lock().await;
        let cache = pages
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

#[cfg(test)]
mod tests {
    use std::{
        sync::atomic::{AtomicUsize, Ordering},
        time::Duration,
    };

    use tokio::{sync::Barrier, time::timeout};

    use super::*;
    use crate::graphql::pagination::{PageInfo, TotalCount};

    fn empty_page() -> Connection<u8> {
        Connection {
            edges: Vec::new(),
            page_info: PageInfo {
                has_next_page: false,
                has_previous_page: false,
                start: None,
                end: None,
            },
            total: TotalCount::Known(0),
        }
    }

    fn pages_of(parents: Vec<Uuid>) -> HashMap<Uuid, Connection<u8>> {
        parents.into_iter().map(|id| (id, empty_page())).collect()
    }

    /// Each load waits for the other to start: with one lock over every relation, the second
    /// could not start until the first finished, and both would wait forever.
    #[tokio::test]
    async fn different_relations_load_at_the_same_time() {
        let batches = PageBatches::default();
        let both_loading = Barrier::new(2);
        let load = |parents: Vec<Uuid>| async {
            both_loading.wait().await;
            Ok(pages_of(parents))
        };
        let students = batches.page("school.students", String::new(), Uuid::nil(), load);
        let staff = batches.page("school.staff", String::new(), Uuid::nil(), load);
        let (students, staff) = timeout(
            Duration::from_secs(5),
            futures::future::join(students, staff),
        )
        .await
        .expect("the two relations load concurrently");
        assert!(students.is_ok() && staff.is_ok());
    }

    #[tokio::test]
    async fn one_relation_loads_once_for_every_parent_of_the_page() {
        let batches = PageBatches::default();
        let parents: Vec<Uuid> = (0..5).map(|_| Uuid::now_v7()).collect();
        batches.set_parents("school.students", parents.clone());
        let loads = AtomicUsize::new(0);
        let load = |batch: Vec<Uuid>| async {
            loads.fetch_add(1, Ordering::SeqCst);
            // Yield, so the other parents ask while this load is in flight.
            tokio::task::yield_now().await;
            Ok(pages_of(batch))
        };
        let pages = futures::future::join_all(
            parents
                .iter()
                .map(|parent| batches.page("school.students", "first:2".into(), *parent, load)),
        )
        .await;
        assert!(pages.iter().all(Result::is_ok));
        assert_eq!(loads.load(Ordering::SeqCst), 1);

        // Other arguments are another batch.
        batches
            .page("school.students", "first:3".into(), parents[0], load)
            .await
            .expect("a page");
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }
}
