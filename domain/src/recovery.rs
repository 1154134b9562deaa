//! Getting back into an account (QQ Number Service terms §3–4): what a
//! re-access request may answer (§3.3), how those answers compare with what
//! the account holds, and the score the officer decides with.
//!
//! The comparison is pure: the server looks up what the account holds (and
//! checks the given old passwords against the stored hashes itself), this
//! module says which items matched and what they are worth. Nothing stored
//! is ever part of the result: only whether each item matched.

use crate::data::{FieldError, parse_text};
use serde::{Deserialize, Serialize};

/// The answers of a re-access request, as the form and
/// `POST /api/v1/requests` (`kind: "reaccess"`) send them. Missing fields
/// count as not given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ReaccessAnswers {
    /// The account: its account ID (e.g. `wxid_…`) or its e-mail address.
    pub account: String,
    /// Passwords the account had (up to 3); checked against the stored
    /// hashes and never kept.
    pub old_passwords: Vec<String>,
    /// The e-mail address on file.
    pub email: Option<String>,
    /// The mobile number on file.
    pub mobile: Option<String>,
    /// When the account was registered, `YYYY-MM`.
    pub registered_month: Option<String>,
    /// How it was registered: `web`, `mobile_app` or `operator`.
    pub registration_method: Option<String>,
    /// Device models recently used to sign in (up to 5).
    pub devices: Vec<String>,
    /// Places the account was used from (up to 5).
    pub places: Vec<String>,
    /// Friends' names (up to 5).
    pub friends: Vec<String>,
}

/// The ways an account can have been registered.
pub const REGISTRATION_METHODS: [&str; 3] = ["web", "mobile_app", "operator"];
/// Old passwords one request may give.
pub const MAX_OLD_PASSWORDS: usize = 3;
/// Devices, places or friends one request may give.
pub const MAX_LIST: usize = 5;
/// Longest single answer.
pub const MAX_ANSWER: usize = 200;
/// Longest old password (as the sign-in refuses longer ones).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// One thing the request can be checked on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Item {
    OldPasswords,
    Email,
    Mobile,
    RegisteredMonth,
    RegistrationMethod,
    Devices,
    Places,
    Friends,
}

impl Item {
    /// Every item, in the order of the form and the officer's table.
    pub const ALL: [Item; 8] = [
        Item::OldPasswords,
        Item::Email,
        Item::Mobile,
        Item::RegisteredMonth,
        Item::RegistrationMethod,
        Item::Devices,
        Item::Places,
        Item::Friends,
    ];

    /// Points of a full match; the weights add up to 100. Secrets only the
    /// holder should know weigh most; what a stranger could find out, least.
    #[must_use]
    pub const fn weight(self) -> u8 {
        match self {
            Item::OldPasswords => 25,
            Item::Email | Item::Mobile => 15,
            Item::RegisteredMonth | Item::Devices | Item::Places | Item::Friends => 10,
            Item::RegistrationMethod => 5,
        }
    }

    /// The API name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Item::OldPasswords => "old_passwords",
            Item::Email => "email",
            Item::Mobile => "mobile",
            Item::RegisteredMonth => "registered_month",
            Item::RegistrationMethod => "registration_method",
            Item::Devices => "devices",
            Item::Places => "places",
            Item::Friends => "friends",
        }
    }
}

/// How one item compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Everything given matched (for old passwords: at least one did).
    Matched,
    /// Some of a list matched.
    Partly,
    /// Given, and wrong.
    NotMatched,
    /// Not given.
    NotGiven,
    /// Given, but the account holds nothing to compare it with (or there is
    /// no such account).
    NoRecord,
}

/// One row of the officer's table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemResult {
    pub item: Item,
    pub outcome: Outcome,
    /// How many values were given.
    pub given: u8,
    /// How many of them matched.
    pub matched: u8,
    /// Points earned, out of the item's weight.
    pub points: u8,
    /// The item's weight.
    pub weight: u8,
}

/// The score and its table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scorecard {
    /// 0–100.
    pub score: u8,
    /// `strong` (70 and up), `some` (40–69) or `weak`.
    pub band: Band,
    /// Whether the identifier named an account.
    pub account_found: bool,
    pub items: Vec<ItemResult>,
}

/// What the score says, in a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Strong,
    Some,
    Weak,
}

impl Band {
    /// The band of a score.
    #[must_use]
    pub const fn of(score: u8) -> Band {
        match score {
            70.. => Band::Strong,
            40..=69 => Band::Some,
            _ => Band::Weak,
        }
    }
}

