use super::*;
use crate::deadlines::preset;
use Status::*;
use time::macros::datetime;

const FILED: OffsetDateTime = datetime!(2026-06-15 02:00 UTC);
const NOW: OffsetDateTime = datetime!(2026-06-20 02:00 UTC);

/// A request under `policy` in `status`; its clock started at filing unless
/// `status` is awaiting verification.
fn request(policy: &str, status: Status) -> Request {
    let mut r = Request {
        status,
        resume_status: None,
        clock_started_at: (status != AwaitingVerification).then_some(FILED),
        paused_since: None,
        due_at: None,
        closed_at: None,
        late: false,
        answer: None,
        regulator: None,
        escalated: false,
        policy: preset(policy).expect("preset"),
        history: vec![ClockEvent {
            event: Event::Received,
            at: FILED,
            extension_length: None,
        }],
    };
    r.due_at = r.schedule(FILED).expect("schedule").map(|s| s.due_at);
    if status.is_closed() {
        r.closed_at = Some(FILED);
    }
    r
}

fn text(s: &str) -> String {
    s.to_owned()
}

fn every_command() -> Vec<(&'static str, Command)> {
    vec![
        (
            "assign",
            Command::Assign {
                assignee: text("officer-1"),
                is_staff: true,
            },
        ),
        ("verify", Command::VerifyIdentity),
        (
            "request-info",
            Command::RequestInfo {
                message: text("Which account?"),
            },
        ),
        (
            "extend",
            Command::Extend {
                days: None,
                reason: text("Complex"),
            },
        ),
        (
            "fulfil",
            Command::Fulfil {
                summary: text("Done"),
            },
        ),
        (
            "partly-fulfil",
            Command::PartlyFulfil {
                summary: text("Most of it"),
                withheld: vec![Withheld {
                    item: text("chat logs"),
                    reason: text("legal hold"),
                }],
            },
        ),
        (
            "refuse",
            Command::Refuse {
                reason: text("Manifestly unfounded"),
            },
        ),
        (
            "note",
            Command::Note {
                text: text("Called"),
            },
        ),
        (
            "reply",
            Command::Reply {
                message: text("Here it is"),
            },
        ),
        ("withdraw", Command::Withdraw),
        (
            "escalate",
            Command::Escalate {
                reason: text("Disputes the outcome"),
            },
        ),
    ]
}

/// Every command from every status: the status it reaches, or the error.
#[test]
fn every_command_from_every_status() {
    use RequestError::{Closed, NotAllowed};
    // Columns: assign, verify, request-info, extend, fulfil, partly-fulfil,
    // refuse, note, reply, withdraw, escalate.
    let table: [(Status, [Result<Status, RequestError>; 11]); 8] = [
        (
            Received,
            [
                Ok(Received),
                Err(NotAllowed(Received)),
                Ok(AwaitingRequester),
                Ok(Received),
                Ok(Fulfilled),
                Ok(PartlyFulfilled),
                Ok(Refused),
                Ok(Received),
                Ok(Received),
                Ok(Withdrawn),
                Ok(Received),
            ],
        ),
        (
            AwaitingVerification,
            [
                Ok(AwaitingVerification),
                Ok(InProgress),
                Ok(AwaitingRequester),
                Err(RequestError::ClockNotStarted),
                Err(NotAllowed(AwaitingVerification)),
                Err(NotAllowed(AwaitingVerification)),
                Ok(Refused),
                Ok(AwaitingVerification),
                Ok(AwaitingVerification),
                Ok(Withdrawn),
                Ok(AwaitingVerification),
            ],
        ),
        (
            InProgress,
            [
                Ok(InProgress),
                Err(NotAllowed(InProgress)),
                Ok(AwaitingRequester),
                Ok(InProgress),
                Ok(Fulfilled),
                Ok(PartlyFulfilled),
                Ok(Refused),
                Ok(InProgress),
                Ok(InProgress),
                Ok(Withdrawn),
                Ok(InProgress),
            ],
        ),
        (
            AwaitingRequester,
            [
                Ok(AwaitingRequester),
                Err(NotAllowed(AwaitingRequester)),
                Err(NotAllowed(AwaitingRequester)),
                Ok(AwaitingRequester),
                Ok(Fulfilled),
                Ok(PartlyFulfilled),
                Ok(Refused),
                Ok(AwaitingRequester),
                Ok(InProgress),
                Ok(Withdrawn),
                Ok(AwaitingRequester),
            ],
        ),
        (Fulfilled, [const { Err(Closed) }; 11]),
        (PartlyFulfilled, [const { Err(Closed) }; 11]),
        (Refused, [const { Err(Closed) }; 11]),
        (Withdrawn, [const { Err(Closed) }; 11]),
    ];
    for (from, expected) in table {
        for ((name, command), want) in every_command().into_iter().zip(expected) {
            let mut r = request("guideline-30", from);
            let before = r.clone();
            let got = r.apply(command, NOW).map(|_| r.status);
            // An internal note may still be added to a closed request.
            let want = if name == "note" && from.is_closed() {
                Ok(from)
            } else {
                want
            };
            assert_eq!(got, want, "{name} from {from:?}");
            if got.is_err() {
                assert_eq!(r, before, "{name} from {from:?} changed a refused request");
            }
        }
    }
}

