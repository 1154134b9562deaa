//! A fixed-window rate limiter per client address, for public endpoints that
//! cost computation. In memory: each server instance counts for itself.

use app::error::AppError;
use std::{collections::HashMap, net::IpAddr, sync::Mutex};
use time::{Duration, OffsetDateTime};

/// Allows `limit` requests per address per `window`.
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    counts: Mutex<HashMap<Option<IpAddr>, (OffsetDateTime, u32)>>,
}

impl RateLimiter {
    /// A limiter.
    #[must_use]
    pub fn new(limit: u32, window: Duration) -> Self {
        RateLimiter {
            limit,
            window,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request from `client` at `now`.
    ///
    /// # Errors
    /// 429 `rate_limited` past the limit.
    pub fn check(&self, client: Option<IpAddr>, now: OffsetDateTime) -> Result<(), AppError> {
        let mut counts = self
            .counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if counts.len() > 100_000 {
            // Forget old windows rather than grow without bound.
            counts.retain(|_, (start, _)| now - *start < self.window);
        }
        let entry = counts.entry(client).or_insert((now, 0));
        if now - entry.0 >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        if entry.1 > self.limit {
            let wait = (entry.0 + self.window - now).whole_seconds();
            return Err(AppError::too_many(
                "rate_limited",
                "Too many requests. Wait a minute and try again.",
                u64::try_from(wait).unwrap_or(1),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_address_per_window() {
        let limiter = RateLimiter::new(2, Duration::minutes(1));
        let t0 = time::macros::datetime!(2027-01-01 00:00:00 UTC);
        let a = Some(IpAddr::from([10, 0, 0, 1]));
        let b = Some(IpAddr::from([10, 0, 0, 2]));
        assert!(limiter.check(a, t0).is_ok());
        assert!(limiter.check(a, t0).is_ok());
        assert_eq!(
            limiter.check(a, t0).map_err(|e| e.code),
            Err("rate_limited".to_owned())
        );
        assert!(
            limiter.check(b, t0).is_ok(),
            "another address has its own count"
        );
        assert!(
            limiter.check(a, t0 + Duration::minutes(1)).is_ok(),
            "a new window"
        );
    }
}
