//! Exports: the archive's contents against the API, checksums, secrets,
//! ownership, re-authentication, ranges, expiry, restarts, cancellation and
//! the officer's copy.

use crate::helpers::{TestApp, assert_error, body};
use crate::on_every_backend;
use crate::requests::{act, file};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use server::entities::data::exports;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;

on_every_backend!(without_jobs:
    an_archive_holds_every_category_as_the_api_lists_it,
    only_the_owner_downloads_and_only_for_seven_days,
    a_build_stopped_by_a_restart_is_rebuilt_and_built_once,
    removing_an_export_cancels_it_and_deletes_its_file,
    chosen_categories_make_a_smaller_archive,
    the_officers_answer_to_a_copy_request_attaches_the_archive_to_the_account,
    double_submits_queue_one_export,
);

async fn start(app: &TestApp, token: &str, input: &Value) -> reqwest::Response {
    app.post_with_token("/api/v1/me/exports", token, input)
        .await
}

async fn queued(app: &TestApp, token: &str, input: &Value) -> String {
    let response = start(app, token, input).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let answer = body(response).await;
    assert_eq!(answer["export"]["status"], "queued");
    answer["export_id"].as_str().expect("id").to_owned()
}

async fn build(app: &TestApp) -> server::exports::JobReport {
    app.state.exports.run_pending().await.expect("job runs")
}

async fn view(app: &TestApp, token: &str, id: &str) -> Value {
    let response = app
        .get_with_token(&format!("/api/v1/me/exports/{id}"), token)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    body(response).await
}

async fn download(app: &TestApp, token: &str, id: &str) -> reqwest::Response {
    app.get_with_token(&format!("/api/v1/me/exports/{id}/download"), token)
        .await
}

async fn reauth(app: &TestApp, token: &str, password: &str) {
    let response = app
        .post_with_token("/api/v1/auth/reauth", token, &json!({"password": password}))
        .await;
    assert!(response.status().is_success(), "{}", response.status());
}

/// Every entry of the archive, decompressed.
fn entries(bytes: &[u8]) -> HashMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
    let mut all = HashMap::new();
    for n in 0..archive.len() {
        let mut entry = archive.by_index(n).expect("entry");
        let mut content = Vec::new();
        entry.read_to_end(&mut content).expect("readable");
        all.insert(entry.name().expect("a name").to_string(), content);
    }
    all
}

/// Every item of a category through the API, page after page.
async fn api_items(app: &TestApp, token: &str, category: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = body(
            app.get_with_token(
                &format!("/api/v1/me/data/{category}?limit=200&cursor={cursor}"),
                token,
            )
            .await,
        )
        .await;
        items.extend(page["items"].as_array().expect("items").iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => return items,
        }
    }
}

fn text(entries: &HashMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(
        entries
            .get(name)
            .unwrap_or_else(|| panic!("{name} in the archive"))
            .clone(),
    )
    .expect("UTF-8")
}

