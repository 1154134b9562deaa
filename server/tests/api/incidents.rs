//! Incident notices: drafted in both languages, published once to the
//! holders they name, seen as a banner until acknowledged, in the inbox and
//! by e-mail; counted, exported as CSV, and never edited once published.

use crate::helpers::{TestApp, assert_error, body};
use crate::on_every_backend;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_every_backend!(without_jobs:
    a_notice_reaches_only_the_holders_it_names,
    a_published_notice_never_changes_and_drafts_are_checked,
);

fn draft(audience: Value) -> Value {
    json!({
        "content": {
            "title_en": "Location records exposed",
            "title_zh": "位置记录泄露",
            "what_happened_en": "A misconfigured backup exposed location records for two days.",
            "what_happened_zh": "一个配置错误的备份导致位置记录暴露了两天。",
            "occurred_on": "2026-06-10",
            "data_categories": ["location"],
            "actions_en": "We closed the backup and rotated every key.",
            "actions_zh": "我们已关闭该备份并更换了所有密钥。",
            "advice_en": "Review your location history; turn off location if you wish.",
            "advice_zh": "请查看您的位置记录；如有需要可关闭位置功能。",
            "contact": "privacy@portal.example · +86 755 0000 0000"
        },
        "audience": audience
    })
}

async fn account_id(app: &TestApp, token: &str) -> String {
    body(app.get_with_token("/api/v1/me", token).await).await["account_id"]
        .as_str()
        .expect("id")
        .to_owned()
}

async fn pending(app: &TestApp, token: &str) -> Vec<Value> {
    let r = app.get_with_token("/api/v1/me/incidents", token).await;
    assert_eq!(r.status(), StatusCode::OK);
    body(r).await.as_array().expect("list").clone()
}

