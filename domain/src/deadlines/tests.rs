//! Table tests of the engine across the presets, and its properties.

use super::*;
use proptest::prelude::*;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

fn at(s: &str) -> OffsetDateTime {
    OffsetDateTime::parse(s, &Rfc3339).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn pause(from: &str, to: &str) -> Pause {
    Pause {
        from: at(from),
        to: at(to),
    }
}

fn ext(when: &str, length: Option<u32>) -> Extension {
    Extension {
        at: at(when),
        length,
    }
}

fn policy(name: &str) -> DeadlinePolicy {
    preset(name).unwrap_or_else(|| panic!("preset {name}"))
}

/// One case: policy, start, pauses, extensions, expected due instant (or
/// error code), and why the case exists.
struct Case {
    policy: DeadlinePolicy,
    start: &'static str,
    pauses: Vec<Pause>,
    extensions: Vec<Extension>,
    expected: Result<&'static str, &'static str>,
    why: &'static str,
}

fn case(
    policy_name: &str,
    start: &'static str,
    expected: Result<&'static str, &'static str>,
    why: &'static str,
) -> Case {
    Case {
        policy: policy(policy_name),
        start,
        pauses: vec![],
        extensions: vec![],
        expected,
        why,
    }
}

fn with_pauses(mut c: Case, pauses: Vec<Pause>) -> Case {
    c.pauses = pauses;
    c
}

fn with_extensions(mut c: Case, extensions: Vec<Extension>) -> Case {
    c.extensions = extensions;
    c
}

fn rolled(name: &str) -> DeadlinePolicy {
    DeadlinePolicy {
        calendar: Some("cn-mainland".into()),
        roll_forward: RollForward::NextWorkingDay,
        ..policy(name)
    }
}

fn cases() -> Vec<Case> {
    vec![
        // privacy-officer-60: 60 calendar days from receipt, Asia/Shanghai.
        case(
            "privacy-officer-60",
            "2027-01-31T15:30:00Z",
            Ok("2027-04-01T15:59:59Z"),
            "23:30 local on 31 Jan: day 60 is 1 April",
        ),
        case(
            "privacy-officer-60",
            "2027-01-31T16:30:00Z",
            Ok("2027-04-02T15:59:59Z"),
            "00:30 local is already 1 Feb",
        ),
        case(
            "privacy-officer-60",
            "2026-12-31T10:00:00Z",
            Ok("2027-03-01T15:59:59Z"),
            "across the year end, common February",
        ),
        case(
            "privacy-officer-60",
            "2027-12-31T16:00:00Z",
            Ok("2028-03-01T15:59:59Z"),
            "local midnight of 1 Jan 2028, leap February",
        ),
        case(
            "privacy-officer-60",
            "2028-01-01T00:00:00Z",
            Ok("2028-03-01T15:59:59Z"),
            "same local day as the previous case",
        ),
        case(
            "privacy-officer-60",
            "2026-11-29T03:00:00Z",
            Ok("2027-01-28T15:59:59Z"),
            "today's requests",
        ),
        case(
            "privacy-officer-60",
            "2027-06-30T15:59:59Z",
            Ok("2027-08-29T15:59:59Z"),
            "last second of a local day",
        ),
        case(
            "privacy-officer-60",
            "2027-06-30T16:00:00Z",
            Ok("2027-08-30T15:59:59Z"),
            "first second of the next local day",
        ),
        // guideline-30: 30 calendar days from verification.
        case(
            "guideline-30",
            "2027-01-31T15:30:00Z",
            Ok("2027-03-02T15:59:59Z"),
            "30 days from 31 Jan in a common year",
        ),
        case(
            "guideline-30",
            "2027-01-31T16:30:00Z",
            Ok("2027-03-03T15:59:59Z"),
            "local date is 1 Feb",
        ),
        case(
            "guideline-30",
            "2028-01-30T04:00:00Z",
            Ok("2028-02-29T15:59:59Z"),
            "ends on 29 Feb in a leap year",
        ),
        case(
            "guideline-30",
            "2027-01-30T04:00:00Z",
            Ok("2027-03-01T15:59:59Z"),
            "no 29 Feb in a common year",
        ),
        case(
            "guideline-30",
            "2026-12-15T12:00:00Z",
            Ok("2027-01-14T15:59:59Z"),
            "across the year end",
        ),
        case(
            "guideline-30",
            "2026-12-01T23:59:59Z",
            Ok("2027-01-01T15:59:59Z"),
            "UTC 1 Dec is local 2 Dec",
        ),
        // reaccess-4h: exact hours.
        case(
            "reaccess-4h",
            "2027-03-01T22:00:00Z",
            Ok("2027-03-02T02:00:00Z"),
            "four hours to the second",
        ),
        case(
            "reaccess-4h",
            "2026-12-31T21:30:15Z",
            Ok("2027-01-01T01:30:15Z"),
            "across the year end, seconds kept",
        ),
        case(
            "reaccess-4h",
            "2028-02-28T23:00:00Z",
            Ok("2028-02-29T03:00:00Z"),
            "into a leap day",
        ),
        case(
            "reaccess-4h",
            "2027-02-28T23:00:00Z",
            Ok("2027-03-01T03:00:00Z"),
            "over the end of a common February",
        ),
        // gdpr-1m: one month, Europe/Berlin with summer time.
        case(
            "gdpr-1m",
            "2027-01-31T10:00:00Z",
            Ok("2027-02-28T22:59:59Z"),
            "31 Jan + 1 month is 28 Feb",
        ),
        case(
            "gdpr-1m",
            "2028-01-31T10:00:00Z",
            Ok("2028-02-29T22:59:59Z"),
            "31 Jan + 1 month is 29 Feb in a leap year",
        ),
        case(
            "gdpr-1m",
            "2027-01-31T23:30:00Z",
            Ok("2027-03-01T22:59:59Z"),
            "local date is already 1 Feb",
        ),
        case(
            "gdpr-1m",
            "2027-03-15T12:00:00Z",
            Ok("2027-04-15T21:59:59Z"),
            "starts in winter time, ends in summer time",
        ),
        case(
            "gdpr-1m",
            "2027-03-31T12:00:00Z",
            Ok("2027-04-30T21:59:59Z"),
            "31 Mar + 1 month is 30 Apr",
        ),
        case(
            "gdpr-1m",
            "2027-10-15T12:00:00Z",
            Ok("2027-11-15T22:59:59Z"),
            "starts in summer time, ends in winter time",
        ),
        case(
            "gdpr-1m",
            "2027-12-31T12:00:00Z",
            Ok("2028-01-31T22:59:59Z"),
            "across the year end",
        ),
        case(
            "gdpr-1m",
            "2027-03-27T23:30:00Z",
            Ok("2027-04-28T21:59:59Z"),
            "starts on the night the clocks go forward",
        ),
        case(
            "gdpr-1m",
            "2027-08-31T12:00:00Z",
            Ok("2027-09-30T21:59:59Z"),
            "31 Aug + 1 month is 30 Sep",
        ),
        // ccpa-45: 45 calendar days, America/Los_Angeles.
        case(
            "ccpa-45",
            "2027-01-01T20:00:00Z",
            Ok("2027-02-16T07:59:59Z"),
            "end of 15 Feb Pacific time",
        ),
        case(
            "ccpa-45",
            "2027-02-01T07:30:00Z",
            Ok("2027-03-18T06:59:59Z"),
            "UTC 1 Feb is local 31 Jan; ends in daylight time",
        ),
        case(
            "ccpa-45",
            "2027-10-01T12:00:00Z",
            Ok("2027-11-16T07:59:59Z"),
            "ends after daylight time",
        ),
        // lgpd-15: 15 calendar days, America/Sao_Paulo.
        case(
            "lgpd-15",
            "2027-01-20T12:00:00Z",
            Ok("2027-02-05T02:59:59Z"),
            "end of 4 Feb at UTC-3",
        ),
        case(
            "lgpd-15",
            "2027-02-20T02:00:00Z",
            Ok("2027-03-07T02:59:59Z"),
            "UTC 20 Feb is local 19 Feb",
        ),
        // pipl-15wd: 15 working days of the mainland China calendar.
        case(
            "pipl-15wd",
            "2026-02-10T02:00:00Z",
            Ok("2026-03-09T15:59:59Z"),
            "across the Spring Festival with both make-up Saturdays",
        ),
        case(
            "pipl-15wd",
            "2026-09-25T02:00:00Z",
            Ok("2026-10-22T15:59:59Z"),
            "starts on the Mid-Autumn holiday, across National Day",
        ),
        case(
            "pipl-15wd",
            "2026-09-17T02:00:00Z",
            Ok("2026-10-14T15:59:59Z"),
            "counts the make-up Sunday 20 Sep and Saturday 10 Oct",
        ),
        case(
            "pipl-15wd",
            "2026-04-30T02:00:00Z",
            Ok("2026-05-25T15:59:59Z"),
            "across Labour Day and its make-up Saturday",
        ),
        case(
            "pipl-15wd",
            "2026-01-01T01:00:00Z",
            Ok("2026-01-22T15:59:59Z"),
            "starts on New Year's Day; the make-up Sunday counts",
        ),
        case(
            "pipl-15wd",
            "2026-02-12T15:30:00Z",
            Ok("2026-03-11T15:59:59Z"),
            "23:30 local on Thursday 12 Feb",
        ),
        case(
            "pipl-15wd",
            "2026-02-12T16:30:00Z",
            Ok("2026-03-12T15:59:59Z"),
            "00:30 local is Friday 13 Feb",
        ),
        case(
            "pipl-15wd",
            "2027-12-20T02:00:00Z",
            Err("outside_calendar"),
            "the count leaves the calendar: an error, not a guess",
        ),
        case(
            "pipl-15wd",
            "2025-12-20T02:00:00Z",
            Err("outside_calendar"),
            "before the calendar",
        ),
        Case {
            policy: rolled("privacy-officer-60"),
            ..case(
                "privacy-officer-60",
                "2026-08-02T02:00:00Z",
                Ok("2026-10-08T15:59:59Z"),
                "day 60 is 1 Oct: rolls past National Day",
            )
        },
        case(
            "privacy-officer-60",
            "2026-08-02T02:00:00Z",
            Ok("2026-10-01T15:59:59Z"),
            "without roll-forward the holiday is the last day",
        ),
        Case {
            policy: rolled("guideline-30"),
            ..case(
                "guideline-30",
                "2026-01-16T02:00:00Z",
                Ok("2026-02-24T15:59:59Z"),
                "day 30 is 15 Feb: rolls past the Spring Festival",
            )
        },
        Case {
            policy: rolled("guideline-30"),
            ..case(
                "guideline-30",
                "2026-10-15T02:00:00Z",
                Ok("2026-11-16T15:59:59Z"),
                "day 30 is Saturday 14 Nov: rolls to Monday",
            )
        },
        // Pauses (guideline-30 allows them): whole local dates touched, both ends counted.
        with_pauses(
            case(
                "guideline-30",
                "2027-01-01T02:00:00Z",
                Ok("2027-02-03T15:59:59Z"),
                "a pause touching 3 dates adds 3 days",
            ),
            vec![pause("2027-01-10T02:00:00Z", "2027-01-12T02:00:00Z")],
        ),
        with_pauses(
            case(
                "guideline-30",
                "2027-01-01T02:00:00Z",
                Ok("2027-02-01T15:59:59Z"),
                "an hour's pause adds its day",
            ),
            vec![pause("2027-01-10T02:00:00Z", "2027-01-10T03:00:00Z")],
        ),
        with_pauses(
            case(
                "guideline-30",
                "2027-01-01T02:00:00Z",
                Ok("2027-02-12T15:59:59Z"),
                "a pause across a month end",
            ),
            vec![pause("2027-01-25T02:00:00Z", "2027-02-05T02:00:00Z")],
        ),
        with_pauses(
            case(
                "guideline-30",
                "2027-01-01T02:00:00Z",
                Ok("2027-02-02T15:59:59Z"),
                "an hour across local midnight touches 2 dates",
            ),
            vec![pause("2027-01-10T15:30:00Z", "2027-01-10T16:30:00Z")],
        ),
        with_pauses(
            case(
                "guideline-30",
                "2027-01-01T02:00:00Z",
                Ok("2027-02-03T15:59:59Z"),
                "two pauses add up",
            ),
            vec![
                pause("2027-01-20T02:00:00Z", "2027-01-21T02:00:00Z"),
                pause("2027-01-10T02:00:00Z", "2027-01-10T03:00:00Z"),
            ],
        ),
        with_pauses(
            case(
                "guideline-30",
                "2027-01-01T02:00:00Z",
                Ok("2027-02-02T15:59:59Z"),
                "a pause may begin at the due instant",
            ),
            vec![pause("2027-01-31T15:59:59Z", "2027-02-01T01:00:00Z")],
        ),
        with_pauses(
            case(
                "privacy-officer-60",
                "2027-01-31T15:30:00Z",
                Ok("2027-04-01T15:59:59Z"),
                "the 60-day policy does not pause",
            ),
            vec![pause("2027-02-10T02:00:00Z", "2027-02-20T02:00:00Z")],
        ),
        with_pauses(
            case(
                "gdpr-1m",
                "2027-01-15T10:00:00Z",
                Ok("2027-02-18T22:59:59Z"),
                "a GDPR pause adds its dates to the month",
            ),
            vec![pause("2027-01-20T10:00:00Z", "2027-01-22T10:00:00Z")],
        ),
        with_pauses(
            case(
                "guideline-30",
                "2027-01-01T02:00:00Z",
                Err("pause_before_start"),
                "a pause before the clock started",
            ),
            vec![pause("2027-01-01T01:00:00Z", "2027-01-02T01:00:00Z")],
        ),
        with_pauses(
            case(
                "guideline-30",
                "2027-01-01T02:00:00Z",
                Err("pauses_overlap"),
                "overlapping pauses",
            ),
            vec![
                pause("2027-01-10T02:00:00Z", "2027-01-12T02:00:00Z"),
                pause("2027-01-11T02:00:00Z", "2027-01-13T02:00:00Z"),
            ],
        ),
        with_pauses(
            case(
                "guideline-30",
                "2027-01-01T02:00:00Z",
                Err("pause_reversed"),
                "a pause that ends before it begins",
            ),
            vec![pause("2027-01-12T02:00:00Z", "2027-01-10T02:00:00Z")],
        ),
        with_pauses(
            case(
                "guideline-30",
                "2027-01-01T02:00:00Z",
                Err("pause_after_due"),
                "a pause after the due instant",
            ),
            vec![pause("2027-02-01T00:00:00Z", "2027-02-02T00:00:00Z")],
        ),
        // Extensions: up to and including the due instant, within the cap.
        with_extensions(
            case(
                "privacy-officer-60",
                "2027-01-31T15:30:00Z",
                Ok("2027-05-01T15:59:59Z"),
                "30 days more from 1 April",
            ),
            vec![ext("2027-03-01T00:00:00Z", None)],
        ),
        with_extensions(
            case(
                "privacy-officer-60",
                "2027-01-31T15:30:00Z",
                Ok("2027-05-01T15:59:59Z"),
                "granted at the due instant itself",
            ),
            vec![ext("2027-04-01T15:59:59Z", None)],
        ),
        with_extensions(
            case(
                "privacy-officer-60",
                "2027-01-31T15:30:00Z",
                Ok("2027-05-01T15:59:59Z"),
                "granted the second before",
            ),
            vec![ext("2027-04-01T15:59:58Z", None)],
        ),
        with_extensions(
            case(
                "privacy-officer-60",
                "2027-01-31T15:30:00Z",
                Err("deadline_passed"),
                "asked the second after",
            ),
            vec![ext("2027-04-01T16:00:00Z", None)],
        ),
        with_extensions(
            case(
                "privacy-officer-60",
                "2027-01-31T15:30:00Z",
                Err("extension_cap_exceeded"),
                "a second extension",
            ),
            vec![
                ext("2027-03-01T00:00:00Z", None),
                ext("2027-04-10T00:00:00Z", None),
            ],
        ),
        with_extensions(
            case(
                "privacy-officer-60",
                "2027-01-31T15:30:00Z",
                Err("extension_cap_exceeded"),
                "longer than allowed",
            ),
            vec![ext("2027-03-01T00:00:00Z", Some(31))],
        ),
        with_extensions(
            case(
                "privacy-officer-60",
                "2027-01-31T15:30:00Z",
                Ok("2027-04-11T15:59:59Z"),
                "a shorter extension",
            ),
            vec![ext("2027-03-01T00:00:00Z", Some(10))],
        ),
        with_extensions(
            case(
                "reaccess-4h",
                "2027-03-01T22:00:00Z",
                Err("extension_cap_exceeded"),
                "the service level has no extension",
            ),
            vec![ext("2027-03-01T23:00:00Z", None)],
        ),
        with_extensions(
            case(
                "gdpr-1m",
                "2027-01-31T10:00:00Z",
                Ok("2027-04-28T21:59:59Z"),
                "two more months from 28 Feb",
            ),
            vec![ext("2027-02-10T10:00:00Z", None)],
        ),
        with_extensions(
            case(
                "ccpa-45",
                "2027-01-01T20:00:00Z",
                Ok("2027-04-02T06:59:59Z"),
                "45 more days from 15 Feb",
            ),
            vec![ext("2027-02-01T00:00:00Z", None)],
        ),
        with_extensions(
            with_pauses(
                case(
                    "guideline-30",
                    "2027-01-01T02:00:00Z",
                    Ok("2027-03-05T15:59:59Z"),
                    "a pause, then an extension",
                ),
                vec![pause("2027-01-10T02:00:00Z", "2027-01-12T02:00:00Z")],
            ),
            vec![ext("2027-02-01T00:00:00Z", None)],
        ),
        with_extensions(
            with_pauses(
                case(
                    "guideline-30",
                    "2027-01-01T02:00:00Z",
                    Ok("2027-03-03T15:59:59Z"),
                    "an extension, then a pause",
                ),
                vec![pause("2027-02-10T02:00:00Z", "2027-02-10T03:00:00Z")],
            ),
            vec![ext("2027-01-05T00:00:00Z", None)],
        ),
        with_extensions(
            with_pauses(
                case(
                    "guideline-30",
                    "2027-01-01T02:00:00Z",
                    Ok("2027-03-05T15:59:59Z"),
                    "a pause moved the due instant, so the extension is in time",
                ),
                vec![pause("2027-01-10T02:00:00Z", "2027-01-12T02:00:00Z")],
            ),
            vec![ext("2027-02-02T00:00:00Z", None)],
        ),
        with_extensions(
            case(
                "guideline-30",
                "2027-01-01T02:00:00Z",
                Err("deadline_passed"),
                "the same extension without the pause is late",
            ),
            vec![ext("2027-02-02T00:00:00Z", None)],
        ),
    ]
}

#[test]
fn due_instants_across_the_presets() {
    let cases = cases();
    assert!(
        cases.len() >= 60,
        "at least 60 table cases, have {}",
        cases.len()
    );
    for c in cases {
        let got = compute(&c.policy, at(c.start), &c.pauses, &c.extensions);
        let got = got
            .as_ref()
            .map(|s| s.due_at.format(&Rfc3339).unwrap_or_default())
            .map_err(DeadlineError::code);
        assert_eq!(
            got.as_ref().map(String::as_str).map_err(|e| *e),
            c.expected,
            "{} ({} from {})",
            c.why,
            c.policy.name,
            c.start
        );
    }
}

#[test]
fn hour_policies_pause_to_the_second() {
    let policy = DeadlinePolicy {
        pause_while_awaiting_requester: true,
        ..preset("reaccess-4h").expect("preset")
    };
    let schedule = compute(
        &policy,
        at("2027-03-01T22:00:00Z"),
        &[pause("2027-03-01T23:00:00Z", "2027-03-01T23:30:17Z")],
        &[],
    )
    .expect("computes");
    assert_eq!(schedule.due_at, at("2027-03-02T02:30:17Z"));
}

#[test]
fn reminders_and_overdue() {
    let schedule = compute(
        &policy("privacy-officer-60"),
        at("2027-01-31T15:30:00Z"),
        &[],
        &[],
    )
    .expect("computes");
    let reminders: Vec<_> = schedule.reminders.iter().map(|r| r.0).collect();
    assert_eq!(
        reminders,
        vec![
            at("2027-03-25T15:59:59Z"),
            at("2027-03-29T15:59:59Z"),
            at("2027-03-31T15:59:59Z")
        ]
    );
    assert_eq!(schedule.overdue_at, at("2027-04-01T16:00:00Z"));
    assert!(
        !is_overdue(schedule.due_at, at("2027-04-01T15:59:59Z")),
        "not overdue at the due instant"
    );
    assert!(
        is_overdue(schedule.due_at, schedule.overdue_at),
        "overdue one second later"
    );

    let hours =
        compute(&policy("reaccess-4h"), at("2027-03-01T22:00:00Z"), &[], &[]).expect("computes");
    assert_eq!(
        hours.reminders.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![at("2027-03-02T01:00:00Z")]
    );

    // Reminders keep local wall time across the change to summer time.
    let berlin =
        compute(&policy("gdpr-1m"), at("2027-03-01T10:00:00Z"), &[], &[]).expect("computes");
    assert_eq!(berlin.due_at, at("2027-04-01T21:59:59Z"));
    assert_eq!(
        berlin.reminders.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![
            at("2027-03-25T22:59:59Z"),
            at("2027-03-29T21:59:59Z"),
            at("2027-03-31T21:59:59Z")
        ]
    );
}

#[test]
fn provisional_calendar_dates_are_flagged() {
    let inside_2026 =
        compute(&policy("pipl-15wd"), at("2026-04-30T02:00:00Z"), &[], &[]).expect("computes");
    assert!(!inside_2026.provisional);
    let into_2027 =
        compute(&policy("pipl-15wd"), at("2026-12-24T02:00:00Z"), &[], &[]).expect("computes");
    assert_eq!(into_2027.due_at, at("2027-01-15T15:59:59Z"));
    assert!(
        into_2027.provisional,
        "2027's arrangement is not yet published"
    );
}

#[test]
fn bad_policies_are_errors() {
    let zone = DeadlinePolicy {
        time_zone: "Mars/Olympus".into(),
        ..policy("guideline-30")
    };
    assert_eq!(
        compute(&zone, at("2027-01-01T00:00:00Z"), &[], &[]).map_err(|e| e.code()),
        Err("unknown_time_zone")
    );
    let no_calendar = DeadlinePolicy {
        calendar: None,
        ..policy("pipl-15wd")
    };
    assert_eq!(
        compute(&no_calendar, at("2026-05-01T00:00:00Z"), &[], &[]).map_err(|e| e.code()),
        Err("calendar_required")
    );
}

#[test]
fn presets_name_their_sources() {
    let all = presets();
    for name in [
        "guideline-30",
        "privacy-officer-60",
        "reaccess-4h",
        "gdpr-1m",
        "ccpa-45",
        "pipl-15wd",
        "lgpd-15",
    ] {
        let p = all
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name} shipped"));
        assert!(!p.source.is_empty());
    }
}

