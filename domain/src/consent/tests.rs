use super::*;
use time::macros::date;

/// (feature, wire name, sensitive, governs, collects)
type CatalogueRow = (
    Feature,
    &'static str,
    bool,
    &'static [Governs],
    Option<Collects>,
);
/// What a change gives: (state, how many things are cleared, guardian asked).
type Outcome = Result<(ConsentState, usize, bool), ConsentError>;

#[test]
fn the_catalogue() {
    let cases: [CatalogueRow; 7] = [
        (
            Feature::Contacts,
            "contacts",
            true,
            &[Governs::Category(Category::Contacts)],
            Some(Collects::ContactBatch),
        ),
        (
            Feature::Location,
            "location",
            true,
            &[Governs::Category(Category::Location)],
            Some(Collects::LocationPoint),
        ),
        (
            Feature::Steps,
            "steps",
            true,
            &[Governs::Category(Category::Steps)],
            Some(Collects::StepCount),
        ),
        (
            Feature::Voiceprint,
            "voiceprint",
            true,
            &[Governs::Field(Category::AccountSecurity, "voiceprint")],
            Some(Collects::VoiceprintSample),
        ),
        (
            Feature::Cards,
            "cards",
            true,
            &[Governs::Category(Category::Cards)],
            None,
        ),
        (Feature::Marketing, "marketing", false, &[], None),
        (Feature::Ads, "ads", false, &[], None),
    ];
    for (feature, name, sensitive, governs, collects) in cases {
        assert_eq!(feature.as_str(), name);
        assert_eq!(Feature::parse(name), Some(feature));
        assert_eq!(feature.sensitive(), sensitive, "{name}");
        assert_eq!(feature.governs(), governs, "{name}");
        assert_eq!(feature.collects(), collects, "{name}");
        assert!(!feature.source().is_empty());
        for locale in Locale::ALL {
            assert!(!feature.stops(locale).is_empty(), "{name} {locale:?}");
        }
    }
    assert_eq!(Feature::ALL.len(), cases.len());
    assert_eq!(Feature::parse("horoscope"), None);
}

#[test]
fn every_change_for_every_kind_of_holder() {
    let adult = Asker {
        minor: false,
        reauthenticated: false,
        accepted_policy: true,
        gpc: false,
    };
    let grant = Change {
        granted: true,
        clear: false,
        guardian: false,
    };
    let off = Change {
        granted: false,
        clear: false,
        guardian: false,
    };
    let clear = Change {
        granted: false,
        clear: true,
        guardian: false,
    };
    let grant_with_guardian = Change {
        guardian: true,
        ..grant
    };
    let gpc = Asker { gpc: true, ..adult };
    let fresh = Asker {
        reauthenticated: true,
        ..adult
    };
    let minor = Asker {
        minor: true,
        ..adult
    };
    let stale_policy = Asker {
        accepted_policy: false,
        ..adult
    };
    use ConsentState::*;
    let cases: [(Feature, Change, Asker, Outcome, &str); 15] = [
        (
            Feature::Location,
            grant,
            adult,
            Ok((Granted, 0, false)),
            "an adult grants",
        ),
        (
            Feature::Location,
            off,
            adult,
            Ok((Withdrawn, 0, false)),
            "turning off keeps the data, no password",
        ),
        (
            Feature::Location,
            clear,
            adult,
            Err(ConsentError::ReauthRequired),
            "clearing needs the password again",
        ),
        (
            Feature::Location,
            clear,
            fresh,
            Ok((Withdrawn, 1, false)),
            "clearing within the window deletes location",
        ),
        (
            Feature::Ads,
            clear,
            adult,
            Ok((Withdrawn, 0, false)),
            "nothing to delete: no password asked",
        ),
        (
            Feature::Steps,
            Change {
                granted: true,
                clear: true,
                guardian: false,
            },
            fresh,
            Err(ConsentError::ClearWhileGranting),
            "clear goes with off",
        ),
        (
            Feature::Steps,
            grant_with_guardian,
            minor,
            Ok((AwaitingGuardian, 0, true)),
            "a minor's sensitive grant waits for the guardian",
        ),
        (
            Feature::Steps,
            grant,
            minor,
            Err(ConsentError::GuardianEmailRequired),
            "the guardian's address is needed to ask them",
        ),
        (
            Feature::Steps,
            grant_with_guardian,
            adult,
            Ok((Granted, 0, false)),
            "an adult needs no guardian",
        ),
        (
            Feature::Ads,
            grant,
            gpc,
            Err(ConsentError::GpcSignal),
            "Global Privacy Control keeps ads off",
        ),
        (
            Feature::Location,
            grant,
            gpc,
            Ok((Granted, 0, false)),
            "GPC is about marketing and ads, not features a holder uses",
        ),
        (
            Feature::Marketing,
            off,
            gpc,
            Ok((Withdrawn, 0, false)),
            "GPC never blocks turning off",
        ),
        (
            Feature::Marketing,
            grant,
            minor,
            Ok((Granted, 0, false)),
            "not sensitive: no guardian",
        ),
        (
            Feature::Voiceprint,
            grant,
            stale_policy,
            Err(ConsentError::PolicyNotAccepted),
            "a new policy first",
        ),
        (
            Feature::Voiceprint,
            off,
            Asker {
                minor: true,
                ..stale_policy
            },
            Ok((Withdrawn, 0, false)),
            "withdrawing is never held back",
        ),
    ];
    for (feature, change, asker, want, why) in cases {
        let got = decide(feature, change, asker).map(|d| (d.state, d.clear.len(), d.ask_guardian));
        assert_eq!(got, want, "{why}");
    }
    assert_eq!(
        (
            ConsentError::ReauthRequired.status(),
            ConsentError::ReauthRequired.code()
        ),
        (403, "reauth_required")
    );
}

