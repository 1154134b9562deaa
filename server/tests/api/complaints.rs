//! Complaints: a category, attachments checked by content and kept outside
//! the database, messages both ways, escalation to the administrators, and
//! answers that always name the regulator (an administrator's setting).

use crate::helpers::{TestApp, assert_error, body};
use crate::on_every_backend;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_every_backend!(without_jobs:
    a_complaint_with_a_file_is_worked_to_an_answer_that_names_the_regulator,
    files_are_checked_by_content_and_size_and_only_the_requester_adds_them,
    anyone_complains_through_the_officer_and_attaches_with_the_tracking_code,
    the_regulator_line_is_an_administrators_setting,
);

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

async fn file_complaint(app: &TestApp, token: &str, category: Value) -> reqwest::Response {
    app.post_with_token(
        "/api/v1/requests",
        token,
        &json!({
            "kind": "complaint",
            "channel": "in_app",
            "details": "I said no to marketing and still get promotional messages every day.",
            "category": category,
        }),
    )
    .await
}

async fn attach(
    app: &TestApp,
    ack: &str,
    token: Option<&str>,
    query: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/requests/{ack}/attachments{query}")))
        .header("content-type", "application/pdf")
        .body(bytes);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("sent")
}

async fn act(app: &TestApp, token: &str, ack: &str, verb: &str, body: Value) -> reqwest::Response {
    app.post_with_token(
        &format!("/api/v1/officer/requests/{ack}/{verb}"),
        token,
        &body,
    )
    .await
}

async fn notices_of(app: &TestApp, email: &str) -> Vec<String> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use server::entities::{accounts, notifications};
    let account = accounts::Entity::find()
        .filter(accounts::Column::Email.eq(email))
        .one(&app.state.db)
        .await
        .expect("query")
        .expect("account");
    notifications::Entity::find()
        .filter(notifications::Column::AccountId.eq(account.id))
        .all(&app.state.db)
        .await
        .expect("query")
        .into_iter()
        .map(|n| format!("{} | {}", n.subject, n.body))
        .collect()
}

