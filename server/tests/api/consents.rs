//! Consent feature by feature: turn off, turn off and clear, receipts, and
//! collection that obeys at once.

use crate::helpers::{TestApp, assert_error, body};
use crate::on_every_backend;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_every_backend!(
    turning_location_off_and_clearing_deletes_it_and_refuses_collection,
    turning_steps_off_keeps_the_history_and_granting_again_collects,
    collected_input_is_checked_and_contacts_are_keyed_hashes,
    withdrawal_races_collection_without_a_phantom_write,
);

async fn put(app: &TestApp, token: &str, feature: &str, change: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .put(app.url(&format!("/api/v1/me/consents/{feature}")))
        .bearer_auth(token)
        .json(change)
        .send()
        .await
        .expect("sent")
}

async fn items(app: &TestApp, token: &str, category: &str) -> Vec<Value> {
    let page = body(
        app.get_with_token(&format!("/api/v1/me/data/{category}?limit=200"), token)
            .await,
    )
    .await;
    page["items"].as_array().cloned().unwrap_or_default()
}

async fn collect(app: &TestApp, token: &str, feature: &str, data: &Value) -> reqwest::Response {
    app.post_with_token(&format!("/api/v1/collect/{feature}"), token, data)
        .await
}

async fn state_of(app: &TestApp, token: &str, feature: &str) -> String {
    let list = body(app.get_with_token("/api/v1/me/consents", token).await).await;
    list.as_array()
        .expect("features")
        .iter()
        .find(|c| c["feature"] == feature)
        .map(|c| c["state"].as_str().unwrap_or_default().to_owned())
        .expect("listed")
}

async fn turning_location_off_and_clearing_deletes_it_and_refuses_collection(app: TestApp) {
    let token = app.demo_holder_with_data().await;
    assert_eq!(state_of(&app, &token, "location").await, "granted");
    let overview = body(app.get_with_token("/api/v1/me/data", &token).await).await;
    let before = overview["counts"]["location"].as_u64().expect("count");
    assert!(before > 0, "the demo holder has location history");

    // Clearing deletes data: the password again first.
    let off_and_clear = json!({"granted": false, "clear": true});
    assert_error(
        put(&app, &token, "location", &off_and_clear).await,
        403,
        "reauth_required",
        None,
    )
    .await;
    assert!(!items(&app, &token, "location").await.is_empty());
    assert_eq!(state_of(&app, &token, "location").await, "granted");

    let reauth = app
        .post_with_token(
            "/api/v1/auth/reauth",
            &token,
            &json!({"password": "demo-password-1"}),
        )
        .await;
    assert_eq!(reauth.status(), StatusCode::NO_CONTENT);
    let changed = put(&app, &token, "location", &off_and_clear).await;
    assert_eq!(changed.status(), StatusCode::OK);
    let view = body(changed).await;
    assert_eq!(view["state"], "withdrawn");
    assert!(items(&app, &token, "location").await.is_empty());

    assert_error(
        collect(
            &app,
            &token,
            "location",
            &json!({"lat": 31.23, "lon": 121.47}),
        )
        .await,
        403,
        "consent_required",
        None,
    )
    .await;
    assert!(items(&app, &token, "location").await.is_empty());

    let history = body(
        app.get_with_token("/api/v1/me/consents/history", &token)
            .await,
    )
    .await;
    let receipt = &history[0];
    assert_eq!(receipt["feature"], "location");
    assert_eq!(receipt["state"], "withdrawn");
    assert_eq!(receipt["channel"], "api");
    assert_eq!(receipt["policy_version"], "2026-01");
    assert_eq!(receipt["cleared"], true);
    assert_eq!(receipt["cleared_items"].as_u64(), Some(before));
    // The holder's activity says what happened, never the content.
    let activity = items(&app, &token, "activity").await;
    assert!(
        activity.iter().any(|a| a["fields"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["value"] == "consent_cleared"))),
        "{activity:?}"
    );
}

