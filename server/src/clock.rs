//! The one source of time. Every reader of time — token expiry included —
//! asks the [`Clock`] in the application state, so tests and the development
//! clock (DESIGN §9 "Moving time in tests") can move time forward.

use std::sync::atomic::{AtomicI64, Ordering};
use time::OffsetDateTime;

/// Tells the time.
pub trait Clock: Send + Sync + 'static {
    /// Now, in UTC, to the second.
    fn now(&self) -> OffsetDateTime;
}

fn to_second(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(0).unwrap_or(t)
}

/// Real time.
#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        to_second(OffsetDateTime::now_utc())
    }
}

/// Real time plus an offset that only moves forward. Enabled by
/// `PORTAL_DEV_CLOCK`; never in production.
#[derive(Debug, Default)]
pub struct DevClock {
    offset_seconds: AtomicI64,
}

/// Why the development clock refused to move.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// The clock only moves forward.
    #[error("the clock only moves forward")]
    Backwards,
}

impl DevClock {
    /// A clock that starts at real time.
    #[must_use]
    pub fn new() -> Self {
        DevClock::default()
    }

    /// A clock that starts at `start` and runs at real speed from there.
    #[must_use]
    pub fn starting_at(start: OffsetDateTime) -> Self {
        let offset = (start - OffsetDateTime::now_utc()).whole_seconds();
        DevClock {
            offset_seconds: AtomicI64::new(offset),
        }
    }

    /// Moves the clock forward by `seconds` and returns the new time.
    ///
    /// # Errors
    /// [`ClockError::Backwards`] for a negative amount.
    pub fn advance(&self, seconds: i64) -> Result<OffsetDateTime, ClockError> {
        if seconds < 0 {
            return Err(ClockError::Backwards);
        }
        self.offset_seconds.fetch_add(seconds, Ordering::SeqCst);
        Ok(self.now())
    }

    /// Sets the clock to `to`, which must not be before now.
    ///
    /// # Errors
    /// [`ClockError::Backwards`] for an instant in the past.
    pub fn set(&self, to: OffsetDateTime) -> Result<OffsetDateTime, ClockError> {
        let by = (to - self.now()).whole_seconds();
        self.advance(by)
    }
}

impl Clock for DevClock {
    fn now(&self) -> OffsetDateTime {
        let offset = time::Duration::seconds(self.offset_seconds.load(Ordering::SeqCst));
        to_second(OffsetDateTime::now_utc() + offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_clock_moves_forward_only() {
        let clock = DevClock::starting_at(time::macros::datetime!(2027-01-31 15:30:00 UTC));
        let start = clock.now();
        assert!((start - time::macros::datetime!(2027-01-31 15:30:00 UTC)).whole_seconds() <= 1);
        let later = clock.advance(86_400).expect("forward is allowed");
        assert!((later - start).whole_seconds() >= 86_400);
        assert_eq!(clock.advance(-1), Err(ClockError::Backwards));
        assert_eq!(clock.set(start), Err(ClockError::Backwards));
        let target = later + time::Duration::days(100);
        let moved = clock.set(target).expect("future instant is allowed");
        assert!((moved - target).whole_seconds().abs() <= 1);
    }
}
