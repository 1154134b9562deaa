//! The deadline engine (DESIGN §4): how every statutory response clock counts,
//! as pure functions over policies that are data. The same code runs in the
//! server, which enforces the deadlines, and in the browser, which shows them.
//!
//! How a period counts:
//! - **Days, months, working days** start at the beginning of the local day
//!   after the starting event (the event's day is not counted: Regulation
//!   1182/71 Art. 3(1), PRC Civil Code Art. 201) and end at 23:59:59 local time
//!   of the last day. Dates are local to the policy's zone, never UTC dates.
//! - **Months** end on the date corresponding to the start date, or on the
//!   month's last day when it has none (1182/71 Art. 3(2)(c); Civil Code Art. 202).
//! - **Working days** skip weekends and the calendar's holidays and count its
//!   make-up working days; a date outside the calendar is an error.
//! - **Hours** are exact: start + N hours, to the second.
//! - **Pauses** (only where the policy allows): for day-based policies a pause
//!   adds the number of local dates it touches, from the day it began to the
//!   day it ended, both counted (the ICO's "clarification days do not count");
//!   working-day policies add that many working days. For hour-based policies
//!   it adds its exact duration. A pause must start after the clock started
//!   and no later than the due instant as it stands then.
//! - **Extensions** are allowed up to and including the due instant (later:
//!   `deadline_passed`), at most as often and as long as the policy says
//!   (else `extension_cap_exceeded`), and count from the current due instant.
//! - Pauses and extensions apply in the order they happened, so computing in
//!   steps equals computing at once.
//! - A request is **overdue** once the clock passes `due_at`: `overdue_at` is
//!   one second later.

mod calendar;
mod compute;
mod countdown;
mod policy;
#[cfg(test)]
mod tests;
mod zone;

pub use calendar::{Calendar, CalendarError};
pub use compute::{
    DeadlineError, Extension, Pause, Reminder, Schedule, compute, event_instants, is_overdue,
    next_event, reminders_for,
};
pub use countdown::{DaysLeft, days_left, describe_due};
pub use policy::{
    ClockStart, DeadlinePolicy, ExtensionRule, Period, PolicyError, RollForward, Unit, preset,
    presets,
};
pub use zone::{format_local, local_date, local_to_instant};
