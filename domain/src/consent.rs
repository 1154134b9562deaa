//! The consent catalogue and its rules (DESIGN §2): the features a holder
//! grants or withdraws one by one, what each governs, what turning it off
//! stops, and what the apps may hand over while it is on.
//!
//! Sources: Weixin Privacy Protection Guideline §1.1 (voiceprint), §1.5
//! (People Nearby, Shake), §1.6 (Movement / WeRun), §1.7 (recommended
//! contacts, stored irreversibly), §1.8 (Pay), §6.4 (withdrawing each), §8
//! (minors); the Tencent Privacy Policy, "Advertising" (marketing and
//! personalised ads); PIPL art. 28–29 (sensitive information needs separate
//! consent; a minor's needs the guardian's).

use crate::Locale;
use crate::data::Category;
use serde::{Deserialize, Serialize};

/// A feature that runs only with the holder's consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// Find Mobile Contacts: friends recommended from the address book.
    Contacts,
    /// People Nearby and Shake: the location they record.
    Location,
    /// Movement (WeRun): daily step counts compared with friends.
    Steps,
    /// Voiceprint sign-in.
    Voiceprint,
    /// Pay: linked bank cards.
    Cards,
    /// Marketing messages about our and partners' products.
    Marketing,
    /// Advertising chosen from what we know about the holder.
    Ads,
}

/// What clearing a feature deletes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Governs {
    /// Every item of a category.
    Category(Category),
    /// One field of a category (the voiceprint of account security).
    Field(Category, &'static str),
}

/// What the product's apps hand over for a feature (`POST /api/v1/collect/{feature}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Collects {
    /// One location point.
    LocationPoint,
    /// One day's step count.
    StepCount,
    /// A batch of address-book numbers, stored as keyed hashes.
    ContactBatch,
    /// A voiceprint enrolment.
    VoiceprintSample,
}

/// The privacy-policy version that first described the catalogue's features.
pub const FIRST_POLICY_VERSION: &str = "2026-01";

impl Feature {
    /// Every feature, in the order the consent page lists them.
    pub const ALL: [Feature; 7] = [
        Feature::Location,
        Feature::Steps,
        Feature::Contacts,
        Feature::Voiceprint,
        Feature::Cards,
        Feature::Marketing,
        Feature::Ads,
    ];

    /// The wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Feature::Contacts => "contacts",
            Feature::Location => "location",
            Feature::Steps => "steps",
            Feature::Voiceprint => "voiceprint",
            Feature::Cards => "cards",
            Feature::Marketing => "marketing",
            Feature::Ads => "ads",
        }
    }

    /// The feature of a wire name.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Feature> {
        Feature::ALL.into_iter().find(|f| f.as_str() == raw)
    }

    /// The data the feature collects, which "turn off and clear" deletes.
    /// Marketing and ads collect nothing of their own: they govern a use.
    #[must_use]
    pub const fn governs(self) -> &'static [Governs] {
        match self {
            Feature::Contacts => &[Governs::Category(Category::Contacts)],
            Feature::Location => &[Governs::Category(Category::Location)],
            Feature::Steps => &[Governs::Category(Category::Steps)],
            Feature::Voiceprint => &[Governs::Field(Category::AccountSecurity, "voiceprint")],
            Feature::Cards => &[Governs::Category(Category::Cards)],
            Feature::Marketing | Feature::Ads => &[],
        }
    }

    /// Sensitive personal information (PIPL art. 28; the guideline names
    /// each of these "sensitive"): granted separately, and for a minor only
    /// with the guardian's confirmation.
    #[must_use]
    pub const fn sensitive(self) -> bool {
        !matches!(self, Feature::Marketing | Feature::Ads)
    }

    /// What the apps may hand over while it is granted.
    #[must_use]
    pub const fn collects(self) -> Option<Collects> {
        match self {
            Feature::Location => Some(Collects::LocationPoint),
            Feature::Steps => Some(Collects::StepCount),
            Feature::Contacts => Some(Collects::ContactBatch),
            Feature::Voiceprint => Some(Collects::VoiceprintSample),
            Feature::Cards | Feature::Marketing | Feature::Ads => None,
        }
    }

    /// Where the rule comes from.
    #[must_use]
    pub const fn source(self) -> &'static str {
        match self {
            Feature::Contacts => "Weixin guideline §1.7, §6.4.1",
            Feature::Location => "Weixin guideline §1.5, §6.4.2, §6.4.4",
            Feature::Steps => "Weixin guideline §1.6, §6.4.3",
            Feature::Voiceprint => "Weixin guideline §1.1, §6.3.2",
            Feature::Cards => "Weixin guideline §1.8, §6.4.5",
            Feature::Marketing | Feature::Ads => "Tencent Privacy Policy, \"Advertising\"",
        }
    }

    /// What stops working without it, in the holder's language; nothing
    /// else does (guideline §1.5–1.8).
    #[must_use]
    pub const fn stops(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Feature::Contacts, Locale::En) => {
                "Friend suggestions from your phone's contacts stop. Nothing else changes."
            }
            (Feature::Contacts, Locale::Zh) => "将不再根据手机通讯录推荐好友。其他功能不受影响。",
            (Feature::Location, Locale::En) => {
                "People Nearby and Shake stop working. Nothing else changes."
            }
            (Feature::Location, Locale::Zh) => "“附近的人”和“摇一摇”将无法使用。其他功能不受影响。",
            (Feature::Steps, Locale::En) => {
                "Movement stops counting and ranking your steps. Nothing else changes."
            }
            (Feature::Steps, Locale::Zh) => "微信运动将不再记录和排行你的步数。其他功能不受影响。",
            (Feature::Voiceprint, Locale::En) => {
                "You can no longer sign in with your voice; sign in with your password. Nothing else changes."
            }
            (Feature::Voiceprint, Locale::Zh) => {
                "你将无法使用声音锁登录，请使用密码登录。其他功能不受影响。"
            }
            (Feature::Cards, Locale::En) => {
                "Pay stops: you cannot pay or receive money until you link a card again. Nothing else changes."
            }
            (Feature::Cards, Locale::Zh) => {
                "微信支付将停用：重新绑定银行卡前无法付款或收款。其他功能不受影响。"
            }
            (Feature::Marketing, Locale::En) => {
                "We stop sending you offers about our and partners' products. Service messages still arrive."
            }
            (Feature::Marketing, Locale::Zh) => {
                "我们将不再向你发送产品和合作伙伴的推广信息。服务通知照常送达。"
            }
            (Feature::Ads, Locale::En) => {
                "Ads are no longer chosen from what we know about you; you still see ads, just not personalised ones."
            }
            (Feature::Ads, Locale::Zh) => {
                "广告将不再根据你的信息挑选；你仍会看到广告，但不是个性化广告。"
            }
        }
    }
}

