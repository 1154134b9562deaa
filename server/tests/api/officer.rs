//! The officer's register filters and the officer's audited look at a
//! requester's data through an assigned request.

use crate::helpers::{TestApp, assert_error, body};
use crate::on_every_backend;
use crate::requests::{OFFICER_REQUEST, act, file};

use reqwest::StatusCode;
use serde_json::json;

on_every_backend!(
    the_register_pages_by_cursor_in_due_order,
    the_register_filters_by_kind_and_assignee,
    an_officer_sees_requester_data_only_through_an_assigned_request_and_it_is_audited,
    a_due_window_out_of_range_is_refused_with_its_field,
    a_query_string_that_does_not_fit_gets_the_error_body,
    roles_are_checked_before_the_body_is_read,
);

async fn roles_are_checked_before_the_body_is_read(app: TestApp) {
    let holder = app.holder_token().await;
    let officer = app.demo_token("officer").await;
    let send = |path: &str, token: &str, body: &'static str| {
        reqwest::Client::new()
            .put(app.url(path))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body)
    };
    // A body that would be a 422 (or a 400) is a 403 for the wrong role.
    for (path, token, body) in [
        (
            "/api/v1/admin/policies/guideline-30",
            &holder,
            r#"{"rules": 1}"#,
        ),
        ("/api/v1/admin/policies/guideline-30", &officer, "not json"),
    ] {
        let response = send(path, token, body).send().await.expect("sent");
        assert_error(response, 403, "forbidden", None).await;
    }
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/officer/requests/PR-2026-0000-0000/extend"))
        .bearer_auth(&holder)
        .header("content-type", "application/json")
        .body(r#"{"days": "many"}"#)
        .send()
        .await
        .expect("sent");
    assert_error(response, 403, "forbidden", None).await;
}

async fn a_query_string_that_does_not_fit_gets_the_error_body(app: TestApp) {
    let officer = app.demo_token("officer").await;
    let holder = app.holder_token().await;
    for (path, token, field) in [
        ("/api/v1/officer/requests?limit=ten", &officer, "limit"),
        (
            "/api/v1/officer/requests?overdue=perhaps",
            &officer,
            "overdue",
        ),
        ("/api/v1/me/data/messages?limit=-1", &holder, "limit"),
    ] {
        let response = app.get_with_token(path, token).await;
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/json"),
            "{path}"
        );
        assert_error(response, 422, "invalid_query", Some(field)).await;
    }
}

async fn a_due_window_out_of_range_is_refused_with_its_field(app: TestApp) {
    let officer = app.demo_token("officer").await;
    for days in ["99999999999", "-1", "-741000", "3651"] {
        let response = app
            .get_with_token(
                &format!("/api/v1/officer/requests?due_within_days={days}"),
                &officer,
            )
            .await;
        assert_error(response, 422, "out_of_range", Some("due_within_days")).await;
    }
    // The server keeps serving, and the widest allowed window works.
    let response = app
        .get_with_token("/api/v1/officer/requests?due_within_days=3650", &officer)
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    // The server function the register page calls gives the same answer,
    // with the error's own status (server functions used to send every
    // error as 500).
    let register = |token: Option<String>, days: i64| {
        let mut request = reqwest::Client::new()
            .post(app.url("/sfn/register"))
            .header("origin", app.address.clone())
            .json(&json!({"query": {"due_within_days": days}}));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let refused = register(Some(officer.clone()), 99_999_999_999)
        .await
        .expect("sent");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error = body(refused).await;
    assert_eq!(error["code"], "out_of_range");
    assert_eq!(error["field"], "due_within_days");
    let anonymous = register(None, 7).await.expect("sent");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(body(anonymous).await["code"], "unauthenticated");
    let holder = app.holder_token().await;
    let forbidden = register(Some(holder), 7).await.expect("sent");
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        register(Some(officer), 7).await.expect("sent").status(),
        StatusCode::OK
    );
}

