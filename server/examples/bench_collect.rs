//! Benchmark: collection that obeys consent under load. 1,000 holders (by
//! `seed-demo --scale`, each with location granted), then 32 concurrent
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
    let ids = server::commands::seed_scale(&state.data, holders).await?;
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
