//! The export's rules (the right to a copy and to portability: PIPL art. 45,
//! GDPR art. 20, Tencent policy "How we use", QQ licence §7.7): what an
//! archive holds and in which formats, how its CSV is written so that a
//! spreadsheet cannot be made to run a formula, how long it may be
//! downloaded, and how its life reads to the holder. No I/O: the server
//! streams rows into the archive and asks these rules how.

use crate::data::Category;
use serde::{Deserialize, Serialize};

/// The archive's layout version, in `manifest.json` (bump on any change of
/// entry names or field names).
pub const FORMAT_VERSION: u32 = 1;
/// Days a ready archive may be downloaded; then it is deleted.
pub const DOWNLOAD_DAYS: i64 = 7;
/// Builds tried before an export is marked failed (a crash mid-build counts).
pub const MAX_ATTEMPTS: i32 = 3;

/// Where an export stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExportStatus {
    /// Waiting for the background job.
    Queued,
    /// Being written.
    Building,
    /// Ready to download until it expires.
    Ready,
    /// Past its 7 days: the file is gone.
    Expired,
    /// Could not be built (after [`MAX_ATTEMPTS`]).
    Failed,
}

impl ExportStatus {
    /// Every status.
    pub const ALL: [ExportStatus; 5] = [
        ExportStatus::Queued,
        ExportStatus::Building,
        ExportStatus::Ready,
        ExportStatus::Expired,
        ExportStatus::Failed,
    ];

    /// The stored and wire name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ExportStatus::Queued => "queued",
            ExportStatus::Building => "building",
            ExportStatus::Ready => "ready",
            ExportStatus::Expired => "expired",
            ExportStatus::Failed => "failed",
        }
    }

    /// The status of a stored name.
    #[must_use]
    pub fn parse(raw: &str) -> Option<ExportStatus> {
        ExportStatus::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Whether the background job still has work to do on it.
    #[must_use]
    pub fn is_running(self) -> bool {
        matches!(self, ExportStatus::Queued | ExportStatus::Building)
    }

    /// How a stored status reads at `now` (unix seconds): a ready archive
    /// past `expires_at` is expired even before the job has deleted it.
    #[must_use]
    pub fn at(self, expires_at: Option<i64>, now: i64) -> ExportStatus {
        match (self, expires_at) {
            (ExportStatus::Ready, Some(end)) if now >= end => ExportStatus::Expired,
            (status, _) => status,
        }
    }
}

/// Who asked for an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExportOrigin {
    /// The holder, on `/exports` or through the API.
    Holder,
    /// An officer's answer to the holder's `copy` or `access` request.
    Request,
}

impl ExportOrigin {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ExportOrigin::Holder => "holder",
            ExportOrigin::Request => "request",
        }
    }

    /// The origin of a stored name.
    #[must_use]
    pub fn parse(raw: &str) -> Option<ExportOrigin> {
        [ExportOrigin::Holder, ExportOrigin::Request]
            .into_iter()
            .find(|o| o.as_str() == raw)
    }
}

/// The categories an export holds: all, or the chosen ones in the overview's
/// order without repeats. An empty choice means the whole account.
#[must_use]
pub fn scope(chosen: Option<&[Category]>) -> Vec<Category> {
    match chosen {
        Some(chosen) if !chosen.is_empty() => Category::ALL
            .into_iter()
            .filter(|c| chosen.contains(c))
            .collect(),
        _ => Category::ALL.to_vec(),
    }
}

/// The CSV columns of a tabular category (after `id`, `at`, `day`), or
/// `None` when the category is not a table (JSON only). The names are the
/// API's field keys.
#[must_use]
pub fn csv_columns(category: Category) -> Option<&'static [&'static str]> {
    Some(match category {
        Category::Location => &["latitude", "longitude", "accuracy_m"],
        Category::Steps => &["steps"],
        Category::SignIns => &["ip", "device_model", "os", "app_version"],
        Category::Messages => &["peer", "direction", "text", "conversation"],
        Category::Contacts => &["hash"],
        _ => return None,
    })
}

/// The entry name of a category's file in a format: built from the
/// category's API name only, never from anything a person typed.
#[must_use]
pub fn entry_name(category: Category, extension: &str) -> String {
    format!("{0}/{0}.{extension}", category.as_str())
}

/// One CSV field (RFC 4180): quoted when it holds a comma, quote or line
/// break. Text a spreadsheet would read as a formula (starting with `=`,
/// `+`, `-`, `@`, tab or carriage return) gets a leading `'` (OWASP "CSV
/// injection"), unless it is a number: a message from someone else must not
/// run in the holder's spreadsheet.
#[must_use]
pub fn csv_field(value: &str) -> String {
    let risky =
        value.starts_with(['=', '+', '-', '@', '\t', '\r']) && value.parse::<f64>().is_err();
    let value = if risky {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// One CSV line, ending in CRLF (RFC 4180).
#[must_use]
pub fn csv_line<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    let mut line = fields
        .into_iter()
        .map(csv_field)
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// Progress in percent: `done` of `total` items written. The archive's last
/// files (index, manifest) come after the items, so 100 is kept for ready.
#[must_use]
pub fn progress(done: u64, total: u64) -> i32 {
    if total == 0 {
        return 99;
    }
    let percent = done.min(total).saturating_mul(99) / total;
    i32::try_from(percent).unwrap_or(99)
}

#[cfg(test)]
mod tests;