/// What the account holds, as the comparison needs it. The server fills it
/// in; `old_passwords_matched` is how many of the given old passwords
/// matched the current or an earlier password hash.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OnFile {
    pub old_passwords_matched: usize,
    pub email: String,
    pub mobile: Option<String>,
    /// Year and month of registration in the portal's time zone.
    pub registered: (i32, u8),
    pub registration_method: String,
    pub devices: Vec<String>,
    pub places: Vec<String>,
    pub friends: Vec<String>,
}

/// Why a re-access request's answers were refused.
pub type AnswerError = FieldError;

impl ReaccessAnswers {
    /// The answers cleaned (trimmed, empty ones dropped) and checked.
    ///
    /// # Errors
    /// A [`FieldError`] naming the field: `account` required, lists too
    /// long, a month not `YYYY-MM`, an unknown registration method, answers
    /// too long, or `verification` required when nothing besides the
    /// account was given.
    pub fn checked(self) -> Result<ReaccessAnswers, FieldError> {
        let account = parse_text(&self.account, "account", MAX_ANSWER, false)?
            .ok_or(FieldError::Required("account"))?;
        let one = |raw: Option<String>, field| -> Result<Option<String>, FieldError> {
            raw.map_or(Ok(None), |r| parse_text(&r, field, MAX_ANSWER, false))
        };
        let list = |raw: Vec<String>, field, max| -> Result<Vec<String>, FieldError> {
            let mut out = Vec::new();
            for r in raw {
                if let Some(v) = parse_text(&r, field, MAX_ANSWER, false)? {
                    out.push(v);
                }
            }
            if out.len() > max {
                return Err(FieldError::TooLong(field, max));
            }
            Ok(out)
        };
        let old_passwords: Vec<String> = self
            .old_passwords
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect();
        if old_passwords.len() > MAX_OLD_PASSWORDS {
            return Err(FieldError::TooLong("old_passwords", MAX_OLD_PASSWORDS));
        }
        if old_passwords.iter().any(|p| p.len() > MAX_PASSWORD_BYTES) {
            return Err(FieldError::TooLong("old_passwords", MAX_PASSWORD_BYTES));
        }
        let registered_month = one(self.registered_month, "registered_month")?;
        if let Some(month) = &registered_month
            && parse_month(month).is_none()
        {
            return Err(FieldError::NotAllowed("registered_month"));
        }
        let registration_method = one(self.registration_method, "registration_method")?;
        if let Some(method) = &registration_method
            && !REGISTRATION_METHODS.contains(&method.as_str())
        {
            return Err(FieldError::NotAllowed("registration_method"));
        }
        let answers = ReaccessAnswers {
            account,
            old_passwords,
            email: one(self.email, "email")?,
            mobile: one(self.mobile, "mobile")?,
            registered_month,
            registration_method,
            devices: list(self.devices, "devices", MAX_LIST)?,
            places: list(self.places, "places", MAX_LIST)?,
            friends: list(self.friends, "friends", MAX_LIST)?,
        };
        if answers.given_items() == 0 {
            return Err(FieldError::Required("verification"));
        }
        Ok(answers)
    }

    /// How many items carry an answer.
    #[must_use]
    pub fn given_items(&self) -> usize {
        Item::ALL.iter().filter(|i| self.given(**i) > 0).count()
    }

    /// How many values were given for an item.
    #[must_use]
    pub fn given(&self, item: Item) -> usize {
        match item {
            Item::OldPasswords => self.old_passwords.len(),
            Item::Email => usize::from(self.email.is_some()),
            Item::Mobile => usize::from(self.mobile.is_some()),
            Item::RegisteredMonth => usize::from(self.registered_month.is_some()),
            Item::RegistrationMethod => usize::from(self.registration_method.is_some()),
            Item::Devices => self.devices.len(),
            Item::Places => self.places.len(),
            Item::Friends => self.friends.len(),
        }
    }

    /// The answers without the old passwords (what may be kept or logged).
    #[must_use]
    pub fn without_passwords(&self) -> ReaccessAnswers {
        ReaccessAnswers {
            old_passwords: Vec::new(),
            ..self.clone()
        }
    }

    /// The identifier as compared: trimmed, lower case.
    #[must_use]
    pub fn identifier(&self) -> String {
        self.account.trim().to_lowercase()
    }
}

