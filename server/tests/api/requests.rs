//! Data-subject requests: intake, the clock, the officer's actions, the
//! sweeper and the audit chain.

use crate::helpers::{TestApp, assert_error, body};
use crate::on_every_backend;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use server::entities::{notifications, request_events};

on_every_backend!(
    an_officer_request_is_acknowledged_with_the_60_day_deadline,
    an_in_app_request_counts_30_days_from_filing,
    a_retry_with_the_same_idempotency_key_returns_the_same_request,
    bad_requests_answer_422_with_the_field,
    only_the_requester_and_staff_can_follow_a_request,
    the_officer_works_a_request_to_its_answer,
    past_the_deadline_the_request_is_overdue_and_cannot_be_extended,
    waiting_for_the_requester_pauses_the_clock,
    two_sweepers_escalate_an_overdue_request_once,
    an_altered_audit_entry_breaks_the_chain,
    removing_or_rewriting_the_newest_audit_entries_is_found,
    the_dashboard_counts_and_the_register_exports_as_csv,
    a_policy_change_applies_to_new_requests_only,
    the_requester_can_withdraw_an_open_request,
    the_assignee_is_reminded_before_the_due_instant_once_per_reminder,
    an_administrator_assignee_gets_a_reminder_weeks_ahead,
);

pub(crate) const OFFICER_REQUEST: &str = r#"{"kind":"copy","channel":"privacy_officer","details":"Please send me a copy of everything you hold about me.","contact_email":"li.lei@example.com","verification":"Account ID wxid_3k9 and the phone number ending 4412"}"#;

async fn at(app: &TestApp, instant: &str) {
    app.set_clock(instant);
}

pub(crate) async fn file(app: &TestApp, token: Option<&str>, input: &str) -> reqwest::Response {
    // A fresh client: `app.client` may carry a session cookie, and a filing
    // without a token is meant to come from nobody in particular.
    let mut request = reqwest::Client::new()
        .post(app.url("/api/v1/requests"))
        .header("content-type", "application/json")
        .body(input.to_owned());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("sent")
}

pub(crate) async fn act(
    app: &TestApp,
    token: &str,
    ack: &str,
    action: &str,
    input: Value,
) -> reqwest::Response {
    app.post_with_token(
        &format!("/api/v1/officer/requests/{ack}/{action}"),
        token,
        &input,
    )
    .await
}

async fn an_officer_request_is_acknowledged_with_the_60_day_deadline(app: TestApp) {
    at(&app, "2027-01-31T15:30:00Z").await;
    let response = file(&app, None, OFFICER_REQUEST).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let ack = body(response).await;
    let number = ack["ack"].as_str().expect("ack");
    assert!(
        domain::requests::parse_acknowledgment(number).as_deref() == Some(number),
        "{number}"
    );
    assert_eq!(ack["policy"], "privacy-officer-60");
    assert_eq!(ack["status"], "awaiting_verification");
    // The end of the 60th day in Asia/Shanghai after receipt (23:30 local on 31 Jan).
    assert_eq!(ack["due_at"], "2027-04-01T15:59:59Z");
    assert!(
        ack["tracking_token"]
            .as_str()
            .is_some_and(|t| t.len() >= 32)
    );
    // The acknowledgment notice went to the e-mail outbox.
    let outbox = app
        .state
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.state.db.get_database_backend(),
            "SELECT to_email, subject FROM email_outbox",
        ))
        .await
        .expect("query");
    assert_eq!(outbox.len(), 1);
    assert_eq!(
        outbox[0].try_get::<String>("", "to_email").expect("to"),
        "li.lei@example.com"
    );
    assert!(
        outbox[0]
            .try_get::<String>("", "subject")
            .expect("subject")
            .contains(number)
    );
}

