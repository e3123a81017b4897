//! Prometheus metrics, one registry per app instance (no global state, so tests and several
//! apps in one process do not mix their numbers). Rendered by the `/metrics` route.

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

pub struct Metrics {
    registry: Registry,
    pub graphql_requests: Family<OperationLabels, Counter>,
    pub graphql_duration: HistogramFamily,
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
        }
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut text = String::new();
        encode(&mut text, &self.registry).expect("writing to a String cannot fail");
        text
    }
}

/// A label-safe operation name: clients choose names, so keep them short and plain.
pub fn operation_label(name: Option<&str>) -> String {
    match name {
        Some(name) if !name.is_empty() => name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(64)
            .collect(),
        _ => "anonymous".into(),
    }
}
