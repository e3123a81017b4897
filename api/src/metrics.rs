//! Prometheus metrics, one registry per app instance (no global state, so tests and several
//! apps in one process do not mix their numbers). Rendered by the `/metrics` route.

use std::{
    collections::HashSet,
    sync::{Mutex, PoisonError},
};

use prometheus_client::{
    encoding::{EncodeLabelSet, text::encode},
    metrics::{counter::Counter, family::Family, histogram::Histogram},
    registry::Registry,
};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OperationLabels {
    pub operation: String,
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OperationName {
    pub operation: String,
}

type HistogramFamily = Family<OperationName, Histogram, fn() -> Histogram>;

/// Most distinct operation names that get series of their own; later names share `other`.
/// Each name adds a counter per outcome and a 15-bucket histogram to every scrape, and clients
/// choose the names: one sending a fresh name per request grew `/metrics` without bound. A
/// district's front ends use a few dozen.
pub const MAX_OPERATION_LABELS: usize = 100;

pub struct Metrics {
    registry: Registry,
    pub graphql_requests: Family<OperationLabels, Counter>,
    pub graphql_duration: HistogramFamily,
    /// Operation names that have series, at most [`MAX_OPERATION_LABELS`].
    operations: Mutex<HashSet<String>>,
}

fn latency_histogram() -> Histogram {
    // 1 ms to ~16 s.
    Histogram::new(prometheus_client::metrics::histogram::exponential_buckets(
        0.001, 2.0, 15,
    ))
}

impl Metrics {
    /// A registry holding the GraphQL metrics and the database statement counter.
    pub fn new(db_statements: Counter) -> Self {
        let mut registry = Registry::with_prefix("ssw");
        let graphql_requests = Family::<OperationLabels, Counter>::default();
        let graphql_duration = HistogramFamily::new_with_constructor(latency_histogram);
        registry.register(
            "graphql_requests",
            "GraphQL requests by operation name and outcome",
            graphql_requests.clone(),
        );
        registry.register(
            "graphql_request_duration_seconds",
            "GraphQL request latency by operation name",
            graphql_duration.clone(),
        );
        registry.register(
            "db_statements",
            "SQL statements run against the database",
            db_statements,
        );
        Self {
            registry,
            graphql_requests,
            graphql_duration,
            operations: Mutex::default(),
        }
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut text = String::new();
        encode(&mut text, &self.registry).expect("writing to a String cannot fail");
        text
    }

    /// The label of an operation name: plain and short (clients choose names), and `other`
    /// once [`MAX_OPERATION_LABELS`] names have series.
    pub fn operation_label(&self, name: Option<&str>) -> String {
        let label: String = match name {
            Some(name) if !name.is_empty() => name
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(64)
                .collect(),
            _ => return "anonymous".into(),
        };
        let mut operations = self
            .operations
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if operations.contains(&label) || operations.len() < MAX_OPERATION_LABELS {
            operations.insert(label.clone());
            label
        } else {
            "other".into()
        }
    }
}
