//! Accounts: the validated values a person gives at sign-up, and the roles.
//!
//! Every value here can only be built by its `parse` function, so a value that
//! exists is a valid one (parse, don't validate).

use serde::{Deserialize, Serialize};
use std::fmt;
use time::{Date, Month};

/// Why a sign-up or profile value was refused. Each variant names the form
/// field it belongs to and a stable code that the API and the UI share.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// Not an e-mail address.
    #[error("Enter an e-mail address such as name@example.com.")]
    EmailInvalid,
    /// Shorter than [`Password::MIN_CHARS`].
    #[error("The password must have at least 10 characters.")]
    PasswordTooShort,
    /// Longer than [`Password::MAX_CHARS`].
    #[error("The password may have at most 256 characters.")]
    PasswordTooLong,
    /// Blank display name.
    #[error("Enter the name others see.")]
    DisplayNameRequired,
    /// Longer than [`DisplayName::MAX_CHARS`].
    #[error("The name may have at most 64 characters.")]
    DisplayNameTooLong,
    /// Contains control characters.
    #[error("The name may not contain control characters.")]
    DisplayNameInvalid,
    /// Not a date in `YYYY-MM-DD` form, or an impossible one.
    #[error("Enter the birth date as YYYY-MM-DD.")]
    BirthDateInvalid,
    /// After today, or more than 130 years ago.
    #[error("The birth date must be a real date in the past.")]
    BirthDateOutOfRange,
    /// Under 13: Weixin guideline §8 and the Tencent policy "Age restrictions".
    #[error("Accounts are for people aged 13 or over.")]
    AgeRestricted,
}

impl AccountError {
    /// The form field the error belongs to.
    #[must_use]
    pub fn field(&self) -> &'static str {
        match self {
            AccountError::EmailInvalid => "email",
            AccountError::PasswordTooShort | AccountError::PasswordTooLong => "password",
            AccountError::DisplayNameRequired
            | AccountError::DisplayNameTooLong
            | AccountError::DisplayNameInvalid => "display_name",
            AccountError::BirthDateInvalid
            | AccountError::BirthDateOutOfRange
            | AccountError::AgeRestricted => "birth_date",
        }
    }

    /// The stable snake_case code of the API error format (DESIGN §9).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            AccountError::EmailInvalid => "invalid_email",
            AccountError::PasswordTooShort => "password_too_short",
            AccountError::PasswordTooLong => "password_too_long",
            AccountError::DisplayNameRequired => "display_name_required",
            AccountError::DisplayNameTooLong => "display_name_too_long",
            AccountError::DisplayNameInvalid => "display_name_invalid",
            AccountError::BirthDateInvalid => "invalid_birth_date",
            AccountError::BirthDateOutOfRange => "birth_date_out_of_range",
            AccountError::AgeRestricted => "age_restricted",
        }
    }
}

/// A normalised e-mail address (trimmed, lower case).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// The longest address RFC 5321 allows in a path.
    pub const MAX_LEN: usize = 254;

    /// Parses an address the way a person types it.
    ///
    /// # Errors
    /// [`AccountError::EmailInvalid`] when it is not `local@domain.tld`.
    pub fn parse(raw: &str) -> Result<Email, AccountError> {
        let email = raw.trim().to_lowercase();
        let valid = email.len() <= Self::MAX_LEN
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && match email.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.len() <= 64
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains("..")
                }
                None => false,
            };
        if valid {
            Ok(Email(email))
        } else {
            Err(AccountError::EmailInvalid)
        }
    }

    /// The address.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new password that meets the policy. It never appears in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// At least 10 characters (stricter than OWASP ASVS 6.2.1's 8).
    pub const MIN_CHARS: usize = 10;
    /// Long passphrases are allowed (ASVS 6.2.9 asks for ≥ 64); the cap keeps
    /// hashing cheap to refuse.
    pub const MAX_CHARS: usize = 256;

    /// Checks a new password. Nothing is trimmed or truncated (ASVS 6.2.8).
    ///
    /// # Errors
    /// [`AccountError::PasswordTooShort`] or [`AccountError::PasswordTooLong`].
    pub fn parse(raw: &str) -> Result<Password, AccountError> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            Err(AccountError::PasswordTooShort)
        } else if chars > Self::MAX_CHARS {
            Err(AccountError::PasswordTooLong)
        } else {
            Ok(Password(raw.to_owned()))
        }
    }

    /// The password, for hashing.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// The name other people see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct DisplayName(String);

