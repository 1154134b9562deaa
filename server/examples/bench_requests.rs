//! Benchmark: the deadline sweeper at a million open requests (issue #12),
//! and the register's first page sorted by due instant.
//!
//! Every request is seeded as the portal stores it — its next event
//! computed by the domain engine as of an hour before `t0` — in cohorts
//! whose events are known:
//!
//! - 100,000 whose 7-day reminder fell due in the hour before `t0`, and
//!   1,000 that became overdue in it: the catch-up pass at `t0`;
//! - the same again one day later: the pass at `t0 + 1 day` that two
//!   instances share;
//! - the rest spread over the next 60 days, with nothing due before
//!   `t0 + 1 day`.
//!
//! It prints, for each pass, time, rows touched (requests examined, notices
//! written, requests flagged) and peak memory: (a) the catch-up pass, (b) a
//! steady pass right after it where nothing new is due, (c) two instances
//! on one database sweeping at once (on PostgreSQL they share the batches;
//! on SQLite their write transactions take turns).
//!
//! Run: `cargo run --release -p server --example bench_requests [COUNT]`
//! (SQLite in a temporary directory; set `BENCH_DATABASE_URL` for PostgreSQL).
#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

/// The portal binary's allocator (`server/src/main.rs`), so the figures are
/// the portal's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use server::{
    AppState, Application,
    config::{ClockMode, Config},
    entities::{notifications, request_timers, requests},
    requests::SweepReport,
    sessions::Principal,
};
use std::time::{Duration as Elapsed, Instant};
use time::{Duration, OffsetDateTime, macros::datetime};

/// Requests whose reminder falls due in each catch-up hour.
const REMINDED: usize = 100_000;
/// Requests that become overdue in each catch-up hour.
const OVERDUE: usize = 1_000;

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

/// Starts a new peak-memory measurement (Linux: "5" resets `VmHWM`).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// What one seeded request is for.
#[derive(Clone, Copy)]
enum Cohort {
    /// Its 7-day reminder falls in the hour before `at`.
    Reminded(OffsetDateTime),
    /// It becomes overdue in the hour before `at`.
    Overdue(OffsetDateTime),
    /// Nothing before `t0 + 1 day`.
    Later,
}