/// The features a browser's Global Privacy Control signal (`Sec-GPC: 1`)
/// withdraws: the sale-or-share uses, never the features a holder turned on
/// to use.
pub const GPC_WITHDRAWS: [Feature; 2] = [Feature::Marketing, Feature::Ads];

/// How a consent change reached us, as its receipt records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentChannel {
    /// The consent page.
    Portal,
    /// `PUT /api/v1/me/consents/{feature}`.
    Api,
    /// A browser's Global Privacy Control signal.
    Gpc,
    /// A guardian's confirmation for a minor.
    Guardian,
}

impl ConsentChannel {
    /// Every channel.
    pub const ALL: [ConsentChannel; 4] = [
        ConsentChannel::Portal,
        ConsentChannel::Api,
        ConsentChannel::Gpc,
        ConsentChannel::Guardian,
    ];

    /// The wire and stored name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ConsentChannel::Portal => "portal",
            ConsentChannel::Api => "api",
            ConsentChannel::Gpc => "gpc",
            ConsentChannel::Guardian => "guardian",
        }
    }

    /// The channel of a stored name.
    #[must_use]
    pub fn parse(raw: &str) -> Option<ConsentChannel> {
        ConsentChannel::ALL.into_iter().find(|c| c.as_str() == raw)
    }
}

/// Where a feature stands for a holder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentState {
    Granted,
    Withdrawn,
    /// A minor asked for it; the guardian has not confirmed yet.
    AwaitingGuardian,
}

impl ConsentState {
    /// Every state.
    pub const ALL: [ConsentState; 3] = [
        ConsentState::Granted,
        ConsentState::Withdrawn,
        ConsentState::AwaitingGuardian,
    ];

    /// The wire and stored name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ConsentState::Granted => "granted",
            ConsentState::Withdrawn => "withdrawn",
            ConsentState::AwaitingGuardian => "awaiting_guardian",
        }
    }

    /// The state of a stored name.
    #[must_use]
    pub fn parse(raw: &str) -> Option<ConsentState> {
        ConsentState::ALL.into_iter().find(|c| c.as_str() == raw)
    }
}

/// How long a guardian's confirmation link works (guideline §8).
pub const GUARDIAN_LINK_DAYS: i64 = 7;