fn any_preset() -> impl Strategy<Value = DeadlinePolicy> {
    prop::sample::select(presets())
}

/// Starts from 2026-01-01 to 2027-06-30, inside the working-day calendar's reach.
fn any_start() -> impl Strategy<Value = OffsetDateTime> {
    (1_767_225_600i64..1_782_777_600)
        .prop_map(|s| OffsetDateTime::from_unix_timestamp(s).expect("in range"))
}

/// The sweeper's next event: the earliest reminder after now (never one
/// before the clock started), else the first overdue instant.
#[test]
fn next_event_is_the_next_reminder_then_overdue() {
    let officer = policy("privacy-officer-60");
    let due = at("2027-04-01T15:59:59Z");
    let mut long = policy("gdpr-1m");
    long.reminders = vec![Period::new(90, Unit::CalendarDays)];
    let cases: Vec<(&DeadlinePolicy, &str, &str, &str, &str)> = vec![
        (
            &officer,
            "2027-01-31T15:30:00Z",
            "2027-03-25T15:59:59Z",
            "2027-01-31T15:30:00Z",
            "filed: the 7-day reminder",
        ),
        (
            &officer,
            "2027-03-25T15:59:58Z",
            "2027-03-25T15:59:59Z",
            "2027-01-31T15:30:00Z",
            "a second before it",
        ),
        (
            &officer,
            "2027-03-25T15:59:59Z",
            "2027-03-29T15:59:59Z",
            "2027-01-31T15:30:00Z",
            "at a reminder: the next one",
        ),
        (
            &officer,
            "2027-03-30T00:00:00Z",
            "2027-03-31T15:59:59Z",
            "2027-01-31T15:30:00Z",
            "between: the 1-day reminder",
        ),
        (
            &officer,
            "2027-03-31T15:59:59Z",
            "2027-04-01T16:00:00Z",
            "2027-01-31T15:30:00Z",
            "last reminder passed: overdue",
        ),
        (
            &officer,
            "2027-04-20T00:00:00Z",
            "2027-04-01T16:00:00Z",
            "2027-01-31T15:30:00Z",
            "overdue already: in the past",
        ),
        (
            &officer,
            "2027-03-20T00:00:00Z",
            "2027-03-29T15:59:59Z",
            "2027-03-27T00:00:00Z",
            "no reminder before the start",
        ),
    ];
    for (rules, now, expected, started, why) in cases {
        assert_eq!(
            next_event(rules, due, at(started), at(now)).expect("computes"),
            at(expected),
            "{why}"
        );
    }
    // The instants the walk goes through: each reminder, then overdue.
    assert_eq!(
        event_instants(&officer, due, at("2027-01-31T15:30:00Z")).expect("computes"),
        [
            "2027-03-25T15:59:59Z",
            "2027-03-29T15:59:59Z",
            "2027-03-31T15:59:59Z",
            "2027-04-01T16:00:00Z"
        ]
        .map(at)
    );
    assert_eq!(
        event_instants(&officer, due, at("2027-03-27T00:00:00Z")).expect("computes"),
        [
            "2027-03-29T15:59:59Z",
            "2027-03-31T15:59:59Z",
            "2027-04-01T16:00:00Z"
        ]
        .map(at),
        "none before the start"
    );
    // A reminder 90 days before is honoured, however far ahead.
    let due = at("2027-12-31T22:59:59Z");
    assert_eq!(
        next_event(
            &long,
            due,
            at("2027-01-01T00:00:00Z"),
            at("2027-01-01T00:00:00Z")
        )
        .expect("computes"),
        at("2027-10-02T21:59:59Z")
    );
    let mut bad = policy("gdpr-1m");
    bad.time_zone = "Mars/Olympus".into();
    assert!(next_event(&bad, due, due, due).is_err());
}