async fn an_in_app_request_counts_30_days_from_filing(app: TestApp) {
    at(&app, "2027-01-31T15:30:00Z").await;
    let holder = app.holder_token().await;
    let response = file(&app, Some(&holder), r#"{"kind":"deletion","channel":"in_app","details":"Delete my location history from 2025."}"#).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let ack = body(response).await;
    assert_eq!(ack["policy"], "guideline-30");
    assert_eq!(ack["status"], "in_progress");
    assert_eq!(ack["due_at"], "2027-03-02T15:59:59Z");
    assert!(
        ack.get("tracking_token").is_none(),
        "a signed-in holder follows it in the portal"
    );
    let mine = body(app.get_with_token("/api/v1/requests", &holder).await).await;
    assert_eq!(mine.as_array().map(Vec::len), Some(1));
    assert_eq!(mine[0]["ack"], ack["ack"]);
    let inbox = notifications::Entity::find()
        .all(&app.state.db)
        .await
        .expect("inbox");
    assert_eq!(inbox.len(), 1, "acknowledgment in the holder's inbox");
    assert!(inbox[0].account_id.is_some());
}

async fn a_retry_with_the_same_idempotency_key_returns_the_same_request(app: TestApp) {
    let send = |key: &'static str| {
        app.client
            .post(app.url("/api/v1/requests"))
            .header("content-type", "application/json")
            .header("idempotency-key", key)
            .body(OFFICER_REQUEST)
            .send()
    };
    let first = send("form-7f3a").await.expect("sent");
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = body(first).await;
    let again = send("form-7f3a").await.expect("sent");
    assert_eq!(again.status(), StatusCode::OK);
    let again = body(again).await;
    assert_eq!(first["ack"], again["ack"]);
    assert!(
        again.get("tracking_token").is_none(),
        "the token is shown once"
    );
    let other = body(send("form-other").await.expect("sent")).await;
    assert_ne!(first["ack"], other["ack"]);
    // The same key with a different request is refused, not replayed.
    let changed = app
        .client
        .post(app.url("/api/v1/requests"))
        .header("content-type", "application/json")
        .header("idempotency-key", "form-7f3a")
        .body(OFFICER_REQUEST.replace("copy", "deletion"))
        .send()
        .await
        .expect("sent");
    crate::helpers::assert_error(
        changed,
        422,
        "idempotency_key_reused",
        Some("Idempotency-Key"),
    )
    .await;
    let count = server::entities::requests::Entity::find()
        .all(&app.state.db)
        .await
        .expect("rows")
        .len();
    assert_eq!(count, 2);
}

