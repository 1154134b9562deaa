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

/// One test of this binary at a time: a test that starts its app while
/// another renders pages would stall them (leptos#4773, above).
static ALONE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Pages rendered at once on a multi-threaded runtime, as in production:
/// every page arrives whole. With Leptos 0.8 rendering a page's `<Suspense>`
/// boundaries on one worker thread while its resources resolved on another,
/// two threads could each hold a lock the other wanted (leptos#4673) and the
/// whole portal froze, `/healthz` too. The portal renders each page, and
/// every task the page spawns, on one thread (`server::render`).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_pages_at_once_all_arrive_whole() {
    let _alone = ALONE.lock().await;
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

/// The built site's files come back whole and with 200 while pages with
/// other statuses render at the same time. Through leptos's
/// `file_and_error_handler`, a file took the status of a page rendering on
/// the same render thread: the stylesheet and split files came back 404 (the
/// "not found" page's) or 401 (a page that asks to sign in), and the page that
/// loaded them never came alive (CI, session 20).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn site_files_keep_their_own_status_while_other_pages_render() {
    let _alone = ALONE.lock().await;
    let app = helpers::spawn_app_with(helpers::Backend::Sqlite, false)
        .await
        .expect("app starts");
    let pkg = std::path::Path::new(&*app.state.leptos_options.site_root).join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg");
    let css: Vec<u8> = b"main { color: #123; }\n".repeat(800);
    let wasm: Vec<u8> = (0..60_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(pkg.join("portal.css"), &css).expect("css");
    std::fs::write(pkg.join("chunk_1.wasm"), &wasm).expect("wasm");
    let files = std::sync::Arc::new([css, wasm]);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..16 {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let (base, files) = (app.url(""), files.clone());
        tasks.spawn(async move {
            let paths = [
                ("/no-such-page", None),
                ("/pkg/portal.css", Some(0)),
                ("/home", None),
                ("/pkg/chunk_1.wasm", Some(1)),
                ("/login", None),
            ];
            for round in 0..30 {
                let (path, file) = paths[(i + round) % paths.len()];
                let response = client
                    .get(format!("{base}{path}"))
                    .header("accept-encoding", "gzip, deflate, br, zstd")
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{path}: {e:?}"));
                let status = response.status();
                let body = response.bytes().await.expect("body");
                match file {
                    Some(which) => {
                        assert_eq!(status, StatusCode::OK, "{path} answered {status}");
                        assert!(body[..] == files[which][..], "{path} came back whole");
                    }
                    None => assert!(
                        [
                            StatusCode::OK,
                            StatusCode::NOT_FOUND,
                            StatusCode::UNAUTHORIZED
                        ]
                        .contains(&status),
                        "{path} answered {status}"
                    ),
                }
            }
        });
    }
    while let Some(result) = tasks.join_next().await {
        result.expect("every file kept its status");
    }
}

/// The data a server-rendered page sends the browser for hydration: each
/// resolved resource's serialized value, in the order written.
fn resolved_resources(page: &str) -> Vec<&str> {
    page.split("__RESOLVED_RESOURCES[")
        .skip(1)
        .filter_map(|rest| {
            let value = rest.split_once("] = \"")?.1;
            // The value is a JavaScript string; its end is the first
            // unescaped quote.
            let mut escaped = false;
            let end = value.char_indices().find_map(|(i, c)| {
                let end = !escaped && c == '"';
                escaped = !escaped && c == '\\';
                end.then_some(i)
            })?;
            Some(&value[..end])
        })
        .collect()
}

/// Every page behind a sign-in fetches its data once per response. Leptos
/// walks a `<Transition>`'s children again once its resources have loaded,
/// to find resources read behind them; the pages are built in that walk from
/// the signed-in person, so each page created its resources twice, ran their
/// queries twice and sent both copies to the browser (`/data/messages`: 36 of
/// its 68 KB were the same page of messages twice). `RequireRole` now builds
/// the page at render time only (`app::components`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_page_fetches_its_data_once() {
    let _alone = ALONE.lock().await;
    let app = helpers::spawn_app_with(helpers::Backend::Sqlite, false)
        .await
        .expect("app starts");
    let holder = app.demo_holder_with_data().await;
    let officer = app.demo_token("officer").await;
    let admin = app.demo_token("admin").await;
    let client = reqwest::Client::new();
    let pages = [
        (&holder, "/home"),
        (&holder, "/data"),
        (&holder, "/data/messages"),
        (&holder, "/data/steps"),
        (&holder, "/data/location"),
        (&holder, "/data/settings"),
        (&holder, "/requests"),
        (&holder, "/consents"),
        (&holder, "/exports"),
        (&holder, "/account/cancel"),
        (&holder, "/inbox"),
        (&officer, "/officer"),
        (&admin, "/admin/audit"),
        (&admin, "/admin/policies"),
    ];
    for (token, path) in pages {
        let page = client
            .get(app.url(path))
            .header("cookie", format!("portal_session={token}"))
            .send()
            .await
            .expect("sent")
            .text()
            .await
            .expect("read");
        let resources = resolved_resources(&page);
        assert!(!resources.is_empty(), "{path} sends its data");
        // A short value (`{"Ok":null}`, an empty list) may be the answer of
        // two different resources; a longer one twice is the same data
        // fetched twice.
        let mut seen = std::collections::HashSet::new();
        for value in resources.iter().filter(|v| v.len() > 48) {
            assert!(
                seen.insert(*value),
                "{path} sent the same data twice: {}…",
                &value[..80.min(value.len())]
            );
        }
    }
}