/// What the holder asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    pub granted: bool,
    /// With a withdrawal: delete what the feature collected.
    pub clear: bool,
    /// The change names a guardian's address (a minor's sensitive grant
    /// needs one).
    pub guardian: bool,
}

/// What is known about the holder when they ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Asker {
    /// 13–17.
    pub minor: bool,
    /// Signed in again within the re-authentication window.
    pub reauthenticated: bool,
    /// Has accepted the current privacy-policy version.
    pub accepted_policy: bool,
    /// The request carries the Global Privacy Control signal (`Sec-GPC: 1`).
    pub gpc: bool,
}

/// What a change does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The state after it.
    pub state: ConsentState,
    /// What to delete in the same transaction (empty unless clearing).
    pub clear: &'static [Governs],
    /// A guardian must confirm through an e-mailed link.
    pub ask_guardian: bool,
}

/// Why a change is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConsentError {
    /// Clearing goes with turning off.
    #[error("clear: only when turning the feature off.")]
    ClearWhileGranting,
    /// Deleting data needs the password again.
    #[error("Enter your password again to delete this data.")]
    ReauthRequired,
    /// Consent-based features stay off until the current policy is accepted.
    #[error("Accept the current privacy policy before turning this on.")]
    PolicyNotAccepted,
    /// The browser asks, by Global Privacy Control, that data not be used for
    /// marketing or personalised ads.
    #[error(
        "Your browser sends Global Privacy Control, which turns this off; switch the signal off in the browser to turn it on."
    )]
    GpcSignal,
    /// A minor's sensitive grant needs the guardian's address.
    #[error(
        "guardian_email: your parent or guardian confirms this by e-mail; enter their address."
    )]
    GuardianEmailRequired,
}

impl ConsentError {
    /// The stable code (DESIGN §9).
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            ConsentError::ClearWhileGranting => "invalid_clear",
            ConsentError::ReauthRequired => "reauth_required",
            ConsentError::PolicyNotAccepted => "policy_not_accepted",
            ConsentError::GpcSignal => "gpc_signal",
            ConsentError::GuardianEmailRequired => "guardian_email_required",
        }
    }

    /// The HTTP status.
    #[must_use]
    pub const fn status(self) -> u16 {
        match self {
            ConsentError::ClearWhileGranting => 422,
            ConsentError::ReauthRequired => 403,
            ConsentError::PolicyNotAccepted | ConsentError::GpcSignal => 409,
            ConsentError::GuardianEmailRequired => 422,
        }
    }

    /// The field at fault, if one is.
    #[must_use]
    pub const fn field(self) -> Option<&'static str> {
        match self {
            ConsentError::ClearWhileGranting => Some("clear"),
            ConsentError::GuardianEmailRequired => Some("guardian_email"),
            _ => None,
        }
    }
}

/// Decides a change of `feature`. Withdrawing is never refused but for
/// clearing without the password again; granting needs the current policy
/// accepted and, for marketing and ads, no Global Privacy Control signal; a
/// minor's grant of a sensitive feature waits for the guardian, whose
/// address the change must name.
///
/// # Errors
/// [`ConsentError`].
pub fn decide(feature: Feature, change: Change, asker: Asker) -> Result<Decision, ConsentError> {
    if change.granted {
        if change.clear {
            return Err(ConsentError::ClearWhileGranting);
        }
        if !asker.accepted_policy {
            return Err(ConsentError::PolicyNotAccepted);
        }
        if asker.gpc && GPC_WITHDRAWS.contains(&feature) {
            return Err(ConsentError::GpcSignal);
        }
        let guardian = asker.minor && feature.sensitive();
        if guardian && !change.guardian {
            return Err(ConsentError::GuardianEmailRequired);
        }
        return Ok(Decision {
            state: if guardian {
                ConsentState::AwaitingGuardian
            } else {
                ConsentState::Granted
            },
            clear: &[],
            ask_guardian: guardian,
        });
    }
    if change.clear && !asker.reauthenticated && !feature.governs().is_empty() {
        return Err(ConsentError::ReauthRequired);
    }
    Ok(Decision {
        state: ConsentState::Withdrawn,
        clear: if change.clear { feature.governs() } else { &[] },
        ask_guardian: false,
    })
}

/// Longest summary of what a new privacy-policy version changed.
pub const POLICY_SUMMARY_MAX: usize = 4000;

