//! Working-day calendars, kept as data files (`domain/calendars/*.txt`).

use jiff::civil::{Date, Weekday};
use std::collections::BTreeSet;

/// Why a calendar could not answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// No calendar has this name.
    #[error("there is no working-day calendar named {0:?}")]
    Unknown(String),
    /// The date is outside the dates the calendar knows.
    #[error("the {calendar} calendar does not cover {date}")]
    OutOfRange {
        /// The calendar's name.
        calendar: String,
        /// The date asked about.
        date: Date,
    },
    /// A line of the data file is malformed.
    #[error("calendar data line {line}: {reason}")]
    Malformed {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
}

/// A working-day calendar: weekends and holidays off, make-up days on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    name: String,
    from: Date,
    to: Date,
    holidays: BTreeSet<Date>,
    workdays: BTreeSet<Date>,
    provisional: Vec<(Date, Date)>,
}

const CN_MAINLAND: &str = include_str!("../../calendars/cn-mainland.txt");

impl Calendar {
    /// The shipped calendar with this name.
    ///
    /// # Errors
    /// [`CalendarError::Unknown`] for a name no file provides.
    pub fn named(name: &str) -> Result<Calendar, CalendarError> {
        // Parsed once per process: the engine asks for it on every computation.
        static CN: std::sync::OnceLock<Result<Calendar, CalendarError>> =
            std::sync::OnceLock::new();
        match name {
            "cn-mainland" => CN
                .get_or_init(|| Calendar::parse(name, CN_MAINLAND))
                .clone(),
            _ => Err(CalendarError::Unknown(name.to_owned())),
        }
    }

