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
);

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
        .form(&[
            ("kind", "copy"),
            ("channel", "privacy_officer"),
            ("details", "Please send me a copy."),
            ("contact_email", "li.lei@example.com"),
            ("verification", "Account ID wxid_3k9"),
        ])
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
