//! MTSS through HTTP: tiers, the catalogue, plans and their derived fields (numbers checked by
//! hand), IEP/504, McKinney-Vento, attendance, the worklist queries, and each role's access.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::helpers::{Backend, Client, Response, TestApp, on_both_backends};

/// `mutation`'s payload under `field`, asserting it has no user errors.
async fn write(client: &Client, mutation: &str, field: &str, input: Value) -> Value {
    client
        .query(mutation, json!({ "input": input }))
        .await
        .payload(field)
}

/// The user errors of a mutation, as `field:CODE`.
async fn refused(client: &Client, mutation: &str, field: &str, input: Value) -> Vec<String> {
    client
        .query(mutation, json!({ "input": input }))
        .await
        .user_errors(field)
}

const PLACE: &str = "mutation($input: PlaceInTierInput!) { placeInTier(input: $input) { placement { id tier current effectiveTo } userErrors { field code } } }";
const CREATE_INTERVENTION: &str = "mutation($input: CreateInterventionInput!) { createIntervention(input: $input) { intervention { id name } userErrors { field code } } }";
const CREATE_PLAN: &str = "mutation($input: CreateInterventionPlanInput!) { createInterventionPlan(input: $input) { plan { id } userErrors { field code } } }";
const POINT: &str = "mutation($input: RecordProgressPointInput!) { recordProgressPoint(input: $input) { progressPoint { value expected } userErrors { field code } } }";
const SESSION: &str = "mutation($input: RecordInterventionSessionInput!) { recordInterventionSession(input: $input) { session { attended minutes } userErrors { field code } } }";
const CREATE_IEP: &str = "mutation($input: CreateIepParticipationInput!) { createIepParticipation(input: $input) { participation { id reviewOverdue } userErrors { field code } } }";
const IDENTIFY: &str = "mutation($input: IdentifyHomelessInput!) { identifyHomeless(input: $input) { status { id services } userErrors { field code } } }";
const ATTENDANCE: &str = "mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { created updated userErrors { field code } } }";

const DOUBLED_UP: &str = "uri://ed-fi.org/HomelessPrimaryNighttimeResidenceDescriptor#Doubled-up";
const TRANSPORTATION: &str = "uri://ed-fi.org/HomelessProgramServiceDescriptor#Transportation";
const AUTISM: &str = "uri://ed-fi.org/DisabilityDescriptor#Autism";