#[test]
fn empty_or_bad_text_is_refused_before_anything_moves() {
    let cases: [(Command, &str, &str); 8] = [
        (
            Command::RequestInfo {
                message: text("  "),
            },
            "message",
            "required",
        ),
        (
            Command::Extend {
                days: None,
                reason: text(""),
            },
            "reason",
            "required",
        ),
        (
            Command::Fulfil {
                summary: text("\n"),
            },
            "summary",
            "required",
        ),
        (
            Command::Refuse {
                reason: text("a\0b"),
            },
            "reason",
            "invalid_characters",
        ),
        (
            Command::Note {
                text: "x".repeat(MAX_TEXT + 1),
            },
            "text",
            "too_long",
        ),
        (Command::Reply { message: text("") }, "message", "required"),
        (
            Command::PartlyFulfil {
                summary: text("Some"),
                withheld: vec![],
            },
            "withheld",
            "required",
        ),
        (
            Command::PartlyFulfil {
                summary: text("Some"),
                withheld: vec![Withheld {
                    item: text("logs"),
                    reason: text(""),
                }],
            },
            "withheld[0].reason",
            "required",
        ),
    ];
    for (command, field, code) in cases {
        let mut r = request("guideline-30", InProgress);
        let before = r.clone();
        let e = r.apply(command.clone(), NOW).expect_err("refused");
        assert_eq!(
            (e.field().as_deref(), e.code(), e.status()),
            (Some(field), code, 422),
            "{command:?}"
        );
        assert_eq!(r, before);
    }
}

#[test]
fn assigning_needs_a_staff_member() {
    let mut r = request("guideline-30", InProgress);
    let e = r
        .apply(
            Command::Assign {
                assignee: text("holder"),
                is_staff: false,
            },
            NOW,
        )
        .expect_err("refused");
    assert_eq!((e.code(), e.status()), ("invalid_assignee", 422));
}

#[test]
fn verification_starts_a_clock_that_counts_from_it() {
    let mut r = request("guideline-30", AwaitingVerification);
    assert_eq!(r.due_at, None);
    let outcome = r.apply(Command::VerifyIdentity, NOW).expect("verified");
    assert_eq!(r.clock_started_at, Some(NOW));
    // 30 days from 20 June (Shanghai): the end of 20 July, local.
    assert_eq!(r.due_at, Some(datetime!(2026-07-20 15:59:59 UTC)));
    assert_eq!(outcome.events[0].due_after, r.due_at);
    assert_eq!(outcome.notice, Some(Notice::IdentityVerified));
}

#[test]
fn verification_keeps_a_clock_that_counts_from_receipt() {
    let mut r = request("privacy-officer-60", AwaitingVerification);
    r.clock_started_at = Some(FILED);
    r.due_at = r.schedule(FILED).expect("schedule").map(|s| s.due_at);
    let due = r.due_at;
    r.apply(Command::VerifyIdentity, NOW).expect("verified");
    assert_eq!((r.clock_started_at, r.due_at), (Some(FILED), due));
}

