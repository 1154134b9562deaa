//! The same bad input gets the same answer through both doors: the REST API
//! and the server functions the pages call. Both end in one service, which
//! owns validation; each door only translates transport.

use crate::helpers::{TestApp, body};
use crate::on_every_backend;
use serde_json::{Value, json};

on_every_backend!(the_same_bad_input_gets_the_same_answer_through_both_doors);

/// The error of a REST answer: (status, code, field).
async fn rest_error(response: reqwest::Response) -> (u16, String, Option<String>) {
    let status = response.status().as_u16();
    let answer = body(response).await;
    (
        status,
        answer["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        answer["error"]["field"].as_str().map(str::to_owned),
    )
}

/// Calls a server function as the page's script does (JSON or a form),
/// with the holder's or officer's session; answers (status, code, field).
async fn page_error(
    app: &TestApp,
    function: &str,
    token: &str,
    form: Option<&[(&str, &str)]>,
    json: Option<Value>,
) -> (u16, String, Option<String>) {
    let request = reqwest::Client::new()
        .post(app.url(&format!("/sfn/{function}")))
        .bearer_auth(token)
        .header("origin", app.address.clone());
    let request = match (form, json) {
        (Some(form), _) => request.form(form),
        (None, Some(json)) => request.json(&json),
        (None, None) => request,
    };
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    let answer: Value = response.json().await.expect("the typed error as JSON");
    (
        status,
        answer["code"].as_str().unwrap_or_default().to_owned(),
        answer["field"].as_str().map(str::to_owned),
    )
}

async fn the_same_bad_input_gets_the_same_answer_through_both_doors(app: TestApp) {
    let holder = app.holder_token().await;
    let officer = app.demo_token("officer").await;

    // An unknown category, read and cleared.
    let rest = rest_error(
        app.get_with_token("/api/v1/me/data/horoscope", &holder)
            .await,
    )
    .await;
    let page = page_error(
        &app,
        "fetch_data_page",
        &holder,
        None,
        Some(json!({"category": "horoscope", "cursor": null, "filter": {}})),
    )
    .await;
    assert_eq!(rest, page, "unknown category, read");
    assert_eq!(rest.0, 404);

    // A range whose first day comes after its last, read and deleted.
    let rest = rest_error(
        app.get_with_token(
            "/api/v1/me/data/location?from=2026-02-05&to=2026-02-01",
            &holder,
        )
        .await,
    )
    .await;
    let page = page_error(
        &app,
        "fetch_data_page",
        &holder,
        None,
        Some(json!({"category": "location", "cursor": null,
            "filter": {"from": "2026-02-05", "to": "2026-02-01"}})),
    )
    .await;
    assert_eq!(rest, page, "inverted range, read");
    assert_eq!((rest.0, rest.1.as_str()), (422, "inverted_range"));
    let rest = rest_error(
        reqwest::Client::new()
            .delete(app.url("/api/v1/me/data/location?from=2026-02-30"))
            .bearer_auth(&holder)
            .send()
            .await
            .expect("sent"),
    )
    .await;
    let page = page_error(
        &app,
        "delete_data_range",
        &holder,
        Some(&[("category", "location"), ("from", "2026-02-30")]),
        None,
    )
    .await;
    assert_eq!(rest, page, "impossible day, deleted");
    assert_eq!((rest.0, rest.1.as_str()), (422, "invalid_date"));
    let rest = rest_error(
        reqwest::Client::new()
            .delete(app.url("/api/v1/me/data/horoscope"))
            .bearer_auth(&holder)
            .send()
            .await
            .expect("sent"),
    )
    .await;
    let page = page_error(
        &app,
        "clear_category",
        &holder,
        Some(&[("category", "horoscope")]),
        None,
    )
    .await;
    assert_eq!(rest, page, "unknown category, cleared");

    // A status and a kind that do not exist, in the register.
    for (query, filters) in [
        ("status=lost", json!({"query": {"status": "lost"}})),
        ("kind=gossip", json!({"query": {"kind": "gossip"}})),
    ] {
        let rest = rest_error(
            app.get_with_token(&format!("/api/v1/officer/requests?{query}"), &officer)
                .await,
        )
        .await;
        let page = page_error(&app, "register", &officer, None, Some(filters)).await;
        assert_eq!(rest, page, "register {query}");
        assert_eq!(rest.0, 422, "register {query}");
    }

    // Over-long and NUL-laden text in a request.
    for details in ["x".repeat(20_001), "a\0b".to_owned()] {
        let rest = rest_error(
            app.post_with_token(
                "/api/v1/requests",
                &holder,
                &json!({"kind": "access", "channel": "in_app", "details": details}),
            )
            .await,
        )
        .await;
        let page = page_error(
            &app,
            "file_request",
            &holder,
            None,
            Some(json!({
                "request": {"kind": "access", "channel": "in_app", "details": details},
                "idempotency_key": null,
            })),
        )
        .await;
        assert_eq!(rest, page, "details of {} characters", details.len());
        assert_eq!(rest.0, 422);
        assert_eq!(rest.2.as_deref(), Some("details"));
    }

    // An officer's action without its reason, and a verb that does not exist.
    let ack = app
        .post_with_token(
            "/api/v1/requests",
            &holder,
            &json!({"kind": "access", "channel": "in_app", "details": "What do you hold?"}),
        )
        .await;
    let ack = body(ack).await["ack"].as_str().expect("ack").to_owned();
    for (verb, action, field, code) in [
        ("refuse", json!({"reason": "  "}), "reason", "required"),
        (
            "assign",
            json!({"assignee_id": "not-an-id"}),
            "assignee_id",
            "invalid_assignee",
        ),
    ] {
        let rest = rest_error(
            app.post_with_token(
                &format!("/api/v1/officer/requests/{ack}/{verb}"),
                &officer,
                &action,
            )
            .await,
        )
        .await;
        let page = page_error(
            &app,
            "officer_act",
            &officer,
            None,
            Some(json!({"ack": ack, "verb": verb, "body": action})),
        )
        .await;
        assert_eq!(rest, page, "{verb}");
        assert_eq!(
            (rest.0, rest.1.as_str(), rest.2.as_deref()),
            (422, code, Some(field)),
            "{verb}"
        );
    }
}

on_every_backend!(both_doors_answer_the_same_body);

/// One contract: a request as the REST API shows it is the request the
/// page's server function gets, field for field.
async fn both_doors_answer_the_same_body(app: TestApp) {
    let holder = app.holder_token().await;
    let filed = app
        .post_with_token(
            "/api/v1/requests",
            &holder,
            &json!({"kind": "deletion", "channel": "in_app", "details": "Delete my posts."}),
        )
        .await;
    let ack = body(filed).await["ack"].as_str().expect("ack").to_owned();
    let mut rest = body(
        app.get_with_token(&format!("/api/v1/requests/{ack}"), &holder)
            .await,
    )
    .await;
    let response = reqwest::Client::new()
        .post(app.url("/sfn/track_request"))
        .bearer_auth(&holder)
        .header("origin", app.address.clone())
        .form(&[("ack", ack.as_str())])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    let mut page: Value = response.json().await.expect("json");
    // Each answer carries the instant it was made at.
    for answer in [&mut rest, &mut page] {
        assert!(answer["as_of"].is_string(), "{answer}");
        answer["as_of"] = Value::Null;
    }
    assert_eq!(rest, page);
    assert_eq!(rest["kind"], "deletion");
    assert_eq!(rest["status"], "in_progress");
    assert_eq!(rest["time_zone"], "Asia/Shanghai");
}
