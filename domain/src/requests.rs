//! Data-subject requests: kinds, channels, statuses and the state machine
//! every request moves through (DESIGN §2, §4, §9), and acknowledgment numbers.

use serde::{Deserialize, Serialize};

pub mod complaint;
mod lifecycle;
pub use lifecycle::{
    By, Command, MAX_TEXT, Notice, Outcome, RIGHT_TO_COMPLAIN, Recorded, Request, RequestError,
    Withheld, required, text,
};

/// What a request asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// See the data held (Weixin guideline §6.1).
    Access,
    /// A copy of everything held, including data not shown in the app (Tencent policy).
    Copy,
    /// Correct data that cannot be corrected in place (§6.3).
    Correction,
    /// Delete data that cannot be deleted in place (§6.2).
    Deletion,
    /// Object to a processing.
    Objection,
    /// A complaint (§6.6, §10).
    Complaint,
    /// Account re-access (QQ terms §3–4).
    Reaccess,
}

impl RequestKind {
    /// Every kind.
    pub const ALL: [RequestKind; 7] = [
        RequestKind::Access,
        RequestKind::Copy,
        RequestKind::Correction,
        RequestKind::Deletion,
        RequestKind::Objection,
        RequestKind::Complaint,
        RequestKind::Reaccess,
    ];

    /// The kind's API name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Access => "access",
            RequestKind::Copy => "copy",
            RequestKind::Correction => "correction",
            RequestKind::Deletion => "deletion",
            RequestKind::Objection => "objection",
            RequestKind::Complaint => "complaint",
            RequestKind::Reaccess => "reaccess",
        }
    }

    /// Reads an API name.
    #[must_use]
    pub fn parse(raw: &str) -> Option<RequestKind> {
        RequestKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// How a request reached us.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A signed-in holder in the portal: identity counts as verified.
    InApp,
    /// Addressed to the Privacy Officer, possibly without a session.
    PrivacyOfficer,
}

/// Where a request stands. `overdue` is a flag beside it, not a status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Acknowledged, not yet worked.
    Received,
    /// The officer must verify who the requester is.
    AwaitingVerification,
    /// Being worked.
    InProgress,
    /// Waiting for the requester's information (pauses the clock where the policy allows).
    AwaitingRequester,
    /// Done.
    Fulfilled,
    /// Done in part; each item not done carries its reason.
    PartlyFulfilled,
    /// Refused with reasons and the right to complain to the regulator.
    Refused,
    /// Withdrawn by the requester.
    Withdrawn,
}

impl Status {
    /// Every status, in the order a request meets them.
    pub const ALL: [Status; 8] = [
        Status::Received,
        Status::AwaitingVerification,
        Status::InProgress,
        Status::AwaitingRequester,
        Status::Fulfilled,
        Status::PartlyFulfilled,
        Status::Refused,
        Status::Withdrawn,
    ];

    /// Whether the request is closed.
    #[must_use]
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Status::Fulfilled | Status::PartlyFulfilled | Status::Refused | Status::Withdrawn
        )
    }

    /// The status's API name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::AwaitingVerification => "awaiting_verification",
            Status::InProgress => "in_progress",
            Status::AwaitingRequester => "awaiting_requester",
            Status::Fulfilled => "fulfilled",
            Status::PartlyFulfilled => "partly_fulfilled",
            Status::Refused => "refused",
            Status::Withdrawn => "withdrawn",
        }
    }

    /// Reads an API name.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// What an officer can do to a request, by its wire name: the last segment
/// of `POST /api/v1/officer/requests/{ack}/{action}` and the officer page's
/// buttons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Verb {
    /// Take the request (or give it to another staff member).
    Assign,
    VerifyIdentity,
    RequestInfo,
    Extend,
    Fulfil,
    PartlyFulfil,
    Refuse,
    /// An internal note.
    Note,
    /// Pass to an administrator.
    Escalate,
}

impl Verb {
    /// Every verb, in the order the officer page offers them.
    pub const ALL: [Verb; 9] = [
        Verb::Assign,
        Verb::VerifyIdentity,
        Verb::RequestInfo,
        Verb::Extend,
        Verb::Fulfil,
        Verb::PartlyFulfil,
        Verb::Refuse,
        Verb::Note,
        Verb::Escalate,
    ];

    /// The wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Verb::Assign => "assign",
            Verb::VerifyIdentity => "verify-identity",
            Verb::RequestInfo => "request-info",
            Verb::Extend => "extend",
            Verb::Fulfil => "fulfil",
            Verb::PartlyFulfil => "partly-fulfil",
            Verb::Refuse => "refuse",
            Verb::Note => "note",
            Verb::Escalate => "escalate",
        }
    }

    /// The verb of a wire name.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Verb> {
        Verb::ALL.into_iter().find(|v| v.as_str() == raw)
    }
}

