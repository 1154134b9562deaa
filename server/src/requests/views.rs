//! Reading requests: the requester's own, one with its timeline, and the
//! officer's register.

use super::{Requests, rfc3339, timeline};
use crate::entities::{request_attachments, request_events, requests};
use crate::errors::ServerResult;
use crate::sessions::Principal;
use app::error::AppError;
use app::requests::{EventView, InboxNotice, RegisterQuery, RequestView};
use domain::requests::Status;
use domain::requests::complaint::ComplaintCategory;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use time::OffsetDateTime;

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
    /// Passed to an administrator (or not).
    pub escalated: Option<bool>,
    pub due_within_days: Option<i64>,
    pub assignee: Option<AssigneeFilter>,
    pub limit: u64,
    /// Continue after this request.
    pub after: Option<RegisterCursor>,
}

/// Rows of a register page when the caller names no limit.
pub const REGISTER_PAGE: u64 = 100;

impl RegisterFilter {
    /// Parses what either door received, the same way: an empty value is
    /// no filter, an unknown one is 422 naming the field.
    ///
    /// # Errors
    /// 422 `invalid_status`, `invalid_kind`, `invalid_assignee`, `invalid_cursor`.
    pub fn parse(raw: &RegisterQuery, me: uuid::Uuid) -> Result<Self, AppError> {
        if raw
            .sort
            .as_deref()
            .is_some_and(|s| !s.is_empty() && s != "due")
        {
            return Err(AppError::invalid(
                "sort",
                "invalid_sort",
                "sort: only due is supported.",
            ));
        }
        let status = match raw.status.as_deref().unwrap_or_default().trim() {
            "" => None,
            value => Some(Status::parse(value).ok_or_else(|| {
                AppError::invalid(
                    "status",
                    "invalid_status",
                    "status: a status of DESIGN §9, e.g. in_progress.",
                )
            })?),
        };
        let kind = match raw.kind.as_deref().unwrap_or_default().trim() {
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
            assignee: AssigneeFilter::parse(raw.assignee.as_deref().unwrap_or_default(), me)?,
            overdue: raw.overdue,
            escalated: raw.escalated,
            due_within_days: raw.due_within_days,
            limit: raw.limit.unwrap_or(REGISTER_PAGE),
            after: raw
                .after
                .as_deref()
                .filter(|a| !a.is_empty())
                .map(RegisterCursor::parse)
                .transpose()?,
        })
    }
}

/// The zone of a request's policy snapshot, read without the rest of it.
pub(super) fn policy_zone(r: &requests::Model) -> ServerResult<String> {
    #[derive(serde::Deserialize)]
    struct Zone {
        time_zone: String,
    }
    let zone: Zone = serde_json::from_str(&r.policy_rules)
        .map_err(|e| anyhow::anyhow!("request's policy snapshot unreadable: {e}"))?;
    Ok(zone.time_zone)
}

/// A request as the wire shows it: staff see details, assignee and
/// internal notes; requesters see staff by role only.
///
/// # Errors
/// 500 when the stored policy snapshot is unreadable.
pub(super) fn view(
    r: &requests::Model,
    events: &[request_events::Model],
    attachments: &[request_attachments::Model],
    staff: bool,
    now: OffsetDateTime,
) -> ServerResult<RequestView> {
    Ok(RequestView {
        ack: r.ack.clone(),
        kind: r.kind.into(),
        channel: r.channel.into(),
        status: r.status.into(),
        policy: r.policy_name.clone(),
        policy_version: r.policy_version,
        time_zone: policy_zone(r)?,
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
        category: r
            .complaint_category
            .as_deref()
            .and_then(ComplaintCategory::parse),
        escalated_at: r.escalated_at.map(rfc3339),
        attachments: attachments
            .iter()
            .filter(|a| a.request_id == r.id)
            .map(super::attachments::attachment_view)
            .collect(),
        reaccess: None,
        as_of: rfc3339(now),
    })
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
        let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
        let attachments = super::attachments::attachments_of(&self.db, &ids).await?;
        // Each request with its history: the officer's questions and the
        // answers to them are read here.
        let events = request_events::Entity::find()
            .filter(request_events::Column::RequestId.is_in(ids))
            .order_by_asc(request_events::Column::At)
            .all(&self.db)
            .await?;
        let now = self.clock.now();
        rows.iter()
            .map(|r| {
                let own: Vec<_> = events
                    .iter()
                    .filter(|e| e.request_id == r.id)
                    .cloned()
                    .collect();
                view(r, &own, &attachments, false, now)
            })
            .collect()
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
        let attachments = super::attachments::attachments_of(&txn, &[request.id]).await?;
        let reaccess = if staff {
            super::reaccess_check(&txn, &request).await?
        } else {
            None
        };
        txn.commit().await?;
        let mut view = view(&request, &events, &attachments, staff, self.clock.now())?;
        view.reaccess = reaccess;
        Ok(view)
    }

    /// The officer's register, sorted by due instant (those without one
    /// last), a page at a time; answers the page and where the next starts.
    ///
    /// # Errors
    /// When the database fails.
    pub async fn register(
        &self,
        me: &Principal,
        query: &RegisterQuery,
    ) -> ServerResult<(Vec<RequestView>, Option<RegisterCursor>)> {
        if !me.role.is_staff() {
            return Err(AppError::forbidden().into());
        }
        let filter = RegisterFilter::parse(query, me.account_id)?;
        let now = self.clock.now();
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
        if let Some(escalated) = filter.escalated {
            query = query.filter(if escalated {
                requests::Column::EscalatedAt.is_not_null()
            } else {
                requests::Column::EscalatedAt.is_null()
            });
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
        let rows = rows
            .iter()
            .map(|r| view(r, &[], &[], true, now))
            .collect::<ServerResult<Vec<_>>>()?;
        Ok((rows, next))
    }
}

impl Requests {
    /// The caller's inbox, newest first (100 notices).
    ///
    /// # Errors
    /// When the database fails.
    pub async fn inbox(&self, me: &Principal) -> ServerResult<Vec<InboxNotice>> {
        use crate::entities::notifications;
        let rows = notifications::Entity::find()
            .filter(notifications::Column::AccountId.eq(me.account_id))
            .order_by_desc(notifications::Column::CreatedAt)
            .limit(100)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|n| InboxNotice {
                kind: n.kind,
                subject: n.subject,
                body: n.body,
                created_at: rfc3339(n.created_at),
            })
            .collect())
    }
}
