//! Sessions: sign-out revokes, forged and expired tokens fail, roles hold,
//! re-authentication opens a 5-minute window.

use crate::helpers::{TestApp, assert_error, body};
use crate::on_every_backend;
use reqwest::StatusCode;
use serde_json::json;

on_every_backend!(
    signing_out_revokes_the_token,
    forged_tokens_answer_401,
    tokens_expire_by_the_portal_clock,
    holders_get_403_on_officer_routes,
    reauthentication_opens_a_five_minute_window,
    an_active_browser_session_slides_up_to_twelve_hours,
    a_page_looks_its_caller_up_once,
);

/// What a page renders shares one look-up of its caller (the page
/// middleware puts a `CallerOnce` in the request's extensions); anything
/// else looks the session up on every call, so a revoked session is refused
/// at once.
async fn a_page_looks_its_caller_up_once(app: TestApp) {
    let token = app.holder_token().await;
    let request = |once: bool| {
        let mut request = http::Request::builder()
            .header("authorization", format!("Bearer {token}"))
            .body(())
            .expect("request");
        if once {
            request
                .extensions_mut()
                .insert(server::sessions::CallerOnce::default());
        }
        request.into_parts().0
    };
    let (page, call) = (request(true), request(false));
    // Leptos hands each server function its own clone of the parts.
    let (first, later) = (page.clone(), page.clone());
    let sessions = &app.state.sessions;
    let me = sessions
        .principal_of(&first)
        .await
        .expect("looked up")
        .expect("signed in");
    assert!(
        sessions
            .principal_of(&call)
            .await
            .expect("looked up")
            .is_some()
    );
    sessions.revoke(&me).await.expect("revoked");
    // The page goes on with the caller it began with …
    let again = sessions
        .authenticate_parts(&later)
        .await
        .expect("the page's caller");
    assert_eq!(again.session_id, me.session_id);
    // … while every other call sees the revocation.
    assert!(
        sessions
            .principal_of(&call)
            .await
            .expect("looked up")
            .is_none()
    );
    assert!(sessions.authenticate_parts(&call).await.is_err());
}

async fn an_active_browser_session_slides_up_to_twelve_hours(app: TestApp) {
    let user = crate::helpers::TestUser::generate();
    assert_eq!(app.sign_up(&user).await.status(), StatusCode::CREATED);
    // A browser: cookies only.
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let signed_in = browser
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"email": user.email, "password": user.password}))
        .send()
        .await
        .expect("sent");
    assert_eq!(signed_in.status(), StatusCode::OK);
    let bearer = crate::helpers::body(signed_in).await["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let me = || async {
        browser
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .expect("sent")
    };
    // Young tokens are left alone.
    assert!(me().await.headers().get("set-cookie").is_none());
    // Every 50 minutes of activity renews the cookie, past the first hour…
    for _ in 0..3 {
        app.advance_clock(50 * 60);
        let response = me().await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers().get("set-cookie").is_some(), "renewed");
    }
    // …while the bearer token of the same sign-in is not renewed.
    assert_eq!(
        app.get_with_token("/api/v1/me", &bearer).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Never past 12 hours from sign-in.
    for _ in 0..12 {
        app.advance_clock(50 * 60);
        let _ = me().await;
    }
    assert_eq!(me().await.status(), StatusCode::UNAUTHORIZED);
}

async fn signing_out_revokes_the_token(app: TestApp) {
    let token = app.holder_token().await;
    assert_eq!(
        app.get_with_token("/api/v1/me", &token).await.status(),
        StatusCode::OK
    );
    let out = app
        .post_with_token("/api/v1/auth/logout", &token, &json!({}))
        .await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let cleared = out
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert_error(
        app.get_with_token("/api/v1/me", &token).await,
        401,
        "unauthenticated",
        None,
    )
    .await;
    assert_error(
        app.post_with_token("/api/v1/auth/logout", &token, &json!({}))
            .await,
        401,
        "unauthenticated",
        None,
    )
    .await;
}

