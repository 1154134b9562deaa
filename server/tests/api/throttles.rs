//! Limits that hold whichever door a request comes through: anonymous and
//! signed-in filing, tracking-code guesses, sign-ups. Each refusal is 429
//! with `Retry-After`.

use crate::helpers::{TestApp, TestUser, assert_error, body};
use crate::on_every_backend;
use crate::requests::OFFICER_REQUEST;
use reqwest::StatusCode;
use serde_json::json;

on_every_backend!(
    anonymous_filing_is_limited_through_both_doors,
    signed_in_filing_is_limited_per_account,
    tracking_codes_cannot_be_guessed,
    sign_ups_are_limited_per_address,
    mail_goes_only_to_addresses_on_file_or_a_few_a_day,
);

async fn outbox_to(app: &TestApp, address: &str) -> usize {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    server::entities::email_outbox::Entity::find()
        .filter(server::entities::email_outbox::Column::ToEmail.eq(address))
        .all(&app.state.db)
        .await
        .expect("outbox")
        .len()
}

async fn mail_goes_only_to_addresses_on_file_or_a_few_a_day(app: TestApp) {
    // A signed-in holder cannot have answers sent to another address.
    let user = TestUser::generate();
    assert_eq!(app.sign_up(&user).await.status(), StatusCode::CREATED);
    let holder = app.token_for(&user.email, &user.password).await;
    let file_as_holder = |contact: Option<&str>| {
        let mut request = json!({"kind": "copy", "channel": "privacy_officer", "details": "A copy, please.", "verification": "me"});
        if let Some(contact) = contact {
            request["contact_email"] = json!(contact);
        }
        reqwest::Client::new()
            .post(app.url("/api/v1/requests"))
            .bearer_auth(holder.clone())
            .json(&request)
            .send()
    };
    assert_error(
        file_as_holder(Some("attacker@example.net"))
            .await
            .expect("sent"),
        422,
        "contact_email_not_on_file",
        Some("contact_email"),
    )
    .await;
    assert_eq!(outbox_to(&app, "attacker@example.net").await, 0);
    let filed = file_as_holder(None).await.expect("sent");
    assert_eq!(filed.status(), StatusCode::CREATED);
    let ack = body(filed).await["ack"].as_str().expect("ack").to_owned();
    // The officer's answer goes to the address on file.
    let officer = app.demo_token("officer").await;
    crate::requests::act(&app, &officer, &ack, "verify-identity", json!({})).await;
    let answered =
        crate::requests::act(&app, &officer, &ack, "fulfil", json!({"summary": "Sent."})).await;
    assert_eq!(answered.status(), StatusCode::OK);
    assert!(
        outbox_to(&app, &user.email).await >= 2,
        "the acknowledgment and the answer both go to the address on file"
    );
    assert_eq!(outbox_to(&app, "attacker@example.net").await, 0);

    // Anonymous requests naming one address: at most three acknowledgments
    // a day reach it; the requests are filed all the same.
    let flood = json!({"kind": "copy", "channel": "privacy_officer", "details": "x", "contact_email": "victim@example.org", "verification": "v"});
    for _ in 0..5 {
        let response = reqwest::Client::new()
            .post(app.url("/api/v1/requests"))
            .json(&flood)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    assert_eq!(
        outbox_to(&app, "victim@example.org").await,
        server::requests::ACKNOWLEDGMENTS_PER_ADDRESS_PER_DAY as usize
    );
    app.advance_clock(86_401);
    let next_day = reqwest::Client::new()
        .post(app.url("/api/v1/requests"))
        .json(&flood)
        .send()
        .await
        .expect("sent");
    assert_eq!(next_day.status(), StatusCode::CREATED);
    assert_eq!(
        outbox_to(&app, "victim@example.org").await,
        server::requests::ACKNOWLEDGMENTS_PER_ADDRESS_PER_DAY as usize + 1
    );
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds")
}

async fn file_anonymously(app: &TestApp) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/v1/requests"))
        .header("content-type", "application/json")
        .body(OFFICER_REQUEST)
        .send()
        .await
        .expect("sent")
}