/// A privacy-policy version an administrator publishes (guideline §7),
/// checked: the version is 1–32 letters, digits, '.', '-' or '_' (e.g.
/// `2027-01`), the summary 1–4,000 characters of text.
///
/// # Errors
/// A [`crate::data::FieldError`] naming `version` or `summary`.
pub fn check_policy(
    version: &str,
    summary: &str,
) -> Result<(String, String), crate::data::FieldError> {
    use crate::data::FieldError;
    let version = version.trim();
    if version.is_empty() {
        return Err(FieldError::Required("version"));
    }
    if version.len() > 32 {
        return Err(FieldError::TooLong("version", 32));
    }
    if !version
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return Err(FieldError::NotAllowed("version"));
    }
    let summary = crate::data::parse_text(summary, "summary", POLICY_SUMMARY_MAX, true)?
        .ok_or(FieldError::Required("summary"))?;
    Ok((version.to_owned(), summary))
}

/// Most contacts one batch may hand over.
pub const CONTACT_BATCH_MAX: usize = 5000;

/// Why collected data is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CollectError {
    /// Latitude outside −90…90 or longitude outside −180…180, or not a number.
    #[error("{0}: outside the range of coordinates.")]
    OutOfRange(&'static str),
    /// A day that has not come yet.
    #[error("date: a day that has not come yet.")]
    FutureDate,
    /// A step count no person walks in a day.
    #[error("steps: from 0 to 200,000 a day.")]
    ImplausibleSteps,
    /// More numbers than one batch may hold, or none.
    #[error("numbers: from 1 to 5,000 numbers a batch.")]
    BatchSize,
    /// A number that is not a phone number.
    #[error("{0}: not a phone number in international form.")]
    BadNumber(String),
    /// An empty or over-long sample reference.
    #[error("sample_id: 1 to 128 characters, letters, digits, '-' and '_'.")]
    BadSample,
}

impl CollectError {
    /// The field at fault.
    #[must_use]
    pub fn field(&self) -> String {
        match self {
            CollectError::OutOfRange(field) => (*field).to_owned(),
            CollectError::FutureDate => "date".to_owned(),
            CollectError::ImplausibleSteps => "steps".to_owned(),
            CollectError::BatchSize => "numbers".to_owned(),
            CollectError::BadNumber(field) => field.clone(),
            CollectError::BadSample => "sample_id".to_owned(),
        }
    }

    /// The stable code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            CollectError::OutOfRange(_) | CollectError::ImplausibleSteps => "out_of_range",
            CollectError::FutureDate => "future_date",
            CollectError::BatchSize => "batch_size",
            CollectError::BadNumber(_) => "invalid_mobile",
            CollectError::BadSample => "invalid_sample",
        }
    }
}

/// Checks a location point.
///
/// # Errors
/// [`CollectError::OutOfRange`] naming `lat` or `lon`.
pub fn check_point(lat: f64, lon: f64) -> Result<(), CollectError> {
    if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
        return Err(CollectError::OutOfRange("lat"));
    }
    if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
        return Err(CollectError::OutOfRange("lon"));
    }
    Ok(())
}

/// Most steps counted in a day.
pub const STEPS_MAX: u32 = 200_000;

/// Checks a day's step count against the holder's `today`.
///
/// # Errors
/// [`CollectError::FutureDate`] or [`CollectError::ImplausibleSteps`].
pub fn check_steps(day: time::Date, steps: u32, today: time::Date) -> Result<(), CollectError> {
    if day > today {
        return Err(CollectError::FutureDate);
    }
    if steps > STEPS_MAX {
        return Err(CollectError::ImplausibleSteps);
    }
    Ok(())
}

/// Checks a batch of address-book numbers and answers them in E.164 form,
/// each once.
///
/// # Errors
/// [`CollectError::BatchSize`] or [`CollectError::BadNumber`] naming
/// `numbers[i]`.
pub fn check_contacts(numbers: &[String]) -> Result<Vec<String>, CollectError> {
    if numbers.is_empty() || numbers.len() > CONTACT_BATCH_MAX {
        return Err(CollectError::BatchSize);
    }
    let mut seen = std::collections::HashSet::with_capacity(numbers.len());
    let mut out = Vec::with_capacity(numbers.len());
    for (i, raw) in numbers.iter().enumerate() {
        let number = crate::data::parse_mobile(raw, "numbers")
            .map_err(|_| CollectError::BadNumber(format!("numbers[{i}]")))?;
        if seen.insert(number.clone()) {
            out.push(number);
        }
    }
    Ok(out)
}

/// Checks a voiceprint sample reference.
///
/// # Errors
/// [`CollectError::BadSample`].
pub fn check_sample(sample_id: &str) -> Result<(), CollectError> {
    let ok = (1..=128).contains(&sample_id.len())
        && sample_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(CollectError::BadSample)
    }
}

#[cfg(test)]
mod tests;
