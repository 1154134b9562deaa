//! The officer's dashboard figures and the register as CSV.

use super::{Requests, rfc3339};
use crate::entities::requests;
use crate::errors::ServerResult;
use crate::sessions::Principal;
use app::error::AppError;
use app::requests::Metrics;
use domain::requests::{RequestKind, Status};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use time::Duration;

impl Requests {
    /// The dashboard, for officers and administrators.
    ///
    /// # Errors
    /// 403 for holders.
    pub async fn dashboard(&self, me: &Principal) -> ServerResult<Metrics> {
        if !me.role.is_staff() {
            return Err(AppError::forbidden().into());
        }
        self.metrics().await
    }

    /// Group commits of filings since start, and the filings they answered.
    #[must_use]
    pub fn filing_commits(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering;
        (
            self.filing_stats.commits.load(Ordering::Relaxed),
            self.filing_stats.filings.load(Ordering::Relaxed),
        )
    }

    /// The dashboard figures now.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn metrics(&self) -> ServerResult<Metrics> {
        let now = self.clock.now();
        let open = requests::Entity::find().filter(requests::Column::ClosedAt.is_null());
        let open_count = open.clone().count(&self.db).await?;
        let overdue = open
            .clone()
            .filter(requests::Column::Overdue.eq(true))
            .count(&self.db)
            .await?;
        let due_soon = open
            .filter(requests::Column::Overdue.eq(false))
            .filter(requests::Column::DueAt.lte(now + Duration::days(7)))
            .count(&self.db)
            .await?;
        let closed: Vec<(time::OffsetDateTime, Option<time::OffsetDateTime>, bool)> =
            requests::Entity::find()
                .select_only()
                .column(requests::Column::ReceivedAt)
                .column(requests::Column::ClosedAt)
                .column(requests::Column::Late)
                .filter(requests::Column::ClosedAt.gte(now - Duration::days(365)))
                .into_tuple()
                .all(&self.db)
                .await?;
        let total = closed.len();
        let on_time = closed.iter().filter(|(_, _, late)| !late).count();
        let mut days: Vec<f64> = closed
            .iter()
            .filter_map(|(received, closed_at, _)| {
                closed_at.map(|c| (c - *received).as_seconds_f64() / 86_400.0)
            })
            .collect();
        days.sort_by(f64::total_cmp);
        let median = match days.len() {
            0 => None,
            n if n % 2 == 1 => Some(days[n / 2]),
            n => Some((days[n / 2 - 1] + days[n / 2]) / 2.0),
        };
        #[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
        let rate = (total > 0).then(|| on_time as f64 / total as f64);
        Ok(Metrics {
            open: open_count,
            overdue,
            due_soon,
            on_time_rate: rate,
            median_days_to_answer: median.map(|d| (d * 10.0).round() / 10.0),
            closed_last_year: total as u64,
        })
    }

    /// The register as CSV (RFC 4180), earliest due first, at most 100,000 rows.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn register_csv(&self) -> ServerResult<String> {
        let rows = requests::Entity::find()
            .order_by(requests::Column::DueAt.is_null(), sea_orm::Order::Asc)
            .order_by_asc(requests::Column::DueAt)
            .limit(100_000)
            .all(&self.db)
            .await?;
        let mut csv = String::from(
            "ack,kind,channel,status,policy,received_at,due_at,overdue,late,closed_at,assignee_id\r\n",
        );
        for r in rows {
            let cells = [
                r.ack.clone(),
                RequestKind::from(r.kind).as_str().to_owned(),
                match r.channel {
                    requests::Channel::InApp => "in_app".to_owned(),
                    requests::Channel::PrivacyOfficer => "privacy_officer".to_owned(),
                },
                Status::from(r.status).as_str().to_owned(),
                r.policy_name.clone(),
                rfc3339(r.received_at),
                r.due_at.map(rfc3339).unwrap_or_default(),
                r.overdue.to_string(),
                r.late.to_string(),
                r.closed_at.map(rfc3339).unwrap_or_default(),
                r.assignee_id.map(|id| id.to_string()).unwrap_or_default(),
            ];
            csv.push_str(&cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(","));
            csv.push_str("\r\n");
        }
        Ok(csv)
    }
}

/// One CSV cell: quoted when needed, and never read as a formula by a
/// spreadsheet (OWASP CSV injection).
fn cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(super::cell("PR-2026-0000-0000"), "PR-2026-0000-0000");
        assert_eq!(super::cell("a,b"), "\"a,b\"");
        assert_eq!(super::cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(super::cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }
}
