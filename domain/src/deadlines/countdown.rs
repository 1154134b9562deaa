//! "Due today", "3 days left", "2 days overdue": a due instant as a person
//! reads it, in both languages.

use crate::Locale;
use jiff::{Timestamp, tz::TimeZone};
use time::OffsetDateTime;

/// How far a due instant is, in local days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DaysLeft {
    /// Due on today's local date, not yet passed.
    DueToday,
    /// Due on a later local date: how many days from today.
    Left(i64),
    /// Passed: by how many local dates (0 when it passed earlier today).
    Overdue(i64),
}

/// Days between `now` and `due_at`, counted in local dates of `time_zone`
/// (an unknown zone counts in UTC).
#[must_use]
pub fn days_left(due_at: OffsetDateTime, now: OffsetDateTime, time_zone: &str) -> DaysLeft {
    let tz = TimeZone::get(time_zone).unwrap_or(TimeZone::UTC);
    let date = |t: OffsetDateTime| {
        Timestamp::from_second(t.unix_timestamp()).map(|ts| tz.to_datetime(ts).date())
    };
    let (Ok(due_day), Ok(today)) = (date(due_at), date(now)) else {
        return DaysLeft::DueToday;
    };
    let days = i64::from((due_day - today).get_days());
    if now > due_at {
        DaysLeft::Overdue(-days)
    } else if days == 0 {
        DaysLeft::DueToday
    } else {
        DaysLeft::Left(days)
    }
}

impl DaysLeft {
    /// The phrase in `locale`.
    #[must_use]
    pub fn describe(self, locale: Locale) -> String {
        match (self, locale) {
            (DaysLeft::DueToday, Locale::En) => "due today".into(),
            (DaysLeft::DueToday, Locale::Zh) => "今天到期".into(),
            (DaysLeft::Left(1), Locale::En) => "1 day left".into(),
            (DaysLeft::Left(n), Locale::En) => format!("{n} days left"),
            (DaysLeft::Left(n), Locale::Zh) => format!("还剩 {n} 天"),
            (DaysLeft::Overdue(0), Locale::En) => "overdue".into(),
            (DaysLeft::Overdue(0), Locale::Zh) => "已逾期".into(),
            (DaysLeft::Overdue(1), Locale::En) => "1 day overdue".into(),
            (DaysLeft::Overdue(n), Locale::En) => format!("{n} days overdue"),
            (DaysLeft::Overdue(n), Locale::Zh) => format!("已逾期 {n} 天"),
        }
    }
}

/// How a due instant reads to a person. A deadline counted in days ends at
/// the end of a local day and reads in local dates ([`days_left`]); one
/// counted in hours (the re-access service level of 4 hours) ends at any
/// minute, and within its last 24 hours reads in hours: "3 hours left" says
/// more than "1 day left" when it crosses midnight.
#[must_use]
pub fn describe_due(
    due_at: OffsetDateTime,
    now: OffsetDateTime,
    time_zone: &str,
    locale: Locale,
) -> String {
    let tz = TimeZone::get(time_zone).unwrap_or(TimeZone::UTC);
    let ends_a_day = Timestamp::from_second(due_at.unix_timestamp())
        .map(|ts| {
            let local = tz.to_datetime(ts);
            (local.hour(), local.minute(), local.second()) == (23, 59, 59)
        })
        .unwrap_or(true);
    let left = due_at - now;
    if ends_a_day || left <= time::Duration::ZERO || left > time::Duration::hours(24) {
        return days_left(due_at, now, time_zone).describe(locale);
    }
    // Whole hours, rounded up: 10 minutes left is "1 hour left".
    let hours = (left.whole_seconds() + 3599) / 3600;
    match (locale, hours) {
        (Locale::En, 1) => "1 hour left".into(),
        (Locale::En, n) => format!("{n} hours left"),
        (Locale::Zh, n) => format!("还剩 {n} 小时"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn days_are_local_dates() {
        // Due at the end of 1 April in Shanghai (15:59:59 UTC).
        let due = datetime!(2027-04-01 15:59:59 UTC);
        let cases = [
            (
                datetime!(2027-04-01 00:00:00 UTC),
                DaysLeft::DueToday,
                "due today",
                "今天到期",
            ),
            (
                datetime!(2027-03-31 16:00:00 UTC),
                DaysLeft::DueToday,
                "due today",
                "今天到期",
            ),
            (
                datetime!(2027-03-31 15:59:59 UTC),
                DaysLeft::Left(1),
                "1 day left",
                "还剩 1 天",
            ),
            (
                datetime!(2027-03-29 02:00:00 UTC),
                DaysLeft::Left(3),
                "3 days left",
                "还剩 3 天",
            ),
            (
                datetime!(2027-04-01 16:00:00 UTC),
                DaysLeft::Overdue(1),
                "1 day overdue",
                "已逾期 1 天",
            ),
            (
                datetime!(2027-04-03 03:00:00 UTC),
                DaysLeft::Overdue(2),
                "2 days overdue",
                "已逾期 2 天",
            ),
        ];
        for (now, expected, en, zh) in cases {
            let left = days_left(due, now, "Asia/Shanghai");
            assert_eq!(left, expected, "now {now}");
            assert_eq!(left.describe(Locale::En), en);
            assert_eq!(left.describe(Locale::Zh), zh);
        }
        // An hour-based deadline passed earlier the same day.
        let left = days_left(
            datetime!(2027-03-02 02:00:00 UTC),
            datetime!(2027-03-02 02:00:01 UTC),
            "Asia/Shanghai",
        );
        assert_eq!(left.describe(Locale::En), "overdue");
    }

    #[test]
    fn hour_deadlines_read_in_hours_in_their_last_day() {
        // A 4-hour deadline received at 22:00 Shanghai ends at 02:00 the next day.
        let due = datetime!(2027-03-01 18:00:00 UTC);
        let cases = [
            (
                datetime!(2027-03-01 14:00:00 UTC),
                "4 hours left",
                "还剩 4 小时",
            ),
            (
                datetime!(2027-03-01 17:50:00 UTC),
                "1 hour left",
                "还剩 1 小时",
            ),
            (
                datetime!(2027-03-01 15:30:00 UTC),
                "3 hours left",
                "还剩 3 小时",
            ),
            // Passed: as any deadline.
            (datetime!(2027-03-01 18:00:01 UTC), "overdue", "已逾期"),
        ];
        for (now, en, zh) in cases {
            assert_eq!(
                describe_due(due, now, "Asia/Shanghai", Locale::En),
                en,
                "now {now}"
            );
            assert_eq!(
                describe_due(due, now, "Asia/Shanghai", Locale::Zh),
                zh,
                "now {now}"
            );
        }
        // A day deadline (ends 23:59:59 local) keeps reading in days.
        let day_due = datetime!(2027-04-01 15:59:59 UTC);
        assert_eq!(
            describe_due(
                day_due,
                datetime!(2027-04-01 00:00:00 UTC),
                "Asia/Shanghai",
                Locale::En
            ),
            "due today"
        );
        assert_eq!(
            describe_due(
                day_due,
                datetime!(2027-03-31 15:59:59 UTC),
                "Asia/Shanghai",
                Locale::En
            ),
            "1 day left"
        );
    }
}
