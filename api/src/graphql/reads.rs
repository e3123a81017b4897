//! What one request read that must be recorded before the answer goes out: the CONFIDENTIAL
//! fields, by student (one audit event each; DESIGN.md section 4), and what went to an outside
//! party (a record of disclosure each, 34 CFR 99.32). Resolvers note each read here; the HTTP
//! handler writes them all before it sends the answer.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{Arc, Mutex, PoisonError},
};

use async_graphql::Context;
use uuid::Uuid;

use crate::db::Disclosed;

/// The reads of one request; clones share them (the handler keeps one, the request another).
#[derive(Clone, Default)]
pub struct RequestReads(Arc<Mutex<Log>>);

#[derive(Default)]
struct Log {
    confidential: BTreeMap<Uuid, BTreeSet<&'static str>>,
    /// By referral and whether refused: one record per referral, naming every field.
    disclosed: BTreeMap<(Uuid, bool), Disclosed>,
}

/// The reads of a request, to be recorded.
#[derive(Default)]
pub struct Taken {
    /// CONFIDENTIAL fields read, by student, each with its fields in order.
    pub confidential: Vec<(Uuid, Vec<&'static str>)>,
    pub disclosures: Vec<Disclosed>,
}

impl RequestReads {
    /// Notes that field `field` (`ServiceContact.note`) of a record about `student` was read.
    pub fn record(&self, student: Uuid, field: &'static str) {
        let mut log = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        log.confidential.entry(student).or_default().insert(field);
    }

    /// Notes a disclosure (or a refused one), merged with the request's others of its referral.
    pub fn disclose(&self, disclosed: Disclosed) {
        let mut log = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (disclosed.referral_id, disclosed.refused.is_some());
        let kept = log.disclosed.entry(key).or_insert_with(|| Disclosed {
            fields: Vec::new(),
            ..disclosed.clone()
        });
        for field in disclosed.fields {
            if !kept.fields.contains(&field) {
                kept.fields.push(field);
            }
        }
    }

    /// The reads so far; emptied.
    pub fn take(&self) -> Taken {
        let mut log = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let log = std::mem::take(&mut *log);
        Taken {
            confidential: log
                .confidential
                .into_iter()
                .map(|(student, fields)| (student, fields.into_iter().collect()))
                .collect(),
            disclosures: log.disclosed.into_values().collect(),
        }
    }
}

/// Notes a read of `field` about `student` in the request's log (a request built without
/// one, as in a unit test, records nothing).
pub fn note_read(ctx: &Context<'_>, student: Uuid, field: &'static str) {
    if let Some(reads) = ctx.data_opt::<RequestReads>() {
        reads.record(student, field);
    }
}

/// Notes a disclosure to an outside party in the request's log.
pub fn note_disclosure(ctx: &Context<'_>, disclosed: Disclosed) {
    if let Some(reads) = ctx.data_opt::<RequestReads>() {
        reads.disclose(disclosed);
    }
}
