//! Cancelling an account: re-authentication, cooling-off, undo, the
//! reminder, erasure (no row of any table names the account afterwards;
//! sessions and the password stop working; the address may sign up again),
//! legal holds, a crash before the commit, two instances at once.

use crate::helpers::{Backend, TestApp, TestUser, assert_error, body, spawn_app_configured};
use crate::on_every_backend;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde_json::{Value, json};
use std::sync::atomic::Ordering;

on_every_backend!(without_jobs:
    cancel_undo_cancel_then_erasure_leaves_nothing_that_names_the_account,
    a_frozen_account_refuses_deletion_and_cancellation_and_its_clock_stands,
    a_crash_before_the_commit_erases_nothing_and_two_instances_erase_once,
    the_cooling_off_period_is_an_administrators_setting,
);

const DEMO: (&str, &str) = ("demo@example.com", "demo-password-1");

async fn reauth(app: &TestApp, token: &str, password: &str) {
    let response = app
        .post_with_token("/api/v1/auth/reauth", token, &json!({"password": password}))
        .await;
    assert!(response.status().is_success(), "{}", response.status());
}

async fn cancel(app: &TestApp, token: &str) -> reqwest::Response {
    app.post_with_token("/api/v1/me/cancellation", token, &json!({}))
        .await
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
) -> reqwest::Response {
    reqwest::Client::new()
        .request(method, app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("request sent")
}

async fn me(app: &TestApp, token: &str) -> Value {
    let response = app.get_with_token("/api/v1/me", token).await;
    assert_eq!(response.status(), StatusCode::OK);
    body(response).await
}

async fn account_id(app: &TestApp, token: &str) -> String {
    me(app, token).await["account_id"]
        .as_str()
        .expect("id")
        .to_owned()
}

fn backend(app: &TestApp) -> DatabaseBackend {
    if app.database_url.starts_with("postgres") {
        DatabaseBackend::Postgres
    } else {
        DatabaseBackend::Sqlite
    }
}

/// Every table and column where any of `needles` appears (as text, any
/// case; on SQLite also as the hex of a stored UUID's bytes).
async fn rows_naming(app: &TestApp, needles: &[String], uuid_hex: &str) -> Vec<String> {
    let db = &app.state.db;
    let b = backend(app);
    let tables_sql = match b {
        DatabaseBackend::Postgres => {
            "SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public'"
        }
        _ => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'"
        }
    };
    let columns = db
        .query_all_raw(Statement::from_string(b, tables_sql))
        .await
        .expect("columns");
    let mut found = Vec::new();
    for row in columns {
        let table: String = row.try_get("", "t").expect("table");
        let column: String = row.try_get("", "c").expect("column");
        if table == "seaql_migrations" {
            continue;
        }
        let mut tests: Vec<String> = needles
            .iter()
            .map(|n| {
                format!(
                    "LOWER(CAST(\"{column}\" AS TEXT)) LIKE '%{}%'",
                    n.to_lowercase()
                )
            })
            .collect();
        if b == DatabaseBackend::Sqlite {
            tests.push(format!("UPPER(hex(\"{column}\")) LIKE '%{uuid_hex}%'"));
        }
        let sql = format!(
            "SELECT COUNT(*) AS n FROM \"{table}\" WHERE {}",
            tests.join(" OR ")
        );
        let n: i64 = db
            .query_one_raw(Statement::from_string(b, sql))
            .await
            .expect("search")
            .expect("a row")
            .try_get("", "n")
            .expect("count");
        if n > 0 {
            found.push(format!("{table}.{column}: {n}"));
        }
    }
    found
}

async fn erased_entries(app: &TestApp) -> usize {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    server::entities::audit_log::Entity::find()
        .filter(server::entities::audit_log::Column::Action.eq("account.erased"))
        .count(&app.state.db)
        .await
        .expect("count") as usize
}

