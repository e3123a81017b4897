//! Streamed exports of flat datasets for BI (`GET /export/{dataset}.ndjson` or `.csv`): rows
//! read from a database cursor and written out a chunk at a time, so an export of a million
//! rows holds one chunk in memory, not the rows. The rows are produced by a task that stops
//! when the client goes away (its channel closes), which drops the cursor and ends the query.
//! Students are named as the GraphQL API names them to the same caller (a BI reader by
//! pseudonym); no dataset carries names or SIS keys, so a BI reader's export is as
//! pseudonymous as its GraphQL view.

use chrono::{DateTime, NaiveDate, Utc};
use futures::StreamExt;
use sea_orm::{
    Condition, DatabaseConnection, DbBackend, QueryResult, StreamTrait,
    sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement},
};
use serde_json::{Map, Value};
use tokio::sync::mpsc;
use uuid::Uuid;

mod datasets;

pub use datasets::DATASETS;
use datasets::{MONTH, YEAR};

use crate::{
    auth::{
        Actor,
        policy::{self, Educational},
        pseudonym::Pseudonyms,
    },
    db,
    errors::{AppError, AppResult},
    graphql::ids::{self, NodeType},
    roster::Student,
};

/// Bytes gathered before a chunk is sent.
const CHUNK_BYTES: usize = 64 * 1024;

/// How a column's values are read and written.
#[derive(Clone, Copy)]
enum Kind {
    /// A record's id, written as the global id of a node kind (`ids::encode`).
    Node(fn(Uuid) -> String),
    /// A student's id: its global id, or to a caller that knows students by pseudonym, that.
    Student,
    Text,
    /// Text of one value a line: a list in NDJSON, `;`-separated in CSV.
    Lines,
    Bool,
    Float,
    Int,
    /// A count (64 bits on both backends).
    Count,
    Date,
    Time,
}

fn node<T: NodeType>(id: Uuid) -> String {
    ids::encode::<T>(id).to_string()
}

/// A flat dataset: its columns (name, SQL expression, kind), its table, and what it needs.
pub struct Dataset {
    pub name: &'static str,
    columns: &'static [(&'static str, &'static str, Kind)],
    /// The FROM clause (a table, or a join giving each row its student).
    from: &'static str,
    /// The column holding the row's student, for the policy and the school filter.
    student: &'static str,
    /// The column `since` compares with.
    updated_at: &'static str,
    /// For a dataset of groups (a month of a student's days), what it groups by; `since` then
    /// compares with the group's latest `updated_at`.
    group_by: &'static [&'static str],
    data: Educational,
}

/// The output format.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Ndjson,
    Csv,
}

/// What an export asks for.
pub struct Request {
    pub dataset: &'static Dataset,
    pub format: Format,
    /// Rows changed at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Rows about students enrolled in this school today.
    pub school: Option<Uuid>,
}

impl Dataset {
    pub fn named(name: &str) -> Option<&'static Dataset> {
        DATASETS.iter().find(|d| d.name == name)
    }

    /// The statement: the actor's rows (its district, the students it reads), filtered.
    fn query(
        &self,
        actor: &Actor,
        request: &Request,
        backend: DbBackend,
    ) -> AppResult<SelectStatement> {
        let (year, month) = db::year_and_month(backend, "d.date");
        let spelt =
            |expression: &str| Expr::cust(expression.replace(YEAR, &year).replace(MONTH, &month));
        let student = Expr::cust(self.student);
        let mut query = Query::select();
        for (_, expression, _) in self.columns {
            query.expr(spelt(expression));
        }
        query
            .from(Alias::new("export_rows"))
            .cond_where(rows_of_visible_students(actor, self.data, student.clone())?);
        match request.since {
            Some(since) if self.group_by.is_empty() => {
                query.and_where(Expr::cust(self.updated_at).gte(since));
            }
            Some(since) => {
                query.and_having(Expr::cust(self.updated_at).gte(since));
            }
            None => {}
        }
        query.add_group_by(self.group_by.iter().map(|column| spelt(column)));
        if let Some(school) = request.school {
            let enrolled = crate::roster::students::enrolled_ids(school, actor.today);
            query.and_where(student.in_subquery(enrolled));
        }
        for (_, expression, _) in &self.columns[..self.group_by.len().max(1)] {
            query.order_by_expr(spelt(expression), sea_orm::Order::Asc);
        }
        Ok(query)
    }
}

/// The policy's condition on the student of each row (`educational_rows`, by expression).
fn rows_of_visible_students(
    actor: &Actor,
    data: Educational,
    student: Expr,
) -> AppResult<Condition> {
    let visible = policy::students_holding(actor, data)?;
    Ok(Condition::all().add(student.in_subquery(visible)))
}

