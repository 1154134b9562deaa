//! The languages the portal speaks.

use serde::{Deserialize, Serialize};

/// A language the portal is fully translated into (DESIGN §8).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Locale {
    /// English.
    #[default]
    #[serde(rename = "en")]
    En,
    /// Simplified Chinese.
    #[serde(rename = "zh-CN", alias = "zh")]
    Zh,
}

impl Locale {
    /// Every supported locale, in the order the language switch shows them.
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Zh];

    /// The BCP 47 tag, as used in `<html lang>` and in the locale cookie.
    #[must_use]
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Zh => "zh-CN",
        }
    }

    /// Reads a BCP 47 tag; anything starting with `zh` is Chinese, anything
    /// starting with `en` English, everything else is not supported.
    #[must_use]
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let lower = tag.trim().to_ascii_lowercase();
        if lower.starts_with("zh") {
            Some(Locale::Zh)
        } else if lower.starts_with("en") {
            Some(Locale::En)
        } else {
            None
        }
    }

    /// Picks the first supported language of an `Accept-Language` header.
    #[must_use]
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .find_map(Locale::from_tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from_tag(locale.tag()), Some(locale));
        }
    }

    #[test]
    fn accept_language_picks_first_supported() {
        let cases = [
            ("zh-CN,zh;q=0.9,en;q=0.8", Some(Locale::Zh)),
            ("fr-FR, en-GB;q=0.7", Some(Locale::En)),
            ("de, fr", None),
            ("", None),
        ];
        for (header, expected) in cases {
            assert_eq!(
                Locale::from_accept_language(header),
                expected,
                "header {header:?}"
            );
        }
    }
}
