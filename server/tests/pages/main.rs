//! Pages under concurrent load, in a test binary of their own.
//!
//! Alone because Leptos 0.8 keeps one process-wide flag while it generates
//! an app's route list, and a resource first polled while any app in the
//! process generates one never loads (leptos-rs/leptos#4773): the other
//! integration tests start apps all the time, and a page rendered meanwhile
//! would stall. The portal generates its route list once, before it listens.

#[path = "../api/helpers.rs"]
#[allow(
    dead_code,
    unused_macros,
    reason = "the helpers are shared with the API tests"
)]
mod helpers;

use reqwest::StatusCode;

/// Pages rendered at once on a multi-threaded runtime, as in production:
/// every page arrives whole. With Leptos 0.8 rendering a page's `<Suspense>`
/// boundaries on one worker thread while its resources resolved on another,
/// two threads could each hold a lock the other wanted (leptos#4673) and the
/// whole portal froze, `/healthz` too. The portal renders each page, and
/// every task the page spawns, on one thread (`server::render`).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_pages_at_once_all_arrive_whole() {
    let app = helpers::spawn_app_with(helpers::Backend::Sqlite, false)
        .await
        .expect("app starts");
    let holder = app.demo_holder_with_data().await;
    let cookie = format!("portal_session={holder}");
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..32 {
        let path = ["/data/messages", "/", "/home", "/requests"][i % 4];
        let (url, cookie) = (app.url(path), cookie.clone());
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .expect("client");
        tasks.spawn(async move {
            for _ in 0..25 {
                let response = client
                    .get(&url)
                    .header("cookie", &cookie)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{path}: {e:?}"));
                assert_eq!(response.status(), StatusCode::OK, "{path}");
                let page = response
                    .text()
                    .await
                    .unwrap_or_else(|e| panic!("{path}: {e:?}"));
                assert!(page.contains("</html>"), "{path} arrived whole");
            }
        });
    }
    while let Some(result) = tasks.join_next().await {
        result.expect("every page arrived");
    }
    let health = reqwest::get(app.url("/healthz")).await.expect("sent");
    assert_eq!(health.status(), StatusCode::OK);
}
