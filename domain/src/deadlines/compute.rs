//! Computing a due instant, its reminders and its overdue instant.

use super::calendar::{Calendar, CalendarError};
use super::policy::{DeadlinePolicy, Period, RollForward, Unit};
use jiff::{
    Timestamp,
    civil::{Date, DateTime},
    tz::TimeZone,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A time the clock stood still, waiting for the requester.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    /// When the wait began.
    #[serde(with = "time::serde::rfc3339")]
    pub from: OffsetDateTime,
    /// When the requester answered.
    #[serde(with = "time::serde::rfc3339")]
    pub to: OffsetDateTime,
}

/// An extension granted at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// When it was granted.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Its length in the policy's extension unit; the policy's whole
    /// allowance when absent.
    pub length: Option<u32>,
}

/// The deadlines of one request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// The last instant of the period, in UTC, to the second.
    #[serde(with = "time::serde::rfc3339")]
    pub due_at: OffsetDateTime,
    /// When reminders go out, earliest first (only those after the start).
    pub reminders: Vec<Reminder>,
    /// The first instant at which the request is overdue.
    #[serde(with = "time::serde::rfc3339")]
    pub overdue_at: OffsetDateTime,
    /// Whether a working-day count used dates whose holidays are not yet published.
    pub provisional: bool,
}

/// One reminder instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder(#[serde(with = "time::serde::rfc3339")] pub OffsetDateTime);

/// Why a schedule could not be computed. Each error names the input it is
/// about ([`DeadlineError::field`]) and a stable code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    /// The policy's zone is not an IANA zone name.
    #[error("{0:?} is not a time zone this engine knows")]
    UnknownTimeZone(String),
    /// A working-day count needs a calendar the policy does not name.
    #[error("the policy counts working days but names no calendar")]
    CalendarRequired,
    /// The calendar could not answer.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// A pause begins before the clock started.
    #[error("pause {0} begins before the clock started")]
    PauseBeforeStart(usize),
    /// A pause ends before it begins.
    #[error("pause {0} ends before it begins")]
    PauseReversed(usize),
    /// Two pauses overlap.
    #[error("pause {0} overlaps the one before it")]
    PausesOverlap(usize),
    /// A pause begins after the due instant.
    #[error("pause {0} begins after the due instant")]
    PauseAfterDue(usize),
    /// An extension was asked for after the due instant.
    #[error("extension {0} comes after the due instant")]
    DeadlinePassed(usize),
    /// The policy allows no more (or no longer) extensions.
    #[error("extension {0} goes beyond what the policy allows")]
    ExtensionCapExceeded(usize),
    /// The result would leave the representable range of dates.
    #[error("the deadline falls outside the supported range of dates")]
    OutOfRange,
}

impl DeadlineError {
    /// The stable snake_case code of the API error format.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            DeadlineError::UnknownTimeZone(_) => "unknown_time_zone",
            DeadlineError::CalendarRequired => "calendar_required",
            DeadlineError::Calendar(CalendarError::OutOfRange { .. }) => "outside_calendar",
            DeadlineError::Calendar(_) => "calendar_invalid",
            DeadlineError::PauseBeforeStart(_) => "pause_before_start",
            DeadlineError::PauseReversed(_) => "pause_reversed",
            DeadlineError::PausesOverlap(_) => "pauses_overlap",
            DeadlineError::PauseAfterDue(_) => "pause_after_due",
            DeadlineError::DeadlinePassed(_) => "deadline_passed",
            DeadlineError::ExtensionCapExceeded(_) => "extension_cap_exceeded",
            DeadlineError::OutOfRange => "out_of_range",
        }
    }

    /// The input at fault: `policy`, `start`, `pauses` or `extensions`.
    #[must_use]
    pub fn field(&self) -> &'static str {
        match self {
            DeadlineError::UnknownTimeZone(_) | DeadlineError::CalendarRequired => "policy",
            DeadlineError::Calendar(_) | DeadlineError::OutOfRange => "start",
            DeadlineError::PauseBeforeStart(_)
            | DeadlineError::PauseReversed(_)
            | DeadlineError::PausesOverlap(_)
            | DeadlineError::PauseAfterDue(_) => "pauses",
            DeadlineError::DeadlinePassed(_) | DeadlineError::ExtensionCapExceeded(_) => {
                "extensions"
            }
        }
    }

    /// Whether the rules refuse the request (409) rather than the input
    /// being malformed (422).
    #[must_use]
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            DeadlineError::DeadlinePassed(_) | DeadlineError::ExtensionCapExceeded(_)
        )
    }
}