#[test]
fn asking_for_information_pauses_only_where_the_policy_says() {
    for (policy, pauses) in [("guideline-30", true), ("privacy-officer-60", false)] {
        let mut r = request(policy, InProgress);
        let outcome = r
            .apply(
                Command::RequestInfo {
                    message: text("Which account?"),
                },
                NOW,
            )
            .expect("asked");
        let events: Vec<(Event, By)> = outcome.events.iter().map(|e| (e.event, e.by)).collect();
        if pauses {
            assert_eq!(r.paused_since, Some(NOW), "{policy}");
            assert_eq!(
                events,
                [
                    (Event::Paused, By::System),
                    (Event::InfoRequested, By::Caller)
                ]
            );
        } else {
            assert_eq!(r.paused_since, None, "{policy}");
            assert_eq!(events, [(Event::InfoRequested, By::Caller)]);
        }
        assert_eq!(r.resume_status, Some(InProgress));
    }
}

#[test]
fn a_reply_resumes_and_moves_the_due_instant_by_the_pause() {
    let mut r = request("guideline-30", InProgress);
    let due = r.due_at.expect("due");
    r.apply(
        Command::RequestInfo {
            message: text("Which account?"),
        },
        NOW,
    )
    .expect("asked");
    let later = NOW + time::Duration::days(4);
    let outcome = r
        .apply(
            Command::Reply {
                message: text("This one"),
            },
            later,
        )
        .expect("replied");
    assert_eq!(r.status, InProgress);
    assert_eq!(r.paused_since, None);
    assert_eq!(r.resume_status, None);
    // The engine's own count of the pause (it counts whole local days).
    let engine = deadlines::compute(
        &r.policy,
        FILED,
        &[deadlines::Pause {
            from: NOW,
            to: later,
        }],
        &[],
    )
    .expect("engine");
    assert!(engine.due_at > due);
    assert_eq!(r.due_at, Some(engine.due_at));
    let resumed = &outcome.events[1];
    assert_eq!(
        (
            resumed.event,
            resumed.by,
            resumed.due_before,
            resumed.due_after
        ),
        (Event::Resumed, By::System, Some(due), r.due_at)
    );
    // The history the clock reads now holds the pause.
    let kinds: Vec<Event> = r.history.iter().map(|e| e.event).collect();
    assert_eq!(
        kinds,
        [
            Event::Received,
            Event::Paused,
            Event::InfoRequested,
            Event::Message,
            Event::Resumed
        ]
    );
}

#[test]
fn extension_once_within_the_cap_and_before_the_due_instant() {
    let mut r = request("guideline-30", InProgress);
    let due = r.due_at.expect("due");
    let outcome = r
        .apply(
            Command::Extend {
                days: None,
                reason: text("Complex"),
            },
            NOW,
        )
        .expect("extended");
    assert_eq!(r.due_at, Some(due + time::Duration::days(30)));
    assert_eq!(
        outcome.notice,
        Some(Notice::Extended {
            due_at: due + time::Duration::days(30),
            reason: text("Complex")
        })
    );
    // A second extension is over the cap.
    let e = r
        .apply(
            Command::Extend {
                days: None,
                reason: text("More"),
            },
            NOW,
        )
        .expect_err("capped");
    assert_eq!((e.code(), e.status()), ("extension_cap_exceeded", 409));
    // Past the due instant, no extension.
    let mut late = request("guideline-30", InProgress);
    let e = late
        .apply(
            Command::Extend {
                days: None,
                reason: text("Late"),
            },
            due + time::Duration::seconds(1),
        )
        .expect_err("too late");
    assert_eq!((e.code(), e.status()), ("deadline_passed", 409));
}

#[test]
fn closing_after_the_due_instant_is_late_and_answers_carry_the_regulator() {
    let mut r = request("reaccess-4h", Received);
    let due = r.due_at.expect("due");
    r.apply(
        Command::Refuse {
            reason: text("Not the holder"),
        },
        due + time::Duration::minutes(1),
    )
    .expect("refused");
    assert!(r.late);
    assert_eq!(r.status, Refused);
    let answer = r.answer.clone().expect("answer");
    assert!(answer.starts_with("Not the holder\n") && answer.ends_with(RIGHT_TO_COMPLAIN));

    let mut on_time = request("guideline-30", InProgress);
    on_time
        .apply(
            Command::PartlyFulfil {
                summary: text("Sent the profile"),
                withheld: vec![Withheld {
                    item: text("chat logs"),
                    reason: text("legal hold"),
                }],
            },
            NOW,
        )
        .expect("answered");
    assert!(!on_time.late);
    assert_eq!(
        on_time.answer.as_deref(),
        Some(
            format!(
                "Sent the profile\nNot done: chat logs. Reason: legal hold\n{RIGHT_TO_COMPLAIN}"
            )
            .as_str()
        )
    );
}