async fn a_notice_reaches_only_the_holders_it_names(app: TestApp) {
    let demo = app.demo_holder_with_data().await;
    let fresh = app.holder_token().await;
    let fresh_email = app.last_holder_email();
    let admin = app.demo_token("admin").await;
    let officer = app.demo_token("officer").await;

    // Only administrators draft.
    assert_error(
        app.post_with_token(
            "/api/v1/admin/incidents",
            &officer,
            &draft(json!({"kind": "everyone"})),
        )
        .await,
        403,
        "forbidden",
        None,
    )
    .await;
    assert_error(
        app.post_with_token(
            "/api/v1/admin/incidents",
            &fresh,
            &draft(json!({"kind": "everyone"})),
        )
        .await,
        403,
        "forbidden",
        None,
    )
    .await;

    let created = app
        .post_with_token(
            "/api/v1/admin/incidents",
            &admin,
            &draft(json!({"kind": "categories", "categories": ["location"]})),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let id = body(created).await["id"].as_str().expect("id").to_owned();
    // A draft reaches nobody.
    assert!(pending(&app, &demo).await.is_empty());

    let published = app
        .post_with_token(
            &format!("/api/v1/admin/incidents/{id}/publish"),
            &admin,
            &json!({}),
        )
        .await;
    assert_eq!(published.status(), StatusCode::OK);
    let published = body(published).await;
    assert_eq!(published["status"], "published");
    assert_eq!(
        published["delivered"], 1,
        "only the holder with location data: {published}"
    );

    // The demo holder (location data) sees it; the fresh holder does not.
    let seen = pending(&app, &demo).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["content"]["title_zh"], "位置记录泄露");
    assert!(pending(&app, &fresh).await.is_empty());
    // In the inbox and the outbox of the demo holder only.
    let inbox = body(
        app.get_with_token("/api/v1/me/data/notifications", &demo)
            .await,
    )
    .await;
    assert!(
        inbox.to_string().contains("Location records exposed"),
        "{inbox}"
    );
    assert!(
        app.mails_to("demo@example.com")
            .await
            .iter()
            .any(|(s, b)| s.contains("位置记录泄露") && b.contains("What you should do"))
    );
    assert!(
        !app.mails_to(&fresh_email)
            .await
            .iter()
            .any(|(s, _)| s.contains("Location records"))
    );

    // Acknowledged: the banner goes, the count shows it.
    assert_eq!(
        app.post_with_token(
            &format!("/api/v1/me/incidents/{id}/acknowledge"),
            &demo,
            &json!({})
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    assert!(pending(&app, &demo).await.is_empty());
    // Not delivered to the fresh holder: nothing to acknowledge.
    assert_error(
        app.post_with_token(
            &format!("/api/v1/me/incidents/{id}/acknowledge"),
            &fresh,
            &json!({}),
        )
        .await,
        404,
        "not_found",
        None,
    )
    .await;
    let view = body(
        app.get_with_token(&format!("/api/v1/admin/incidents/{id}"), &admin)
            .await,
    )
    .await;
    assert_eq!(
        (view["delivered"].as_u64(), view["acknowledged"].as_u64()),
        (Some(1), Some(1))
    );

    // The CSV for the regulator: one row, with the acknowledgment.
    let csv = app
        .get_with_token(
            &format!("/api/v1/admin/incidents/{id}/deliveries.csv"),
            &admin,
        )
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/csv")
    );
    let csv = csv.text().await.expect("text");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "account_id,delivered_at,email_sent_at,acknowledged_at"
    );
    assert_eq!(lines.len(), 2, "{csv}");
    let demo_id = account_id(&app, &demo).await;
    assert!(
        lines[1].starts_with(&demo_id) && !lines[1].ends_with(','),
        "{csv}"
    );

    // A list of accounts reaches exactly them; an update says so.
    let fresh_id = account_id(&app, &fresh).await;
    let mut update = draft(json!({"kind": "accounts", "accounts": [fresh_id]}));
    update["follows"] = json!(id);
    let update = body(
        app.post_with_token("/api/v1/admin/incidents", &admin, &update)
            .await,
    )
    .await;
    let update_id = update["id"].as_str().expect("id");
    let published = body(
        app.post_with_token(
            &format!("/api/v1/admin/incidents/{update_id}/publish"),
            &admin,
            &json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(published["delivered"], 1);
    let seen = pending(&app, &fresh).await;
    assert_eq!(
        (seen.len(), seen[0]["is_update"].as_bool()),
        (1, Some(true))
    );
    assert!(pending(&app, &demo).await.is_empty());

    // Publishing is audited.
    let audit = body(app.get_with_token("/api/v1/admin/audit", &admin).await).await;
    assert!(audit.to_string().contains("incident.published"), "{audit}");
}

async fn a_published_notice_never_changes_and_drafts_are_checked(app: TestApp) {
    let admin = app.demo_token("admin").await;
    let mut missing = draft(json!({"kind": "everyone"}));
    missing["content"]["title_zh"] = json!("  ");
    assert_error(
        app.post_with_token("/api/v1/admin/incidents", &admin, &missing)
            .await,
        422,
        "required",
        Some("title_zh"),
    )
    .await;
    let mut future = draft(json!({"kind": "everyone"}));
    future["content"]["occurred_on"] = json!("2030-01-01");
    assert_error(
        app.post_with_token("/api/v1/admin/incidents", &admin, &future)
            .await,
        422,
        "invalid_choice",
        Some("occurred_on"),
    )
    .await;
    assert_error(
        app.post_with_token(
            "/api/v1/admin/incidents",
            &admin,
            &draft(json!({"kind": "categories", "categories": ["dreams"]})),
        )
        .await,
        422,
        "invalid_choice",
        Some("audience"),
    )
    .await;
    assert_error(
        app.post_with_token(
            "/api/v1/admin/incidents",
            &admin,
            &draft(json!({"kind": "accounts", "accounts": [uuid::Uuid::new_v4().to_string()]})),
        )
        .await,
        422,
        "unknown_account",
        Some("audience"),
    )
    .await;
    let mut follows_draft = draft(json!({"kind": "everyone"}));
    follows_draft["follows"] = json!(uuid::Uuid::new_v4().to_string());
    assert_error(
        app.post_with_token("/api/v1/admin/incidents", &admin, &follows_draft)
            .await,
        422,
        "invalid_follows",
        Some("follows"),
    )
    .await;

    let id = body(
        app.post_with_token(
            "/api/v1/admin/incidents",
            &admin,
            &draft(json!({"kind": "everyone"})),
        )
        .await,
    )
    .await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    // A draft can change.
    let mut changed = draft(json!({"kind": "everyone"}));
    changed["content"]["title_en"] = json!("Location records exposed (corrected)");
    let put = reqwest::Client::new()
        .put(app.url(&format!("/api/v1/admin/incidents/{id}")))
        .bearer_auth(&admin)
        .json(&changed)
        .send()
        .await
        .expect("sent");
    assert_eq!(put.status(), StatusCode::OK);
    assert_eq!(
        body(put).await["content"]["title_en"],
        "Location records exposed (corrected)"
    );
    assert_eq!(
        app.post_with_token(
            &format!("/api/v1/admin/incidents/{id}/publish"),
            &admin,
            &json!({})
        )
        .await
        .status(),
        StatusCode::OK
    );
    // Published: never again.
    let put = reqwest::Client::new()
        .put(app.url(&format!("/api/v1/admin/incidents/{id}")))
        .bearer_auth(&admin)
        .json(&changed)
        .send()
        .await
        .expect("sent");
    assert_error(put, 409, "incident_published", None).await;
    assert_error(
        app.post_with_token(
            &format!("/api/v1/admin/incidents/{id}/publish"),
            &admin,
            &json!({}),
        )
        .await,
        409,
        "incident_published",
        None,
    )
    .await;
    assert_error(
        app.get_with_token("/api/v1/admin/incidents/not-an-id", &admin)
            .await,
        404,
        "not_found",
        None,
    )
    .await;
}
