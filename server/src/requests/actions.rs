//! Moving a request: the officer's actions, the requester's replies and
//! withdrawal. The domain's request aggregate decides
//! ([`domain::requests::Request::apply`]); this module loads it, and saves
//! status, clock, timeline events, notice and audit entry in one transaction.

use super::{ActorRef, Requests, notify, record, rfc3339, timeline, views};
use crate::audit::Actor;
use crate::entities::{accounts, request_events, requests};
use crate::errors::ServerResult;
use crate::sessions::Principal;
use app::error::AppError;
use app::requests::{ActionBody, RequestView};
use domain::requests::{Command, Notice, Request, Status, Verb};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseTransaction, EntityTrait};
use time::OffsetDateTime;
use uuid::Uuid;

/// What an officer does to a request: a command of the aggregate, or
/// taking it (which needs the assignee looked up first).
#[derive(Clone, Debug)]
pub enum OfficerAction {
    /// Give it to this staff member (the caller when absent).
    Assign { assignee: Option<Uuid> },
    /// Anything else.
    Do(Command),
}

impl OfficerAction {
    /// The action a door received, read the same way by both: the verb
    /// names it, the body carries what it needs.
    ///
    /// # Errors
    /// 422 `invalid_assignee` for an assignee that is not an account ID.
    pub fn from_wire(verb: Verb, body: ActionBody) -> Result<Self, AppError> {
        Ok(match verb {
            Verb::Assign => OfficerAction::Assign {
                assignee: body
                    .assignee_id
                    .as_deref()
                    .map(str::trim)
                    .filter(|id| !id.is_empty())
                    .map(|id| {
                        Uuid::parse_str(id).map_err(|_| {
                            AppError::invalid(
                                "assignee_id",
                                "invalid_assignee",
                                "assignee_id: an officer's or administrator's account ID.",
                            )
                        })
                    })
                    .transpose()?,
            },
            Verb::VerifyIdentity => OfficerAction::Do(Command::VerifyIdentity),
            Verb::RequestInfo => OfficerAction::Do(Command::RequestInfo {
                message: body.message,
            }),
            Verb::Extend => OfficerAction::Do(Command::Extend {
                days: body.days,
                reason: body.reason,
            }),
            Verb::Fulfil => OfficerAction::Do(Command::Fulfil {
                summary: body.summary,
            }),
            Verb::PartlyFulfil => OfficerAction::Do(Command::PartlyFulfil {
                summary: body.summary,
                withheld: body.withheld,
            }),
            Verb::Refuse => OfficerAction::Do(Command::Refuse {
                reason: body.reason,
            }),
            Verb::Note => OfficerAction::Do(Command::Note { text: body.text }),
            Verb::Escalate => OfficerAction::Do(Command::Escalate {
                reason: body.reason,
            }),
        })
    }
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

/// The aggregate of a stored request and its timeline. Unreadable stored
/// rules fail (500), never guess.
pub(super) fn aggregate(
    request: &requests::Model,
    events: &[request_events::Model],
) -> ServerResult<Request> {
    let policy = serde_json::from_str(&request.policy_rules)
        .map_err(|e| anyhow::anyhow!("request's policy snapshot unreadable: {e}"))?;
    Ok(Request {
        status: request.status.into(),
        resume_status: request.resume_status.map(Status::from),
        clock_started_at: request.clock_started_at,
        paused_since: request.paused_since,
        due_at: request.due_at,
        closed_at: request.closed_at,
        late: request.late,
        answer: request.answer.clone(),
        regulator: None,
        escalated: request.escalated_at.is_some(),
        policy,
        history: events
            .iter()
            .map(|e| domain::requests::ClockEvent {
                event: e.action.into(),
                at: e.at,
                extension_length: e.extension_length.and_then(|l| u32::try_from(l).ok()),
            })
            .collect(),
    })
}

/// The subject and body the requester is told.
fn notice_text(notice: &Notice) -> (String, String) {
    let text = |subject: &str, body: &str| (subject.to_owned(), body.to_owned());
    match notice {
        Notice::IdentityVerified => text(
            "Your identity was verified",
            "We have verified who you are and are working on your request.",
        ),
        Notice::InfoRequested { message } => text("We need more information", message),
        Notice::Extended { due_at, reason } => (
            "We need more time".to_owned(),
            format!(
                "We have extended the deadline to {} (UTC). Reason: {reason}",
                rfc3339(*due_at)
            ),
        ),
        Notice::Answered { answer } => text("Your request was answered", answer),
        Notice::PartlyAnswered { answer } => text("Your request was partly answered", answer),
        Notice::Refused { answer } => text("Your request was refused", answer),
        Notice::Escalated => text(
            "Your request was passed to an administrator",
            "An officer has passed your request to an administrator for a second look. The deadline does not change; you will be told the outcome.",
        ),
        Notice::Withdrawn => text(
            "Your request was withdrawn",
            "You withdrew this request. Nothing more will be done with it.",
        ),
    }
}

/// Who gives a command.
enum Who<'a> {
    Staff(&'a Principal),
    Requester(&'a super::Caller<'a>),
}

impl Requests {
    /// Applies an officer's action.
    ///
    /// # Errors
    /// 403 for holders; 422 for missing reasons, 409 for moves the rules
    /// refuse (`deadline_passed`, `extension_cap_exceeded`, `invalid_transition`).
    #[tracing::instrument(skip_all, fields(request.ack = %ack))]
    pub async fn act(
        &self,
        officer: &Principal,
        ack: &str,
        action: OfficerAction,
    ) -> ServerResult<RequestView> {
        if !officer.role.is_staff() {
            return Err(AppError::forbidden().into());
        }
        match action {
            OfficerAction::Assign { assignee } => {
                let assignee = assignee.unwrap_or(officer.account_id);
                self.run(ack, Who::Staff(officer), None, Some(assignee))
                    .await
            }
            OfficerAction::Do(command) => {
                self.run(ack, Who::Staff(officer), Some(command), None)
                    .await
            }
        }
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
    ) -> ServerResult<RequestView> {
        // Checked before the request is looked up, so a bad message never
        // counts as a tracking guess.
        let message = domain::requests::required(message, "message").map_err(refusal)?;
        let command = Command::Reply { message };
        self.run(ack, Who::Requester(caller), Some(command), None)
            .await
    }