/// Where a period ends: the end of a local day, or an exact instant.
#[derive(Clone, Copy, Debug)]
enum End {
    Day(Date),
    Instant(Timestamp),
}

struct Engine<'p> {
    policy: &'p DeadlinePolicy,
    tz: TimeZone,
    calendar: Option<Calendar>,
    provisional: bool,
}

fn to_jiff(t: OffsetDateTime) -> Result<Timestamp, DeadlineError> {
    Timestamp::from_second(t.unix_timestamp()).map_err(|_| DeadlineError::OutOfRange)
}

fn to_time(t: Timestamp) -> Result<OffsetDateTime, DeadlineError> {
    OffsetDateTime::from_unix_timestamp(t.as_second()).map_err(|_| DeadlineError::OutOfRange)
}

impl<'p> Engine<'p> {
    fn new(policy: &'p DeadlinePolicy) -> Result<Self, DeadlineError> {
        let tz = TimeZone::get(&policy.time_zone)
            .map_err(|_| DeadlineError::UnknownTimeZone(policy.time_zone.clone()))?;
        let calendar = policy
            .calendar
            .as_deref()
            .map(Calendar::named)
            .transpose()?;
        Ok(Engine {
            policy,
            tz,
            calendar,
            provisional: false,
        })
    }

    fn local_date(&self, t: Timestamp) -> Date {
        self.tz.to_datetime(t).date()
    }

    fn calendar(&self) -> Result<&Calendar, DeadlineError> {
        self.calendar
            .as_ref()
            .ok_or(DeadlineError::CalendarRequired)
    }

    /// The last instant of an end.
    fn instant(&self, end: End) -> Result<Timestamp, DeadlineError> {
        match end {
            End::Instant(t) => Ok(t),
            End::Day(day) => {
                // 23:59:59 local; in a DST fold the later of the two.
                let last_second = day.at(23, 59, 59, 0);
                self.tz
                    .to_ambiguous_zoned_datetime(last_second)
                    .later()
                    .map(|z| z.timestamp())
                    .map_err(|_| DeadlineError::OutOfRange)
            }
        }
    }

    fn roll(&mut self, end: End) -> Result<End, DeadlineError> {
        match (end, self.policy.roll_forward) {
            (End::Day(day), RollForward::NextWorkingDay) => {
                let rolled = self.calendar()?.on_or_after(day)?;
                self.note_provisional(rolled);
                Ok(End::Day(rolled))
            }
            _ => Ok(end),
        }
    }

    fn note_provisional(&mut self, day: Date) {
        if self
            .calendar
            .as_ref()
            .is_some_and(|c| c.is_provisional(day))
        {
            self.provisional = true;
        }
    }

    /// Adds a period to an end ("from the current one").
    fn add(&mut self, end: End, period: Period) -> Result<End, DeadlineError> {
        let n = i64::from(period.length);
        let next = match (period.unit, end) {
            (Unit::Hours, _) => {
                let at = self.instant(end)?;
                End::Instant(
                    at.checked_add(jiff::SignedDuration::from_hours(n))
                        .map_err(|_| DeadlineError::OutOfRange)?,
                )
            }
            (Unit::CalendarDays, End::Day(day)) => End::Day(
                day.checked_add(jiff::Span::new().days(n))
                    .map_err(|_| DeadlineError::OutOfRange)?,
            ),
            (Unit::Months, End::Day(day)) => End::Day(
                day.checked_add(jiff::Span::new().months(n))
                    .map_err(|_| DeadlineError::OutOfRange)?,
            ),
            (Unit::WorkingDays, End::Day(day)) => {
                let last = self.calendar()?.add_working_days(day, period.length)?;
                self.note_provisional(last);
                End::Day(last)
            }
            (unit, End::Instant(at)) => {
                // Day arithmetic on an exact instant keeps the local time of day.
                let local: DateTime = self.tz.to_datetime(at);
                let span = match unit {
                    Unit::Months => jiff::Span::new().months(n),
                    _ => jiff::Span::new().days(n),
                };
                let moved = local
                    .checked_add(span)
                    .map_err(|_| DeadlineError::OutOfRange)?;
                End::Instant(
                    self.tz
                        .to_ambiguous_zoned_datetime(moved)
                        .later()
                        .map_err(|_| DeadlineError::OutOfRange)?
                        .timestamp(),
                )
            }
        };
        self.roll(next)
    }
}

