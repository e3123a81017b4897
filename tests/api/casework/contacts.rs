//! The service log: minutes from times, what a contact served, missed and made up, billing
//! units and Medicaid readiness, signing and its lock, addenda, restricted notes read on
//! purpose, and who reads what.

use serde_json::{Value, json};

use crate::helpers::{Backend, Client, TestApp, on_both_backends};

const CONTACT: &str = "id version minutes providerCredential signedAt signedBy { id }
    missedReason billable noteRestricted addenda { text }
    medicaidReadiness { ready units missing }";

/// Runs `mutation` with `input` as `client`: the contact, or the user errors as `field:CODE`.
async fn write(client: &Client, mutation: &str, input: Value) -> Result<Value, Vec<String>> {
    let kind = format!("{}{}Input", mutation[..1].to_uppercase(), &mutation[1..]);
    let query = format!(
        "mutation($input: {kind}!) {{ {mutation}(input: $input) {{
            contact {{ {CONTACT} }} userErrors {{ field code }} }} }}"
    );
    let answer = client.query(&query, json!({ "input": input })).await;
    answer.written(mutation, "contact")
}

/// A contact with `student` as `client`, with `extra` input fields.
async fn log(client: &Client, student: &str, extra: Value) -> Result<Value, Vec<String>> {
    let mut input = json!({ "studentId": student, "contactType": "INDIVIDUAL_COUNSELING",
        "date": "2026-09-16", "note": "Talked about mornings" });
    input
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    write(client, "logServiceContact", input).await
}

struct Setting {
    app: TestApp,
    north: String,
    ana: String,
    ben: String,
    sam: String,
    worker: Client,
    case: String,
}

async fn setting(backend: Backend) -> Setting {
    let app = TestApp::spawn(backend).await;
    let north = app.school("North").await;
    let ana = app.student("Ana", "Reyes").await;
    let ben = app.student("Ben", "Okafor").await;
    for student in [&ana, &ben] {
        app.enrollment(student, &north).await;
    }
    let sam = app.staff("Sam", "Social").with("license", "LCSW-123").await;
    let worker = app.as_social_worker(Some(&sam), &[&north]);
    let case = app.case(&ana, &sam).await;
    Setting {
        app,
        north,
        ana,
        ben,
        sam,
        worker,
        case,
    }
}

