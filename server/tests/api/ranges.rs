//! Ranges of days over the holder's data (issue #17): filtering every dated
//! category by `?from=&to=` in the holder's time zone, searching messages
//! and posts, deleting a range in one action, and the overview's spans and
//! collection state — with another account's rows always untouched.

use crate::helpers::{TestApp, assert_error, body};
use crate::on_every_backend;
use reqwest::StatusCode;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use server::entities::data::{activity, conversations, location_points, messages, step_counts};
use time::{Date, OffsetDateTime, macros::datetime};
use uuid::Uuid;

on_every_backend!(
    ranges_narrow_pages_to_the_holders_days,
    a_range_is_deleted_in_one_action_and_nothing_else_goes,
    bad_ranges_and_searches_are_refused_next_to_their_field,
    the_overview_shows_each_categorys_span_and_collection,
);

/// A fresh holder (Asia/Shanghai, the default zone) and their ID.
async fn holder(app: &TestApp) -> (String, Uuid) {
    let token = app.holder_token().await;
    let me = body(app.get_with_token("/api/v1/me", &token).await).await;
    let id = me["account_id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("account id");
    (token, id)
}

/// Location points at the two sides of two Shanghai midnights.
const POINTS: [OffsetDateTime; 4] = [
    datetime!(2026-03-01 15:59:59 UTC), // 1 March 23:59:59 in Shanghai
    datetime!(2026-03-01 16:00:00 UTC), // 2 March 00:00:00
    datetime!(2026-03-02 15:59:59 UTC), // 2 March 23:59:59
    datetime!(2026-03-02 16:00:00 UTC), // 3 March 00:00:00
];

async fn plant(app: &TestApp, owner: Uuid) {
    location_points::Entity::insert_many(POINTS.iter().enumerate().map(|(i, at)| {
        location_points::ActiveModel {
            id: Set(Uuid::new_v4()),
            account_id: Set(owner),
            latitude: Set(22.5 + i as f64 / 100.0),
            longitude: Set(114.0),
            accuracy_m: Set(10),
            recorded_at: Set(*at),
        }
    }))
    .exec(&app.state.db)
    .await
    .expect("points");
    step_counts::Entity::insert_many((1..=5).map(|d| step_counts::ActiveModel {
        id: Set(Uuid::new_v4()),
        account_id: Set(owner),
        day: Set(Date::from_calendar_date(2026, time::Month::March, d).expect("day")),
        steps: Set(1_000 * i32::from(d)),
    }))
    .exec(&app.state.db)
    .await
    .expect("steps");
    let conversation = Uuid::new_v4();
    conversations::Entity::insert(conversations::ActiveModel {
        id: Set(conversation),
        account_id: Set(owner),
        peer_name: Set("Wang Fang".into()),
        last_message_at: Set(datetime!(2026-03-02 04:00 UTC)),
    })
    .exec(&app.state.db)
    .await
    .expect("conversation");
    let bodies = [
        "Tea at five?",
        "TEA time 🍵",
        "100% sure",
        "a_b coffee",
        "plain",
    ];
    messages::Entity::insert_many(bodies.iter().enumerate().map(|(i, text)| {
        messages::ActiveModel {
            id: Set(Uuid::new_v4()),
            account_id: Set(owner),
            conversation_id: Set(conversation),
            from_me: Set(i % 2 == 0),
            body: Set((*text).into()),
            sent_at: Set(datetime!(2026-03-02 04:00 UTC) - time::Duration::minutes(i as i64)),
        }
    }))
    .exec(&app.state.db)
    .await
    .expect("messages");
}

async fn page(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app.get_with_token(path, token).await;
    let status = response.status();
    let answer = body(response).await;
    assert_eq!(status, StatusCode::OK, "GET {path}: {answer}");
    answer
}

fn ats(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            i["at"]
                .as_str()
                .or(i["day"].as_str())
                .expect("dated")
                .to_owned()
        })
        .collect()
}

fn texts(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| {
            i["fields"]
                .as_array()?
                .iter()
                .find(|f| f["key"] == "text")
                .and_then(|f| f["value"].as_str())
                .map(str::to_owned)
        })
        .collect()
}

