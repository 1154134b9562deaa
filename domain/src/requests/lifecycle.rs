//! The request aggregate: everything the lifecycle decides, on plain values.
//!
//! The server loads a [`Request`] from its row and timeline, calls
//! [`Request::apply`] with a [`Command`], and saves what changed, the
//! [`Outcome`]'s events, its notice and its audit entry in one transaction.
//! Nothing here reads a clock or a database: `now` is given.

use super::{Action, ClockEvent, Event, Status, TransitionError, clock_history, transition};
use crate::data::{FieldError, parse_text};
use crate::deadlines::{self, DeadlineError, DeadlinePolicy, Schedule};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Longest free text on a request: details, messages, reasons, summaries.
pub const MAX_TEXT: usize = 5000;

/// The regulator line every refusal and partial answer carries (PIPL art.
/// 50; GDPR art. 12(4)).
pub const RIGHT_TO_COMPLAIN: &str = "If you disagree, you may complain to the data protection authority (in mainland China: the Cyberspace Administration, 12377.cn) or go to court.";

/// An item not done, with its reason (e.g. kept under a legal obligation).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Withheld {
    pub item: String,
    pub reason: String,
}

/// A request's state as the lifecycle needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub status: Status,
    /// Where a request waiting for its requester goes back to.
    pub resume_status: Option<Status>,
    /// When the response clock started; `None` until identity is verified
    /// on routes that count from verification.
    pub clock_started_at: Option<OffsetDateTime>,
    /// The clock is stopped since then (waiting for the requester).
    pub paused_since: Option<OffsetDateTime>,
    pub due_at: Option<OffsetDateTime>,
    pub closed_at: Option<OffsetDateTime>,
    /// Closed after its due instant.
    pub late: bool,
    pub answer: Option<String>,
    /// The line naming the regulator that every answer of this request ends
    /// with (complaints: the administrator's setting). `None`: only refusals
    /// and partial answers name it, with [`RIGHT_TO_COMPLAIN`].
    pub regulator: Option<String>,
    /// Passed to an administrator.
    pub escalated: bool,
    /// The policy snapshot the request was received under.
    pub policy: DeadlinePolicy,
    /// The timeline so far, as the clock reads it.
    pub history: Vec<ClockEvent>,
}

/// What someone asks of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Give the request to a staff member (`assignee` is their ID, as text).
    Assign {
        assignee: String,
        /// Whether the assignee is an officer or administrator.
        is_staff: bool,
    },
    /// The officer confirms who the requester is.
    VerifyIdentity,
    /// The officer asks the requester for information.
    RequestInfo { message: String },
    /// The officer extends the deadline by `days` (the policy's extension
    /// when absent).
    Extend { days: Option<u32>, reason: String },
    /// Answered in full.
    Fulfil { summary: String },
    /// Answered in part; each withheld item with its reason.
    PartlyFulfil {
        summary: String,
        withheld: Vec<Withheld>,
    },
    /// Refused, with the reason.
    Refuse { reason: String },
    /// An officer's internal note.
    Note { text: String },
    /// An officer passes the request to an administrator, saying why.
    Escalate { reason: String },
    /// The requester writes; a request waiting for them resumes.
    Reply { message: String },
    /// The requester withdraws.
    Withdraw,
}

/// Who an event is recorded under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    /// The person who gave the command.
    Caller,
    /// The portal itself (pauses and resumptions).
    System,
}

/// One timeline event the command produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub event: Event,
    pub by: By,
    pub note: Option<String>,
    /// Shown to staff only.
    pub internal: bool,
    pub due_before: Option<OffsetDateTime>,
    pub due_after: Option<OffsetDateTime>,
    pub extension_length: Option<u32>,
}

impl Recorded {
    /// An event with no note, not internal, not touching the due instant.
    #[must_use]
    pub fn new(event: Event, by: By) -> Self {
        Recorded {
            event,
            by,
            note: None,
            internal: false,
            due_before: None,
            due_after: None,
            extension_length: None,
        }
    }

    /// With this note.
    #[must_use]
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

/// What the requester is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    IdentityVerified,
    InfoRequested {
        message: String,
    },
    Extended {
        due_at: OffsetDateTime,
        reason: String,
    },
    Answered {
        answer: String,
    },
    PartlyAnswered {
        answer: String,
    },
    Refused {
        answer: String,
    },
    Escalated,
    Withdrawn,
}

