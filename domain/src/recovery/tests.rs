use super::*;

fn on_file() -> OnFile {
    OnFile {
        old_passwords_matched: 0,
        email: "Ann@Example.com".into(),
        mobile: Some("+8613812345678".into()),
        registered: (2019, 3),
        registration_method: "mobile_app".into(),
        devices: vec!["Pixel 8".into(), "iPhone 15".into()],
        places: vec!["Guangdong Shenzhen".into()],
        friends: vec!["Li Lei".into(), "Han Meimei".into(), "Wang Fang".into()],
    }
}

fn right() -> ReaccessAnswers {
    ReaccessAnswers {
        account: "wxid_ann".into(),
        old_passwords: vec!["old-secret".into()],
        email: Some("ann@example.com".into()),
        mobile: Some("138 1234 5678".into()),
        registered_month: Some("2019-03".into()),
        registration_method: Some("mobile_app".into()),
        devices: vec!["pixel 8".into()],
        places: vec!["Shenzhen".into()],
        friends: vec!["li lei".into(), "Han  Meimei".into()],
    }
}

fn item(card: &Scorecard, item: Item) -> &ItemResult {
    card.items
        .iter()
        .find(|i| i.item == item)
        .expect("every item")
}

#[test]
fn weights_add_up_to_a_hundred() {
    assert_eq!(
        Item::ALL.iter().map(|i| u32::from(i.weight())).sum::<u32>(),
        100
    );
}

#[test]
fn right_answers_score_high_and_wrong_ones_low() {
    let held = OnFile {
        old_passwords_matched: 1,
        ..on_file()
    };
    let card = score(&right(), Some(&held));
    assert_eq!(card.score, 100);
    assert_eq!(card.band, Band::Strong);
    assert!(card.items.iter().all(|i| i.outcome == Outcome::Matched));

    let wrong = ReaccessAnswers {
        account: "wxid_ann".into(),
        old_passwords: vec!["guess".into()],
        email: Some("someone@else.example".into()),
        mobile: Some("+8613900000000".into()),
        registered_month: Some("2021-07".into()),
        registration_method: Some("web".into()),
        devices: vec!["Nokia 3310".into()],
        places: vec!["Reykjavik".into()],
        friends: vec!["Nobody".into()],
    };
    let card = score(&wrong, Some(&on_file()));
    assert_eq!(card.score, 0);
    assert_eq!(card.band, Band::Weak);
    assert!(card.items.iter().all(|i| i.outcome == Outcome::NotMatched));
}

#[test]
fn each_item_compares_by_its_own_rule() {
    // (what is changed, item, outcome, points)
    let cases: Vec<(ReaccessAnswers, Item, Outcome, u8)> = vec![
        (
            ReaccessAnswers {
                mobile: Some("+86 138-1234-5678".into()),
                ..right()
            },
            Item::Mobile,
            Outcome::Matched,
            15,
        ),
        (
            ReaccessAnswers {
                mobile: Some("5678".into()),
                ..right()
            },
            Item::Mobile,
            Outcome::NotMatched,
            0,
        ),
        (
            ReaccessAnswers {
                email: Some(" ANN@example.COM ".into()),
                ..right()
            },
            Item::Email,
            Outcome::Matched,
            15,
        ),
        (
            ReaccessAnswers {
                registered_month: Some("2019-04".into()),
                ..right()
            },
            Item::RegisteredMonth,
            Outcome::NotMatched,
            0,
        ),
        (
            ReaccessAnswers {
                friends: vec!["Li Lei".into(), "Stranger".into()],
                ..right()
            },
            Item::Friends,
            Outcome::Partly,
            5,
        ),
        (
            ReaccessAnswers {
                friends: vec![],
                ..right()
            },
            Item::Friends,
            Outcome::NotGiven,
            0,
        ),
        (
            ReaccessAnswers {
                places: vec!["guangdong shenzhen nanshan".into()],
                ..right()
            },
            Item::Places,
            Outcome::Matched,
            10,
        ),
        (
            ReaccessAnswers {
                places: vec!["sz".into()],
                ..right()
            },
            Item::Places,
            Outcome::NotMatched,
            0,
        ),
        (
            ReaccessAnswers {
                devices: vec!["iPhone 15".into(), "Pixel 8".into(), "Mate 60".into()],
                ..right()
            },
            Item::Devices,
            Outcome::Partly,
            6,
        ),
    ];
    for (answers, which, outcome, points) in cases {
        let card = score(&answers, Some(&on_file()));
        let row = item(&card, which);
        assert_eq!(
            (row.outcome, row.points),
            (outcome, points),
            "{which:?} for {answers:?}"
        );
    }
}

