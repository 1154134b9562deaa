//! Date ranges over a dated category (`?from=YYYY-MM-DD&to=YYYY-MM-DD`):
//! what the holder filters a page by and deletes at once (Weixin guideline
//! §6.2). Both bounds are whole days in the holder's time zone and
//! inclusive; either may be left open.

use crate::deadlines::local_to_instant;
use time::{Date, OffsetDateTime, macros::date};

/// The earliest day a range may name: nothing the portal holds is older.
pub const EARLIEST: Date = date!(1970 - 01 - 01);
/// The latest day a range may name.
pub const LATEST: Date = date!(2999 - 12 - 31);

/// Inclusive days, each bound optional.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// Why a range was refused; each names its field and a stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    /// Not a calendar day written `YYYY-MM-DD`.
    #[error("Write the day as YYYY-MM-DD, for example 2026-03-31.")]
    InvalidDate(&'static str),
    /// Before 1970 or after 2999.
    #[error("Choose a day between 1970-01-01 and 2999-12-31.")]
    OutOfBounds(&'static str),
    /// `from` after `to`.
    #[error("The first day comes after the last; swap them.")]
    Inverted,
}

impl RangeError {
    /// The stable code (DESIGN §9).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            RangeError::InvalidDate(_) => "invalid_date",
            RangeError::OutOfBounds(_) => "date_out_of_range",
            RangeError::Inverted => "inverted_range",
        }
    }

    /// The query parameter at fault.
    #[must_use]
    pub fn field(self) -> &'static str {
        match self {
            RangeError::InvalidDate(f) | RangeError::OutOfBounds(f) => f,
            RangeError::Inverted => "from",
        }
    }
}

/// `YYYY-MM-DD`, exactly (four-digit year, two-digit month and day).
#[must_use]
pub fn parse_day(raw: &str) -> Option<Date> {
    let b = raw.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| {
        b[r.clone()]
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| raw[r].parse::<u16>().ok())
            .flatten()
    };
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(i32::from(year), month, u8::try_from(day).ok()?).ok()
}

impl DateRange {
    /// Reads the two query parameters; an empty one is an open bound.
    ///
    /// # Errors
    /// [`RangeError`] for a malformed or impossible day, a day outside
    /// 1970–2999, or `from` after `to`.
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<DateRange, RangeError> {
        let day = |raw: Option<&str>, field: &'static str| -> Result<Option<Date>, RangeError> {
            let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
                return Ok(None);
            };
            let day = parse_day(raw).ok_or(RangeError::InvalidDate(field))?;
            if !(EARLIEST..=LATEST).contains(&day) {
                return Err(RangeError::OutOfBounds(field));
            }
            Ok(Some(day))
        };
        let range = DateRange {
            from: day(from, "from")?,
            to: day(to, "to")?,
        };
        if let (Some(from), Some(to)) = (range.from, range.to)
            && from > to
        {
            return Err(RangeError::Inverted);
        }
        Ok(range)
    }

    /// Neither bound given: the whole category.
    #[must_use]
    pub fn is_open(self) -> bool {
        self.from.is_none() && self.to.is_none()
    }

    /// Whether `day` lies inside.
    #[must_use]
    pub fn contains(self, day: Date) -> bool {
        self.from.is_none_or(|f| day >= f) && self.to.is_none_or(|t| day <= t)
    }

    /// The half-open instants `[start, end)` of the range in `time_zone`:
    /// local midnight of `from`, local midnight after `to`.
    #[must_use]
    pub fn instants(self, time_zone: &str) -> (Option<OffsetDateTime>, Option<OffsetDateTime>) {
        let midnight = |day: Date| {
            local_to_instant(&format!("{day}T00:00"), time_zone)
                .unwrap_or_else(|| day.midnight().assume_utc())
        };
        (
            self.from.map(midnight),
            self.to.map(|t| midnight(t.next_day().unwrap_or(t))),
        )
    }

    /// `2026-01-01..2026-01-31`, `..2026-01-31`, `2026-01-01..`: for
    /// receipts and file names.
    #[must_use]
    pub fn label(self) -> String {
        let side = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        format!("{}..{}", side(self.from), side(self.to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn ranges_read_as_written_and_bad_ones_say_why() {
        let ok = |from, to| DateRange::parse(from, to).expect("accepted");
        let d = |s| parse_day(s).expect("a day");
        assert_eq!(ok(None, None), DateRange::default());
        assert_eq!(ok(Some(""), Some(" ")), DateRange::default());
        assert_eq!(
            ok(Some("2026-01-01"), Some("2026-01-31")),
            DateRange {
                from: Some(d("2026-01-01")),
                to: Some(d("2026-01-31"))
            }
        );
        assert_eq!(
            ok(Some("2026-02-28"), Some("2026-02-28")).label(),
            "2026-02-28..2026-02-28"
        );
        assert_eq!(ok(None, Some("2026-02-28")).label(), "..2026-02-28");
        let table: [(Option<&str>, Option<&str>, &str, &str); 10] = [
            (Some("2026-1-01"), None, "invalid_date", "from"),
            (Some("2026-02-30"), None, "invalid_date", "from"),
            (None, Some("yesterday"), "invalid_date", "to"),
            (None, Some("2026-13-01"), "invalid_date", "to"),
            (None, Some("+026-01-01"), "invalid_date", "to"),
            (Some("20260101"), None, "invalid_date", "from"),
            (Some("1969-12-31"), None, "date_out_of_range", "from"),
            (None, Some("3000-01-01"), "date_out_of_range", "to"),
            (
                Some("2026-02-01"),
                Some("2026-01-31"),
                "inverted_range",
                "from",
            ),
            (Some("0000-01-01"), None, "date_out_of_range", "from"),
        ];
        for (from, to, code, field) in table {
            let e = DateRange::parse(from, to).expect_err("refused");
            assert_eq!((e.code(), e.field()), (code, field), "{from:?} {to:?}");
        }
    }

    #[test]
    fn days_are_the_holder_s_and_the_last_is_inclusive() {
        let r = DateRange::parse(Some("2026-03-01"), Some("2026-03-31")).expect("range");
        // Shanghai is UTC+8: 1 March starts at 16:00 UTC on 28 February.
        assert_eq!(
            r.instants("Asia/Shanghai"),
            (
                Some(datetime!(2026-02-28 16:00 UTC)),
                Some(datetime!(2026-03-31 16:00 UTC))
            )
        );
        // New York changes to summer time on 8 March 2026: the range
        // still starts and ends at local midnight.
        assert_eq!(
            r.instants("America/New_York"),
            (
                Some(datetime!(2026-03-01 05:00 UTC)),
                Some(datetime!(2026-04-01 04:00 UTC))
            )
        );
        assert_eq!(DateRange::default().instants("UTC"), (None, None));
        assert!(r.contains(date!(2026 - 03 - 31)));
        assert!(!r.contains(date!(2026 - 04 - 01)));
        assert!(!r.contains(date!(2026 - 02 - 28)));
        assert!(DateRange::default().contains(date!(1999 - 01 - 01)));
    }
}