/// Something that moves a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// The officer confirms who the requester is.
    VerifyIdentity,
    /// The officer asks the requester for information.
    RequestInfo,
    /// The requester answers; the request goes back to where it was.
    Reply {
        /// The status before the officer asked.
        resume: Status,
    },
    /// Closed as done.
    Fulfil,
    /// Closed as done in part.
    PartlyFulfil,
    /// Closed as refused.
    Refuse,
    /// Withdrawn by the requester.
    Withdraw,
}

/// Why a request cannot make a move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// Closed requests do not move.
    #[error("the request is closed")]
    Closed,
    /// The move does not apply to the current status.
    #[error("a request that is {from:?} cannot do {action:?}")]
    NotAllowed {
        /// The current status.
        from: Status,
        /// The move asked for.
        action: Action,
    },
}

/// The status a request reaches by `action` from `from`.
///
/// # Errors
/// [`TransitionError::Closed`] for a closed request; [`TransitionError::NotAllowed`]
/// for a move that does not apply (e.g. answering before identity is verified).
pub fn transition(from: Status, action: Action) -> Result<Status, TransitionError> {
    use Status::*;
    if from.is_closed() {
        return Err(TransitionError::Closed);
    }
    let not_allowed = Err(TransitionError::NotAllowed { from, action });
    match (from, action) {
        (_, Action::Withdraw) => Ok(Withdrawn),
        (AwaitingVerification, Action::VerifyIdentity) => Ok(InProgress),
        (Received | AwaitingVerification | InProgress, Action::RequestInfo) => {
            Ok(AwaitingRequester)
        }
        (AwaitingRequester, Action::Reply { resume })
            if !resume.is_closed() && resume != AwaitingRequester =>
        {
            Ok(resume)
        }
        // An answer needs a verified requester: only from in progress (or
        // waiting for the requester's information, when the officer decides
        // without it). A refusal may also close an unverified request.
        (InProgress | AwaitingRequester | Received, Action::Fulfil | Action::PartlyFulfil) => {
            Ok(match action {
                Action::Fulfil => Fulfilled,
                _ => PartlyFulfilled,
            })
        }
        (_, Action::Refuse) => Ok(Refused),
        _ => not_allowed,
    }
}

/// The unambiguous alphabet of acknowledgment numbers: Crockford's base 32
/// without I, L, O and U, so it reads aloud and types back without mistakes.
pub const ACK_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// An acknowledgment number such as `PR-2026-7K4Q-9MXD`: the year of receipt
/// and 8 characters (40 bits) drawn from `random` by the caller's CSPRNG.
#[must_use]
pub fn acknowledgment_number(year: i32, random: [u8; 5]) -> String {
    let bits = random
        .iter()
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    let chars: String = (0..8)
        .rev()
        .map(|i| ACK_ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
        .collect();
    format!("PR-{year}-{}-{}", &chars[..4], &chars[4..])
}

/// Reads an acknowledgment number as a person may type it: any case, with
/// O for 0 and I or L for 1 forgiven.
#[must_use]
pub fn parse_acknowledgment(raw: &str) -> Option<String> {
    let upper: String = raw
        .trim()
        .to_ascii_uppercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut parts = upper.split('-');
    let (Some("PR"), Some(year), Some(a), Some(b), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) || a.len() != 4 || b.len() != 4
    {
        return None;
    }
    let fix = |s: &str| -> Option<String> {
        s.chars()
            .map(|c| match c {
                'O' => Some('0'),
                'I' | 'L' => Some('1'),
                c if ACK_ALPHABET.contains(&(c as u8)) => Some(c),
                _ => None,
            })
            .collect()
    };
    Some(format!("PR-{year}-{}-{}", fix(a)?, fix(b)?))
}

/// Where a new request starts: the policy it runs under, its first status,
/// and whether its clock starts at filing (otherwise at identity
/// verification).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FilingRule {
    /// The name of the deadline policy.
    pub policy: &'static str,
    /// The first status.
    pub status: Status,
    /// The clock starts at filing.
    pub clock_starts_at_filing: bool,
}