/// `YYYY-MM` as a year and month.
#[must_use]
pub fn parse_month(raw: &str) -> Option<(i32, u8)> {
    let (year, month) = raw.trim().split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let month: u8 = month.parse().ok()?;
    ((1..=12).contains(&month) && (1970..=9999).contains(&year)).then_some((year, month))
}

/// Text as compared: lower case, inner white space collapsed.
fn fold(raw: &str) -> String {
    raw.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A mobile number as compared: its last 11 digits (the number without a
/// country code; `+86 138-1234-5678` equals `13812345678`).
fn mobile_digits(raw: &str) -> String {
    let digits: Vec<char> = raw.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len().saturating_sub(11)..].iter().collect()
}

/// A place matches when one names the other ("Shenzhen" and
/// "Guangdong Shenzhen"); at least three characters, so "a" matches nothing.
fn place_matches(given: &str, held: &str) -> bool {
    let (g, h) = (fold(given), fold(held));
    g.chars().count() >= 3 && h.chars().count() >= 3 && (h.contains(&g) || g.contains(&h))
}

/// Compares the answers with what the account holds (`None`: no account
/// has the identifier, and every given item is `no_record`).
#[must_use]
pub fn score(answers: &ReaccessAnswers, on_file: Option<&OnFile>) -> Scorecard {
    let items: Vec<ItemResult> = Item::ALL
        .into_iter()
        .map(|item| compare(item, answers, on_file))
        .collect();
    let score = items.iter().map(|i| u32::from(i.points)).sum::<u32>();
    let score = u8::try_from(score.min(100)).unwrap_or(100);
    Scorecard {
        score,
        band: Band::of(score),
        account_found: on_file.is_some(),
        items,
    }
}

fn compare(item: Item, answers: &ReaccessAnswers, on_file: Option<&OnFile>) -> ItemResult {
    let given = answers.given(item);
    let weight = item.weight();
    let result = |outcome, matched: usize, points: u8| ItemResult {
        item,
        outcome,
        given: u8::try_from(given).unwrap_or(u8::MAX),
        matched: u8::try_from(matched).unwrap_or(u8::MAX),
        points,
        weight,
    };
    if given == 0 {
        return result(Outcome::NotGiven, 0, 0);
    }
    let Some(held) = on_file else {
        return result(Outcome::NoRecord, 0, 0);
    };
    let in_list = |values: &[String], held: &[String], same: &dyn Fn(&str, &str) -> bool| {
        if held.is_empty() {
            return None;
        }
        Some(
            values
                .iter()
                .filter(|v| held.iter().any(|h| same(v, h)))
                .count(),
        )
    };
    let equal = |a: &str, b: &str| fold(a) == fold(b);
    let matched = match item {
        Item::OldPasswords => Some(held.old_passwords_matched.min(given)),
        Item::Email => answers
            .email
            .as_deref()
            .map(|e| usize::from(equal(e, &held.email))),
        Item::Mobile => match (&answers.mobile, &held.mobile) {
            (Some(given), Some(on_file)) => {
                let g = mobile_digits(given);
                Some(usize::from(g.len() >= 7 && g == mobile_digits(on_file)))
            }
            _ => None,
        },
        Item::RegisteredMonth => answers
            .registered_month
            .as_deref()
            .and_then(parse_month)
            .map(|m| usize::from(m == held.registered)),
        Item::RegistrationMethod => answers
            .registration_method
            .as_deref()
            .map(|m| usize::from(m == held.registration_method)),
        Item::Devices => in_list(&answers.devices, &held.devices, &equal),
        Item::Places => in_list(&answers.places, &held.places, &place_matches),
        Item::Friends => in_list(&answers.friends, &held.friends, &equal),
    };
    match matched {
        None => result(Outcome::NoRecord, 0, 0),
        Some(0) => result(Outcome::NotMatched, 0, 0),
        // One right old password is proof enough; wrong ones beside it are
        // forgotten passwords, not a stranger's guesses.
        Some(n) if item == Item::OldPasswords => result(Outcome::Matched, n, weight),
        Some(n) if n >= given => result(Outcome::Matched, n, weight),
        Some(n) => {
            let points = u32::from(weight) * u32::try_from(n).unwrap_or(0)
                / u32::try_from(given).unwrap_or(1);
            result(Outcome::Partly, n, u8::try_from(points).unwrap_or(weight))
        }
    }
}

#[cfg(test)]
mod tests;