/// Files the privacy-officer request of `requests.rs` without any cookie.
async fn file_anonymously(app: &TestApp) -> String {
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/requests"))
        .header("content-type", "application/json")
        .body(OFFICER_REQUEST)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::CREATED);
    body(response).await["ack"]
        .as_str()
        .expect("ack")
        .to_owned()
}

async fn acks(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let response = app
        .get_with_token(&format!("/api/v1/officer/requests{query}"), token)
        .await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    body(response)
        .await
        .as_array()
        .expect("list")
        .iter()
        .map(|r| r["ack"].as_str().expect("ack").to_owned())
        .collect()
}

async fn the_register_filters_by_kind_and_assignee(app: TestApp) {
    let officer = app.demo_token("officer").await;
    let copy = file_anonymously(&app).await;
    let holder = app.holder_token().await;
    let deletion = body(
        file(
            &app,
            Some(&holder),
            r#"{"kind":"deletion","channel":"in_app","details":"Delete my location history."}"#,
        )
        .await,
    )
    .await["ack"]
        .as_str()
        .expect("ack")
        .to_owned();
    assert_eq!(
        act(&app, &officer, &deletion, "assign", json!({}))
            .await
            .status(),
        StatusCode::OK
    );

    assert_eq!(
        acks(&app, &officer, "?kind=deletion").await,
        [deletion.as_str()]
    );
    assert_eq!(acks(&app, &officer, "?kind=copy").await, [copy.as_str()]);
    assert_eq!(
        acks(&app, &officer, "?assignee=me").await,
        [deletion.as_str()]
    );
    let unassigned = acks(&app, &officer, "?assignee=none").await;
    assert!(unassigned.contains(&copy) && !unassigned.contains(&deletion));
    assert_eq!(
        acks(&app, &officer, "?assignee=none&kind=copy").await,
        [copy.as_str()]
    );
    assert_eq!(
        acks(&app, &officer, "?assignee=me&kind=copy").await,
        Vec::<String>::new()
    );
    let admin = app.demo_token("admin").await;
    assert_eq!(
        acks(&app, &admin, "?assignee=me").await,
        Vec::<String>::new()
    );
    let response = app
        .get_with_token("/api/v1/officer/requests?kind=gossip", &officer)
        .await;
    assert_error(response, 422, "invalid_kind", Some("kind")).await;
    let response = app
        .get_with_token("/api/v1/officer/requests?assignee=bob", &officer)
        .await;
    assert_error(response, 422, "invalid_assignee", Some("assignee")).await;
}