    /// Reads a calendar data file.
    ///
    /// # Errors
    /// [`CalendarError::Malformed`] naming the line.
    pub fn parse(name: &str, text: &str) -> Result<Calendar, CalendarError> {
        let mut range = None;
        let mut holidays = BTreeSet::new();
        let mut workdays = BTreeSet::new();
        let mut provisional = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let malformed = |reason: &str| CalendarError::Malformed {
                line: index + 1,
                reason: reason.to_owned(),
            };
            let mut words = line.split_whitespace();
            let keyword = words.next().unwrap_or_default();
            let dates: Vec<Date> = words
                .map(|w| {
                    w.parse::<Date>()
                        .map_err(|_| malformed("expected a YYYY-MM-DD date"))
                })
                .collect::<Result<_, _>>()?;
            let (first, last) = match dates.as_slice() {
                [one] => (*one, *one),
                [from, to] if from <= to => (*from, *to),
                _ => return Err(malformed("expected one date or an ordered pair")),
            };
            match keyword {
                "range" => range = Some((first, last)),
                "provisional" => provisional.push((first, last)),
                "holiday" => {
                    let mut day = first;
                    while day <= last {
                        holidays.insert(day);
                        day = day.tomorrow().map_err(|_| malformed("date out of range"))?;
                    }
                }
                "workday" if first == last => {
                    workdays.insert(first);
                }
                _ => return Err(malformed("unknown line")),
            }
        }
        let (from, to) = range.ok_or(CalendarError::Malformed {
            line: 0,
            reason: "no range line".into(),
        })?;
        Ok(Calendar {
            name: name.to_owned(),
            from,
            to,
            holidays,
            workdays,
            provisional,
        })
    }

    /// The calendar's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether `date` is a working day.
    ///
    /// # Errors
    /// [`CalendarError::OutOfRange`] outside the calendar's dates.
    pub fn is_working_day(&self, date: Date) -> Result<bool, CalendarError> {
        if date < self.from || date > self.to {
            return Err(CalendarError::OutOfRange {
                calendar: self.name.clone(),
                date,
            });
        }
        if self.workdays.contains(&date) {
            return Ok(true);
        }
        let weekend = matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday);
        Ok(!weekend && !self.holidays.contains(&date))
    }

    /// Whether `date` falls in a part of the calendar not yet published.
    #[must_use]
    pub fn is_provisional(&self, date: Date) -> bool {
        self.provisional
            .iter()
            .any(|(from, to)| *from <= date && date <= *to)
    }

    /// The `n`th working day after `date` (`n = 0` gives `date` itself).
    ///
    /// # Errors
    /// When the count leaves the calendar's dates.
    pub fn add_working_days(&self, date: Date, n: u32) -> Result<Date, CalendarError> {
        let mut day = date;
        for _ in 0..n {
            day = self.next_working_day(day)?;
        }
        Ok(day)
    }

    /// The first working day after `date`.
    ///
    /// # Errors
    /// When it would leave the calendar's dates.
    pub fn next_working_day(&self, date: Date) -> Result<Date, CalendarError> {
        let out_of_range = || CalendarError::OutOfRange {
            calendar: self.name.clone(),
            date,
        };
        let mut day = date.tomorrow().map_err(|_| out_of_range())?;
        while !self.is_working_day(day)? {
            day = day.tomorrow().map_err(|_| out_of_range())?;
        }
        Ok(day)
    }

    /// `date` if it is a working day, else the next one.
    ///
    /// # Errors
    /// When it would leave the calendar's dates.
    pub fn on_or_after(&self, date: Date) -> Result<Date, CalendarError> {
        if self.is_working_day(date)? {
            Ok(date)
        } else {
            self.next_working_day(date)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn mainland_china_2026_follows_the_state_council_notice() {
        let cn = Calendar::named("cn-mainland").expect("shipped");
        let cases = [
            (date(2026, 1, 1), false, "New Year's Day"),
            (date(2026, 1, 4), true, "Sunday made a working day"),
            (
                date(2026, 2, 14),
                true,
                "Saturday before the Spring Festival",
            ),
            (date(2026, 2, 16), false, "Spring Festival Monday"),
            (
                date(2026, 2, 23),
                false,
                "last Spring Festival day, a Monday",
            ),
            (date(2026, 2, 24), true, "back to work"),
            (
                date(2026, 2, 28),
                true,
                "Saturday after the Spring Festival",
            ),
            (date(2026, 5, 9), true, "Saturday after Labour Day"),
            (date(2026, 9, 20), true, "Sunday before National Day"),
            (date(2026, 10, 7), false, "last National Day holiday"),
            (date(2026, 10, 10), true, "Saturday after National Day"),
            (date(2026, 10, 11), false, "an ordinary Sunday"),
            (date(2026, 11, 30), true, "an ordinary Monday"),
        ];
        for (day, working, why) in cases {
            assert_eq!(cn.is_working_day(day), Ok(working), "{day}: {why}");
        }
        assert!(!cn.is_provisional(date(2026, 6, 1)));
        assert!(cn.is_provisional(date(2027, 6, 1)));
    }

    #[test]
    fn dates_outside_the_calendar_are_errors() {
        let cn = Calendar::named("cn-mainland").expect("shipped");
        assert!(matches!(
            cn.is_working_day(date(2025, 12, 31)),
            Err(CalendarError::OutOfRange { .. })
        ));
        assert!(matches!(
            cn.add_working_days(date(2027, 12, 20), 15),
            Err(CalendarError::OutOfRange { .. })
        ));
        assert_eq!(
            Calendar::named("mars"),
            Err(CalendarError::Unknown("mars".into()))
        );
    }

    #[test]
    fn malformed_data_names_the_line() {
        let bad = "range 2026-01-01 2026-12-31\nholiday 2026-13-01\n";
        assert!(matches!(
            Calendar::parse("x", bad),
            Err(CalendarError::Malformed { line: 2, .. })
        ));
        assert!(matches!(
            Calendar::parse("x", "holiday 2026-01-01"),
            Err(CalendarError::Malformed { line: 0, .. })
        ));
    }
}