#[test]
fn stored_names_round_trip() {
    for state in ConsentState::ALL {
        assert_eq!(ConsentState::parse(state.as_str()), Some(state));
    }
    for channel in ConsentChannel::ALL {
        assert_eq!(ConsentChannel::parse(channel.as_str()), Some(channel));
    }
    assert_eq!(ConsentState::parse("maybe"), None);
    assert_eq!(ConsentChannel::parse("fax"), None);
}

#[test]
fn a_policy_version_is_checked() {
    use crate::data::FieldError;
    assert_eq!(
        check_policy(
            " 2027-01 ",
            "We now keep step counts for 30 days.\r\nNothing else."
        ),
        Ok((
            "2027-01".to_owned(),
            "We now keep step counts for 30 days.\nNothing else.".to_owned()
        ))
    );
    let cases: [(&str, &str, FieldError); 6] = [
        ("", "x", FieldError::Required("version")),
        (&"9".repeat(33), "x", FieldError::TooLong("version", 32)),
        ("2027/01", "x", FieldError::NotAllowed("version")),
        ("2027-01", "   ", FieldError::Required("summary")),
        (
            "2027-01",
            "a\u{0}b",
            FieldError::ControlCharacters("summary"),
        ),
        (
            "2027-01",
            &"x".repeat(POLICY_SUMMARY_MAX + 1),
            FieldError::TooLong("summary", POLICY_SUMMARY_MAX),
        ),
    ];
    for (version, summary, want) in cases {
        assert_eq!(check_policy(version, summary), Err(want), "{version:?}");
    }
}

#[test]
fn gpc_withdraws_only_the_uses_of_data() {
    for feature in GPC_WITHDRAWS {
        assert!(!feature.sensitive());
        assert!(feature.governs().is_empty());
    }
}

#[test]
fn collected_data_is_checked() {
    assert_eq!(check_point(31.23, 121.47), Ok(()));
    assert_eq!(check_point(-90.0, 180.0), Ok(()));
    assert_eq!(check_point(90.5, 0.0), Err(CollectError::OutOfRange("lat")));
    assert_eq!(
        check_point(0.0, -180.1),
        Err(CollectError::OutOfRange("lon"))
    );
    assert_eq!(
        check_point(f64::NAN, 0.0),
        Err(CollectError::OutOfRange("lat"))
    );
    assert_eq!(
        check_point(0.0, f64::INFINITY),
        Err(CollectError::OutOfRange("lon"))
    );

    let today = date!(2026 - 12 - 01);
    assert_eq!(check_steps(today, 12_000, today), Ok(()));
    assert_eq!(
        check_steps(date!(2026 - 12 - 02), 1, today),
        Err(CollectError::FutureDate)
    );
    assert_eq!(
        check_steps(today, STEPS_MAX + 1, today),
        Err(CollectError::ImplausibleSteps)
    );

    let numbers = vec!["+86 138 1234 5678".to_owned(), "+8613812345678".to_owned()];
    assert_eq!(
        check_contacts(&numbers),
        Ok(vec!["+8613812345678".to_owned()])
    );
    assert_eq!(check_contacts(&[]), Err(CollectError::BatchSize));
    let too_many = vec!["+8613812345678".to_owned(); CONTACT_BATCH_MAX + 1];
    assert_eq!(check_contacts(&too_many), Err(CollectError::BatchSize));
    let bad = vec!["+8613812345678".to_owned(), "call me".to_owned()];
    let e = check_contacts(&bad).expect_err("refused");
    assert_eq!(
        (e.field(), e.code()),
        ("numbers[1]".to_owned(), "invalid_mobile")
    );

    assert_eq!(check_sample("vp_2026-12-01"), Ok(()));
    assert_eq!(check_sample(""), Err(CollectError::BadSample));
    assert_eq!(check_sample("../etc/passwd"), Err(CollectError::BadSample));
    assert_eq!(check_sample(&"a".repeat(129)), Err(CollectError::BadSample));
}