fn cohort(n: usize, t0: OffsetDateTime, count: usize) -> Cohort {
    let t1 = t0 + Duration::days(1);
    // Spread the cohorts evenly through the table.
    let stride_r = count / REMINDED;
    let stride_o = count / OVERDUE;
    match (n % stride_r, n % stride_o) {
        (_, 0) => Cohort::Overdue(t0),
        (_, o) if o == stride_o / 2 => Cohort::Overdue(t1),
        (1, _) => Cohort::Reminded(t0),
        (2, _) => Cohort::Reminded(t1),
        _ => Cohort::Later,
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    anyhow::ensure!(
        count >= 10 * REMINDED,
        "COUNT must be at least {}",
        10 * REMINDED
    );
    let dir = tempfile::tempdir()?;
    let database_url = std::env::var("BENCH_DATABASE_URL").unwrap_or_else(|_| {
        format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("bench.db").display()
        )
    });
    let backend = if database_url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("== deadline sweeper, {backend} ==");
    let t0 = datetime!(2027-03-01 09:00:00 UTC);
    let t1 = t0 + Duration::days(1);
    let config = Config::local(dir.path(), database_url.clone(), ClockMode::Test(t0));
    let app = Application::build(config).await?;
    let state = app.state().clone();
    server::commands::seed_demo(&state).await?;
    seed(&state, count, t0).await?;

    let officers = server::entities::accounts::Entity::find()
        .filter(
            server::entities::accounts::Column::Role.eq(server::entities::accounts::Role::Officer),
        )
        .count(&state.db)
        .await?;
    println!(
        "expected per catch-up: {REMINDED} requests reminded ({} notices to {officers} officer(s)), {OVERDUE} overdue",
        REMINDED as u64 * officers
    );

    // (a) The catch-up pass at t0.
    set_clock(&state, t0)?;
    let (report, took, peak) = pass(&state).await?;
    print_pass("(a) catch-up pass", report, took, peak);

    // (b) A steady pass right after: nothing new is due.
    let (report, took, peak) = pass(&state).await?;
    print_pass("(b) steady pass", report, took, peak);
    let mut steady = Vec::new();
    for _ in 0..20 {
        steady.push(pass(&state).await?.1.as_secs_f64() * 1000.0);
    }
    steady.sort_by(f64::total_cmp);
    println!(
        "    steady passes:      p50 {:.2} ms, max {:.2} ms (20 more passes)",
        steady[10], steady[19]
    );

    // (c) Two instances sweep at once a day later.
    let second_dir = tempfile::tempdir()?;
    let second = Application::build(Config::local(
        second_dir.path(),
        database_url,
        ClockMode::Test(t1),
    ))
    .await?;
    let other = second.state().clone();
    set_clock(&state, t1)?;
    set_clock(&other, t1)?;
    reset_peak();
    let began = Instant::now();
    let (one, two) = tokio::join!(state.requests.sweep(), other.requests.sweep());
    let took = began.elapsed();
    let (one, two) = (
        one.map_err(|e| anyhow::anyhow!("{e}"))?,
        two.map_err(|e| anyhow::anyhow!("{e}"))?,
    );
    let both = SweepReport {
        examined: one.examined + two.examined,
        marked_overdue: one.marked_overdue + two.marked_overdue,
        reminders: one.reminders + two.reminders,
    };
    print_pass("(c) two instances", both, took, peak_rss_mib());
    println!(
        "    shares:             instance 1 examined {}, instance 2 examined {}",
        one.examined, two.examined
    );
    let written = notifications::Entity::find()
        .filter(notifications::Column::Kind.eq("reminder"))
        .filter(notifications::Column::CreatedAt.eq(t1))
        .count(&state.db)
        .await?;
    println!(
        "    once only:          {written} reminder notices stored at t0 + 1 day, {} reported (expected {})",
        both.reminders,
        REMINDED as u64 * officers
    );
    anyhow::ensure!(
        written == both.reminders as u64 && both.marked_overdue == OVERDUE,
        "the two instances did not send each event exactly once"
    );

    register(&state).await
}

/// The register as an officer reads it (the service checks the role).
async fn register(state: &AppState) -> anyhow::Result<()> {
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
        "register first page:    p50 {:.2} ms, p99 {:.2} ms (50 rows sorted by due instant, 200 samples)",
        samples[100], samples[197]
    );
    Ok(())
}

fn set_clock(state: &AppState, to: OffsetDateTime) -> anyhow::Result<()> {
    state
        .dev_clock
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("no test clock"))?
        .set(to)?;
    Ok(())
}

async fn pass(state: &AppState) -> anyhow::Result<(SweepReport, Elapsed, f64)> {
    reset_peak();
    let began = Instant::now();
    let report = state
        .requests
        .sweep()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((report, began.elapsed(), peak_rss_mib()))
}

fn print_pass(name: &str, report: SweepReport, took: Elapsed, peak: f64) {
    let events = report.reminders + report.marked_overdue;
    let seconds = took.as_secs_f64();
    println!(
        "{name:<24}{:>10.2} ms; {} requests examined, {} reminder notices, {} marked overdue; {:.0} events/s; peak RSS {peak:.0} MiB",
        seconds * 1000.0,
        report.examined,
        report.reminders,
        report.marked_overdue,
        if seconds > 0.0 {
            events as f64 / seconds
        } else {
            0.0
        },
    );
}

