//! Consent feature by feature: turn off, turn off and clear, receipts, and
//! collection that obeys at once.

use crate::helpers::{Backend, TestApp, TestUser, assert_error, body, spawn_app_configured};
use crate::on_every_backend;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_every_backend!(
    turning_location_off_and_clearing_deletes_it_and_refuses_collection,
    turning_steps_off_keeps_the_history_and_granting_again_collects,
    collected_input_is_checked_and_contacts_are_keyed_hashes,
    withdrawal_races_collection_without_a_phantom_write,
    a_withdrawal_on_one_instance_stops_collection_on_another,
    global_privacy_control_turns_off_marketing_and_ads_in_a_browser,
    a_new_privacy_policy_pauses_features_until_accepted,
    publishing_a_policy_is_for_administrators_and_checked,
    a_minors_sensitive_grant_waits_for_the_guardians_link,
    receipts_are_part_of_the_holders_data,
    every_feature_withdraws_refuses_grants_again_and_clears,
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
        states[..2],
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

/// `n` location collections sent at once, spread over `instances`.
fn collections(
    instances: &[&TestApp],
    token: &str,
    point: &Value,
    n: usize,
) -> Vec<tokio::task::JoinHandle<u16>> {
    (0..n)
        .map(|i| {
            let (url, token, point) = (
                instances[i % instances.len()].url("/api/v1/collect/location"),
                token.to_owned(),
                point.clone(),
            );
            tokio::spawn(async move {
                reqwest::Client::new()
                    .post(url)
                    .bearer_auth(token)
                    .json(&point)
                    .send()
                    .await
                    .expect("sent")
                    .status()
                    .as_u16()
            })
        })
        .collect()
}

/// How many collections stored a point: each answers 201 or 403, nothing else.
async fn stored_of(collectors: Vec<tokio::task::JoinHandle<u16>>) -> usize {
    let mut stored = 0;
    for c in collectors {
        match c.await.expect("joined") {
            201 => stored += 1,
            403 => {}
            other => panic!("a collection answered {other}"),
        }
    }
    stored
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
    let collectors = collections(&[&app], &token, &point, 24);
    let withdrawn = put(&app, &token, "location", &json!({"granted": false})).await;
    assert_eq!(withdrawn.status(), StatusCode::OK);
    let stored = stored_of(collectors).await;
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

/// PUT with headers a browser would add.
async fn put_with(
    app: &TestApp,
    token: &str,
    feature: &str,
    change: &Value,
    gpc: bool,
) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .put(app.url(&format!("/api/v1/me/consents/{feature}")))
        .bearer_auth(token)
        .json(change);
    if gpc {
        request = request.header("Sec-GPC", "1");
    }
    request.send().await.expect("sent")
}

async fn history(app: &TestApp, token: &str) -> Vec<Value> {
    body(
        app.get_with_token("/api/v1/me/consents/history", token)
            .await,
    )
    .await
    .as_array()
    .cloned()
    .expect("receipts")
}

async fn a_withdrawal_on_one_instance_stops_collection_on_another(app: TestApp) {
    // A second server on the same database, as a load balancer would have.
    let backend = if app.database_url.starts_with("postgres") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    let (url, keys) = (app.database_url.clone(), app.data_dir().to_path_buf());
    let other = spawn_app_configured(backend, |config| {
        // The same database and the same signing keys.
        config.database_url = url;
        config.data_dir = keys;
        config.background_jobs = false;
    })
    .await
    .expect("second instance starts");
    let token = app.holder_token().await;
    assert_eq!(
        put(&app, &token, "location", &json!({"granted": true}))
            .await
            .status(),
        200
    );
    let point = json!({"lat": 22.54, "lon": 114.06});
    assert_eq!(
        collect(&other, &token, "location", &point).await.status(),
        201,
        "the other instance knows the session and the grant"
    );
    let collectors = collections(&[&other, &app], &token, &point, 32);
    let withdrawn = put(&app, &token, "location", &json!({"granted": false})).await;
    assert_eq!(withdrawn.status(), StatusCode::OK);
    let stored = 1 + stored_of(collectors).await;
    assert_eq!(items(&app, &token, "location").await.len(), stored);
    // The very next collection on the other instance is refused.
    assert_error(
        collect(&other, &token, "location", &point).await,
        403,
        "consent_required",
        None,
    )
    .await;
    assert_eq!(items(&other, &token, "location").await.len(), stored);
}

async fn global_privacy_control_turns_off_marketing_and_ads_in_a_browser(app: TestApp) {
    let token = app.holder_token().await;
    for feature in ["marketing", "ads", "location"] {
        let granted = put(&app, &token, feature, &json!({"granted": true})).await;
        assert_eq!(granted.status(), StatusCode::OK, "{feature}");
    }
    // An app (a bearer token) sending the header withdraws nothing: the
    // signal is a browser's.
    let from_app = reqwest::Client::new()
        .get(app.url("/api/v1/me/consents"))
        .bearer_auth(&token)
        .header("Sec-GPC", "1")
        .send()
        .await
        .expect("sent");
    let listed = body(from_app).await;
    let ads = listed
        .as_array()
        .and_then(|l| l.iter().find(|c| c["feature"] == "ads").cloned())
        .expect("ads listed");
    assert_eq!(ads["state"], "granted");
    assert_eq!(ads["gpc"], true, "the view says the signal is there");

    // A signed-in browser: the session cookie and the signal.
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let me = body(app.get_with_token("/api/v1/me", &token).await).await;
    let signed_in = browser
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": app_email(&app, &me).await, "password": "correct-horse-battery"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(signed_in.status(), StatusCode::OK);
    let page = browser
        .get(app.url("/consents"))
        .header("Sec-GPC", "1")
        .send()
        .await
        .expect("sent");
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(state_of(&app, &token, "marketing").await, "withdrawn");
    assert_eq!(state_of(&app, &token, "ads").await, "withdrawn");
    assert_eq!(
        state_of(&app, &token, "location").await,
        "granted",
        "GPC is about marketing and ads only"
    );
    let receipts = history(&app, &token).await;
    let by_gpc: Vec<_> = receipts
        .iter()
        .filter(|r| r["channel"] == "gpc")
        .map(|r| r["feature"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(by_gpc.len(), 2, "{receipts:?}");
    assert!(by_gpc.contains(&"ads".to_owned()) && by_gpc.contains(&"marketing".to_owned()));
    // Once withdrawn, the signal changes nothing more.
    let again = browser
        .get(app.url("/consents"))
        .header("Sec-GPC", "1")
        .send()
        .await
        .expect("sent");
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(history(&app, &token).await.len(), receipts.len());
    // While the signal is sent, ads cannot be turned back on.
    assert_error(
        put_with(&app, &token, "ads", &json!({"granted": true}), true).await,
        409,
        "gpc_signal",
        None,
    )
    .await;
    // Without it, the holder may choose again.
    assert_eq!(
        put_with(&app, &token, "ads", &json!({"granted": true}), false)
            .await
            .status(),
        StatusCode::OK
    );
}

/// The address of the signed-in holder (the test knows it from sign-up).
async fn app_email(app: &TestApp, me: &Value) -> String {
    use sea_orm::EntityTrait;
    let id: uuid::Uuid = me["account_id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("account id");
    server::entities::accounts::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .expect("read")
        .expect("account")
        .email
}

async fn publish(app: &TestApp, admin: &str, version: &str) -> reqwest::Response {
    app.post_with_token(
        "/api/v1/admin/privacy-policies",
        admin,
        &json!({"version": version, "summary": "Step counts are now kept for 30 days, not 90.\nNothing else changed."}),
    )
    .await
}

async fn a_new_privacy_policy_pauses_features_until_accepted(app: TestApp) {
    let token = app.holder_token().await;
    assert_eq!(
        put(&app, &token, "location", &json!({"granted": true}))
            .await
            .status(),
        200
    );
    let point = json!({"lat": 31.23, "lon": 121.47});
    assert_eq!(
        collect(&app, &token, "location", &point).await.status(),
        201
    );
    let me = body(app.get_with_token("/api/v1/me", &token).await).await;
    assert_eq!(me["pending_policy"], Value::Null);

    let admin = app.demo_token("admin").await;
    let published = publish(&app, &admin, "2027-01").await;
    assert_eq!(published.status(), StatusCode::CREATED);
    let versions = body(app.get_with_token("/api/v1/privacy-policies", &token).await).await;
    assert_eq!(versions[0]["version"], "2027-01");
    assert_eq!(versions[1]["version"], "2026-01");

    // The holder is asked, and the features stay off until they accept.
    let me = body(app.get_with_token("/api/v1/me", &token).await).await;
    assert_eq!(me["pending_policy"], "2027-01");
    assert_error(
        collect(&app, &token, "location", &point).await,
        403,
        "policy_not_accepted",
        None,
    )
    .await;
    assert_error(
        put(&app, &token, "steps", &json!({"granted": true})).await,
        409,
        "policy_not_accepted",
        None,
    )
    .await;
    let listed = body(app.get_with_token("/api/v1/me/consents", &token).await).await;
    let location = listed
        .as_array()
        .and_then(|l| l.iter().find(|c| c["feature"] == "location").cloned())
        .expect("listed");
    assert_eq!(location["state"], "granted");
    assert_eq!(location["paused_for_policy"], true);
    // Withdrawing is never held back by a policy.
    assert_eq!(
        put(&app, &token, "marketing", &json!({"granted": false}))
            .await
            .status(),
        200
    );

    let status = body(
        app.get_with_token("/api/v1/me/privacy-policy", &token)
            .await,
    )
    .await;
    assert_eq!(status["current"]["version"], "2027-01");
    assert_eq!(status["accepted"], false);
    assert_error(
        app.post_with_token(
            "/api/v1/me/privacy-policy/accept",
            &token,
            &json!({"version": "2026-01"}),
        )
        .await,
        409,
        "policy_outdated",
        Some("version"),
    )
    .await;
    for _ in 0..2 {
        let accepted = app
            .post_with_token(
                "/api/v1/me/privacy-policy/accept",
                &token,
                &json!({"version": "2027-01"}),
            )
            .await;
        assert_eq!(accepted.status(), StatusCode::OK);
        assert_eq!(body(accepted).await["accepted"], true);
    }
    let receipts = history(&app, &token).await;
    let acceptances: Vec<_> = receipts.iter().filter(|r| r["feature"].is_null()).collect();
    assert_eq!(acceptances.len(), 1, "accepting twice keeps one receipt");
    assert_eq!(acceptances[0]["policy_version"], "2027-01");
    assert_eq!(acceptances[0]["state"], "granted");
    assert_eq!(acceptances[0]["channel"], "api");
    assert_eq!(
        collect(&app, &token, "location", &point).await.status(),
        201
    );
    let me = body(app.get_with_token("/api/v1/me", &token).await).await;
    assert_eq!(me["pending_policy"], Value::Null);
    // Changes now carry the new version.
    assert_eq!(
        put(&app, &token, "steps", &json!({"granted": true}))
            .await
            .status(),
        200
    );
    assert_eq!(history(&app, &token).await[0]["policy_version"], "2027-01");

    // Someone who signs up now accepts the version in force as they do.
    let newcomer = app.holder_token().await;
    let me = body(app.get_with_token("/api/v1/me", &newcomer).await).await;
    assert_eq!(me["pending_policy"], Value::Null);
    // Staff have nothing to accept.
    let me = body(app.get_with_token("/api/v1/me", &admin).await).await;
    assert_eq!(me["pending_policy"], Value::Null);
}

async fn publishing_a_policy_is_for_administrators_and_checked(app: TestApp) {
    let holder = app.holder_token().await;
    assert_error(
        publish(&app, &holder, "2027-01").await,
        403,
        "forbidden",
        None,
    )
    .await;
    let officer = app.demo_token("officer").await;
    assert_error(
        publish(&app, &officer, "2027-01").await,
        403,
        "forbidden",
        None,
    )
    .await;
    let admin = app.demo_token("admin").await;
    let bad: [(Value, &str, &str); 5] = [
        (
            json!({"version": "", "summary": "x"}),
            "version",
            "required",
        ),
        (
            json!({"version": "2027/01", "summary": "x"}),
            "version",
            "invalid_choice",
        ),
        (
            json!({"version": "9".repeat(33), "summary": "x"}),
            "version",
            "too_long",
        ),
        (
            json!({"version": "2027-01", "summary": " "}),
            "summary",
            "required",
        ),
        (
            json!({"version": "2027-01", "summary": "a\u{0}b"}),
            "summary",
            "invalid_characters",
        ),
    ];
    for (policy, field, code) in bad {
        assert_error(
            app.post_with_token("/api/v1/admin/privacy-policies", &admin, &policy)
                .await,
            422,
            code,
            Some(field),
        )
        .await;
    }
    assert_eq!(publish(&app, &admin, "2027-01").await.status(), 201);
    assert_error(
        publish(&app, &admin, "2027-01").await,
        409,
        "version_exists",
        Some("version"),
    )
    .await;
    assert_error(
        publish(&app, &admin, "2026-01").await,
        409,
        "version_exists",
        Some("version"),
    )
    .await;
    // The publication is in the audit log.
    let audit = body(app.get_with_token("/api/v1/admin/audit", &admin).await).await;
    assert!(
        audit["entries"]
            .as_array()
            .is_some_and(|e| e.iter().any(|e| e["action"] == "admin.policy_published")),
        "{audit}"
    );
}

/// Signs up a 15-year-old; answers (token, e-mail).
async fn teenager(app: &TestApp) -> (String, String) {
    let year = app.state.clock.now().year() - 15;
    let teen = TestUser::generate();
    let started = app
        .post_json(
            "/api/v1/auth/signup",
            &json!({"email": teen.email, "password": teen.password, "display_name": "Mei 小美", "birth_date": format!("{year}-03-01")}),
        )
        .await;
    assert_eq!(started.status(), StatusCode::ACCEPTED);
    let link = app.sign_up_token(&teen.email).await.expect("link");
    assert_eq!(app.verify_email(&link).await.status(), StatusCode::CREATED);
    (app.token_for(&teen.email, &teen.password).await, teen.email)
}

/// The token of the newest guardian link mailed to `email`.
async fn guardian_token(app: &TestApp, email: &str) -> Option<String> {
    app.link_token(email, "/guardian").await
}

async fn a_minors_sensitive_grant_waits_for_the_guardians_link(app: TestApp) {
    let (token, own) = teenager(&app).await;
    assert_error(
        put(&app, &token, "location", &json!({"granted": true})).await,
        422,
        "guardian_email_required",
        Some("guardian_email"),
    )
    .await;
    assert_error(
        put(
            &app,
            &token,
            "location",
            &json!({"granted": true, "guardian_email": "not an address"}),
        )
        .await,
        422,
        "invalid_email",
        Some("guardian_email"),
    )
    .await;
    assert_error(
        put(
            &app,
            &token,
            "location",
            &json!({"granted": true, "guardian_email": own}),
        )
        .await,
        422,
        "guardian_is_holder",
        Some("guardian_email"),
    )
    .await;
    // Not sensitive: no guardian needed.
    assert_eq!(
        put(&app, &token, "marketing", &json!({"granted": true}))
            .await
            .status(),
        200
    );

    let guardian = "parent@example.com";
    let asked = put(
        &app,
        &token,
        "location",
        &json!({"granted": true, "guardian_email": guardian}),
    )
    .await;
    assert_eq!(asked.status(), StatusCode::OK);
    assert_eq!(body(asked).await["state"], "awaiting_guardian");
    assert_eq!(
        state_of(&app, &token, "location").await,
        "awaiting_guardian"
    );
    let point = json!({"lat": 31.23, "lon": 121.47});
    assert_error(
        collect(&app, &token, "location", &point).await,
        403,
        "consent_required",
        None,
    )
    .await;
    let link = guardian_token(&app, guardian)
        .await
        .expect("the guardian got a link");
    assert_eq!(link.len(), 64, "a 256-bit token");
    let (subject, text) = app.mails_to(guardian).await.pop().expect("mail");
    assert!(subject.contains("Mei 小美"), "{subject}");
    assert!(text.contains("7 days"), "{text}");

    let ask = app
        .post_json("/api/v1/guardian/lookup", &json!({"token": link}))
        .await;
    assert_eq!(ask.status(), StatusCode::OK);
    let ask = body(ask).await;
    assert_eq!(ask["holder"], "Mei 小美");
    assert_eq!(ask["feature"], "location");
    assert_eq!(ask["confirmed"], false);

    let confirmed = app
        .post_json("/api/v1/guardian/confirm", &json!({"token": link}))
        .await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    assert_eq!(body(confirmed).await["confirmed"], true);
    assert_eq!(state_of(&app, &token, "location").await, "granted");
    assert_eq!(
        collect(&app, &token, "location", &point).await.status(),
        201
    );
    // Once only.
    assert_error(
        app.post_json("/api/v1/guardian/confirm", &json!({"token": link}))
            .await,
        410,
        "link_expired",
        None,
    )
    .await;
    let receipts = history(&app, &token).await;
    assert_eq!(receipts[0]["channel"], "guardian");
    assert_eq!(receipts[0]["state"], "granted");
    assert_eq!(receipts[1]["state"], "awaiting_guardian");

    // A withdrawal while waiting voids the link.
    let asked = put(
        &app,
        &token,
        "steps",
        &json!({"granted": true, "guardian_email": guardian}),
    )
    .await;
    assert_eq!(body(asked).await["state"], "awaiting_guardian");
    let steps_link = guardian_token(&app, guardian).await.expect("link");
    assert_ne!(steps_link, link);
    assert_eq!(
        put(&app, &token, "steps", &json!({"granted": false}))
            .await
            .status(),
        200
    );
    assert_error(
        app.post_json("/api/v1/guardian/confirm", &json!({"token": steps_link}))
            .await,
        410,
        "link_expired",
        None,
    )
    .await;
    assert_eq!(state_of(&app, &token, "steps").await, "withdrawn");

    // A link works for 7 days.
    let asked = put(
        &app,
        &token,
        "contacts",
        &json!({"granted": true, "guardian_email": guardian}),
    )
    .await;
    assert_eq!(asked.status(), StatusCode::OK);
    let late_link = guardian_token(&app, guardian).await.expect("link");
    app.advance_clock(7 * 86_400 + 1);
    assert_error(
        app.post_json("/api/v1/guardian/lookup", &json!({"token": late_link}))
            .await,
        410,
        "link_expired",
        None,
    )
    .await;
    // (The session ran out meanwhile: sign in again.)
    let token = app.token_for(&own, "correct-horse-battery").await;
    assert_eq!(state_of(&app, &token, "contacts").await, "withdrawn");
    for forged in ["", "00", &"f".repeat(64), &"x".repeat(300)] {
        assert_error(
            app.post_json("/api/v1/guardian/confirm", &json!({"token": forged}))
                .await,
            410,
            "link_expired",
            None,
        )
        .await;
    }
}

async fn receipts_are_part_of_the_holders_data(app: TestApp) {
    let token = app.holder_token().await;
    assert_eq!(
        put(&app, &token, "steps", &json!({"granted": true}))
            .await
            .status(),
        200
    );
    assert_eq!(
        put(&app, &token, "steps", &json!({"granted": false}))
            .await
            .status(),
        200
    );
    let overview = body(app.get_with_token("/api/v1/me/data", &token).await).await;
    assert_eq!(overview["counts"]["consents"].as_u64(), Some(2));
    let listed = items(&app, &token, "consents").await;
    assert_eq!(listed.len(), 2);
    let field = |item: &Value, name: &str| {
        item["fields"]
            .as_array()
            .and_then(|f| f.iter().find(|f| f["key"] == name))
            .map(|f| f["value"].clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!(field(&listed[0], "feature"), "steps");
    assert_eq!(field(&listed[0], "state"), "withdrawn");
    assert_eq!(field(&listed[0], "channel"), "api");
    assert_eq!(field(&listed[0], "policy_version"), "2026-01");
    assert_eq!(field(&listed[1], "state"), "granted");
}

/// (feature, two inputs to collect, the data category it fills)
type FeatureCase = (&'static str, Option<[Value; 2]>, Option<&'static str>);

/// Per feature: grant, collect, turn off (kept, refused), grant again
/// (collects), turn off and clear (gone, refused).
async fn every_feature_withdraws_refuses_grants_again_and_clears(app: TestApp) {
    let token = app.holder_token().await;
    let reauth = app
        .post_with_token(
            "/api/v1/auth/reauth",
            &token,
            &json!({"password": "correct-horse-battery"}),
        )
        .await;
    assert_eq!(reauth.status(), StatusCode::NO_CONTENT);
    let cases: [FeatureCase; 7] = [
        (
            "location",
            Some([
                json!({"lat": 31.23, "lon": 121.47}),
                json!({"lat": 22.54, "lon": 114.06}),
            ]),
            Some("location"),
        ),
        (
            "steps",
            Some([
                json!({"date": "2026-06-13", "steps": 4_321}),
                json!({"date": "2026-06-14", "steps": 9_876}),
            ]),
            Some("steps"),
        ),
        (
            "contacts",
            Some([
                json!({"numbers": ["+8613800000001"]}),
                json!({"numbers": ["+8613800000002"]}),
            ]),
            Some("contacts"),
        ),
        (
            "voiceprint",
            Some([json!({"sample_id": "vp-1"}), json!({"sample_id": "vp-2"})]),
            None,
        ),
        ("cards", None, Some("cards")),
        ("marketing", None, None),
        ("ads", None, None),
    ];
    let count = |category: &'static str| {
        let (app, token) = (&app, &token);
        async move {
            body(app.get_with_token("/api/v1/me/data", token).await).await["counts"][category]
                .as_u64()
                .expect("count")
        }
    };
    for (feature, inputs, category) in cases {
        assert_eq!(
            state_of(&app, &token, feature).await,
            "withdrawn",
            "{feature}"
        );
        assert_eq!(
            put(&app, &token, feature, &json!({"granted": true}))
                .await
                .status(),
            200,
            "{feature}"
        );
        let Some([first, second]) = inputs else {
            // Nothing to hand over: the collection door has no such feature.
            assert_error(
                collect(&app, &token, feature, &json!({})).await,
                404,
                "not_found",
                None,
            )
            .await;
            let cleared = put(
                &app,
                &token,
                feature,
                &json!({"granted": false, "clear": true}),
            )
            .await;
            assert_eq!(cleared.status(), 200, "{feature}");
            assert_eq!(state_of(&app, &token, feature).await, "withdrawn");
            let receipt = &history(&app, &token).await[0];
            assert_eq!(receipt["feature"], feature);
            assert_eq!(receipt["cleared"], category.is_some(), "{feature}");
            continue;
        };
        assert_eq!(
            collect(&app, &token, feature, &first).await.status(),
            201,
            "{feature}"
        );
        let held = match category {
            Some(c) => count(c).await,
            None => 1,
        };
        assert_eq!(held, 1, "{feature}");

        let off = put(&app, &token, feature, &json!({"granted": false})).await;
        assert_eq!(off.status(), 200, "{feature}");
        assert_error(
            collect(&app, &token, feature, &second).await,
            403,
            "consent_required",
            None,
        )
        .await;
        if let Some(c) = category {
            assert_eq!(count(c).await, 1, "turning {feature} off keeps its data");
        }

        let on = put(&app, &token, feature, &json!({"granted": true})).await;
        assert_eq!(on.status(), 200, "{feature}");
        assert_eq!(
            collect(&app, &token, feature, &second).await.status(),
            201,
            "{feature}"
        );
        let held = match category {
            Some(c) => count(c).await,
            // One enrolment, replaced.
            None => 1,
        };

        let cleared = put(
            &app,
            &token,
            feature,
            &json!({"granted": false, "clear": true}),
        )
        .await;
        assert_eq!(cleared.status(), 200, "{feature}");
        let receipt = &history(&app, &token).await[0];
        assert_eq!(receipt["feature"], feature);
        assert_eq!(receipt["cleared"], true);
        assert_eq!(receipt["cleared_items"].as_u64(), Some(held), "{feature}");
        if let Some(c) = category {
            assert_eq!(count(c).await, 0, "clearing {feature} deletes its data");
        }
        assert_error(
            collect(&app, &token, feature, &first).await,
            403,
            "consent_required",
            None,
        )
        .await;
    }
}