/// Which clock a filing gets (DESIGN §4): signed-in holders are verified at
/// filing (`guideline-30` from then); copy, correction and deletion written
/// to the Privacy Officer run 60 days from receipt (`privacy-officer-60`);
/// the Officer's other requests run 30 days from verification; re-access is
/// a 4-hour service level (`reaccess-4h`) by either way.
#[must_use]
pub fn filing_rule(channel: Channel, kind: RequestKind) -> FilingRule {
    let rule = |policy, status, clock_starts_at_filing| FilingRule {
        policy,
        status,
        clock_starts_at_filing,
    };
    match (channel, kind) {
        (_, RequestKind::Reaccess) => rule("reaccess-4h", Status::Received, true),
        (Channel::InApp, _) => rule("guideline-30", Status::InProgress, true),
        (
            Channel::PrivacyOfficer,
            RequestKind::Copy | RequestKind::Correction | RequestKind::Deletion,
        ) => rule("privacy-officer-60", Status::AwaitingVerification, true),
        (Channel::PrivacyOfficer, _) => rule("guideline-30", Status::AwaitingVerification, false),
    }
}

/// What happened to a request: the events of its timeline, stored by these
/// names. The clock's history (pauses, extensions) is rebuilt from them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Filed and acknowledged.
    Received,
    /// The response clock started (at filing or at identity verification).
    ClockStarted,
    /// Taken by an officer or administrator.
    Assigned,
    /// The requester's identity was verified.
    IdentityVerified,
    /// The officer asked the requester for information.
    InfoRequested,
    /// The requester wrote.
    Message,
    /// The clock stopped while waiting for the requester.
    Paused,
    /// The clock runs again.
    Resumed,
    /// The deadline was extended.
    Extended,
    /// An officer's internal note.
    Note,
    /// The due instant passed without an answer.
    Overdue,
    /// Answered in full.
    Fulfilled,
    /// Answered in part.
    PartlyFulfilled,
    /// Refused.
    Refused,
    /// Withdrawn by the requester.
    Withdrawn,
    /// Passed to an administrator.
    Escalated,
}

impl Event {
    /// Every event, in timeline order of first use.
    pub const ALL: [Event; 16] = [
        Event::Received,
        Event::ClockStarted,
        Event::Assigned,
        Event::IdentityVerified,
        Event::InfoRequested,
        Event::Message,
        Event::Paused,
        Event::Resumed,
        Event::Extended,
        Event::Note,
        Event::Overdue,
        Event::Fulfilled,
        Event::PartlyFulfilled,
        Event::Refused,
        Event::Withdrawn,
        Event::Escalated,
    ];

    /// The stored and wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Event::Received => "received",
            Event::ClockStarted => "clock_started",
            Event::Assigned => "assigned",
            Event::IdentityVerified => "identity_verified",
            Event::InfoRequested => "info_requested",
            Event::Message => "message",
            Event::Paused => "paused",
            Event::Resumed => "resumed",
            Event::Extended => "extended",
            Event::Note => "note",
            Event::Overdue => "overdue",
            Event::Fulfilled => "fulfilled",
            Event::PartlyFulfilled => "partly_fulfilled",
            Event::Refused => "refused",
            Event::Withdrawn => "withdrawn",
            Event::Escalated => "escalated",
        }
    }

    /// The event of a stored name.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.as_str() == raw)
    }
}

/// One event of a timeline as the clock needs it: what, when, and for an
/// extension its length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockEvent {
    pub event: Event,
    pub at: time::OffsetDateTime,
    pub extension_length: Option<u32>,
}

