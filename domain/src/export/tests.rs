use super::*;

#[test]
fn csv_fields_are_quoted_and_never_formulas() {
    let table = [
        ("plain", "plain"),
        ("", ""),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        (
            "=HYPERLINK(\"http://x\")",
            "\"'=HYPERLINK(\"\"http://x\"\")\"",
        ),
        ("+1 555", "'+1 555"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-cmd", "'-cmd"),
        ("\tTAB", "'\tTAB"),
        // Numbers stay numbers: a western longitude, a signed figure.
        ("-122.41940", "-122.41940"),
        ("+3", "+3"),
        ("在北京", "在北京"),
    ];
    for (value, expected) in table {
        assert_eq!(csv_field(value), expected, "{value:?}");
    }
    assert_eq!(csv_line(["a", "b,c", ""]), "a,\"b,c\",\r\n");
}

#[test]
fn the_tabular_categories_have_columns_and_the_rest_do_not() {
    let tabular = [
        Category::Location,
        Category::Steps,
        Category::SignIns,
        Category::Messages,
        Category::Contacts,
    ];
    for category in Category::ALL {
        assert_eq!(
            csv_columns(category).is_some(),
            tabular.contains(&category),
            "{category:?}"
        );
    }
}

#[test]
fn scope_keeps_the_overview_order_and_an_empty_choice_is_everything() {
    assert_eq!(scope(None), Category::ALL.to_vec());
    assert_eq!(scope(Some(&[])), Category::ALL.to_vec());
    assert_eq!(
        scope(Some(&[Category::Steps, Category::Profile, Category::Steps])),
        vec![Category::Profile, Category::Steps]
    );
}

#[test]
fn entry_names_come_from_the_category_only() {
    assert_eq!(
        entry_name(Category::SignIns, "csv"),
        "sign_ins/sign_ins.csv"
    );
    assert_eq!(
        entry_name(Category::Location, "geojson"),
        "location/location.geojson"
    );
}

#[test]
fn a_ready_export_reads_expired_from_its_end_on() {
    let table = [
        (ExportStatus::Ready, Some(100), 99, ExportStatus::Ready),
        (ExportStatus::Ready, Some(100), 100, ExportStatus::Expired),
        (ExportStatus::Ready, None, 1_000, ExportStatus::Ready),
        (
            ExportStatus::Building,
            Some(100),
            1_000,
            ExportStatus::Building,
        ),
        (ExportStatus::Failed, Some(100), 1_000, ExportStatus::Failed),
    ];
    for (status, end, now, expected) in table {
        assert_eq!(status.at(end, now), expected, "{status:?} {end:?} {now}");
    }
    for status in ExportStatus::ALL {
        assert_eq!(ExportStatus::parse(status.as_str()), Some(status));
    }
    assert!(ExportStatus::Queued.is_running() && ExportStatus::Building.is_running());
    assert!(!ExportStatus::Ready.is_running());
}

#[test]
fn progress_stays_below_100_until_ready() {
    let table = [
        (0, 10, 0),
        (5, 10, 49),
        (10, 10, 99),
        (20, 10, 99),
        (0, 0, 99),
    ];
    for (done, total, expected) in table {
        assert_eq!(progress(done, total), expected, "{done}/{total}");
    }
}
