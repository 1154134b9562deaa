//! Incident notices (Weixin guideline §3: "inform you in the form of push
//! notifications and announcements"; PIPL art. 57: what happened, the
//! categories of data involved, what was done, what people can do, whom to
//! contact). An administrator writes a notice in both languages, chooses who
//! is affected, and publishes it; a published notice never changes, it can
//! only be followed by an update.

use crate::data::{Category, FieldError, parse_text};
use serde::{Deserialize, Serialize};

/// What a notice says, in English and Chinese. Missing fields count as
/// empty, so each is reported by name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct IncidentContent {
    pub title_en: String,
    pub title_zh: String,
    /// What happened.
    pub what_happened_en: String,
    pub what_happened_zh: String,
    /// When it happened (or began), `YYYY-MM-DD`.
    pub occurred_on: String,
    /// The categories of personal data involved (data category names).
    pub data_categories: Vec<String>,
    /// What the portal's operator has done.
    pub actions_en: String,
    pub actions_zh: String,
    /// What people should do.
    pub advice_en: String,
    pub advice_zh: String,
    /// Whom to contact (address, telephone), one line for both languages.
    pub contact: String,
}

/// Who a notice reaches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Audience {
    /// Every holder.
    Everyone,
    /// Holders with data in any of these categories.
    Categories { categories: Vec<String> },
    /// These accounts (IDs).
    Accounts { accounts: Vec<String> },
}

/// Longest title.
pub const MAX_TITLE: usize = 120;
/// Longest paragraph.
pub const MAX_PARAGRAPH: usize = 2000;
/// Longest contact line.
pub const MAX_CONTACT: usize = 200;
/// Most account IDs one notice may list.
pub const MAX_LISTED_ACCOUNTS: usize = 10_000;

/// The categories a notice can be aimed by: those whose rows are the
/// holder's own records.
pub const TARGETABLE: [Category; 11] = [
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
];

impl IncidentContent {
    /// The content cleaned and checked; `today` bounds the date.
    ///
    /// # Errors
    /// A [`FieldError`] naming the first bad field.
    pub fn checked(self, today: time::Date) -> Result<IncidentContent, FieldError> {
        let required = |raw: &str, field: &'static str, max: usize, multiline: bool| {
            parse_text(raw, field, max, multiline)?.ok_or(FieldError::Required(field))
        };
        // In the order of the form, so the first error is the first field.
        let title_en = required(&self.title_en, "title_en", MAX_TITLE, false)?;
        let title_zh = required(&self.title_zh, "title_zh", MAX_TITLE, false)?;
        let occurred_on = required(&self.occurred_on, "occurred_on", 10, false)?;
        let format = time::macros::format_description!("[year]-[month]-[day]");
        match time::Date::parse(&occurred_on, format) {
            Ok(day) if day <= today => {}
            _ => return Err(FieldError::NotAllowed("occurred_on")),
        }
        let what_happened_en = required(
            &self.what_happened_en,
            "what_happened_en",
            MAX_PARAGRAPH,
            true,
        )?;
        let what_happened_zh = required(
            &self.what_happened_zh,
            "what_happened_zh",
            MAX_PARAGRAPH,
            true,
        )?;
        let actions_en = required(&self.actions_en, "actions_en", MAX_PARAGRAPH, true)?;
        let actions_zh = required(&self.actions_zh, "actions_zh", MAX_PARAGRAPH, true)?;
        let advice_en = required(&self.advice_en, "advice_en", MAX_PARAGRAPH, true)?;
        let advice_zh = required(&self.advice_zh, "advice_zh", MAX_PARAGRAPH, true)?;
        let contact = required(&self.contact, "contact", MAX_CONTACT, false)?;
        let mut data_categories = Vec::new();
        for raw in &self.data_categories {
            let category =
                Category::parse(raw.trim()).ok_or(FieldError::NotAllowed("data_categories"))?;
            if !data_categories.contains(&category.as_str().to_owned()) {
                data_categories.push(category.as_str().to_owned());
            }
        }
        if data_categories.is_empty() {
            return Err(FieldError::Required("data_categories"));
        }
        Ok(IncidentContent {
            title_en,
            title_zh,
            what_happened_en,
            what_happened_zh,
            occurred_on,
            data_categories,
            actions_en,
            actions_zh,
            advice_en,
            advice_zh,
            contact,
        })
    }
}

/// An audience checked: categories known and targetable, account IDs well
/// formed (whether they exist is the server's to say).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Everyone,
    Categories(Vec<Category>),
    Accounts(Vec<String>),
}

impl Audience {
    /// The audience checked.
    ///
    /// # Errors
    /// A [`FieldError`] on `audience`.
    pub fn checked(&self) -> Result<Target, FieldError> {
        match self {
            Audience::Everyone => Ok(Target::Everyone),
            Audience::Categories { categories } => {
                let mut out = Vec::new();
                for raw in categories {
                    let category = Category::parse(raw.trim())
                        .filter(|c| TARGETABLE.contains(c))
                        .ok_or(FieldError::NotAllowed("audience"))?;
                    if !out.contains(&category) {
                        out.push(category);
                    }
                }
                if out.is_empty() {
                    return Err(FieldError::Required("audience"));
                }
                Ok(Target::Categories(out))
            }
            Audience::Accounts { accounts } => {
                let mut out: Vec<String> = Vec::new();
                for raw in accounts {
                    let id = raw.trim().to_lowercase();
                    if id.is_empty() {
                        continue;
                    }
                    let well_formed = id.len() == 36
                        && id.chars().enumerate().all(|(i, c)| {
                            if matches!(i, 8 | 13 | 18 | 23) {
                                c == '-'
                            } else {
                                c.is_ascii_hexdigit()
                            }
                        });
                    if !well_formed {
                        return Err(FieldError::NotAllowed("audience"));
                    }
                    if !out.contains(&id) {
                        out.push(id);
                    }
                }
                if out.is_empty() {
                    return Err(FieldError::Required("audience"));
                }
                if out.len() > MAX_LISTED_ACCOUNTS {
                    return Err(FieldError::TooLong("audience", MAX_LISTED_ACCOUNTS));
                }
                Ok(Target::Accounts(out))
            }
        }
    }
}

#[cfg(test)]
mod tests;
