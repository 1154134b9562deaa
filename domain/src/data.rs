//! Personal data the portal holds (DESIGN §3) and the rules of the rights of
//! access, correction and deletion (Weixin guideline §6.1–6.3) and of the
//! privacy settings (§6.7).

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

pub mod chart;
pub mod range;
pub use range::{DateRange, RangeError};

/// A data category, as named in the API (`/api/v1/me/data/{category}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Photo, name, gender, region, signature, address; account ID and QR code fixed.
    Profile,
    /// Mobile, e-mail, voiceprint, linked QQ number, emergency contacts.
    AccountSecurity,
    /// Posts with their photos' metadata, comments and likes.
    Posts,
    /// Chat conversations.
    Conversations,
    /// The messages of the conversations.
    Messages,
    /// Friends (the per-friend settings lists name them).
    Friends,
    /// The blocked list.
    Blocked,
    /// Location records.
    Location,
    /// Daily step counts.
    Steps,
    /// Uploaded contacts, stored only as irreversible hashes.
    Contacts,
    /// Bank cards, masked.
    Cards,
    /// Devices.
    Devices,
    /// The sign-in log: time, address, device model, OS, app version.
    SignIns,
    /// Consent per feature.
    Consents,
    /// Privacy settings.
    Settings,
    /// Notices in the inbox.
    Notifications,
    /// Data-subject requests.
    Requests,
    /// What the holder did to their data (deletions, corrections), without the content.
    Activity,
}

impl Category {
    /// Every category, in the order of the overview.
    pub const ALL: [Category; 18] = [
        Category::Profile,
        Category::AccountSecurity,
        Category::Posts,
        Category::Conversations,
        Category::Messages,
        Category::Friends,
        Category::Blocked,
        Category::Location,
        Category::Steps,
        Category::Contacts,
        Category::Cards,
        Category::Devices,
        Category::SignIns,
        Category::Consents,
        Category::Settings,
        Category::Notifications,
        Category::Requests,
        Category::Activity,
    ];

    /// The API name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Profile => "profile",
            Category::AccountSecurity => "account_security",
            Category::Posts => "posts",
            Category::Conversations => "conversations",
            Category::Messages => "messages",
            Category::Friends => "friends",
            Category::Blocked => "blocked",
            Category::Location => "location",
            Category::Steps => "steps",
            Category::Contacts => "contacts",
            Category::Cards => "cards",
            Category::Devices => "devices",
            Category::SignIns => "sign_ins",
            Category::Consents => "consents",
            Category::Settings => "settings",
            Category::Notifications => "notifications",
            Category::Requests => "requests",
            Category::Activity => "activity",
        }
    }

    /// The category of an API name.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == raw)
    }

    /// Whether the holder may delete single items of the category themselves.
    /// Requests, consents, settings and the activity record are not deleted
    /// item by item: requests are records of the portal's duty, consents are
    /// withdrawn, settings changed, and the activity is the holder's receipt.
    /// Sign-ins are a security record (Tencent policy "Security").
    #[must_use]
    pub fn items_deletable(self) -> bool {
        matches!(
            self,
            Category::Posts
                | Category::Conversations
                | Category::Messages
                | Category::Friends
                | Category::Blocked
                | Category::Location
                | Category::Steps
                | Category::Contacts
                | Category::Cards
                | Category::Devices
                | Category::Notifications
                | Category::AccountSecurity
        )
    }

    /// Whether its items carry a day or an instant that a range of days
    /// filters by (all but the single records: profile, security, settings).
    #[must_use]
    pub fn dated(self) -> bool {
        !matches!(
            self,
            Category::Profile | Category::AccountSecurity | Category::Settings
        )
    }

    /// Whether the page can be searched by text (messages and posts).
    #[must_use]
    pub fn searchable(self) -> bool {
        matches!(self, Category::Messages | Category::Posts)
    }

    /// Whether the holder may clear the whole category at once (and so also
    /// delete a range of days of it in one action).
    #[must_use]
    pub fn clearable(self) -> bool {
        matches!(
            self,
            Category::Posts
                | Category::Conversations
                | Category::Messages
                | Category::Blocked
                | Category::Location
                | Category::Steps
                | Category::Contacts
                | Category::Notifications
        )
    }

    /// Whether deleting in the category needs the re-authentication window
    /// (security fields: emergency contacts, bank cards, devices).
    #[must_use]
    pub fn deletion_needs_reauth(self) -> bool {
        matches!(
            self,
            Category::AccountSecurity | Category::Cards | Category::Devices
        )
    }
}

