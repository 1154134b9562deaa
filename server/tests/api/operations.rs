//! Health, OpenAPI, the development clock, request IDs, cross-origin writes,
//! server-rendered pages, and the admin commands.

use crate::helpers::{TestApp, assert_error, body};
use crate::on_every_backend;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_every_backend!(
    health_answers_ok_with_the_database,
    the_openapi_document_lists_the_contract,
    the_dev_clock_moves_forward_for_administrators_only,
    every_response_carries_a_request_id,
    cross_origin_writes_are_refused,
    pages_render_with_the_right_status,
    seeding_the_demo_twice_changes_nothing,
    prometheus_metrics_count_traffic_and_the_register,
);

async fn prometheus_metrics_count_traffic_and_the_register(app: TestApp) {
    let holder = app.holder_token().await;
    let response = app
        .post_with_token(
            "/api/v1/requests",
            &holder,
            &serde_json::json!({"kind": "access", "channel": "in_app", "details": "What do you hold?"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let _ = reqwest::get(app.url("/api/v1/nothing-here"))
        .await
        .expect("sent");
    let response = reqwest::get(app.url("/metrics")).await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/plain; version=0.0.4"))
    );
    let text = response.text().await.expect("text");
    let value = |name: &str| -> f64 {
        text.lines()
            .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name} in {text}"))
    };
    assert!(value("portal_http_responses_total{class=\"2xx\"}") >= 3.0);
    assert!(value("portal_http_responses_total{class=\"4xx\"}") >= 1.0);
    assert_eq!(value("portal_requests_open"), 1.0);
    // The sign-up link and the acknowledgment are pending or already sent
    // by the background job.
    assert!(value("portal_email_outbox_pending") <= 2.0);
    assert_eq!(value("portal_email_outbox_given_up"), 0.0);
    assert!(value("portal_http_request_duration_seconds_count") >= 4.0);
    assert!(!text.contains("@example.com"), "counts only");
}

async fn health_answers_ok_with_the_database(app: TestApp) {
    let response = reqwest::get(app.url("/healthz")).await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        body(response).await,
        json!({"status": "ok", "database": "ok"})
    );
}

async fn the_openapi_document_lists_the_contract(app: TestApp) {
    let doc = body(
        reqwest::get(app.url("/api/v1/openapi.json"))
            .await
            .expect("sent"),
    )
    .await;
    for path in [
        "/api/v1/auth/signup",
        "/api/v1/auth/verify-email",
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/auth/reauth",
        "/api/v1/me",
        "/api/v1/me/data",
        "/api/v1/me/data/{category}",
        "/api/v1/me/data/{category}/{item_id}",
        "/api/v1/me/profile",
        "/api/v1/me/settings",
        "/api/v1/me/posts/preview",
        "/api/v1/me/emergency-contacts",
        "/api/v1/requests",
        "/api/v1/requests/{ack}",
        "/api/v1/requests/{ack}/messages",
        "/api/v1/requests/{ack}/attachments",
        "/api/v1/requests/{ack}/attachments/{id}",
        "/api/v1/admin/settings",
        "/api/v1/auth/password-reset",
        "/api/v1/auth/password-reset/confirm",
        "/api/v1/auth/reaccess/stop",
        "/api/v1/admin/incidents",
        "/api/v1/admin/incidents/{id}",
        "/api/v1/admin/incidents/{id}/publish",
        "/api/v1/admin/incidents/{id}/deliveries.csv",
        "/api/v1/me/incidents",
        "/api/v1/me/incidents/{id}/acknowledge",
        "/api/v1/officer/requests",
        "/api/v1/officer/requests/{ack}/{action}",
        "/api/v1/officer/requests/{ack}/data/{category}",
        "/api/v1/officer/metrics",
        "/api/v1/officer/requests.csv",
        "/api/v1/policies",
        "/api/v1/deadlines/compute",
        "/api/v1/admin/policies",
        "/api/v1/admin/policies/{name}",
        "/api/v1/admin/audit",
        "/api/v1/me/exports",
        "/api/v1/me/exports/{id}",
        "/api/v1/me/exports/{id}/download",
        "/healthz",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    // Every operation has its own ID (clients are generated from them).
    let mut ids: Vec<&str> = doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|item| item.as_object().expect("path item").values())
        .filter_map(|operation| operation["operationId"].as_str())
        .collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all, "operation IDs repeat: {ids:?}");
    assert!(
        doc["paths"]["/api/v1/me/data/{category}"]["delete"].is_object(),
        "clearing a category is documented"
    );
    // Every reference resolves, and every JSON body is typed: no bare
    // `object` without properties stands for a request or an answer.
    fn walk<'a>(value: &'a Value, refs: &mut Vec<&'a str>, bare: &mut usize) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    refs.push(r);
                }
                if map.get("type").and_then(Value::as_str) == Some("object")
                    && !map.contains_key("properties")
                    && !map.contains_key("additionalProperties")
                {
                    *bare += 1;
                }
                map.values().for_each(|v| walk(v, refs, bare));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, refs, bare)),
            _ => {}
        }
    }
    let (mut refs, mut bare) = (Vec::new(), 0);
    walk(&doc, &mut refs, &mut bare);
    for r in refs {
        let name = r.trim_start_matches("#/components/schemas/");
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{r} does not resolve"
        );
    }
    assert_eq!(bare, 0, "untyped objects in the document");
    for (name, values) in [
        ("Status", 8),
        ("RequestKind", 7),
        ("Channel", 2),
        ("Event", 16),
        ("Verb", 9),
        ("ComplaintCategory", 5),
        ("AttachmentType", 6),
        ("Category", 18),
    ] {
        assert_eq!(
            doc["components"]["schemas"][name]["enum"]
                .as_array()
                .map(Vec::len),
            Some(values),
            "{name} is an enum of the wire"
        );
    }
    let unknown = reqwest::get(app.url("/api/v1/no-such-thing"))
        .await
        .expect("sent");
    assert_error(unknown, 404, "not_found", None).await;
}