impl DisplayName {
    /// Longest name, in characters.
    pub const MAX_CHARS: usize = 64;

    /// Trims and checks a display name.
    ///
    /// # Errors
    /// When blank, too long, or holding control characters.
    pub fn parse(raw: &str) -> Result<DisplayName, AccountError> {
        let name = raw.trim();
        if name.is_empty() {
            Err(AccountError::DisplayNameRequired)
        } else if name.chars().count() > Self::MAX_CHARS {
            Err(AccountError::DisplayNameTooLong)
        } else if name.chars().any(char::is_control) {
            Err(AccountError::DisplayNameInvalid)
        } else {
            Ok(DisplayName(name.to_owned()))
        }
    }

    /// The name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How the age rules treat an account holder (Weixin guideline §8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    /// 18 or over.
    Adult,
    /// 13 to 17: limited until a guardian confirms.
    Minor,
}

/// A birth date that is a real date in the past.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BirthDate(Date);

impl BirthDate {
    /// Oldest accepted age, in years.
    pub const MAX_AGE: i32 = 130;

    /// Parses `YYYY-MM-DD` and checks it against `today` (the date where the
    /// person is; the caller reads it from the clock).
    ///
    /// # Errors
    /// When malformed, in the future, or implausibly old.
    pub fn parse(raw: &str, today: Date) -> Result<BirthDate, AccountError> {
        let date = parse_iso_date(raw.trim()).ok_or(AccountError::BirthDateInvalid)?;
        let birth = BirthDate(date);
        if date > today || birth.age_on(today) > Self::MAX_AGE {
            return Err(AccountError::BirthDateOutOfRange);
        }
        Ok(birth)
    }

    /// The date.
    #[must_use]
    pub fn date(&self) -> Date {
        self.0
    }

    /// Completed years on `day`. Someone born on 29 February turns a year
    /// older on 1 March in common years.
    #[must_use]
    pub fn age_on(&self, day: Date) -> i32 {
        let mut years = day.year() - self.0.year();
        let birthday_reached =
            (day.month() as u8, day.day()) >= (self.0.month() as u8, self.0.day());
        if !birthday_reached {
            years -= 1;
        }
        years
    }

    /// The age band on `today`.
    ///
    /// # Errors
    /// [`AccountError::AgeRestricted`] under 13.
    pub fn age_band(&self, today: Date) -> Result<AgeBand, AccountError> {
        match self.age_on(today) {
            age if age < 13 => Err(AccountError::AgeRestricted),
            age if age < 18 => Ok(AgeBand::Minor),
            _ => Ok(AgeBand::Adult),
        }
    }
}

fn parse_iso_date(raw: &str) -> Option<Date> {
    let bytes = raw.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: i32 = raw.get(0..4)?.parse().ok()?;
    let month: u8 = raw.get(5..7)?.parse().ok()?;
    let day: u8 = raw.get(8..10)?.parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// What an account may do. Guardians arrive with the minors issue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A person exercising rights over their own data.
    Holder,
    /// A privacy officer working the request register.
    Officer,
    /// An administrator of officers, policies and the audit log.
    Admin,
}