    /// The requester withdraws an open request.
    ///
    /// # Errors
    /// 404 when not the caller's; 409 when already closed.
    pub async fn withdraw(
        &self,
        ack: &str,
        caller: &super::Caller<'_>,
    ) -> ServerResult<RequestView> {
        self.run(ack, Who::Requester(caller), Some(Command::Withdraw), None)
            .await
    }

    /// Loads the request, applies the command (or the assignment), and saves
    /// everything it decided in one transaction.
    async fn run(
        &self,
        ack: &str,
        who: Who<'_>,
        command: Option<Command>,
        assign_to: Option<Uuid>,
    ) -> ServerResult<RequestView> {
        let now = self.clock.now();
        let (_guard, txn) = self.begin().await?;
        let (request, by, staff) = match who {
            Who::Staff(officer) => (
                self.find_by_ack(&txn, ack).await?,
                ActorRef {
                    actor: Actor {
                        id: Some(officer.account_id),
                        role: officer.role.as_str(),
                    },
                    kind: if officer.role == domain::Role::Admin {
                        "admin"
                    } else {
                        "officer"
                    },
                },
                true,
            ),
            Who::Requester(caller) => {
                let me = caller.me;
                (
                    self.find_for_requester(&txn, ack, caller, false).await?,
                    ActorRef {
                        actor: Actor {
                            id: me.map(|p| p.account_id),
                            role: me.map_or("requester", |p| p.role.as_str()),
                        },
                        kind: "requester",
                    },
                    false,
                )
            }
        };
        let command = match (command, assign_to) {
            (Some(command), _) => command,
            (None, Some(assignee)) => Command::Assign {
                assignee: assignee.to_string(),
                is_staff: accounts::Entity::find_by_id(assignee)
                    .one(&txn)
                    .await?
                    .is_some_and(|a| domain::Role::from(a.role).is_staff()),
            },
            (None, None) => return Err(anyhow::anyhow!("no command").into()),
        };
        let mut aggregate = aggregate(&request, &timeline(&txn, request.id).await?)?;
        // Every answer to a complaint names the regulator, in the words the
        // administrator set when it is given (later changes leave it be).
        if domain::requests::RequestKind::from(request.kind)
            == domain::requests::RequestKind::Complaint
        {
            aggregate.regulator = Some(crate::settings::regulator_notice(&txn).await?);
        }
        let reaccess = domain::requests::RequestKind::from(request.kind)
            == domain::requests::RequestKind::Reaccess;
        if reaccess && matches!(command, Command::PartlyFulfil { .. }) {
            return Err(AppError::new(
                409,
                "invalid_for_reaccess",
                "Access to an account is granted or refused, not granted in part: fulfil (grant) or refuse the request.",
            )
            .into());
        }
        let outcome = aggregate.apply(command, now).map_err(refusal)?;
        let mut row: requests::ActiveModel = request.clone().into();
        if let Some(assignee) = assign_to {
            row.assignee_id = Set(Some(assignee));
        }
        row.status = Set(aggregate.status.into());
        row.resume_status = Set(aggregate.resume_status.map(Into::into));
        row.clock_started_at = Set(aggregate.clock_started_at);
        row.paused_since = Set(aggregate.paused_since);
        row.due_at = Set(aggregate.due_at);
        row.closed_at = Set(aggregate.closed_at);
        row.late = Set(aggregate.late);
        row.answer = Set(aggregate.answer);
        if aggregate.escalated && request.escalated_at.is_none() {
            row.escalated_at = Set(Some(now));
        }
        row.updated_at = Set(now);
        let updated = row.update(&txn).await?;
        // The sweeper's timer follows the new due instant, pause or state.
        super::timers::reset(&txn, &request, &updated, now).await?;
        for event in outcome.events {
            record(&txn, request.id, now, by, event).await?;
        }
        // A holder's copy or access request is answered with the archive,
        // delivered to the account (never to an address in the request).
        let answered = |status: domain::requests::Status| {
            matches!(
                status,
                domain::requests::Status::Fulfilled | domain::requests::Status::PartlyFulfilled
            )
        };
        if answered(updated.status.into())
            && !answered(request.status.into())
            && matches!(
                domain::requests::RequestKind::from(updated.kind),
                domain::requests::RequestKind::Copy | domain::requests::RequestKind::Access
            )
        {
            crate::exports::attach_to_request(&txn, &updated, now).await?;
        }
        // A granted re-access: a link to the address the request gave,
        // opening after the hold, and a stop link to the channels on file.
        if reaccess
            && domain::requests::Status::from(updated.status) == domain::requests::Status::Fulfilled
            && domain::requests::Status::from(request.status) != domain::requests::Status::Fulfilled
        {
            crate::accounts::recovery::grant_reaccess(&txn, &updated, now, &self.public_url)
                .await?;
        }
        if updated.escalated_at.is_some() && request.escalated_at.is_none() {
            tell_administrators(&txn, &updated, now).await?;
        }
        if let Some(notice) = outcome.notice {
            let (subject, body) = notice_text(&notice);
            self.tell_requester(&txn, &updated, now, notice.kind().as_str(), subject, body)
                .await?;
        }
        self.audit
            .append(&txn, now, by.actor, outcome.audit, &request.ack, "{}")
            .await?;
        let events = timeline(&txn, request.id).await?;
        let attachments = super::attachments::attachments_of(&txn, &[request.id]).await?;
        let check = if staff {
            super::reaccess_check(&txn, &updated).await?
        } else {
            None
        };
        self.audit.commit(txn, &self.db).await?;
        let mut view = views::view(&updated, &events, &attachments, staff, now)?;
        view.reaccess = check;
        Ok(view)
    }

