//! The holder's personal data: access by category with paging, correction,
//! deletion, the privacy settings, and isolation between accounts.

use crate::helpers::{TestApp, assert_error, body};
use crate::on_every_backend;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use server::entities::data::{messages, post_comments, post_likes, post_photos, posts};
use std::collections::HashSet;

on_every_backend!(
    every_category_is_listed_and_the_demo_holder_has_data_in_each,
    cursor_paging_walks_every_item_exactly_once,
    another_account_can_neither_see_nor_delete_my_items,
    corrections_are_validated_and_fixed_fields_refused,
    deletions_remove_rows_and_leave_a_receipt_without_content,
    privacy_settings_are_stored_and_applied_to_posts,
    sign_ins_and_devices_are_recorded_by_the_sign_in_flow,
    removing_a_device_signs_it_out,
    unreadable_stored_settings_are_a_fault_not_the_defaults,
    two_partial_settings_changes_at_once_both_land,
);

async fn two_partial_settings_changes_at_once_both_land(app: TestApp) {
    let token = app.demo_holder_with_data().await;
    let view = get(&app, "/api/v1/me/settings", &token).await;
    let switches: Vec<String> = view["settings"]
        .as_object()
        .expect("settings")
        .iter()
        .filter(|(_, v)| v.is_boolean())
        .map(|(k, _)| k.clone())
        .take(2)
        .collect();
    assert_eq!(switches.len(), 2, "{view}");
    for round in 0..8 {
        let value = round % 2 == 0;
        let put = |key: String| {
            let (client, url, token) = (
                reqwest::Client::new(),
                app.url("/api/v1/me/settings"),
                token.clone(),
            );
            async move {
                client
                    .put(url)
                    .bearer_auth(token)
                    .json(&json!({ key: value }))
                    .send()
                    .await
                    .expect("sent")
                    .status()
            }
        };
        let (a, b) = tokio::join!(put(switches[0].clone()), put(switches[1].clone()));
        assert_eq!((a, b), (StatusCode::OK, StatusCode::OK));
        let now = get(&app, "/api/v1/me/settings", &token).await;
        for key in &switches {
            assert_eq!(now["settings"][key], value, "round {round}: {key} in {now}");
        }
    }
}

async fn unreadable_stored_settings_are_a_fault_not_the_defaults(app: TestApp) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    use server::entities::data::privacy_settings;
    let token = app.demo_holder_with_data().await;
    let me = get(&app, "/api/v1/me", &token).await;
    let id: uuid::Uuid = me["account_id"]
        .as_str()
        .expect("id")
        .parse()
        .expect("uuid");
    privacy_settings::ActiveModel {
        account_id: Set(id),
        settings: Set("{not json".into()),
        updated_at: Set(app.state.clock.now()),
    }
    .update(&app.state.db)
    .await
    .expect("corrupted");
    // Showing the defaults would let the next save overwrite what the
    // holder chose with them.
    let response = app.get_with_token("/api/v1/me/settings", &token).await;
    assert_error(response, 500, "internal", None).await;
}

const CATEGORIES: [&str; 18] = [
    "profile",
    "account_security",
    "posts",
    "conversations",
    "messages",
    "friends",
    "blocked",
    "location",
    "steps",
    "contacts",
    "cards",
    "devices",
    "sign_ins",
    "consents",
    "settings",
    "notifications",
    "requests",
    "activity",
];

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    json: Option<&Value>,
) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .request(method, app.url(path))
        .bearer_auth(token);
    if let Some(json) = json {
        request = request.json(json);
    }
    request.send().await.expect("request sent")
}

async fn delete(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    send(app, reqwest::Method::DELETE, path, token, None).await
}

async fn get(app: &TestApp, path: &str, token: &str) -> Value {
    let response = app.get_with_token(path, token).await;
    let status = response.status();
    let answer = body(response).await;
    assert_eq!(status, StatusCode::OK, "GET {path}: {answer}");
    answer
}