async fn contacts_derive_minutes_and_lock_when_signed(backend: Backend) {
    let Setting {
        app,
        north,
        ana,
        ben,
        sam,
        worker,
        case,
    } = setting(backend).await;
    let timed = json!({ "startTime": "09:00", "endTime": "09:38", "caseId": case });
    let contact = log(&worker, &ana, timed).await.unwrap();
    assert_eq!(
        (&contact["minutes"], &contact["providerCredential"]),
        (&json!(38), &json!("LCSW-123"))
    );
    let readiness = &contact["medicaidReadiness"];
    assert_eq!(
        readiness["units"], 3,
        "two whole units of 15 and 8 minutes over"
    );
    assert_eq!(
        readiness["missing"],
        json!(["SIGNATURE", "PARENTAL_CONSENT"])
    );

    // Each rule refuses at its field and writes nothing.
    let tia = app.staff("Tia", "Teacher").with("role", "TEACHER").await;
    let ben_case = app.case(&ben, &sam).await;
    for (extra, error) in [
        (
            json!({ "startTime": "09:40", "endTime": "09:10" }),
            "input.endTime:DATES_OUT_OF_ORDER",
        ),
        (
            json!({ "startTime": "9am", "endTime": "09:10" }),
            "input.startTime:INVALID",
        ),
        (
            json!({ "startTime": "09:00", "endTime": "09:30", "minutes": 20 }),
            "input.minutes:INVALID",
        ),
        (json!({}), "input.minutes:REQUIRED"),
        (
            json!({ "minutes": 20, "billable": false }),
            "input.omitReason:REQUIRED",
        ),
        (
            json!({ "minutes": 20, "missedReason": "STUDENT_ABSENT" }),
            "input.minutes:INVALID",
        ),
        (
            json!({ "minutes": 20, "providerId": tia }),
            "input.providerId:INVALID",
        ),
        (
            json!({ "minutes": 20, "caseId": ben_case }),
            "input.caseId:INVALID",
        ),
        (
            json!({ "minutes": 20, "date": "2099-01-01" }),
            "input.date:OUT_OF_RANGE",
        ),
        (
            json!({ "minutes": 20, "makeupForId": contact["id"] }),
            "input.makeupForId:INVALID",
        ),
    ] {
        assert_eq!(
            log(&worker, &ana, extra.clone()).await.unwrap_err(),
            [error],
            "{extra}"
        );
    }
    assert_eq!(app.count_rows("service_contact").await, 1);

    // Unsigned: changed; signed by its provider alone; then locked, corrected by addenda.
    let changed = write(
        &worker,
        "updateServiceContact",
        json!({ "id": contact["id"], "version": 1, "note": "Talked about getting up on time" }),
    )
    .await
    .unwrap();
    let sign = |client: Client, contact: Value| async move {
        write(
            &client,
            "signServiceContact",
            json!({ "id": contact["id"], "version": contact["version"] }),
        )
        .await
    };
    // Only the provider signs or changes it: an admin is refused, nothing written.
    let admin = app.as_admin();
    let by_admin = "mutation($input: SignServiceContactInput!) { signServiceContact(input: $input) { userErrors { code } } }";
    let input = json!({ "id": changed["id"], "version": changed["version"] });
    assert_eq!(
        admin
            .query(by_admin, json!({ "input": input }))
            .await
            .code(),
        "FORBIDDEN"
    );
    let signed = sign(worker.clone(), changed.clone()).await.unwrap();
    assert_eq!(signed["signedBy"]["id"], sam.as_str());
    assert_eq!(
        signed["medicaidReadiness"]["missing"],
        json!(["PARENTAL_CONSENT"])
    );
    assert_eq!(
        sign(worker.clone(), signed.clone()).await.unwrap_err(),
        ["input.id:INVALID_TRANSITION"]
    );
    let edit = json!({ "id": signed["id"], "version": signed["version"], "note": "rewritten" });
    assert_eq!(
        write(&worker, "updateServiceContact", edit)
            .await
            .unwrap_err(),
        ["input.id:INVALID_TRANSITION"]
    );
    let added = write(
        &worker,
        "addContactAddendum",
        json!({ "contactId": signed["id"], "text": "The session ran to 09:40." }),
    )
    .await
    .unwrap();
    assert_eq!(
        added["addenda"],
        json!([{ "text": "The session ran to 09:40." }])
    );

    // Missed, with a makeup due, and made up; a missed contact is not billable.
    let missed = log(
        &worker,
        &ana,
        json!({ "missedReason": "STUDENT_ABSENT", "makeupDue": "2026-09-20" }),
    )
    .await
    .unwrap();
    assert_eq!(
        (&missed["minutes"], &missed["billable"]),
        (&json!(0), &json!(false))
    );
    assert!(
        missed["medicaidReadiness"]["missing"]
            .as_array()
            .unwrap()
            .contains(&json!("NOT_BILLABLE"))
    );
    let unsigned = json!({ "contactId": missed["id"], "text": "x" });
    assert_eq!(
        write(&worker, "addContactAddendum", unsigned)
            .await
            .unwrap_err(),
        ["input.contactId:INVALID_TRANSITION"]
    );
    log(
        &worker,
        &ana,
        json!({ "minutes": 30, "makeupForId": missed["id"] }),
    )
    .await
    .unwrap();

    // Who reads what: school staff nothing, BI the numbers without the words.
    let teacher = app.as_school_staff(None, &[]);
    let by_teacher = "mutation($input: LogServiceContactInput!) { logServiceContact(input: $input) { userErrors { code } } }";
    let input =
        json!({ "studentId": ana, "contactType": "OTHER", "minutes": 5, "providerId": sam });
    assert_eq!(
        teacher
            .query(by_teacher, json!({ "input": input }))
            .await
            .code(),
        "FORBIDDEN"
    );
    let listed =
        "{ students { nodes { serviceContacts { totalCount nodes { minutes contactType } } } } }";
    let bi = app.as_bi();
    let counted = bi.query(listed, json!({})).await.data();
    let totals: Vec<&Value> = counted["students"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| &n["serviceContacts"]["totalCount"])
        .collect();
    assert_eq!(totals.iter().filter(|t| **t == 3).count(), 1, "{totals:?}");
    for words in ["note", "providerCredential", "iep { id }"] {
        let query = listed.replace("contactType", words);
        assert_eq!(
            bi.query(&query, json!({})).await.code(),
            "FORBIDDEN",
            "{words}"
        );
    }
    // A teacher of the student's school sees the student, not the log.
    let log_query =
        "query($id: ID!) { node(id: $id) { ... on Student { serviceContacts { totalCount } } } }";
    let of_north = app.as_school_staff(None, &[&north]);
    let refused = of_north.query(log_query, json!({ "id": ana })).await;
    assert_eq!(refused.code(), "FORBIDDEN", "{}", refused.body);
}

