//! Filing under load for `make load-filing`: holders of `seed-demo --scale
//! N` sign in, then C clients file requests through `POST /api/v1/requests`
//! as fast as they are answered, N filings in all (each holder files at most
//! 30 an hour, the portal's limit, so the filings are spread over holders).
//! Prints filings per second, p50 and p99, and fails on any answer but 201.
//!
//! ```text
//! load_filing BASE HOLDERS FILINGS CLIENTS
//! ```
#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base, holders, filings, clients] = args.as_slice() else {
        anyhow::bail!("usage: load_filing BASE HOLDERS FILINGS CLIENTS");
    };
    let (holders, filings, clients): (usize, usize, usize) =
        (holders.parse()?, filings.parse()?, clients.parse()?);
    anyhow::ensure!(
        filings <= holders * 30,
        "at most 30 filings per holder an hour"
    );
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .timeout(Duration::from_secs(30))
        .build()?;
    let mut tokens = Vec::with_capacity(holders);
    for i in 1..=holders {
        let answer: serde_json::Value = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({
                "email": format!("holder-{i}@scale.example"),
                "password": "scale-password-1",
            }))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let token = answer["token"]
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("no token in {answer}"))?;
        tokens.push(token.to_owned());
    }
    let tokens = Arc::new(tokens);
    let next = Arc::new(AtomicUsize::new(0));
    let url = format!("{base}/api/v1/requests");
    let began = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (client, url, tokens, next) =
                (client.clone(), url.clone(), tokens.clone(), next.clone());
            tokio::spawn(async move {
                let mut samples = Vec::new();
                let mut refused = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= filings {
                        break;
                    }
                    let sent = Instant::now();
                    let status = client
                        .post(&url)
                        .bearer_auth(&tokens[n % tokens.len()])
                        .header("idempotency-key", format!("load-filing-{clients}-{n}"))
                        .json(&serde_json::json!({
                            "kind": "access",
                            "channel": "in_app",
                            "details": format!("Load filing {n}: what do you hold about me?"),
                        }))
                        .send()
                        .await
                        .map(|r| r.status().as_u16());
                    samples.push(sent.elapsed());
                    if status.as_ref().ok() != Some(&201) {
                        refused.push(format!("{status:?}"));
                    }
                }
                (samples, refused)
            })
        })
        .collect();
    let mut samples = Vec::new();
    let mut refused = Vec::new();
    for worker in workers {
        let (s, r) = worker.await?;
        samples.extend(s);
        refused.extend(r);
    }
    let elapsed = began.elapsed().as_secs_f64();
    samples.sort();
    let at = |q: f64| {
        samples
            .get(((samples.len() as f64 * q) as usize).min(samples.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{filings} filings from {clients:>2} clients {:>9.0} filings/s   p50 {:>7.2} ms   p99 {:>7.2} ms   {} not 201",
        samples.len() as f64 / elapsed,
        at(0.50),
        at(0.99),
        refused.len()
    );
    anyhow::ensure!(
        refused.is_empty(),
        "answers other than 201: {:?}",
        &refused[..refused.len().min(5)]
    );
    Ok(())
}