/// Starts the export: the rows are written to the returned channel a chunk at a time by a
/// task that ends when they are done, when the query fails (the error is logged: the answer
/// has begun), or when the receiver is dropped (the client went away).
pub fn start(
    db: DatabaseConnection,
    actor: &Actor,
    request: Request,
) -> AppResult<mpsc::Receiver<Result<Vec<u8>, std::io::Error>>> {
    let dataset = request.dataset;
    let backend = db.get_database_backend();
    let statement = dataset.query(actor, &request, backend)?;
    let sql = backend.build(&statement);
    // The FROM clause is the dataset's own text (sea-query quotes a table name).
    let sql = sea_orm::Statement::from_sql_and_values(
        sql.db_backend,
        sql.sql.replace("\"export_rows\"", dataset.from),
        sql.values.map(|v| v.0).unwrap_or_default(),
    );
    let (sender, receiver) = mpsc::channel(4);
    let pseudonyms = actor.pseudonyms.clone();
    tokio::spawn(async move {
        let students = pseudonyms.as_ref();
        if let Err(error) = write_rows(&db, sql, dataset, request.format, students, &sender).await {
            tracing::warn!(%error, dataset = dataset.name, "export stopped");
        }
    });
    Ok(receiver)
}

async fn write_rows(
    db: &DatabaseConnection,
    sql: sea_orm::Statement,
    dataset: &Dataset,
    format: Format,
    pseudonyms: Option<&Pseudonyms>,
    sender: &mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
) -> AppResult<()> {
    let mut rows = db.stream_raw(sql).await?;
    let mut chunk = Vec::with_capacity(CHUNK_BYTES * 2);
    if format == Format::Csv {
        let names: Vec<&str> = dataset.columns.iter().map(|c| c.0).collect();
        chunk.extend_from_slice(names.join(",").as_bytes());
        chunk.push(b'\n');
    }
    while let Some(row) = rows.next().await {
        let values = read_row(&row?, dataset, pseudonyms)?;
        match format {
            Format::Ndjson => {
                let object: Map<String, Value> = dataset
                    .columns
                    .iter()
                    .map(|c| c.0.to_string())
                    .zip(values)
                    .collect();
                serde_json::to_writer(&mut chunk, &object).map_err(AppError::internal)?;
                chunk.push(b'\n');
            }
            Format::Csv => {
                let mut writer = csv::Writer::from_writer(&mut chunk);
                let cells = values.iter().map(|v| match v {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    Value::Array(items) => {
                        let items = items.iter().filter_map(Value::as_str);
                        items.collect::<Vec<_>>().join(";")
                    }
                    other => other.to_string(),
                });
                writer.write_record(cells).map_err(AppError::internal)?;
                writer.flush().map_err(AppError::internal)?;
            }
        }
        if chunk.len() >= CHUNK_BYTES {
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_BYTES * 2));
            if sender.send(Ok(full)).await.is_err() {
                return Ok(()); // the client went away
            }
        }
    }
    let _ = sender.send(Ok(chunk)).await;
    Ok(())
}

/// A row's values, as JSON, in the dataset's column order.
fn read_row(
    row: &QueryResult,
    dataset: &Dataset,
    pseudonyms: Option<&Pseudonyms>,
) -> AppResult<Vec<Value>> {
    dataset
        .columns
        .iter()
        .enumerate()
        .map(|(i, (_, _, kind))| {
            Ok(match kind {
                Kind::Node(encode) => {
                    let id: Option<Uuid> = row.try_get_by_index(i)?;
                    id.map_or(Value::Null, |id| Value::String(encode(id)))
                }
                Kind::Student => {
                    let id: Option<Uuid> = row.try_get_by_index(i)?;
                    id.map_or(Value::Null, |id| {
                        Value::String(match pseudonyms {
                            Some(pseudonyms) => pseudonyms.student(id),
                            None => node::<Student>(id),
                        })
                    })
                }
                Kind::Text => row
                    .try_get_by_index::<Option<String>>(i)?
                    .map_or(Value::Null, Value::String),
                Kind::Lines => row
                    .try_get_by_index::<Option<String>>(i)?
                    .map_or(Value::Null, |text| text.lines().collect()),
                Kind::Bool => row
                    .try_get_by_index::<Option<bool>>(i)?
                    .map_or(Value::Null, Value::from),
                Kind::Count => row
                    .try_get_by_index::<Option<i64>>(i)?
                    .map_or(Value::Null, Value::from),
                Kind::Float => row
                    .try_get_by_index::<Option<f64>>(i)?
                    .map_or(Value::Null, Value::from),
                Kind::Int => row
                    .try_get_by_index::<Option<i32>>(i)?
                    .map_or(Value::Null, Value::from),
                Kind::Date => row
                    .try_get_by_index::<Option<NaiveDate>>(i)?
                    .map_or(Value::Null, |d| Value::String(d.to_string())),
                Kind::Time => row
                    .try_get_by_index::<Option<DateTime<Utc>>>(i)?
                    .map_or(Value::Null, |t| Value::String(t.to_rfc3339())),
            })
        })
        .collect()
}
