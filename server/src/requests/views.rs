//! Reading requests: the requester's own, one with its timeline, and the
//! officer's register.

use super::{Requests, rfc3339, timeline};
use crate::entities::{request_events, requests};
use crate::errors::ServerResult;
use crate::sessions::Principal;
use app::error::AppError;
use domain::requests::Status;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

/// One event of a request's timeline.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EventView {
    pub at: String,
    /// `requester`, `officer`, `admin` or `system`.
    pub actor: String,
    #[schema(value_type = String, example = "extended")]
    pub action: domain::requests::Event,
    pub note: Option<String>,
    pub due_before: Option<String>,
    pub due_after: Option<String>,
}

/// A request as its requester or an officer sees it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RequestView {
    pub ack: String,
    pub kind: String,
    pub channel: String,
    pub status: String,
    pub policy: String,
    pub policy_version: i32,
    pub received_at: String,
    pub clock_started_at: Option<String>,
    pub due_at: Option<String>,
    pub overdue: bool,
    /// Closed after its due instant.
    pub late: bool,
    pub closed_at: Option<String>,
    pub answer: Option<String>,
    pub assignee_id: Option<String>,
    /// Shown to officers only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<EventView>,
}

/// Whose requests the register shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssigneeFilter {
    /// Assigned to this account.
    Account(uuid::Uuid),
    /// Not assigned to anyone yet.
    Unassigned,
}

impl AssigneeFilter {
    /// `me` (the caller), `none` (unassigned) or an account ID; empty is no filter.
    ///
    /// # Errors
    /// 422 `invalid_assignee`.
    pub fn parse(raw: &str, me: uuid::Uuid) -> Result<Option<Self>, AppError> {
        match raw {
            "" => Ok(None),
            "me" => Ok(Some(AssigneeFilter::Account(me))),
            "none" => Ok(Some(AssigneeFilter::Unassigned)),
            id => uuid::Uuid::parse_str(id)
                .map(|id| Some(AssigneeFilter::Account(id)))
                .map_err(|_| {
                    AppError::invalid(
                        "assignee",
                        "invalid_assignee",
                        "assignee: me, none, or an officer's account ID.",
                    )
                }),
        }
    }
}

/// Where the next page of the register starts: after this request, in the
/// register's order (due instant then acknowledgment number; requests without
/// a due instant last, by receipt).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegisterCursor {
    Due(OffsetDateTime, String),
    Undue(OffsetDateTime, String),
}

impl RegisterCursor {
    fn of(r: &requests::Model) -> Self {
        match r.due_at {
            Some(due) => RegisterCursor::Due(due, r.ack.clone()),
            None => RegisterCursor::Undue(r.received_at, r.ack.clone()),
        }
    }

    /// The opaque, URL-safe text given to clients.
    #[must_use]
    pub fn encode(&self) -> String {
        match self {
            RegisterCursor::Due(t, ack) => format!("d{}_{ack}", t.unix_timestamp_nanos()),
            RegisterCursor::Undue(t, ack) => format!("r{}_{ack}", t.unix_timestamp_nanos()),
        }
    }

    /// Reads [`RegisterCursor::encode`]'s text.
    ///
    /// # Errors
    /// 422 `invalid_cursor`.
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let bad = || {
            AppError::invalid(
                "after",
                "invalid_cursor",
                "after: pass the x-next-cursor of the previous page unchanged.",
            )
        };
        let (head, ack) = raw.split_once('_').ok_or_else(bad)?;
        let ack = domain::requests::parse_acknowledgment(ack).ok_or_else(bad)?;
        let (kind, nanos) = head.split_at_checked(1).ok_or_else(bad)?;
        let at = OffsetDateTime::from_unix_timestamp_nanos(nanos.parse().map_err(|_| bad())?)
            .map_err(|_| bad())?;
        match kind {
            "d" => Ok(RegisterCursor::Due(at, ack)),
            "r" => Ok(RegisterCursor::Undue(at, ack)),
            _ => Err(bad()),
        }
    }
}

/// The longest "due within" window of the register: ten years.
pub const MAX_DUE_WITHIN_DAYS: i64 = 3650;

/// Filters of the officer's register.
#[derive(Clone, Debug, Default)]
pub struct RegisterFilter {
    pub status: Option<Status>,
    pub kind: Option<domain::requests::RequestKind>,
    pub overdue: Option<bool>,
    pub due_within_days: Option<i64>,
    pub assignee: Option<AssigneeFilter>,
    pub limit: u64,
    /// Continue after this request.
    pub after: Option<RegisterCursor>,
}