async fn turning_steps_off_keeps_the_history_and_granting_again_collects(app: TestApp) {
    let token = app.demo_holder_with_data().await;
    let before = items(&app, &token, "steps").await.len();
    assert!(before > 0);

    let off = put(&app, &token, "steps", &json!({"granted": false})).await;
    assert_eq!(off.status(), StatusCode::OK);
    assert_eq!(
        items(&app, &token, "steps").await.len(),
        before,
        "turning off keeps data"
    );
    let day = json!({"date": "2026-06-14", "steps": 8_765});
    assert_error(
        collect(&app, &token, "steps", &day).await,
        403,
        "consent_required",
        None,
    )
    .await;

    // Clearing while granting makes no sense.
    assert_error(
        put(
            &app,
            &token,
            "steps",
            &json!({"granted": true, "clear": true}),
        )
        .await,
        422,
        "invalid_clear",
        Some("clear"),
    )
    .await;

    let on = put(&app, &token, "steps", &json!({"granted": true})).await;
    assert_eq!(body(on).await["state"], "granted");
    let stored = collect(&app, &token, "steps", &day).await;
    assert_eq!(stored.status(), StatusCode::CREATED);
    assert_eq!(body(stored).await["stored"], 1);
    let steps = items(&app, &token, "steps").await;
    assert!(
        steps
            .iter()
            .any(|s| s["day"] == "2026-06-14" && s["fields"][0]["value"] == "8765"),
        "{steps:?}"
    );
    // A day that has not come is refused with its field.
    assert_error(
        collect(
            &app,
            &token,
            "steps",
            &json!({"date": "2030-01-01", "steps": 1}),
        )
        .await,
        422,
        "future_date",
        Some("date"),
    )
    .await;

    let history = body(
        app.get_with_token("/api/v1/me/consents/history", &token)
            .await,
    )
    .await;
    let states: Vec<(&str, &str, bool)> = history
        .as_array()
        .expect("receipts")
        .iter()
        .map(|r| {
            (
                r["feature"].as_str().unwrap_or_default(),
                r["state"].as_str().unwrap_or_default(),
                r["cleared"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [("steps", "granted", false), ("steps", "withdrawn", false)],
        "every change, newest first"
    );
}

async fn collected_input_is_checked_and_contacts_are_keyed_hashes(app: TestApp) {
    let token = app.holder_token().await;
    // A fresh holder has granted nothing: collection is refused until then.
    assert_error(
        collect(
            &app,
            &token,
            "contacts",
            &json!({"numbers": ["+8613800000001"]}),
        )
        .await,
        403,
        "consent_required",
        None,
    )
    .await;
    for feature in ["location", "contacts", "voiceprint"] {
        assert_eq!(
            put(&app, &token, feature, &json!({"granted": true}))
                .await
                .status(),
            200
        );
    }
    for (feature, data, code, field) in [
        (
            "location",
            json!({"lat": 91.0, "lon": 0.0}),
            "out_of_range",
            "lat",
        ),
        ("location", json!({"lat": 10.0}), "required", "lon"),
        (
            "location",
            json!({"lat": 1.0, "lon": 1.0, "at": "2030-01-01T00:00:00Z"}),
            "invalid_instant",
            "at",
        ),
        ("contacts", json!({"numbers": []}), "batch_size", "numbers"),
        (
            "contacts",
            json!({"numbers": ["+8613800000001", "call me"]}),
            "invalid_mobile",
            "numbers[1]",
        ),
        (
            "voiceprint",
            json!({"sample_id": "../../etc/passwd"}),
            "invalid_sample",
            "sample_id",
        ),
    ] {
        assert_error(
            collect(&app, &token, feature, &data).await,
            422,
            code,
            Some(field),
        )
        .await;
    }
    let many: Vec<String> = (0..5001).map(|i| format!("+86138{i:08}")).collect();
    assert_error(
        collect(&app, &token, "contacts", &json!({"numbers": many})).await,
        422,
        "batch_size",
        Some("numbers"),
    )
    .await;
    assert_error(
        collect(&app, &token, "horoscope", &json!({})).await,
        404,
        "unknown_feature",
        None,
    )
    .await;
    assert_error(
        collect(&app, &token, "ads", &json!({})).await,
        404,
        "not_found",
        None,
    )
    .await;

    let number = "+8613800000001";
    let stored = collect(
        &app,
        &token,
        "contacts",
        &json!({"numbers": [number, "+86 138 0000 0001"]}),
    )
    .await;
    assert_eq!(body(stored).await["stored"], 1, "the same number once");
    let contacts = items(&app, &token, "contacts").await;
    let hash = contacts[0]["fields"][0]["value"].as_str().expect("hash");
    // Not a bare SHA-256 of the number, which anyone could find by trying numbers.
    use sha2::{Digest, Sha256};
    assert_ne!(hash, hex::encode(Sha256::digest(number.as_bytes())));
    assert_eq!(hash.len(), 64);
    let point = collect(
        &app,
        &token,
        "location",
        &json!({"lat": 31.2304, "lon": 121.4737}),
    )
    .await;
    assert_eq!(point.status(), StatusCode::CREATED);
    assert_eq!(items(&app, &token, "location").await.len(), 1);
}

async fn withdrawal_races_collection_without_a_phantom_write(app: TestApp) {
    let token = app.holder_token().await;
    assert_eq!(
        put(&app, &token, "location", &json!({"granted": true}))
            .await
            .status(),
        200
    );
    let point = json!({"lat": 22.54, "lon": 114.06});
    let collectors: Vec<_> = (0..24)
        .map(|_| {
            let (app_url, token, point) = (
                app.url("/api/v1/collect/location"),
                token.clone(),
                point.clone(),
            );
            tokio::spawn(async move {
                reqwest::Client::new()
                    .post(app_url)
                    .bearer_auth(token)
                    .json(&point)
                    .send()
                    .await
                    .expect("sent")
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let withdrawn = put(&app, &token, "location", &json!({"granted": false})).await;
    assert_eq!(withdrawn.status(), StatusCode::OK);
    let mut stored = 0;
    for c in collectors {
        match c.await.expect("joined") {
            201 => stored += 1,
            403 => {}
            other => panic!("a collection answered {other}"),
        }
    }
    // Every 201 is a stored point, and nothing else is.
    assert_eq!(items(&app, &token, "location").await.len(), stored);
    // After the withdrawal, nothing more is stored.
    for _ in 0..5 {
        assert_error(
            collect(&app, &token, "location", &point).await,
            403,
            "consent_required",
            None,
        )
        .await;
    }
    assert_eq!(items(&app, &token, "location").await.len(), stored);
}
