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
}
