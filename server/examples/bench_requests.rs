//! Benchmark: a million open requests in the database; one deadline sweeper
//! pass (time and peak memory) and the register's first page sorted by due
//! instant (p50 and p99).
//!
//! Run: `cargo run --release -p server --example bench_requests [COUNT]`
//! (SQLite in a temporary directory; set `BENCH_DATABASE_URL` for PostgreSQL).
#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

use sea_orm::{ActiveValue::Set, EntityTrait};
use server::{
    Application,
    config::{ClockMode, Config},
    entities::requests,
    sessions::Principal,
};
use std::time::Instant;
use time::Duration;

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir()?;
    let database_url = std::env::var("BENCH_DATABASE_URL").unwrap_or_else(|_| {
        format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("bench.db").display()
        )
    });
    let config = Config::local(dir.path(), database_url, ClockMode::Dev(None));
    let app = Application::build(config).await?;
    let state = app.state().clone();
    let now = state.clock.now();
    let policy =
        serde_json::to_string(&domain::deadlines::preset("privacy-officer-60").expect("preset"))?;

    let began = Instant::now();
    let mut seed = 7u64;
    for batch in 0..count.div_ceil(1000) {
        let rows = (0..1000.min(count - batch * 1000)).map(|i| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let n = batch * 1000 + i;
            // 0.1 % already past due, the rest spread over the next 60 days.
            let due = if n % 1000 == 0 {
                now - Duration::hours(1)
            } else {
                now + Duration::seconds((seed >> 40) as i64 % (60 * 86_400))
            };
            requests::ActiveModel {
                id: Set(uuid::Uuid::new_v4()),
                ack: Set(format!("PR-2026-{:04X}-{:04X}", n >> 16, n & 0xFFFF)),
                kind: Set(requests::Kind::Copy),
                channel: Set(requests::Channel::PrivacyOfficer),
                status: Set(requests::Status::InProgress),
                account_id: Set(None),
                contact_email: Set(Some(format!("person{n}@example.com"))),
                details: Set("Please send me a copy of my data.".into()),
                verification: Set(None),
                tracking_token_hash: Set(None),
                idempotency_hash: Set(None),
                policy_name: Set("privacy-officer-60".into()),
                policy_version: Set(1),
                policy_rules: Set(policy.clone()),
                received_at: Set(due - Duration::days(60)),
                clock_started_at: Set(Some(due - Duration::days(60))),
                due_at: Set(Some(due)),
                paused_since: Set(None),
                resume_status: Set(None),
                overdue: Set(false),
                late: Set(false),
                assignee_id: Set(None),
                closed_at: Set(None),
                answer: Set(None),
                updated_at: Set(now),
                complaint_category: Set(None),
                escalated_at: Set(None),
            }
        });
        requests::Entity::insert_many(rows)
            .exec_without_returning(&state.db)
            .await?;
    }
    println!(
        "open requests:        {count} (inserted in {:.1} s)",
        began.elapsed().as_secs_f64()
    );
    server::commands::seed_demo(&state).await?;

    let rss_before = peak_rss_mib();
    let began = Instant::now();
    let report = state
        .requests
        .sweep()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let sweep = began.elapsed();
    println!(
        "sweeper pass:         {:.2} s ({} examined, {} marked overdue, {} reminders)",
        sweep.as_secs_f64(),
        report.examined,
        report.marked_overdue,
        report.reminders
    );
    println!(
        "peak memory (RSS):    {:.0} MiB before the pass, {:.0} MiB after",
        rss_before,
        peak_rss_mib()
    );

    // The register as an officer reads it (the service checks the role).
    let officer =
        Principal::acting_for(uuid::Uuid::nil(), domain::Role::Officer, domain::Locale::En);
    let query = app::requests::RegisterQuery {
        limit: Some(50),
        ..Default::default()
    };
    let mut samples = Vec::new();
    for _ in 0..200 {
        let began = Instant::now();
        let page = state
            .requests
            .register(&officer, &query)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .0;
        samples.push(began.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(page.len(), 50);
    }
    samples.sort_by(f64::total_cmp);
    println!(
        "register first page:  p50 {:.2} ms, p99 {:.2} ms (50 rows sorted by due instant, 200 samples)",
        samples[100], samples[197]
    );
    Ok(())
}