/// Why a correction was refused; each names its field and a stable code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    /// Account ID and QR code are fixed (Weixin guideline §6.2).
    #[error("This field cannot be changed here; you can ask the privacy officer to correct it.")]
    Immutable(&'static str),
    /// Not a mobile number in E.164 form.
    #[error("Enter the mobile number in international form, e.g. +8613812345678.")]
    MobileInvalid(&'static str),
    /// Longer than the field allows.
    #[error("This is too long.")]
    TooLong(&'static str, usize),
    /// Control characters in a text.
    #[error("This may not contain control characters.")]
    ControlCharacters(&'static str),
    /// Not one of the allowed values.
    #[error("Choose one of the offered values.")]
    NotAllowed(&'static str),
    /// A required value is empty.
    #[error("This may not be empty.")]
    Required(&'static str),
    /// Not a field of the category.
    #[error("There is no such field.")]
    Unknown(String),
    /// Not a QQ number.
    #[error("A QQ number has 5 to 11 digits and does not start with 0.")]
    QqInvalid(&'static str),
}

impl FieldError {
    /// The stable code (DESIGN §9).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            FieldError::Immutable(_) => "field_immutable",
            FieldError::MobileInvalid(_) => "invalid_mobile",
            FieldError::TooLong(..) => "too_long",
            FieldError::ControlCharacters(_) => "invalid_characters",
            FieldError::NotAllowed(_) => "invalid_choice",
            FieldError::Required(_) => "required",
            FieldError::Unknown(_) => "unknown_field",
            FieldError::QqInvalid(_) => "invalid_qq",
        }
    }

    /// The field.
    #[must_use]
    pub fn field(&self) -> String {
        match self {
            FieldError::Immutable(f)
            | FieldError::MobileInvalid(f)
            | FieldError::TooLong(f, _)
            | FieldError::ControlCharacters(f)
            | FieldError::NotAllowed(f)
            | FieldError::Required(f)
            | FieldError::QqInvalid(f) => (*f).to_owned(),
            FieldError::Unknown(f) => f.clone(),
        }
    }
}

/// A mobile number in E.164 form: `+`, a country code not starting with 0,
/// 8 to 15 digits in all.
///
/// # Errors
/// [`FieldError::MobileInvalid`].
pub fn parse_mobile(raw: &str, field: &'static str) -> Result<String, FieldError> {
    let compact: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    let digits = compact
        .strip_prefix('+')
        .ok_or(FieldError::MobileInvalid(field))?;
    let ok = (8..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0');
    if ok {
        Ok(compact)
    } else {
        Err(FieldError::MobileInvalid(field))
    }
}

/// A QQ number: 5 to 11 digits, not starting with 0.
///
/// # Errors
/// [`FieldError::QqInvalid`].
pub fn parse_qq(raw: &str, field: &'static str) -> Result<String, FieldError> {
    let raw = raw.trim();
    let ok = (5..=11).contains(&raw.len())
        && raw.chars().all(|c| c.is_ascii_digit())
        && !raw.starts_with('0');
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(FieldError::QqInvalid(field))
    }
}

/// The one validator of free text, for every field a person types: at most
/// `max` characters, trimmed, without NUL or other control characters. When
/// `multiline`, line breaks and tabs are allowed and CR LF (as browsers send
/// a textarea) becomes LF. Empty means "clear" (or "missing", to a caller
/// that requires it).
///
/// # Errors
/// [`FieldError::TooLong`] or [`FieldError::ControlCharacters`].
pub fn parse_text(
    raw: &str,
    field: &'static str,
    max: usize,
    multiline: bool,
) -> Result<Option<String>, FieldError> {
    let normalised;
    let raw = if multiline && raw.contains('\r') {
        normalised = raw.replace("\r\n", "\n").replace('\r', "\n");
        normalised.as_str()
    } else {
        raw
    };
    let trimmed = raw.trim();
    if trimmed.chars().count() > max {
        return Err(FieldError::TooLong(field, max));
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\t')))
    {
        return Err(FieldError::ControlCharacters(field));
    }
    Ok((!trimmed.is_empty()).then(|| trimmed.to_owned()))
}

/// The editable profile fields and their limits (Weixin: signature 30 characters).
pub const GENDERS: [&str; 3] = ["female", "male", "unspecified"];
/// Longest region.
pub const REGION_MAX: usize = 64;
/// Longest "What's up" signature (Weixin's limit).
pub const SIGNATURE_MAX: usize = 30;
/// Longest address.
pub const ADDRESS_MAX: usize = 200;
/// Longest photo reference.
pub const PHOTO_MAX: usize = 200;
/// Fields that exist but cannot be corrected by the holder.
pub const IMMUTABLE_FIELDS: [&str; 2] = ["account_id", "qr_code"];
/// Profile fields the holder may clear (delete).
pub const OPTIONAL_PROFILE_FIELDS: [&str; 5] =
    ["photo", "gender", "region", "signature", "address"];
/// Security fields the holder may clear (inside the re-authentication window).
pub const OPTIONAL_SECURITY_FIELDS: [&str; 2] = ["mobile", "linked_qq"];
/// Fields that may only change inside the re-authentication window.
pub const SECURITY_FIELDS: [&str; 3] = ["mobile", "email", "linked_qq"];

/// Checks one correction of a profile or security field and returns the value
/// to store (`None` clears an optional field). `email` and `display_name` are
/// checked by their own parsers in [`crate::account`].
///
/// # Errors
/// A [`FieldError`] naming the field.
pub fn check_field(field: &str, value: Option<&str>) -> Result<Option<String>, FieldError> {
    let field: &'static str = match field {
        "gender" => "gender",
        "region" => "region",
        "signature" => "signature",
        "address" => "address",
        "photo" => "photo",
        "time_zone" => "time_zone",
        "mobile" => "mobile",
        "linked_qq" => "linked_qq",
        "account_id" => return Err(FieldError::Immutable("account_id")),
        "qr_code" => return Err(FieldError::Immutable("qr_code")),
        other => return Err(FieldError::Unknown(other.to_owned())),
    };
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    match field {
        "gender" => GENDERS
            .contains(&value)
            .then(|| Some(value.to_owned()))
            .ok_or(FieldError::NotAllowed(field)),
        "region" => parse_text(value, field, REGION_MAX, false),
        "signature" => parse_text(value, field, SIGNATURE_MAX, false),
        "address" => parse_text(value, field, ADDRESS_MAX, true),
        "photo" => parse_text(value, field, PHOTO_MAX, false),
        "mobile" => parse_mobile(value, field).map(Some),
        "time_zone" => jiff::tz::TimeZone::get(value)
            .map(|_| Some(value.to_owned()))
            .map_err(|_| FieldError::NotAllowed(field)),
        _ => parse_qq(value, field).map(Some),
    }
}

/// Who may see posts, and for how long (Weixin guideline §6.7 "Moments").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PostsWindow {
    /// Every post.
    #[default]
    All,
    /// Posts of the last six months.
    SixMonths,
    /// Posts of the last three days.
    ThreeDays,
}

impl PostsWindow {
    /// Every window.
    pub const ALL: [PostsWindow; 3] = [
        PostsWindow::All,
        PostsWindow::SixMonths,
        PostsWindow::ThreeDays,
    ];

    /// The stored and API name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            PostsWindow::All => "all",
            PostsWindow::SixMonths => "six_months",
            PostsWindow::ThreeDays => "three_days",
        }
    }

    /// The window of a name.
    #[must_use]
    pub fn parse(raw: &str) -> Option<PostsWindow> {
        PostsWindow::ALL.into_iter().find(|w| w.as_str() == raw)
    }

    /// The oldest instant a post may have to be shown at `now`. Six months
    /// are calendar months (clamped to the month's end), three days 72 hours.
    #[must_use]
    pub fn oldest(self, now: OffsetDateTime) -> Option<OffsetDateTime> {
        match self {
            PostsWindow::All => None,
            PostsWindow::ThreeDays => Some(now - Duration::days(3)),
            PostsWindow::SixMonths => {
                let date = now.date();
                let mut month = date.month();
                let mut year = date.year();
                for _ in 0..6 {
                    month = month.previous();
                    if month == time::Month::December {
                        year -= 1;
                    }
                }
                let day = date.day().min(month.length(year));
                let start = time::Date::from_calendar_date(year, month, day).ok()?;
                Some(now.replace_date(start))
            }
        }
    }
}

/// The privacy settings of Weixin guideline §6.7.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrivacySettings {
    /// Others need my confirmation to add me as a friend.
    pub friend_confirmation: bool,
    /// Ways others can find me.
    pub find_by_mobile: bool,
    pub find_by_wechat_id: bool,
    pub find_by_qq: bool,
    pub find_by_qr_code: bool,
    pub find_by_group_chat: bool,
    pub find_by_name_card: bool,
    /// Who may see my posts, for how long.
    pub posts_window: PostsWindow,
    /// Strangers may see my ten most recent posts.
    pub strangers_see_recent: bool,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        PrivacySettings {
            friend_confirmation: true,
            find_by_mobile: true,
            find_by_wechat_id: true,
            find_by_qq: true,
            find_by_qr_code: true,
            find_by_group_chat: true,
            find_by_name_card: true,
            posts_window: PostsWindow::All,
            strangers_see_recent: false,
        }
    }
}

