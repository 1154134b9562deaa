//! Reading and showing instants in a policy's time zone, for forms and
//! countdowns (the browser uses these too).

use jiff::{Timestamp, civil::DateTime, tz::TimeZone};
use time::OffsetDateTime;

/// The instant of a local wall time (`YYYY-MM-DDTHH:MM`, as a
/// `datetime-local` input gives it) in `time_zone`. In a DST gap or fold
/// the later reading is taken.
#[must_use]
pub fn local_to_instant(local: &str, time_zone: &str) -> Option<OffsetDateTime> {
    let tz = TimeZone::get(time_zone).ok()?;
    let civil: DateTime = local.trim().parse().ok()?;
    let zoned = tz.to_ambiguous_zoned_datetime(civil).later().ok()?;
    OffsetDateTime::from_unix_timestamp(zoned.timestamp().as_second()).ok()
}

/// `YYYY-MM-DD HH:MM:SS` of an instant in `time_zone`.
#[must_use]
pub fn format_local(instant: OffsetDateTime, time_zone: &str) -> String {
    let tz = TimeZone::get(time_zone).unwrap_or(TimeZone::UTC);
    match Timestamp::from_second(instant.unix_timestamp()) {
        Ok(ts) => tz.to_datetime(ts).strftime("%Y-%m-%d %H:%M:%S").to_string(),
        Err(_) => String::new(),
    }
}

/// The local date of an instant in `time_zone` (UTC for an unknown zone).
#[must_use]
pub fn local_date(instant: OffsetDateTime, time_zone: &str) -> time::Date {
    let tz = TimeZone::get(time_zone).unwrap_or(TimeZone::UTC);
    Timestamp::from_second(instant.unix_timestamp())
        .ok()
        .and_then(|ts| {
            let d = tz.to_datetime(ts).date();
            let month = time::Month::try_from(u8::try_from(d.month()).ok()?).ok()?;
            time::Date::from_calendar_date(i32::from(d.year()), month, u8::try_from(d.day()).ok()?)
                .ok()
        })
        .unwrap_or_else(|| instant.date())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn local_dates_are_the_zone_s() {
        // 16:30 UTC on 1 December is already 2 December in Shanghai.
        let t = datetime!(2026-12-01 16:30 UTC);
        assert_eq!(
            local_date(t, "Asia/Shanghai"),
            time::macros::date!(2026 - 12 - 02)
        );
        assert_eq!(
            local_date(t, "America/Los_Angeles"),
            time::macros::date!(2026 - 12 - 01)
        );
        assert_eq!(
            local_date(t, "Nowhere/Else"),
            time::macros::date!(2026 - 12 - 01)
        );
    }

    #[test]
    fn wall_times_round_trip_through_the_zone() {
        assert_eq!(
            local_to_instant("2027-01-31T23:30", "Asia/Shanghai"),
            Some(datetime!(2027-01-31 15:30:00 UTC))
        );
        assert_eq!(
            format_local(datetime!(2027-04-01 15:59:59 UTC), "Asia/Shanghai"),
            "2027-04-01 23:59:59"
        );
        // 02:30 does not exist in Berlin on 28 March 2027: the later reading.
        assert_eq!(
            local_to_instant("2027-03-28T02:30", "Europe/Berlin"),
            Some(datetime!(2027-03-28 01:30:00 UTC))
        );
        assert_eq!(local_to_instant("not a time", "Asia/Shanghai"), None);
        assert_eq!(local_to_instant("2027-01-01T00:00", "Mars/Olympus"), None);
    }
}
