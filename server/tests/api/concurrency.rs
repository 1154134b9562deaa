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
on_every_backend!(without_jobs: filings_at_once_share_commits_and_each_is_kept);
on_every_backend!(without_jobs: filings_at_once_keep_the_rules_of_one_at_a_time);
on_every_backend!(without_jobs: a_group_too_large_for_one_statement_goes_in_parts);

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
    assert_chain_holds(&app, "the audit chain did not fork").await;
}

/// Filings at once are written by group commits: fewer durable commits
/// than filings, every acknowledged filing kept, and a filing refused inside
/// a group (an answer address not on file) refused alone.
async fn filings_at_once_share_commits_and_each_is_kept(app: TestApp) {
    let holder = app.demo_holder_with_data().await;
    let (commits_before, filings_before) = app.state.requests.filing_commits();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..25 {
        let (client, url, holder) = (
            app.client.clone(),
            app.url("/api/v1/requests"),
            holder.clone(),
        );
        tasks.spawn(async move {
            // One of them names an address that is not the account's.
            let contact = (i == 12).then_some("someone-else@example.net");
            let response = client
                .post(url)
                .bearer_auth(holder)
                .header("idempotency-key", format!("grouped-{i}"))
                .json(&json!({
                    "kind": "access",
                    "channel": "in_app",
                    "details": format!("Grouped filing {i}"),
                    "contact_email": contact,
                }))
                .send()
                .await
                .expect("sent");
            (i, response.status(), body(response).await)
        });
    }
    let mut acks = std::collections::BTreeSet::new();
    while let Some(result) = tasks.join_next().await {
        let (i, status, answer) = result.expect("task");
        if i == 12 {
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
            assert_eq!(answer["error"]["code"], "contact_email_not_on_file");
        } else {
            assert_eq!(status, StatusCode::CREATED, "{answer}");
            acks.insert(answer["ack"].as_str().expect("ack").to_owned());
        }
    }
    assert_eq!(acks.len(), 24, "every acknowledgment number differs");
    let (commits, filings) = app.state.requests.filing_commits();
    assert_eq!(
        filings - filings_before,
        25,
        "every filing went through a group"
    );
    assert!(
        commits - commits_before < 25,
        "filings at once shared commits: {} commits for 25 filings",
        commits - commits_before
    );
    // Every acknowledged filing is stored, with its acknowledgment e-mail,
    // and the refused one left nothing behind.
    let mine = body(app.get_with_token("/api/v1/requests", &holder).await).await;
    let listed: std::collections::BTreeSet<String> = mine
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|r| r["ack"].as_str().map(str::to_owned))
        .collect();
    assert!(acks.is_subset(&listed), "every acknowledged filing is kept");
    assert!(
        !mine.to_string().contains("Grouped filing 12"),
        "the refused filing rolled back alone"
    );
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("text");
    assert!(metrics.contains("portal_filing_commits_total"));
    assert_chain_holds(&app, "the audit chain holds across grouped filings").await;
}

/// A group of filings is written with one insert per table; the rules one
/// filing at a time kept still hold when they arrive together: an address not
/// on file gets three acknowledgments a day however many requests name it at
/// once, and one idempotency key files one request however many retries race.
async fn filings_at_once_keep_the_rules_of_one_at_a_time(app: TestApp) {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    use server::entities::{email_outbox, requests};
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..10 {
        let (client, url) = (app.client.clone(), app.url("/api/v1/requests"));
        tasks.spawn(async move {
            let response = client
                .post(url)
                .json(&json!({
                    "kind": "copy",
                    "channel": "privacy_officer",
                    "details": format!("Flood {i}"),
                    "contact_email": "victim@example.org",
                    "verification": "v",
                }))
                .send()
                .await
                .expect("sent");
            (response.status(), body(response).await)
        });
    }
    while let Some(result) = tasks.join_next().await {
        let (status, answer) = result.expect("task");
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
    let named = requests::Entity::find()
        .filter(requests::Column::ContactEmail.eq("victim@example.org"))
        .count(&app.state.db)
        .await
        .expect("count");
    assert_eq!(named, 10, "every request is filed");
    let mailed = email_outbox::Entity::find()
        .filter(email_outbox::Column::ToEmail.eq("victim@example.org"))
        .count(&app.state.db)
        .await
        .expect("count");
    assert_eq!(
        mailed,
        server::requests::ACKNOWLEDGMENTS_PER_ADDRESS_PER_DAY,
        "three acknowledgments a day to an address not on file"
    );

    let holder = app.demo_holder_with_data().await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (client, url, holder) = (
            app.client.clone(),
            app.url("/api/v1/requests"),
            holder.clone(),
        );
        tasks.spawn(async move {
            let response = client
                .post(url)
                .bearer_auth(holder)
                .header("idempotency-key", "one-key-many-retries")
                .json(&json!({
                    "kind": "access",
                    "channel": "in_app",
                    "details": "Filed once, sent eight times",
                }))
                .send()
                .await
                .expect("sent");
            (response.status(), body(response).await)
        });
    }
    let (mut created, mut acks) = (0, std::collections::BTreeSet::new());
    while let Some(result) = tasks.join_next().await {
        let (status, answer) = result.expect("task");
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::OK => {}
            StatusCode::CONFLICT => {
                assert_eq!(answer["error"]["code"], "duplicate_submission");
                continue;
            }
            other => panic!("{other}: {answer}"),
        }
        acks.insert(answer["ack"].as_str().expect("ack").to_owned());
    }
    assert_eq!(created, 1, "one filing for one key");
    assert_eq!(acks.len(), 1, "every success names the one request");
    let stored = requests::Entity::find()
        .filter(requests::Column::Details.eq("Filed once, sent eight times"))
        .count(&app.state.db)
        .await
        .expect("count");
    assert_eq!(stored, 1);
    assert_chain_holds(&app, "the audit chain holds").await;
}

/// A group's audit entries go in with multi-row inserts; 8,000 of them are
/// more bound parameters than one statement takes (SQLite 32,766,
/// PostgreSQL 65,535), so they go in parts, and the chain still holds.
async fn a_group_too_large_for_one_statement_goes_in_parts(app: TestApp) {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    use server::audit::{Actor, Entry};
    let guard = app.state.audit.lock().await;
    let txn = server::db::begin_write(&app.state.db)
        .await
        .expect("transaction");
    let entries = (0..8000)
        .map(|i| Entry {
            actor: Actor::SYSTEM,
            action: "test.many",
            subject: format!("entry {i}"),
            detail: "{}".to_owned(),
        })
        .collect();
    app.state
        .audit
        .append_many(&txn, time::OffsetDateTime::now_utc(), entries)
        .await
        .expect("appended");
    app.state
        .audit
        .commit(txn, &app.state.db)
        .await
        .expect("committed");
    drop(guard);
    let written = server::entities::audit_log::Entity::find()
        .filter(server::entities::audit_log::Column::Action.eq("test.many"))
        .count(&app.state.db)
        .await
        .expect("count");
    assert_eq!(written, 8000);
    assert_chain_holds(&app, "the chain holds across the parts").await;
}

/// The audit chain verifies from its first entry to its head.
async fn assert_chain_holds(app: &TestApp, why: &str) {
    assert!(
        app.state
            .audit
            .verify(&app.state.db)
            .await
            .expect("verify")
            .broken_at()
            .is_none(),
        "{why}"
    );
}
