//! Sign-up and sign-in through `/api/v1/auth/*`.

use crate::helpers::{TestApp, TestUser, assert_error, body};
use crate::on_every_backend;
use reqwest::StatusCode;
use serde_json::json;

on_every_backend!(
    signing_up_returns_201_with_the_account_id,
    bad_sign_up_input_answers_422_naming_the_field,
    a_taken_address_gets_the_same_answer_and_a_mail_saying_so,
    the_account_exists_only_once_the_link_is_opened,
    a_sign_up_link_expires_after_a_day,
    a_stranger_cannot_hold_an_address_by_signing_up_first,
    sign_up_mails_to_one_address_are_capped_per_day,
    the_sign_up_pages_door_enumerates_nothing_either,
    a_teenager_is_marked_as_a_minor,
    signing_in_returns_a_token_and_an_http_only_cookie,
    a_wrong_password_answers_401_like_an_unknown_address,
    repeated_failures_are_throttled_with_429,
    unreadable_bodies_get_the_error_format,
);

async fn signing_up_returns_201_with_the_account_id(app: TestApp) {
    let response = app.sign_up(&TestUser::generate()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body = body(response).await;
    assert!(
        uuid::Uuid::parse_str(body["account_id"].as_str().expect("account_id")).is_ok(),
        "body {body}"
    );
}

async fn bad_sign_up_input_answers_422_naming_the_field(app: TestApp) {
    let good = json!({"email": "ann@example.com", "password": "long-enough-1", "display_name": "Ann", "birth_date": "1990-01-01"});
    let cases = [
        ("email", json!("not-an-address"), "invalid_email"),
        ("email", json!(""), "invalid_email"),
        ("password", json!("short"), "password_too_short"),
        ("password", json!("x".repeat(300)), "password_too_long"),
        ("display_name", json!("   "), "display_name_required"),
        (
            "display_name",
            json!("名".repeat(65)),
            "display_name_too_long",
        ),
        ("birth_date", json!("1990-02-30"), "invalid_birth_date"),
        ("birth_date", json!("2999-01-01"), "birth_date_out_of_range"),
        ("birth_date", json!("2020-01-01"), "age_restricted"),
        // Common and breached passwords, and the person's own address (ASVS 6.2.4).
        ("password", json!("password123"), "password_too_common"),
        ("password", json!("qwertyuiop"), "password_too_common"),
        ("password", json!("1234567890"), "password_too_common"),
        ("password", json!("ann@example.com1"), "password_too_common"),
        ("email", json!(42), "invalid_body"),
    ];
    for (field, value, code) in cases {
        let mut input = good.clone();
        input[field] = value;
        let response = app.post_json("/api/v1/auth/signup", &input).await;
        assert_error(response, 422, code, Some(field)).await;
    }
    // A missing field is reported by name, not as a parse failure.
    let response = app
        .post_json("/api/v1/auth/signup", &json!({"email": "ann@example.com"}))
        .await;
    assert_error(response, 422, "password_too_short", Some("password")).await;
    // Nothing was created by any of them.
    assert_eq!(
        app.login("ann@example.com", "long-enough-1").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

async fn a_taken_address_gets_the_same_answer_and_a_mail_saying_so(app: TestApp) {
    let user = TestUser::generate();
    assert_eq!(app.sign_up(&user).await.status(), StatusCode::CREATED);
    let again = TestUser {
        email: user.email.to_uppercase(),
        password: "another-password-2".into(),
    };
    let taken = app.start_sign_up(&again).await;
    assert_eq!(taken.status(), StatusCode::ACCEPTED);
    let fresh = app.start_sign_up(&TestUser::generate()).await;
    assert_eq!(fresh.status(), StatusCode::ACCEPTED);
    assert_eq!(
        body(taken).await,
        body(fresh).await,
        "the answer must not tell whether the address has an account"
    );
    // The owner hears of it, with no link that would create anything.
    let mails = app.mails_to(&user.email).await;
    let (subject, text) = mails.last().expect("a mail to the owner");
    assert!(subject.contains("tried to sign up"), "{subject}");
    assert!(!text.contains("verify-email"), "{text}");
    assert!(text.contains("/login"), "{text}");
    // The first password still works, the second does not.
    assert_eq!(
        app.login(&user.email, &user.password).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.login(&user.email, &again.password).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

async fn the_account_exists_only_once_the_link_is_opened(app: TestApp) {
    let user = TestUser::generate();
    assert_eq!(
        app.start_sign_up(&user).await.status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(
        app.login(&user.email, &user.password).await.status(),
        StatusCode::UNAUTHORIZED,
        "no account before the link"
    );
    let token = app.sign_up_token(&user.email).await.expect("link mailed");
    let created = app.verify_email(&token).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created = body(created).await;
    // The link signs the new account in.
    let session = created["token"].as_str().expect("token");
    let me = body(app.get_with_token("/api/v1/me", session).await).await;
    assert_eq!(me["display_name"], "Test 测试");
    assert_eq!(me["account_id"], created["account_id"]);
    // A link works once.
    assert_error(app.verify_email(&token).await, 410, "link_expired", None).await;
    for bad in ["", "not-a-token", &"f".repeat(5000)] {
        assert_error(app.verify_email(bad).await, 410, "link_expired", None).await;
    }
    assert_eq!(
        app.login(&user.email, &user.password).await.status(),
        StatusCode::OK
    );
}

async fn a_sign_up_link_expires_after_a_day(app: TestApp) {
    let user = TestUser::generate();
    app.start_sign_up(&user).await;
    let token = app.sign_up_token(&user.email).await.expect("link mailed");
    app.advance_clock(24 * 3600 + 1);
    assert_error(app.verify_email(&token).await, 410, "link_expired", None).await;
    // The next sign-up clears the expired one away (it holds a name and a
    // birth date), and its own link works.
    app.start_sign_up(&user).await;
    let pending = pending_sign_ups(&app).await;
    assert_eq!(pending, 1, "only the new sign-up is kept");
    let fresh = app.sign_up_token(&user.email).await.expect("new link");
    assert_eq!(app.verify_email(&fresh).await.status(), StatusCode::CREATED);
    assert_eq!(pending_sign_ups(&app).await, 0);
}

async fn pending_sign_ups(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    server::entities::pending_sign_ups::Entity::find()
        .count(&app.state.db)
        .await
        .expect("count")
}

async fn a_stranger_cannot_hold_an_address_by_signing_up_first(app: TestApp) {
    let owner = TestUser::generate();
    let stranger = TestUser {
        email: owner.email.clone(),
        password: "strangers-password-9".into(),
    };
    app.start_sign_up(&stranger).await;
    let strangers_link = app.sign_up_token(&owner.email).await.expect("link");
    // The owner signs up too and opens their own (newer) link.
    app.start_sign_up(&owner).await;
    let owners_link = app.sign_up_token(&owner.email).await.expect("link");
    assert_ne!(strangers_link, owners_link);
    assert_eq!(
        app.verify_email(&owners_link).await.status(),
        StatusCode::CREATED
    );
    // The stranger's sign-up died with it: its link and password are useless.
    assert_error(
        app.verify_email(&strangers_link).await,
        410,
        "link_expired",
        None,
    )
    .await;
    assert_eq!(
        app.login(&owner.email, &stranger.password).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(&owner.email, &owner.password).await.status(),
        StatusCode::OK
    );
}

async fn sign_up_mails_to_one_address_are_capped_per_day(app: TestApp) {
    let user = TestUser::generate();
    for attempt in 1..=5 {
        assert_eq!(
            app.start_sign_up(&user).await.status(),
            StatusCode::ACCEPTED,
            "attempt {attempt}: the answer never changes"
        );
    }
    assert_eq!(
        app.mails_to(&user.email).await.len() as u64,
        server::accounts::SIGN_UP_MAILS_PER_ADDRESS_PER_DAY
    );
    app.advance_clock(24 * 3600 + 1);
    app.start_sign_up(&user).await;
    assert_eq!(
        app.mails_to(&user.email).await.len() as u64,
        server::accounts::SIGN_UP_MAILS_PER_ADDRESS_PER_DAY + 1
    );
}

async fn a_teenager_is_marked_as_a_minor(app: TestApp) {
    let today = app.state.clock.now();
    let teen = TestUser {
        email: "teen@example.com".into(),
        password: "long-enough-1".into(),
    };
    let response = app
        .post_json("/api/v1/auth/signup", &json!({"email": teen.email, "password": teen.password, "display_name": "Teen", "birth_date": format!("{}-01-01", today.year() - 15)}))
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let link = app.sign_up_token(&teen.email).await.expect("link");
    assert_eq!(app.verify_email(&link).await.status(), StatusCode::CREATED);
    let token = app.token_for(&teen.email, &teen.password).await;
    let me = body(app.get_with_token("/api/v1/me", &token).await).await;
    assert_eq!(me["minor"], true);
    assert_eq!(me["role"], "holder");
}

async fn signing_in_returns_a_token_and_an_http_only_cookie(app: TestApp) {
    let user = TestUser::generate();
    app.sign_up(&user).await;
    let response = app
        .login(
            &format!("  {}  ", user.email.to_uppercase()),
            &user.password,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("cookie")
        .to_owned();
    assert!(cookie.starts_with("portal_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let body = body(response).await;
    assert_eq!(body["role"], "holder");
    let token = body["token"].as_str().expect("token");
    let me = crate::helpers::body(app.get_with_token("/api/v1/me", token).await).await;
    assert_eq!(me["display_name"], "Test 测试");
    // The cookie alone (no bearer) also authenticates the same client.
    let me_by_cookie = app
        .client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .expect("sent");
    assert_eq!(me_by_cookie.status(), StatusCode::OK);
}

async fn a_wrong_password_answers_401_like_an_unknown_address(app: TestApp) {
    let user = TestUser::generate();
    app.sign_up(&user).await;
    let wrong = app.login(&user.email, "not-the-password").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let wrong = body(wrong).await;
    let unknown = body(app.login("nobody@example.com", "not-the-password").await).await;
    assert_eq!(
        wrong, unknown,
        "the answer must not tell whether the address has an account"
    );
    assert_eq!(wrong["error"]["code"], "invalid_credentials");
}

async fn repeated_failures_are_throttled_with_429(app: TestApp) {
    let user = TestUser::generate();
    app.sign_up(&user).await;
    // The owner has signed in from 127.0.0.1 before; someone at 127.0.0.2
    // guesses.
    assert_eq!(
        app.login(&user.email, &user.password).await.status(),
        StatusCode::OK
    );
    let attacker = client_from([127, 0, 0, 2]);
    let login = |client: &reqwest::Client, password: &str| {
        client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"email": user.email, "password": password}))
            .send()
    };
    for attempt in 1..=5 {
        assert_eq!(
            login(&attacker, "wrong-password")
                .await
                .expect("sent")
                .status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    // From the guessing address even the right password is refused until
    // the window passes, and the answer says how long to wait.
    let refused = login(&attacker, &user.password).await.expect("sent");
    let wait: u64 = refused
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=15 * 60).contains(&wait), "{wait}");
    assert_error(refused, 429, "too_many_attempts", None).await;
    // The owner, elsewhere, is not locked out — by sign-in or by
    // re-authentication.
    let token = app.token_for(&user.email, &user.password).await;
    assert_eq!(
        app.post_with_token(
            "/api/v1/auth/reauth",
            &token,
            &json!({"password": user.password})
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    let elsewhere = client_from([127, 0, 0, 3]);
    assert_eq!(
        login(&elsewhere, &user.password)
            .await
            .expect("sent")
            .status(),
        StatusCode::OK,
        "a third address is not locked out either"
    );
    app.advance_clock(16 * 60);
    assert_eq!(
        login(&attacker, &user.password)
            .await
            .expect("sent")
            .status(),
        StatusCode::OK
    );
}

/// A client whose connections come from another loopback address.
fn client_from(ip: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(std::net::IpAddr::from(ip))
        .build()
        .expect("client")
}

async fn unreadable_bodies_get_the_error_format(app: TestApp) {
    let not_json = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .body("email=a")
        .send()
        .await
        .expect("sent");
    assert_error(not_json, 415, "unsupported_media_type", None).await;
    let broken = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"email\":")
        .send()
        .await
        .expect("sent");
    assert_error(broken, 400, "invalid_json", None).await;
    let huge = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(format!("{{\"email\":\"{}\"}}", "a".repeat(2 * 1024 * 1024)))
        .send()
        .await
        .expect("sent");
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

/// The server functions the /signup and /verify-email pages post to, as a
/// browser without script does (plain forms, redirects not followed).
async fn page_post(app: &TestApp, function: &str, form: &[(&str, &str)]) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(app.url(&format!("/sfn/{function}")))
        .header("origin", app.address.clone())
        .header("accept", "text/html")
        .form(form)
        .send()
        .await
        .expect("sent")
}

async fn the_sign_up_pages_door_enumerates_nothing_either(app: TestApp) {
    let owner = TestUser::generate();
    assert_eq!(app.sign_up(&owner).await.status(), StatusCode::CREATED);
    let newcomer = TestUser::generate();
    let mut answers = Vec::new();
    for email in [&owner.email, &newcomer.email] {
        let response = page_post(
            &app,
            "sign_up",
            &[
                ("email", email),
                ("password", "a-long-password-7"),
                ("display_name", "Wang Fang"),
                ("birth_date", "1995-06-01"),
            ],
        )
        .await;
        answers.push((
            response.status(),
            response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        ));
    }
    assert_eq!(answers[0], answers[1], "same answer for both addresses");
    assert!(answers[0].0.is_redirection(), "{answers:?}");
    assert_eq!(answers[0].1.as_deref(), Some("/signup/sent"));
    // The newcomer's link, opened on the page, creates the account and
    // signs it in.
    let link = app.sign_up_token(&newcomer.email).await.expect("link");
    let confirmed = page_post(&app, "verify_email", &[("token", &link)]).await;
    assert!(
        confirmed.status().is_redirection(),
        "{}",
        confirmed.status()
    );
    assert_eq!(
        confirmed
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/home")
    );
    assert!(
        confirmed
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("portal_session=")),
        "signed in"
    );
    assert_eq!(
        app.login(&newcomer.email, "a-long-password-7")
            .await
            .status(),
        StatusCode::OK
    );
    // The same link again: the page door refuses it as REST does (asked
    // as the page's script asks, which reads the typed error).
    let again = reqwest::Client::new()
        .post(app.url("/sfn/verify_email"))
        .header("origin", app.address.clone())
        .form(&[("token", &link)])
        .send()
        .await
        .expect("sent");
    assert_eq!(again.status().as_u16(), 410);
    assert!(again.text().await.expect("body").contains("link_expired"));
}
