//! Complaints (Weixin guideline §6.6 and §10, QQ rules §8.6): what a
//! complaint is about, the files that may come with a request, and the line
//! naming the regulator that every answer to a complaint ends with.

use crate::data::{FieldError, parse_text};
use serde::{Deserialize, Serialize};

/// What a complaint is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ComplaintCategory {
    /// How personal data is used.
    DataUse,
    /// Marketing messages or profiling for them.
    Marketing,
    /// A security concern (a leak, an account misused).
    Security,
    /// Another user's behaviour.
    AnotherUser,
    /// Anything else.
    Other,
}

impl ComplaintCategory {
    /// Every category, in the order the form offers them.
    pub const ALL: [ComplaintCategory; 5] = [
        ComplaintCategory::DataUse,
        ComplaintCategory::Marketing,
        ComplaintCategory::Security,
        ComplaintCategory::AnotherUser,
        ComplaintCategory::Other,
    ];

    /// The API name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ComplaintCategory::DataUse => "data_use",
            ComplaintCategory::Marketing => "marketing",
            ComplaintCategory::Security => "security",
            ComplaintCategory::AnotherUser => "another_user",
            ComplaintCategory::Other => "other",
        }
    }

    /// Reads an API name.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw.trim())
    }
}

/// What the regulator line says until an administrator changes it: the
/// Cyberspace Administration of China's reporting channel, in both languages.
pub const DEFAULT_REGULATOR_NOTICE: &str = "If you are not satisfied with this answer, you may complain to the Cyberspace Administration of China through its reporting centre: https://www.12377.cn or telephone 12377.\n如对本答复不满意，您可以向国家互联网信息办公室（网信办）违法和不良信息举报中心投诉：https://www.12377.cn，举报电话 12377。";

/// Longest regulator line.
pub const MAX_REGULATOR_NOTICE: usize = 1000;

/// Checks an administrator's regulator line: not empty, at most 1,000
/// characters, no control characters but line breaks.
///
/// # Errors
/// [`FieldError`] naming `regulator_notice`.
pub fn check_regulator_notice(raw: &str) -> Result<String, FieldError> {
    parse_text(raw, "regulator_notice", MAX_REGULATOR_NOTICE, true)?
        .ok_or(FieldError::Required("regulator_notice"))
}

/// Largest attachment: 5 MB (MiB, as a person's file manager counts).
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;

/// Attachments one request may carry.
pub const MAX_ATTACHMENTS: usize = 3;

/// Longest stored file name.
pub const MAX_FILE_NAME: usize = 120;

/// The kinds of file a request may carry, told apart by their content, never
/// by the name or the type the client claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AttachmentType {
    Pdf,
    Png,
    Jpeg,
    Gif,
    Webp,
    /// UTF-8 text without control characters (but tabs and line breaks).
    Text,
}

impl AttachmentType {
    /// The media type the file is served with.
    #[must_use]
    pub const fn media_type(self) -> &'static str {
        match self {
            AttachmentType::Pdf => "application/pdf",
            AttachmentType::Png => "image/png",
            AttachmentType::Jpeg => "image/jpeg",
            AttachmentType::Gif => "image/gif",
            AttachmentType::Webp => "image/webp",
            AttachmentType::Text => "text/plain; charset=utf-8",
        }
    }

    /// The API name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            AttachmentType::Pdf => "pdf",
            AttachmentType::Png => "png",
            AttachmentType::Jpeg => "jpeg",
            AttachmentType::Gif => "gif",
            AttachmentType::Webp => "webp",
            AttachmentType::Text => "text",
        }
    }

    /// Reads an API name.
    #[must_use]
    pub fn parse(raw: &str) -> Option<Self> {
        [
            AttachmentType::Pdf,
            AttachmentType::Png,
            AttachmentType::Jpeg,
            AttachmentType::Gif,
            AttachmentType::Webp,
            AttachmentType::Text,
        ]
        .into_iter()
        .find(|t| t.as_str() == raw)
    }

    /// What the bytes are, by their signature; `None` for anything else
    /// (executables, archives, HTML, SVG: nothing a browser could run).
    #[must_use]
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(AttachmentType::Pdf)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(AttachmentType::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(AttachmentType::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(AttachmentType::Gif)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(AttachmentType::Webp)
        } else if is_plain_text(bytes) {
            Some(AttachmentType::Text)
        } else {
            None
        }
    }
}

/// UTF-8 (a byte-order mark allowed) with no control characters but tab,
/// line feed and carriage return, and not markup a browser would render.
fn is_plain_text(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let head = text
        .trim_start()
        .get(..14)
        .unwrap_or("")
        .to_ascii_lowercase();
    !text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        && !["<!doctype", "<html", "<svg", "<?xml", "<script"]
            .iter()
            .any(|markup| head.starts_with(markup))
}

/// Why an attachment was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    #[error("The file is empty.")]
    Empty,
    #[error("The file is larger than 5 MB. Send a smaller file, or several.")]
    TooLarge,
    #[error("Attach a PDF, an image (PNG, JPEG, GIF, WebP) or a plain text file.")]
    UnsupportedType,
    #[error("A request carries at most 3 attachments.")]
    TooMany,
}

