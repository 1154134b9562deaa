//! The public deadline preview: `GET /api/v1/policies` and
//! `POST /api/v1/deadlines/compute`.

use crate::helpers::{TestApp, assert_error, body};
use crate::on_every_backend;
use reqwest::StatusCode;
use serde_json::json;

on_every_backend!(
    the_policies_are_public_with_their_sources,
    the_preview_counts_as_the_contract_says,
    the_preview_refuses_bad_input_with_the_field,
    the_preview_refuses_extensions_the_rules_refuse,
    the_preview_is_rate_limited,
);

async fn the_policies_are_public_with_their_sources(app: TestApp) {
    let response = reqwest::get(app.url("/api/v1/policies"))
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    let policies = body(response).await;
    let names: Vec<_> = policies
        .as_array()
        .expect("array")
        .iter()
        .map(|p| p["name"].as_str().unwrap_or_default().to_owned())
        .collect();
    for name in [
        "guideline-30",
        "privacy-officer-60",
        "reaccess-4h",
        "gdpr-1m",
        "ccpa-45",
        "pipl-15wd",
        "lgpd-15",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} listed");
    }
    let officer = policies
        .as_array()
        .expect("array")
        .iter()
        .find(|p| p["name"] == "privacy-officer-60")
        .expect("listed");
    assert!(
        officer["source"]
            .as_str()
            .expect("source")
            .contains("Tencent")
    );
    assert_eq!(
        officer["rules"]["period"],
        json!({"length": 60, "unit": "calendar_days"})
    );
    assert_eq!(officer["rules"]["time_zone"], "Asia/Shanghai");
}

async fn the_preview_counts_as_the_contract_says(app: TestApp) {
    let officer = body(
        app.post_json(
            "/api/v1/deadlines/compute",
            &json!({"policy": "privacy-officer-60", "start": "2027-01-31T15:30:00Z"}),
        )
        .await,
    )
    .await;
    // The end of 1 April 2027 in Asia/Shanghai.
    assert_eq!(officer["due_at"], "2027-04-01T15:59:59Z");
    assert_eq!(officer["overdue_at"], "2027-04-01T16:00:00Z");
    assert_eq!(
        officer["reminders"],
        json!([
            "2027-03-25T15:59:59Z",
            "2027-03-29T15:59:59Z",
            "2027-03-31T15:59:59Z"
        ])
    );
    let reaccess = body(
        app.post_json(
            "/api/v1/deadlines/compute",
            &json!({"policy": "reaccess-4h", "start": "2027-03-01T22:00:00Z"}),
        )
        .await,
    )
    .await;
    assert_eq!(reaccess["due_at"], "2027-03-02T02:00:00Z");
    let paused = body(
        app.post_json(
            "/api/v1/deadlines/compute",
            &json!({"policy": "guideline-30", "start": "2027-01-01T02:00:00Z",
                    "pauses": [{"from": "2027-01-10T02:00:00Z", "to": "2027-01-12T02:00:00Z"}],
                    "extensions": [{"at": "2027-02-01T00:00:00Z"}]}),
        )
        .await,
    )
    .await;
    assert_eq!(paused["due_at"], "2027-03-05T15:59:59Z");
}

async fn the_preview_refuses_bad_input_with_the_field(app: TestApp) {
    let cases = [
        (
            json!({"policy": "no-such-policy", "start": "2027-01-01T00:00:00Z"}),
            "unknown_policy",
            "policy",
        ),
        (
            json!({"policy": "guideline-30", "start": "31/01/2027"}),
            "invalid_instant",
            "start",
        ),
        (
            json!({"policy": "guideline-30", "start": "2027-01-01T00:00:00Z", "pauses": [{"from": "soon", "to": "2027-01-02T00:00:00Z"}]}),
            "invalid_instant",
            "pauses[0].from",
        ),
        (
            json!({"policy": "guideline-30", "start": "2027-01-01T00:00:00Z", "pauses": [
                {"from": "2027-01-05T00:00:00Z", "to": "2027-01-08T00:00:00Z"},
                {"from": "2027-01-07T00:00:00Z", "to": "2027-01-09T00:00:00Z"}]}),
            "pauses_overlap",
            "pauses",
        ),
        (
            json!({"policy": "guideline-30", "start": "2027-01-10T00:00:00Z", "pauses": [{"from": "2027-01-05T00:00:00Z", "to": "2027-01-11T00:00:00Z"}]}),
            "pause_before_start",
            "pauses",
        ),
        (
            json!({"policy": "pipl-15wd", "start": "2030-01-01T00:00:00Z"}),
            "outside_calendar",
            "start",
        ),
        (
            json!({"policy": 60, "start": "2027-01-01T00:00:00Z"}),
            "invalid_body",
            "policy",
        ),
    ];
    for (input, code, field) in cases {
        assert_error(
            app.post_json("/api/v1/deadlines/compute", &input).await,
            422,
            code,
            Some(field),
        )
        .await;
    }
}

async fn the_preview_refuses_extensions_the_rules_refuse(app: TestApp) {
    let late = app
        .post_json(
            "/api/v1/deadlines/compute",
            &json!({"policy": "privacy-officer-60", "start": "2027-01-31T15:30:00Z", "extensions": [{"at": "2027-04-01T16:00:00Z"}]}),
        )
        .await;
    assert_error(late, 409, "deadline_passed", Some("extensions")).await;
    let on_time = app
        .post_json(
            "/api/v1/deadlines/compute",
            &json!({"policy": "privacy-officer-60", "start": "2027-01-31T15:30:00Z", "extensions": [{"at": "2027-04-01T15:59:59Z"}]}),
        )
        .await;
    assert_eq!(body(on_time).await["due_at"], "2027-05-01T15:59:59Z");
    let twice = app
        .post_json(
            "/api/v1/deadlines/compute",
            &json!({"policy": "privacy-officer-60", "start": "2027-01-31T15:30:00Z",
                    "extensions": [{"at": "2027-02-01T00:00:00Z"}, {"at": "2027-02-02T00:00:00Z"}]}),
        )
        .await;
    assert_error(twice, 409, "extension_cap_exceeded", Some("extensions")).await;
}

async fn the_preview_is_rate_limited(app: TestApp) {
    let input = json!({"policy": "reaccess-4h", "start": "2027-03-01T22:00:00Z"});
    for request in 1..=120 {
        assert_eq!(
            app.post_json("/api/v1/deadlines/compute", &input)
                .await
                .status(),
            StatusCode::OK,
            "request {request}"
        );
    }
    assert_error(
        app.post_json("/api/v1/deadlines/compute", &input).await,
        429,
        "rate_limited",
        None,
    )
    .await;
    app.advance_clock(61);
    assert_eq!(
        app.post_json("/api/v1/deadlines/compute", &input)
            .await
            .status(),
        StatusCode::OK
    );
}