async fn counts(app: &TestApp, token: &str) -> Vec<(String, u64)> {
    get(app, "/api/v1/me/data", token).await["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| {
            (
                c["category"].as_str().expect("name").to_owned(),
                c["count"].as_u64().expect("count"),
            )
        })
        .collect()
}

fn field<'a>(item: &'a Value, key: &str) -> Option<&'a str> {
    item["fields"]
        .as_array()?
        .iter()
        .find(|f| f["key"] == key)
        .and_then(|f| f["value"].as_str())
}

async fn reauth(app: &TestApp, token: &str, password: &str) {
    let response = app
        .post_with_token(
            "/api/v1/auth/reauth",
            token,
            &json!({ "password": password }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

async fn every_category_is_listed_and_the_demo_holder_has_data_in_each(app: TestApp) {
    let token = app.demo_holder_with_data().await;
    let listed = counts(&app, &token).await;
    let names: Vec<&str> = listed.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, CATEGORIES);
    let by_name = get(&app, "/api/v1/me/data", &token).await["counts"].clone();
    for (name, count) in &listed {
        assert_eq!(by_name[name.as_str()].as_u64(), Some(*count), "{name}");
    }
    for (category, count) in &listed {
        assert!(*count > 0, "the demo holder has {category}");
        let page = get(&app, &format!("/api/v1/me/data/{category}"), &token).await;
        assert_eq!(page["category"], category.as_str());
        assert_eq!(page["time_zone"], "Asia/Shanghai");
        let items = page["items"].as_array().expect("items");
        assert!(!items.is_empty(), "{category} shows items");
        assert!(items.len() as u64 <= (*count).max(50));
    }
    // The password is never shown; bank cards are masked.
    let security = get(&app, "/api/v1/me/data/account_security", &token).await;
    assert_eq!(
        field(&security["items"][0], "password"),
        Some("never_shown")
    );
    assert!(!security.to_string().contains("argon2"));
    let cards = get(&app, "/api/v1/me/data/cards", &token).await;
    assert!(field(&cards["items"][0], "card_number").is_some_and(|n| n.starts_with("••••")));
    // Seeding twice adds nothing.
    let again = app.demo_holder_with_data().await;
    assert_eq!(
        counts(&app, &again)
            .await
            .iter()
            .find(|(n, _)| n == "posts"),
        listed.iter().find(|(n, _)| n == "posts")
    );
    let response = app
        .get_with_token("/api/v1/me/data/passwords", &token)
        .await;
    assert_error(response, 404, "unknown_category", None).await;
    let response = reqwest::get(app.url("/api/v1/me/data"))
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

async fn cursor_paging_walks_every_item_exactly_once(app: TestApp) {
    let token = app.demo_holder_with_data().await;
    for category in ["messages", "steps", "location"] {
        let total = counts(&app, &token)
            .await
            .into_iter()
            .find(|(n, _)| n == category)
            .expect("listed")
            .1;
        let mut seen = HashSet::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/me/data/{category}?limit=37&cursor={c}"),
                None => format!("/api/v1/me/data/{category}?limit=37"),
            };
            let page = get(&app, &path, &token).await;
            let items = page["items"].as_array().expect("items");
            assert!(items.len() <= 37);
            // Newest first.
            let keys: Vec<String> = items
                .iter()
                .map(|i| {
                    i["at"]
                        .as_str()
                        .or(i["day"].as_str())
                        .expect("time")
                        .to_owned()
                })
                .collect();
            for item in items {
                assert!(
                    seen.insert(item["id"].as_str().expect("id").to_owned()),
                    "{category}: an item came twice"
                );
            }
            if category == "steps" {
                assert!(keys.windows(2).all(|w| w[0] > w[1]), "days descend");
            }
            pages += 1;
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        assert_eq!(seen.len() as u64, total, "{category}: every item once");
        assert!(pages > 1, "{category} spans pages");
    }
    // One conversation's messages only.
    let conversations = get(&app, "/api/v1/me/data/conversations", &token).await;
    let first = &conversations["items"][0];
    let id = first["id"].as_str().expect("id");
    let page = get(
        &app,
        &format!("/api/v1/me/data/messages?conversation={id}&limit=200"),
        &token,
    )
    .await;
    let shown = page["items"].as_array().expect("items");
    assert_eq!(
        shown.len().to_string(),
        field(first, "message_count").expect("count")
    );
    assert!(shown.iter().all(|m| field(m, "conversation") == Some(id)));
    for bad in ["nonsense", "t1_zz", "d1_00000000000000000000000000000000x"] {
        let response = app
            .get_with_token(&format!("/api/v1/me/data/messages?cursor={bad}"), &token)
            .await;
        assert_error(response, 422, "invalid_cursor", Some("cursor")).await;
    }
    let response = app
        .get_with_token("/api/v1/me/data/messages?conversation=42", &token)
        .await;
    assert_error(response, 422, "invalid_conversation", Some("conversation")).await;
}

async fn another_account_can_neither_see_nor_delete_my_items(app: TestApp) {
    let mine = app.demo_holder_with_data().await;
    let before = counts(&app, &mine).await;
    let other = app.holder_token().await;
    reauth(&app, &other, "correct-horse-battery").await;
    let mut tried = 0;
    for category in CATEGORIES {
        let page = get(&app, &format!("/api/v1/me/data/{category}"), &mine).await;
        let Some(item) = page["items"]
            .as_array()
            .and_then(|i| i.iter().find(|i| i["deletable"] == true))
        else {
            continue;
        };
        let id = item["id"].as_str().expect("id");
        let response = delete(&app, &format!("/api/v1/me/data/{category}/{id}"), &other).await;
        assert_eq!(
            response.status(),
            StatusCode::NOT_FOUND,
            "{category} item of another account"
        );
        let theirs = get(
            &app,
            &format!("/api/v1/me/data/{category}?limit=200"),
            &other,
        )
        .await;
        assert!(
            !theirs.to_string().contains(id),
            "{category}: not visible to another account"
        );
        tried += 1;
    }
    assert!(tried >= 11, "every deletable category tried ({tried})");
    // Clearing is per owner too.
    let response = delete(&app, "/api/v1/me/data/messages", &other).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body(response).await["deleted"], 0);
    assert_eq!(counts(&app, &mine).await, before, "nothing of mine changed");
    // A malformed ID is simply not found.
    let response = delete(&app, "/api/v1/me/data/posts/not-an-id", &mine).await;
    assert_error(response, 404, "not_found", None).await;
}

async fn corrections_are_validated_and_fixed_fields_refused(app: TestApp) {
    let token = app.demo_holder_with_data().await;
    let patch = |body: Value| {
        let app = &app;
        let token = token.clone();
        async move {
            send(
                app,
                reqwest::Method::PATCH,
                "/api/v1/me/profile",
                &token,
                Some(&body),
            )
            .await
        }
    };
    let response =
        patch(json!({"display_name": "李华 Hua", "signature": "新的一天", "region": null})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let profile = body(response).await;
    let item = &profile["items"][0];
    assert_eq!(field(item, "display_name"), Some("李华 Hua"));
    assert_eq!(field(item, "signature"), Some("新的一天"));
    assert_eq!(field(item, "region"), None, "cleared");
    assert_eq!(
        get(&app, "/api/v1/me", &token).await["display_name"],
        "李华 Hua"
    );

    // A fixed field refuses the whole patch.
    let code = field(item, "account_id").expect("account ID").to_owned();
    assert_error(
        patch(json!({"account_id": "wxid_new", "signature": "x"})).await,
        409,
        "field_immutable",
        Some("account_id"),
    )
    .await;
    let after = get(&app, "/api/v1/me/data/profile", &token).await;
    assert_eq!(field(&after["items"][0], "account_id"), Some(code.as_str()));
    assert_eq!(field(&after["items"][0], "signature"), Some("新的一天"));
    assert_error(
        patch(json!({"qr_code": null})).await,
        409,
        "field_immutable",
        Some("qr_code"),
    )
    .await;

    // Bad values name their field.
    assert_error(
        patch(json!({"signature": "x".repeat(31)})).await,
        422,
        "too_long",
        Some("signature"),
    )
    .await;
    assert_error(
        patch(json!({"gender": "robot"})).await,
        422,
        "invalid_choice",
        Some("gender"),
    )
    .await;
    assert_error(
        patch(json!({"display_name": ""})).await,
        422,
        "display_name_required",
        Some("display_name"),
    )
    .await;
    assert_error(
        patch(json!({"signature": 42})).await,
        422,
        "invalid_type",
        Some("signature"),
    )
    .await;
    assert_error(
        patch(json!({"password": "hunter22hunter22"})).await,
        422,
        "unknown_field",
        Some("password"),
    )
    .await;
    assert_error(
        patch(json!({})).await,
        422,
        "invalid_corrections",
        Some("corrections"),
    )
    .await;
    assert_error(
        patch(json!({"time_zone": "Mars/Olympus"})).await,
        422,
        "invalid_choice",
        Some("time_zone"),
    )
    .await;

    // Security fields need the password again.
    assert_error(
        patch(json!({"mobile": "+8613912345678"})).await,
        403,
        "reauth_required",
        None,
    )
    .await;
    reauth(&app, &token, "demo-password-1").await;
    assert_error(
        patch(json!({"mobile": "13912345678"})).await,
        422,
        "invalid_mobile",
        Some("mobile"),
    )
    .await;
    assert_eq!(
        patch(json!({"mobile": "+86 139 1234 5678", "time_zone": "Europe/Berlin"}))
            .await
            .status(),
        StatusCode::OK
    );
    let security = get(&app, "/api/v1/me/data/account_security", &token).await;
    assert_eq!(
        field(&security["items"][0], "mobile"),
        Some("+8613912345678")
    );
    assert_eq!(security["time_zone"], "Europe/Berlin");
    assert_error(
        patch(json!({"email": "officer@example.com"})).await,
        409,
        "email_unavailable",
        Some("email"),
    )
    .await;
    // A new address works, and the old one is told.
    assert_eq!(
        patch(json!({"email": "li.hua@example.org"})).await.status(),
        StatusCode::OK
    );
    let told = server::entities::email_outbox::Entity::find()
        .filter(server::entities::email_outbox::Column::ToEmail.eq("demo@example.com"))
        .all(&app.state.db)
        .await
        .expect("db");
    assert!(
        told.iter().any(|m| m.body.contains("email")),
        "the old address hears of the change"
    );
    let notices = get(&app, "/api/v1/me/data/notifications", &token).await;
    assert!(notices.to_string().contains("security details changed"));
    // Emergency contacts.
    let response = app
        .post_with_token(
            "/api/v1/me/emergency-contacts",
            &token,
            &json!({"name": "王芳", "mobile": "+8613700001234"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = app
        .post_with_token(
            "/api/v1/me/emergency-contacts",
            &token,
            &json!({"name": "王芳", "mobile": "123"}),
        )
        .await;
    assert_error(response, 422, "invalid_mobile", Some("mobile")).await;

    // Corrections are in the activity, by field.
    let activity = get(&app, "/api/v1/me/data/activity?limit=200", &token).await;
    let corrected: Vec<&str> = activity["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| field(i, "action") == Some("corrected"))
        .filter_map(|i| field(i, "field"))
        .collect();
    for f in ["display_name", "signature", "mobile"] {
        assert!(corrected.contains(&f), "{f} in {corrected:?}");
    }
    assert!(
        !activity.to_string().contains("+8613912345678"),
        "no values in the activity"
    );
}

async fn deletions_remove_rows_and_leave_a_receipt_without_content(app: TestApp) {
    let token = app.demo_holder_with_data().await;
    let db = &app.state.db;
    // A post with its photos, comments and likes.
    let page = get(&app, "/api/v1/me/data/posts?limit=200", &token).await;
    let post = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|p| field(p, "comments").is_some() && field(p, "likes").is_some())
        .expect("a post with comments and likes")
        .clone();
    let id: uuid::Uuid = post["id"].as_str().expect("id").parse().expect("uuid");
    let text = field(&post, "text").expect("text").to_owned();
    let response = delete(&app, &format!("/api/v1/me/data/posts/{id}"), &token).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(
        posts::Entity::find_by_id(id)
            .one(db)
            .await
            .expect("db")
            .is_none()
    );
    for n in [
        post_comments::Entity::find()
            .filter(post_comments::Column::PostId.eq(id))
            .count(db)
            .await
            .expect("db"),
        post_likes::Entity::find()
            .filter(post_likes::Column::PostId.eq(id))
            .count(db)
            .await
            .expect("db"),
        post_photos::Entity::find()
            .filter(post_photos::Column::PostId.eq(id))
            .count(db)
            .await
            .expect("db"),
    ] {
        assert_eq!(n, 0, "nothing of the post is left");
    }
    // A second delete: already gone.
    let response = delete(&app, &format!("/api/v1/me/data/posts/{id}"), &token).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // A whole conversation takes its messages.
    let conversations = get(&app, "/api/v1/me/data/conversations", &token).await;
    let conversation: uuid::Uuid = conversations["items"][0]["id"]
        .as_str()
        .expect("id")
        .parse()
        .expect("uuid");
    let response = delete(
        &app,
        &format!("/api/v1/me/data/conversations/{conversation}"),
        &token,
    )
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let left = messages::Entity::find()
        .filter(messages::Column::ConversationId.eq(conversation))
        .count(db)
        .await
        .expect("db");
    assert_eq!(left, 0);
    // One message.
    let msgs = get(&app, "/api/v1/me/data/messages", &token).await;
    let message = msgs["items"][0]["id"].as_str().expect("id").to_owned();
    let response = delete(&app, &format!("/api/v1/me/data/messages/{message}"), &token).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(
        !get(&app, "/api/v1/me/data/messages?limit=200", &token)
            .await
            .to_string()
            .contains(&message)
    );

    // Clearing location history.
    let response = delete(&app, "/api/v1/me/data/location", &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(body(response).await["deleted"].as_u64().expect("n") > 100);
    let counted = counts(&app, &token).await;
    assert_eq!(
        counted
            .iter()
            .find(|(n, _)| n == "location")
            .expect("listed")
            .1,
        0
    );

    // Optional profile fields are deleted by name; required and fixed ones are not.
    let response = delete(&app, "/api/v1/me/data/profile/signature", &token).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let profile = get(&app, "/api/v1/me/data/profile", &token).await;
    assert_eq!(field(&profile["items"][0], "signature"), None);
    let response = delete(&app, "/api/v1/me/data/profile/account_id", &token).await;
    assert_error(response, 409, "field_immutable", Some("account_id")).await;
    let response = delete(&app, "/api/v1/me/data/profile/display_name", &token).await;
    assert_error(response, 409, "field_required", Some("display_name")).await;
    let response = delete(&app, "/api/v1/me/data/profile/shoe_size", &token).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = delete(&app, "/api/v1/me/data/account_security/mobile", &token).await;
    assert_error(response, 403, "reauth_required", None).await;

    // What may not be deleted says so.
    let requests = get(&app, "/api/v1/me/data/requests", &token).await;
    let request = requests["items"][0]["id"].as_str().expect("id").to_owned();
    let response = delete(&app, &format!("/api/v1/me/data/requests/{request}"), &token).await;
    assert_error(response, 409, "not_deletable", None).await;
    let response = delete(&app, "/api/v1/me/data/sign_ins", &token).await;
    assert_error(response, 409, "not_clearable", None).await;
    // Security items need the password again.
    let cards = get(&app, "/api/v1/me/data/cards", &token).await;
    let card = cards["items"][0]["id"].as_str().expect("id").to_owned();
    let response = delete(&app, &format!("/api/v1/me/data/cards/{card}"), &token).await;
    assert_error(response, 403, "reauth_required", None).await;
    reauth(&app, &token, "demo-password-1").await;
    let response = delete(&app, &format!("/api/v1/me/data/cards/{card}"), &token).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    // The receipt names the category and count, never the content.
    let activity = get(&app, "/api/v1/me/data/activity?limit=200", &token).await;
    let actions: Vec<(Option<&str>, Option<&str>)> = activity["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| (field(i, "action"), field(i, "category")))
        .collect();
    for expected in [
        ("deleted", "posts"),
        ("deleted", "conversations"),
        ("deleted", "messages"),
        ("cleared", "location"),
        ("deleted", "cards"),
    ] {
        assert!(
            actions.contains(&(Some(expected.0), Some(expected.1))),
            "{expected:?} in {actions:?}"
        );
    }
    assert!(
        !activity.to_string().contains(&text),
        "the deleted text is not in the activity"
    );

    // The same changes are in the hash-chained audit log, by the holder,
    // naming categories and fields, never the content; the chain verifies.
    let admin = app.demo_token("admin").await;
    let audit = get(&app, "/api/v1/admin/audit", &admin).await;
    assert_eq!(audit["chain_intact"], true, "{audit}");
    let entries: Vec<(String, String, String)> = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["actor_role"].as_str().unwrap_or_default().to_owned(),
                e["action"].as_str().unwrap_or_default().to_owned(),
                e["detail"].to_string(),
            )
        })
        .collect();
    for (action, detail) in [
        ("holder.data_deleted", "posts"),
        ("holder.data_deleted", "conversations"),
        ("holder.data_deleted", "messages"),
        ("holder.data_cleared", "location"),
        ("holder.data_deleted", "cards"),
        ("holder.data_corrected", "signature"),
    ] {
        assert!(
            entries
                .iter()
                .any(|(role, a, d)| role == "holder" && a == action && d.contains(detail)),
            "{action} {detail} in {entries:?}"
        );
    }
    assert!(
        !audit.to_string().contains(&text),
        "the deleted text is not in the audit log"
    );
}

async fn privacy_settings_are_stored_and_applied_to_posts(app: TestApp) {
    let token = app.demo_holder_with_data().await;
    let view = get(&app, "/api/v1/me/settings", &token).await;
    assert_eq!(view["settings"]["posts_window"], "six_months");
    let friends = view["friends"].as_array().expect("friends");
    assert!(friends.len() >= 10);
    let friend = friends[1]["id"].as_str().expect("id").to_owned();
    let all_posts = get(&app, "/api/v1/me/posts/preview?viewer=me", &token).await["items"]
        .as_array()
        .expect("items")
        .len();
    let as_friend = get(
        &app,
        &format!("/api/v1/me/posts/preview?viewer={friend}"),
        &token,
    )
    .await["items"]
        .as_array()
        .expect("items")
        .len();
    assert!(
        as_friend < all_posts,
        "six months hide older posts from friends ({as_friend} of {all_posts})"
    );
    assert_eq!(
        get(&app, "/api/v1/me/posts/preview?viewer=stranger", &token).await["items"]
            .as_array()
            .expect("items")
            .len(),
        0
    );

    let mut settings = view["settings"].clone();
    settings["posts_window"] = json!("all");
    settings["strangers_see_recent"] = json!(true);
    settings["find_by_mobile"] = json!(false);
    let response = send(
        &app,
        reqwest::Method::PUT,
        "/api/v1/me/settings",
        &token,
        Some(&json!({"settings": settings, "dont_share": [friend], "hide": []})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let saved = get(&app, "/api/v1/me/settings", &token).await;
    assert_eq!(saved["settings"]["find_by_mobile"], false);
    assert_eq!(saved["dont_share"], json!([friend]));
    assert_eq!(
        get(
            &app,
            &format!("/api/v1/me/posts/preview?viewer={friend}"),
            &token
        )
        .await["items"]
            .as_array()
            .expect("items")
            .len(),
        0,
        "on the don't-share list"
    );
    assert_eq!(
        get(&app, "/api/v1/me/posts/preview?viewer=stranger", &token).await["items"]
            .as_array()
            .expect("items")
            .len(),
        10,
        "ten recent posts"
    );

    // Someone else's friend, or nonsense, is refused and nothing changes.
    let other = app.holder_token().await;
    let response = send(
        &app,
        reqwest::Method::PUT,
        "/api/v1/me/settings",
        &other,
        Some(&json!({"settings": settings, "dont_share": [friend]})),
    )
    .await;
    assert_error(response, 422, "unknown_friend", Some("dont_share")).await;
    assert_eq!(
        get(&app, "/api/v1/me/settings", &other).await["dont_share"],
        json!([])
    );
    let response = send(
        &app,
        reqwest::Method::PUT,
        "/api/v1/me/settings",
        &token,
        Some(&json!({"settings": {"posts_window": "forever"}})),
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    let response = app
        .get_with_token(&format!("/api/v1/me/posts/preview?viewer={friend}"), &other)
        .await;
    assert_error(response, 422, "invalid_viewer", Some("viewer")).await;
}

async fn sign_ins_and_devices_are_recorded_by_the_sign_in_flow(app: TestApp) {
    let token = app.holder_token().await;
    // Sign-up gave the new holder a fixed account ID and QR code.
    let profile = get(&app, "/api/v1/me/data/profile", &token).await;
    assert!(field(&profile["items"][0], "account_id").is_some_and(|id| id.starts_with("wxid_")));
    assert!(field(&profile["items"][0], "qr_code").is_some());
    let agent = "WeChat/8.0.50 (Linux; Android 14; Pixel 8)";
    let user_email = get(&app, "/api/v1/me/data/account_security", &token).await["items"][0]["fields"][0]["value"]
        .as_str()
        .expect("email")
        .to_owned();
    for _ in 0..2 {
        let response = reqwest::Client::new()
            .post(app.url("/api/v1/auth/login"))
            .header(reqwest::header::USER_AGENT, agent)
            .json(&json!({"email": user_email, "password": "correct-horse-battery"}))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::OK);
    }
    let sign_ins = get(&app, "/api/v1/me/data/sign_ins", &token).await;
    let items = sign_ins["items"].as_array().expect("items");
    assert_eq!(
        items.len(),
        4,
        "the e-mail link's sign-in, the first sign-in and two more"
    );
    let pixel: Vec<&Value> = items
        .iter()
        .filter(|i| field(i, "device_model") == Some("Pixel 8"))
        .collect();
    assert_eq!(pixel.len(), 2, "{sign_ins}");
    assert_eq!(field(pixel[0], "os"), Some("Android"));
    assert_eq!(field(pixel[0], "ip"), Some("127.0.0.1"));
    let times: Vec<&str> = items.iter().filter_map(|i| i["at"].as_str()).collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );
    let devices = get(&app, "/api/v1/me/data/devices", &token).await;
    assert_eq!(
        devices["items"].as_array().expect("items").len(),
        2,
        "one device per agent"
    );
    // A failed sign-in is not a sign-in.
    let _ = app.login(&user_email, "wrong-password-x").await;
    assert_eq!(
        get(&app, "/api/v1/me/data/sign_ins", &token).await["items"]
            .as_array()
            .expect("items")
            .len(),
        4
    );
}

async fn removing_a_device_signs_it_out(app: TestApp) {
    let laptop = app.holder_token().await;
    let email = get(&app, "/api/v1/me/data/account_security", &laptop).await["items"][0]["fields"]
        [0]["value"]
        .as_str()
        .expect("email")
        .to_owned();
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .header(
            reqwest::header::USER_AGENT,
            "WeChat/8.0.50 (Linux; Android 14; Pixel 8)",
        )
        .json(&json!({"email": email, "password": "correct-horse-battery"}))
        .send()
        .await
        .expect("sent");
    let phone = body(response).await["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let devices = get(&app, "/api/v1/me/data/devices", &laptop).await;
    let pixel = devices["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|d| field(d, "device_model") == Some("Pixel 8"))
        .expect("the phone")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    reauth(&app, &laptop, "correct-horse-battery").await;
    let response = delete(&app, &format!("/api/v1/me/data/devices/{pixel}"), &laptop).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_with_token("/api/v1/me", &phone).await.status(),
        StatusCode::UNAUTHORIZED,
        "the phone is signed out"
    );
    assert_eq!(
        app.get_with_token("/api/v1/me", &laptop).await.status(),
        StatusCode::OK,
        "the laptop is not"
    );
}
