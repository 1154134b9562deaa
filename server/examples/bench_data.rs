//! Benchmark: `seed-demo --scale N` (1,000 holders with realistic volumes by
//! default), then the p50 and p99 latency of `GET /api/v1/me/data/{category}`
//! over HTTP for one of those holders: the first page of every category and
//! pages deep in the largest ones by cursor.
//!
//! Run: `cargo run --release -p server --example bench_data [HOLDERS]`
//! (SQLite in a temporary directory; set `BENCH_DATABASE_URL` for PostgreSQL).
#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

use server::{
    Application,
    config::{ClockMode, Config},
};
use std::time::Instant;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let holders: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000);
    let dir = tempfile::tempdir()?;
    let database_url = std::env::var("BENCH_DATABASE_URL").unwrap_or_else(|_| {
        format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("bench.db").display()
        )
    });
    let config = Config::local(dir.path(), database_url, ClockMode::System);
    let app = Application::build(config).await?;
    let state = app.state().clone();
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());

    let began = Instant::now();
    server::commands::seed_demo(&state).await?;
    let ids = server::commands::seed_scale(&state.data, holders).await?;
    println!(
        "seeded:               {holders} holders in {:.0} s",
        began.elapsed().as_secs_f64()
    );
    let client = reqwest::Client::new();
    let who = ids.len() / 2 + 1;
    let token: serde_json::Value = client
        .post(format!("{address}/api/v1/auth/login"))
        .json(&serde_json::json!({
            "email": format!("holder-{who}@scale.example"),
            "password": server::commands::SCALE_PASSWORD,
        }))
        .send()
        .await?
        .json()
        .await?;
    let token = token["token"].as_str().expect("token").to_owned();
    let overview: serde_json::Value = client
        .get(format!("{address}/api/v1/me/data"))
        .bearer_auth(&token)
        .send()
        .await?
        .json()
        .await?;
    let counts: Vec<(String, u64)> = overview["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| {
            (
                c["category"].as_str().unwrap_or_default().to_owned(),
                c["count"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    println!(
        "holder-{who}:            {}",
        counts
            .iter()
            .filter(|(_, n)| *n > 1)
            .map(|(c, n)| format!("{c} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );

    let get = |path: String| {
        let client = client.clone();
        let token = token.clone();
        let address = address.clone();
        async move {
            let began = Instant::now();
            let response = client
                .get(format!("{address}{path}"))
                .bearer_auth(&token)
                .send()
                .await?;
            assert!(response.status().is_success(), "{path}");
            let body: serde_json::Value = response.json().await?;
            Ok::<_, anyhow::Error>((began.elapsed().as_secs_f64() * 1000.0, body))
        }
    };

    // Warm-up, then every category's first page, 20 rounds.
    for (category, _) in &counts {
        get(format!("/api/v1/me/data/{category}")).await?;
    }
    let mut all = Vec::new();
    let mut per_category = Vec::new();
    for (category, _) in &counts {
        let mut samples = Vec::new();
        for _ in 0..20 {
            samples.push(get(format!("/api/v1/me/data/{category}")).await?.0);
        }
        samples.sort_by(f64::total_cmp);
        per_category.push((
            category.clone(),
            percentile(&samples, 0.5),
            percentile(&samples, 0.99),
        ));
        all.extend(samples);
    }
    // Walking the largest categories to their end by cursor.
    let mut deep = Vec::new();
    for category in ["messages", "location", "posts", "steps"] {
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/me/data/{category}?cursor={c}"),
                None => format!("/api/v1/me/data/{category}"),
            };
            let (ms, body) = get(path).await?;
            deep.push(ms);
            match body["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
    }
    all.sort_by(f64::total_cmp);
    deep.sort_by(f64::total_cmp);
    println!(
        "first pages:          p50 {:.2} ms, p99 {:.2} ms ({} requests over {} categories)",
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        all.len(),
        counts.len()
    );
    for (category, p50, p99) in per_category {
        println!("  {category:<16} p50 {p50:>7.2} ms  p99 {p99:>7.2} ms");
    }
    println!(
        "cursor walks:         p50 {:.2} ms, p99 {:.2} ms ({} pages of 50 through messages, location, posts, steps)",
        percentile(&deep, 0.5),
        percentile(&deep, 0.99),
        deep.len()
    );
    Ok(())
}