impl Notice {
    /// The notice's kind, as stored and de-duplicated.
    #[must_use]
    pub fn kind(&self) -> Event {
        match self {
            Notice::IdentityVerified => Event::IdentityVerified,
            Notice::InfoRequested { .. } => Event::InfoRequested,
            Notice::Extended { .. } => Event::Extended,
            Notice::Answered { .. } => Event::Fulfilled,
            Notice::PartlyAnswered { .. } => Event::PartlyFulfilled,
            Notice::Refused { .. } => Event::Refused,
            Notice::Escalated => Event::Escalated,
            Notice::Withdrawn => Event::Withdrawn,
        }
    }
}

/// What a command did: the events to record, in order, the notice to send
/// and the audit action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub events: Vec<Recorded>,
    pub notice: Option<Notice>,
    /// The audit log's action, e.g. `request.extended`.
    pub audit: &'static str,
}

/// Why a command was refused. [`RequestError::status`] and
/// [`RequestError::code`] are what the API answers.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// Closed requests do not move.
    #[error("The request is closed; file a new one, or a complaint if you disagree.")]
    Closed,
    /// The move does not apply to the current status.
    #[error("A request that is {} cannot do that.", .0.as_str())]
    NotAllowed(Status),
    /// A text the command needs is empty.
    #[error("{field}: give the reason or text; it is recorded and shown to the requester.")]
    Required { field: String },
    /// A text is too long or holds control characters.
    #[error("{field}: {}", text_message(.error))]
    Text { field: String, error: FieldError },
    /// Only officers and administrators take requests.
    #[error("Assign to an officer or administrator.")]
    InvalidAssignee,
    /// Extending needs a running clock.
    #[error("The clock has not started: verify the requester's identity first.")]
    ClockNotStarted,
    /// Escalated once already.
    #[error("This request is already with an administrator.")]
    AlreadyEscalated,
    /// The deadline engine refused (e.g. past the due instant, over the cap).
    #[error(transparent)]
    Deadline(#[from] DeadlineError),
}

fn text_message(error: &FieldError) -> String {
    match error {
        FieldError::TooLong(_, max) => format!("at most {max} characters."),
        _ => "remove the control characters (such as NUL) from the text.".to_owned(),
    }
}

impl RequestError {
    /// The HTTP status: 409 for a move the state refuses, 422 for input.
    #[must_use]
    pub fn status(&self) -> u16 {
        match self {
            RequestError::Closed
            | RequestError::NotAllowed(_)
            | RequestError::ClockNotStarted
            | RequestError::AlreadyEscalated => 409,
            RequestError::Required { .. }
            | RequestError::Text { .. }
            | RequestError::InvalidAssignee => 422,
            RequestError::Deadline(e) if e.is_conflict() => 409,
            RequestError::Deadline(_) => 422,
        }
    }

    /// The stable code (DESIGN §9).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            RequestError::Closed => "request_closed",
            RequestError::NotAllowed(_) => "invalid_transition",
            RequestError::Required { .. } => "required",
            RequestError::Text { error, .. } => error.code(),
            RequestError::InvalidAssignee => "invalid_assignee",
            RequestError::ClockNotStarted => "clock_not_started",
            RequestError::AlreadyEscalated => "already_escalated",
            RequestError::Deadline(e) => e.code(),
        }
    }

    /// The input at fault, when there is one.
    #[must_use]
    pub fn field(&self) -> Option<String> {
        match self {
            RequestError::Required { field } | RequestError::Text { field, .. } => {
                Some(field.clone())
            }
            RequestError::InvalidAssignee => Some("assignee_id".to_owned()),
            RequestError::Deadline(e) => Some(e.field().to_owned()),
            _ => None,
        }
    }
}

/// A request's free text: trimmed, at most [`MAX_TEXT`] characters, no
/// control characters but line breaks and tabs; `None` when empty.
///
/// # Errors
/// [`RequestError::Text`].
pub fn text(raw: &str, field: &str) -> Result<Option<String>, RequestError> {
    parse_text(raw, "text", MAX_TEXT, true).map_err(|error| RequestError::Text {
        field: field.to_owned(),
        error,
    })
}

/// A request's free text that may not be empty.
///
/// # Errors
/// [`RequestError::Required`] or [`RequestError::Text`].
pub fn required(raw: &str, field: &str) -> Result<String, RequestError> {
    text(raw, field)?.ok_or_else(|| RequestError::Required {
        field: field.to_owned(),
    })
}

