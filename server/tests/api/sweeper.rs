//! The deadline sweeper at scale (issue #12): a pass reads only the
//! requests whose next event has come, every change to the clock of a
//! request moves its next event, reminders reach as far ahead as the
//! request's own policy says, and instances sweeping one database at once
//! share the work and send each event once.

use crate::helpers::{TestApp, body};
use crate::on_every_backend;
use crate::requests::{act, file};
use reqwest::StatusCode;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use server::config::{ClockMode, Config};
use server::entities::{accounts, notifications, request_events, request_timers, requests};
use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};

on_every_backend!(
    without_jobs: a_pass_reads_only_the_requests_whose_event_has_come,
    three_sweepers_on_two_instances_share_a_pass_and_send_each_event_once,
    a_reminder_further_ahead_than_any_current_policy_still_goes_out,
);

const IN_APP_ACCESS: &str = r#"{"kind":"access","channel":"in_app","details":"What do you hold?"}"#;

fn instant(s: &str) -> OffsetDateTime {
    OffsetDateTime::parse(s, &Rfc3339).expect("instant")
}

async fn row(app: &TestApp, ack: &str) -> requests::Model {
    requests::Entity::find()
        .filter(requests::Column::Ack.eq(ack))
        .one(&app.state.db)
        .await
        .expect("db")
        .expect("row")
}

/// The request's sweeper timer: its next event, if any. A request never
/// has more than one.
async fn next_event(app: &TestApp, ack: &str) -> Option<OffsetDateTime> {
    let id = row(app, ack).await.id;
    let timers = request_timers::Entity::find()
        .filter(request_timers::Column::RequestId.eq(id))
        .all(&app.state.db)
        .await
        .expect("db");
    assert!(timers.len() <= 1, "one timer per request: {timers:?}");
    timers.first().map(|t| t.at)
}

async fn count_kind(app: &TestApp, kind: &str) -> u64 {
    notifications::Entity::find()
        .filter(notifications::Column::Kind.eq(kind))
        .count(&app.state.db)
        .await
        .expect("count")
}

async fn staff(app: &TestApp, role: accounts::Role) -> u64 {
    accounts::Entity::find()
        .filter(accounts::Column::Role.eq(role))
        .count(&app.state.db)
        .await
        .expect("count")
}

async fn a_pass_reads_only_the_requests_whose_event_has_come(app: TestApp) {
    app.set_clock("2027-01-01T02:00:00Z");
    // The demo's staff (the officers the reminders go to) come with its tokens.
    app.demo_token("officer").await;
    let holder = app.holder_token().await;
    let mut acks = Vec::new();
    for _ in 0..3 {
        let filed = body(file(&app, Some(&holder), IN_APP_ACCESS).await).await;
        assert_eq!(filed["due_at"], "2027-01-31T15:59:59Z");
        acks.push(filed["ack"].as_str().expect("ack").to_owned());
    }
    // Reminders 7, 3 and 1 days before the due instant: the first is next.
    for ack in &acks {
        assert_eq!(
            next_event(&app, ack).await,
            Some(instant("2027-01-24T15:59:59Z"))
        );
    }
    let pass = app.state.requests.sweep().await.expect("sweep");
    assert_eq!(pass.examined, 0, "nothing has come: nothing is read");

    app.set_clock("2027-01-24T16:00:00Z");
    let officers = staff(&app, accounts::Role::Officer).await;
    assert!(officers >= 1, "the demo has officers");
    let pass = app.state.requests.sweep().await.expect("sweep");
    assert_eq!(pass.examined, 3);
    assert_eq!(pass.reminders as u64, 3 * officers, "to every officer");
    let again = app.state.requests.sweep().await.expect("sweep");
    assert_eq!((again.examined, again.reminders), (0, 0), "moved on");
    assert_eq!(
        next_event(&app, &acks[0]).await,
        Some(instant("2027-01-28T15:59:59Z")),
        "the 3-day reminder is next"
    );

    // A pause has no next event; its end moves the due instant and the event.
    // (Tokens live an hour: fresh ones after the clock moved.)
    let officer = app.demo_token("officer").await;
    let asked = act(
        &app,
        &officer,
        &acks[0],
        "request-info",
        json!({"message": "Which months do you mean?"}),
    )
    .await;
    assert_eq!(asked.status(), StatusCode::OK);
    assert_eq!(next_event(&app, &acks[0]).await, None, "paused");
    // A closed request has none either.
    let refused = act(
        &app,
        &officer,
        &acks[1],
        "refuse",
        json!({"reason": "We hold nothing about this account."}),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::OK);
    assert_eq!(next_event(&app, &acks[1]).await, None, "closed");

    app.set_clock("2027-01-26T16:00:00Z");
    let holder = app.token_for_existing_holder().await;
    let replied = app
        .post_with_token(
            &format!("/api/v1/requests/{}/messages", acks[0]),
            &holder,
            &json!({"message": "March to May 2026."}),
        )
        .await;
    assert_eq!(replied.status(), StatusCode::OK);
    let resumed = row(&app, &acks[0]).await;
    // The pause moved the due instant on, and the next event with it: the
    // engine's answer for the new due instant, after now.
    let due = resumed.due_at.expect("due");
    assert!(
        due > instant("2027-01-31T15:59:59Z"),
        "paused time is added"
    );
    let rules: domain::deadlines::DeadlinePolicy =
        serde_json::from_str(&resumed.policy_rules).expect("rules");
    let now = instant("2027-01-26T16:00:00Z");
    let start = resumed.clock_started_at.unwrap_or(resumed.received_at);
    assert_eq!(
        next_event(&app, &acks[0]).await,
        Some(domain::deadlines::next_event(&rules, due, start, now).expect("next"))
    );
    assert!(next_event(&app, &acks[0]).await.expect("next") > now);

    // Past the third's due instant: only it is read, and flagged once.
    app.set_clock("2027-02-01T00:00:00Z");
    let pass = app.state.requests.sweep().await.expect("sweep");
    assert_eq!(pass.marked_overdue, 1);
    assert_eq!(
        pass.examined, 2,
        "the overdue one and the resumed one's reminder; not the closed one"
    );
    assert!(row(&app, &acks[2]).await.overdue);
    assert_eq!(next_event(&app, &acks[2]).await, None);
    let again = app.state.requests.sweep().await.expect("sweep");
    assert_eq!(again.examined, 0);
}

