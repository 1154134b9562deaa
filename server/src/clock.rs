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

/// Real time plus a movable offset.
///
/// Two kinds: the development clock of `PORTAL_DEV_CLOCK`, which only moves
/// forward (a server someone uses never sees time run back), and the test
/// clock, which a test starts at an instant of its own and may set to any
/// instant, past or future — so that no test depends on today's date.
/// Neither is ever used in production.
#[derive(Debug, Default)]
pub struct DevClock {
    offset_seconds: AtomicI64,
    any_direction: bool,
}

/// Why the development clock refused to move.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// The clock only moves forward.
    #[error("the clock only moves forward")]
    Backwards,
    /// The move would leave the years the portal counts in.
    #[error("the clock would leave the years {FIRST_YEAR} to {LAST_YEAR}")]
    OutOfRange,
}

/// The first year the clock may show.
pub const FIRST_YEAR: i32 = 1970;
/// The last year the clock may show.
pub const LAST_YEAR: i32 = 9000;

impl DevClock {
    /// A forward-only clock that starts at real time.
    #[must_use]
    pub fn new() -> Self {
        DevClock::default()
    }

    /// A forward-only clock that starts at `start` and runs at real speed
    /// from there.
    #[must_use]
    pub fn starting_at(start: OffsetDateTime) -> Self {
        DevClock {
            offset_seconds: AtomicI64::new(offset_to(start)),
            any_direction: false,
        }
    }

    /// A test's clock: starts at `start`, runs at real speed, and may be
    /// set to any instant.
    #[must_use]
    pub fn for_tests(start: OffsetDateTime) -> Self {
        DevClock {
            offset_seconds: AtomicI64::new(offset_to(start)),
            any_direction: true,
        }
    }

    /// Moves the clock by `seconds` and returns the new time.
    ///
    /// # Errors
    /// [`ClockError::Backwards`] for a negative amount on a forward-only
    /// clock; [`ClockError::OutOfRange`] when the clock would leave the
    /// years [`FIRST_YEAR`]–[`LAST_YEAR`] (the move is not made).
    pub fn advance(&self, seconds: i64) -> Result<OffsetDateTime, ClockError> {
        if seconds < 0 && !self.any_direction {
            return Err(ClockError::Backwards);
        }
        let mut result = Err(ClockError::OutOfRange);
        let _ = self
            .offset_seconds
            .try_update(Ordering::SeqCst, Ordering::SeqCst, |offset| {
                let moved = offset.checked_add(seconds)?;
                let now = in_range(OffsetDateTime::now_utc(), moved)?;
                result = Ok(to_second(now));
                Some(moved)
            });
        result
    }

    /// Sets the clock to `to`, which must not be before now unless this is a
    /// test's clock.
    ///
    /// # Errors
    /// As [`DevClock::advance`].
    pub fn set(&self, to: OffsetDateTime) -> Result<OffsetDateTime, ClockError> {
        if !(FIRST_YEAR..=LAST_YEAR).contains(&to.year()) {
            return Err(ClockError::OutOfRange);
        }
        let by = (to - self.now()).whole_seconds();
        self.advance(by)
    }
}

fn offset_to(start: OffsetDateTime) -> i64 {
    (start - OffsetDateTime::now_utc()).whole_seconds()
}

/// `real + offset` when it lies in the years the clock may show.
fn in_range(real: OffsetDateTime, offset_seconds: i64) -> Option<OffsetDateTime> {
    let now = real.checked_add(time::Duration::seconds(offset_seconds))?;
    (FIRST_YEAR..=LAST_YEAR)
        .contains(&now.year())
        .then_some(now)
}

impl Clock for DevClock {
    fn now(&self) -> OffsetDateTime {
        let offset = self.offset_seconds.load(Ordering::SeqCst);
        // Moves keep the offset in range; real time passing cannot take it
        // out for thousands of years. Fall back to real time rather than panic.
        let real = OffsetDateTime::now_utc();
        to_second(in_range(real, offset).unwrap_or(real))
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

    #[test]
    fn a_test_clock_goes_anywhere() {
        let start = time::macros::datetime!(2031-01-01 00:00:00 UTC);
        let clock = DevClock::for_tests(start);
        assert!((clock.now() - start).whole_seconds().abs() <= 1);
        let past = time::macros::datetime!(2020-02-29 12:00:00 UTC);
        let moved = clock.set(past).expect("a test clock goes back");
        assert!((moved - past).whole_seconds().abs() <= 1);
        assert!(clock.advance(-86_400).is_ok());
    }

    #[test]
    fn huge_moves_are_refused_and_leave_the_clock_alone() {
        for clock in [
            DevClock::new(),
            DevClock::for_tests(OffsetDateTime::now_utc()),
        ] {
            let before = clock.now();
            assert_eq!(
                clock.advance(1_000_000_000_000_000),
                Err(ClockError::OutOfRange)
            );
            assert_eq!(clock.advance(i64::MAX), Err(ClockError::OutOfRange));
            assert_eq!(
                clock.set(time::macros::datetime!(9999-12-31 00:00:00 UTC)),
                Err(ClockError::OutOfRange)
            );
            assert!((clock.now() - before).whole_seconds().abs() <= 1);
        }
        let test_clock = DevClock::for_tests(OffsetDateTime::now_utc());
        assert_eq!(test_clock.advance(i64::MIN), Err(ClockError::OutOfRange));
    }
}
