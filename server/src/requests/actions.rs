//! Moving a request: the officer's actions, the requester's replies and
//! withdrawal. Each is one transaction: status, clock, timeline event,
//! notice and audit entry together.

use super::{
    ActorRef, NewEvent, Notice, Requests, notify, pending_event, record, rfc3339, schedule,
    timeline, views,
};
use crate::audit::Actor;
use crate::entities::{accounts, requests};
use crate::errors::ServerResult;
use crate::sessions::Principal;
use app::error::AppError;
use domain::requests::Event;
use domain::requests::{Action, Status, TransitionError, transition};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

/// An item not done, with its reason (e.g. kept under a legal obligation).
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
pub struct Withheld {
    pub item: String,
    pub reason: String,
}

/// What an officer does to a request.
#[derive(Clone, Debug)]
pub enum OfficerAction {
    Assign {
        assignee: Option<Uuid>,
    },
    VerifyIdentity,
    RequestInfo {
        message: String,
    },
    Extend {
        days: Option<u32>,
        reason: String,
    },
    Fulfil {
        summary: String,
    },
    PartlyFulfil {
        summary: String,
        withheld: Vec<Withheld>,
    },
    Refuse {
        reason: String,
    },
    Note {
        text: String,
    },
}

fn required(value: &str, field: &str) -> Result<String, AppError> {
    super::intake::text(value, field, false)?.ok_or_else(|| {
        AppError::invalid(
            field,
            "required",
            format!("{field}: give the reason or text; it is recorded and shown to the requester."),
        )
    })
}

fn request_closed() -> AppError {
    AppError::new(409, "request_closed", "The request is closed.")
}

fn moved(from: Status, action: Action) -> Result<Status, AppError> {
    transition(from, action).map_err(|e| match e {
        TransitionError::Closed => request_closed(),
        TransitionError::NotAllowed { .. } => AppError::new(
            409,
            "invalid_transition",
            format!("A request that is {} cannot do that.", from.as_str()),
        ),
    })
}

/// Whether the caller is the request's requester: its account's session, or
/// the tracking token given at filing. Anyone else is answered 404.
pub(super) fn is_requester(
    request: &requests::Model,
    me: Option<&Principal>,
    token: Option<&str>,
) -> bool {
    me.is_some_and(|p| request.account_id == Some(p.account_id))
        || token.is_some_and(|t| super::intake::token_matches(request, t))
}

/// The regulator line every refusal carries (PIPL Art. 50; GDPR Art. 12(4)).
const RIGHT_TO_COMPLAIN: &str = "If you disagree, you may complain to the data protection authority (in mainland China: the Cyberspace Administration, 12377.cn) or go to court.";