async fn ranges_narrow_pages_to_the_holders_days(app: TestApp) {
    let (token, me) = holder(&app).await;
    let (_, other) = holder(&app).await;
    plant(&app, me).await;
    plant(&app, other).await;
    // One Shanghai day: the two instants inside its midnights, no more.
    let day = page(
        &app,
        &token,
        "/api/v1/me/data/location?from=2026-03-02&to=2026-03-02",
    )
    .await;
    assert_eq!(ats(&day), ["2026-03-02T15:59:59Z", "2026-03-01T16:00:00Z"]);
    // Open ends.
    let since = page(&app, &token, "/api/v1/me/data/location?from=2026-03-02").await;
    assert_eq!(ats(&since).len(), 3);
    let until = page(&app, &token, "/api/v1/me/data/location?to=2026-03-01").await;
    assert_eq!(ats(&until), ["2026-03-01T15:59:59Z"]);
    // Days of steps are whole days, both ends inclusive; cursor paging
    // stays inside the range.
    let mut seen = Vec::new();
    let mut path = "/api/v1/me/data/steps?from=2026-03-02&to=2026-03-04&limit=1".to_owned();
    loop {
        let p = page(&app, &token, &path).await;
        seen.extend(ats(&p));
        match p["next_cursor"].as_str() {
            Some(next) => {
                path = format!(
                    "/api/v1/me/data/steps?from=2026-03-02&to=2026-03-04&limit=1&cursor={next}"
                );
            }
            None => break,
        }
    }
    assert_eq!(seen, ["2026-03-04", "2026-03-03", "2026-03-02"]);
    // Text search: any case, and % and _ match only themselves.
    let search = |q: &str| {
        let (app, token) = (&app, &token);
        let path = format!(
            "/api/v1/me/data/messages?q={}",
            q.replace('%', "%25").replace(' ', "%20")
        );
        async move { texts(&page(app, token, &path).await) }
    };
    assert_eq!(search("tea").await, ["Tea at five?", "TEA time 🍵"]);
    assert_eq!(search("0%").await, ["100% sure"]);
    assert_eq!(search("%").await, ["100% sure"]);
    assert_eq!(search("_").await, ["a_b coffee"]);
    assert!(search("nowhere").await.is_empty());
    // A range and a text together.
    assert_eq!(
        texts(
            &page(
                &app,
                &token,
                "/api/v1/me/data/messages?q=tea&from=2026-03-03"
            )
            .await
        ),
        Vec::<String>::new()
    );
    // The other account's identical rows never show.
    let all = page(&app, &token, "/api/v1/me/data/location?limit=200").await;
    assert_eq!(ats(&all).len(), 4);
}

async fn a_range_is_deleted_in_one_action_and_nothing_else_goes(app: TestApp) {
    let (token, me) = holder(&app).await;
    let (other_token, other) = holder(&app).await;
    plant(&app, me).await;
    plant(&app, other).await;
    let remove = |path: &str| {
        let (client, url, token) = (reqwest::Client::new(), app.url(path), token.clone());
        async move {
            client
                .delete(url)
                .bearer_auth(token)
                .send()
                .await
                .expect("sent")
        }
    };
    let response = remove("/api/v1/me/data/location?from=2026-03-02&to=2026-03-02").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await, json!({ "deleted": 2 }));
    let left = page(&app, &token, "/api/v1/me/data/location").await;
    assert_eq!(ats(&left), ["2026-03-02T16:00:00Z", "2026-03-01T15:59:59Z"]);
    // The same days again: nothing more to delete.
    let again = remove("/api/v1/me/data/location?from=2026-03-02&to=2026-03-02").await;
    assert_eq!(body(again).await, json!({ "deleted": 0 }));
    // Steps, with an open start.
    let steps = remove("/api/v1/me/data/steps?to=2026-03-03").await;
    assert_eq!(body(steps).await, json!({ "deleted": 3 }));
    assert_eq!(
        ats(&page(&app, &token, "/api/v1/me/data/steps").await),
        ["2026-03-05", "2026-03-04"]
    );
    // A conversation in range goes with its messages.
    let gone = remove("/api/v1/me/data/conversations?from=2026-03-02&to=2026-03-02").await;
    assert_eq!(body(gone).await, json!({ "deleted": 1 }));
    let messages_left = messages::Entity::find()
        .filter(messages::Column::AccountId.eq(me))
        .count(&app.state.db)
        .await
        .expect("count");
    assert_eq!(messages_left, 0);
    // One receipt per action, naming the range and the count, not the content.
    let receipts = activity::Entity::find()
        .filter(activity::Column::AccountId.eq(me))
        .filter(activity::Column::Action.eq("deleted_range"))
        .all(&app.state.db)
        .await
        .expect("activity");
    let mut read: Vec<(String, i64, Option<String>)> = receipts
        .iter()
        .map(|r| (r.category.clone(), i64::from(r.items), r.field.clone()))
        .collect();
    read.sort();
    assert_eq!(
        read,
        [
            (
                "conversations".into(),
                1,
                Some("2026-03-02..2026-03-02".into())
            ),
            ("location".into(), 0, Some("2026-03-02..2026-03-02".into())),
            ("location".into(), 2, Some("2026-03-02..2026-03-02".into())),
            ("steps".into(), 3, Some("..2026-03-03".into())),
        ]
    );
    // The other account keeps everything.
    for (category, n) in [
        ("location", 4),
        ("steps", 5),
        ("messages", 5),
        ("conversations", 1),
    ] {
        let p = page(
            &app,
            &other_token,
            &format!("/api/v1/me/data/{category}?limit=200"),
        )
        .await;
        assert_eq!(p["items"].as_array().map(Vec::len), Some(n), "{category}");
    }
}