async fn a_restricted_note_is_read_on_purpose_and_audited(backend: Backend) {
    let Setting {
        app, ana, worker, ..
    } = setting(backend).await;
    let restricted =
        json!({ "minutes": 20, "confidentiality": "RESTRICTED", "note": "Disclosed at home" });
    let contact = log(&worker, &ana, restricted).await.unwrap();
    assert_eq!(contact["noteRestricted"], true);
    let admin = app.as_admin();
    let note =
        "query($id: ID!) { node(id: $id) { ... on ServiceContact { note noteRestricted } } }";
    let seen = admin
        .query(note, json!({ "id": contact["id"] }))
        .await
        .data();
    assert_eq!(
        seen["node"],
        json!({ "note": null, "noteRestricted": true })
    );
    let own = worker
        .query(note, json!({ "id": contact["id"] }))
        .await
        .data();
    assert_eq!(
        own["node"]["note"], "Disclosed at home",
        "its provider reads it"
    );

    // Nobody but the provider lifts the restriction; its correction is as restricted.
    let lift = "mutation($input: UpdateServiceContactInput!) { updateServiceContact(input: $input) { userErrors { code } } }";
    let input = json!({ "id": contact["id"], "version": contact["version"], "confidentiality": "STANDARD" });
    assert_eq!(
        admin.query(lift, json!({ "input": input })).await.code(),
        "FORBIDDEN"
    );
    let signed = write(
        &worker,
        "signServiceContact",
        json!({ "id": contact["id"], "version": contact["version"] }),
    )
    .await
    .unwrap();
    let addendum = json!({ "contactId": signed["id"], "text": "Named the stepfather" });
    write(&worker, "addContactAddendum", addendum)
        .await
        .unwrap();
    let corrections =
        "query($id: ID!) { node(id: $id) { ... on ServiceContact { addenda { text } } } }";
    let seen = admin
        .query(corrections, json!({ "id": contact["id"] }))
        .await
        .data();
    assert_eq!(seen["node"]["addenda"], json!([{ "text": null }]));

    let read = "mutation($input: ReadRestrictedNoteInput!) { readRestrictedNote(input: $input) {
        note addenda userErrors { field code } } }";
    let audit = app.count_rows("audit_event").await;
    let blank = admin
        .query(
            read,
            json!({ "input": { "contactId": contact["id"], "reason": " " } }),
        )
        .await
        .data();
    assert_eq!(
        blank["readRestrictedNote"]["userErrors"],
        json!([{ "field": "input.reason", "code": "REQUIRED" }])
    );
    let input = json!({ "contactId": contact["id"], "reason": "Child protective services asked" });
    let answer = admin
        .query(read, json!({ "input": input.clone() }))
        .await
        .data();
    assert_eq!(answer["readRestrictedNote"]["note"], "Disclosed at home");
    assert_eq!(
        answer["readRestrictedNote"]["addenda"],
        json!(["Named the stepfather"])
    );
    assert_eq!(
        app.count_rows("audit_event").await,
        audit + 1,
        "the read is audited"
    );
    assert_eq!(
        app.as_bi()
            .query(read, json!({ "input": input }))
            .await
            .code(),
        "FORBIDDEN"
    );
}