impl Role {
    /// The role's name in the API and the database.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Holder => "holder",
            Role::Officer => "officer",
            Role::Admin => "admin",
        }
    }

    /// Reads a role name.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Role> {
        match raw {
            "holder" => Some(Role::Holder),
            "officer" => Some(Role::Officer),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// Whether this role works the officer's register (administrators may too).
    #[must_use]
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Officer | Role::Admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn emails_are_normalised_or_refused() {
        let cases = [
            ("  Ann@Example.COM ", Ok("ann@example.com")),
            ("a.b+tag@mail.example.cn", Ok("a.b+tag@mail.example.cn")),
            ("", Err(AccountError::EmailInvalid)),
            ("no-at-sign.example.com", Err(AccountError::EmailInvalid)),
            ("two@@example.com", Err(AccountError::EmailInvalid)),
            ("a@localhost", Err(AccountError::EmailInvalid)),
            ("a b@example.com", Err(AccountError::EmailInvalid)),
            ("a@.example.com", Err(AccountError::EmailInvalid)),
            ("a@example..com", Err(AccountError::EmailInvalid)),
            ("@example.com", Err(AccountError::EmailInvalid)),
        ];
        for (raw, expected) in cases {
            let got = Email::parse(raw);
            assert_eq!(
                got.as_ref().map(Email::as_str).map_err(Clone::clone),
                expected,
                "input {raw:?}"
            );
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(AccountError::EmailInvalid));
    }

    #[test]
    fn passwords_have_at_least_ten_characters() {
        assert_eq!(
            Password::parse("123456789"),
            Err(AccountError::PasswordTooShort)
        );
        assert!(Password::parse("1234567890").is_ok());
        // Characters, not bytes: ten Chinese characters are enough.
        assert!(Password::parse("隐私保护隐私保护隐私").is_ok());
        assert_eq!(
            Password::parse(&"x".repeat(257)),
            Err(AccountError::PasswordTooLong)
        );
        assert_eq!(
            format!("{:?}", Password::parse("secret-secret").ok()),
            "Some(Password(***))"
        );
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(
            DisplayName::parse("  李雷 ").map(|n| n.0),
            Ok("李雷".to_owned())
        );
        assert_eq!(
            DisplayName::parse("   "),
            Err(AccountError::DisplayNameRequired)
        );
        assert_eq!(
            DisplayName::parse(&"名".repeat(65)),
            Err(AccountError::DisplayNameTooLong)
        );
        assert_eq!(
            DisplayName::parse("a\u{0007}b"),
            Err(AccountError::DisplayNameInvalid)
        );
    }

    #[test]
    fn age_bands_follow_the_guideline() {
        let today = date!(2026 - 11 - 29);
        let cases = [
            (
                "2013-11-30",
                Err(AccountError::AgeRestricted),
                "one day short of 13",
            ),
            ("2013-11-29", Ok(AgeBand::Minor), "13th birthday today"),
            ("2008-11-30", Ok(AgeBand::Minor), "one day short of 18"),
            ("2008-11-29", Ok(AgeBand::Adult), "18th birthday today"),
            ("1960-02-29", Ok(AgeBand::Adult), "leap-day birth"),
            ("2026-11-29", Err(AccountError::AgeRestricted), "born today"),
        ];
        for (raw, expected, why) in cases {
            let band = BirthDate::parse(raw, today).and_then(|b| b.age_band(today));
            assert_eq!(band, expected, "{why}");
        }
    }

    #[test]
    fn leap_day_birthdays_count_from_the_first_of_march() {
        let birth = BirthDate::parse("2012-02-29", date!(2026 - 01 - 01)).expect("valid date");
        assert_eq!(birth.age_on(date!(2025 - 02 - 28)), 12);
        assert_eq!(birth.age_on(date!(2025 - 03 - 01)), 13);
        assert_eq!(birth.age_on(date!(2028 - 02 - 29)), 16);
    }

    #[test]
    fn birth_dates_are_real_and_past() {
        let today = date!(2026 - 11 - 29);
        let cases = [
            ("2026-11-30", AccountError::BirthDateOutOfRange),
            ("1890-01-01", AccountError::BirthDateOutOfRange),
            ("2001-02-29", AccountError::BirthDateInvalid),
            ("2001-13-01", AccountError::BirthDateInvalid),
            ("01/02/2001", AccountError::BirthDateInvalid),
            ("", AccountError::BirthDateInvalid),
            ("２００１-01-01", AccountError::BirthDateInvalid),
        ];
        for (raw, expected) in cases {
            assert_eq!(BirthDate::parse(raw, today), Err(expected), "input {raw:?}");
        }
    }

    #[test]
    fn roles_round_trip() {
        for role in [Role::Holder, Role::Officer, Role::Admin] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    proptest! {
        #[test]
        fn parsed_emails_parse_again_to_themselves(local in "[a-z0-9._+-]{1,20}", domain in "[a-z0-9-]{1,20}\\.[a-z]{2,6}") {
            let email = Email::parse(&format!("{local}@{domain}")).expect("generated address is valid");
            prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
        }

        #[test]
        fn email_parse_never_panics(raw in "\\PC{0,300}") {
            let _ = Email::parse(&raw);
        }

        #[test]
        fn error_fields_are_form_fields(raw in "\\PC{0,20}") {
            let today = time::macros::date!(2026 - 11 - 29);
            if let Err(e) = BirthDate::parse(&raw, today) {
                prop_assert_eq!(e.field(), "birth_date");
            }
        }
    }
}