/// The register's filters as a door receives them, unparsed.
#[derive(Debug, Default)]
pub struct RawRegisterFilter<'a> {
    pub status: &'a str,
    pub kind: &'a str,
    pub assignee: &'a str,
    pub overdue: Option<bool>,
    pub due_within_days: Option<i64>,
    pub limit: Option<u64>,
    pub after: Option<&'a str>,
}

/// Rows of a register page when the caller names no limit.
pub const REGISTER_PAGE: u64 = 100;

impl RegisterFilter {
    /// Parses what either door received, the same way: an empty value is
    /// no filter, an unknown one is 422 naming the field.
    ///
    /// # Errors
    /// 422 `invalid_status`, `invalid_kind`, `invalid_assignee`, `invalid_cursor`.
    pub fn parse(raw: &RawRegisterFilter<'_>, me: uuid::Uuid) -> Result<Self, AppError> {
        let status = match raw.status.trim() {
            "" => None,
            value => Some(Status::parse(value).ok_or_else(|| {
                AppError::invalid(
                    "status",
                    "invalid_status",
                    "status: a status of DESIGN §9, e.g. in_progress.",
                )
            })?),
        };
        let kind = match raw.kind.trim() {
            "" => None,
            value => Some(domain::requests::RequestKind::parse(value).ok_or_else(|| {
                AppError::invalid(
                    "kind",
                    "invalid_kind",
                    "kind: access, copy, correction, deletion, objection, complaint or reaccess.",
                )
            })?),
        };
        Ok(RegisterFilter {
            status,
            kind,
            assignee: AssigneeFilter::parse(raw.assignee, me)?,
            overdue: raw.overdue,
            due_within_days: raw.due_within_days,
            limit: raw.limit.unwrap_or(REGISTER_PAGE),
            after: raw
                .after
                .filter(|a| !a.is_empty())
                .map(RegisterCursor::parse)
                .transpose()?,
        })
    }
}

pub(super) fn view(
    r: &requests::Model,
    events: &[request_events::Model],
    staff: bool,
) -> RequestView {
    let status: Status = r.status.into();
    RequestView {
        ack: r.ack.clone(),
        kind: domain::requests::RequestKind::from(r.kind)
            .as_str()
            .to_owned(),
        channel: match r.channel {
            requests::Channel::InApp => "in_app".into(),
            requests::Channel::PrivacyOfficer => "privacy_officer".into(),
        },
        status: status.as_str().to_owned(),
        policy: r.policy_name.clone(),
        policy_version: r.policy_version,
        received_at: rfc3339(r.received_at),
        clock_started_at: r.clock_started_at.map(rfc3339),
        due_at: r.due_at.map(rfc3339),
        overdue: r.overdue,
        late: r.late,
        closed_at: r.closed_at.map(rfc3339),
        answer: r.answer.clone(),
        assignee_id: if staff {
            r.assignee_id.map(|id| id.to_string())
        } else {
            None
        },
        details: staff.then(|| r.details.clone()),
        timeline: events
            .iter()
            .filter(|e| staff || !e.internal)
            .map(|e| EventView {
                at: rfc3339(e.at),
                actor: e.actor_kind.clone(),
                action: e.action.into(),
                // Requesters see staff by role, never by account ID: the
                // note of an assignment names the assignee's ID.
                note: if staff || e.action != request_events::Action::Assigned {
                    e.note.clone()
                } else {
                    None
                },
                due_before: e.due_before.map(rfc3339),
                due_after: e.due_after.map(rfc3339),
            })
            .collect(),
    }
}