impl Requests {
    /// Applies an officer's action.
    ///
    /// # Errors
    /// 422 for missing reasons, 409 for moves the rules refuse
    /// (`deadline_passed`, `extension_cap_exceeded`, `invalid_transition`).
    #[tracing::instrument(skip_all, fields(request.ack = %ack))]
    pub async fn act(
        &self,
        officer: &Principal,
        ack: &str,
        action: OfficerAction,
    ) -> ServerResult<views::RequestView> {
        if !officer.role.is_staff() {
            return Err(AppError::forbidden().into());
        }
        let now = self.clock.now();
        let (_guard, txn) = self.begin().await?;
        let request = self.find_by_ack(&txn, ack).await?;
        let events = timeline(&txn, request.id).await?;
        let from: Status = request.status.into();
        let by = ActorRef {
            actor: Actor {
                id: Some(officer.account_id),
                role: officer.role.as_str(),
            },
            kind: if officer.role == domain::Role::Admin {
                "admin"
            } else {
                "officer"
            },
        };
        let mut row: requests::ActiveModel = request.clone().into();
        let due_before = request.due_at;
        let (event, audit_action, notice): (NewEvent, &str, Option<(String, String)>) = match action
        {
            OfficerAction::Assign { assignee } => {
                if from.is_closed() {
                    return Err(request_closed().into());
                }
                let assignee = assignee.unwrap_or(officer.account_id);
                let target = accounts::Entity::find_by_id(assignee).one(&txn).await?;
                if !target.is_some_and(|a| domain::Role::from(a.role).is_staff()) {
                    return Err(AppError::invalid(
                        "assignee_id",
                        "invalid_assignee",
                        "Assign to an officer or administrator.",
                    )
                    .into());
                }
                row.assignee_id = Set(Some(assignee));
                (
                    NewEvent::new(Event::Assigned).note(assignee.to_string()),
                    "request.assigned",
                    None,
                )
            }
            OfficerAction::VerifyIdentity => {
                let to = moved(from, Action::VerifyIdentity)?;
                row.status = Set(to.into());
                let mut event = NewEvent::new(Event::IdentityVerified);
                // guideline-30 on the officer route counts from verification.
                if request.clock_started_at.is_none() {
                    row.clock_started_at = Set(Some(now));
                    let started = requests::Model {
                        clock_started_at: Some(now),
                        ..request.clone()
                    };
                    let due = schedule(&started, &events, now)?.map(|s| s.due_at);
                    row.due_at = Set(due);
                    event.due_after = due;
                }
                (
                    event,
                    "request.identity_verified",
                    Some((
                        "Your identity was verified".into(),
                        "We have verified who you are and are working on your request.".into(),
                    )),
                )
            }
            OfficerAction::RequestInfo { message } => {
                let message = required(&message, "message")?;
                let to = moved(from, Action::RequestInfo)?;
                row.status = Set(to.into());
                row.resume_status = Set(Some(from.into()));
                // The request's own rules, as `schedule()` reads them:
                // unreadable rules fail the action, never guess.
                let pauses = serde_json::from_str::<domain::deadlines::DeadlinePolicy>(
                    &request.policy_rules,
                )
                .map_err(|e| anyhow::anyhow!("stored policy rules unreadable: {e}"))?
                .pause_while_awaiting_requester;
                if pauses && request.clock_started_at.is_some() {
                    row.paused_since = Set(Some(now));
                    record(
                        &txn,
                        request.id,
                        now,
                        ActorRef {
                            actor: Actor::SYSTEM,
                            kind: "system",
                        },
                        NewEvent::new(Event::Paused),
                    )
                    .await?;
                }
                (
                    NewEvent::new(Event::InfoRequested).note(message.clone()),
                    "request.info_requested",
                    Some(("We need more information".into(), message)),
                )
            }
            OfficerAction::Extend { days, reason } => {
                let reason = required(&reason, "reason")?;
                if from.is_closed() {
                    return Err(request_closed().into());
                }
                let length = days.map(|d| i32::try_from(d).unwrap_or(i32::MAX));
                // The engine decides: after the due instant, or beyond the cap, it refuses.
                let mut trial = events.clone();
                trial.push(pending_event(request.id, now, Event::Extended, length));
                let due = schedule(&request, &trial, now)?
                    .map(|s| s.due_at)
                    .ok_or_else(|| {
                        AppError::new(
                            409,
                            "clock_not_started",
                            "The clock has not started: verify the requester's identity first.",
                        )
                    })?;
                row.due_at = Set(Some(due));
                (
                    NewEvent {
                        due_before,
                        due_after: Some(due),
                        extension_length: length,
                        ..NewEvent::new(Event::Extended).note(reason.clone())
                    },
                    "request.extended",
                    Some((
                        "We need more time".into(),
                        format!(
                            "We have extended the deadline to {} (UTC). Reason: {reason}",
                            rfc3339(due)
                        ),
                    )),
                )
            }
            OfficerAction::Fulfil { summary } => {
                let summary = required(&summary, "summary")?;
                self.close(
                    &mut row,
                    &request,
                    from,
                    Action::Fulfil,
                    now,
                    summary.clone(),
                )?;
                (
                    NewEvent::new(Event::Fulfilled).note(summary.clone()),
                    "request.fulfilled",
                    Some(("Your request was answered".into(), summary)),
                )
            }
            OfficerAction::PartlyFulfil { summary, withheld } => {
                let summary = required(&summary, "summary")?;
                if withheld.is_empty() {
                    return Err(AppError::invalid(
                        "withheld",
                        "required",
                        "withheld: name each item not done, with its reason.",
                    )
                    .into());
                }
                let mut lines = vec![summary];
                for (i, w) in withheld.iter().enumerate() {
                    let item = required(&w.item, &format!("withheld[{i}].item"))?;
                    let reason = required(&w.reason, &format!("withheld[{i}].reason"))?;
                    lines.push(format!("Not done: {item}. Reason: {reason}"));
                }
                lines.push(RIGHT_TO_COMPLAIN.to_owned());
                let answer = lines.join("\n");
                self.close(
                    &mut row,
                    &request,
                    from,
                    Action::PartlyFulfil,
                    now,
                    answer.clone(),
                )?;
                (
                    NewEvent::new(Event::PartlyFulfilled).note(answer.clone()),
                    "request.partly_fulfilled",
                    Some(("Your request was partly answered".into(), answer)),
                )
            }
            OfficerAction::Refuse { reason } => {
                let reason = required(&reason, "reason")?;
                let answer = format!("{reason}\n{RIGHT_TO_COMPLAIN}");
                self.close(
                    &mut row,
                    &request,
                    from,
                    Action::Refuse,
                    now,
                    answer.clone(),
                )?;
                (
                    NewEvent::new(Event::Refused).note(answer.clone()),
                    "request.refused",
                    Some(("Your request was refused".into(), answer)),
                )
            }
            OfficerAction::Note { text } => {
                let text = required(&text, "text")?;
                (
                    NewEvent {
                        internal: true,
                        ..NewEvent::new(Event::Note).note(text)
                    },
                    "request.note",
                    None,
                )
            }
        };
        row.updated_at = Set(now);
        let updated = row.update(&txn).await?;
        let action_name = event.action.as_str();
        record(&txn, request.id, now, by, event).await?;
        if let Some((subject, body)) = notice {
            self.tell_requester(&txn, &updated, now, action_name, subject, body)
                .await?;
        }
        self.audit
            .append(&txn, now, by.actor, audit_action, &request.ack, "{}")
            .await?;
        let events = timeline(&txn, request.id).await?;
        self.audit.commit(txn, &self.db).await?;
        Ok(views::view(&updated, &events, true))
    }