fn moved(from: Status, action: Action) -> Result<Status, RequestError> {
    transition(from, action).map_err(|e| match e {
        TransitionError::Closed => RequestError::Closed,
        TransitionError::NotAllowed { from, .. } => RequestError::NotAllowed(from),
    })
}

impl Request {
    /// The request's schedule at `now`, from its policy snapshot, clock start
    /// and timeline; `None` before the clock starts.
    ///
    /// # Errors
    /// What the deadline engine refuses.
    pub fn schedule(&self, now: OffsetDateTime) -> Result<Option<Schedule>, DeadlineError> {
        let Some(start) = self.clock_started_at else {
            return Ok(None);
        };
        let (pauses, extensions) = clock_history(&self.history, now);
        deadlines::compute(&self.policy, start, &pauses, &extensions).map(Some)
    }

    fn due(&self, now: OffsetDateTime) -> Result<Option<OffsetDateTime>, RequestError> {
        Ok(self.schedule(now)?.map(|s| s.due_at))
    }

    fn push(&mut self, event: Event, at: OffsetDateTime, extension_length: Option<u32>) {
        self.history.push(ClockEvent {
            event,
            at,
            extension_length,
        });
    }

    /// The line naming the regulator in refusals and partial answers.
    fn right_to_complain(&self) -> &str {
        self.regulator.as_deref().unwrap_or(RIGHT_TO_COMPLAIN)
    }

    fn close(
        &mut self,
        action: Action,
        now: OffsetDateTime,
        answer: &str,
    ) -> Result<(), RequestError> {
        self.status = moved(self.status, action)?;
        self.closed_at = Some(now);
        self.answer = Some(answer.to_owned());
        self.paused_since = None;
        self.late = self
            .due_at
            .is_some_and(|due| deadlines::is_overdue(due, now));
        Ok(())
    }

    /// Applies `command` at `now`: checks its input and whether the request's
    /// state allows it, moves the state, and says what to record, tell and
    /// audit. On an error nothing has changed.
    ///
    /// # Errors
    /// [`RequestError`]: missing or bad text (422), a move the state or the
    /// deadline engine refuses (409).
    pub fn apply(
        &mut self,
        command: Command,
        now: OffsetDateTime,
    ) -> Result<Outcome, RequestError> {
        let mut next = self.clone();
        let outcome = next.decide(command, now)?;
        for r in &outcome.events {
            next.push(r.event, now, r.extension_length);
        }
        *self = next;
        Ok(outcome)
    }