#[test]
fn one_right_old_password_among_wrong_ones_counts() {
    let answers = ReaccessAnswers {
        old_passwords: vec!["a".into(), "b".into(), "c".into()],
        ..right()
    };
    let held = OnFile {
        old_passwords_matched: 1,
        ..on_file()
    };
    let row = item(&score(&answers, Some(&held)), Item::OldPasswords).clone();
    assert_eq!(
        (row.outcome, row.given, row.matched, row.points),
        (Outcome::Matched, 3, 1, 25)
    );
}

#[test]
fn nothing_to_compare_with_is_no_record() {
    let held = OnFile {
        mobile: None,
        friends: vec![],
        ..on_file()
    };
    let card = score(&right(), Some(&held));
    assert_eq!(item(&card, Item::Mobile).outcome, Outcome::NoRecord);
    assert_eq!(item(&card, Item::Friends).outcome, Outcome::NoRecord);

    let card = score(&right(), None);
    assert_eq!(card.score, 0);
    assert!(!card.account_found);
    assert!(card.items.iter().all(|i| i.outcome == Outcome::NoRecord));
}

#[test]
fn the_result_never_holds_a_stored_value() {
    let card = score(&right(), Some(&on_file()));
    let json = serde_json::to_string(&card).expect("serialises");
    for secret in [
        "13812345678",
        "ann@example.com",
        "Shenzhen",
        "Pixel",
        "Li Lei",
        "2019",
    ] {
        assert!(
            !json.to_lowercase().contains(&secret.to_lowercase()),
            "{secret} in {json}"
        );
    }
}

#[test]
fn answers_are_checked_field_by_field() {
    let cases: Vec<(ReaccessAnswers, &str, &str)> = vec![
        (
            ReaccessAnswers {
                account: "  ".into(),
                ..right()
            },
            "account",
            "required",
        ),
        (
            ReaccessAnswers {
                account: "wxid_ann".into(),
                ..ReaccessAnswers::default()
            },
            "verification",
            "required",
        ),
        (
            ReaccessAnswers {
                registered_month: Some("03/2019".into()),
                ..right()
            },
            "registered_month",
            "invalid_choice",
        ),
        (
            ReaccessAnswers {
                registered_month: Some("2019-13".into()),
                ..right()
            },
            "registered_month",
            "invalid_choice",
        ),
        (
            ReaccessAnswers {
                registration_method: Some("fax".into()),
                ..right()
            },
            "registration_method",
            "invalid_choice",
        ),
        (
            ReaccessAnswers {
                old_passwords: vec!["a".into(); 4],
                ..right()
            },
            "old_passwords",
            "too_long",
        ),
        (
            ReaccessAnswers {
                old_passwords: vec!["x".repeat(1025)],
                ..right()
            },
            "old_passwords",
            "too_long",
        ),
        (
            ReaccessAnswers {
                friends: vec!["f".into(); 6],
                ..right()
            },
            "friends",
            "too_long",
        ),
        (
            ReaccessAnswers {
                email: Some("e".repeat(201)),
                ..right()
            },
            "email",
            "too_long",
        ),
        (
            ReaccessAnswers {
                places: vec!["a\u{0}b".into()],
                ..right()
            },
            "places",
            "invalid_characters",
        ),
    ];
    for (answers, field, code) in cases {
        let e = answers.clone().checked().expect_err("refused");
        assert_eq!((e.field().as_str(), e.code()), (field, code), "{answers:?}");
    }
    let cleaned = ReaccessAnswers {
        friends: vec![" Li Lei ".into(), String::new()],
        email: Some("  ".into()),
        ..right()
    }
    .checked()
    .expect("accepted");
    assert_eq!(cleaned.friends, vec!["Li Lei".to_owned()]);
    assert_eq!(cleaned.email, None);
    assert!(cleaned.without_passwords().old_passwords.is_empty());
}

#[test]
fn bands() {
    for (score, band) in [
        (0, Band::Weak),
        (39, Band::Weak),
        (40, Band::Some),
        (69, Band::Some),
        (70, Band::Strong),
        (100, Band::Strong),
    ] {
        assert_eq!(Band::of(score), band);
    }
}
