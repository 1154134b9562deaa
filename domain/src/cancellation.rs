//! Cancelling an account (Weixin guideline §6.5, QQ rules §10): a cooling-off
//! period during which the holder can undo, a reminder three days before it
//! ends, and a legal hold (freeze) that stops the clock until it is released.
//!
//! The state is three instants: when the holder asked, when deletion takes
//! effect, and — while frozen — since when the clock has stood still. A
//! release moves the effective instant on by exactly the time the hold lasted,
//! so a freeze never shortens the holder's chance to undo.

use time::{Duration, OffsetDateTime};

/// The cooling-off period when the administrator has set none (days).
pub const DEFAULT_COOLING_OFF_DAYS: u32 = 15;
/// The shortest cooling-off period an administrator may set (days).
pub const MIN_COOLING_OFF_DAYS: u32 = 1;
/// The longest cooling-off period an administrator may set (days).
pub const MAX_COOLING_OFF_DAYS: u32 = 90;
/// The reminder e-mail goes out this long before deletion.
pub const REMINDER_BEFORE: Duration = Duration::days(3);
/// The longest freeze reason (characters).
pub const MAX_REASON_CHARS: usize = 500;

/// A cancellation in cooling-off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cooling {
    /// When the holder asked.
    pub requested_at: OffsetDateTime,
    /// When deletion takes effect (moved on by every hold).
    pub effective_at: OffsetDateTime,
    /// Since when a freeze has held the clock, if one does.
    pub paused_at: Option<OffsetDateTime>,
}

/// What is due for a cancellation at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    /// Nothing yet.
    Nothing,
    /// The reminder (three days before, or at once when the period is
    /// shorter than that).
    Reminder,
    /// Deletion.
    Completion,
    /// Frozen: nothing happens until the hold is released.
    Held,
}

/// A cooling-off period the administrator entered, refused outside
/// [`MIN_COOLING_OFF_DAYS`]..=[`MAX_COOLING_OFF_DAYS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "The cooling-off period must be between {MIN_COOLING_OFF_DAYS} and {MAX_COOLING_OFF_DAYS} days."
)]
pub struct BadPeriod;

/// Checks an administrator's cooling-off period.
///
/// # Errors
/// [`BadPeriod`] outside the allowed days.
pub fn check_days(days: i64) -> Result<u32, BadPeriod> {
    u32::try_from(days)
        .ok()
        .filter(|d| (MIN_COOLING_OFF_DAYS..=MAX_COOLING_OFF_DAYS).contains(d))
        .ok_or(BadPeriod)
}

/// Why a freeze reason is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BadReason {
    /// Empty or only spaces.
    #[error("Give the reason for the hold; the holder may be told it.")]
    Empty,
    /// Longer than [`MAX_REASON_CHARS`].
    #[error("The reason is longer than {MAX_REASON_CHARS} characters.")]
    TooLong,
}

/// A freeze reason, trimmed.
///
/// # Errors
/// [`BadReason`] when empty or too long.
pub fn check_reason(raw: &str) -> Result<String, BadReason> {
    let reason = raw.trim();
    if reason.is_empty() {
        Err(BadReason::Empty)
    } else if reason.chars().count() > MAX_REASON_CHARS {
        Err(BadReason::TooLong)
    } else {
        Ok(reason.to_owned())
    }
}

impl Cooling {
    /// A cancellation asked for at `now` with `days` of cooling-off; held at
    /// once when the account is frozen.
    #[must_use]
    pub fn start(now: OffsetDateTime, days: u32, frozen: bool) -> Cooling {
        Cooling {
            requested_at: now,
            effective_at: now + Duration::days(i64::from(days)),
            paused_at: frozen.then_some(now),
        }
    }

    /// A freeze begins at `now` (no change when already held).
    #[must_use]
    pub fn hold(self, now: OffsetDateTime) -> Cooling {
        Cooling {
            paused_at: self.paused_at.or(Some(now)),
            ..self
        }
    }

    /// The freeze is released at `now`: deletion moves on by the time held.
    #[must_use]
    pub fn release(self, now: OffsetDateTime) -> Cooling {
        match self.paused_at {
            Some(since) => Cooling {
                effective_at: self.effective_at + (now - since).max(Duration::ZERO),
                paused_at: None,
                ..self
            },
            None => self,
        }
    }

    /// When the reminder goes out.
    #[must_use]
    pub fn reminder_at(self) -> OffsetDateTime {
        (self.effective_at - REMINDER_BEFORE).max(self.requested_at)
    }