#[test]
fn closing_ends_a_pause_and_a_note_is_internal() {
    let mut r = request("guideline-30", InProgress);
    r.apply(
        Command::RequestInfo {
            message: text("Which?"),
        },
        NOW,
    )
    .expect("asked");
    r.apply(Command::Withdraw, NOW).expect("withdrawn");
    assert_eq!(
        (r.status, r.paused_since, r.closed_at),
        (Withdrawn, None, Some(NOW))
    );

    let mut n = request("guideline-30", InProgress);
    let outcome = n
        .apply(
            Command::Note {
                text: text("Called"),
            },
            NOW,
        )
        .expect("noted");
    assert!(outcome.events[0].internal);
    assert_eq!((outcome.notice, outcome.audit), (None, "request.note"));
}

#[test]
fn every_notice_names_its_event() {
    for (notice, event) in [
        (Notice::IdentityVerified, Event::IdentityVerified),
        (Notice::Withdrawn, Event::Withdrawn),
        (
            Notice::Refused {
                answer: String::new(),
            },
            Event::Refused,
        ),
    ] {
        assert_eq!(notice.kind(), event);
    }
}

/// Complaints: every answer, whatever its outcome, ends with the regulator
/// line the administrator set; other requests name the regulator only when
/// refused or answered in part.
#[test]
fn every_answer_to_a_complaint_names_the_regulator() {
    let line = "Complain to the CAC: 12377.cn";
    let commands = [
        Command::Fulfil {
            summary: text("We stopped the messages"),
        },
        Command::PartlyFulfil {
            summary: text("Stopped most"),
            withheld: vec![Withheld {
                item: text("order mails"),
                reason: text("contract"),
            }],
        },
        Command::Refuse {
            reason: text("Not ours"),
        },
    ];
    for command in commands {
        let mut complaint = request("guideline-30", InProgress);
        complaint.regulator = Some(line.to_owned());
        let outcome = complaint.apply(command.clone(), NOW).expect("closed");
        let answer = complaint.answer.clone().expect("answer");
        assert!(
            answer.ends_with(&format!("\n{line}")),
            "{command:?}: {answer}"
        );
        assert!(!answer.contains(RIGHT_TO_COMPLAIN), "{command:?}");
        assert_eq!(outcome.events[0].note.as_deref(), Some(answer.as_str()));

        let mut other = request("guideline-30", InProgress);
        other.apply(command.clone(), NOW).expect("closed");
        let answer = other.answer.expect("answer");
        assert_eq!(
            answer.ends_with(RIGHT_TO_COMPLAIN),
            !matches!(command, Command::Fulfil { .. }),
            "{command:?}: {answer}"
        );
    }
}

#[test]
fn escalating_once_with_a_reason_tells_the_requester() {
    let mut r = request("guideline-30", InProgress);
    let before = r.clone();
    assert_eq!(
        r.apply(Command::Escalate { reason: text("  ") }, NOW),
        Err(RequestError::Required {
            field: text("reason")
        })
    );
    assert_eq!(r, before);
    let outcome = r
        .apply(
            Command::Escalate {
                reason: text("Asks for a manager"),
            },
            NOW,
        )
        .expect("escalated");
    assert!(r.escalated);
    assert_eq!(r.status, InProgress);
    assert_eq!(
        r.due_at, before.due_at,
        "escalating does not move the clock"
    );
    assert_eq!(outcome.events[0].event, Event::Escalated);
    assert!(!outcome.events[0].internal);
    assert_eq!(
        (outcome.notice, outcome.audit),
        (Some(Notice::Escalated), "request.escalated")
    );
    let err = r
        .apply(
            Command::Escalate {
                reason: text("again"),
            },
            NOW,
        )
        .expect_err("twice");
    assert_eq!((err.status(), err.code()), (409, "already_escalated"));
}