async fn an_archive_holds_every_category_as_the_api_lists_it(app: TestApp) {
    let token = app.demo_holder_with_data().await;
    // A request of the holder's with an idempotency key: its hash is stored
    // beside the request and must not travel with it.
    let filed = app
        .client
        .post(app.url("/api/v1/requests"))
        .bearer_auth(&token)
        .header("idempotency-key", "export-test-7f3a9c")
        .json(&json!({"kind": "access", "channel": "in_app", "details": "What do you hold about me?"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(filed.status(), StatusCode::CREATED);
    let id = queued(&app, &token, &json!({})).await;
    // One at a time: a second answers 409 with the running one's ID.
    let again = start(&app, &token, &json!({"categories": ["steps"]})).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let again = body(again).await;
    assert_eq!(again["error"]["code"], "export_running");
    assert_eq!(again["export_id"], id.as_str());

    assert_eq!(build(&app).await.built, 1);
    let ready = view(&app, &token, &id).await;
    assert_eq!(ready["status"], "ready", "{ready}");
    assert_eq!(ready["progress"], 100);
    assert_eq!(ready["whole_account"], true);

    // The password again first.
    assert_error(
        download(&app, &token, &id).await,
        403,
        "reauth_required",
        None,
    )
    .await;
    reauth(&app, &token, "demo-password-1").await;
    let response = download(&app, &token, &id).await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/zip");
    assert_eq!(headers["cache-control"], "no-store");
    let disposition = headers["content-disposition"].to_str().expect("ASCII");
    assert!(
        disposition.starts_with("attachment; filename=\"privacy-export-")
            && disposition.ends_with(".zip\""),
        "{disposition}"
    );
    let bytes = response.bytes().await.expect("body").to_vec();
    assert_eq!(
        hex::encode(Sha256::digest(&bytes)),
        ready["sha256"].as_str().expect("sha256")
    );
    assert_eq!(
        bytes.len() as i64,
        ready["size_bytes"].as_i64().expect("size")
    );

    // Resuming: two ranges make the whole.
    let mut parts = Vec::new();
    for range in ["bytes=0-99", "bytes=100-"] {
        let part = app
            .client
            .get(app.url(&format!("/api/v1/me/exports/{id}/download")))
            .bearer_auth(&token)
            .header("range", range)
            .send()
            .await
            .expect("sent");
        assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT, "{range}");
        parts.push(part.bytes().await.expect("body"));
    }
    let (head, rest) = (&parts[0], &parts[1]);
    assert_eq!([head.as_ref(), rest.as_ref()].concat(), bytes);

    let all = entries(&bytes);
    // The manifest lists every other file with its size and checksum.
    let manifest: Value = serde_json::from_slice(&all["manifest.json"]).expect("JSON");
    assert_eq!(manifest["format_version"], 1);
    assert_eq!(manifest["export_id"], id.as_str());
    assert_eq!(manifest["whole_account"], true);
    let listed = manifest["files"].as_array().expect("files");
    assert_eq!(listed.len(), all.len() - 1, "every file but the manifest");
    for file in listed {
        let name = file["path"].as_str().expect("path");
        let content = &all[name];
        assert_eq!(file["size"].as_u64(), Some(content.len() as u64), "{name}");
        assert_eq!(
            file["sha256"].as_str(),
            Some(hex::encode(Sha256::digest(content)).as_str()),
            "{name}"
        );
    }
    // Each category's JSON is what the API lists, item for item.
    for category in domain::data::Category::ALL {
        let name = category.as_str();
        let json: Value =
            serde_json::from_slice(&all[&format!("{name}/{name}.json")]).expect("JSON");
        assert_eq!(json["category"], name);
        let mut api = api_items(&app, &token, name).await;
        // The downloads since are new activity; the rest is as it was.
        api.retain(|item| {
            !item["fields"]
                .as_array()
                .is_some_and(|f| f.iter().any(|f| f["value"] == "export_downloaded"))
        });
        assert_eq!(json["items"].as_array().expect("items"), &api, "{name}");
        if let Some(columns) = domain::export::csv_columns(category) {
            let csv = text(&all, &format!("{name}/{name}.csv"));
            let mut lines = csv.split("\r\n").filter(|l| !l.is_empty());
            let header = lines.next().expect("header");
            assert_eq!(header, ["id,at,day", &columns.join(",")].join(","));
            // Messages may hold line breaks inside quotes; the rest do not.
            if category != domain::data::Category::Messages {
                assert_eq!(lines.count(), api.len(), "{name}");
            }
            // Every key the API gives is a column.
            for item in &api {
                for field in item["fields"].as_array().expect("fields") {
                    let key = field["key"].as_str().expect("key");
                    assert!(columns.contains(&key), "{name}: {key} missing from the CSV");
                }
            }
        }
    }
    let geo: Value = serde_json::from_slice(&all["location/location.geojson"]).expect("GeoJSON");
    let points = api_items(&app, &token, "location").await;
    assert_eq!(geo["type"], "FeatureCollection");
    let features = geo["features"].as_array().expect("features");
    assert_eq!(features.len(), points.len());
    let first = &features[0];
    let latitude = points[0]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["key"] == "latitude")
        .expect("latitude")["value"]
        .as_str()
        .expect("text")
        .parse::<f64>()
        .expect("number");
    assert_eq!(first["geometry"]["coordinates"][1].as_f64(), Some(latitude));
    // The index reads in the holder's language and names every part.
    let index = text(&all, "index.html");
    assert!(index.contains("<html lang=\"en\">"), "{index}");
    assert!(index.contains("Daily steps") && index.contains("steps/steps.csv"));
    assert!(index.contains("data-category=\"messages\""));
    assert!(all.contains_key("README.txt"));

    // No secret inside: the password hash, the signing and audit keys, the
    // session token.
    let hash = server::entities::accounts::Entity::find()
        .filter(server::entities::accounts::Column::Email.eq("demo@example.com"))
        .one(&app.state.db)
        .await
        .expect("read")
        .expect("account")
        .password_hash;
    let jwt = std::fs::read_to_string(app.data_dir().join("jwt-secret")).expect("jwt secret");
    let audit_key = std::fs::read_to_string(app.data_dir().join("audit-key")).expect("audit key");
    // The requests' tracking-code and idempotency hashes (the demo holder's
    // request among them).
    let tokens: Vec<String> = server::entities::requests::Entity::find()
        .all(&app.state.db)
        .await
        .expect("read")
        .into_iter()
        .flat_map(|r| [r.tracking_token_hash, r.idempotency_hash])
        .flatten()
        .collect();
    assert!(!tokens.is_empty(), "the request's hashes are stored");
    let mut secrets = vec![hash.as_str(), jwt.trim(), audit_key.trim(), token.as_str()];
    secrets.extend(tokens.iter().map(String::as_str));
    for (name, content) in &all {
        let content = String::from_utf8_lossy(content);
        for secret in &secrets {
            assert!(!secret.is_empty());
            assert!(!content.contains(secret), "a secret in {name}");
        }
    }
    // Each download is in the holder's activity and the audit log.
    let activity = api_items(&app, &token, "activity").await;
    let downloads = activity
        .iter()
        .filter(|a| {
            a["fields"]
                .as_array()
                .is_some_and(|f| f.iter().any(|f| f["value"] == "export_downloaded"))
        })
        .count();
    assert_eq!(downloads, 3, "one whole download and two ranges");
    let admin = app.demo_token("admin").await;
    let audit = body(
        app.get_with_token("/api/v1/admin/audit?limit=200", &admin)
            .await,
    )
    .await;
    assert_eq!(audit["chain_intact"], true);
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["subject"] == id.as_str())
        .filter_map(|e| e["action"].as_str())
        .collect();
    for action in ["export.requested", "export.built", "export.downloaded"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

async fn only_the_owner_downloads_and_only_for_seven_days(app: TestApp) {
    let token = app.demo_holder_with_data().await;
    let id = queued(&app, &token, &json!({"categories": ["profile", "steps"]})).await;
    build(&app).await;
    let stranger = app.holder_token().await;
    reauth(&app, &stranger, "correct-horse-battery").await;
    // Another account: not found, whatever it tries.
    for response in [
        app.get_with_token(&format!("/api/v1/me/exports/{id}"), &stranger)
            .await,
        download(&app, &stranger, &id).await,
        app.client
            .delete(app.url(&format!("/api/v1/me/exports/{id}")))
            .bearer_auth(&stranger)
            .send()
            .await
            .expect("sent"),
    ] {
        assert_error(response, 404, "export_not_found", None).await;
    }
    assert_error(
        download(&app, &stranger, "not-an-id").await,
        404,
        "export_not_found",
        None,
    )
    .await;
    let listed = body(app.get_with_token("/api/v1/me/exports", &stranger).await).await;
    assert_eq!(listed, json!([]));

    // Still there a minute before its 7 days are over (a fresh session: the
    // old one ended with the clock's move).
    let ready = view(&app, &token, &id).await;
    let expires = time::OffsetDateTime::parse(
        ready["expires_at"].as_str().expect("expires"),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("RFC 3339");
    app.set_clock(
        &(expires - time::Duration::minutes(1))
            .format(&time::format_description::well_known::Rfc3339)
            .expect("format"),
    );
    let token = app.token_for("demo@example.com", "demo-password-1").await;
    reauth(&app, &token, "demo-password-1").await;
    assert_eq!(download(&app, &token, &id).await.status(), StatusCode::OK);
    app.advance_clock(60);
    assert_error(
        download(&app, &token, &id).await,
        410,
        "export_expired",
        None,
    )
    .await;
    assert_eq!(view(&app, &token, &id).await["status"], "expired");
    let file = app
        .state
        .exports
        .file(uuid::Uuid::parse_str(&id).expect("uuid"));
    assert!(file.exists(), "deleted by the job, not by reading");
    assert_eq!(app.state.exports.expire().await.expect("expires"), 1);
    assert!(!file.exists(), "the file is deleted");
    assert_error(
        download(&app, &token, &id).await,
        410,
        "export_expired",
        None,
    )
    .await;
}

async fn a_build_stopped_by_a_restart_is_rebuilt_and_built_once(app: TestApp) {
    let token = app.demo_holder_with_data().await;
    let id = queued(&app, &token, &json!({})).await;
    let uuid = uuid::Uuid::parse_str(&id).expect("uuid");
    // A builder claimed it, wrote half an archive, and the process died.
    let now = app.state.clock.now();
    exports::Entity::update_many()
        .col_expr(exports::Column::Status, "building".into())
        .col_expr(exports::Column::Attempts, 1.into())
        .col_expr(exports::Column::Progress, 40.into())
        .col_expr(
            exports::Column::ClaimedUntil,
            Some(now + time::Duration::minutes(2)).into(),
        )
        .filter(exports::Column::Id.eq(uuid))
        .exec(&app.state.db)
        .await
        .expect("claimed");
    let part = app.state.exports.part(uuid);
    std::fs::create_dir_all(part.parent().expect("dir")).expect("dir");
    std::fs::write(&part, b"PK\x03\x04 half an archive").expect("written");
    assert_eq!(view(&app, &token, &id).await["status"], "building");
    // While the dead builder's lease runs, nobody else takes it.
    assert_eq!(build(&app).await.built, 0);
    app.advance_clock(3 * 60);
    // After it, two builders race: one builds it, once.
    let (a, b) = tokio::join!(build(&app), build(&app));
    assert_eq!(a.built + b.built, 1, "{a:?} {b:?}");
    let row = exports::Entity::find_by_id(uuid)
        .one(&app.state.db)
        .await
        .expect("read")
        .expect("row");
    assert_eq!(row.status, "ready");
    assert_eq!(row.attempts, 2);
    assert!(!part.exists(), "the half-written file is gone");
    let token = app.token_for("demo@example.com", "demo-password-1").await;
    reauth(&app, &token, "demo-password-1").await;
    let bytes = download(&app, &token, &id)
        .await
        .bytes()
        .await
        .expect("body");
    let all = entries(&bytes);
    assert!(all.contains_key("manifest.json") && all.contains_key("messages/messages.json"));
    let admin = app.demo_token("admin").await;
    let audit = body(
        app.get_with_token("/api/v1/admin/audit?limit=200", &admin)
            .await,
    )
    .await;
    let built = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["subject"] == id.as_str() && e["action"] == "export.built")
        .count();
    assert_eq!(built, 1);
}

async fn removing_an_export_cancels_it_and_deletes_its_file(app: TestApp) {
    let token = app.demo_holder_with_data().await;
    let id = queued(&app, &token, &json!({})).await;
    let delete = |id: String| {
        let app = &app;
        let token = token.clone();
        async move {
            app.client
                .delete(app.url(&format!("/api/v1/me/exports/{id}")))
                .bearer_auth(token)
                .send()
                .await
                .expect("sent")
        }
    };
    assert_eq!(delete(id.clone()).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(build(&app).await.built, 0, "nothing left to build");
    // Another can start at once, and a ready one is removed with its file.
    let id = queued(&app, &token, &json!({"categories": ["steps"]})).await;
    build(&app).await;
    let file = app
        .state
        .exports
        .file(uuid::Uuid::parse_str(&id).expect("uuid"));
    assert!(file.exists());
    assert_eq!(delete(id.clone()).await.status(), StatusCode::NO_CONTENT);
    assert!(!file.exists());
    assert_error(
        app.get_with_token(&format!("/api/v1/me/exports/{id}"), &token)
            .await,
        404,
        "export_not_found",
        None,
    )
    .await;
}

async fn chosen_categories_make_a_smaller_archive(app: TestApp) {
    let token = app.demo_holder_with_data().await;
    // Bad input: an unknown category is a 422 naming the body.
    let bad = start(&app, &token, &json!({"categories": ["passwords"]})).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let id = queued(&app, &token, &json!({"categories": ["location", "steps"]})).await;
    build(&app).await;
    let ready = view(&app, &token, &id).await;
    assert_eq!(ready["whole_account"], false);
    assert_eq!(ready["categories"], json!(["location", "steps"]));
    reauth(&app, &token, "demo-password-1").await;
    let bytes = download(&app, &token, &id)
        .await
        .bytes()
        .await
        .expect("body");
    let all = entries(&bytes);
    let mut names: Vec<&str> = all.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "README.txt",
            "index.html",
            "location/location.csv",
            "location/location.geojson",
            "location/location.json",
            "manifest.json",
            "steps/steps.csv",
            "steps/steps.json",
        ]
    );
}

async fn the_officers_answer_to_a_copy_request_attaches_the_archive_to_the_account(app: TestApp) {
    let holder = app.demo_holder_with_data().await;
    let officer = app.demo_token("officer").await;
    let filed = file(
        &app,
        Some(&holder),
        r#"{"kind":"copy","channel":"in_app","details":"Please send me a copy of all my data."}"#,
    )
    .await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    let ack = body(filed).await["ack"].as_str().expect("ack").to_owned();
    assert_eq!(
        act(&app, &officer, &ack, "assign", json!({}))
            .await
            .status(),
        StatusCode::OK
    );
    let answered = act(
        &app,
        &officer,
        &ack,
        "fulfil",
        json!({"summary": "A copy of all your data is attached."}),
    )
    .await;
    assert_eq!(
        answered.status(),
        StatusCode::OK,
        "{}",
        body(answered).await
    );
    // The holder's own export is not blocked by the officer's copy.
    let own = start(&app, &holder, &json!({"categories": ["steps"]})).await;
    assert_eq!(own.status(), StatusCode::ACCEPTED);
    assert_eq!(build(&app).await.built, 2);
    let listed = body(app.get_with_token("/api/v1/me/exports", &holder).await).await;
    let attached = listed
        .as_array()
        .expect("list")
        .iter()
        .find(|e| e["origin"] == "request")
        .expect("the officer's copy")
        .clone();
    assert_eq!(attached["request_ack"], ack.as_str());
    assert_eq!(attached["status"], "ready");
    assert_eq!(attached["whole_account"], true);
    // Delivered to the account's inbox, with the same protections.
    let inbox = api_items(&app, &holder, "notifications").await;
    assert!(
        inbox
            .iter()
            .any(|n| n["fields"].as_array().is_some_and(|f| f
                .iter()
                .any(|f| f["value"].as_str().is_some_and(|v| v.contains(&ack))))),
        "{inbox:?}"
    );
    let id = attached["id"].as_str().expect("id");
    assert_error(
        download(&app, &holder, id).await,
        403,
        "reauth_required",
        None,
    )
    .await;
    assert_error(
        download(&app, &officer, id).await,
        404,
        "export_not_found",
        None,
    )
    .await;
    // Fulfilling another kind attaches nothing.
    let rows = exports::Entity::find()
        .filter(exports::Column::Origin.eq("request"))
        .all(&app.state.db)
        .await
        .expect("read");
    assert_eq!(rows.len(), 1);
}

async fn double_submits_queue_one_export(app: TestApp) {
    let token = app.demo_token("holder").await;
    let answers = {
        let whole = json!({});
        futures_util::future::join_all((0..8).map(|_| start(&app, &token, &whole))).await
    };
    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 202).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        7,
        "{statuses:?}"
    );
    let rows = exports::Entity::find()
        .all(&app.state.db)
        .await
        .expect("read");
    assert_eq!(rows.len(), 1);
}