async fn intervention(app: &TestApp, name: &str, domains: &[&str], tier: i32) -> String {
    let input = json!({ "name": name, "description": format!("{name}, described."), "domains": domains, "tier": tier,
        "evidenceLevel": "MODERATE", "delivery": "INDIVIDUAL", "defaultSessionsPerWeek": 2, "defaultMinutesPerSession": 30 });
    write(
        &app.as_admin(),
        CREATE_INTERVENTION,
        "createIntervention",
        input,
    )
    .await["intervention"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A plan from Sep 1 to Sep 29, 2026, baseline 10, target 40 (the aim line rises 30 in 28 days).
async fn plan(token: &Client, student: &str, intervention: &str) -> String {
    let input = json!({ "studentId": student, "interventionId": intervention, "startDate": "2026-09-01", "plannedEndDate": "2026-09-29",
        "goal": "Read 40 words correct per minute", "measure": "words correct per minute", "baseline": 10.0, "target": 40.0 });
    write(token, CREATE_PLAN, "createInterventionPlan", input).await["plan"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn points(app: &TestApp, plan: &str, values: &[(&str, f64)]) {
    for (date, value) in values {
        write(
            &app.as_admin(),
            POINT,
            "recordProgressPoint",
            json!({ "planId": plan, "date": date, "value": value }),
        )
        .await;
    }
}

/// Attendance on `days` consecutive days before today, the first `absent` of them unexcused.
async fn attendance(token: &Client, student: &str, school: &str, days: i64, absent: i64) -> Value {
    let today = Utc::now().date_naive();
    let entries: Vec<Value> = (1..=days)
        .map(|n| {
            let status = if n <= absent { "UNEXCUSED" } else { "PRESENT" };
            json!({ "studentId": student, "schoolId": school, "date": (today - Duration::days(n)).to_string(), "status": status })
        })
        .collect();
    token
        .query(ATTENDANCE, json!({ "input": { "days": entries } }))
        .await
        .data()["recordAttendance"]
        .clone()
}

async fn tier_placements_keep_one_current_per_domain(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let student = app.create_student("Tia", "Tier", "04").await;
    let first = json!({ "studentId": student, "domain": "BEHAVIOR", "tier": 2, "effectiveFrom": "2026-09-01", "decidedBy": "MTSS team" });
    write(&admin, PLACE, "placeInTier", first).await;
    let audits = app.count_rows("audit_event").await;
    let second = json!({ "studentId": student, "domain": "BEHAVIOR", "tier": 3, "effectiveFrom": "2026-10-15", "decidedBy": "MTSS team", "rationale": "No response to tier 2" });
    write(&admin, PLACE, "placeInTier", second).await;
    assert_eq!(
        app.count_rows("audit_event").await,
        audits + 2,
        "closing the old and opening the new are both audited"
    );
    write(&admin, PLACE, "placeInTier", json!({ "studentId": student, "domain": "ACADEMIC", "tier": 1, "effectiveFrom": "2026-09-01", "decidedBy": "MTSS team" })).await;

    let data = admin.query( "query($id: ID!) { student(id: $id) { currentTiers { domain tier } tierHistory { totalCount nodes { tier effectiveFrom effectiveTo current } } } }", json!({ "id": student })).await.data();
    assert_eq!(
        data["student"]["currentTiers"],
        json!([{ "domain": "ACADEMIC", "tier": 1 }, { "domain": "BEHAVIOR", "tier": 3 }])
    );
    let history = &data["student"]["tierHistory"];
    assert_eq!(history["totalCount"], 3);
    let closed = history["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["tier"] == 2)
        .unwrap();
    assert_eq!(
        closed["effectiveTo"], "2026-10-14",
        "the old placement ends the day before the new one"
    );
    assert_eq!(closed["current"], false);

    assert_eq!(refused(&admin, PLACE, "placeInTier", json!({ "studentId": student, "domain": "BEHAVIOR", "tier": 4, "effectiveFrom": "2026-11-01", "decidedBy": "T" })).await, ["input.tier:OUT_OF_RANGE"]);
    assert_eq!(
        refused(&admin, PLACE, "placeInTier", json!({ "studentId": student, "domain": "BEHAVIOR", "tier": 2, "effectiveFrom": "2026-10-01", "decidedBy": "T" })).await,
        ["input.effectiveFrom:DATES_OUT_OF_ORDER"]
    );
}

async fn concurrent_placements_never_leave_two_current(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let student = app.create_student("Cora", "Current", "04").await;
    let admin = app.as_admin();
    let attempts = (0..6).map(|i| {
        let input = json!({ "input": { "studentId": student, "domain": "ATTENDANCE", "tier": 1 + i % 3, "effectiveFrom": format!("2026-09-{:02}", 1 + i), "decidedBy": "T" } });
        admin.query(PLACE, input)
    });
    let results = futures::future::join_all(attempts).await;
    let succeeded = results
        .iter()
        .filter(|Response { body, .. }| body["data"]["placeInTier"]["placement"].is_object())
        .count();
    assert!(succeeded >= 1, "{results:?}");
    for Response { body, .. } in &results {
        if body["data"]["placeInTier"]["placement"].is_null() {
            let refused = body["errors"][0]["extensions"]["code"] == "CONFLICT"
                || !body["data"]["placeInTier"]["userErrors"]
                    .as_array()
                    .unwrap()
                    .is_empty();
            assert!(refused, "a losing writer is refused clearly: {body}");
        }
    }
    let data = admin.query( "query($id: ID!) { student(id: $id) { currentTiers { domain } tierHistory { nodes { current } } } }", json!({ "id": student })).await.data();
    assert_eq!(
        data["student"]["currentTiers"].as_array().unwrap().len(),
        1,
        "exactly one current placement"
    );
    let current = data["student"]["tierHistory"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["current"] == true)
        .count();
    assert_eq!(current, 1);
}

async fn the_catalogue_is_kept_by_admins(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    intervention(&app, "Check-In/Check-Out", &["BEHAVIOR"], 2).await;
    intervention(
        &app,
        "Attendance mentoring",
        &["ATTENDANCE", "SOCIAL_EMOTIONAL"],
        2,
    )
    .await;
    intervention(&app, "Good Behavior Game", &["BEHAVIOR"], 1).await;
    let admin = app.as_admin();
    let data = admin.query( "{ behavior: interventions(filter: { domain: BEHAVIOR }) { totalCount nodes { name } } tier2: interventions(filter: { tier: 2 }) { totalCount } }", json!({})).await.data();
    assert_eq!(data["behavior"]["totalCount"], 2);
    assert_eq!(data["behavior"]["nodes"][0]["name"], "Check-In/Check-Out");
    assert_eq!(data["tier2"]["totalCount"], 2);
    let duplicate = json!({ "name": "Good Behavior Game", "description": "again", "domains": ["BEHAVIOR"], "tier": 1, "evidenceLevel": "STRONG", "delivery": "CLASSWIDE", "defaultSessionsPerWeek": 5, "defaultMinutesPerSession": 10 });
    assert_eq!(
        refused(
            &admin,
            CREATE_INTERVENTION,
            "createIntervention",
            duplicate.clone()
        )
        .await,
        ["input.name:DUPLICATE"]
    );
    let worker = app.as_social_worker(None, &[]);
    assert_eq!(
        worker
            .query(CREATE_INTERVENTION, json!({ "input": duplicate }))
            .await
            .code(),
        "FORBIDDEN"
    );
    assert_eq!(
        worker
            .query("{ interventions { totalCount } }", json!({}))
            .await
            .data()["interventions"]["totalCount"],
        3,
        "staff read the catalogue"
    );
    assert_eq!(
        app.as_agency(None)
            .query("{ interventions { totalCount } }", json!({}))
            .await
            .code(),
        "FORBIDDEN"
    );
}

const PLAN_VIEW: &str = "query($id: ID!) { node(id: $id) { ... on InterventionPlan {
    decision trend aimLine { date expected }
    progressPoints(last: 5) { totalCount nodes { date value expected } }
    dosage { sessionsPlanned sessionsDelivered minutesPlanned minutesDelivered deliveredRatio } } } }";

async fn plans_derive_aim_line_trend_decision_and_dosage(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let reading = intervention(&app, "Small-group reading", &["ACADEMIC"], 2).await;
    let student = app.create_student("Pia", "Plan", "03").await;
    let id = plan(&admin, &student, &reading).await;

    let early = admin.query(PLAN_VIEW, json!({ "id": id })).await.data();
    assert_eq!(early["node"]["decision"], "INSUFFICIENT_DATA");
    assert!(early["node"]["trend"].is_null());

    // Expected on Sep 8, 15, 22, 29: 17.5, 25, 32.5, 40; every point falls short.
    points(
        &app,
        &id,
        &[
            ("2026-09-08", 17.0),
            ("2026-09-15", 24.0),
            ("2026-09-22", 30.0),
            ("2026-09-29", 39.9),
        ],
    )
    .await;
    let view = admin.query(PLAN_VIEW, json!({ "id": id })).await.data()["node"].clone();
    assert_eq!(view["decision"], "INTENSIFY");
    assert_eq!(
        view["aimLine"],
        json!([
            { "date": "2026-09-01", "expected": 10.0 }, { "date": "2026-09-08", "expected": 17.5 }, { "date": "2026-09-15", "expected": 25.0 },
            { "date": "2026-09-22", "expected": 32.5 }, { "date": "2026-09-29", "expected": 40.0 }
        ])
    );
    assert_eq!(
        view["progressPoints"]["nodes"][1],
        json!({ "date": "2026-09-15", "value": 24.0, "expected": 25.0 })
    );
    // Weeks 0..3, values 17, 24, 30, 39.9: mean 27.725; sxy = 16.0875 + 1.8625 + 1.1375 + 18.2625 = 37.35; sxx = 5.
    assert!(
        (view["trend"].as_f64().unwrap() - 7.47).abs() < 1e-9,
        "{}",
        view["trend"]
    );

    // Two sessions attended of three; 2 a week planned from Sep 1 to Sep 29 = 29/7 * 2 = 8.29 -> 8.
    for (date, attended) in [
        ("2026-09-02", true),
        ("2026-09-04", true),
        ("2026-09-09", false),
    ] {
        write(
            &admin,
            SESSION,
            "recordInterventionSession",
            json!({ "planId": id, "date": date, "attended": attended, "minutes": 30 }),
        )
        .await;
    }
    let dosage = admin.query(PLAN_VIEW, json!({ "id": id })).await.data()["node"]["dosage"].clone();
    assert_eq!(
        dosage,
        json!({ "sessionsPlanned": 8, "sessionsDelivered": 2, "minutesPlanned": 240, "minutesDelivered": 60, "deliveredRatio": 0.25 })
    );

    // Four points beyond the line on another plan: consider exit.
    let other = intervention(&app, "Math fluency", &["ACADEMIC"], 2).await;
    let ahead = plan(&admin, &student, &other).await;
    points(
        &app,
        &ahead,
        &[
            ("2026-09-08", 18.0),
            ("2026-09-15", 26.0),
            ("2026-09-22", 33.0),
            ("2026-09-29", 41.0),
        ],
    )
    .await;
    assert_eq!(
        admin.query(PLAN_VIEW, json!({ "id": ahead })).await.data()["node"]["decision"],
        "CONSIDER_EXIT"
    );
}

async fn plan_rules_are_user_errors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let reading = intervention(&app, "Small-group reading", &["ACADEMIC"], 2).await;
    let student = app.create_student("Rui", "Rules", "03").await;
    let id = plan(&admin, &student, &reading).await;
    let again = json!({ "studentId": student, "interventionId": reading, "startDate": "2026-10-01", "plannedEndDate": "2026-12-01", "goal": "g", "measure": "m", "baseline": 1.0, "target": 2.0 });
    assert_eq!(
        refused(&admin, CREATE_PLAN, "createInterventionPlan", again).await,
        ["input.interventionId:DUPLICATE"]
    );
    let backwards = json!({ "studentId": student, "interventionId": intervention(&app, "Other", &["BEHAVIOR"], 2).await, "tier": 5,
        "startDate": "2026-10-01", "plannedEndDate": "2026-09-01", "goal": "g", "measure": "m", "baseline": 1.0, "target": 2.0 });
    assert_eq!(
        refused(&admin, CREATE_PLAN, "createInterventionPlan", backwards).await,
        [
            "input.tier:OUT_OF_RANGE",
            "input.plannedEndDate:DATES_OUT_OF_ORDER"
        ]
    );
    assert_eq!(
        refused(
            &admin,
            POINT,
            "recordProgressPoint",
            json!({ "planId": id, "date": "2026-10-05", "value": 20.0 })
        )
        .await,
        ["input.date:OUT_OF_RANGE"]
    );
    assert_eq!(
        refused(
            &admin,
            SESSION,
            "recordInterventionSession",
            json!({ "planId": id, "date": "2026-08-20", "attended": true, "minutes": 30 })
        )
        .await,
        ["input.date:OUT_OF_RANGE"]
    );

    // Once the plan is completed, a new plan of the same intervention may start.
    let done = admin.query( "mutation($id: ID!) { updateInterventionPlan(input: { id: $id, version: 1, status: COMPLETED, outcome: GOAL_MET, actualEndDate: \"2026-09-29\" }) { plan { status outcome } userErrors { field } } }", json!({ "id": id })).await.data();
    assert_eq!(
        done["updateInterventionPlan"]["plan"]["outcome"],
        "GOAL_MET"
    );
    let next = json!({ "studentId": student, "interventionId": reading, "startDate": "2026-10-01", "plannedEndDate": "2026-12-01", "goal": "g", "measure": "m", "baseline": 1.0, "target": 2.0 });
    write(&admin, CREATE_PLAN, "createInterventionPlan", next).await;
}

async fn iep_records_and_reviews_due(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let school = app.create_school("Review Elementary").await;
    let today = Utc::now().date_naive();
    let mut ids = Vec::new();
    for (name, due_in) in [("Soon", 10), ("Overdue", -5), ("Later", 90)] {
        let student = app.create_student(name, "Iep", "04").await;
        app.enroll(&student, &school, "2025-08-20", None).await;
        let input = json!({ "studentId": student, "planType": "IEP", "status": "ACTIVE", "primaryDisability": AUTISM,
            "iepBeginDate": "2025-01-10", "iepLastReviewDate": (today + Duration::days(due_in) - Duration::days(365)).to_string(),
            "iepReviewDueDate": (today + Duration::days(due_in)).to_string(), "socialWorkMinutesPerWeek": 30, "socialWorkerRoles": ["SOCIAL_HISTORY", "COUNSELING_SERVICE"] });
        let created = write(&admin, CREATE_IEP, "createIepParticipation", input).await;
        assert_eq!(created["participation"]["reviewOverdue"], due_in < 0);
        ids.push(created["participation"]["id"].as_str().unwrap().to_string());
    }
    let due = admin.query( "query($school: ID!) { iepReviewsDue(within: 30, schoolId: $school) { totalCount nodes { student { legalFirstName } reviewOverdue socialWorkerRoles } } }", json!({ "school": school })).await.data();
    let names: Vec<&str> = due["iepReviewsDue"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["student"]["legalFirstName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Overdue", "Soon"],
        "overdue first, then by due date; later ones excluded"
    );
    assert_eq!(
        due["iepReviewsDue"]["nodes"][1]["socialWorkerRoles"],
        json!(["SOCIAL_HISTORY", "COUNSELING_SERVICE"])
    );

    let student = app.create_student("Bad", "Code", "04").await;
    let bad = json!({ "studentId": student, "planType": "IEP", "status": "ACTIVE", "primaryDisability": "uri://ed-fi.org/DisabilityDescriptor#Grumpiness" });
    assert_eq!(
        refused(&admin, CREATE_IEP, "createIepParticipation", bad).await,
        ["input.primaryDisability:INVALID"]
    );

    let meeting = admin.query( "mutation($id: ID!) { recordIepMeeting(input: { participationId: $id, meetingType: ANNUAL, date: \"2026-11-01\", attendees: [\"R. Diaz (social worker)\", \"Parent\"] }) { meeting { meetingType attendees } userErrors { field } } }", json!({ "id": ids[0] })).await.data();
    assert_eq!(
        meeting["recordIepMeeting"]["meeting"]["attendees"],
        json!(["R. Diaz (social worker)", "Parent"])
    );
}

async fn mckinney_vento_with_descriptors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let student = app.create_student("Hana", "Home", "06").await;
    let created = write(&admin, IDENTIFY, "identifyHomeless", json!({ "studentId": student, "identifiedDate": "2026-09-10", "primaryNighttimeResidence": DOUBLED_UP, "services": [TRANSPORTATION] })).await;
    assert_eq!(created["status"]["services"], json!([TRANSPORTATION]));
    let again = json!({ "studentId": student, "identifiedDate": "2026-10-01", "primaryNighttimeResidence": DOUBLED_UP });
    assert_eq!(
        refused(&admin, IDENTIFY, "identifyHomeless", again).await,
        ["input.studentId:DUPLICATE"]
    );

    let other = app.create_student("Ivan", "Motel", "06").await;
    let laundry = "uri://riverbend.example.org/HomelessProgramServiceDescriptor#Laundry vouchers";
    let unknown = json!({ "studentId": other, "identifiedDate": "2026-10-01", "primaryNighttimeResidence": DOUBLED_UP, "services": [laundry] });
    assert_eq!(
        refused(&admin, IDENTIFY, "identifyHomeless", unknown.clone()).await,
        ["input.services:INVALID"]
    );
    // The district adds its own service code; then it is accepted.
    let descriptor = admin.query( "mutation { createDescriptor(input: { set: HOMELESS_PROGRAM_SERVICE, namespace: \"uri://riverbend.example.org\", codeValue: \"Laundry vouchers\", shortDescription: \"Laundromat vouchers\" }) { descriptor { uri districtDefined } userErrors { field } } }", json!({})).await.data();
    assert_eq!(descriptor["createDescriptor"]["descriptor"]["uri"], laundry);
    write(&admin, IDENTIFY, "identifyHomeless", unknown).await;

    let list = admin.query( "{ homelessStudents { totalCount nodes { student { legalFirstName } primaryNighttimeResidence } } }", json!({})).await.data();
    assert_eq!(list["homelessStudents"]["totalCount"], 2);
    let filtered = admin.query( "{ students(filter: { homeless: true }) { totalCount } notHomeless: students(filter: { homeless: false }) { totalCount } }", json!({})).await.data();
    assert_eq!(filtered["students"]["totalCount"], 2);
    assert_eq!(filtered["notHomeless"]["totalCount"], 0);
}