impl Requests {
    /// The caller's own requests, newest first.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn list_mine(&self, me: &Principal) -> ServerResult<Vec<RequestView>> {
        let rows = requests::Entity::find()
            .filter(requests::Column::AccountId.eq(me.account_id))
            .order_by_desc(requests::Column::ReceivedAt)
            .limit(200)
            .all(&self.db)
            .await?;
        Ok(rows.iter().map(|r| view(r, &[], false)).collect())
    }

    /// One request with its timeline: for its requester (by session or by
    /// tracking token) or for staff. Anyone else gets 404, as if it did not exist.
    ///
    /// # Errors
    /// 404 when not found or not the caller's.
    pub async fn view(&self, ack: &str, caller: &super::Caller<'_>) -> ServerResult<RequestView> {
        let txn = crate::db::begin_read(&self.db).await?;
        let request = self.find_for_requester(&txn, ack, caller, true).await?;
        let staff = caller.me.is_some_and(|p| p.role.is_staff());
        let events = timeline(&txn, request.id).await?;
        txn.commit().await?;
        Ok(view(&request, &events, staff))
    }

    /// The officer's register, sorted by due instant (those without one
    /// last), a page at a time; answers the page and where the next starts.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn register(
        &self,
        filter: RegisterFilter,
        now: OffsetDateTime,
    ) -> ServerResult<(Vec<RequestView>, Option<RegisterCursor>)> {
        // Checked here, not at the doors: both get the same answer, and the
        // window below can never overflow the clock's arithmetic.
        if filter
            .due_within_days
            .is_some_and(|d| !(0..=MAX_DUE_WITHIN_DAYS).contains(&d))
        {
            return Err(AppError::invalid(
                "due_within_days",
                "out_of_range",
                format!("due_within_days: a number of days from 0 to {MAX_DUE_WITHIN_DAYS}."),
            )
            .into());
        }
        let mut query = requests::Entity::find();
        if let Some(status) = filter.status {
            query = query.filter(requests::Column::Status.eq(requests::Status::from(status)));
        }
        if let Some(kind) = filter.kind {
            query = query.filter(requests::Column::Kind.eq(requests::Kind::from(kind)));
        }
        if let Some(overdue) = filter.overdue {
            query = query.filter(requests::Column::Overdue.eq(overdue));
        }
        match filter.assignee {
            Some(AssigneeFilter::Account(id)) => {
                query = query.filter(requests::Column::AssigneeId.eq(id));
            }
            Some(AssigneeFilter::Unassigned) => {
                query = query.filter(requests::Column::AssigneeId.is_null());
            }
            None => {}
        }
        if let Some(days) = filter.due_within_days {
            query = query.filter(
                Condition::all()
                    .add(requests::Column::DueAt.lte(now + time::Duration::days(days)))
                    .add(requests::Column::ClosedAt.is_null()),
            );
        }
        // Two index-friendly keyset queries instead of one ORDER BY on
        // "due_at IS NULL": requests with a due instant first, then those
        // without. One row more than the page tells whether another follows.
        let limit = filter.limit.clamp(1, 500);
        let mut rows = Vec::new();
        if !matches!(filter.after, Some(RegisterCursor::Undue(..))) {
            let mut due = query.clone().filter(requests::Column::DueAt.is_not_null());
            if let Some(RegisterCursor::Due(at, ack)) = &filter.after {
                due = due.filter(
                    Condition::any().add(requests::Column::DueAt.gt(*at)).add(
                        Condition::all()
                            .add(requests::Column::DueAt.eq(*at))
                            .add(requests::Column::Ack.gt(ack.clone())),
                    ),
                );
            }
            rows = due
                .order_by_asc(requests::Column::DueAt)
                .order_by_asc(requests::Column::Ack)
                .limit(limit + 1)
                .all(&self.db)
                .await?;
        }
        let missing = (limit + 1).saturating_sub(rows.len() as u64);
        if missing > 0 {
            let mut undue = query.filter(requests::Column::DueAt.is_null());
            if let Some(RegisterCursor::Undue(at, ack)) = &filter.after {
                undue = undue.filter(
                    Condition::any()
                        .add(requests::Column::ReceivedAt.gt(*at))
                        .add(
                            Condition::all()
                                .add(requests::Column::ReceivedAt.eq(*at))
                                .add(requests::Column::Ack.gt(ack.clone())),
                        ),
                );
            }
            rows.extend(
                undue
                    .order_by_asc(requests::Column::ReceivedAt)
                    .order_by_asc(requests::Column::Ack)
                    .limit(missing)
                    .all(&self.db)
                    .await?,
            );
        }
        let more = rows.len() as u64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let next = if more {
            rows.last().map(RegisterCursor::of)
        } else {
            None
        };
        Ok((rows.iter().map(|r| view(r, &[], true)).collect(), next))
    }
}

/// A notice in the inbox.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct InboxItem {
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
}

impl Requests {
    /// The caller's inbox, newest first (100 notices).
    ///
    /// # Errors
    /// When the database fails.
    pub async fn inbox(&self, me: &Principal) -> ServerResult<Vec<InboxItem>> {
        use crate::entities::notifications;
        let rows = notifications::Entity::find()
            .filter(notifications::Column::AccountId.eq(me.account_id))
            .order_by_desc(notifications::Column::CreatedAt)
            .limit(100)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|n| InboxItem {
                kind: n.kind,
                subject: n.subject,
                body: n.body,
                created_at: rfc3339(n.created_at),
            })
            .collect())
    }
}