async fn cancel_undo_cancel_then_erasure_leaves_nothing_that_names_the_account(app: TestApp) {
    let token = app.demo_holder_with_data().await;
    let id = account_id(&app, &token).await;
    // An archive on disk, to be removed with the account.
    let export = body(
        app.post_with_token("/api/v1/me/exports", &token, &json!({}))
            .await,
    )
    .await["export_id"]
        .as_str()
        .expect("export")
        .to_owned();
    app.state.exports.run_pending().await.expect("built");
    let zip = app
        .state
        .exports
        .file(uuid::Uuid::parse_str(&export).expect("uuid"));
    assert!(zip.exists(), "the archive is on disk");

    // The password again first.
    assert_error(cancel(&app, &token).await, 403, "reauth_required", None).await;
    reauth(&app, &token, DEMO.1).await;
    let started = app.state.cancellations.now();
    let response = cancel(&app, &token).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let view = body(response).await;
    let effective = time::OffsetDateTime::parse(
        view["effective_at"].as_str().expect("effective_at"),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("RFC 3339");
    // The clock goes on while the request runs: the cancellation takes
    // effect 15 days after an instant between the call and its answer.
    let answered = app.state.cancellations.now();
    assert!(
        (started + time::Duration::days(15)..=answered + time::Duration::days(15))
            .contains(&effective),
        "{effective} is 15 days after the call ({started} … {answered})"
    );
    assert_eq!(view["days_left"], 15);
    assert_eq!(me(&app, &token).await["cancellation"]["days_left"], 15);
    assert_error(cancel(&app, &token).await, 409, "already_cancelling", None).await;
    // Collection stops at once, and nothing is granted meanwhile.
    assert_error(
        app.post_with_token(
            "/api/v1/collect/location",
            &token,
            &json!({"lat": 22.54, "lon": 114.06}),
        )
        .await,
        409,
        "account_cancelling",
        None,
    )
    .await;
    let overview = body(app.get_with_token("/api/v1/me/data", &token).await).await;
    let location = overview["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .find(|c| c["category"] == "location")
        .cloned()
        .expect("location");
    assert_eq!(location["collecting"], false, "the overview says so");
    let mails = app.mails_to(DEMO.0).await;
    assert!(
        mails
            .iter()
            .any(|(s, b)| s == "You asked to cancel your account" && b.contains("/account/cancel")),
        "{mails:?}"
    );

    // Undo, then cancel again.
    assert_eq!(
        send(
            &app,
            reqwest::Method::DELETE,
            "/api/v1/me/cancellation",
            &token
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(me(&app, &token).await["cancellation"], Value::Null);
    assert_error(
        send(
            &app,
            reqwest::Method::DELETE,
            "/api/v1/me/cancellation",
            &token,
        )
        .await,
        404,
        "no_cancellation",
        None,
    )
    .await;
    assert_eq!(cancel(&app, &token).await.status(), StatusCode::ACCEPTED);

    // Three days before: the reminder, once.
    app.advance_clock(12 * 86_400 - 60);
    let nothing = app.state.cancellations.run_due().await.expect("pass");
    assert_eq!((nothing.reminded, nothing.erased), (0, 0));
    app.advance_clock(61);
    let report = app.state.cancellations.run_due().await.expect("pass");
    assert_eq!((report.reminded, report.erased), (1, 0));
    let again = app.state.cancellations.run_due().await.expect("pass");
    assert_eq!((again.reminded, again.erased), (0, 0));
    let reminders = app
        .mails_to(DEMO.0)
        .await
        .into_iter()
        .filter(|(s, _)| s == "Your account will be erased in three days")
        .count();
    assert_eq!(reminders, 1);

    // A session opened just before the end, to show it ends with the account.
    app.advance_clock(3 * 86_400 - 1_800);
    let token = app.token_for(DEMO.0, DEMO.1).await;
    assert_eq!(me(&app, &token).await["cancellation"]["days_left"], 1);
    // (Signing in the demo officer seeds missing demo accounts: before.)
    let officer = app.demo_token("officer").await;
    // The end of the period: erased once.
    app.advance_clock(1_800);
    let report = app.state.cancellations.run_due().await.expect("pass");
    assert_eq!(report.erased, 1);
    assert_eq!(
        app.state
            .cancellations
            .run_due()
            .await
            .expect("pass")
            .erased,
        0
    );
    assert_eq!(erased_entries(&app).await, 1);

    // The old token and the password both fail.
    assert_eq!(
        app.get_with_token("/api/v1/me", &token).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(DEMO.0, DEMO.1).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // The archive is gone from the disk.
    assert!(!zip.exists(), "the archive was removed");
    // Files left by a crash between the commit and their removal go with the
    // export job's next look.
    let stray = zip.with_file_name(format!("{}.zip", uuid::Uuid::new_v4().simple()));
    std::fs::write(&stray, b"left behind").expect("written");
    assert_eq!(app.state.exports.remove_orphans().await.expect("swept"), 1);
    assert!(!stray.exists(), "the orphan was removed");
    // No row of any table names the account.
    let uuid = uuid::Uuid::parse_str(&id).expect("uuid");
    let needles = vec![id.clone(), uuid.simple().to_string(), DEMO.0.to_owned()];
    let hex = uuid.simple().to_string().to_uppercase();
    assert_eq!(
        rows_naming(&app, &needles, &hex).await,
        Vec::<String>::new()
    );
    // What the law keeps stays: the request the holder filed, anonymised,
    // with its timeline; the audit chain still verifies.
    let register = body(
        app.get_with_token("/api/v1/officer/requests", &officer)
            .await,
    )
    .await;
    assert!(
        register
            .as_array()
            .expect("rows")
            .iter()
            .any(|r| r["kind"] == "access"),
        "{register}"
    );
    let verdict = app
        .state
        .audit
        .verify(&app.state.db)
        .await
        .expect("verifies");
    assert!(
        matches!(verdict, server::audit::Verdict::Intact { .. }),
        "{verdict:?}"
    );

    // The address may sign up again, as a new account.
    let again = TestUser {
        email: DEMO.0.to_owned(),
        password: "a-new-password-22".to_owned(),
    };
    assert_eq!(app.sign_up(&again).await.status(), StatusCode::CREATED);
    let fresh = app.token_for(DEMO.0, "a-new-password-22").await;
    assert_ne!(account_id(&app, &fresh).await, id);
}

async fn a_frozen_account_refuses_deletion_and_cancellation_and_its_clock_stands(app: TestApp) {
    let token = app.demo_holder_with_data().await;
    let admin = app.demo_token("admin").await;
    let id = account_id(&app, &token).await;
    let freeze = format!("/api/v1/admin/accounts/{id}/freeze");
    // Administrators only; a reason is needed.
    assert_eq!(
        app.post_with_token(&freeze, &token, &json!({"reason": "x"}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_error(
        app.post_with_token(&freeze, &admin, &json!({"reason": "  "}))
            .await,
        422,
        "invalid_reason",
        Some("reason"),
    )
    .await;
    assert_error(
        app.post_with_token(
            "/api/v1/admin/accounts/00000000-0000-0000-0000-000000000000/freeze",
            &admin,
            &json!({"reason": "court order"}),
        )
        .await,
        404,
        "account_not_found",
        None,
    )
    .await;
    let frozen = app
        .post_with_token(&freeze, &admin, &json!({"reason": "Court order 2027-17"}))
        .await;
    assert_eq!(frozen.status(), StatusCode::OK);

    // Nothing can be deleted, cleared or cancelled; the reason is told.
    let posts = body(app.get_with_token("/api/v1/me/data/posts", &token).await).await;
    let post = posts["items"][0]["id"].as_str().expect("a post").to_owned();
    let refused = send(
        &app,
        reqwest::Method::DELETE,
        &format!("/api/v1/me/data/posts/{post}"),
        &token,
    )
    .await;
    assert_eq!(refused.status().as_u16(), 409);
    let refused = body(refused).await;
    assert_eq!(refused["error"]["code"], "account_frozen");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Court order 2027-17")
    );
    assert_error(
        send(
            &app,
            reqwest::Method::DELETE,
            "/api/v1/me/data/posts",
            &token,
        )
        .await,
        409,
        "account_frozen",
        None,
    )
    .await;
    reauth(&app, &token, DEMO.1).await;
    assert_error(cancel(&app, &token).await, 409, "account_frozen", None).await;
    let after = body(app.get_with_token("/api/v1/me/data/posts", &token).await).await;
    assert_eq!(after["items"], posts["items"], "nothing was deleted");
    let status = body(app.get_with_token("/api/v1/me/cancellation", &token).await).await;
    assert_eq!(status["frozen_reason"], "Court order 2027-17");

    // Released: cancel; a freeze then holds the clock.
    assert_eq!(
        send(&app, reqwest::Method::DELETE, &freeze, &admin)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_error(
        send(&app, reqwest::Method::DELETE, &freeze, &admin).await,
        404,
        "not_frozen",
        None,
    )
    .await;
    assert_eq!(cancel(&app, &token).await.status(), StatusCode::ACCEPTED);
    app.advance_clock(5 * 86_400);
    let admin = app.demo_token("admin").await;
    let held = body(
        app.post_with_token(&freeze, &admin, &json!({"reason": "Police inquiry"}))
            .await,
    )
    .await;
    assert_eq!(held["cancellation"]["held"], true);
    assert_eq!(held["cancellation"]["days_left"], 10);
    app.advance_clock(40 * 86_400);
    let pass = app.state.cancellations.run_due().await.expect("pass");
    assert_eq!(pass.erased, 0, "a held cancellation does not complete");
    let token = app.token_for(DEMO.0, DEMO.1).await;
    let admin = app.demo_token("admin").await;
    assert_eq!(me(&app, &token).await["cancellation"]["held"], true);
    // Released: the ten days it had left, from now.
    assert_eq!(
        send(&app, reqwest::Method::DELETE, &freeze, &admin)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let status = me(&app, &token).await;
    assert_eq!(status["cancellation"]["held"], false);
    assert_eq!(status["cancellation"]["days_left"], 10);
    app.advance_clock(10 * 86_400 - 60);
    assert_eq!(
        app.state
            .cancellations
            .run_due()
            .await
            .expect("pass")
            .erased,
        0
    );
    app.advance_clock(60);
    let admin = app.demo_token("admin").await;
    assert_eq!(
        app.state
            .cancellations
            .run_due()
            .await
            .expect("pass")
            .erased,
        1
    );
    // Each freeze and release is in the audit log.
    let audit = body(app.get_with_token("/api/v1/admin/audit", &admin).await).await;
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "admin.account_frozen")
            .count(),
        2,
        "{actions:?}"
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "admin.account_released")
            .count(),
        2
    );
}

async fn a_crash_before_the_commit_erases_nothing_and_two_instances_erase_once(app: TestApp) {
    let token = app.demo_holder_with_data().await;
    reauth(&app, &token, DEMO.1).await;
    assert_eq!(cancel(&app, &token).await.status(), StatusCode::ACCEPTED);
    let posts = body(app.get_with_token("/api/v1/me/data", &token).await).await;
    app.advance_clock(15 * 86_400);
    // A crash after every write and before the commit: nothing changed.
    app.state
        .cancellations
        .fail_before_commit
        .store(true, Ordering::SeqCst);
    let report = app.state.cancellations.run_due().await.expect("pass");
    assert_eq!(report.erased, 0);
    app.state
        .cancellations
        .fail_before_commit
        .store(false, Ordering::SeqCst);
    let fresh = app.token_for(DEMO.0, DEMO.1).await;
    let still = body(app.get_with_token("/api/v1/me/data", &fresh).await).await;
    // Every item is still there (signing in again added a sign-in and
    // touched the device).
    let counts = |overview: &Value| -> Vec<(String, Value)> {
        overview["categories"]
            .as_array()
            .expect("categories")
            .iter()
            .filter(|c| c["category"] != "sign_ins" && c["category"] != "devices")
            .map(|c| {
                (
                    c["category"].as_str().unwrap_or_default().to_owned(),
                    c["count"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(counts(&still), counts(&posts), "every item is still there");
    assert_eq!(erased_entries(&app).await, 0);

    // A second instance on the same database: both run the pass at once,
    // the account is erased once.
    let kind = if app.database_url.starts_with("postgres") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    let (url, keys) = (app.database_url.clone(), app.data_dir().to_path_buf());
    let other = spawn_app_configured(kind, |config| {
        config.database_url = url;
        config.data_dir = keys;
        config.background_jobs = false;
    })
    .await
    .expect("second instance starts");
    other.set_clock(
        &app.state
            .cancellations
            .now()
            .format(&time::format_description::well_known::Rfc3339)
            .expect("formats"),
    );
    let (a, b) = tokio::join!(
        app.state.cancellations.run_due(),
        other.state.cancellations.run_due()
    );
    assert_eq!(
        a.expect("pass").erased + b.expect("pass").erased,
        1,
        "one instance erased it"
    );
    assert_eq!(erased_entries(&app).await, 1);
    assert_eq!(
        app.login(DEMO.0, DEMO.1).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

async fn the_cooling_off_period_is_an_administrators_setting(app: TestApp) {
    let admin = app.demo_token("admin").await;
    let holder = app.holder_token().await;
    let current = body(app.get_with_token("/api/v1/admin/settings", &admin).await).await;
    assert_eq!(current["cooling_off_days"], 15);
    let put = |token: String, days: Value| {
        let app = &app;
        async move {
            reqwest::Client::new()
                .put(app.url("/api/v1/admin/settings"))
                .bearer_auth(token)
                .json(&json!({"cooling_off_days": days}))
                .send()
                .await
                .expect("sent")
        }
    };
    assert_eq!(
        put(holder.clone(), json!(7)).await.status(),
        StatusCode::FORBIDDEN
    );
    for bad in [json!(0), json!(91), json!(-3)] {
        assert_error(
            put(admin.clone(), bad).await,
            422,
            "invalid_period",
            Some("cooling_off_days"),
        )
        .await;
    }
    assert_eq!(put(admin.clone(), json!(7)).await.status(), StatusCode::OK);
    let status = body(app.get_with_token("/api/v1/me/cancellation", &holder).await).await;
    assert_eq!(status["cooling_off_days"], 7);
    assert_eq!(status["pending"], Value::Null);
    reauth(&app, &holder, "correct-horse-battery").await;
    let view = body(cancel(&app, &holder).await).await;
    assert_eq!(view["days_left"], 7);
    // Staff accounts are not cancelled here.
    let officer = app.demo_token("officer").await;
    reauth(&app, &officer, "officer-password-1").await;
    assert_error(cancel(&app, &officer).await, 403, "staff_account", None).await;
}
