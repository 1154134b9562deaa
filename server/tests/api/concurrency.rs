//! Writes at once: many clients correcting, filing, signing in and saving
//! policies together, while the sweeper and the e-mail sender run. Every
//! answer is a success — never "database is locked" (on SQLite a deferred
//! transaction that read first could not become a writer once another
//! connection had committed).

use crate::helpers::{TestApp, body};
use crate::on_every_backend;
use crate::requests::OFFICER_REQUEST;
use reqwest::StatusCode;
use serde_json::json;

on_every_backend!(many_writers_at_once_all_succeed);

async fn many_writers_at_once_all_succeed(app: TestApp) {
    let holder = app.demo_holder_with_data().await;
    let admin = app.demo_token("admin").await;
    let policies = body(app.get_with_token("/api/v1/admin/policies", &admin).await).await;
    let rules = policies
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["name"] == "gdpr-1m")
        .expect("stored")["rules"]
        .clone();

    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..40 {
        let (client, url, holder) = (
            app.client.clone(),
            app.url("/api/v1/me/profile"),
            holder.clone(),
        );
        tasks.spawn(async move {
            let response = client
                .patch(url)
                .bearer_auth(holder)
                .json(&json!({"signature": format!("edit {i}")}))
                .send()
                .await
                .expect("sent");
            ("correction", response.status(), StatusCode::OK)
        });
    }
    for (email, password) in [
        ("officer@example.com", "officer-password-1"),
        ("admin@example.com", "admin-password-1"),
    ]
    .into_iter()
    .cycle()
    .take(10)
    {
        let (client, url) = (reqwest::Client::new(), app.url("/api/v1/auth/login"));
        tasks.spawn(async move {
            let response = client
                .post(url)
                .json(&json!({"email": email, "password": password}))
                .send()
                .await
                .expect("sent");
            ("staff sign-in", response.status(), StatusCode::OK)
        });
    }
    // First sign-ins of a new account from one device, all at once: one
    // device row, no unique-key failure.
    let newcomer = crate::helpers::TestUser::generate();
    assert_eq!(app.sign_up(&newcomer).await.status(), StatusCode::CREATED);
    for _ in 0..8 {
        let (client, url) = (reqwest::Client::new(), app.url("/api/v1/auth/login"));
        let body = json!({"email": newcomer.email, "password": newcomer.password});
        tasks.spawn(async move {
            let response = client.post(url).json(&body).send().await.expect("sent");
            ("first sign-in", response.status(), StatusCode::OK)
        });
    }
    for _ in 0..10 {
        let (client, url, rules) = (
            app.client.clone(),
            app.url("/api/v1/admin/policies/gdpr-1m"),
            rules.clone(),
        );
        let admin = admin.clone();
        tasks.spawn(async move {
            let response = client
                .put(url)
                .bearer_auth(admin)
                .json(&rules)
                .send()
                .await
                .expect("sent");
            ("policy save", response.status(), StatusCode::OK)
        });
    }
    for i in 0..10 {
        let (client, url, holder) = (
            app.client.clone(),
            app.url("/api/v1/requests"),
            holder.clone(),
        );
        tasks.spawn(async move {
            let response = client
                .post(url)
                .bearer_auth(holder)
                .header("idempotency-key", format!("concurrent-{i}"))
                .json(
                    &json!({"kind": "access", "channel": "in_app", "details": "What do you hold?"}),
                )
                .send()
                .await
                .expect("sent");
            ("filing", response.status(), StatusCode::CREATED)
        });
    }
    for _ in 0..5 {
        let (client, url) = (reqwest::Client::new(), app.url("/api/v1/requests"));
        tasks.spawn(async move {
            let response = client
                .post(url)
                .header("content-type", "application/json")
                .body(OFFICER_REQUEST)
                .send()
                .await
                .expect("sent");
            ("anonymous filing", response.status(), StatusCode::CREATED)
        });
    }
    while let Some(result) = tasks.join_next().await {
        let (what, status, want) = result.expect("task");
        assert_eq!(status, want, "{what}");
    }
    let me = body(app.get_with_token("/api/v1/me/data/profile", &holder).await).await;
    assert!(me.to_string().contains("edit "), "a correction landed");
    assert!(
        app.state
            .audit
            .verify(&app.state.db)
            .await
            .expect("verify")
            .broken_at()
            .is_none(),
        "the audit chain did not fork"
    );
}

/// Pages rendered at once on a multi-threaded runtime, as in production:
/// every page arrives whole. With Leptos 0.8 rendering a page's `<Suspense>`
/// boundaries on one worker thread while its resources resolved on another,
/// two threads could each hold a lock the other wanted (leptos#4673) and the
/// whole portal froze, `/healthz` too. The portal renders each page, and
/// every task the page spawns, on one thread (`server::render`).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_pages_at_once_all_arrive_whole() {
    let app = crate::helpers::spawn_app_with(crate::helpers::Backend::Sqlite, false)
        .await
        .expect("app starts");
    let holder = app.demo_holder_with_data().await;
    let cookie = format!("portal_session={holder}");
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..32 {
        let path = ["/data/messages", "/", "/home", "/requests"][i % 4];
        let (url, cookie) = (app.url(path), cookie.clone());
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .expect("client");
        tasks.spawn(async move {
            for _ in 0..25 {
                let response = client
                    .get(&url)
                    .header("cookie", &cookie)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{path}: {e:?}"));
                assert_eq!(response.status(), StatusCode::OK, "{path}");
                let page = response
                    .text()
                    .await
                    .unwrap_or_else(|e| panic!("{path}: {e:?}"));
                assert!(page.contains("</html>"), "{path} arrived whole");
            }
        });
    }
    while let Some(result) = tasks.join_next().await {
        result.expect("every page arrived");
    }
    let health = reqwest::get(app.url("/healthz")).await.expect("sent");
    assert_eq!(health.status(), StatusCode::OK);
}