async fn the_dev_clock_moves_forward_for_administrators_only(app: TestApp) {
    let admin = app.demo_token("admin").await;
    let holder = app.holder_token().await;
    assert_error(
        app.post_with_token(
            "/api/v1/dev/clock",
            &holder,
            &json!({"advance_seconds": 60}),
        )
        .await,
        403,
        "forbidden",
        None,
    )
    .await;

    let before = app.state.clock.now();
    let moved = body(
        app.post_with_token(
            "/api/v1/dev/clock",
            &admin,
            &json!({"advance_seconds": 86_400}),
        )
        .await,
    )
    .await;
    let now = time::OffsetDateTime::parse(
        moved["now"].as_str().expect("now"),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("RFC 3339");
    assert!((now - before).whole_seconds() >= 86_400);
    assert!(
        (app.state.clock.now() - now).whole_seconds() <= 1,
        "the server's clock is the moved one"
    );

    // A day later the first token has expired by the moved clock.
    assert_error(
        app.get_with_token("/api/v1/me", &admin).await,
        401,
        "unauthenticated",
        None,
    )
    .await;
    let admin = app.token_for("admin@example.com", "admin-password-1").await;
    let target = "2099-01-01T00:00:00Z";
    let moved = body(
        app.post_with_token("/api/v1/dev/clock", &admin, &json!({"now": target}))
            .await,
    )
    .await;
    assert_eq!(moved["now"], target);
    let admin = app.token_for("admin@example.com", "admin-password-1").await;
    let back = app
        .post_with_token(
            "/api/v1/dev/clock",
            &admin,
            &json!({"now": "2030-01-01T00:00:00Z"}),
        )
        .await;
    assert_error(back, 409, "clock_backwards", None).await;
    let bad = app
        .post_with_token("/api/v1/dev/clock", &admin, &json!({"now": "tomorrow"}))
        .await;
    assert_error(bad, 422, "invalid_instant", Some("now")).await;

    // A move out of the years the portal counts in is refused with the
    // field, and the server goes on serving (it used to panic on every
    // later reading of the clock).
    for (move_by, field) in [
        (
            json!({"advance_seconds": 1_000_000_000_000_000_i64}),
            "advance_seconds",
        ),
        (json!({"advance_seconds": i64::MAX}), "advance_seconds"),
        (json!({"now": "9999-12-31T00:00:00Z"}), "now"),
    ] {
        let refused = app
            .post_with_token("/api/v1/dev/clock", &admin, &move_by)
            .await;
        assert_error(refused, 422, "out_of_range", Some(field)).await;
    }
    assert_eq!(
        app.get_with_token("/api/v1/me", &admin).await.status(),
        StatusCode::OK,
        "still serving, on the same clock"
    );
    assert_eq!(app.state.clock.now().year(), 2099);
}

async fn every_response_carries_a_request_id(app: TestApp) {
    let response = reqwest::get(app.url("/healthz")).await.expect("sent");
    let id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("request id");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    let given = reqwest::Client::new()
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-me-1")
        .send()
        .await
        .expect("sent");
    assert_eq!(
        given
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some("trace-me-1")
    );
}

async fn cross_origin_writes_are_refused(app: TestApp) {
    let token = app.holder_token().await;
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&token)
        .header("origin", "https://evil.example")
        .send()
        .await
        .expect("sent");
    assert_error(response, 403, "cross_origin", None).await;
    // The session was not touched.
    assert_eq!(
        app.get_with_token("/api/v1/me", &token).await.status(),
        StatusCode::OK
    );
    let same_origin = reqwest::Client::new()
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&token)
        .header("origin", app.address.clone())
        .send()
        .await
        .expect("sent");
    assert_eq!(same_origin.status(), StatusCode::NO_CONTENT);
    // The same host under another scheme is another origin.
    let token = app.holder_token().await;
    let other_scheme = reqwest::Client::new()
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&token)
        .header("origin", app.address.replace("http://", "https://"))
        .send()
        .await
        .expect("sent");
    assert_error(other_scheme, 403, "cross_origin", None).await;

    // A body over the limit is 413 whether or not its length is announced.
    let huge = format!("{{\"email\":\"{}\"}}", "a".repeat(2 * 1024 * 1024));
    let announced = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(huge.clone())
        .send()
        .await
        .expect("sent");
    assert_eq!(announced.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let chunks: Vec<Result<String, std::io::Error>> = huge
        .as_bytes()
        .chunks(64 * 1024)
        .map(|c| Ok(String::from_utf8_lossy(c).into_owned()))
        .collect();
    let chunked = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .expect("sent");
    assert_error(chunked, 413, "payload_too_large", None).await;
    // The same through the pages' door (a server function), both ways.
    let form = format!("details={}", "a".repeat(2 * 1024 * 1024));
    let announced = reqwest::Client::new()
        .post(app.url("/sfn/file_request"))
        .header("origin", app.address.clone())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.clone())
        .send()
        .await
        .expect("sent");
    assert_eq!(
        announced.status(),
        StatusCode::PAYLOAD_TOO_LARGE,
        "announced"
    );
    let chunks: Vec<Result<String, std::io::Error>> = form
        .as_bytes()
        .chunks(64 * 1024)
        .map(|c| Ok(String::from_utf8_lossy(c).into_owned()))
        .collect();
    let chunked = reqwest::Client::new()
        .post(app.url("/sfn/file_request"))
        .header("origin", app.address.clone())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .expect("sent");
    assert_eq!(chunked.status(), StatusCode::PAYLOAD_TOO_LARGE, "chunked");
    assert!(
        chunked
            .text()
            .await
            .expect("body")
            .contains("payload_too_large")
    );
}