    fn close(
        &self,
        row: &mut requests::ActiveModel,
        request: &requests::Model,
        from: Status,
        action: Action,
        now: OffsetDateTime,
        answer: String,
    ) -> Result<(), AppError> {
        let to = moved(from, action)?;
        row.status = Set(to.into());
        row.closed_at = Set(Some(now));
        row.answer = Set(Some(answer));
        row.paused_since = Set(None);
        // Closing after the due instant is recorded as late.
        row.late = Set(request
            .due_at
            .is_some_and(|due| domain::deadlines::is_overdue(due, now)));
        Ok(())
    }

    pub(super) async fn tell_requester(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        request: &requests::Model,
        now: OffsetDateTime,
        what: &str,
        subject: String,
        body: String,
    ) -> ServerResult<()> {
        let account_email = match request.account_id {
            Some(id) => accounts::Entity::find_by_id(id)
                .one(txn)
                .await?
                .map(|a| a.email),
            None => None,
        };
        // A holder's own request is answered at the account's address on
        // file, never at one named in the request (DSAR-abuse: "send it to
        // my new address"); only anonymous requests use theirs.
        let email = if request.account_id.is_some() {
            account_email
        } else {
            request.contact_email.clone()
        };
        notify(
            txn,
            now,
            Notice {
                account_id: request.account_id,
                email: email.as_deref(),
                request_id: Some(request.id),
                kind: what,
                subject: format!("{subject} ({})", request.ack),
                body,
                dedupe: format!("{what}:{}:{}", request.id, now.unix_timestamp()),
            },
        )
        .await?;
        Ok(())
    }

    /// The requester adds information; a request waiting for it resumes
    /// (and its paused clock runs again).
    ///
    /// # Errors
    /// 404 when not the caller's; 422 for an empty message; 409 when closed.
    pub async fn add_message(
        &self,
        ack: &str,
        caller: &super::Caller<'_>,
        message: &str,
    ) -> ServerResult<views::RequestView> {
        let message = required(message, "message")?;
        let now = self.clock.now();
        let (_guard, txn) = self.begin().await?;
        let request = self.find_for_requester(&txn, ack, caller, false).await?;
        let me = caller.me;
        let from: Status = request.status.into();
        if from.is_closed() {
            return Err(AppError::new(
                409,
                "request_closed",
                "The request is closed; file a new one or a complaint.",
            )
            .into());
        }
        let by = ActorRef {
            actor: Actor {
                id: me.map(|p| p.account_id),
                role: me.map_or("requester", |p| p.role.as_str()),
            },
            kind: "requester",
        };
        let mut row: requests::ActiveModel = request.clone().into();
        record(
            &txn,
            request.id,
            now,
            by,
            NewEvent::new(Event::Message).note(message),
        )
        .await?;
        if from == Status::AwaitingRequester {
            let resume = request
                .resume_status
                .map_or(Status::InProgress, Status::from);
            row.status = Set(moved(from, Action::Reply { resume })?.into());
            row.resume_status = Set(None);
            if request.paused_since.is_some() {
                row.paused_since = Set(None);
                let mut events = timeline(&txn, request.id).await?;
                events.push(pending_event(request.id, now, Event::Resumed, None));
                let due = schedule(&request, &events, now)?.map(|s| s.due_at);
                row.due_at = Set(due);
                record(
                    &txn,
                    request.id,
                    now,
                    ActorRef {
                        actor: Actor::SYSTEM,
                        kind: "system",
                    },
                    NewEvent {
                        due_before: request.due_at,
                        due_after: due,
                        ..NewEvent::new(Event::Resumed)
                    },
                )
                .await?;
            }
        }
        row.updated_at = Set(now);
        let updated = row.update(&txn).await?;
        self.audit
            .append(&txn, now, by.actor, "request.message", &request.ack, "{}")
            .await?;
        let events = timeline(&txn, request.id).await?;
        self.audit.commit(txn, &self.db).await?;
        Ok(views::view(&updated, &events, false))
    }
}