/// The pauses and extensions of a request, rebuilt from its timeline in
/// order: a pause runs from `Paused` to the next `Resumed`; one still open
/// counts up to `now` (so the due instant shown moves with it). Other events
/// do not touch the clock.
#[must_use]
pub fn clock_history(
    events: &[ClockEvent],
    now: time::OffsetDateTime,
) -> (
    Vec<crate::deadlines::Pause>,
    Vec<crate::deadlines::Extension>,
) {
    use crate::deadlines::{Extension, Pause};
    let mut pauses = Vec::new();
    let mut extensions = Vec::new();
    let mut open: Option<time::OffsetDateTime> = None;
    for e in events {
        match e.event {
            Event::Paused => open = open.or(Some(e.at)),
            Event::Resumed => {
                if let Some(from) = open.take() {
                    pauses.push(Pause { from, to: e.at });
                }
            }
            Event::Extended => extensions.push(Extension {
                at: e.at,
                length: e.extension_length,
            }),
            _ => {}
        }
    }
    if let Some(from) = open {
        pauses.push(Pause {
            from,
            to: now.max(from),
        });
    }
    (pauses, extensions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    #[test]
    fn the_state_machine() {
        let cases = [
            (
                AwaitingVerification,
                Action::VerifyIdentity,
                Ok(InProgress),
                "the officer verifies an officer-channel requester",
            ),
            (
                InProgress,
                Action::RequestInfo,
                Ok(AwaitingRequester),
                "asking for information",
            ),
            (
                AwaitingVerification,
                Action::RequestInfo,
                Ok(AwaitingRequester),
                "asking for proof of identity",
            ),
            (
                AwaitingRequester,
                Action::Reply { resume: InProgress },
                Ok(InProgress),
                "the reply resumes the work",
            ),
            (
                AwaitingRequester,
                Action::Reply {
                    resume: AwaitingVerification,
                },
                Ok(AwaitingVerification),
                "the reply resumes verification",
            ),
            (InProgress, Action::Fulfil, Ok(Fulfilled), "fulfilled"),
            (
                InProgress,
                Action::PartlyFulfil,
                Ok(PartlyFulfilled),
                "partly fulfilled",
            ),
            (InProgress, Action::Refuse, Ok(Refused), "refused"),
            (
                AwaitingVerification,
                Action::Refuse,
                Ok(Refused),
                "refused without verification (identity not proven)",
            ),
            (Received, Action::Withdraw, Ok(Withdrawn), "withdrawn early"),
            (
                AwaitingRequester,
                Action::Withdraw,
                Ok(Withdrawn),
                "withdrawn while asked",
            ),
            (
                AwaitingVerification,
                Action::Fulfil,
                Err("not_allowed"),
                "no data to an unverified requester",
            ),
            (
                AwaitingVerification,
                Action::PartlyFulfil,
                Err("not_allowed"),
                "no partial data either",
            ),
            (
                InProgress,
                Action::VerifyIdentity,
                Err("not_allowed"),
                "verifying twice",
            ),
            (
                InProgress,
                Action::Reply { resume: InProgress },
                Err("not_allowed"),
                "a reply nobody asked for changes no status",
            ),
            (
                AwaitingRequester,
                Action::RequestInfo,
                Err("not_allowed"),
                "asking while already waiting",
            ),
            (
                Fulfilled,
                Action::Refuse,
                Err("closed"),
                "closed stays closed",
            ),
            (
                Refused,
                Action::Withdraw,
                Err("closed"),
                "a refusal cannot be withdrawn",
            ),
            (
                Withdrawn,
                Action::RequestInfo,
                Err("closed"),
                "withdrawn stays withdrawn",
            ),
            (
                PartlyFulfilled,
                Action::Fulfil,
                Err("closed"),
                "no second answer",
            ),
        ];
        for (from, action, expected, why) in cases {
            let got = transition(from, action).map_err(|e| match e {
                TransitionError::Closed => "closed",
                TransitionError::NotAllowed { .. } => "not_allowed",
            });
            assert_eq!(got, expected, "{why}");
        }
    }

    #[test]
    fn names_round_trip() {
        for kind in RequestKind::ALL {
            assert_eq!(RequestKind::parse(kind.as_str()), Some(kind));
        }
        for status in [
            Received,
            AwaitingVerification,
            InProgress,
            AwaitingRequester,
            Fulfilled,
            PartlyFulfilled,
            Refused,
            Withdrawn,
        ] {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
    }

    #[test]
    fn acknowledgment_numbers_are_short_and_unambiguous() {
        let ack = acknowledgment_number(2026, [0x3a, 0x91, 0x7c, 0x05, 0xff]);
        assert_eq!(ack.len(), "PR-2026-XXXX-XXXX".len());
        assert!(ack.starts_with("PR-2026-"));
        assert!(!ack[8..].contains(['I', 'L', 'O', 'U']));
        assert_eq!(parse_acknowledgment(&ack.to_lowercase()), Some(ack.clone()));
        assert_eq!(acknowledgment_number(2026, [0; 5]), "PR-2026-0000-0000");
        assert_eq!(acknowledgment_number(2026, [0xff; 5]), "PR-2026-ZZZZ-ZZZZ");
        assert_eq!(
            parse_acknowledgment(" pr-2026-oo1l-zzzz "),
            Some("PR-2026-0011-ZZZZ".to_owned())
        );
        assert_eq!(parse_acknowledgment("PR-2026-0000"), None);
        assert_eq!(parse_acknowledgment("PR-2026-000U-0000"), None);
        assert_eq!(parse_acknowledgment("XX-2026-0000-0000"), None);
    }

    #[test]
    fn every_event_name_reads_back() {
        for event in Event::ALL {
            assert_eq!(Event::parse(event.as_str()), Some(event));
            assert_eq!(
                serde_json::to_value(event).ok(),
                Some(serde_json::Value::String(event.as_str().to_owned()))
            );
        }
        assert_eq!(Event::parse("started"), None);
    }

    #[test]
    fn the_clock_history_is_rebuilt_from_the_timeline() {
        use crate::deadlines::{Extension, Pause};
        let t = |h: i64| time::macros::datetime!(2027-01-01 00:00 UTC) + time::Duration::hours(h);
        let e = |event, at| ClockEvent {
            event,
            at,
            extension_length: None,
        };
        let cases: Vec<(&str, Vec<ClockEvent>, Vec<Pause>, usize)> = vec![
            (
                "nothing that touches the clock",
                vec![e(Event::Received, t(0)), e(Event::Note, t(1))],
                vec![],
                0,
            ),
            (
                "a closed pause",
                vec![e(Event::Paused, t(1)), e(Event::Resumed, t(5))],
                vec![Pause {
                    from: t(1),
                    to: t(5),
                }],
                0,
            ),
            (
                "an open pause counts up to now",
                vec![e(Event::Paused, t(2))],
                vec![Pause {
                    from: t(2),
                    to: t(10),
                }],
                0,
            ),
            (
                "a second Paused while paused keeps the first start",
                vec![
                    e(Event::Paused, t(1)),
                    e(Event::Paused, t(3)),
                    e(Event::Resumed, t(4)),
                ],
                vec![Pause {
                    from: t(1),
                    to: t(4),
                }],
                0,
            ),
            (
                "a Resumed without a pause is nothing",
                vec![e(Event::Resumed, t(1))],
                vec![],
                0,
            ),
            (
                "two pauses and an extension",
                vec![
                    e(Event::Paused, t(1)),
                    e(Event::Resumed, t(2)),
                    ClockEvent {
                        event: Event::Extended,
                        at: t(3),
                        extension_length: Some(30),
                    },
                    e(Event::Paused, t(4)),
                    e(Event::Resumed, t(6)),
                ],
                vec![
                    Pause {
                        from: t(1),
                        to: t(2),
                    },
                    Pause {
                        from: t(4),
                        to: t(6),
                    },
                ],
                1,
            ),
        ];
        for (why, events, pauses, extensions) in cases {
            let (got_pauses, got_extensions) = clock_history(&events, t(10));
            assert_eq!(got_pauses, pauses, "{why}");
            assert_eq!(got_extensions.len(), extensions, "{why}");
        }
        let (_, ext) = clock_history(
            &[ClockEvent {
                event: Event::Extended,
                at: t(3),
                extension_length: Some(30),
            }],
            t(10),
        );
        assert_eq!(
            ext,
            vec![Extension {
                at: t(3),
                length: Some(30)
            }]
        );
    }

    #[test]
    fn every_filing_gets_its_clock() {
        use Channel::{InApp, PrivacyOfficer};
        use RequestKind::*;
        use Status::{AwaitingVerification, InProgress, Received};
        let cases = [
            (InApp, Access, "guideline-30", InProgress, true),
            (InApp, Copy, "guideline-30", InProgress, true),
            (InApp, Correction, "guideline-30", InProgress, true),
            (InApp, Deletion, "guideline-30", InProgress, true),
            (InApp, Objection, "guideline-30", InProgress, true),
            (InApp, Complaint, "guideline-30", InProgress, true),
            (InApp, Reaccess, "reaccess-4h", Received, true),
            (
                PrivacyOfficer,
                Access,
                "guideline-30",
                AwaitingVerification,
                false,
            ),
            (
                PrivacyOfficer,
                Copy,
                "privacy-officer-60",
                AwaitingVerification,
                true,
            ),
            (
                PrivacyOfficer,
                Correction,
                "privacy-officer-60",
                AwaitingVerification,
                true,
            ),
            (
                PrivacyOfficer,
                Deletion,
                "privacy-officer-60",
                AwaitingVerification,
                true,
            ),
            (
                PrivacyOfficer,
                Objection,
                "guideline-30",
                AwaitingVerification,
                false,
            ),
            (
                PrivacyOfficer,
                Complaint,
                "guideline-30",
                AwaitingVerification,
                false,
            ),
            (PrivacyOfficer, Reaccess, "reaccess-4h", Received, true),
        ];
        assert_eq!(cases.len(), 2 * RequestKind::ALL.len(), "every pair");
        for (channel, kind, policy, status, at_filing) in cases {
            assert_eq!(
                filing_rule(channel, kind),
                FilingRule {
                    policy,
                    status,
                    clock_starts_at_filing: at_filing
                },
                "{channel:?} {kind:?}"
            );
        }
    }
}