/// The static build's origin (`PORTAL_STATIC_ORIGIN`) alone may call from
/// another origin with the session cookie: its preflights and answers carry
/// CORS with credentials, its writes pass the Origin check (even when the
/// browser says cross-site); any other origin gets neither.
#[tokio::test]
async fn the_static_origin_alone_is_let_in() {
    const STATIC: &str = "http://static.example:3220";
    let app = crate::helpers::spawn_app_configured(crate::helpers::Backend::Sqlite, |config| {
        config.static_origin = Some(STATIC.into());
    })
    .await
    .expect("app starts");
    let client = reqwest::Client::new();
    let preflight = |origin: &'static str| {
        client
            .request(reqwest::Method::OPTIONS, app.url("/sfn/sign_in"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let allowed = preflight(STATIC).await.expect("sent");
    assert!(allowed.status().is_success(), "{}", allowed.status());
    let headers = allowed.headers();
    assert_eq!(headers["access-control-allow-origin"], STATIC);
    assert_eq!(headers["access-control-allow-credentials"], "true");
    assert!(
        headers["access-control-allow-methods"]
            .to_str()
            .is_ok_and(|m| m.contains("POST") && m.contains("DELETE"))
    );
    let refused = preflight("http://evil.example:3220").await.expect("sent");
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );

    // Signing in through the server function from the static origin sets the
    // cookie, and the browser may read the answer.
    let user = crate::helpers::TestUser::generate();
    assert_eq!(app.sign_up(&user).await.status(), StatusCode::CREATED);
    let signed_in = client
        .post(app.url("/sfn/sign_in"))
        .header("origin", STATIC)
        .header("sec-fetch-site", "cross-site")
        .form(&[
            ("email", user.email.as_str()),
            ("password", user.password.as_str()),
        ])
        .send()
        .await
        .expect("sent");
    assert!(signed_in.status().is_success(), "{}", signed_in.status());
    assert_eq!(signed_in.headers()["access-control-allow-origin"], STATIC);
    assert_eq!(
        signed_in.headers()["access-control-allow-credentials"],
        "true"
    );
    assert!(
        signed_in.headers()["access-control-expose-headers"]
            .to_str()
            .is_ok_and(|h| h.to_ascii_lowercase().contains("serverfnredirect")),
    );
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_owned();
    // The cookie then says who calls, for the pages' door and the API.
    let me = client
        .post(app.url("/sfn/current_user"))
        .header("origin", STATIC)
        .header("cookie", &cookie)
        .send()
        .await
        .expect("sent");
    let me = me.text().await.expect("body");
    assert!(me.contains(r#""role":"holder""#), "{me}");
    let logout = |origin: &'static str| {
        client
            .post(app.url("/api/v1/auth/logout"))
            .header("origin", origin)
            .header("cookie", &cookie)
            .send()
    };
    // Another origin is still refused, and its browser gets no CORS answer.
    let evil = logout("http://evil.example:3220").await.expect("sent");
    assert!(evil.headers().get("access-control-allow-origin").is_none());
    assert_error(evil, 403, "cross_origin", None).await;
    // Case does not make another origin of the same one.
    assert_eq!(
        logout("HTTP://STATIC.EXAMPLE:3220")
            .await
            .expect("sent")
            .status(),
        StatusCode::NO_CONTENT
    );
}

/// A portal without `PORTAL_STATIC_ORIGIN` lets no other origin in.
#[tokio::test]
async fn without_a_static_origin_no_other_origin_is_let_in() {
    let app = crate::helpers::spawn_app_configured(crate::helpers::Backend::Sqlite, |_| {})
        .await
        .expect("app starts");
    let preflight = reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, app.url("/sfn/sign_in"))
        .header("origin", "http://static.example:3220")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .expect("sent");
    assert!(
        preflight
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    let token = app.holder_token().await;
    let write = reqwest::Client::new()
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&token)
        .header("origin", "http://static.example:3220")
        .send()
        .await
        .expect("sent");
    assert_error(write, 403, "cross_origin", None).await;
}

/// Behind HTTPS (`PORTAL_COOKIE_SECURE=1`): HSTS on every response, the
/// session cookie `__Host-`-prefixed and `Secure`, and only that name read.
#[tokio::test]
async fn behind_https_cookies_are_host_only_and_transport_is_strict() {
    let app = crate::helpers::spawn_app_configured(crate::helpers::Backend::Sqlite, |config| {
        config.cookie_secure = true;
    })
    .await
    .expect("app starts");
    let landing = reqwest::get(app.url("/")).await.expect("sent");
    assert_eq!(
        landing.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
    let user = crate::helpers::TestUser::generate();
    app.sign_up(&user).await;
    let signed_in = app.login(&user.email, &user.password).await;
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_owned();
    assert!(cookie.starts_with("__Host-portal_session="), "{cookie}");
    assert!(cookie.contains("; Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"));
    let token = cookie
        .split(';')
        .next()
        .and_then(|c| c.split_once('='))
        .map(|(_, v)| v.to_owned())
        .expect("token");
    let me = |name: &str| {
        reqwest::Client::new()
            .get(app.url("/api/v1/me"))
            .header("cookie", format!("{name}={token}"))
            .send()
    };
    assert_eq!(
        me("__Host-portal_session").await.expect("sent").status(),
        StatusCode::OK
    );
    assert_eq!(
        me("portal_session").await.expect("sent").status(),
        StatusCode::UNAUTHORIZED,
        "the unprefixed name, which a sibling subdomain could set, is not read"
    );
    // Plain-HTTP origins are other origins now.
    let write = reqwest::Client::new()
        .post(app.url("/api/v1/auth/logout"))
        .header("cookie", format!("__Host-portal_session={token}"))
        .header("origin", app.address.clone())
        .send()
        .await
        .expect("sent");
    assert_eq!(write.status(), StatusCode::FORBIDDEN);
}

async fn pages_render_with_the_right_status(app: TestApp) {
    let landing = reqwest::get(app.url("/")).await.expect("sent");
    assert_eq!(landing.status(), StatusCode::OK);
    // Same-origin Referer survives: forms posted before hydration are sent back by it.
    assert_eq!(landing.headers()["referrer-policy"], "same-origin");
    // A fresh nonce per response, and the inline hydration script carries it.
    let csp = landing.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce")
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"));
    let again = reqwest::get(app.url("/")).await.expect("sent");
    let again_csp = again.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    assert!(!again_csp.contains(&nonce));
    let html = again.text().await.expect("html");
    // Every script of the page runs under the policy: each carries this
    // response's nonce (the split files' fetch retry among them).
    let this_nonce = again_csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce");
    let scripts: Vec<&str> = html
        .split("<script")
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or_default())
        .collect();
    assert!(
        scripts.len() >= 2,
        "the fetch retry and the hydration script"
    );
    for tag in &scripts {
        assert!(
            tag.contains(&format!("nonce=\"{this_nonce}\"")),
            "a script without this response's nonce: <script{tag}>"
        );
    }
    assert!(
        html.contains("window.fetch = function"),
        "the split files' fetch retry (app::SPLIT_FETCH_RETRY) is in the page"
    );
    let no_js = app
        .client
        .post(app.url("/sfn/set_locale"))
        .header("accept", "text/html")
        .header("referer", app.url("/login"))
        .form(&[("locale", "zh-CN")])
        .send()
        .await
        .expect("sent");
    assert_eq!(no_js.status(), StatusCode::FOUND);
    assert_eq!(
        no_js.headers()["location"]
            .to_str()
            .expect("location")
            .split('?')
            .next(),
        Some(app.url("/login").as_str())
    );
    assert!(
        landing
            .text()
            .await
            .expect("html")
            .contains("Your personal data, in your hands")
    );
    let chinese = reqwest::Client::new()
        .get(app.url("/"))
        .header("accept-language", "zh-CN,zh;q=0.9")
        .send()
        .await
        .expect("sent");
    let html = chinese.text().await.expect("html");
    assert!(
        html.contains("你的个人信息，由你掌控") && html.contains("lang=\"zh-CN\""),
        "Chinese page"
    );

    let signed_out = reqwest::get(app.url("/home")).await.expect("sent");
    assert_eq!(signed_out.status(), StatusCode::UNAUTHORIZED);
    let holder = app.holder_token().await;
    let home = reqwest::Client::new()
        .get(app.url("/home"))
        .header("cookie", format!("portal_session={holder}"))
        .send()
        .await
        .expect("sent");
    assert_eq!(home.status(), StatusCode::OK);
    assert!(
        home.text()
            .await
            .expect("html")
            .contains("Hello, Test 测试")
    );
    let officer_page = reqwest::Client::new()
        .get(app.url("/officer"))
        .header("cookie", format!("portal_session={holder}"))
        .send()
        .await
        .expect("sent");
    assert_eq!(officer_page.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        reqwest::get(app.url("/no-such-page"))
            .await
            .expect("sent")
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn seeding_the_demo_twice_changes_nothing(app: TestApp) {
    assert_eq!(
        server::commands::seed_demo(&app.state)
            .await
            .expect("seeded"),
        3
    );
    assert_eq!(
        server::commands::seed_demo(&app.state)
            .await
            .expect("seeded"),
        0
    );
    for (email, password, role) in [
        ("demo@example.com", "demo-password-1", "holder"),
        ("officer@example.com", "officer-password-1", "officer"),
        ("admin@example.com", "admin-password-1", "admin"),
    ] {
        assert_eq!(body(app.login(email, password).await).await["role"], role);
    }
    let id = server::commands::create_user(
        &app.state.accounts,
        "second-officer@example.com",
        "officer-password-2",
        domain::Role::Officer,
        None,
    )
    .await
    .expect("created");
    let token = app
        .token_for("second-officer@example.com", "officer-password-2")
        .await;
    let me = body(app.get_with_token("/api/v1/me", &token).await).await;
    assert_eq!(me["account_id"], id.to_string());
    assert_eq!(me["role"], "officer");
}