impl Requests {
    /// The requester withdraws an open request.
    ///
    /// # Errors
    /// 404 when not the caller's; 409 when already closed.
    pub async fn withdraw(
        &self,
        ack: &str,
        caller: &super::Caller<'_>,
    ) -> ServerResult<views::RequestView> {
        let now = self.clock.now();
        let (_guard, txn) = self.begin().await?;
        let request = self.find_for_requester(&txn, ack, caller, false).await?;
        let me = caller.me;
        let to = moved(request.status.into(), Action::Withdraw)?;
        let by = ActorRef {
            actor: Actor {
                id: me.map(|p| p.account_id),
                role: me.map_or("requester", |p| p.role.as_str()),
            },
            kind: "requester",
        };
        let mut row: requests::ActiveModel = request.clone().into();
        row.status = Set(to.into());
        row.closed_at = Set(Some(now));
        row.paused_since = Set(None);
        row.updated_at = Set(now);
        let updated = row.update(&txn).await?;
        record(&txn, request.id, now, by, NewEvent::new(Event::Withdrawn)).await?;
        self.tell_requester(
            &txn,
            &updated,
            now,
            "withdrawn",
            "Your request was withdrawn".into(),
            "You withdrew this request. Nothing more will be done with it.".into(),
        )
        .await?;
        self.audit
            .append(&txn, now, by.actor, "request.withdrawn", &request.ack, "{}")
            .await?;
        let events = timeline(&txn, request.id).await?;
        self.audit.commit(txn, &self.db).await?;
        Ok(views::view(&updated, &events, false))
    }
}

impl Requests {
    /// An officer's look at the requester's data through a request: allowed
    /// only to the officer the open request is assigned to, and only when the
    /// request came from an account; every look is audited (DESIGN §7).
    /// Answers the holder's account ID.
    ///
    /// # Errors
    /// 403 `not_assignee`; 404; 409 `no_account` or `request_closed`.
    pub async fn open_data_access(
        &self,
        officer: &Principal,
        ack: &str,
        category: &str,
    ) -> ServerResult<Uuid> {
        if !officer.role.is_staff() {
            return Err(AppError::forbidden().into());
        }
        let now = self.clock.now();
        let (_guard, txn) = self.begin().await?;
        let request = self.find_by_ack(&txn, ack).await?;
        if request.assignee_id != Some(officer.account_id) {
            return Err(AppError::new(
                403,
                "not_assignee",
                "Assign the request to yourself before looking at the requester's data.",
            )
            .into());
        }
        let Some(holder) = request.account_id else {
            return Err(AppError::new(
                409,
                "no_account",
                "This request was filed without an account: there is no account data to look at.",
            )
            .into());
        };
        if request.closed_at.is_some() {
            return Err(request_closed().into());
        }
        let details = serde_json::json!({ "category": category, "holder": holder }).to_string();
        self.audit
            .append(
                &txn,
                now,
                Actor {
                    id: Some(officer.account_id),
                    role: officer.role.as_str(),
                },
                "officer.data_accessed",
                &request.ack,
                &details,
            )
            .await?;
        self.audit.commit(txn, &self.db).await?;
        tracing::info!(request.ack = %request.ack, category, "officer looked at requester data");
        Ok(holder)
    }
}