proptest! {
    /// Walking from one next event to the next reaches every reminder of
    /// the schedule exactly once, then the overdue instant, then stays.
    #[test]
    fn next_events_walk_every_reminder_once(policy in any_preset(), start in any_start()) {
        let schedule = compute(&policy, start, &[], &[]).expect("computes");
        let mut seen = Vec::new();
        let mut now = start;
        loop {
            let next = next_event(&policy, schedule.due_at, start, now).expect("computes");
            prop_assert!(next > now || next == schedule.overdue_at);
            if next == schedule.overdue_at {
                break;
            }
            seen.push(next);
            now = next;
        }
        let expected: Vec<_> = schedule.reminders.iter().map(|r| r.0).collect();
        prop_assert_eq!(seen, expected);
    }

    /// Whatever the instant, a request's next event is one of its event
    /// instants: the sweeper finds a request's timer again from its state.
    #[test]
    fn the_next_event_is_always_one_of_the_event_instants(policy in any_preset(), start in any_start(), offset in -200_000i64..12_000_000) {
        let schedule = compute(&policy, start, &[], &[]).expect("computes");
        let instants = event_instants(&policy, schedule.due_at, start).expect("computes");
        prop_assert!(instants.windows(2).all(|w| w[0] < w[1]), "earliest first");
        prop_assert_eq!(instants.last().copied(), Some(schedule.overdue_at));
        let now = start + time::Duration::seconds(offset);
        let next = next_event(&policy, schedule.due_at, start, now).expect("computes");
        prop_assert!(instants.contains(&next), "{next} not in {instants:?}");
    }

    #[test]
    fn the_due_instant_never_precedes_the_start(policy in any_preset(), start in any_start()) {
        let schedule = compute(&policy, start, &[], &[]).expect("computes");
        prop_assert!(schedule.due_at > start);
        prop_assert!(schedule.reminders.iter().all(|r| r.0 > start && r.0 < schedule.due_at));
    }

    #[test]
    fn a_pause_never_shortens_a_period(policy in any_preset(), start in any_start(), offset in 0i64..2_000_000, length in 0i64..2_000_000) {
        let plain = compute(&policy, start, &[], &[]).expect("computes");
        let from = start + time::Duration::seconds(offset);
        prop_assume!(from <= plain.due_at);
        let paused = compute(&policy, start, &[Pause { from, to: from + time::Duration::seconds(length) }], &[]).expect("computes");
        prop_assert!(paused.due_at >= plain.due_at);
    }

    #[test]
    fn an_allowed_extension_never_shortens_a_period(policy in any_preset(), start in any_start(), offset in 0i64..4_000_000) {
        prop_assume!(policy.extension.is_some());
        let plain = compute(&policy, start, &[], &[]).expect("computes");
        let when = start + time::Duration::seconds(offset);
        prop_assume!(when <= plain.due_at);
        let extended = compute(&policy, start, &[], &[Extension { at: when, length: None }]).expect("computes");
        prop_assert!(extended.due_at > plain.due_at);
    }

    #[test]
    fn computing_in_steps_equals_computing_at_once(start in any_start(), first in 1u32..60, second in 1u32..60, working in any::<bool>()) {
        // An extension of `second` units after a period of `first` ends where
        // a period of `first + second` units ends.
        let unit = if working { Unit::WorkingDays } else { Unit::CalendarDays };
        let base = DeadlinePolicy {
            period: Period::new(first, unit),
            extension: Some(ExtensionRule { period: Period::new(second, unit), max_times: 1 }),
            // Rolling a last day forward is not additive by nature; the
            // property is about the counting itself.
            roll_forward: RollForward::None,
            ..preset("pipl-15wd").expect("preset")
        };
        let at_once = DeadlinePolicy { period: Period::new(first + second, unit), ..base.clone() };
        let stepped = compute(&base, start, &[], &[Extension { at: start, length: None }]).expect("computes");
        let whole = compute(&at_once, start, &[], &[]).expect("computes");
        prop_assert_eq!(stepped.due_at, whole.due_at);
    }
}