async fn forged_tokens_answer_401(app: TestApp) {
    use base64_like::*;
    let token = app.holder_token().await;
    let (head_and_claims, signature) = token.rsplit_once('.').expect("three parts");
    // A flipped signature.
    let mut forged_signature = signature.to_owned();
    let last = forged_signature.pop().expect("non-empty");
    forged_signature.push(if last == 'A' { 'B' } else { 'A' });
    let forged = format!("{head_and_claims}.{forged_signature}");
    assert_error(
        app.get_with_token("/api/v1/me", &forged).await,
        401,
        "unauthenticated",
        None,
    )
    .await;
    // Claims changed to another role, signature kept.
    let (header, claims) = head_and_claims.split_once('.').expect("header and claims");
    let tampered = format!(
        "{header}.{}.{signature}",
        encode(&decode(claims).replace(
            "\"typ\":\"session\"",
            "\"typ\":\"session\",\"role\":\"admin\""
        ))
    );
    assert_error(
        app.get_with_token("/api/v1/me", &tampered).await,
        401,
        "unauthenticated",
        None,
    )
    .await;
    // "alg": "none" with no signature.
    let none = format!("{}.{claims}.", encode("{\"alg\":\"none\",\"typ\":\"JWT\"}"));
    assert_error(
        app.get_with_token("/api/v1/me", &none).await,
        401,
        "unauthenticated",
        None,
    )
    .await;
    // Signed with another key.
    let other = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &serde_json::from_str::<serde_json::Value>(&decode(claims)).expect("claims are JSON"),
        &jsonwebtoken::EncodingKey::from_secret(b"an-attacker-secret-of-32-bytes-or-more"),
    )
    .expect("signed");
    assert_error(
        app.get_with_token("/api/v1/me", &other).await,
        401,
        "unauthenticated",
        None,
    )
    .await;
    assert_error(
        app.get_with_token("/api/v1/me", "garbage").await,
        401,
        "unauthenticated",
        None,
    )
    .await;
    // The genuine token still works.
    assert_eq!(
        app.get_with_token("/api/v1/me", &token).await.status(),
        StatusCode::OK
    );
}

async fn tokens_expire_by_the_portal_clock(app: TestApp) {
    let token = app.holder_token().await;
    app.advance_clock(59 * 60);
    assert_eq!(
        app.get_with_token("/api/v1/me", &token).await.status(),
        StatusCode::OK
    );
    app.advance_clock(2 * 60);
    assert_error(
        app.get_with_token("/api/v1/me", &token).await,
        401,
        "unauthenticated",
        None,
    )
    .await;
}

async fn holders_get_403_on_officer_routes(app: TestApp) {
    let holder = app.holder_token().await;
    assert_error(
        app.get_with_token("/api/v1/officer/requests", &holder)
            .await,
        403,
        "forbidden",
        None,
    )
    .await;
    let anonymous = reqwest::get(app.url("/api/v1/officer/requests"))
        .await
        .expect("sent");
    assert_error(anonymous, 401, "unauthenticated", None).await;
    let officer = app.demo_token("officer").await;
    let response = app
        .get_with_token("/api/v1/officer/requests", &officer)
        .await;
    assert_ne!(response.status(), StatusCode::FORBIDDEN);
    assert_ne!(response.status(), StatusCode::UNAUTHORIZED);
}

async fn reauthentication_opens_a_five_minute_window(app: TestApp) {
    let token = app.holder_token().await;
    let principal = || async {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            "authorization",
            format!("Bearer {token}").parse().expect("header"),
        );
        app.state
            .sessions
            .principal(&headers)
            .await
            .expect("the database answers")
            .expect("signed in")
    };
    assert!(
        app.state
            .sessions
            .require_recent_reauth(&principal().await)
            .is_err(),
        "no window before re-entering the password"
    );
    let wrong = app
        .post_with_token(
            "/api/v1/auth/reauth",
            &token,
            &json!({"password": "wrong-password"}),
        )
        .await;
    assert_error(wrong, 401, "invalid_credentials", Some("password")).await;
    let right = app
        .post_with_token(
            "/api/v1/auth/reauth",
            &token,
            &json!({"password": "correct-horse-battery"}),
        )
        .await;
    assert_eq!(right.status(), StatusCode::NO_CONTENT);
    assert!(
        app.state
            .sessions
            .require_recent_reauth(&principal().await)
            .is_ok()
    );
    app.advance_clock(5 * 60 + 1);
    let refused = app
        .state
        .sessions
        .require_recent_reauth(&principal().await)
        .expect_err("window closed");
    assert_eq!(refused.into_app_error().code, "reauth_required");
    let _ = body;
}

/// URL-safe base64 without padding, enough to take a JWT apart in a test.
mod base64_like {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    pub fn encode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out
    }

    pub fn decode(text: &str) -> String {
        let values: Vec<u32> = text
            .bytes()
            .filter_map(|c| ALPHABET.iter().position(|a| *a == c).map(|p| p as u32))
            .collect();
        let mut out = Vec::new();
        for chunk in values.chunks(4) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, v)| acc | (v << (18 - 6 * i)));
            for i in 0..chunk.len().saturating_sub(1) {
                out.push(((n >> (16 - 8 * i)) & 255) as u8);
            }
        }
        String::from_utf8(out).expect("utf-8")
    }
}