    pub(super) async fn tell_requester(
        &self,
        txn: &DatabaseTransaction,
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
            super::Notice {
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
}

/// A refusal of the aggregate, as the API answers it.
pub(super) fn refusal(e: domain::requests::RequestError) -> AppError {
    match &e {
        domain::requests::RequestError::Deadline(d) => crate::errors::deadline_refusal(d),
        _ => AppError {
            field: e.field(),
            ..AppError::new(e.status(), e.code(), e.to_string())
        },
    }
}

fn request_closed() -> AppError {
    refusal(domain::requests::RequestError::Closed)
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
                Actor::of(officer),
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

/// Every administrator hears of an escalated request: in the inbox and by
/// e-mail, once.
async fn tell_administrators(
    txn: &DatabaseTransaction,
    request: &requests::Model,
    now: OffsetDateTime,
) -> ServerResult<()> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let admins = accounts::Entity::find()
        .filter(accounts::Column::Role.eq(accounts::Role::Admin))
        .all(txn)
        .await?;
    let kind = domain::requests::RequestKind::from(request.kind);
    for admin in admins {
        super::notify(
            txn,
            now,
            super::Notice {
                account_id: Some(admin.id),
                email: Some(&admin.email),
                request_id: Some(request.id),
                kind: "escalated",
                subject: format!("Escalated to you: {} {}", kind.as_str(), request.ack),
                body: format!(
                    "An officer passed {} to the administrators. Open it in the register (filter: escalated) to read why and to answer it.",
                    request.ack
                ),
                dedupe: format!("escalated:{}:{}", request.id, admin.id),
            },
        )
        .await?;
    }
    Ok(())
}