    fn decide(&mut self, command: Command, now: OffsetDateTime) -> Result<Outcome, RequestError> {
        let from = self.status;
        let outcome = |events, notice, audit| Outcome {
            events,
            notice,
            audit,
        };
        Ok(match command {
            Command::Assign { assignee, is_staff } => {
                if from.is_closed() {
                    return Err(RequestError::Closed);
                }
                if !is_staff {
                    return Err(RequestError::InvalidAssignee);
                }
                outcome(
                    vec![Recorded::new(Event::Assigned, By::Caller).note(assignee)],
                    None,
                    "request.assigned",
                )
            }
            Command::VerifyIdentity => {
                self.status = moved(from, Action::VerifyIdentity)?;
                let mut event = Recorded::new(Event::IdentityVerified, By::Caller);
                // Routes that count from verification start the clock now.
                if self.clock_started_at.is_none() {
                    self.clock_started_at = Some(now);
                    self.due_at = self.due(now)?;
                    event.due_after = self.due_at;
                }
                outcome(
                    vec![event],
                    Some(Notice::IdentityVerified),
                    "request.identity_verified",
                )
            }
            Command::RequestInfo { message } => {
                let message = required(&message, "message")?;
                self.status = moved(from, Action::RequestInfo)?;
                self.resume_status = Some(from);
                let mut events = Vec::new();
                if self.policy.pause_while_awaiting_requester && self.clock_started_at.is_some() {
                    self.paused_since = Some(now);
                    events.push(Recorded::new(Event::Paused, By::System));
                }
                events.push(Recorded::new(Event::InfoRequested, By::Caller).note(message.clone()));
                outcome(
                    events,
                    Some(Notice::InfoRequested { message }),
                    "request.info_requested",
                )
            }
            Command::Extend { days, reason } => {
                let reason = required(&reason, "reason")?;
                if from.is_closed() {
                    return Err(RequestError::Closed);
                }
                // The engine decides: after the due instant, or beyond the
                // cap, it refuses.
                self.push(Event::Extended, now, days);
                let due = self.due(now)?.ok_or(RequestError::ClockNotStarted)?;
                self.history.pop();
                let event = Recorded {
                    due_before: self.due_at,
                    due_after: Some(due),
                    extension_length: days,
                    ..Recorded::new(Event::Extended, By::Caller).note(reason.clone())
                };
                self.due_at = Some(due);
                outcome(
                    vec![event],
                    Some(Notice::Extended {
                        due_at: due,
                        reason,
                    }),
                    "request.extended",
                )
            }
            Command::Fulfil { summary } => {
                let mut answer = required(&summary, "summary")?;
                if let Some(regulator) = &self.regulator {
                    answer = format!("{answer}\n{regulator}");
                }
                self.close(Action::Fulfil, now, &answer)?;
                outcome(
                    vec![Recorded::new(Event::Fulfilled, By::Caller).note(answer.clone())],
                    Some(Notice::Answered { answer }),
                    "request.fulfilled",
                )
            }
            Command::PartlyFulfil { summary, withheld } => {
                let summary = required(&summary, "summary")?;
                if withheld.is_empty() {
                    return Err(RequestError::Required {
                        field: "withheld".to_owned(),
                    });
                }
                let mut lines = vec![summary];
                for (i, w) in withheld.iter().enumerate() {
                    let item = required(&w.item, &format!("withheld[{i}].item"))?;
                    let reason = required(&w.reason, &format!("withheld[{i}].reason"))?;
                    lines.push(format!("Not done: {item}. Reason: {reason}"));
                }
                lines.push(self.right_to_complain().to_owned());
                let answer = lines.join("\n");
                self.close(Action::PartlyFulfil, now, &answer)?;
                outcome(
                    vec![Recorded::new(Event::PartlyFulfilled, By::Caller).note(answer.clone())],
                    Some(Notice::PartlyAnswered { answer }),
                    "request.partly_fulfilled",
                )
            }
            Command::Refuse { reason } => {
                let reason = required(&reason, "reason")?;
                let answer = format!("{reason}\n{}", self.right_to_complain());
                self.close(Action::Refuse, now, &answer)?;
                outcome(
                    vec![Recorded::new(Event::Refused, By::Caller).note(answer.clone())],
                    Some(Notice::Refused { answer }),
                    "request.refused",
                )
            }
            Command::Note { text } => {
                let text = required(&text, "text")?;
                outcome(
                    vec![Recorded {
                        internal: true,
                        ..Recorded::new(Event::Note, By::Caller).note(text)
                    }],
                    None,
                    "request.note",
                )
            }
            Command::Escalate { reason } => {
                let reason = required(&reason, "reason")?;
                if from.is_closed() {
                    return Err(RequestError::Closed);
                }
                if self.escalated {
                    return Err(RequestError::AlreadyEscalated);
                }
                self.escalated = true;
                outcome(
                    vec![Recorded::new(Event::Escalated, By::Caller).note(reason)],
                    Some(Notice::Escalated),
                    "request.escalated",
                )
            }
            Command::Reply { message } => {
                let message = required(&message, "message")?;
                if from.is_closed() {
                    return Err(RequestError::Closed);
                }
                let mut events = vec![Recorded::new(Event::Message, By::Caller).note(message)];
                if from == Status::AwaitingRequester {
                    let resume = self.resume_status.unwrap_or(Status::InProgress);
                    self.status = moved(from, Action::Reply { resume })?;
                    self.resume_status = None;
                    if self.paused_since.take().is_some() {
                        self.push(Event::Resumed, now, None);
                        let due = self.due(now)?;
                        self.history.pop();
                        events.push(Recorded {
                            due_before: self.due_at,
                            due_after: due,
                            ..Recorded::new(Event::Resumed, By::System)
                        });
                        self.due_at = due;
                    }
                }
                outcome(events, None, "request.message")
            }
            Command::Withdraw => {
                self.status = moved(from, Action::Withdraw)?;
                self.closed_at = Some(now);
                self.paused_since = None;
                outcome(
                    vec![Recorded::new(Event::Withdrawn, By::Caller)],
                    Some(Notice::Withdrawn),
                    "request.withdrawn",
                )
            }
        })
    }
}

#[cfg(test)]
mod tests;
