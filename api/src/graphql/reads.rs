//! The CONFIDENTIAL fields one request read, by student: resolvers note each read here, and
//! the HTTP handler writes one audit event per student naming the fields before it sends the
//! answer (DESIGN.md section 4: every read of CONFIDENTIAL data is audited).

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{Arc, Mutex, PoisonError},
};

use async_graphql::Context;
use uuid::Uuid;

/// The reads of one request; clones share them (the handler keeps one, the request another).
#[derive(Clone, Default)]
pub struct ConfidentialReads(Arc<Mutex<BTreeMap<Uuid, BTreeSet<&'static str>>>>);

impl ConfidentialReads {
    /// Notes that field `field` (`ServiceContact.note`) of a record about `student` was read.
    pub fn record(&self, student: Uuid, field: &'static str) {
        let mut reads = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        reads.entry(student).or_default().insert(field);
    }

    /// The reads so far, by student, each with its fields in order; emptied.
    pub fn take(&self) -> Vec<(Uuid, Vec<&'static str>)> {
        let mut reads = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        std::mem::take(&mut *reads)
            .into_iter()
            .map(|(student, fields)| (student, fields.into_iter().collect()))
            .collect()
    }
}

/// Notes a read of `field` about `student` in the request's log (a request built without
/// one, as in a unit test, records nothing).
pub fn note_read(ctx: &Context<'_>, student: Uuid, field: &'static str) {
    if let Some(reads) = ctx.data_opt::<ConfidentialReads>() {
        reads.record(student, field);
    }
}