async fn an_officer_sees_requester_data_only_through_an_assigned_request_and_it_is_audited(
    app: TestApp,
) {
    let officer = app.demo_token("officer").await;
    let holder = app.demo_holder_with_data().await;
    let ack = body(
        file(
            &app,
            Some(&holder),
            r#"{"kind":"access","channel":"in_app","details":"Which location records do you keep?"}"#,
        )
        .await,
    )
    .await["ack"]
        .as_str()
        .expect("ack")
        .to_owned();
    let path = format!("/api/v1/officer/requests/{ack}/data/location");
    // Not assigned yet: refused, and not logged as a look.
    assert_error(
        app.get_with_token(&path, &officer).await,
        403,
        "not_assignee",
        None,
    )
    .await;
    // A holder cannot use the officer route at all.
    assert_eq!(
        app.get_with_token(&path, &holder).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        act(&app, &officer, &ack, "assign", json!({}))
            .await
            .status(),
        StatusCode::OK
    );
    let response = app.get_with_token(&path, &officer).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = body(response).await;
    let items = page["items"].as_array().expect("items");
    assert!(!items.is_empty(), "the requester's location records");
    assert!(
        items.iter().all(|i| i["deletable"] == false),
        "officers read only"
    );
    // The same data the holder sees.
    let own = body(
        app.get_with_token("/api/v1/me/data/location", &holder)
            .await,
    )
    .await;
    assert_eq!(own["items"][0]["id"], items[0]["id"]);
    // Another officer's request, a request without an account, an unknown category.
    let stranger = file_anonymously(&app).await;
    act(&app, &officer, &stranger, "assign", json!({})).await;
    assert_error(
        app.get_with_token(
            &format!("/api/v1/officer/requests/{stranger}/data/posts"),
            &officer,
        )
        .await,
        409,
        "no_account",
        None,
    )
    .await;
    assert_eq!(
        app.get_with_token(
            &format!("/api/v1/officer/requests/{ack}/data/passwords"),
            &officer
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
    // The look is in the audit log, with the category; one entry per look.
    let admin = app.demo_token("admin").await;
    let audit = body(app.get_with_token("/api/v1/admin/audit", &admin).await).await;
    assert_eq!(audit["chain_intact"], true);
    let looks: Vec<&serde_json::Value> = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["action"] == "officer.data_accessed")
        .collect();
    assert_eq!(looks.len(), 1, "{audit}");
    assert_eq!(looks[0]["subject"], ack.as_str());
    assert!(
        looks[0]["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("location"),
        "{}",
        looks[0]
    );
    // Once answered, the request no longer opens the data.
    act(
        &app,
        &officer,
        &ack,
        "fulfil",
        json!({"summary": "Here they are."}),
    )
    .await;
    assert_error(
        app.get_with_token(&path, &officer).await,
        409,
        "request_closed",
        None,
    )
    .await;
}

async fn the_register_pages_by_cursor_in_due_order(app: TestApp) {
    let officer = app.demo_token("officer").await;
    let mut filed = Vec::new();
    for kind in ["copy", "access", "copy", "access", "copy", "access", "copy"] {
        let body_text =
            OFFICER_REQUEST.replace("\"kind\":\"copy\"", &format!("\"kind\":\"{kind}\""));
        let response = reqwest::Client::new()
            .post(app.url("/api/v1/requests"))
            .header("content-type", "application/json")
            .body(body_text)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::CREATED);
        filed.push(
            body(response).await["ack"]
                .as_str()
                .expect("ack")
                .to_owned(),
        );
    }
    let mut seen: Vec<serde_json::Value> = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &after {
            Some(a) => format!("/api/v1/officer/requests?limit=2&after={a}"),
            None => "/api/v1/officer/requests?limit=2".to_owned(),
        };
        let response = app.get_with_token(&path, &officer).await;
        assert_eq!(response.status(), StatusCode::OK);
        let next = response
            .headers()
            .get("x-next-cursor")
            .map(|v| v.to_str().expect("ascii").to_owned());
        let rows = body(response).await;
        let rows = rows.as_array().expect("rows");
        assert!(rows.len() <= 2);
        seen.extend(rows.iter().cloned());
        pages += 1;
        match next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(pages, 4, "7 rows by 2");
    let acks: Vec<&str> = seen
        .iter()
        .map(|r| r["ack"].as_str().expect("ack"))
        .collect();
    let mut unique = acks.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 7, "each request once: {acks:?}");
    for ack in &filed {
        assert!(acks.contains(&ack.as_str()));
    }
    // Due ones first, earliest first; those still without a due instant last.
    let dues: Vec<Option<&str>> = seen.iter().map(|r| r["due_at"].as_str()).collect();
    let first_undue = dues.iter().position(Option::is_none).expect("undue ones");
    assert_eq!(first_undue, 4);
    assert!(dues[..4].windows(2).all(|w| w[0] <= w[1]));
    assert!(dues[4..].iter().all(Option::is_none));
    for bad in ["x", "d1_PR-2026-0000", "q12_PR-2026-AAAA-BBBB"] {
        let response = app
            .get_with_token(&format!("/api/v1/officer/requests?after={bad}"), &officer)
            .await;
        assert_error(response, 422, "invalid_cursor", Some("after")).await;
    }
}
