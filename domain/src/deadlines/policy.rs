//! Deadline policies as data, and the presets the portal ships.

use serde::{Deserialize, Serialize};

/// What a length counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Exact hours.
    Hours,
    /// Calendar days, ending at the end of the last local day.
    CalendarDays,
    /// Working days of the policy's calendar.
    WorkingDays,
    /// Calendar months (same date, or the month's last day).
    Months,
}

/// A length: an amount of a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    /// How many.
    pub length: u32,
    /// Of what.
    pub unit: Unit,
}

impl Period {
    /// `length` of `unit`.
    #[must_use]
    pub const fn new(length: u32, unit: Unit) -> Self {
        Period { length, unit }
    }

    /// The most exact time this period can span, wherever it is counted
    /// from: a bound for look-aheads such as the sweeper's. A calendar day
    /// ends at the end of a local day (up to a day more than 24 hours);
    /// working days average under 1.5 calendar days, so two each and 16
    /// more cover weekends and the longest holiday runs; a month has at
    /// most 31 days.
    #[must_use]
    pub fn longest(&self) -> time::Duration {
        let n = i64::from(self.length);
        match self.unit {
            Unit::Hours => time::Duration::hours(n),
            Unit::CalendarDays => time::Duration::days(n + 1),
            Unit::WorkingDays => time::Duration::days(2 * n + 16),
            Unit::Months => time::Duration::days(31 * n + 1),
        }
    }
}

/// The event that starts the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClockStart {
    /// The request was received.
    Receipt,
    /// The requester's identity was verified.
    Verification,
}

/// What happens when the last day is not a working day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RollForward {
    /// The period ends on its last day regardless (the stricter reading).
    #[default]
    None,
    /// It ends on the next working day of the calendar.
    NextWorkingDay,
}

/// How a policy may be extended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExtensionRule {
    /// The longest one extension may be.
    pub period: Period,
    /// How many extensions are allowed in all.
    pub max_times: u32,
}

/// A deadline policy: everything the engine needs to count one kind of clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeadlinePolicy {
    /// Stable name, e.g. `guideline-30`.
    pub name: String,
    /// The legal source, for people.
    pub source: String,
    /// The length of the period.
    pub period: Period,
    /// What starts the clock.
    pub clock_start: ClockStart,
    /// Whether waiting for the requester pauses the clock.
    pub pause_while_awaiting_requester: bool,
    /// The extension allowed, if any.
    pub extension: Option<ExtensionRule>,
    /// Reminders before the due instant (days or hours).
    pub reminders: Vec<Period>,
    /// IANA zone the days are counted in.
    pub time_zone: String,
    /// Working-day calendar, needed for working days and roll-forward.
    pub calendar: Option<String>,
    /// What a last day that is not a working day does.
    pub roll_forward: RollForward,
}

fn days_reminders() -> Vec<Period> {
    vec![
        Period::new(7, Unit::CalendarDays),
        Period::new(3, Unit::CalendarDays),
        Period::new(1, Unit::CalendarDays),
    ]
}

fn policy(
    name: &str,
    source: &str,
    period: Period,
    clock_start: ClockStart,
    time_zone: &str,
) -> DeadlinePolicy {
    DeadlinePolicy {
        name: name.to_owned(),
        source: source.to_owned(),
        period,
        clock_start,
        pause_while_awaiting_requester: false,
        extension: None,
        reminders: days_reminders(),
        time_zone: time_zone.to_owned(),
        calendar: None,
        roll_forward: RollForward::None,
    }
}

/// Why an edited policy is refused: the field at fault, a stable code and a
/// sentence a person can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PolicyError {
    /// The policy's field.
    pub field: &'static str,
    /// `invalid_policy`, or the engine's code when it cannot count.
    pub code: &'static str,
    /// What to change.
    pub message: String,
}

impl DeadlinePolicy {
    /// Checks a policy an administrator edited: the bounds of every length,
    /// a calendar for working days, a named source, and one computation
    /// with it (so a zone or calendar the engine does not know is refused
    /// before any request runs under it).
    ///
    /// # Errors
    /// The first rule the policy breaks.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let invalid = |field: &'static str, message: &str| {
            Err(PolicyError {
                field,
                code: "invalid_policy",
                message: message.to_owned(),
            })
        };
        if self.period.length == 0 || self.period.length > 3650 {
            return invalid("period", "period.length: between 1 and 3650.");
        }
        if self.period.unit == Unit::WorkingDays && self.calendar.is_none() {
            return invalid(
                "calendar",
                "calendar: a working-day policy needs a calendar.",
            );
        }
        if self.reminders.len() > 10
            || self
                .reminders
                .iter()
                .any(|r| r.length == 0 || r.length > 365)
        {
            return invalid("reminders", "reminders: at most 10, each 1 to 365.");
        }
        if let Some(ext) = self.extension
            && (ext.max_times > 5 || ext.period.length == 0 || ext.period.length > 3650)
        {
            return invalid("extension", "extension: at most 5 times, each 1 to 3650.");
        }
        if self.source.trim().is_empty() {
            return invalid("source", "source: name the legal source.");
        }
        let probe = time::macros::datetime!(2026-06-01 02:00:00 UTC);
        super::compute(self, probe, &[], &[])
            .map(|_| ())
            .map_err(|e| PolicyError {
                field: e.field(),
                code: e.code(),
                message: format!("The policy cannot count: {e}."),
            })
    }
}

