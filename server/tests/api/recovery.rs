//! Getting back into an account: a forgotten password's link (no
//! enumeration, once, 15 minutes, sessions ended), re-access requests scored
//! against what the account holds, granted with a hold the channels on file
//! can stop.

use crate::helpers::{TestApp, TestUser, assert_error, body};
use crate::on_every_backend;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

// The sweeper runs after the clock moves.
on_every_backend!(a_reaccess_request_past_its_four_hours_is_flagged_overdue,);

on_every_backend!(without_jobs:
    a_reset_request_answers_the_same_for_known_and_unknown_addresses,
    a_reset_link_works_once_for_fifteen_minutes_and_ends_every_session,
    resets_are_throttled_per_address_without_telling,
    a_reaccess_request_is_acknowledged_at_once_with_a_four_hour_due,
    reaccess_answers_are_scored_without_revealing_what_is_held,
    a_granted_reaccess_opens_after_the_hold_unless_the_holder_stops_it,
    repeated_reaccess_requests_on_one_account_are_throttled_and_shown,
);

/// Files a request as someone without a session (its own client: the test
/// app's client carries the cookies of earlier sign-ins).
async fn file(app: &TestApp, request: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/v1/requests"))
        .json(request)
        .send()
        .await
        .expect("sent")
}

async fn ask_reset(app: &TestApp, email: &str) -> reqwest::Response {
    app.post_json("/api/v1/auth/password-reset", &json!({ "email": email }))
        .await
}

async fn confirm(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/password-reset/confirm",
        &json!({ "token": token, "password": password }),
    )
    .await
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn a_reset_request_answers_the_same_for_known_and_unknown_addresses(app: TestApp) {
    app.holder_token().await;
    let known = app.last_holder_email();
    let (mut known_times, mut unknown_times) = (Vec::new(), Vec::new());
    let mut answers = Vec::new();
    for i in 0..3 {
        let unknown = format!("nobody-{i}@example.com");
        let start = Instant::now();
        let a = ask_reset(&app, &known).await;
        known_times.push(start.elapsed());
        let start = Instant::now();
        let b = ask_reset(&app, &unknown).await;
        unknown_times.push(start.elapsed());
        assert_eq!(a.status(), StatusCode::ACCEPTED);
        assert_eq!(b.status(), StatusCode::ACCEPTED);
        answers.push((body(a).await, body(b).await));
    }
    // Identical bodies, byte for byte.
    for (a, b) in &answers {
        assert_eq!(a, b);
    }
    // Similar timing: both paths write one throttling row in one
    // transaction; the known one also queues a mail. Medians of three, with
    // room for a noisy machine (the difference is about a millisecond).
    let (k, u) = (median(known_times), median(unknown_times));
    let gap = k.abs_diff(u);
    assert!(
        gap < Duration::from_millis(250) || gap < k.max(u) / 2,
        "known {k:?} vs unknown {u:?}"
    );
    // Only the account's address got mail; the unknown one got nothing.
    assert!(app.link_token(&known, "/reset-password").await.is_some());
    assert!(app.mails_to("nobody-0@example.com").await.is_empty());
    // Not an address at all is a field error, the same for everyone.
    assert_error(
        ask_reset(&app, "not-an-address").await,
        422,
        "invalid_email",
        Some("email"),
    )
    .await;
}