async fn bad_ranges_and_searches_are_refused_next_to_their_field(app: TestApp) {
    let (token, me) = holder(&app).await;
    plant(&app, me).await;
    let table: [(&str, u16, &str, Option<&str>); 11] = [
        (
            "location?from=2026-02-30",
            422,
            "invalid_date",
            Some("from"),
        ),
        ("location?to=tomorrow", 422, "invalid_date", Some("to")),
        ("location?to=99999-01-01", 422, "invalid_date", Some("to")),
        (
            "location?from=1969-12-31",
            422,
            "date_out_of_range",
            Some("from"),
        ),
        (
            "location?to=3000-01-01",
            422,
            "date_out_of_range",
            Some("to"),
        ),
        (
            "steps?from=2026-03-05&to=2026-03-01",
            422,
            "inverted_range",
            Some("from"),
        ),
        ("profile?from=2026-03-01", 422, "not_dated", Some("from")),
        ("settings?to=2026-03-01", 422, "not_dated", Some("from")),
        ("location?q=tea", 422, "not_searchable", Some("q")),
        (
            "messages?cursor=nonsense",
            422,
            "invalid_cursor",
            Some("cursor"),
        ),
        ("nonsense?from=2026-03-01", 404, "unknown_category", None),
    ];
    for (path, status, code, field) in table {
        let response = app
            .get_with_token(&format!("/api/v1/me/data/{path}"), &token)
            .await;
        assert_error(response, status, code, field).await;
    }
    let long = "x".repeat(101);
    let response = app
        .get_with_token(&format!("/api/v1/me/data/messages?q={long}"), &token)
        .await;
    assert_error(response, 422, "too_long", Some("q")).await;
    // Refused deletions change nothing.
    let client = reqwest::Client::new();
    for (path, status, code) in [
        (
            "location?from=2026-03-05&to=2026-03-01",
            422,
            "inverted_range",
        ),
        ("location?from=2026-3-1", 422, "invalid_date"),
        ("sign_ins?from=2026-03-01", 409, "not_clearable"),
        ("requests?to=2026-03-01", 409, "not_clearable"),
    ] {
        let response = client
            .delete(app.url(&format!("/api/v1/me/data/{path}")))
            .bearer_auth(&token)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status().as_u16(), status, "{path}");
        assert_eq!(body(response).await["error"]["code"], code, "{path}");
    }
    assert_eq!(
        ats(&page(&app, &token, "/api/v1/me/data/location").await).len(),
        4
    );
}

async fn the_overview_shows_each_categorys_span_and_collection(app: TestApp) {
    let (token, me) = holder(&app).await;
    let overview = |token: String| {
        let app = &app;
        async move {
            let o = page(app, &token, "/api/v1/me/data").await;
            assert_eq!(o["time_zone"], "Asia/Shanghai");
            o["categories"].as_array().expect("categories").clone()
        }
    };
    let find = |list: &[Value], name: &str| {
        list.iter()
            .find(|c| c["category"] == name)
            .cloned()
            .expect("listed")
    };
    let before = overview(token.clone()).await;
    let location = find(&before, "location");
    assert_eq!(location["count"], 0);
    assert_eq!(location["oldest"], Value::Null);
    assert_eq!(location["collecting"], false, "never granted");
    assert_eq!(
        find(&before, "messages")["collecting"],
        Value::Null,
        "no consent governs it"
    );
    plant(&app, me).await;
    let granted = reqwest::Client::new()
        .put(app.url("/api/v1/me/consents/location"))
        .bearer_auth(&token)
        .json(&json!({ "granted": true }))
        .send()
        .await
        .expect("sent");
    assert_eq!(granted.status(), StatusCode::OK);
    let after = overview(token.clone()).await;
    let location = find(&after, "location");
    assert_eq!(location["count"], 4);
    assert_eq!(location["oldest"], "2026-03-01T15:59:59Z");
    assert_eq!(location["newest"], "2026-03-02T16:00:00Z");
    assert_eq!(location["collecting"], true);
    let steps = find(&after, "steps");
    assert_eq!(
        (steps["oldest"].as_str(), steps["newest"].as_str()),
        (Some("2026-03-01"), Some("2026-03-05"))
    );
    assert_eq!(steps["collecting"], false);
    assert_eq!(find(&after, "profile")["oldest"], Value::Null, "not dated");
}
