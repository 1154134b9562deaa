//! The one way the server writes an instant: RFC 3339 in UTC (`…Z`), in
//! every answer, e-mail and export.

use time::{OffsetDateTime, UtcOffset, format_description::well_known::Rfc3339};

/// An instant as RFC 3339 in UTC. The time crate formats every year from 0
/// to 9999; the clock stays within 1970 to 9000, so nothing is lost.
#[must_use]
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.to_offset(UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_instant_is_written_in_utc() {
        let local = time::macros::datetime!(2027-01-31 23:59:59 +08:00);
        assert_eq!(rfc3339(local), "2027-01-31T15:59:59Z");
    }
}
