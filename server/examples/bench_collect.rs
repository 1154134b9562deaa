//! Benchmark: collection that obeys consent under load. 1,000 holders (each
//! an account with location granted and a session), then 32 concurrent
//! collectors posting location points to `POST /api/v1/collect/location`
//! for those holders in turn, for 15 s: collections per second, p50 and p99.
//! Beside it, in the same run and through the same stack, the baseline: the
//! same 32 clients on `GET /healthz`. These machines are noisy: the ratio is
//! the figure.
//!
//! Run: `cargo run --release -p server --example bench_collect [HOLDERS] [SECONDS]`
//! (SQLite in a temporary directory; set `BENCH_DATABASE_URL` to an empty
//! PostgreSQL database for PostgreSQL; `make bench-collect` runs both).
#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

use server::{
    Application,
    config::{ClockMode, Config},
};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Concurrent clients.
const CLIENTS: usize = 32;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// What `CLIENTS` clients got for `seconds`: (requests per second, p50 ms,
/// p99 ms, answers that were not the expected status).
async fn drive(
    address: &str,
    seconds: u64,
    request: impl Fn(&reqwest::Client, &str, usize) -> reqwest::RequestBuilder + Send + Sync + 'static,
    expected: u16,
) -> anyhow::Result<(f64, f64, f64, usize)> {
    let request = Arc::new(request);
    let until = Instant::now() + Duration::from_secs(seconds);
    let began = Instant::now();
    let workers: Vec<_> = (0..CLIENTS)
        .map(|worker| {
            let request = request.clone();
            let address = address.to_owned();
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                let (mut samples, mut wrong) = (Vec::new(), 0usize);
                let mut i = worker;
                while Instant::now() < until {
                    let sent = Instant::now();
                    let status = request(&client, &address, i).send().await?.status();
                    samples.push(sent.elapsed().as_secs_f64() * 1000.0);
                    if status.as_u16() != expected {
                        wrong += 1;
                    }
                    i += CLIENTS;
                }
                Ok::<_, anyhow::Error>((samples, wrong))
            })
        })
        .collect();
    let (mut all, mut wrong) = (Vec::new(), 0);
    for worker in workers {
        let (samples, w) = worker.await??;
        all.extend(samples);
        wrong += w;
    }
    let elapsed = began.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    Ok((
        all.len() as f64 / elapsed,
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        wrong,
    ))
}

/// `n` holders who granted location: the rows collection reads, nothing
/// else (the realistic data of `seed-demo --scale` takes minutes to write and
/// plays no part in a collection).
async fn holders_with_location(
    db: &sea_orm::DatabaseConnection,
    n: usize,
) -> anyhow::Result<Vec<uuid::Uuid>> {
    use sea_orm::{ActiveValue::Set, EntityTrait};
    use server::entities::{accounts, data::consents};
    let now = time::OffsetDateTime::now_utc();
    let ids: Vec<uuid::Uuid> = (0..n).map(|_| uuid::Uuid::new_v4()).collect();
    let txn = server::db::begin_write(db).await?;
    for chunk in ids.chunks(100) {
        accounts::Entity::insert_many(chunk.iter().map(|id| accounts::ActiveModel {
            id: Set(*id),
            email: Set(format!("{id}@collect.example")),
            // Never used: sessions are opened directly.
            password_hash: Set("-".to_owned()),
            display_name: Set("Collector".to_owned()),
            birth_date: Set(time::macros::date!(1990 - 05 - 17)),
            age_band: Set(accounts::AgeBand::Adult),
            role: Set(accounts::Role::Holder),
            locale: Set("en".to_owned()),
            created_at: Set(now),
            ..Default::default()
        }))
        .exec_without_returning(&txn)
        .await?;
        consents::Entity::insert_many(chunk.iter().map(|id| consents::ActiveModel {
            id: Set(uuid::Uuid::new_v4()),
            account_id: Set(*id),
            feature: Set("location".to_owned()),
            granted: Set(true),
            changed_at: Set(now),
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(ids)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let holders: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(15);
    let dir = tempfile::tempdir()?;
    let (database_url, backend) = match std::env::var("BENCH_DATABASE_URL") {
        Ok(url) => (url, "PostgreSQL"),
        Err(_) => (
            format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("bench.db").display()
            ),
            "SQLite",
        ),
    };
    let mut config = Config::local(dir.path(), database_url, ClockMode::System);
    // Collection is what is measured: no sweeper or mail sender beside it.
    config.background_jobs = false;
    let app = Application::build(config).await?;
    let state = app.state().clone();
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());

    let began = Instant::now();
    let ids = holders_with_location(&state.db, holders).await?;
    let mut tokens = Vec::with_capacity(ids.len());
    for id in &ids {
        tokens.push(
            state
                .sessions
                .open(*id, None)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        );
    }
    println!(
        "{backend}: {} holders seeded with sessions in {:.0} s; {CLIENTS} clients, {seconds} s each",
        ids.len(),
        began.elapsed().as_secs_f64()
    );
    let tokens = Arc::new(tokens);

    // Warm-up.
    drive(&address, 2, |c, a, _| c.get(format!("{a}/healthz")), 200).await?;
    let (base_rps, base_p50, base_p99, _) = drive(
        &address,
        seconds,
        |c, a, _| c.get(format!("{a}/healthz")),
        200,
    )
    .await?;
    let collectors = tokens.clone();
    let (rps, p50, p99, refused) = drive(
        &address,
        seconds,
        move |c, a, i| {
            let token = &collectors[i % collectors.len()];
            let n = i as f64;
            c.post(format!("{a}/api/v1/collect/location"))
                .bearer_auth(token)
                .json(&serde_json::json!({
                    "lat": 22.0 + (n * 0.0001) % 1.0,
                    "lon": 113.0 + (n * 0.0003) % 1.0,
                    "accuracy_m": 12,
                }))
        },
        201,
    )
    .await?;
    println!(
        "  GET /healthz (baseline):       {base_rps:>8.0} req/s   p50 {base_p50:>6.2} ms   p99 {base_p99:>7.2} ms"
    );
    println!(
        "  POST /api/v1/collect/location: {rps:>8.0} req/s   p50 {p50:>6.2} ms   p99 {p99:>7.2} ms   ({refused} not 201)"
    );
    println!(
        "  collection / baseline:         {:.3} of the throughput, {:.1}x the p99",
        rps / base_rps,
        p99 / base_p99
    );
    Ok(())
}