    /// What is due at `now`, given whether the reminder has gone out.
    #[must_use]
    pub fn due(self, now: OffsetDateTime, reminded: bool) -> Due {
        if self.paused_at.is_some() {
            Due::Held
        } else if now >= self.effective_at {
            Due::Completion
        } else if !reminded && now >= self.reminder_at() {
            Due::Reminder
        } else {
            Due::Nothing
        }
    }

    /// Whole days left before deletion at `now`, rounded up (0 once due);
    /// while held, the days that will remain when the hold ends.
    #[must_use]
    pub fn days_left(self, now: OffsetDateTime) -> i64 {
        let at = self.paused_at.map_or(now, |since| since.min(now));
        let left = (self.effective_at - at).whole_seconds();
        if left <= 0 {
            0
        } else {
            (left + 86_399) / 86_400
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2027-03-01 10:00 UTC);

    #[test]
    fn periods() {
        for (days, ok) in [
            (-1, None),
            (0, None),
            (1, Some(1)),
            (15, Some(15)),
            (90, Some(90)),
            (91, None),
            (i64::MAX, None),
        ] {
            assert_eq!(check_days(days).ok(), ok, "{days}");
        }
    }

    #[test]
    fn reasons() {
        assert_eq!(
            check_reason("  court order 17  "),
            Ok("court order 17".into())
        );
        assert_eq!(check_reason("   "), Err(BadReason::Empty));
        assert_eq!(check_reason(&"x".repeat(500)).map(|r| r.len()), Ok(500));
        assert_eq!(check_reason(&"是".repeat(501)), Err(BadReason::TooLong));
    }

    #[test]
    fn what_is_due_when() {
        let c = Cooling::start(T0, 15, false);
        assert_eq!(c.effective_at, datetime!(2027-03-16 10:00 UTC));
        assert_eq!(c.reminder_at(), datetime!(2027-03-13 10:00 UTC));
        for (at, reminded, due) in [
            (T0, false, Due::Nothing),
            (datetime!(2027-03-13 09:59:59 UTC), false, Due::Nothing),
            (datetime!(2027-03-13 10:00 UTC), false, Due::Reminder),
            (datetime!(2027-03-13 10:00 UTC), true, Due::Nothing),
            (datetime!(2027-03-16 09:59:59 UTC), true, Due::Nothing),
            (datetime!(2027-03-16 10:00 UTC), true, Due::Completion),
            // A missed reminder does not hold deletion back.
            (datetime!(2027-03-20 10:00 UTC), false, Due::Completion),
        ] {
            assert_eq!(c.due(at, reminded), due, "{at} reminded={reminded}");
        }
        // A period shorter than the reminder's lead: the reminder at once.
        let short = Cooling::start(T0, 1, false);
        assert_eq!(short.reminder_at(), T0);
        assert_eq!(short.due(T0, false), Due::Reminder);
    }

    #[test]
    fn a_hold_stops_the_clock_and_gives_the_time_back() {
        let c = Cooling::start(T0, 15, false);
        let held = c.hold(datetime!(2027-03-10 10:00 UTC));
        assert_eq!(held.due(datetime!(2027-04-30 10:00 UTC), false), Due::Held);
        assert_eq!(held.days_left(datetime!(2027-04-30 10:00 UTC)), 6);
        // A second freeze does not move the start of the hold.
        assert_eq!(held.hold(datetime!(2027-03-12 10:00 UTC)), held);
        let released = held.release(datetime!(2027-03-20 10:00 UTC));
        assert_eq!(released.paused_at, None);
        assert_eq!(released.effective_at, datetime!(2027-03-26 10:00 UTC));
        assert_eq!(released.days_left(datetime!(2027-03-20 10:00 UTC)), 6);
        // Releasing what is not held changes nothing.
        assert_eq!(c.release(datetime!(2027-03-20 10:00 UTC)), c);
        // Asked for while frozen: held from the start, the full period after.
        let frozen = Cooling::start(T0, 15, true);
        assert_eq!(
            frozen.due(datetime!(2027-06-01 10:00 UTC), false),
            Due::Held
        );
        assert_eq!(
            frozen.release(datetime!(2027-04-01 10:00 UTC)).effective_at,
            datetime!(2027-04-16 10:00 UTC)
        );
    }

    #[test]
    fn days_left_round_up() {
        let c = Cooling::start(T0, 15, false);
        for (at, left) in [
            (T0, 15),
            (T0 + Duration::seconds(1), 15),
            (T0 + Duration::days(1), 14),
            (datetime!(2027-03-16 09:00 UTC), 1),
            (datetime!(2027-03-16 10:00 UTC), 0),
            (datetime!(2027-04-16 10:00 UTC), 0),
        ] {
            assert_eq!(c.days_left(at), left, "{at}");
        }
    }
}