/// How many recent posts a stranger may see when allowed.
pub const STRANGER_RECENT_POSTS: usize = 10;

/// Who looks at the posts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Viewer {
    /// The holder.
    Me,
    /// A friend, with whether the holder put them on the "don't share my
    /// posts" list.
    Friend { dont_share: bool },
    /// Someone who is not a friend.
    Stranger,
}

/// Which of the holder's posts (instants, newest first) a viewer sees at
/// `now`, as indexes into `posts`.
#[must_use]
pub fn visible_posts(
    settings: &PrivacySettings,
    viewer: &Viewer,
    posts: &[OffsetDateTime],
    now: OffsetDateTime,
) -> Vec<usize> {
    let oldest = settings.posts_window.oldest(now);
    let in_window = |at: &OffsetDateTime| oldest.is_none_or(|o| *at >= o);
    match viewer {
        Viewer::Me => (0..posts.len()).collect(),
        Viewer::Friend { dont_share: true } => Vec::new(),
        Viewer::Friend { dont_share: false } => {
            (0..posts.len()).filter(|&i| in_window(&posts[i])).collect()
        }
        Viewer::Stranger if settings.strangers_see_recent => (0..posts.len())
            .filter(|&i| in_window(&posts[i]))
            .take(STRANGER_RECENT_POSTS)
            .collect(),
        Viewer::Stranger => Vec::new(),
    }
}