impl AttachmentError {
    /// The HTTP status.
    #[must_use]
    pub const fn status(&self) -> u16 {
        match self {
            AttachmentError::TooLarge => 413,
            AttachmentError::TooMany => 409,
            AttachmentError::Empty | AttachmentError::UnsupportedType => 422,
        }
    }

    /// The stable code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            AttachmentError::Empty => "empty_attachment",
            AttachmentError::TooLarge => "attachment_too_large",
            AttachmentError::UnsupportedType => "unsupported_attachment",
            AttachmentError::TooMany => "too_many_attachments",
        }
    }
}

/// Checks a file's size and content before it is stored.
///
/// # Errors
/// [`AttachmentError`] for an empty, oversized or unrecognised file.
pub fn check_attachment(bytes: &[u8]) -> Result<AttachmentType, AttachmentError> {
    if bytes.is_empty() {
        return Err(AttachmentError::Empty);
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(AttachmentError::TooLarge);
    }
    AttachmentType::sniff(bytes).ok_or(AttachmentError::UnsupportedType)
}

/// The name a file is stored and offered under: its last path component,
/// without control characters or quotes, at most [`MAX_FILE_NAME`]
/// characters; "attachment" when nothing is left.
#[must_use]
pub fn file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';'))
        .take(MAX_FILE_NAME)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    if cleaned.is_empty() {
        "attachment".to_owned()
    } else {
        cleaned.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_round_trip_and_unknown_ones_are_refused() {
        for c in ComplaintCategory::ALL {
            assert_eq!(ComplaintCategory::parse(c.as_str()), Some(c));
        }
        for raw in ["", "spam", "DATA_USE", "data use"] {
            assert_eq!(ComplaintCategory::parse(raw), None, "{raw:?}");
        }
    }

    #[test]
    fn files_are_told_apart_by_their_content() {
        let mut webp = b"RIFF\x10\x00\x00\x00WEBPVP8 ".to_vec();
        webp.extend_from_slice(&[0; 8]);
        let table: &[(&[u8], Option<AttachmentType>)] = &[
            (b"%PDF-1.7\n%...", Some(AttachmentType::Pdf)),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", Some(AttachmentType::Png)),
            (
                &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10],
                Some(AttachmentType::Jpeg),
            ),
            (b"GIF89a\x01\x00", Some(AttachmentType::Gif)),
            (&webp, Some(AttachmentType::Webp)),
            (
                b"They sent me ads after I said no.\r\n",
                Some(AttachmentType::Text),
            ),
            (
                "\u{feff}收到了推销短信\n".as_bytes(),
                Some(AttachmentType::Text),
            ),
            // Named like a PDF, it is still a program: refused.
            (b"MZ\x90\x00\x03\x00\x00\x00", None),
            (b"\x7fELF\x02\x01\x01", None),
            (b"PK\x03\x04\x14\x00", None),
            (b"<!DOCTYPE html><script>alert(1)</script>", None),
            (b"  <svg xmlns='http://www.w3.org/2000/svg'/>", None),
            (b"<?xml version='1.0'?>", None),
            (b"text with a NUL\0 inside", None),
            (&[0xC3, 0x28], None),
        ];
        for (bytes, expected) in table {
            assert_eq!(AttachmentType::sniff(bytes), *expected, "{bytes:?}");
        }
    }

    #[test]
    fn size_limits_and_empty_files() {
        assert_eq!(check_attachment(b""), Err(AttachmentError::Empty));
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_ATTACHMENT_BYTES, b' ');
        assert_eq!(check_attachment(&big), Ok(AttachmentType::Pdf));
        big.push(b' ');
        assert_eq!(check_attachment(&big), Err(AttachmentError::TooLarge));
        assert_eq!(AttachmentError::TooLarge.status(), 413);
        assert_eq!(
            check_attachment(b"MZ\x90\x00"),
            Err(AttachmentError::UnsupportedType)
        );
    }

    #[test]
    fn file_names_lose_paths_quotes_and_control_characters() {
        let table = [
            ("receipt.pdf", "receipt.pdf"),
            ("C:\\Users\\li\\scan.png", "scan.png"),
            ("../../etc/passwd", "passwd"),
            ("a\"b;c\r\n.txt", "abc.txt"),
            ("", "attachment"),
            ("...", "attachment"),
            (".hidden", "hidden"),
            ("投诉截图.png", "投诉截图.png"),
        ];
        for (raw, expected) in table {
            assert_eq!(file_name(raw), expected, "{raw:?}");
        }
        assert_eq!(file_name(&"x".repeat(500)).chars().count(), MAX_FILE_NAME);
    }

    #[test]
    fn regulator_notice_is_checked() {
        assert!(check_regulator_notice(DEFAULT_REGULATOR_NOTICE).is_ok());
        assert_eq!(
            check_regulator_notice("  "),
            Err(FieldError::Required("regulator_notice"))
        );
        assert!(check_regulator_notice(&"x".repeat(MAX_REGULATOR_NOTICE + 1)).is_err());
        assert!(check_regulator_notice("call\u{7}us").is_err());
    }
}