async fn attendance_rates_and_chronic_absence(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let school = app.create_school("Attendance Elementary").await;
    let chronic = app.create_student("Cal", "Chronic", "04").await;
    let steady = app.create_student("Sam", "Steady", "04").await;
    // 3 of 20 days absent is 15%: chronic. 1 of 20 is 5%: not. 2 of 20 is exactly 10%: chronic.
    assert_eq!(
        attendance(&admin, &chronic, &school, 20, 3).await["created"],
        20
    );
    attendance(&admin, &steady, &school, 20, 1).await;
    let edge = app.create_student("Eve", "Edge", "04").await;
    attendance(&app.as_sis(), &edge, &school, 20, 2).await;

    let query = "query($id: ID!) { student(id: $id) { attendance { enrolledDays daysPresent daysAbsent unexcusedAbsences attendanceRate chronicallyAbsent } } }";
    let summary =
        admin.query(query, json!({ "id": chronic })).await.data()["student"]["attendance"].clone();
    assert_eq!(
        summary,
        json!({ "enrolledDays": 20, "daysPresent": 17, "daysAbsent": 3, "unexcusedAbsences": 3, "attendanceRate": 0.85, "chronicallyAbsent": true })
    );
    assert_eq!(
        admin.query(query, json!({ "id": steady })).await.data()["student"]["attendance"]["chronicallyAbsent"],
        false
    );
    assert_eq!(
        admin.query(query, json!({ "id": edge })).await.data()["student"]["attendance"]["chronicallyAbsent"],
        true,
        "exactly 10% counts"
    );

    let lists = admin.query( "{ yes: students(first: 1, filter: { chronicallyAbsent: true }) { totalCount nodes { legalLastName } } no: students(filter: { chronicallyAbsent: false }) { totalCount } }", json!({})).await.data();
    assert_eq!(
        lists["yes"]["totalCount"], 2,
        "pages and counts agree: the condition is in SQL"
    );
    assert_eq!(lists["yes"]["nodes"].as_array().unwrap().len(), 1);
    assert_eq!(lists["no"]["totalCount"], 1);

    // Recording a day again replaces it; future days are refused.
    let today = Utc::now().date_naive();
    let replace = json!({ "days": [{ "studentId": steady, "schoolId": school, "date": (today - Duration::days(1)).to_string(), "status": "EXCUSED" }] });
    assert_eq!(
        admin
            .query(ATTENDANCE, json!({ "input": replace }))
            .await
            .data()["recordAttendance"]["updated"],
        1
    );
    let future = json!({ "days": [{ "studentId": steady, "schoolId": school, "date": (today + Duration::days(2)).to_string(), "status": "PRESENT" }] });
    assert_eq!(
        refused(&admin, ATTENDANCE, "recordAttendance", future).await,
        ["input.days.0.date:OUT_OF_RANGE"]
    );
    let day = json!({ "studentId": steady, "schoolId": school, "date": (today - Duration::days(3)).to_string(), "status": "PRESENT" });
    let twice = json!({ "days": [day.clone(), day] });
    assert_eq!(
        refused(&admin, ATTENDANCE, "recordAttendance", twice).await,
        ["input.days.1.date:DUPLICATE"],
        "a day listed twice is refused, nothing written"
    );
    assert_eq!(
        app.as_social_worker(None, &[])
            .query(ATTENDANCE, json!({ "input": { "days": [] } }))
            .await
            .code(),
        "FORBIDDEN"
    );
}

