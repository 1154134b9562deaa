//! Benchmark: the export of a large account. One holder with 100,000
//! messages (in 500 conversations), 20,000 posts, 500,000 location points and
//! 10 years of daily steps; then the archive is built by the export job and
//! downloaded over HTTP. Prints the time to build, the archive's size, and the
//! process's peak resident memory while building and while downloading (the
//! peak is reset with `/proc/self/clear_refs` before each, so seeding does not
//! count; the figure includes the idle server, printed beside it).
//!
//! Run: `cargo run --release -p server --example bench_export` (SQLite in a
//! temporary directory; `BENCH_DATABASE_URL` names an empty PostgreSQL
//! database instead). Part of `make bench`.
#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

use futures_util::StreamExt;
use sea_orm::{ActiveValue::Set, EntityTrait};
use server::{
    Application,
    config::{ClockMode, Config},
    entities::{accounts, data},
};
use std::time::Instant;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

const MESSAGES: usize = 100_000;
const CONVERSATIONS: usize = 500;
const POSTS: usize = 20_000;
const POINTS: usize = 500_000;
const DAYS: usize = 3_650;
const BATCH: usize = 1_000;

/// Resident memory now and at its peak since the last reset, in MB.
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Starts a new peak (Linux: writing 5 to clear_refs resets VmHWM).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

