//! A closed-loop HTTP load generator for `make load-pages`: C connections
//! each send a request as soon as the last one answered, for S seconds;
//! prints throughput, p50 and p99 and the share of non-2xx answers.
//!
//! ```text
//! load_pages [--seconds S] [--connections C] [--bearer TOKEN | --cookie NAME=VALUE] NAME URL
//! load_pages --login BASE EMAIL PASSWORD      (prints a bearer token)
//! ```
#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

use std::time::{Duration, Instant};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--login") {
        let [_, base, email, password] = args.as_slice() else {
            anyhow::bail!("--login BASE EMAIL PASSWORD");
        };
        let answer: serde_json::Value = reqwest::Client::new()
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let token = answer["token"]
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("no token in {answer}"))?;
        println!("{token}");
        return Ok(());
    }
    let mut seconds = 10u64;
    let mut connections = 32usize;
    let mut header: Option<(String, String)> = None;
    let option = |name: &str, args: &mut Vec<String>| -> Option<String> {
        let at = args.iter().position(|a| a == name)?;
        let value = args.get(at + 1).cloned();
        args.drain(at..=(at + 1).min(args.len() - 1));
        value
    };
    if let Some(s) = option("--seconds", &mut args) {
        seconds = s.parse()?;
    }
    if let Some(c) = option("--connections", &mut args) {
        connections = c.parse()?;
    }
    if let Some(token) = option("--bearer", &mut args) {
        header = Some(("authorization".into(), format!("Bearer {token}")));
    }
    if let Some(cookie) = option("--cookie", &mut args) {
        header = Some(("cookie".into(), cookie));
    }
    let [name, url] = args.as_slice() else {
        anyhow::bail!(
            "usage: load_pages [--seconds S] [--connections C] [--bearer T | --cookie N=V] NAME URL"
        );
    };
    // A server that stops answering shows as failures, not as a hung run.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .timeout(Duration::from_secs(10))
        .build()?;
    // Warm up: connections open, caches filled.
    for _ in 0..connections {
        let _ = send(&client, url, header.as_ref()).await;
    }
    let until = Instant::now() + Duration::from_secs(seconds);
    let began = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (client, url, header) = (client.clone(), url.clone(), header.clone());
            tokio::spawn(async move {
                let mut samples = Vec::new();
                let mut failed = 0u64;
                while Instant::now() < until {
                    let sent = Instant::now();
                    let ok = send(&client, &url, header.as_ref()).await;
                    samples.push(sent.elapsed());
                    failed += u64::from(!ok);
                }
                (samples, failed)
            })
        })
        .collect();
    let mut samples = Vec::new();
    let mut failed = 0;
    for worker in workers {
        let (s, f) = worker.await?;
        samples.extend(s);
        failed += f;
    }
    let elapsed = began.elapsed().as_secs_f64();
    samples.sort();
    let at = |q: f64| {
        samples
            .get(((samples.len() as f64 * q) as usize).min(samples.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{name:<34} {:>9.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   {} requests, {failed} not 2xx",
        samples.len() as f64 / elapsed,
        at(0.50),
        at(0.99),
        samples.len()
    );
    anyhow::ensure!(failed == 0, "{name}: {failed} answers were not 2xx");
    Ok(())
}

async fn send(client: &reqwest::Client, url: &str, header: Option<&(String, String)>) -> bool {
    let mut request = client.get(url);
    if let Some((name, value)) = header {
        request = request.header(name.as_str(), value.as_str());
    }
    match request.send().await {
        Ok(response) => {
            let ok = response.status().is_success();
            ok && response.bytes().await.is_ok()
        }
        Err(_) => false,
    }
}
