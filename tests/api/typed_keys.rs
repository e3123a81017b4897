//! Keyset pages by a DATE column, through `paginate` itself (no list of the API is ordered by
//! a date yet). PostgreSQL refuses to compare a date with a text parameter, so a cursor's key
//! must keep its column's type.

use chrono::NaiveDate;
use entity::enrollment;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Select};
use ssw_api::graphql::pagination::{CursorSeal, EdgeCursor, PageArgs, SortKey, paginate};
use uuid::Uuid;

use crate::helpers::{Backend, SECRET, TestApp, on_both_backends};

fn by_entry_date(descending: bool) -> SortKey<enrollment::Entity> {
    SortKey {
        name: if descending {
            "enrollment.entryDate.desc"
        } else {
            "enrollment.entryDate"
        },
        column: Some(enrollment::Column::EntryDate),
        key_of: |row| Some(row.entry_date.into()),
        descending,
    }
}

/// Every row, page by page: forwards with `first`/`after`, or backwards with `last`/`before`.
async fn walk(
    app: &TestApp,
    select: &Select<enrollment::Entity>,
    sort: &SortKey<enrollment::Entity>,
    backward: bool,
) -> Vec<(NaiveDate, Uuid)> {
    let (mut seen, mut cursor) = (Vec::new(), None);
    let seal = CursorSeal::derive(SECRET.as_bytes());
    loop {
        let args = if backward {
            PageArgs::new(&seal, None, None, Some(3), cursor)
        } else {
            PageArgs::new(&seal, Some(3), cursor, None, None)
        };
        let page = paginate(&app.db, select.clone(), sort, &args)
            .await
            .expect("a page");
        let rows = page.edges.iter().map(|(_, row)| (row.entry_date, row.id));
        if backward {
            seen.splice(0..0, rows);
            if !page.page_info.has_previous_page {
                return seen;
            }
            cursor = page.page_info.start.as_ref().map(EdgeCursor::text);
        } else {
            seen.extend(rows);
            if !page.page_info.has_next_page {
                return seen;
            }
            cursor = page.page_info.end.as_ref().map(EdgeCursor::text);
        }
    }
}

async fn pages_by_a_date_column(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let school = app.school("North").await;
    // Ties on purpose: rows of one date are ordered by id, across page boundaries.
    let dates = [
        "2024-09-03",
        "2024-08-20",
        "2024-10-15",
        "2024-08-20",
        "2025-01-06",
        "2024-09-03",
        "2024-12-12",
        "2024-08-20",
    ];
    for (i, date) in dates.iter().enumerate() {
        let student = app.student("Ann", &format!("Key{i}")).await;
        app.enrollment(&student, &school)
            .with("entryDate", *date)
            .await;
    }
    let select =
        enrollment::Entity::find().filter(enrollment::Column::DistrictId.eq(app.district_id));
    let mut ascending: Vec<(NaiveDate, Uuid)> = select
        .clone()
        .all(&app.db)
        .await
        .expect("the enrollments")
        .iter()
        .map(|row| (row.entry_date, row.id))
        .collect();
    ascending.sort();
    assert_eq!(ascending.len(), dates.len());
    let descending: Vec<_> = ascending.iter().rev().copied().collect();

    for (sort, expected) in [
        (by_entry_date(false), &ascending),
        (by_entry_date(true), &descending),
    ] {
        for backward in [false, true] {
            assert_eq!(
                &walk(&app, &select, &sort, backward).await,
                expected,
                "{} backward={backward}",
                sort.name
            );
        }
    }
}

on_both_backends!(pages_by_a_date_column);