/// A school with: `a` chronically absent and in tier 3; `b` in tier 3 only; `c` with a plan to
/// intensify and an overdue IEP review.
async fn early_warning_school(app: &TestApp) -> (String, [String; 3]) {
    let admin = app.as_admin();
    let school = app.create_school("Warning Elementary").await;
    let mut students = Vec::new();
    for name in ["Alpha", "Bravo", "Charlie"] {
        let id = app.create_student(name, "Warn", "04").await;
        app.enroll(&id, &school, "2025-08-20", None).await;
        students.push(id);
    }
    let [a, b, c] = [
        students[0].clone(),
        students[1].clone(),
        students[2].clone(),
    ];
    attendance(&admin, &a, &school, 10, 3).await;
    attendance(&admin, &b, &school, 10, 0).await;
    for student in [&a, &b] {
        write(&admin, PLACE, "placeInTier", json!({ "studentId": student, "domain": "BEHAVIOR", "tier": 3, "effectiveFrom": "2026-09-01", "decidedBy": "T" })).await;
    }
    let reading = intervention(app, "Small-group reading", &["ACADEMIC"], 2).await;
    let falling = plan(&admin, &c, &reading).await;
    points(
        app,
        &falling,
        &[
            ("2026-09-08", 12.0),
            ("2026-09-15", 13.0),
            ("2026-09-22", 14.0),
            ("2026-09-29", 15.0),
        ],
    )
    .await;
    let overdue = (Utc::now().date_naive() - Duration::days(3)).to_string();
    write(&admin, CREATE_IEP, "createIepParticipation", json!({ "studentId": c, "planType": "IEP", "status": "ACTIVE", "iepReviewDueDate": overdue })).await;
    (school, [a, b, c])
}