async fn a_complaint_with_a_file_is_worked_to_an_answer_that_names_the_regulator(app: TestApp) {
    let officer = app.demo_token("officer").await;
    let admin = app.demo_token("admin").await;
    let holder = app.holder_token().await;

    // A complaint says what it is about; nothing else does.
    assert_error(
        file_complaint(&app, &holder, Value::Null).await,
        422,
        "required",
        Some("category"),
    )
    .await;
    assert_error(
        file_complaint(&app, &holder, json!("spam")).await,
        422,
        "invalid_category",
        Some("category"),
    )
    .await;
    let access_with_category = app
        .post_with_token(
            "/api/v1/requests",
            &holder,
            &json!({"kind": "access", "channel": "in_app", "details": "All of it", "category": "marketing"}),
        )
        .await;
    assert_error(
        access_with_category,
        422,
        "category_not_applicable",
        Some("category"),
    )
    .await;

    // Filed: 201 under the 30-day policy, the clock running from now.
    let filed = file_complaint(&app, &holder, json!("marketing")).await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    let filed = body(filed).await;
    assert_eq!(filed["policy"], "guideline-30");
    let ack = filed["ack"].as_str().expect("ack").to_owned();
    let received = time::OffsetDateTime::parse(
        filed["received_at"].as_str().expect("received"),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("instant");
    let due = time::OffsetDateTime::parse(
        filed["due_at"].as_str().expect("due"),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("instant");
    assert!(
        (due - received) >= time::Duration::days(29)
            && (due - received) <= time::Duration::days(31),
        "30 days: {received} → {due}"
    );

    // The screenshot: accepted as a PNG whatever the client called it, kept
    // in the data directory byte for byte.
    let added = attach(
        &app,
        &ack,
        Some(&holder),
        "?name=C:%5Cscreens%5Cads.png",
        PNG.to_vec(),
    )
    .await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let added = body(added).await;
    assert_eq!(added["name"], "ads.png");
    assert_eq!(added["file_type"], "png");
    assert_eq!(added["size_bytes"], PNG.len());
    let id = added["id"].as_str().expect("id").to_owned();
    let stored = app.data_dir().join("attachments").join(
        uuid::Uuid::parse_str(&id)
            .expect("uuid")
            .simple()
            .to_string(),
    );
    assert_eq!(std::fs::read(&stored).expect("file on disk"), PNG);

    let seen = body(
        app.get_with_token(&format!("/api/v1/requests/{ack}"), &holder)
            .await,
    )
    .await;
    assert_eq!(seen["category"], "marketing");
    assert_eq!(seen["attachments"][0]["id"], id.as_str());

    // The officer downloads it: the bytes, as a download, never rendered;
    // the look is audited.
    let download = app
        .get_with_token(
            &format!("/api/v1/requests/{ack}/attachments/{id}"),
            &officer,
        )
        .await;
    assert_eq!(download.status(), StatusCode::OK);
    let headers = download.headers().clone();
    assert_eq!(headers["content-type"], "image/png");
    assert!(
        headers["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("attachment;")
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(download.bytes().await.expect("bytes").as_ref(), PNG);
    let audit = body(app.get_with_token("/api/v1/admin/audit", &admin).await).await;
    assert!(
        audit.to_string().contains("request.attachment_read"),
        "audited: {audit}"
    );

    // Messages both ways: the officer asks, the holder answers.
    let asked = act(
        &app,
        &officer,
        &ack,
        "request-info",
        json!({"message": "Which number sends them?"}),
    )
    .await;
    assert_eq!(asked.status(), StatusCode::OK);
    let replied = app
        .post_with_token(
            &format!("/api/v1/requests/{ack}/messages"),
            &holder,
            &json!({"message": "+86 10 1234 5678, every morning."}),
        )
        .await;
    assert_eq!(replied.status(), StatusCode::OK);
    let replied = body(replied).await;
    assert_eq!(replied["status"], "in_progress");

    // Escalated once, with a reason; every administrator hears of it; the
    // register finds it; the clock does not move.
    assert_error(
        act(&app, &officer, &ack, "escalate", json!({"reason": ""})).await,
        422,
        "required",
        Some("reason"),
    )
    .await;
    let escalated = act(
        &app,
        &officer,
        &ack,
        "escalate",
        json!({"reason": "Third complaint about this sender."}),
    )
    .await;
    assert_eq!(escalated.status(), StatusCode::OK);
    let escalated = body(escalated).await;
    assert!(escalated["escalated_at"].is_string());
    assert_eq!(escalated["due_at"], replied["due_at"]);
    assert_error(
        act(&app, &officer, &ack, "escalate", json!({"reason": "again"})).await,
        409,
        "already_escalated",
        None,
    )
    .await;
    assert!(
        notices_of(&app, "admin@example.com")
            .await
            .iter()
            .any(|n| n.contains(&ack) && n.starts_with("Escalated")),
        "the administrator is told"
    );
    assert!(
        notices_of(&app, "officer@example.com").await.is_empty(),
        "officers are not"
    );
    let register = body(
        app.get_with_token("/api/v1/officer/requests?escalated=true", &admin)
            .await,
    )
    .await;
    let acks: Vec<&str> = register
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["ack"].as_str())
        .collect();
    assert_eq!(acks, vec![ack.as_str()]);

    // The administrator answers; the answer names the regulator and how.
    let answered = act(
        &app,
        &admin,
        &ack,
        "fulfil",
        json!({"summary": "We removed your number from every marketing list."}),
    )
    .await;
    assert_eq!(answered.status(), StatusCode::OK);
    let answer = body(answered).await["answer"]
        .as_str()
        .expect("answer")
        .to_owned();
    assert!(answer.starts_with("We removed your number"), "{answer}");
    assert!(
        answer.ends_with(domain::requests::complaint::DEFAULT_REGULATOR_NOTICE),
        "{answer}"
    );
    assert!(answer.contains("12377"));
    let read = body(
        app.get_with_token(&format!("/api/v1/requests/{ack}"), &holder)
            .await,
    )
    .await;
    assert_eq!(read["answer"], answer.as_str());
    assert_eq!(read["status"], "fulfilled");

    // A closed request takes no more files.
    assert_error(
        attach(&app, &ack, Some(&holder), "?name=late.png", PNG.to_vec()).await,
        409,
        "request_closed",
        None,
    )
    .await;
}

async fn files_are_checked_by_content_and_size_and_only_the_requester_adds_them(app: TestApp) {
    let holder = app.holder_token().await;
    let stranger = app.holder_token().await;
    let filed = body(file_complaint(&app, &holder, json!("security")).await).await;
    let ack = filed["ack"].as_str().expect("ack").to_owned();

    // Named like a PDF and sent as one, a program is still refused.
    let mut program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".to_vec();
    program.extend_from_slice(&[0xFF; 64]);
    assert_error(
        attach(&app, &ack, Some(&holder), "?name=invoice.pdf", program).await,
        422,
        "unsupported_attachment",
        Some("file"),
    )
    .await;
    assert_error(
        attach(
            &app,
            &ack,
            Some(&holder),
            "?name=page.html",
            b"<!DOCTYPE html><script>x()</script>".to_vec(),
        )
        .await,
        422,
        "unsupported_attachment",
        Some("file"),
    )
    .await;
    assert_error(
        attach(&app, &ack, Some(&holder), "?name=empty.txt", Vec::new()).await,
        422,
        "empty_attachment",
        Some("file"),
    )
    .await;

    // Over 5 MB, announced or streamed.
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(domain::requests::complaint::MAX_ATTACHMENT_BYTES + 1, b' ');
    assert_error(
        attach(&app, &ack, Some(&holder), "?name=big.pdf", big.clone()).await,
        413,
        "attachment_too_large",
        Some("file"),
    )
    .await;
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        big.chunks(256 * 1024).map(|c| Ok(c.to_vec())).collect();
    let streamed = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/requests/{ack}/attachments?name=big.pdf")))
        .bearer_auth(&holder)
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .expect("sent");
    assert_error(streamed, 413, "attachment_too_large", Some("file")).await;
    // Exactly 5 MB is accepted.
    big.pop();
    assert_eq!(
        attach(&app, &ack, Some(&holder), "?name=scan.pdf", big)
            .await
            .status(),
        StatusCode::CREATED
    );

    // Someone else's request does not exist for them, either way.
    assert_error(
        attach(
            &app,
            &ack,
            Some(&stranger),
            "?name=x.txt",
            b"mine now".to_vec(),
        )
        .await,
        404,
        "not_found",
        None,
    )
    .await;
    let mine = body(
        app.get_with_token(&format!("/api/v1/requests/{ack}"), &holder)
            .await,
    )
    .await;
    let id = mine["attachments"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(
        app.get_with_token(
            &format!("/api/v1/requests/{ack}/attachments/{id}"),
            &stranger
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_with_token(
            &format!("/api/v1/requests/{ack}/attachments/not-an-id"),
            &holder
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );

    // Three at most; a refused file leaves nothing on disk.
    for name in ["a.txt", "b.txt"] {
        assert_eq!(
            attach(
                &app,
                &ack,
                Some(&holder),
                &format!("?name={name}"),
                b"plain words".to_vec()
            )
            .await
            .status(),
            StatusCode::CREATED
        );
    }
    assert_error(
        attach(
            &app,
            &ack,
            Some(&holder),
            "?name=d.txt",
            b"one too many".to_vec(),
        )
        .await,
        409,
        "too_many_attachments",
        Some("file"),
    )
    .await;
    let on_disk = std::fs::read_dir(app.data_dir().join("attachments"))
        .expect("dir")
        .count();
    assert_eq!(on_disk, 3, "only the accepted files are kept");
}

async fn anyone_complains_through_the_officer_and_attaches_with_the_tracking_code(app: TestApp) {
    let filed = app
        .post_json(
            "/api/v1/requests",
            &json!({
                "kind": "complaint",
                "channel": "privacy_officer",
                "details": "Another user posts my photos.",
                "category": "another_user",
                "contact_email": "li.wei@example.net",
                "verification": "Account ID wxid_li, registered 2019 by mobile.",
            }),
        )
        .await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    let filed = body(filed).await;
    assert_eq!(filed["policy"], "guideline-30");
    let ack = filed["ack"].as_str().expect("ack").to_owned();
    let token = filed["tracking_token"].as_str().expect("token").to_owned();

    assert_eq!(
        attach(
            &app,
            &ack,
            None,
            "?name=note.txt&token=wrong",
            b"evidence".to_vec()
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
    let added = attach(
        &app,
        &ack,
        None,
        &format!("?name=note.txt&token={token}"),
        "他每天都发我的照片。\n".as_bytes().to_vec(),
    )
    .await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let id = body(added).await["id"].as_str().expect("id").to_owned();
    let seen = reqwest::get(app.url(&format!("/api/v1/requests/{ack}?token={token}")))
        .await
        .expect("sent");
    let seen = body(seen).await;
    assert_eq!(seen["category"], "another_user");
    assert_eq!(seen["attachments"][0]["file_type"], "text");
    let download = reqwest::get(app.url(&format!(
        "/api/v1/requests/{ack}/attachments/{id}?token={token}"
    )))
    .await
    .expect("sent");
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(
        download.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
}

async fn the_regulator_line_is_an_administrators_setting(app: TestApp) {
    let admin = app.demo_token("admin").await;
    let officer = app.demo_token("officer").await;
    let holder = app.holder_token().await;
    let settings = body(app.get_with_token("/api/v1/admin/settings", &admin).await).await;
    assert_eq!(
        settings["regulator_notice"],
        domain::requests::complaint::DEFAULT_REGULATOR_NOTICE
    );
    let put = |token: String, change: Value| {
        let app = &app;
        async move {
            reqwest::Client::new()
                .put(app.url("/api/v1/admin/settings"))
                .bearer_auth(token)
                .json(&change)
                .send()
                .await
                .expect("sent")
        }
    };
    let line = "You may complain to the Shenzhen Cyberspace Administration: 0755-12377.";
    assert_eq!(
        put(officer.clone(), json!({"regulator_notice": line}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    for (bad, code) in [
        (json!("   "), "required"),
        (json!("x".repeat(1001)), "too_long"),
    ] {
        assert_error(
            put(admin.clone(), json!({"regulator_notice": bad})).await,
            422,
            code,
            Some("regulator_notice"),
        )
        .await;
    }
    let saved = put(admin.clone(), json!({"regulator_notice": line})).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let saved = body(saved).await;
    assert_eq!(saved["regulator_notice"], line);
    assert_eq!(saved["cooling_off_days"], 15, "a setting not given stays");

    // A refused complaint names the regulator in the administrator's words,
    // instead of the general line.
    let filed = body(file_complaint(&app, &holder, json!("data_use")).await).await;
    let ack = filed["ack"].as_str().expect("ack");
    let refused = act(
        &app,
        &officer,
        ack,
        "refuse",
        json!({"reason": "The messages come from another company."}),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::OK);
    let answer = body(refused).await["answer"]
        .as_str()
        .expect("answer")
        .to_owned();
    assert_eq!(
        answer,
        format!("The messages come from another company.\n{line}")
    );
    let audit = body(app.get_with_token("/api/v1/admin/audit", &admin).await).await;
    assert!(audit.to_string().contains("regulator_notice"), "audited");
}