async fn a_reset_link_works_once_for_fifteen_minutes_and_ends_every_session(app: TestApp) {
    let token = app.holder_token().await;
    let email = app.last_holder_email();
    let second = app.token_for(&email, "correct-horse-battery").await;
    assert_eq!(ask_reset(&app, &email).await.status(), StatusCode::ACCEPTED);
    let link = app
        .link_token(&email, "/reset-password")
        .await
        .expect("link mailed");
    assert!(link.len() >= 32, "at least 128 bits");
    // The stored row holds a digest, never the token.
    let stored: Vec<String> = {
        use sea_orm::EntityTrait;
        server::entities::recovery::password_resets::Entity::find()
            .all(&app.state.db)
            .await
            .expect("rows")
            .into_iter()
            .map(|r| r.token_hash)
            .collect()
    };
    assert!(!stored.contains(&link));

    // A weak password is refused next to its field; the link still works.
    assert_error(
        confirm(&app, &link, "password").await,
        422,
        "password_too_short",
        Some("password"),
    )
    .await;
    assert_error(
        confirm(&app, &link, "password123456").await,
        422,
        "password_too_common",
        Some("password"),
    )
    .await;
    assert_eq!(
        confirm(&app, &link, "new-lantern-river-42").await.status(),
        StatusCode::NO_CONTENT
    );
    // Once.
    assert_error(
        confirm(&app, &link, "another-lantern-77").await,
        410,
        "link_expired",
        None,
    )
    .await;
    // Every session ended; the old password no longer works, the new one does.
    for t in [&token, &second] {
        assert_eq!(
            app.get_with_token("/api/v1/me", t).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        app.login(&email, "correct-horse-battery").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let fresh = app.token_for(&email, "new-lantern-river-42").await;
    // Told in the inbox and by e-mail.
    let inbox = body(
        app.get_with_token("/api/v1/me/data/notifications", &fresh)
            .await,
    )
    .await;
    assert!(
        inbox.to_string().contains("Your password was changed"),
        "{inbox}"
    );
    assert!(
        app.mails_to(&email)
            .await
            .iter()
            .any(|(s, _)| s == "Your password was changed")
    );

    // A new link expires after 15 minutes: 410.
    assert_eq!(ask_reset(&app, &email).await.status(), StatusCode::ACCEPTED);
    let late = app
        .link_token(&email, "/reset-password")
        .await
        .expect("second link");
    assert_ne!(late, link);
    app.advance_clock(15 * 60 + 1);
    assert_error(
        confirm(&app, &late, "late-lantern-river-9").await,
        410,
        "link_expired",
        None,
    )
    .await;
    // Garbage is the same 410.
    assert_error(
        confirm(&app, "nonsense", "late-lantern-river-9").await,
        410,
        "link_expired",
        None,
    )
    .await;
    assert_error(
        confirm(&app, "", "late-lantern-river-9").await,
        410,
        "link_expired",
        None,
    )
    .await;
}

async fn resets_are_throttled_per_address_without_telling(app: TestApp) {
    app.holder_token().await;
    let email = app.last_holder_email();
    for _ in 0..5 {
        assert_eq!(ask_reset(&app, &email).await.status(), StatusCode::ACCEPTED);
    }
    // Three mails an hour to one address; the rest were answered alike.
    let links = app
        .mails_to(&email)
        .await
        .iter()
        .filter(|(_, b)| b.contains("/reset-password?token="))
        .count();
    assert_eq!(links, 3);
    app.advance_clock(3601);
    assert_eq!(ask_reset(&app, &email).await.status(), StatusCode::ACCEPTED);
    let links = app
        .mails_to(&email)
        .await
        .iter()
        .filter(|(_, b)| b.contains("/reset-password?token="))
        .count();
    assert_eq!(links, 4);
}

/// A re-access request for the demo holder, with what the demo holder's
/// data lets a person know.
fn reaccess(account: &str, answers: Value, contact: &str) -> Value {
    let mut reaccess = answers;
    reaccess["account"] = json!(account);
    json!({
        "kind": "reaccess",
        "channel": "privacy_officer",
        "details": "I lost my phone and the e-mail account is closed.",
        "contact_email": contact,
        "reaccess": reaccess,
    })
}

fn right_answers() -> Value {
    json!({
        "old_passwords": ["demo-password-0"],
        "email": "demo@example.com",
        "registration_method": "mobile_app",
        "places": ["Shenzhen"],
        "friends": ["Wang Fang"],
    })
}

async fn a_reaccess_request_is_acknowledged_at_once_with_a_four_hour_due(app: TestApp) {
    app.demo_holder_with_data().await;
    let filed = file(
        &app,
        &reaccess("demo@example.com", right_answers(), "new-me@example.org"),
    )
    .await;
    let status = filed.status();
    let filed = body(filed).await;
    assert_eq!(status, StatusCode::CREATED, "{filed}");
    assert_eq!(filed["policy"], "reaccess-4h");
    assert!(filed["ack"].as_str().expect("ack").starts_with("PR-"));
    assert!(filed["tracking_token"].is_string());
    let at = |k: &str| {
        time::OffsetDateTime::parse(
            filed[k].as_str().expect(k),
            &time::format_description::well_known::Rfc3339,
        )
        .expect("instant")
    };
    assert_eq!(at("due_at") - at("received_at"), time::Duration::hours(4));

    // Bad answers name their field.
    let cases = [
        (
            json!({"friends": ["a"]}),
            "",
            "reaccess.account",
            "required",
        ),
        (
            json!({}),
            "demo@example.com",
            "reaccess.verification",
            "verification_required",
        ),
        (
            json!({"registered_month": "March"}),
            "demo@example.com",
            "reaccess.registered_month",
            "invalid_choice",
        ),
        (
            json!({"old_passwords": ["a", "b", "c", "d"]}),
            "demo@example.com",
            "reaccess.old_passwords",
            "too_long",
        ),
    ];
    for (answers, account, field, code) in cases {
        assert_error(
            file(&app, &reaccess(account, answers, "x@example.org")).await,
            422,
            code,
            Some(field),
        )
        .await;
    }
    // Answers on another kind of request are a mistake, not ignored.
    let mut wrong = reaccess("demo@example.com", right_answers(), "x@example.org");
    wrong["kind"] = json!("copy");
    assert_error(
        file(&app, &wrong).await,
        422,
        "reaccess_not_applicable",
        Some("reaccess"),
    )
    .await;
}

async fn check_of(app: &TestApp, officer: &str, ack: &str) -> Value {
    let view = body(
        app.get_with_token(&format!("/api/v1/requests/{ack}"), officer)
            .await,
    )
    .await;
    view["reaccess"].clone()
}

async fn reaccess_answers_are_scored_without_revealing_what_is_held(app: TestApp) {
    app.demo_holder_with_data().await;
    let officer = app.demo_token("officer").await;
    let mobile = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use server::entities::{accounts, data::account_security};
        let demo = accounts::Entity::find()
            .filter(accounts::Column::Email.eq("demo@example.com"))
            .one(&app.state.db)
            .await
            .expect("query")
            .expect("demo");
        account_security::Entity::find_by_id(demo.id)
            .one(&app.state.db)
            .await
            .expect("query")
            .and_then(|s| s.mobile)
            .expect("a mobile on file")
    };
    let mut right = right_answers();
    right["mobile"] = json!(mobile);
    let filed =
        body(file(&app, &reaccess("demo@example.com", right, "me@example.org")).await).await;
    let good = check_of(&app, &officer, filed["ack"].as_str().expect("ack")).await;
    assert!(
        good["card"]["score"].as_u64().expect("score") >= 70,
        "{good}"
    );
    assert_eq!(good["card"]["band"], "strong");
    let item = |card: &Value, name: &str| {
        card["card"]["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["item"] == name)
            .cloned()
            .expect("item")
    };
    assert_eq!(item(&good, "old_passwords")["outcome"], "matched");
    assert_eq!(item(&good, "mobile")["outcome"], "matched");
    assert_eq!(item(&good, "devices")["outcome"], "not_given");

    let wrong = json!({
        "old_passwords": ["hunter2-is-not-it"],
        "email": "someone@else.example",
        "mobile": "+8613000000000",
        "registration_method": "web",
        "places": ["Reykjavik"],
        "friends": ["Nobody Known"],
    });
    let filed = body(
        file(
            &app,
            &reaccess("demo@example.com", wrong, "thief@example.org"),
        )
        .await,
    )
    .await;
    let bad = check_of(&app, &officer, filed["ack"].as_str().expect("ack")).await;
    assert!(bad["card"]["score"].as_u64().expect("score") < 40, "{bad}");
    assert_eq!(bad["card"]["band"], "weak");
    assert_eq!(item(&bad, "old_passwords")["outcome"], "not_matched");

    // Nothing held is ever in the answer: not the mobile, the friends, the
    // region, the password, or its hash.
    let everything = format!("{good}{bad}");
    for held in [
        mobile.as_str(),
        "demo-password-0",
        "argon2",
        "Wang Fang",
        "深圳",
        "demo@example.com",
    ] {
        assert!(!everything.contains(held), "{held} revealed: {everything}");
    }
    // The requester sees no score at all.
    let mine = body(
        app.get_with_token(
            &format!(
                "/api/v1/requests/{}?token={}",
                filed["ack"].as_str().expect("ack"),
                filed["tracking_token"].as_str().expect("token")
            ),
            "",
        )
        .await,
    )
    .await;
    assert!(
        mine.get("reaccess").is_none() || mine["reaccess"].is_null(),
        "{mine}"
    );

    // An identifier that names no account is filed all the same (no
    // enumeration); the officer sees it named nothing.
    let filed = file(
        &app,
        &reaccess("wxid_nobody", right_answers(), "a@example.org"),
    )
    .await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    let none = check_of(
        &app,
        &officer,
        body(filed).await["ack"].as_str().expect("ack"),
    )
    .await;
    assert_eq!(none["card"]["account_found"], false);
    assert_eq!(none["card"]["score"], 0);
}

async fn officer(
    app: &TestApp,
    token: &str,
    ack: &str,
    verb: &str,
    body: Value,
) -> reqwest::Response {
    app.post_with_token(
        &format!("/api/v1/officer/requests/{ack}/{verb}"),
        token,
        &body,
    )
    .await
}

async fn file_for(app: &TestApp, email: &str, contact: &str) -> String {
    let answers = json!({"old_passwords": ["correct-horse-battery"], "mobile": "139 1234 5678"});
    body(file(app, &reaccess(email, answers, contact)).await).await["ack"]
        .as_str()
        .expect("ack")
        .to_owned()
}

async fn a_granted_reaccess_opens_after_the_hold_unless_the_holder_stops_it(app: TestApp) {
    // A holder of their own, with a mobile on file, so the demo account
    // keeps its password for the other tests.
    let holder = app.holder_token().await;
    let email = app.last_holder_email();
    assert_eq!(
        app.post_with_token(
            "/api/v1/auth/reauth",
            &holder,
            &json!({"password": "correct-horse-battery"})
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.client
            .patch(app.url("/api/v1/me/profile"))
            .bearer_auth(&holder)
            .json(&json!({"mobile": "+8613912345678"}))
            .send()
            .await
            .expect("sent")
            .status()
            .as_u16()
            / 100,
        2
    );
    let officer_token = app.demo_token("officer").await;
    // 1. Granted; the holder stops it during the hold.
    let ack = file_for(&app, &email, "claimant@example.org").await;
    assert_eq!(
        officer(
            &app,
            &officer_token,
            &ack,
            "fulfil",
            json!({"summary": "Verified: old password and mobile match."})
        )
        .await
        .status(),
        StatusCode::OK
    );
    let link = app
        .link_token("claimant@example.org", "/reset-password")
        .await
        .expect("link to the contact address");
    let stop = app
        .link_token(&email, "/reaccess/stop")
        .await
        .expect("stop link to the address on file");
    assert!(
        app.mails_to("sms:+8613912345678")
            .await
            .iter()
            .any(|(_, b)| b.contains("/reaccess/stop?token=")),
        "a text to the mobile on file"
    );
    // In its hold: not yet.
    assert_error(
        confirm(&app, &link, "claimant-password-71").await,
        409,
        "link_not_open",
        None,
    )
    .await;
    assert_eq!(
        app.post_json("/api/v1/auth/reaccess/stop", &json!({"token": stop}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    // Twice is fine.
    assert_eq!(
        app.post_json("/api/v1/auth/reaccess/stop", &json!({"token": stop}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    app.advance_clock(25 * 3600);
    assert_error(
        confirm(&app, &link, "claimant-password-71").await,
        410,
        "access_stopped",
        None,
    )
    .await;
    assert!(
        app.mails_to("claimant@example.org")
            .await
            .iter()
            .any(|(s, _)| s.contains("was stopped"))
    );
    assert_eq!(
        app.login(&email, "correct-horse-battery").await.status(),
        StatusCode::OK
    );

    // 2. Granted and not stopped: after the hold the link sets a password.
    // (Tokens live an hour: the clock moved a day.)
    let officer_token = app.demo_token("officer").await;
    let ack = file_for(&app, &email, "me-again@example.org").await;
    // Partial grants are not a thing.
    assert_error(
        officer(
            &app,
            &officer_token,
            &ack,
            "partly-fulfil",
            json!({"summary": "half", "withheld": [{"item": "x", "reason": "y"}]}),
        )
        .await,
        409,
        "invalid_for_reaccess",
        None,
    )
    .await;
    assert_eq!(
        officer(
            &app,
            &officer_token,
            &ack,
            "fulfil",
            json!({"summary": "Verified."})
        )
        .await
        .status(),
        StatusCode::OK
    );
    let link = app
        .link_token("me-again@example.org", "/reset-password")
        .await
        .expect("link");
    app.advance_clock(24 * 3600 + 1);
    assert_eq!(
        confirm(&app, &link, "back-in-lantern-12").await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.login(&email, "back-in-lantern-12").await.status(),
        StatusCode::OK
    );
    // The stop link of a used access says so.
    let stop = app
        .link_token(&email, "/reaccess/stop")
        .await
        .expect("stop link");
    assert_error(
        app.post_json("/api/v1/auth/reaccess/stop", &json!({"token": stop}))
            .await,
        409,
        "access_already_used",
        None,
    )
    .await;

    // 3. A request naming no account cannot be granted.
    let officer_token = app.demo_token("officer").await;
    let filed = body(
        file(
            &app,
            &reaccess("wxid_nobody", json!({"friends": ["x"]}), "z@example.org"),
        )
        .await,
    )
    .await;
    assert_error(
        officer(
            &app,
            &officer_token,
            filed["ack"].as_str().expect("ack"),
            "fulfil",
            json!({"summary": "ok"}),
        )
        .await,
        409,
        "no_account",
        None,
    )
    .await;
}

async fn repeated_reaccess_requests_on_one_account_are_throttled_and_shown(app: TestApp) {
    app.demo_holder_with_data().await;
    let officer = app.demo_token("officer").await;
    let mut acks = Vec::new();
    for i in 0..3 {
        let filed = file(
            &app,
            &reaccess(
                "DEMO@example.com",
                json!({"friends": [format!("guess {i}")]}),
                &format!("p{i}@example.org"),
            ),
        )
        .await;
        assert_eq!(filed.status(), StatusCode::CREATED);
        acks.push(body(filed).await["ack"].as_str().expect("ack").to_owned());
    }
    assert_error(
        file(
            &app,
            &reaccess(
                "demo@example.com",
                json!({"friends": ["again"]}),
                "p4@example.org",
            ),
        )
        .await,
        429,
        "too_many_attempts",
        None,
    )
    .await;
    let check = check_of(&app, &officer, &acks[2]).await;
    let mut others: Vec<&str> = check["other_requests"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    others.sort_unstable();
    let mut earlier = vec![acks[0].as_str(), acks[1].as_str()];
    earlier.sort_unstable();
    assert_eq!(others, earlier);
    // A day later the account can be asked about again.
    app.advance_clock(24 * 3600 + 1);
    let filed = file(
        &app,
        &reaccess(
            "demo@example.com",
            json!({"friends": ["later"]}),
            "p5@example.org",
        ),
    )
    .await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    let _ = TestUser::generate();
}

async fn a_reaccess_request_past_its_four_hours_is_flagged_overdue(app: TestApp) {
    app.demo_holder_with_data().await;
    let filed = body(
        file(
            &app,
            &reaccess("demo@example.com", right_answers(), "late@example.org"),
        )
        .await,
    )
    .await;
    // Past its 4 hours it is flagged in the register like any overdue request.
    let ack = filed["ack"].as_str().expect("ack").to_owned();
    let admin = app.demo_token("admin").await;
    let moved = app
        .post_with_token(
            "/api/v1/dev/clock",
            &admin,
            &json!({"advance_seconds": 4 * 3600 + 60}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    let officer = app.demo_token("officer").await;
    let overdue = body(
        app.get_with_token("/api/v1/officer/requests?overdue=true", &officer)
            .await,
    )
    .await;
    assert!(
        overdue
            .as_array()
            .expect("list")
            .iter()
            .any(|r| r["ack"] == ack.as_str() && r["overdue"] == true),
        "{overdue}"
    );
}