/// `Period::longest` bounds every reminder the engine computes: no reminder
/// falls further before its due instant than the bound, for every unit,
/// across weekends, Golden Weeks and Spring Festivals.
#[test]
fn the_longest_span_of_a_period_bounds_every_reminder() {
    let periods = [
        Period::new(1, Unit::Hours),
        Period::new(48, Unit::Hours),
        Period::new(1, Unit::CalendarDays),
        Period::new(7, Unit::CalendarDays),
        Period::new(365, Unit::CalendarDays),
        Period::new(1, Unit::WorkingDays),
        Period::new(5, Unit::WorkingDays),
        Period::new(20, Unit::WorkingDays),
        Period::new(250, Unit::WorkingDays),
        Period::new(1, Unit::Months),
        Period::new(12, Unit::Months),
    ];
    let dues = [
        "2026-02-24T15:59:59Z", // the first working day after Spring Festival
        "2026-10-08T15:59:59Z", // the first working day after the Golden Week
        "2026-03-31T15:59:59Z", // a month end
        "2027-01-04T15:59:59Z", // after New Year
        "2026-06-15T02:00:00Z",
    ];
    let mut checked = 0;
    for base in ["pipl-15wd", "gdpr-1m", "guideline-30"] {
        for period in periods {
            let mut rules = policy(base);
            rules.reminders = vec![period];
            for due in dues {
                let due = at(due);
                let start = due - time::Duration::days(3 * 366);
                for reminder in reminders_for(&rules, due, start).expect("reminders") {
                    checked += 1;
                    assert!(
                        due - reminder <= period.longest(),
                        "{base} {period:?} due {due}: reminder {reminder} is {} before, bound {}",
                        due - reminder,
                        period.longest()
                    );
                }
            }
        }
    }
    assert_eq!(checked, 3 * periods.len() * dues.len(), "one reminder each");
}

