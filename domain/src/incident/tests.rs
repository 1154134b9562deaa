use super::*;

fn today() -> time::Date {
    time::macros::date!(2027 - 03 - 01)
}

fn content() -> IncidentContent {
    IncidentContent {
        title_en: "Location records exposed".into(),
        title_zh: "位置记录泄露".into(),
        what_happened_en: "A misconfigured backup.".into(),
        what_happened_zh: "备份配置错误。".into(),
        occurred_on: "2027-02-27".into(),
        data_categories: vec!["location".into(), " location ".into()],
        actions_en: "Closed the bucket.".into(),
        actions_zh: "已关闭存储桶。".into(),
        advice_en: "Review your location history.".into(),
        advice_zh: "请查看您的位置记录。".into(),
        contact: "privacy@portal.example, +86 755 0000 0000".into(),
    }
}

#[test]
fn a_complete_notice_is_accepted_and_cleaned() {
    let checked = content().checked(today()).expect("accepted");
    assert_eq!(checked.data_categories, vec!["location".to_owned()]);
}

#[test]
fn every_field_is_required_and_checked() {
    let cases: Vec<(IncidentContent, &str, &str)> = vec![
        (
            IncidentContent {
                title_en: " ".into(),
                ..content()
            },
            "title_en",
            "required",
        ),
        (
            IncidentContent {
                title_zh: String::new(),
                ..content()
            },
            "title_zh",
            "required",
        ),
        (
            IncidentContent {
                what_happened_zh: String::new(),
                ..content()
            },
            "what_happened_zh",
            "required",
        ),
        (
            IncidentContent {
                actions_en: String::new(),
                ..content()
            },
            "actions_en",
            "required",
        ),
        (
            IncidentContent {
                advice_zh: String::new(),
                ..content()
            },
            "advice_zh",
            "required",
        ),
        (
            IncidentContent {
                contact: String::new(),
                ..content()
            },
            "contact",
            "required",
        ),
        (
            IncidentContent {
                title_en: "t".repeat(121),
                ..content()
            },
            "title_en",
            "too_long",
        ),
        (
            IncidentContent {
                occurred_on: "2027-03-02".into(),
                ..content()
            },
            "occurred_on",
            "invalid_choice",
        ),
        (
            IncidentContent {
                occurred_on: "yesterday".into(),
                ..content()
            },
            "occurred_on",
            "invalid_choice",
        ),
        (
            IncidentContent {
                data_categories: vec![],
                ..content()
            },
            "data_categories",
            "required",
        ),
        (
            IncidentContent {
                data_categories: vec!["dreams".into()],
                ..content()
            },
            "data_categories",
            "invalid_choice",
        ),
    ];
    for (content, field, code) in cases {
        let e = content.clone().checked(today()).expect_err("refused");
        assert_eq!((e.field().as_str(), e.code()), (field, code), "{content:?}");
    }
}

#[test]
fn audiences() {
    let id = "6f1c1a52-0d4e-4a57-9d3e-0a0b0c0d0e0f";
    let cases: Vec<(Audience, Result<Target, &str>)> = vec![
        (Audience::Everyone, Ok(Target::Everyone)),
        (
            Audience::Categories {
                categories: vec!["location".into(), "steps".into(), "location".into()],
            },
            Ok(Target::Categories(vec![
                Category::Location,
                Category::Steps,
            ])),
        ),
        (Audience::Categories { categories: vec![] }, Err("required")),
        (
            Audience::Categories {
                categories: vec!["profile".into()],
            },
            Err("invalid_choice"),
        ),
        (
            Audience::Categories {
                categories: vec!["nope".into()],
            },
            Err("invalid_choice"),
        ),
        (
            Audience::Accounts {
                accounts: vec![id.to_uppercase(), id.into(), " ".into()],
            },
            Ok(Target::Accounts(vec![id.into()])),
        ),
        (
            Audience::Accounts {
                accounts: vec!["42".into()],
            },
            Err("invalid_choice"),
        ),
        (Audience::Accounts { accounts: vec![] }, Err("required")),
    ];
    for (audience, expected) in cases {
        let got = audience.checked().map_err(|e| e.code());
        assert_eq!(got, expected, "{audience:?}");
    }
}

#[test]
fn audiences_travel_as_tagged_json() {
    let json = serde_json::to_string(&Audience::Categories {
        categories: vec!["location".into()],
    })
    .expect("json");
    assert_eq!(json, r#"{"kind":"categories","categories":["location"]}"#);
    let back: Audience = serde_json::from_str(r#"{"kind":"everyone"}"#).expect("parses");
    assert_eq!(back, Audience::Everyone);
}