/// Every preset, in the order the portal lists them.
#[must_use]
pub fn presets() -> Vec<DeadlinePolicy> {
    let once = |length, unit| {
        Some(ExtensionRule {
            period: Period::new(length, unit),
            max_times: 1,
        })
    };
    vec![
        // Weixin Privacy Protection Guideline §10: an answer within 30 days
        // after the requester's identity is verified.
        DeadlinePolicy {
            pause_while_awaiting_requester: true,
            extension: once(30, Unit::CalendarDays),
            ..policy(
                "guideline-30",
                "Weixin Privacy Protection Guideline §10: within 30 days of verifying identity",
                Period::new(30, Unit::CalendarDays),
                ClockStart::Verification,
                "Asia/Shanghai",
            )
        },
        // Tencent Privacy Policy, "Retention": requests to the Privacy Officer
        // are answered within 60 days of receipt.
        DeadlinePolicy {
            extension: once(30, Unit::CalendarDays),
            ..policy(
                "privacy-officer-60",
                "Tencent Privacy Policy, \"Retention\": within 60 days of receipt",
                Period::new(60, Unit::CalendarDays),
                ClockStart::Receipt,
                "Asia/Shanghai",
            )
        },
        // QQ Number Service terms §3.6: account re-access requests are handled
        // within 4 hours (a service level, flagged when missed).
        DeadlinePolicy {
            reminders: vec![Period::new(1, Unit::Hours)],
            ..policy(
                "reaccess-4h",
                "QQ Number Service terms §3.6: within 4 hours of receipt",
                Period::new(4, Unit::Hours),
                ClockStart::Receipt,
                "Asia/Shanghai",
            )
        },
        // GDPR Art. 12(3): one month of receipt, extendable by two further
        // months; the clock stops while identity or clarification is awaited
        // (EDPB Guidelines 01/2022 on the right of access, §5.3). No roll to
        // a working day: holidays are the Member State's, and ending on the
        // date itself is the stricter reading.
        DeadlinePolicy {
            pause_while_awaiting_requester: true,
            extension: once(2, Unit::Months),
            ..policy(
                "gdpr-1m",
                "GDPR Art. 12(3): one month of receipt, extendable by two months",
                Period::new(1, Unit::Months),
                ClockStart::Receipt,
                "Europe/Berlin",
            )
        },
        // CCPA, Cal. Civ. Code §1798.130(a)(2) and 11 CCR §7021(b): 45 calendar
        // days from receipt whatever verification takes; one extension of 45.
        DeadlinePolicy {
            extension: once(45, Unit::CalendarDays),
            ..policy(
                "ccpa-45",
                "CCPA §1798.130(a)(2), 11 CCR §7021(b): 45 days of receipt, one 45-day extension",
                Period::new(45, Unit::CalendarDays),
                ClockStart::Receipt,
                "America/Los_Angeles",
            )
        },
        // PIPL Art. 50 asks for a timely answer; practice in China (the 2019
        // App governance rules, GB/T 35273) answers within 15 working days.
        DeadlinePolicy {
            calendar: Some("cn-mainland".into()),
            roll_forward: RollForward::NextWorkingDay,
            ..policy(
                "pipl-15wd",
                "PIPL Art. 50 with GB/T 35273 practice: within 15 working days of receipt",
                Period::new(15, Unit::WorkingDays),
                ClockStart::Receipt,
                "Asia/Shanghai",
            )
        },
        // LGPD Art. 19 II: a complete answer within 15 days of the request.
        policy(
            "lgpd-15",
            "LGPD Art. 19 II: within 15 days of the request",
            Period::new(15, Unit::CalendarDays),
            ClockStart::Receipt,
            "America/Sao_Paulo",
        ),
    ]
}

/// The preset with this name.
#[must_use]
pub fn preset(name: &str) -> Option<DeadlinePolicy> {
    presets().into_iter().find(|p| p.name == name)
}