/// Every rule an edited policy must keep, each refused with its field.
#[test]
fn an_edited_policy_is_checked_rule_by_rule() {
    let good = policy("guideline-30");
    assert_eq!(good.validate(), Ok(()));
    for name in [
        "guideline-30",
        "privacy-officer-60",
        "reaccess-4h",
        "gdpr-1m",
        "ccpa-45",
        "pipl-15wd",
        "lgpd-15",
    ] {
        assert_eq!(policy(name).validate(), Ok(()), "the preset {name}");
    }
    type Edit = Box<dyn Fn(&mut DeadlinePolicy)>;
    let cases: Vec<(&str, Edit, &str, &str)> = vec![
        (
            "no length",
            Box::new(|p| p.period.length = 0),
            "period",
            "invalid_policy",
        ),
        (
            "ten years and a day",
            Box::new(|p| p.period.length = 3651),
            "period",
            "invalid_policy",
        ),
        (
            "working days without a calendar",
            Box::new(|p| {
                p.period.unit = Unit::WorkingDays;
                p.calendar = None;
            }),
            "calendar",
            "invalid_policy",
        ),
        (
            "eleven reminders",
            Box::new(|p| p.reminders = vec![Period::new(1, Unit::CalendarDays); 11]),
            "reminders",
            "invalid_policy",
        ),
        (
            "a reminder of nothing",
            Box::new(|p| p.reminders = vec![Period::new(0, Unit::Hours)]),
            "reminders",
            "invalid_policy",
        ),
        (
            "a reminder a year and a day ahead",
            Box::new(|p| p.reminders = vec![Period::new(366, Unit::CalendarDays)]),
            "reminders",
            "invalid_policy",
        ),
        (
            "six extensions",
            Box::new(|p| {
                p.extension = Some(ExtensionRule {
                    period: Period::new(30, Unit::CalendarDays),
                    max_times: 6,
                });
            }),
            "extension",
            "invalid_policy",
        ),
        (
            "no source",
            Box::new(|p| p.source = "  ".into()),
            "source",
            "invalid_policy",
        ),
        (
            "a zone nobody knows",
            Box::new(|p| p.time_zone = "Mars/Olympus".into()),
            "policy",
            "unknown_time_zone",
        ),
    ];
    for (why, edit, field, code) in cases {
        let mut edited = good.clone();
        edit(&mut edited);
        let error = edited.validate().expect_err(why);
        assert_eq!((error.field, error.code), (field, code), "{why}: {error}");
    }
}