/// Seeds `count` open requests as the portal stores them (next event from
/// the engine as of two hours before `at`), `overdue` of them past due by
/// `at` and the rest with their 7-day reminder come by then.
async fn seed(app: &TestApp, count: usize, overdue: usize, at: OffsetDateTime) {
    let rules = domain::deadlines::preset("privacy-officer-60").expect("preset");
    let policy = serde_json::to_string(&rules).expect("json");
    let rows = (0..count).map(|n| {
        // Due 7 days after `at` less a little (its 7-day reminder has come),
        // or already past due.
        let due = if n < overdue {
            at - Duration::minutes(10 + n as i64)
        } else {
            at + Duration::days(7) - Duration::minutes(1 + (n % 50) as i64)
        };
        let start = due - Duration::days(60);
        let next = domain::deadlines::next_event(&rules, due, start, at - Duration::hours(2))
            .expect("next event");
        assert!(next <= at, "every seeded event has come");
        let row = requests::ActiveModel {
            id: Set(uuid::Uuid::new_v4()),
            ack: Set(format!(
                "PR-2027-{:04X}-{:04X}",
                0xA000 + n / 0x1_0000,
                n % 0x1_0000
            )),
            kind: Set(requests::Kind::Copy),
            channel: Set(requests::Channel::PrivacyOfficer),
            status: Set(requests::Status::InProgress),
            account_id: Set(None),
            contact_email: Set(Some(format!("person{n}@example.com"))),
            details: Set("Please send me a copy of my data.".into()),
            verification: Set(None),
            tracking_token_hash: Set(None),
            idempotency_hash: Set(None),
            policy_name: Set(rules.name.clone()),
            policy_version: Set(1),
            policy_rules: Set(policy.clone()),
            received_at: Set(start),
            clock_started_at: Set(Some(start)),
            due_at: Set(Some(due)),
            paused_since: Set(None),
            resume_status: Set(None),
            overdue: Set(false),
            late: Set(false),
            assignee_id: Set(None),
            closed_at: Set(None),
            answer: Set(None),
            updated_at: Set(start),
            complaint_category: Set(None),
            escalated_at: Set(None),
        };
        let timer = request_timers::ActiveModel {
            at: Set(next),
            request_id: row.id.clone(),
            due_at: Set(due),
        };
        (row, timer)
    });
    let (rows, timers): (Vec<_>, Vec<_>) = rows.unzip();
    for (rows, timers) in rows.chunks(500).zip(timers.chunks(500)) {
        requests::Entity::insert_many(rows.to_vec())
            .exec_without_returning(&app.state.db)
            .await
            .expect("seeded");
        request_timers::Entity::insert_many(timers.to_vec())
            .exec_without_returning(&app.state.db)
            .await
            .expect("seeded");
    }
}