async fn bad_requests_answer_422_with_the_field(app: TestApp) {
    let cases = [
        (
            r#"{"kind":"gossip","channel":"privacy_officer","details":"x","contact_email":"a@example.com","verification":"v"}"#,
            "invalid_kind",
            "kind",
        ),
        (
            r#"{"kind":"copy","channel":"fax","details":"x","contact_email":"a@example.com","verification":"v"}"#,
            "invalid_channel",
            "channel",
        ),
        (
            r#"{"kind":"copy","channel":"privacy_officer","details":"   ","contact_email":"a@example.com","verification":"v"}"#,
            "required",
            "details",
        ),
        (
            r#"{"kind":"copy","channel":"privacy_officer","details":"x","verification":"v"}"#,
            "required",
            "contact_email",
        ),
        (
            r#"{"kind":"copy","channel":"privacy_officer","details":"x","contact_email":"not-mail","verification":"v"}"#,
            "invalid_email",
            "contact_email",
        ),
        (
            r#"{"kind":"copy","channel":"privacy_officer","details":"x","contact_email":"a@example.com"}"#,
            "required",
            "verification",
        ),
        (r#"{"kind":5}"#, "invalid_body", "kind"),
    ];
    for (input, code, field) in cases {
        assert_error(file(&app, None, input).await, 422, code, Some(field)).await;
    }
    let huge = json!({"kind":"copy","channel":"privacy_officer","details":"长".repeat(5001),"contact_email":"a@example.com","verification":"v"}).to_string();
    assert_error(
        file(&app, None, &huge).await,
        422,
        "too_long",
        Some("details"),
    )
    .await;
    assert_error(
        file(
            &app,
            None,
            r#"{"kind":"copy","channel":"in_app","details":"x"}"#,
        )
        .await,
        401,
        "unauthenticated",
        None,
    )
    .await;
    assert!(
        server::entities::requests::Entity::find()
            .all(&app.state.db)
            .await
            .expect("rows")
            .is_empty(),
        "nothing half-filed"
    );

    // NUL and control characters are refused by the one text validator in
    // every free text: the filing, the requester's message, the officer's
    // note (a NUL used to be a 500 on PostgreSQL).
    let with_nul = json!({"kind":"copy","channel":"privacy_officer","details":"a\u{0}b","contact_email":"a@example.com","verification":"v"}).to_string();
    assert_error(
        file(&app, None, &with_nul).await,
        422,
        "invalid_characters",
        Some("details"),
    )
    .await;
    let ack = body(file(&app, None, OFFICER_REQUEST).await).await;
    let (number, token) = (
        ack["ack"].as_str().expect("ack"),
        ack["tracking_token"].as_str().expect("token"),
    );
    let message = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/requests/{number}/messages?token={token}")))
        .json(&json!({"message": "my number\u{0}"}))
        .send()
        .await
        .expect("sent");
    assert_error(message, 422, "invalid_characters", Some("message")).await;
    let officer = app.demo_token("officer").await;
    for text in ["note\u{0}", "bell\u{7}"] {
        assert_error(
            act(&app, &officer, number, "note", json!({ "text": text })).await,
            422,
            "invalid_characters",
            Some("text"),
        )
        .await;
    }
    let multi_line = act(
        &app,
        &officer,
        number,
        "note",
        json!({"text": "line one\r\nline two"}),
    )
    .await;
    assert_eq!(multi_line.status(), StatusCode::OK);
}

async fn only_the_requester_and_staff_can_follow_a_request(app: TestApp) {
    let ack = body(file(&app, None, OFFICER_REQUEST).await).await;
    let (number, token) = (
        ack["ack"].as_str().expect("ack"),
        ack["tracking_token"].as_str().expect("token"),
    );
    let by_token = body(
        reqwest::get(app.url(&format!("/api/v1/requests/{number}?token={token}")))
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(by_token["ack"], number);
    assert_eq!(by_token["timeline"][0]["action"], "received");
    assert!(
        by_token.get("details").is_none(),
        "details are not echoed to a token holder"
    );
    let wrong = reqwest::get(app.url(&format!("/api/v1/requests/{number}?token=guess")))
        .await
        .expect("sent");
    assert_error(wrong, 404, "not_found", None).await;
    let stranger = app.holder_token().await;
    assert_error(
        app.get_with_token(&format!("/api/v1/requests/{number}"), &stranger)
            .await,
        404,
        "not_found",
        None,
    )
    .await;
    let officer = app.demo_token("officer").await;
    let seen = body(
        app.get_with_token(&format!("/api/v1/requests/{number}"), &officer)
            .await,
    )
    .await;
    assert!(
        seen["details"]
            .as_str()
            .is_some_and(|d| d.contains("copy of everything"))
    );
    assert_error(
        act(&app, &stranger, number, "verify-identity", json!({})).await,
        403,
        "forbidden",
        None,
    )
    .await;
}

async fn the_officer_works_a_request_to_its_answer(app: TestApp) {
    at(&app, "2027-01-31T15:30:00Z").await;
    let ack = body(file(&app, None, OFFICER_REQUEST).await).await;
    let (number, token) = (
        ack["ack"].as_str().expect("ack").to_owned(),
        ack["tracking_token"].as_str().expect("token").to_owned(),
    );
    let officer = app.demo_token("officer").await;
    assert_eq!(
        body(act(&app, &officer, &number, "assign", json!({})).await).await["assignee_id"]
            .as_str()
            .map(str::len),
        Some(36)
    );
    assert_error(
        act(
            &app,
            &officer,
            &number,
            "fulfil",
            json!({"summary": "sent"}),
        )
        .await,
        409,
        "invalid_transition",
        None,
    )
    .await;
    assert_eq!(
        body(act(&app, &officer, &number, "verify-identity", json!({})).await).await["status"],
        "in_progress"
    );
    assert_error(
        act(&app, &officer, &number, "extend", json!({"days": 30})).await,
        422,
        "required",
        Some("reason"),
    )
    .await;
    let extended = body(
        act(
            &app,
            &officer,
            &number,
            "extend",
            json!({"days": 30, "reason": "The archive must be restored from backup."}),
        )
        .await,
    )
    .await;
    assert_eq!(extended["due_at"], "2027-05-01T15:59:59Z");
    let event = extended["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|e| e["action"] == "extended")
        .expect("extension event")
        .clone();
    assert_eq!(event["due_before"], "2027-04-01T15:59:59Z");
    assert_eq!(event["due_after"], "2027-05-01T15:59:59Z");
    assert_error(
        act(
            &app,
            &officer,
            &number,
            "extend",
            json!({"days": 5, "reason": "again"}),
        )
        .await,
        409,
        "extension_cap_exceeded",
        Some("extensions"),
    )
    .await;
    assert_error(
        act(
            &app,
            &officer,
            &number,
            "partly-fulfil",
            json!({"summary": "Sent most of it.", "withheld": []}),
        )
        .await,
        422,
        "required",
        Some("withheld"),
    )
    .await;
    let done = body(
        act(&app, &officer, &number, "partly-fulfil", json!({"summary": "Sent the export.", "withheld": [{"item": "payment records", "reason": "kept five years under the Accounting Law"}]})).await,
    )
    .await;
    assert_eq!(done["status"], "partly_fulfilled");
    assert_eq!(done["late"], false);
    assert!(
        done["answer"]
            .as_str()
            .is_some_and(|a| a.contains("payment records") && a.contains("Accounting Law"))
    );
    assert_error(
        act(&app, &officer, &number, "refuse", json!({"reason": "x"})).await,
        409,
        "request_closed",
        None,
    )
    .await;
    // The requester sees the answer by the tracking token, and got it by e-mail.
    let seen = body(
        reqwest::get(app.url(&format!("/api/v1/requests/{number}?token={token}")))
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(seen["status"], "partly_fulfilled");
    // Staff appear to the requester by role, never by account ID.
    let officer_id =
        body(app.get_with_token("/api/v1/me", &officer).await).await["account_id"].clone();
    let seen_text = seen.to_string();
    assert!(
        officer_id
            .as_str()
            .is_some_and(|id| !seen_text.contains(id)),
        "{seen_text}"
    );
    let assigned = seen["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|e| e["action"] == "assigned")
        .expect("the assignment is on the timeline");
    assert_eq!(assigned["actor"], "officer");
    let outbox = app
        .state
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.state.db.get_database_backend(),
            "SELECT subject FROM email_outbox",
        ))
        .await
        .expect("query");
    assert!(outbox.iter().any(|row| {
        row.try_get::<String>("", "subject")
            .is_ok_and(|s| s.contains("partly answered"))
    }));
}

async fn past_the_deadline_the_request_is_overdue_and_cannot_be_extended(app: TestApp) {
    let ack = body(file(&app, None, OFFICER_REQUEST).await).await;
    let number = ack["ack"].as_str().expect("ack").to_owned();
    let admin = app.demo_token("admin").await;
    let moved = app
        .post_with_token(
            "/api/v1/dev/clock",
            &admin,
            &json!({"advance_seconds": 100 * 86_400}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    let officer = app
        .token_for("officer@example.com", "officer-password-1")
        .await;
    let overdue = body(
        app.get_with_token("/api/v1/officer/requests?overdue=true&sort=due", &officer)
            .await,
    )
    .await;
    assert_eq!(overdue.as_array().map(Vec::len), Some(1));
    assert_eq!(overdue[0]["ack"], number.as_str());
    assert_eq!(overdue[0]["overdue"], true);
    let not_overdue = body(
        app.get_with_token("/api/v1/officer/requests?overdue=false", &officer)
            .await,
    )
    .await;
    assert_eq!(not_overdue.as_array().map(Vec::len), Some(0));
    act(&app, &officer, &number, "verify-identity", json!({})).await;
    assert_error(
        act(
            &app,
            &officer,
            &number,
            "extend",
            json!({"days": 30, "reason": "late"}),
        )
        .await,
        409,
        "deadline_passed",
        Some("extensions"),
    )
    .await;
    assert_error(
        act(&app, &officer, &number, "refuse", json!({})).await,
        422,
        "required",
        Some("reason"),
    )
    .await;
    let refused = body(
        act(
            &app,
            &officer,
            &number,
            "refuse",
            json!({"reason": "We could not verify your identity."}),
        )
        .await,
    )
    .await;
    assert_eq!(refused["status"], "refused");
    assert_eq!(refused["late"], true, "closed after its due instant");
    assert!(
        refused["answer"]
            .as_str()
            .is_some_and(|a| a.contains("complain")),
        "the refusal names the right to complain"
    );
    // The administrators were told once.
    let escalations = notifications::Entity::find()
        .filter(notifications::Column::Kind.eq("escalation"))
        .all(&app.state.db)
        .await
        .expect("rows");
    assert_eq!(escalations.len(), 1);
}

async fn waiting_for_the_requester_pauses_the_clock(app: TestApp) {
    at(&app, "2027-01-01T02:00:00Z").await;
    let holder = app.holder_token().await;
    let ack = body(file(&app, Some(&holder), r#"{"kind":"access","channel":"in_app","details":"What do you hold about my location?"}"#).await).await;
    assert_eq!(ack["due_at"], "2027-01-31T15:59:59Z");
    let number = ack["ack"].as_str().expect("ack").to_owned();
    at(&app, "2027-01-10T02:00:00Z").await;
    let officer = app.demo_token("officer").await;
    let asked = body(
        act(
            &app,
            &officer,
            &number,
            "request-info",
            json!({"message": "Which months do you mean?"}),
        )
        .await,
    )
    .await;
    assert_eq!(asked["status"], "awaiting_requester");
    at(&app, "2027-01-12T02:00:00Z").await;
    let holder = app.token_for_existing_holder().await;
    let replied = app
        .post_with_token(
            &format!("/api/v1/requests/{number}/messages"),
            &holder,
            &json!({"message": "March to May 2026."}),
        )
        .await;
    assert_eq!(replied.status(), StatusCode::OK);
    let replied = body(replied).await;
    assert_eq!(replied["status"], "in_progress");
    // 10, 11 and 12 January were spent waiting: three days more.
    assert_eq!(replied["due_at"], "2027-02-03T15:59:59Z");
    assert_error(
        app.post_with_token(
            &format!("/api/v1/requests/{number}/messages"),
            &holder,
            &json!({"message": "  "}),
        )
        .await,
        422,
        "required",
        Some("message"),
    )
    .await;
}

async fn two_sweepers_escalate_an_overdue_request_once(app: TestApp) {
    app.demo_token("admin").await;
    body(file(&app, None, OFFICER_REQUEST).await).await;
    app.advance_clock(61 * 86_400);
    let (a, b) = tokio::join!(app.state.requests.sweep(), app.state.requests.sweep());
    let marked = a.expect("sweep").marked_overdue + b.expect("sweep").marked_overdue;
    assert_eq!(marked, 1, "one sweeper flips the flag");
    let again = app.state.requests.sweep().await.expect("sweep");
    assert_eq!(again.marked_overdue, 0);
    let overdue_events = request_events::Entity::find()
        .filter(request_events::Column::Action.eq("overdue"))
        .all(&app.state.db)
        .await
        .expect("rows");
    assert_eq!(overdue_events.len(), 1);
    let escalations = notifications::Entity::find()
        .filter(notifications::Column::Kind.eq("escalation"))
        .all(&app.state.db)
        .await
        .expect("rows");
    assert_eq!(escalations.len(), 1, "one administrator, one escalation");
    let told = notifications::Entity::find()
        .filter(notifications::Column::Kind.eq("overdue"))
        .all(&app.state.db)
        .await
        .expect("rows");
    assert_eq!(told.len(), 1, "the requester is told once");
}

async fn an_altered_audit_entry_breaks_the_chain(app: TestApp) {
    let officer = app.demo_token("officer").await;
    let ack = body(file(&app, None, OFFICER_REQUEST).await).await;
    let number = ack["ack"].as_str().expect("ack");
    act(&app, &officer, number, "verify-identity", json!({})).await;
    act(
        &app,
        &officer,
        number,
        "note",
        json!({"text": "Called the requester."}),
    )
    .await;
    assert_eq!(
        app.state.audit.verify(&app.state.db).await.expect("verify"),
        server::audit::Verdict::Intact { entries: 4 }
    );
    assert!(
        audit_verify(&app).success(),
        "`portal audit verify` passes on an intact chain"
    );
    let admin = app.token_for("admin@example.com", "admin-password-1").await;
    let page = body(app.get_with_token("/api/v1/admin/audit", &admin).await).await;
    assert_eq!(page["chain_intact"], true);
    let actions: Vec<&str> = page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    // Newest first: the admin's and the officer's sign-ins are audited too.
    assert_eq!(
        actions,
        [
            "staff.signed_in",
            "request.note",
            "request.identity_verified",
            "request.received",
            "staff.signed_in"
        ]
    );
    assert_error(
        app.get_with_token("/api/v1/admin/audit", &officer).await,
        403,
        "forbidden",
        None,
    )
    .await;
    app.state
        .db
        .execute_unprepared("UPDATE audit_log SET subject = 'PR-2026-0000-0000' WHERE seq = 2")
        .await
        .expect("tampered");
    assert_eq!(
        app.state.audit.verify(&app.state.db).await.expect("verify"),
        server::audit::Verdict::Broken(2)
    );
    assert!(
        !audit_verify(&app).success(),
        "`portal audit verify` exits non-zero"
    );
    let page = body(app.get_with_token("/api/v1/admin/audit", &admin).await).await;
    assert_eq!(page["chain_intact"], false);
    assert_eq!(page["broken_at"], 2);
}

async fn removing_or_rewriting_the_newest_audit_entries_is_found(app: TestApp) {
    use server::audit::Verdict;
    let officer = app.demo_token("officer").await;
    let ack = body(file(&app, None, OFFICER_REQUEST).await).await;
    let number = ack["ack"].as_str().expect("ack");
    act(&app, &officer, number, "note", json!({"text": "First."})).await;
    act(&app, &officer, number, "note", json!({"text": "Second."})).await;
    let verdict = || async { app.state.audit.verify(&app.state.db).await.expect("verify") };
    assert_eq!(verdict().await, Verdict::Intact { entries: 4 });
    assert!(audit_verify(&app).success());
    let checkpoint = app.data_dir().join(server::audit::CHECKPOINT_FILE);
    let saved =
        std::fs::read_to_string(&checkpoint).expect("a checkpoint after every audited commit");
    assert!(saved.starts_with("4 "), "{saved}");

    // Rewriting the newest entry, even with a recomputed plain SHA-256, breaks
    // the chain: the hash is keyed.
    let backend = app.state.db.get_database_backend();
    let newest = |sql: &str| sea_orm::Statement::from_string(backend, sql.to_owned());
    app.state
        .db
        .execute_raw(newest(&format!(
            "UPDATE audit_log SET action = 'request.fulfilled', hash = '{}' WHERE seq = 4",
            "ab".repeat(32)
        )))
        .await
        .expect("rewritten");
    assert_eq!(verdict().await, Verdict::Broken(4));
    assert!(!audit_verify(&app).success());

    // Deleting the newest entry leaves a whole chain, but not the
    // checkpointed one.
    app.state
        .db
        .execute_unprepared("DELETE FROM audit_log WHERE seq = 4")
        .await
        .expect("deleted");
    assert_eq!(verdict().await, Verdict::Truncated { checkpoint: 4 });
    assert!(
        !audit_verify(&app).success(),
        "`portal audit verify` exits non-zero after a truncation"
    );

    // A forged checkpoint is found too.
    std::fs::write(
        &checkpoint,
        format!("3 {} {}\n", "cd".repeat(32), "ef".repeat(32)),
    )
    .expect("forged");
    assert_eq!(verdict().await, Verdict::CheckpointAltered);
    assert!(!audit_verify(&app).success());
}

/// Runs `portal audit verify` against the test's database.
fn audit_verify(app: &TestApp) -> std::process::ExitStatus {
    std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .args(["audit", "verify"])
        .env("DATABASE_URL", &app.database_url)
        .env("PORTAL_DATA_DIR", app.data_dir())
        .env("RUST_LOG", "error")
        .status()
        .expect("portal runs")
}

async fn the_dashboard_counts_and_the_register_exports_as_csv(app: TestApp) {
    at(&app, "2027-01-31T15:30:00Z").await;
    let officer = app.demo_token("officer").await;
    let first = body(file(&app, None, OFFICER_REQUEST).await).await;
    let holder = app.holder_token().await;
    let second = body(
        file(
            &app,
            Some(&holder),
            r#"{"kind":"access","channel":"in_app","details":"What do you hold?"}"#,
        )
        .await,
    )
    .await;
    let second_ack = second["ack"].as_str().expect("ack");
    at(&app, "2027-02-03T15:30:00Z").await;
    let officer_now = app
        .token_for("officer@example.com", "officer-password-1")
        .await;
    let _ = officer;
    act(
        &app,
        &officer_now,
        second_ack,
        "fulfil",
        json!({"summary": "Here is what we hold."}),
    )
    .await;
    let metrics = body(
        app.get_with_token("/api/v1/officer/metrics", &officer_now)
            .await,
    )
    .await;
    assert_eq!(metrics["open"], 1);
    assert_eq!(metrics["overdue"], 0);
    assert_eq!(metrics["closed_last_year"], 1);
    assert_eq!(metrics["on_time_rate"], 1.0);
    assert_eq!(metrics["median_days_to_answer"], 3.0);
    let csv = app
        .get_with_token("/api/v1/officer/requests.csv", &officer_now)
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/csv")
    );
    let text = csv.text().await.expect("csv");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "ack,kind,channel,status,policy,received_at,due_at,overdue,late,closed_at,assignee_id"
    );
    assert_eq!(lines.len(), 3);
    // Earliest due first: the 30-day request before the 60-day one.
    assert!(lines[1].starts_with(second_ack) && lines[1].contains(",fulfilled,"));
    assert!(lines[2].starts_with(first["ack"].as_str().expect("ack")));
    let holder = app.token_for_existing_holder().await;
    assert_error(
        app.get_with_token("/api/v1/officer/metrics", &holder).await,
        403,
        "forbidden",
        None,
    )
    .await;
}

async fn a_policy_change_applies_to_new_requests_only(app: TestApp) {
    at(&app, "2027-01-31T15:30:00Z").await;
    let admin = app.demo_token("admin").await;
    let before = body(file(&app, None, OFFICER_REQUEST).await).await;
    let policies = body(app.get_with_token("/api/v1/admin/policies", &admin).await).await;
    let mut rules = policies
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["name"] == "privacy-officer-60")
        .expect("stored")["rules"]
        .clone();
    assert_eq!(
        policies
            .as_array()
            .expect("list")
            .iter()
            .find(|p| p["name"] == "privacy-officer-60")
            .expect("stored")["version"],
        1
    );
    rules["period"]["length"] = json!(45);
    let updated = app
        .client
        .put(app.url("/api/v1/admin/policies/privacy-officer-60"))
        .bearer_auth(&admin)
        .json(&rules)
        .send()
        .await
        .expect("sent");
    assert_eq!(updated.status(), StatusCode::OK);
    assert_eq!(body(updated).await["version"], 2);
    let after = body(
        reqwest::Client::new()
            .post(app.url("/api/v1/requests"))
            .header("content-type", "application/json")
            .body(OFFICER_REQUEST.replace("li.lei@", "han.mei@"))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(
        after["due_at"], "2027-03-17T15:59:59Z",
        "45 days for the new request"
    );
    let officer = app.demo_token("officer").await;
    let old = body(
        app.get_with_token(
            &format!("/api/v1/requests/{}", before["ack"].as_str().expect("ack")),
            &officer,
        )
        .await,
    )
    .await;
    assert_eq!(
        old["due_at"], "2027-04-01T15:59:59Z",
        "the received request keeps its 60 days"
    );
    assert_eq!(old["policy_version"], 1);
    // Bad rules are refused with the field, and officers cannot edit.
    rules["time_zone"] = json!("Mars/Olympus");
    let bad = app
        .client
        .put(app.url("/api/v1/admin/policies/privacy-officer-60"))
        .bearer_auth(&admin)
        .json(&rules)
        .send()
        .await
        .expect("sent");
    assert_error(bad, 422, "unknown_time_zone", Some("policy")).await;
    let by_officer = app
        .client
        .put(app.url("/api/v1/admin/policies/privacy-officer-60"))
        .bearer_auth(&officer)
        .json(&rules)
        .send()
        .await
        .expect("sent");
    assert_error(by_officer, 403, "forbidden", None).await;
    let audit = body(app.get_with_token("/api/v1/admin/audit", &admin).await).await;
    assert!(
        audit["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .any(|e| e["action"] == "policy.updated")
    );
}

async fn the_requester_can_withdraw_an_open_request(app: TestApp) {
    let ack = body(file(&app, None, OFFICER_REQUEST).await).await;
    let (number, token) = (
        ack["ack"].as_str().expect("ack"),
        ack["tracking_token"].as_str().expect("token"),
    );
    let stranger = app
        .client
        .post(app.url(&format!("/api/v1/requests/{number}/withdraw?token=wrong")))
        .send()
        .await
        .expect("sent");
    assert_error(stranger, 404, "not_found", None).await;
    let withdrawn = app
        .client
        .post(app.url(&format!("/api/v1/requests/{number}/withdraw?token={token}")))
        .send()
        .await
        .expect("sent");
    assert_eq!(withdrawn.status(), StatusCode::OK);
    assert_eq!(body(withdrawn).await["status"], "withdrawn");
    let again = app
        .client
        .post(app.url(&format!("/api/v1/requests/{number}/withdraw?token={token}")))
        .send()
        .await
        .expect("sent");
    assert_error(again, 409, "request_closed", None).await;
    let officer = app.demo_token("officer").await;
    assert_error(
        act(&app, &officer, number, "verify-identity", json!({})).await,
        409,
        "request_closed",
        None,
    )
    .await;
}

async fn the_assignee_is_reminded_before_the_due_instant_once_per_reminder(app: TestApp) {
    at(&app, "2027-01-01T02:00:00Z").await;
    let officer = app.demo_token("officer").await;
    let holder = app.holder_token().await;
    let ack = body(
        file(
            &app,
            Some(&holder),
            r#"{"kind":"access","channel":"in_app","details":"What do you hold?"}"#,
        )
        .await,
    )
    .await;
    // Due 2027-01-31T15:59:59Z; reminders 7, 3 and 1 days before, at the same local time.
    act(
        &app,
        &officer,
        ack["ack"].as_str().expect("ack"),
        "assign",
        json!({}),
    )
    .await;
    let reminders = || async {
        notifications::Entity::find()
            .filter(notifications::Column::Kind.eq("reminder"))
            .all(&app.state.db)
            .await
            .expect("rows")
            .len()
    };
    app.state.requests.sweep().await.expect("sweep");
    assert_eq!(reminders().await, 0, "nothing a month ahead");
    at(&app, "2027-01-24T16:00:00Z").await;
    app.state.requests.sweep().await.expect("sweep");
    app.state.requests.sweep().await.expect("sweep");
    assert_eq!(reminders().await, 1, "the 7-day reminder, once");
    at(&app, "2027-01-30T16:00:00Z").await;
    app.state.requests.sweep().await.expect("sweep");
    assert_eq!(
        reminders().await,
        2,
        "then the 1-day reminder (the missed 3-day one is not replayed)"
    );
}

/// A policy may remind up to 365 units before; the sweeper looks as far
/// ahead as the stored policies need, and reminds an administrator who took
/// the request as it reminds an officer.
async fn an_administrator_assignee_gets_a_reminder_weeks_ahead(app: TestApp) {
    at(&app, "2027-03-01T02:00:00Z").await;
    let admin = app.demo_token("admin").await;
    let policies = body(app.get_with_token("/api/v1/admin/policies", &admin).await).await;
    let mut rules = policies
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["name"] == "guideline-30")
        .expect("stored")["rules"]
        .clone();
    rules["reminders"] = json!([{"length": 20, "unit": "calendar_days"}]);
    let saved = app
        .client
        .put(app.url("/api/v1/admin/policies/guideline-30"))
        .bearer_auth(&admin)
        .json(&rules)
        .send()
        .await
        .expect("sent");
    assert_eq!(saved.status(), StatusCode::OK);
    let holder = app.holder_token().await;
    let filed = body(
        file(
            &app,
            Some(&holder),
            r#"{"kind":"access","channel":"in_app","details":"What do you hold?"}"#,
        )
        .await,
    )
    .await;
    // Due 2027-03-31 at the end of the local day: the reminder is 20 days
    // before, on 2027-03-11.
    act(
        &app,
        &admin,
        filed["ack"].as_str().expect("ack"),
        "assign",
        json!({}),
    )
    .await;
    let admin_id = app
        .state
        .accounts
        .find_by_email(&domain::Email::parse("admin@example.com").expect("email"))
        .await
        .expect("db")
        .expect("admin")
        .id;
    let reminders = || async {
        notifications::Entity::find()
            .filter(notifications::Column::Kind.eq("reminder"))
            .filter(notifications::Column::AccountId.eq(admin_id))
            .all(&app.state.db)
            .await
            .expect("rows")
            .len()
    };
    app.state.requests.sweep().await.expect("sweep");
    assert_eq!(reminders().await, 0, "nothing before the reminder");
    at(&app, "2027-03-12T02:00:00Z").await;
    app.state.requests.sweep().await.expect("sweep");
    assert_eq!(reminders().await, 1, "reminded 19 days ahead");
}