async fn contacts_count_toward_dosage_and_the_monthly_report(backend: Backend) {
    let Setting {
        app,
        ana,
        sam,
        worker,
        case,
        ..
    } = setting(backend).await;
    let reading = app.intervention("Reading").await;
    let plan = app.plan(&ana, &reading).await;
    let iep = app
        .iep(&ana)
        .with("socialWorkMinutesPerWeek", 60)
        .with("iepBeginDate", "2026-08-15")
        .await;
    for extra in [
        json!({ "minutes": 30, "planId": plan }),
        json!({ "minutes": 30, "iepId": iep, "caseId": case }),
        json!({ "minutes": 20, "iepId": iep, "date": "2026-09-22" }),
        json!({ "minutes": 45, "contactType": "HOME_VISIT", "setting": "IN_PERSON" }),
        json!({ "minutes": 15, "contactType": "CRISIS_RESPONSE" }),
        json!({ "missedReason": "PROVIDER_ABSENT", "iepId": iep }),
        json!({ "minutes": 25, "date": "2026-10-02" }),
    ] {
        log(&worker, &ana, extra).await.unwrap();
    }
    let dosage = "query($id: ID!) { node(id: $id) { ... on InterventionPlan { dosage { sessionsDelivered minutesDelivered } } } }";
    let answer = worker.query(dosage, json!({ "id": plan })).await.data();
    assert_eq!(
        answer["node"]["dosage"],
        json!({ "sessionsDelivered": 1, "minutesDelivered": 30 })
    );

    let report = "query($staff: ID!) { caseloadSummary(staffId: $staff, from: \"2026-09-01\", to: \"2026-09-28\") {
        openCasesByArea { areaOfFocus cases } contactsByType { contactType contacts minutes }
        missedContacts homeVisits crisesHandled iepMinutesDelivered iepMinutesOwed } }";
    let summary =
        worker.query(report, json!({ "staff": sam })).await.data()["caseloadSummary"].clone();
    assert_eq!(
        summary["openCasesByArea"],
        json!([{ "areaOfFocus": "GENERAL", "cases": 1 }])
    );
    let mut by_type = summary["contactsByType"].as_array().unwrap().clone();
    by_type.sort_by_key(|row| row["contactType"].as_str().unwrap().to_string());
    assert_eq!(
        by_type,
        [
            json!({ "contactType": "CRISIS_RESPONSE", "contacts": 1, "minutes": 15 }),
            json!({ "contactType": "HOME_VISIT", "contacts": 1, "minutes": 45 }),
            json!({ "contactType": "INDIVIDUAL_COUNSELING", "contacts": 3, "minutes": 80 }),
        ]
    );
    assert_eq!(
        (
            &summary["missedContacts"],
            &summary["homeVisits"],
            &summary["crisesHandled"]
        ),
        (&json!(1), &json!(1), &json!(1))
    );
    let olu = app.staff("Olu", "Other").await;
    let someone_else = app.as_social_worker(Some(&olu), &[]);
    let refused = someone_else.query(report, json!({ "staff": sam })).await;
    assert_eq!(refused.code(), "FORBIDDEN", "another worker's report");
    // 60 minutes a week over the 28 days of the period.
    assert_eq!(
        (&summary["iepMinutesDelivered"], &summary["iepMinutesOwed"]),
        (&json!(50), &json!(240))
    );
}

on_both_backends!(
    contacts_derive_minutes_and_lock_when_signed,
    a_restricted_note_is_read_on_purpose_and_audited,
    contacts_count_toward_dosage_and_the_monthly_report,
);