/// A bank card number masked for display: the last four digits only.
#[must_use]
pub fn mask_card(last4: &str) -> String {
    format!("•••• •••• •••• {last4}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn categories_round_trip_and_are_unique() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
        }
        let mut names: Vec<_> = Category::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Category::ALL.len());
        assert_eq!(Category::parse("passwords"), None);
        assert!(!Category::Requests.items_deletable());
        assert!(!Category::SignIns.clearable());
        assert!(Category::Cards.deletion_needs_reauth());
    }

    #[test]
    fn free_text_is_checked_one_way() {
        type Case<'a> = (&'a str, bool, Result<Option<&'a str>, &'a str>);
        let cases: &[Case] = &[
            ("  hello  ", false, Ok(Some("hello"))),
            ("", false, Ok(None)),
            ("   ", true, Ok(None)),
            ("a\0b", false, Err("invalid_characters")),
            ("a\0b", true, Err("invalid_characters")),
            ("a\u{7}b", true, Err("invalid_characters")),
            ("a\u{1b}[31m", true, Err("invalid_characters")),
            ("line\nline", false, Err("invalid_characters")),
            ("line\nline", true, Ok(Some("line\nline"))),
            ("line\r\nline\rend", true, Ok(Some("line\nline\nend"))),
            ("a\tb", true, Ok(Some("a\tb"))),
            ("a\tb", false, Err("invalid_characters")),
        ];
        for (raw, multiline, want) in cases {
            let got = parse_text(raw, "text", 20, *multiline).map_err(|e| e.code());
            let want = want.map(|v| v.map(str::to_owned));
            assert_eq!(got, want, "{raw:?} multiline={multiline}");
        }
        // Characters, not bytes, are counted.
        assert_eq!(
            parse_text("一二三四五", "text", 5, false),
            Ok(Some("一二三四五".to_owned()))
        );
        assert_eq!(
            parse_text("一二三四五六", "text", 5, false).map_err(|e| e.code()),
            Err("too_long")
        );
    }

    #[test]
    fn field_checks() {
        type Case<'a> = (&'a str, Option<&'a str>, Result<Option<&'a str>, &'a str>);
        let cases: &[Case] = &[
            ("gender", Some("female"), Ok(Some("female"))),
            ("gender", Some("robot"), Err("invalid_choice")),
            ("gender", None, Ok(None)),
            ("gender", Some("  "), Ok(None)),
            (
                "region",
                Some(" Shenzhen, Guangdong "),
                Ok(Some("Shenzhen, Guangdong")),
            ),
            (
                "signature",
                Some("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"),
                Ok(Some(
                    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
                )),
            ),
            (
                "signature",
                Some("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"),
                Err("too_long"),
            ),
            ("signature", Some("tab\there"), Err("invalid_characters")),
            (
                "address",
                Some("Line 1\nLine 2"),
                Ok(Some("Line 1\nLine 2")),
            ),
            (
                "mobile",
                Some("+86 138-1234-5678"),
                Ok(Some("+8613812345678")),
            ),
            ("mobile", Some("13812345678"), Err("invalid_mobile")),
            ("mobile", Some("+0123456789"), Err("invalid_mobile")),
            ("mobile", Some("+86abc"), Err("invalid_mobile")),
            ("mobile", Some("+1234567"), Err("invalid_mobile")),
            ("mobile", Some("+1234567890123456"), Err("invalid_mobile")),
            (
                "time_zone",
                Some("Europe/Berlin"),
                Ok(Some("Europe/Berlin")),
            ),
            ("time_zone", Some("Mars/Olympus"), Err("invalid_choice")),
            ("linked_qq", Some("10001"), Ok(Some("10001"))),
            ("linked_qq", Some("01234"), Err("invalid_qq")),
            ("linked_qq", Some("123456789012"), Err("invalid_qq")),
            ("account_id", Some("wxid_new"), Err("field_immutable")),
            ("qr_code", None, Err("field_immutable")),
            ("password", Some("x"), Err("unknown_field")),
        ];
        for (field, value, expected) in cases {
            let got = check_field(field, *value);
            match expected {
                Ok(v) => assert_eq!(
                    got.as_ref().map(|o| o.as_deref()),
                    Ok(*v),
                    "{field} {value:?}"
                ),
                Err(code) => {
                    let err = got.expect_err(field);
                    assert_eq!(err.code(), *code, "{field} {value:?}");
                    assert_eq!(err.field(), *field);
                }
            }
        }
    }

    #[test]
    fn posts_windows() {
        let now = datetime!(2026-08-31 12:00 UTC);
        let cases = [
            (PostsWindow::All, None),
            (
                PostsWindow::ThreeDays,
                Some(datetime!(2026-08-28 12:00 UTC)),
            ),
            // February has no 31st: clamped to its last day.
            (
                PostsWindow::SixMonths,
                Some(datetime!(2026-02-28 12:00 UTC)),
            ),
        ];
        for (window, oldest) in cases {
            assert_eq!(window.oldest(now), oldest, "{window:?}");
            assert_eq!(PostsWindow::parse(window.as_str()), Some(window));
        }
        // Across a year boundary.
        assert_eq!(
            PostsWindow::SixMonths.oldest(datetime!(2027-03-15 08:00 UTC)),
            Some(datetime!(2026-09-15 08:00 UTC))
        );
    }

    #[test]
    fn who_sees_which_posts() {
        let now = datetime!(2026-11-29 12:00 UTC);
        // Newest first: today, 2 days ago, 10 days ago, a year ago, then 11 more.
        let mut posts = vec![
            now - Duration::hours(1),
            now - Duration::days(2),
            now - Duration::days(10),
            now - Duration::days(365),
        ];
        posts.extend((0..11).map(|i| now - Duration::days(400 + i)));
        let base = PrivacySettings::default();
        let three_days = PrivacySettings {
            posts_window: PostsWindow::ThreeDays,
            ..base.clone()
        };
        let six_months = PrivacySettings {
            posts_window: PostsWindow::SixMonths,
            strangers_see_recent: true,
            ..base.clone()
        };
        let open = PrivacySettings {
            strangers_see_recent: true,
            ..base.clone()
        };
        let friend = Viewer::Friend { dont_share: false };
        let excluded = Viewer::Friend { dont_share: true };
        let cases: [(&PrivacySettings, &Viewer, usize); 9] = [
            (&base, &Viewer::Me, 15),
            (&base, &friend, 15),
            (&base, &excluded, 0),
            (&base, &Viewer::Stranger, 0),
            (&three_days, &friend, 2),
            (&three_days, &Viewer::Me, 15),
            (&six_months, &friend, 3),
            (&six_months, &Viewer::Stranger, 3),
            (&open, &Viewer::Stranger, STRANGER_RECENT_POSTS),
        ];
        for (settings, viewer, count) in cases {
            let seen = visible_posts(settings, viewer, &posts, now);
            assert_eq!(seen.len(), count, "{viewer:?} {settings:?}");
            assert!(seen.windows(2).all(|w| w[0] < w[1]), "newest first kept");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(mask_card("4321"), "•••• •••• •••• 4321");
    }
}