async fn early_warning_lists_students_with_two_signs(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (school, [a, _b, c]) = early_warning_school(&app).await;
    let data = app.as_admin().query( "query($s: ID!) { earlyWarning(schoolId: $s) { totalCount nodes { student { id } reasons } } }", json!({ "s": school })).await.data();
    let list = &data["earlyWarning"];
    assert_eq!(list["totalCount"], 2, "{list}");
    let reasons = |id: &str| {
        list["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["student"]["id"] == id)
            .unwrap()["reasons"]
            .clone()
    };
    assert_eq!(reasons(&a), json!(["CHRONICALLY_ABSENT", "TIER_3"]));
    assert_eq!(
        reasons(&c),
        json!(["PLAN_NEEDS_INTENSIFYING", "IEP_REVIEW_OVERDUE"])
    );
}

async fn mtss_summary_counts_with_sql_aggregates(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (school, [_, _, c]) = early_warning_school(&app).await;
    let admin = app.as_admin();
    // One ended plan with an outcome.
    let other = intervention(&app, "Check-In/Check-Out", &["BEHAVIOR"], 2).await;
    let ended = plan(&admin, &c, &other).await;
    admin.query( "mutation($id: ID!) { updateInterventionPlan(input: { id: $id, version: 1, status: COMPLETED, outcome: NO_PROGRESS, actualEndDate: \"2026-09-29\" }) { plan { id } } }", json!({ "id": ended })).await.data();
    let data = admin.query( "query($s: ID!) { mtssSummary(schoolId: $s) { tierCounts { domain tier students } activePlans { intervention { name } activePlans } outcomes { outcome plans } } }", json!({ "s": school })).await.data();
    let summary = &data["mtssSummary"];
    assert_eq!(
        summary["tierCounts"],
        json!([{ "domain": "BEHAVIOR", "tier": 3, "students": 2 }])
    );
    assert_eq!(
        summary["activePlans"],
        json!([{ "intervention": { "name": "Small-group reading" }, "activePlans": 1 }])
    );
    assert_eq!(
        summary["outcomes"],
        json!([{ "outcome": "NO_PROGRESS", "plans": 1 }])
    );
    // On a date before the placements, no student was in a tier.
    let before = admin.query( "query($s: ID!) { mtssSummary(schoolId: $s, date: \"2026-08-25\") { tierCounts { tier } } }", json!({ "s": school })).await.data();
    assert_eq!(before["mtssSummary"]["tierCounts"], json!([]));
}

async fn each_role_sees_what_the_policy_allows(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (school, [a, _b, c]) = early_warning_school(&app).await;
    let elsewhere = app.create_school("Elsewhere Elementary").await;
    let student = |field: &str| format!("query($id: ID!) {{ student(id: $id) {{ {field} }} }}");
    let teacher = app.as_school_staff(None, &[&school]);
    let worker = app.as_social_worker(None, &[&school]);
    let outsider = app.as_social_worker(None, &[&elsewhere]);
    let bi = app.as_bi();
    let id = json!({ "id": c });

    // School staff: only that an IEP/504 exists.
    assert_eq!(
        teacher
            .query(&student("hasIepOr504"), id.clone())
            .await
            .data()["student"]["hasIepOr504"],
        true
    );
    for denied in [
        "specialEducation { totalCount }",
        "homelessStatus { current }",
        "currentTiers { tier }",
        "interventionPlans { totalCount }",
        "attendance { daysAbsent }",
    ] {
        assert_eq!(
            teacher.query(&student(denied), id.clone()).await.code(),
            "FORBIDDEN",
            "school staff: {denied}"
        );
    }
    assert_eq!(
        teacher
            .query(
                "{ students(filter: { homeless: true }) { totalCount } }",
                json!({})
            )
            .await
            .code(),
        "FORBIDDEN",
        "no inference through filters"
    );

    // Social workers: everything, for students of their schools.
    for allowed in [
        "specialEducation { totalCount }",
        "homelessStatus { current }",
        "currentTiers { tier }",
        "interventionPlans { nodes { decision } }",
        "attendance { daysAbsent }",
    ] {
        worker.query(&student(allowed), id.clone()).await.data();
    }
    assert_eq!(
        outsider
            .query(&student("currentTiers { tier }"), id.clone())
            .await
            .code(),
        "NOT_FOUND"
    );
    let reading = intervention(&app, "Reading booster", &["ACADEMIC"], 2).await;
    plan(&worker, &a, &reading).await;
    let other_school = json!({ "input": { "studentId": a, "interventionId": reading, "startDate": "2026-09-01", "plannedEndDate": "2026-09-29", "goal": "g", "measure": "m", "baseline": 1.0, "target": 2.0 } });
    let code = outsider.query( CREATE_PLAN, other_school).await.data()["createInterventionPlan"]["userErrors"][0]["field"].clone();
    assert_eq!(
        code, "input.studentId",
        "a social worker cannot plan for a student of another school"
    );

    // BI: tiers, plans, attendance and summaries; no IEP or McKinney-Vento; no early warning.
    bi.query( &student("currentTiers { tier } interventionPlans { nodes { decision } } attendance { daysAbsent }"), id.clone()).await.data();
    for denied in [
        "specialEducation { totalCount }",
        "homelessStatus { current }",
    ] {
        assert_eq!(
            bi.query(&student(denied), id.clone()).await.code(),
            "FORBIDDEN",
            "BI: {denied}"
        );
    }
    bi.query(
        "query($s: ID!) { mtssSummary(schoolId: $s) { tierCounts { tier } } }",
        json!({ "s": school }),
    )
    .await
    .data();
    assert_eq!(
        bi.query(
            "query($s: ID!) { earlyWarning(schoolId: $s) { totalCount } }",
            json!({ "s": school })
        )
        .await
        .code(),
        "FORBIDDEN"
    );
    assert_eq!(
        bi.query("{ homelessStudents { totalCount } }", json!({}))
            .await
            .code(),
        "FORBIDDEN"
    );
    assert_eq!(
        bi.query("{ iepReviewsDue(within: 30) { totalCount } }", json!({}))
            .await
            .code(),
        "FORBIDDEN"
    );
    assert_eq!(bi.query( PLACE, json!({ "input": { "studentId": a, "domain": "BEHAVIOR", "tier": 2, "effectiveFrom": "2026-11-01", "decidedBy": "T" } })).await.code(), "FORBIDDEN");

    // Agencies and the SIS: nothing of MTSS.
    for token in [app.as_agency(None), app.as_sis()] {
        assert_eq!(
            token
                .query("{ homelessStudents { totalCount } }", json!({}))
                .await
                .code(),
            "FORBIDDEN"
        );
    }
}

async fn worklist_filters_apply_in_sql(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let (school, [a, b, _c]) = early_warning_school(&app).await;
    let mentoring = intervention(&app, "Attendance mentoring", &["ATTENDANCE"], 2).await;
    plan(&admin, &a, &mentoring).await;
    let count = |filter: Value| {
        let admin = admin.clone();
        async move {
            let data = admin.query( "query($f: StudentFilter) { students(first: 1, filter: $f) { totalCount nodes { id } } }", json!({ "f": filter })).await.data();
            data["students"]["totalCount"].as_u64().unwrap()
        }
    };
    // c has the reading plan, a the mentoring plan, b none.
    assert_eq!(count(json!({ "hasActiveIntervention": true })).await, 2);
    assert_eq!(count(json!({ "hasActiveIntervention": false })).await, 1);
    assert_eq!(count(json!({ "interventionId": mentoring })).await, 1);
    assert_eq!(count(json!({ "iepStatus": "ACTIVE" })).await, 1);
    assert_eq!(count(json!({ "iepStatus": "REFERRED" })).await, 0);
    assert_eq!(
        count(json!({ "tier": { "domain": "BEHAVIOR", "tier": 3 }, "schoolId": school })).await,
        2
    );
    assert_eq!(
        count(json!({ "tier": { "domain": "BEHAVIOR", "tier": 3 }, "chronicallyAbsent": true }))
            .await,
        1,
        "conditions combine"
    );
    let only = admin.query( "query($f: StudentFilter) { students(filter: $f) { nodes { id } } }", json!({ "f": { "tier": { "domain": "BEHAVIOR", "tier": 3 }, "hasActiveIntervention": false } })).await.data();
    assert_eq!(only["students"]["nodes"], json!([{ "id": b }]));
}

async fn one_current_homeless_record_and_no_future_placements(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.as_admin();
    let student = app.create_student("Rey", "Open", "06").await;
    let first = write(&admin, IDENTIFY, "identifyHomeless", json!({ "studentId": student, "identifiedDate": "2026-09-10", "primaryNighttimeResidence": DOUBLED_UP })).await;
    let first_id = first["status"]["id"].clone();
    admin.query( "mutation($id: ID!) { updateHomelessStatus(input: { id: $id, version: 1, endDate: \"2026-10-01\" }) { status { current } } }", json!({ "id": first_id })).await.data();
    write(&admin, IDENTIFY, "identifyHomeless", json!({ "studentId": student, "identifiedDate": "2026-11-01", "primaryNighttimeResidence": DOUBLED_UP })).await;
    // Reopening the ended record would make two current ones: the database refuses.
    let code = admin.query( "mutation($id: ID!) { updateHomelessStatus(input: { id: $id, version: 2, endDate: null }) { status { current } } }", json!({ "id": first_id })).await.code();
    assert_eq!(code, "CONFLICT");
    let future = (Utc::now().date_naive() + Duration::days(30)).to_string();
    assert_eq!(
        refused(&admin, PLACE, "placeInTier", json!({ "studentId": student, "domain": "BEHAVIOR", "tier": 3, "effectiveFrom": future, "decidedBy": "T" })).await,
        ["input.effectiveFrom:OUT_OF_RANGE"]
    );
}

on_both_backends!(
    one_current_homeless_record_and_no_future_placements,
    tier_placements_keep_one_current_per_domain,
    worklist_filters_apply_in_sql,
    concurrent_placements_never_leave_two_current,
    the_catalogue_is_kept_by_admins,
    plans_derive_aim_line_trend_decision_and_dosage,
    plan_rules_are_user_errors,
    iep_records_and_reviews_due,
    mckinney_vento_with_descriptors,
    attendance_rates_and_chronic_absence,
    early_warning_lists_students_with_two_signs,
    mtss_summary_counts_with_sql_aggregates,
    each_role_sees_what_the_policy_allows,
);