async fn seed(db: &sea_orm::DatabaseConnection, me: Uuid) -> anyhow::Result<()> {
    let now = OffsetDateTime::now_utc();
    let txn = server::db::begin_write(db).await?;
    let conversations: Vec<Uuid> = (0..CONVERSATIONS).map(|_| Uuid::new_v4()).collect();
    data::conversations::Entity::insert_many(conversations.iter().enumerate().map(|(n, id)| {
        data::conversations::ActiveModel {
            id: Set(*id),
            account_id: Set(me),
            peer_name: Set(format!("Friend {n} 朋友")),
            last_message_at: Set(now - Duration::minutes(n as i64)),
        }
    }))
    .exec_without_returning(&txn)
    .await?;
    for start in (0..MESSAGES).step_by(BATCH) {
        data::messages::Entity::insert_many((start..(start + BATCH).min(MESSAGES)).map(|n| {
            data::messages::ActiveModel {
                id: Set(Uuid::new_v4()),
                account_id: Set(me),
                conversation_id: Set(conversations[n % CONVERSATIONS]),
                from_me: Set(n % 2 == 0),
                body: Set(format!(
                    "Message {n}: see you at the station at seven, 七点车站见, bring the tickets."
                )),
                sent_at: Set(now - Duration::seconds(n as i64 * 97)),
            }
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    for start in (0..POSTS).step_by(BATCH) {
        data::posts::Entity::insert_many((start..(start + BATCH).min(POSTS)).map(|n| {
            data::posts::ActiveModel {
                id: Set(Uuid::new_v4()),
                account_id: Set(me),
                body: Set(format!(
                    "Post {n}: a walk by the river this morning, 早上在河边散步。"
                )),
                place: Set((n % 3 == 0).then(|| "Shenzhen Bay Park".to_owned())),
                created_at: Set(now - Duration::minutes(n as i64 * 131)),
            }
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    for start in (0..POINTS).step_by(BATCH) {
        data::location_points::Entity::insert_many((start..(start + BATCH).min(POINTS)).map(|n| {
            let f = n as f64;
            data::location_points::ActiveModel {
                id: Set(Uuid::new_v4()),
                account_id: Set(me),
                latitude: Set(22.5 + (f * 0.000_37) % 0.4),
                longitude: Set(113.9 + (f * 0.000_53) % 0.5),
                accuracy_m: Set(5 + (n % 40) as i32),
                recorded_at: Set(now - Duration::seconds(n as i64 * 61)),
            }
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    let today = now.date();
    for start in (0..DAYS).step_by(BATCH) {
        data::step_counts::Entity::insert_many((start..(start + BATCH).min(DAYS)).map(|n| {
            data::step_counts::ActiveModel {
                id: Set(Uuid::new_v4()),
                account_id: Set(me),
                day: Set(today - Duration::days(n as i64 + 1)),
                steps: Set(2_000 + ((n * 7_919) % 14_000) as i32),
            }
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // `bench_export seed URL ACCOUNT`: the seeding runs in a child process,
    // so the memory it leaves behind is not counted as the server's.
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("seed") {
        let db = sea_orm::Database::connect(args[2].as_str()).await?;
        return seed(&db, Uuid::parse_str(&args[3])?).await;
    }
    let dir = tempfile::tempdir()?;
    let (database_url, backend): (String, &str) = match std::env::var("BENCH_DATABASE_URL") {
        Ok(url) => (url, "PostgreSQL"),
        Err(_) => (
            format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("bench.db").display()
            ),
            "SQLite",
        ),
    };
    let mut config = Config::local(dir.path(), database_url.clone(), ClockMode::System);
    // The export job is driven here, to time it alone.
    config.background_jobs = false;
    let app = Application::build(config).await?;
    let state = app.state().clone();
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    server::commands::seed_demo_accounts(&state).await?;
    let me = accounts::Entity::find()
        .filter_by_email("demo@example.com")
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo holder"))?
        .id;
    let began = Instant::now();
    let seeded = std::process::Command::new(std::env::current_exe()?)
        .args(["seed", &database_url, &me.to_string()])
        .status()?;
    anyhow::ensure!(seeded.success(), "seeding failed");
    println!(
        "{backend}: one holder with {MESSAGES} messages, {POSTS} posts, {POINTS} location points, {DAYS} days of steps, seeded in {:.0} s",
        began.elapsed().as_secs_f64()
    );

    let client = reqwest::Client::new();
    let login: serde_json::Value = client
        .post(format!("{address}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "demo@example.com", "password": "demo-password-1"}))
        .send()
        .await?
        .json()
        .await?;
    let token = login["token"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no token: {login}"))?
        .to_owned();
    let queued: serde_json::Value = client
        .post(format!("{address}/api/v1/me/exports"))
        .bearer_auth(&token)
        .json(&serde_json::json!({}))
        .send()
        .await?
        .json()
        .await?;
    let id = queued["export_id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("not queued: {queued}"))?
        .to_owned();

    let (idle, _) = memory();
    reset_peak();
    let began = Instant::now();
    let report = state
        .exports
        .run_pending()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let built_in = began.elapsed().as_secs_f64();
    let (_, build_peak) = memory();
    anyhow::ensure!(report.built == 1, "not built: {report:?}");
    let view: serde_json::Value = client
        .get(format!("{address}/api/v1/me/exports/{id}"))
        .bearer_auth(&token)
        .send()
        .await?
        .json()
        .await?;
    let size = view["size_bytes"].as_i64().unwrap_or_default() as f64 / 1_048_576.0;

    client
        .post(format!("{address}/api/v1/auth/reauth"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"password": "demo-password-1"}))
        .send()
        .await?
        .error_for_status()?;
    reset_peak();
    let began = Instant::now();
    let mut stream = client
        .get(format!("{address}/api/v1/me/exports/{id}/download"))
        .bearer_auth(&token)
        .send()
        .await?
        .error_for_status()?
        .bytes_stream();
    let mut received = 0usize;
    while let Some(chunk) = stream.next().await {
        received += chunk?.len();
    }
    let downloaded_in = began.elapsed().as_secs_f64();
    let (_, download_peak) = memory();
    anyhow::ensure!(
        received as f64 / 1_048_576.0 - size < 0.01,
        "downloaded {received} bytes of {size} MB"
    );
    println!(
        "  build:    {built_in:>6.2} s   archive {size:.1} MB   peak RSS {build_peak:.0} MB (idle {idle:.0} MB)"
    );
    println!(
        "  download: {downloaded_in:>6.2} s   {:.0} MB/s   peak RSS {download_peak:.0} MB",
        size / downloaded_in
    );
    Ok(())
}

/// `accounts::Entity::find().filter_by_email(…)`.
trait ByEmail {
    fn filter_by_email(self, email: &str) -> Self;
}

impl ByEmail for sea_orm::Select<accounts::Entity> {
    fn filter_by_email(self, email: &str) -> Self {
        use sea_orm::{ColumnTrait, QueryFilter};
        self.filter(accounts::Column::Email.eq(email))
    }
}