/// A million open requests, each with its next event as the portal
/// computes it an hour before `t0` (the last pass before the catch-up).
async fn seed(state: &AppState, count: usize, t0: OffsetDateTime) -> anyhow::Result<()> {
    let officer_60 = domain::deadlines::preset("privacy-officer-60").expect("preset");
    let reaccess_4h = domain::deadlines::preset("reaccess-4h").expect("preset");
    let (officer_json, reaccess_json) = (
        serde_json::to_string(&officer_60)?,
        serde_json::to_string(&reaccess_4h)?,
    );
    let last_pass = t0 - Duration::hours(1);
    let quiet_until = t0 + Duration::days(1);
    let began = Instant::now();
    let mut seed = 7u64;
    let mut random = move |below: i64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        i64::try_from(seed >> 33).unwrap_or(0) % below
    };
    for batch in 0..count.div_ceil(1000) {
        let mut rows = Vec::with_capacity(1000);
        let mut timers = Vec::with_capacity(1000);
        for n in batch * 1000..(batch * 1000 + 1000).min(count) {
            let within_hour = Duration::seconds(1 + random(3599));
            let kind = cohort(n, t0, count);
            // The overdue ones are re-access requests (4 hours, a reminder
            // an hour before); the rest privacy-officer requests (60 days,
            // reminders 7, 3 and 1 day before).
            let (rules, length) = match kind {
                Cohort::Overdue(_) => (&reaccess_4h, Duration::hours(4)),
                _ => (&officer_60, Duration::days(60)),
            };
            let mut due = match kind {
                Cohort::Reminded(at) => at + Duration::days(7) - within_hour,
                Cohort::Overdue(at) => at - within_hour,
                Cohort::Later => quiet_until + Duration::seconds(random(59 * 86_400)),
            };
            let mut next = domain::deadlines::next_event(rules, due, due - length, last_pass)?;
            match kind {
                Cohort::Later => {
                    // Nothing of the rest falls due before t0 + 1 day.
                    while next <= quiet_until {
                        due += Duration::days(1);
                        next = domain::deadlines::next_event(rules, due, due - length, last_pass)?;
                    }
                }
                Cohort::Reminded(at) | Cohort::Overdue(at) => {
                    let after = if at > t0 { t0 } else { last_pass };
                    anyhow::ensure!(next > after && next <= at, "cohort of request {n}");
                }
            }
            let reaccess = matches!(kind, Cohort::Overdue(_));
            let start = due - length;
            let id = uuid::Uuid::new_v4();
            rows.push(requests::ActiveModel {
                id: Set(id),
                ack: Set(format!("PR-2027-{:04X}-{:04X}", n >> 16, n & 0xFFFF)),
                kind: Set(if reaccess {
                    requests::Kind::Reaccess
                } else {
                    requests::Kind::Copy
                }),
                channel: Set(requests::Channel::PrivacyOfficer),
                status: Set(requests::Status::InProgress),
                account_id: Set(None),
                contact_email: Set(Some(format!("person{n}@example.com"))),
                details: Set("Please send me a copy of my data.".into()),
                verification: Set(None),
                tracking_token_hash: Set(None),
                idempotency_hash: Set(None),
                policy_name: Set(rules.name.clone()),
                policy_version: Set(1),
                policy_rules: Set(if reaccess {
                    reaccess_json.clone()
                } else {
                    officer_json.clone()
                }),
                received_at: Set(start),
                clock_started_at: Set(Some(start)),
                due_at: Set(Some(due)),
                paused_since: Set(None),
                resume_status: Set(None),
                overdue: Set(false),
                late: Set(false),
                assignee_id: Set(None),
                closed_at: Set(None),
                answer: Set(None),
                updated_at: Set(start),
                complaint_category: Set(None),
                escalated_at: Set(None),
            });
            timers.push(request_timers::ActiveModel {
                at: Set(next),
                request_id: Set(id),
                due_at: Set(due),
            });
        }
        requests::Entity::insert_many(rows)
            .exec_without_returning(&state.db)
            .await?;
        request_timers::Entity::insert_many(timers)
            .exec_without_returning(&state.db)
            .await?;
    }
    let open = requests::Entity::find()
        .filter(requests::Column::ClosedAt.is_null())
        .select_only()
        .column(requests::Column::Id)
        .count(&state.db)
        .await?;
    println!(
        "open requests:          {open} ({count} seeded in {:.1} s)",
        began.elapsed().as_secs_f64()
    );
    Ok(())
}
