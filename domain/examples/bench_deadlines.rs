//! Benchmark: due instants per second for a million random requests across
//! the presets (with a pause or an extension on some of them).
//!
//! Run: `cargo run --release -p domain --example bench_deadlines [COUNT]`
#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

use domain::deadlines::{Extension, Pause, compute, presets};
use std::time::Instant;
use time::{Duration, OffsetDateTime};

/// A small deterministic generator, so every run measures the same inputs.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let policies = presets();
    let mut rng = Lcg(2027);
    // Starts across 2026 and the first half of 2027 (inside the working-day calendar).
    let base = OffsetDateTime::from_unix_timestamp(1_767_225_600).expect("valid");
    let inputs: Vec<_> = (0..count)
        .map(|_| {
            let policy = &policies[(rng.next() % policies.len() as u64) as usize];
            let start = base + Duration::seconds((rng.next() % 47_000_000) as i64);
            let pauses = if rng.next().is_multiple_of(4) {
                let from = start + Duration::hours((rng.next() % 48) as i64);
                vec![Pause {
                    from,
                    to: from + Duration::hours((rng.next() % 72) as i64),
                }]
            } else {
                vec![]
            };
            let extensions = if rng.next().is_multiple_of(4) {
                vec![Extension {
                    at: start,
                    length: None,
                }]
            } else {
                vec![]
            };
            (policy, start, pauses, extensions)
        })
        .collect();

    let began = Instant::now();
    let mut computed = 0usize;
    let mut refused = 0usize;
    for (policy, start, pauses, extensions) in &inputs {
        match compute(policy, *start, pauses, extensions) {
            Ok(schedule) => {
                computed += 1;
                std::hint::black_box(schedule);
            }
            Err(_) => refused += 1,
        }
    }
    let elapsed = began.elapsed();
    println!("requests:            {count}");
    println!("schedules computed:  {computed} (refused by the rules: {refused})");
    println!("elapsed:             {:.3} s", elapsed.as_secs_f64());
    println!(
        "due instants/second: {:.0}",
        count as f64 / elapsed.as_secs_f64()
    );
}
