//! A fixed-window rate limiter per key — a client address by default, or an
//! account — for endpoints that cost computation or invite guessing. In
//! memory: each server instance counts for itself.

use app::error::AppError;
use std::{collections::HashMap, hash::Hash, net::IpAddr, sync::Mutex};
use time::{Duration, OffsetDateTime};

/// Allows `limit` requests per key per `window`.
pub struct RateLimiter<K = Option<IpAddr>> {
    limit: u32,
    window: Duration,
    counts: Mutex<HashMap<K, (OffsetDateTime, u32)>>,
}

impl<K: Hash + Eq> RateLimiter<K> {
    /// A limiter.
    #[must_use]
    pub fn new(limit: u32, window: Duration) -> Self {
        RateLimiter {
            limit,
            window,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// 429 when `client` has used up its window, without counting.
    ///
    /// # Errors
    /// 429 `rate_limited` with the seconds to wait.
    pub fn refuse_if_full(&self, client: &K, now: OffsetDateTime) -> Result<(), AppError> {
        let counts = self
            .counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match counts.get(client) {
            Some((start, count)) if now - *start < self.window && *count >= self.limit => {
                Err(self.refusal(*start, now))
            }
            _ => Ok(()),
        }
    }

    fn refusal(&self, start: OffsetDateTime, now: OffsetDateTime) -> AppError {
        let wait = (start + self.window - now).whole_seconds();
        AppError::too_many(
            "rate_limited",
            "Too many requests. Wait a while and try again.",
            u64::try_from(wait).unwrap_or(1),
        )
    }

    /// Counts one request from `client` at `now`.
    ///
    /// # Errors
    /// 429 `rate_limited` past the limit.
    pub fn check(&self, client: K, now: OffsetDateTime) -> Result<(), AppError> {
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
            let start = entry.0;
            return Err(self.refusal(start, now));
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