/// More requests than one batch holds, swept by two sweepers of this
/// instance and one of a second instance on the same database at once: each
/// request is examined by exactly one of them, each reminder and each
/// escalation exists once, and the next pass has nothing to do.
async fn three_sweepers_on_two_instances_share_a_pass_and_send_each_event_once(app: TestApp) {
    const COUNT: usize = 1_300;
    const OVERDUE: usize = 20;
    let at = instant("2027-05-03T09:00:00Z");
    app.demo_token("admin").await;
    seed(&app, COUNT, OVERDUE, at).await;
    let dir = tempfile::tempdir().expect("dir");
    let second = server::Application::build(Config::local(
        dir.path(),
        app.database_url.clone(),
        ClockMode::Test(at),
    ))
    .await
    .expect("second instance");
    app.set_clock("2027-05-03T09:00:00Z");
    let (a, b, c) = tokio::join!(
        app.state.requests.sweep(),
        app.state.requests.sweep(),
        second.state().requests.sweep()
    );
    let passes = [a.expect("sweep"), b.expect("sweep"), c.expect("sweep")];
    let examined: usize = passes.iter().map(|p| p.examined).sum();
    let reminders: usize = passes.iter().map(|p| p.reminders).sum();
    let overdue: usize = passes.iter().map(|p| p.marked_overdue).sum();
    assert_eq!(
        examined, COUNT,
        "each request read by one sweeper: {passes:?}"
    );
    assert_eq!(overdue, OVERDUE);
    let officers = staff(&app, accounts::Role::Officer).await;
    let admins = staff(&app, accounts::Role::Admin).await;
    let expected = (COUNT - OVERDUE) as u64 * officers;
    assert_eq!(reminders as u64, expected);
    assert_eq!(count_kind(&app, "reminder").await, expected);
    assert_eq!(
        count_kind(&app, "escalation").await,
        OVERDUE as u64 * admins
    );
    let flagged = request_events::Entity::find()
        .filter(request_events::Column::Action.eq("overdue"))
        .count(&app.state.db)
        .await
        .expect("count");
    assert_eq!(flagged, OVERDUE as u64, "one overdue event each");
    // Every reminder and escalation is mailed once.
    let mailed = server::entities::email_outbox::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(server::entities::email_outbox::Column::DedupeKey.starts_with("reminder:"))
                .add(server::entities::email_outbox::Column::DedupeKey.starts_with("escalation:")),
        )
        .count(&app.state.db)
        .await
        .expect("count");
    assert_eq!(mailed, expected + OVERDUE as u64 * admins);
    let after = second.state().requests.sweep().await.expect("sweep");
    assert_eq!(after.examined, 0, "the next pass has nothing to do");
}

/// A request keeps the reminders of the policy it was received under, even
/// when no stored policy reaches that far any more.
async fn a_reminder_further_ahead_than_any_current_policy_still_goes_out(app: TestApp) {
    app.set_clock("2027-03-01T02:00:00Z");
    let admin = app.demo_token("admin").await;
    let policy = |reminders: serde_json::Value| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let policies = body(app.get_with_token("/api/v1/admin/policies", &admin).await).await;
            let mut rules = policies
                .as_array()
                .expect("list")
                .iter()
                .find(|p| p["name"] == "guideline-30")
                .expect("stored")["rules"]
                .clone();
            rules["reminders"] = reminders;
            let saved = app
                .client
                .put(app.url("/api/v1/admin/policies/guideline-30"))
                .bearer_auth(&admin)
                .json(&rules)
                .send()
                .await
                .expect("sent");
            assert_eq!(saved.status(), StatusCode::OK);
        }
    };
    policy(json!([{"length": 25, "unit": "calendar_days"}])).await;
    let holder = app.holder_token().await;
    let filed = body(file(&app, Some(&holder), IN_APP_ACCESS).await).await;
    // Due 2027-03-31 at the end of the local day; reminded 25 days before.
    assert_eq!(filed["due_at"], "2027-03-31T15:59:59Z");
    // Every stored policy now reminds at most a day ahead.
    policy(json!([{"length": 1, "unit": "calendar_days"}])).await;
    app.state.requests.sweep().await.expect("sweep");
    assert_eq!(count_kind(&app, "reminder").await, 0);
    app.set_clock("2027-03-06T16:00:00Z");
    let pass = app.state.requests.sweep().await.expect("sweep");
    assert_eq!(pass.examined, 1);
    assert!(
        count_kind(&app, "reminder").await >= 1,
        "reminded 25 days ahead under the policy it was received under"
    );
    let ack = filed["ack"].as_str().expect("ack");
    assert_eq!(
        next_event(&app, ack).await,
        Some(instant("2027-03-31T16:00:00Z")),
        "then nothing until it is overdue"
    );
}