/// The server function the /requests/new page posts to.
async fn file_through_the_page(app: &TestApp) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/sfn/file_request"))
        .header("origin", app.address.clone())
        .json(&serde_json::json!({
            "request": {
                "kind": "copy",
                "channel": "privacy_officer",
                "details": "Please send me a copy.",
                "contact_email": "li.lei@example.com",
                "verification": "Account ID wxid_3k9",
            },
            "idempotency_key": null,
        }))
        .send()
        .await
        .expect("sent")
}

async fn anonymous_filing_is_limited_through_both_doors(app: TestApp) {
    for i in 0..10 {
        assert_eq!(
            file_anonymously(&app).await.status(),
            StatusCode::CREATED,
            "REST {i}"
        );
        assert_eq!(
            file_through_the_page(&app).await.status(),
            StatusCode::OK,
            "page {i}"
        );
    }
    // Twenty from this address, by either door: the next is refused by both.
    let refused = file_through_the_page(&app).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&refused) > 0);
    assert_eq!(body(refused).await["code"], "rate_limited");
    let refused = file_anonymously(&app).await;
    assert!(retry_after(&refused) > 0);
    assert_error(refused, 429, "rate_limited", None).await;
    // An hour later the window is open again.
    app.advance_clock(3601);
    assert_eq!(file_anonymously(&app).await.status(), StatusCode::CREATED);
}

async fn signed_in_filing_is_limited_per_account(app: TestApp) {
    let holder = app.holder_token().await;
    let file = |token: String| {
        reqwest::Client::new()
            .post(app.url("/api/v1/requests"))
            .bearer_auth(token)
            .json(&json!({"kind": "access", "channel": "in_app", "details": "What do you hold?"}))
            .send()
    };
    for i in 0..server::requests::SIGNED_IN_FILINGS_PER_HOUR {
        assert_eq!(
            file(holder.clone()).await.expect("sent").status(),
            StatusCode::CREATED,
            "{i}"
        );
    }
    let refused = file(holder.clone()).await.expect("sent");
    assert!(retry_after(&refused) > 0);
    assert_error(refused, 429, "rate_limited", None).await;
    // Another holder, from the same address, is not held back.
    let other = app.holder_token().await;
    assert_eq!(
        file(other).await.expect("sent").status(),
        StatusCode::CREATED
    );
}

async fn tracking_codes_cannot_be_guessed(app: TestApp) {
    let ack = body(file_anonymously(&app).await).await;
    let (number, token) = (
        ack["ack"].as_str().expect("ack").to_owned(),
        ack["tracking_token"].as_str().expect("token").to_owned(),
    );
    let track = |token: String| {
        reqwest::Client::new()
            .get(app.url(&format!("/api/v1/requests/{number}?token={token}")))
            .send()
    };
    for i in 0..server::requests::TRACKING_GUESSES_PER_HOUR - 1 {
        let wrong = track(format!("guess-{i}")).await.expect("sent");
        assert_eq!(wrong.status(), StatusCode::NOT_FOUND, "guess {i}");
    }
    // The right code still works before the limit…
    assert_eq!(
        track(token.clone()).await.expect("sent").status(),
        StatusCode::OK
    );
    let last = track("guess-last".into()).await.expect("sent");
    assert_eq!(last.status(), StatusCode::NOT_FOUND, "the twentieth guess");
    // …and not after it, from this address: guessing has stopped.
    let refused = track(token.clone()).await.expect("sent");
    assert!(retry_after(&refused) > 0);
    assert_error(refused, 429, "rate_limited", None).await;
    let message = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/requests/{number}/messages?token={token}")))
        .json(&json!({"message": "hello"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(message.status(), StatusCode::TOO_MANY_REQUESTS);
    // Staff are not tracking-code guessers.
    let officer = app.demo_token("officer").await;
    assert_eq!(
        app.get_with_token(&format!("/api/v1/requests/{number}"), &officer)
            .await
            .status(),
        StatusCode::OK
    );
}

async fn sign_ups_are_limited_per_address(app: TestApp) {
    for i in 0..server::accounts::SIGN_UPS_PER_HOUR {
        assert_eq!(
            app.sign_up(&TestUser::generate()).await.status(),
            StatusCode::CREATED,
            "{i}"
        );
    }
    let refused = app.sign_up(&TestUser::generate()).await;
    assert!(retry_after(&refused) > 0);
    assert_error(refused, 429, "rate_limited", None).await;
}