enum Event<'a> {
    Pause(usize, &'a Pause),
    Extension(usize, &'a Extension),
}

/// Computes the schedule of a request under `policy` whose clock started at
/// `start`, with the pauses and extensions it has had.
///
/// # Errors
/// See [`DeadlineError`]: bad pauses (422), extensions the rules refuse (409),
/// a zone or calendar the policy names wrongly, dates outside the calendar.
pub fn compute(
    policy: &DeadlinePolicy,
    start: OffsetDateTime,
    pauses: &[Pause],
    extensions: &[Extension],
) -> Result<Schedule, DeadlineError> {
    let mut engine = Engine::new(policy)?;
    let start_at = to_jiff(start)?;
    let start_day = engine.local_date(start_at);
    let mut end = match policy.period.unit {
        Unit::Hours => End::Instant(start_at),
        _ => End::Day(start_day),
    };
    end = engine.add(end, policy.period)?;

    // Pauses must be well formed before anything is counted.
    let mut ordered_pauses: Vec<(usize, &Pause)> = pauses.iter().enumerate().collect();
    ordered_pauses.sort_by_key(|(_, p)| p.from);
    let mut previous_to: Option<OffsetDateTime> = None;
    for (index, pause) in &ordered_pauses {
        if pause.from < start {
            return Err(DeadlineError::PauseBeforeStart(*index));
        }
        if pause.to < pause.from {
            return Err(DeadlineError::PauseReversed(*index));
        }
        if previous_to.is_some_and(|to| pause.from < to) {
            return Err(DeadlineError::PausesOverlap(*index));
        }
        previous_to = Some(pause.to);
    }

    let mut events: Vec<(OffsetDateTime, Event<'_>)> = ordered_pauses
        .into_iter()
        .map(|(i, p)| (p.from, Event::Pause(i, p)))
        .collect();
    events.extend(
        extensions
            .iter()
            .enumerate()
            .map(|(i, e)| (e.at, Event::Extension(i, e))),
    );
    events.sort_by_key(|(at, _)| *at);

    let mut extensions_used = 0;
    for (at, event) in events {
        let due = to_time(engine.instant(end)?)?;
        match event {
            Event::Pause(index, pause) => {
                if !policy.pause_while_awaiting_requester {
                    continue;
                }
                if at > due {
                    return Err(DeadlineError::PauseAfterDue(index));
                }
                let paused = match policy.period.unit {
                    Unit::Hours => Period::new(
                        u32::try_from((pause.to - pause.from).whole_hours().max(0))
                            .map_err(|_| DeadlineError::OutOfRange)?,
                        Unit::Hours,
                    ),
                    unit => {
                        let days = engine.local_date(to_jiff(pause.to)?)
                            - engine.local_date(to_jiff(pause.from)?);
                        let touched = u32::try_from(days.get_days() + 1)
                            .map_err(|_| DeadlineError::OutOfRange)?;
                        Period::new(
                            touched,
                            if unit == Unit::WorkingDays {
                                Unit::WorkingDays
                            } else {
                                Unit::CalendarDays
                            },
                        )
                    }
                };
                end = if policy.period.unit == Unit::Hours {
                    // Hours are exact: add the pause to the second.
                    let exact =
                        jiff::SignedDuration::from_secs((pause.to - pause.from).whole_seconds());
                    End::Instant(
                        engine
                            .instant(end)?
                            .checked_add(exact)
                            .map_err(|_| DeadlineError::OutOfRange)?,
                    )
                } else {
                    engine.add(end, paused)?
                };
            }
            Event::Extension(index, extension) => {
                if at > due {
                    return Err(DeadlineError::DeadlinePassed(index));
                }
                let rule = policy
                    .extension
                    .ok_or(DeadlineError::ExtensionCapExceeded(index))?;
                let length = extension.length.unwrap_or(rule.period.length);
                if extensions_used >= rule.max_times || length > rule.period.length || length == 0 {
                    return Err(DeadlineError::ExtensionCapExceeded(index));
                }
                extensions_used += 1;
                end = engine.add(end, Period::new(length, rule.period.unit))?;
            }
        }
    }

    let due_at = engine.instant(end)?;
    let mut reminders = reminder_instants(&engine.tz, &policy.reminders, due_at, start_at)?;
    reminders.sort();
    reminders.dedup();
    let due_at = to_time(due_at)?;
    Ok(Schedule {
        due_at,
        reminders,
        overdue_at: due_at + time::Duration::SECOND,
        provisional: engine.provisional,
    })
}

fn reminder_instants(
    tz: &TimeZone,
    offsets: &[Period],
    due_at: Timestamp,
    after: Timestamp,
) -> Result<Vec<Reminder>, DeadlineError> {
    let mut reminders = Vec::new();
    for offset in offsets {
        let n = i64::from(offset.length);
        let at = match offset.unit {
            Unit::Hours => due_at.checked_sub(jiff::SignedDuration::from_hours(n)).ok(),
            // Days before keep the local wall time, across summer-time changes.
            _ => tz
                .to_datetime(due_at)
                .checked_sub(jiff::Span::new().days(n))
                .ok()
                .and_then(|local| tz.to_ambiguous_zoned_datetime(local).later().ok())
                .map(|z| z.timestamp()),
        };
        if let Some(at) = at.filter(|at| *at > after) {
            reminders.push(Reminder(to_time(at)?));
        }
    }
    Ok(reminders)
}

/// The reminder instants of a due instant under `policy`, those after
/// `after` only, earliest first.
///
/// # Errors
/// [`DeadlineError::UnknownTimeZone`] for a policy with a bad zone.
pub fn reminders_for(
    policy: &DeadlinePolicy,
    due_at: OffsetDateTime,
    after: OffsetDateTime,
) -> Result<Vec<OffsetDateTime>, DeadlineError> {
    let tz = TimeZone::get(&policy.time_zone)
        .map_err(|_| DeadlineError::UnknownTimeZone(policy.time_zone.clone()))?;
    let mut all = reminder_instants(&tz, &policy.reminders, to_jiff(due_at)?, to_jiff(after)?)?;
    all.sort();
    Ok(all.into_iter().map(|r| r.0).collect())
}

/// Every instant at which the deadline sweeper has work for an open request
/// due at `due_at` whose clock started at `start`, earliest first: its
/// reminders after the start (none before it ever goes out), then the first
/// instant at which it is overdue. [`next_event`] is always one of them, so
/// a request's pending event can be found again from its state alone.
///
/// # Errors
/// [`DeadlineError::UnknownTimeZone`] for a policy with a bad zone.
pub fn event_instants(
    policy: &DeadlinePolicy,
    due_at: OffsetDateTime,
    start: OffsetDateTime,
) -> Result<Vec<OffsetDateTime>, DeadlineError> {
    let overdue_at = due_at + time::Duration::SECOND;
    let mut instants = reminders_for(policy, due_at, start)?;
    instants.retain(|at| *at < overdue_at);
    instants.push(overdue_at);
    Ok(instants)
}

/// When the deadline sweeper next has work for an open request due at
/// `due_at` whose clock started at `start`: the first of its
/// [`event_instants`] after `now`, else the first instant at which it is
/// overdue — which may already have come.
///
/// A pass at `now` sends the latest reminder at or before `now`, so the
/// next event is strictly after it: every reminder instant is some pass's
/// next event exactly once.
///
/// # Errors
/// [`DeadlineError::UnknownTimeZone`] for a policy with a bad zone.
pub fn next_event(
    policy: &DeadlinePolicy,
    due_at: OffsetDateTime,
    start: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<OffsetDateTime, DeadlineError> {
    let instants = event_instants(policy, due_at, start)?;
    let overdue_at = due_at + time::Duration::SECOND;
    Ok(instants
        .into_iter()
        .find(|at| *at > now)
        .unwrap_or(overdue_at))
}

/// Whether a request due at `due_at` is overdue at `now`: once the clock
/// passes the due instant, not at it.
#[must_use]
pub fn is_overdue(due_at: OffsetDateTime, now: OffsetDateTime) -> bool {
    now > due_at
}

impl PartialOrd for Reminder {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Reminder {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}
